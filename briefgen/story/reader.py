"""Reading one story's front matter: each value checked for its kind, each problem at its line.

`StoryReader` is what validate.py's rules read front matter through: a text, a URL,
a date, a yes or no, a list of source ids, the keys of a mapping. Each method
returns the value or None, having reported what is wrong with it (and with a
misspelt key, a "did you mean"), so the rules can go on and report every problem
of a story at once.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from briefgen.core.diagnostics import Diagnostics
from briefgen.core.frontmatter import FrontMatter, KeyPath
from briefgen.core.model import Moment, Source
from briefgen.core.urls import is_web_address
from briefgen.settings.config import closest, did_you_mean


class StoryReader:
    """Reads one story's front matter, collecting every problem it finds."""

    def __init__(self, path: Path, front: FrontMatter, diagnostics: Diagnostics) -> None:
        self.path = path
        self.mapping = front.mapping
        self.data = front.mapping.data
        self.diagnostics = diagnostics
        self.misspelt: dict[KeyPath, str] = {}  # a known key's path -> the unknown key that looks like it
        self.broken_sources: set[str] = set()  # ids of sources reported wrong: citing them is no new problem

    def error(self, key_path: KeyPath, message: str, hint: str, code: str) -> None:
        self.diagnostics.error(self.path, self.mapping.line(*key_path), message, hint, code)

    def warning(self, key_path: KeyPath, message: str, hint: str, code: str) -> None:
        self.diagnostics.warning(self.path, self.mapping.line(*key_path), message, hint, code)

    def check_keys(self, value: dict[str, Any], key_path: KeyPath, known: list[str], what: str) -> None:
        for key in value:
            if key not in known:
                hint = did_you_mean(str(key), known)
                if not key_path:
                    hint += " Keys of your own go under `extra:`."
                self.error(key_path + (key,), f"unknown key '{key}' in {what}", hint, "unknown-key")
                meant = closest(str(key), known)
                if meant is not None and meant not in value:
                    self.misspelt[key_path + (meant,)] = key

    def text(self, value: Any, key_path: KeyPath, what: str, required: bool = True) -> str | None:
        if value is None:
            if required and key_path not in self.misspelt:  # else the misspelling is the one problem
                self.error(key_path, f"{what} is missing", f"add `{key_path[-1]}: ...`", "missing-key")
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str) or (required and not value.strip()):
            self.error(key_path, f"{what} must be a non-empty text, not {describe(value)}",
                       "quote it if YAML reads it as something else", "wrong-type")
            return None
        return value.strip()

    def url(self, value: Any, key_path: KeyPath, what: str, code: str) -> str | None:
        text = self.text(value, key_path, what, required=False)
        if text is None:
            return None
        if not is_web_address(text):
            self.error(key_path, f"{what} must be an http or https address, not '{text}'",
                       "only web links reach the page; write the full address, e.g. https://example.org/story",
                       code)
            return None
        return text

    def moment(self, value: Any, key_path: KeyPath, what: str) -> Moment | None:
        hint = "write a date like 2024-03-25, or a time with its UTC offset like 2024-03-25T09:30:00+09:00"
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value.strip()) if "T" in value or " " in value.strip() \
                    else date.fromisoformat(value.strip())
            except ValueError:
                self.error(key_path, f"{what} is not a date: '{value}'", hint, "bad-date")
                return None
        if isinstance(value, datetime):
            if value.tzinfo is None:
                self.error(key_path, f"{what} has a time but no UTC offset", hint, "bad-date")
                return None
            moment = Moment(value, has_time=True)
        elif isinstance(value, date):
            moment = Moment.from_date(value)
        else:
            moment = None
        if moment is not None:
            if _in_calendar(moment.instant):
                return moment
            self.error(key_path, f"{what} is too close to the ends of the calendar: '{value}'",
                       "write a date between the years 2 and 9998", "bad-date")
            return None
        self.error(key_path, f"{what} is not a date: {describe(value)}", hint, "bad-date")
        return None

    def boolean(self, value: Any, key_path: KeyPath, what: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            self.error(key_path, f"{what} must be true or false, not {describe(value)}",
                       "write true or false, without quotes", "wrong-type")
            return False
        return value

    def id_list(self, value: Any, key_path: KeyPath, known: dict[str, Source]) -> tuple[str, ...]:
        """A list of source ids; unknown ones are reported and dropped."""
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.error(key_path, f"'sources' must be a list of source ids, not {describe(value)}",
                       "e.g. `sources: [forbes, reuters]`", "wrong-type")
            return ()
        ids: list[str] = []
        for index, item in enumerate(value):
            if str(item) in known:
                ids.append(str(item))
            elif str(item) not in self.broken_sources:
                self.unknown_source(str(item), key_path + (index,), known)
        return tuple(ids)

    def unknown_source(self, source_id: str, key_path: KeyPath, known: dict[str, Source]) -> None:
        self.error(key_path, f"unknown source '{source_id}'",
                   f"{did_you_mean(source_id, list(known), 'source ids')} "
                   "Cite the id of an entry under `sources:`.", "unknown-source")


def _in_calendar(instant: datetime) -> bool:
    """Whether a day either side of it, in UTC and in its own offset, is still a date Python can hold."""
    try:
        utc = instant.astimezone(timezone.utc)
    except OverflowError:
        return False
    return all(date(1, 1, 2) <= day <= date(9999, 12, 30) for day in (utc.date(), instant.date()))


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (date, datetime)):
        return f"the date {value.isoformat()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"'{value}'"

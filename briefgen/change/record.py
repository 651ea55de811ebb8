"""The record of the last written build: what it read, what it said, what it published.

`build` runs with a trace recording (trace.py) and leaves this record in the cache.
The next `build` first asks the record's trace whether every input it read is as it
was, with the same options, code and working folder, before `now` reaches a story's
date or expiry, and the output folder still as written: then there is nothing to do,
and the build reports the recorded diagnostics and no others. Anything else, and the
stages run (reusing the story store and the published pages whose keys still match).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from briefgen.change.cache import diagnostic_from_json, diagnostic_to_json, read_json, write_json
from briefgen.change.trace import Trace
from briefgen.core.diagnostics import Diagnostic, display_path
from briefgen.output.state import OutputState
from briefgen.output.writer import output_unchanged
from briefgen.core.model import HeldBack

RECORD_FILE = "last-build.json"


@dataclass(frozen=True)
class SearchPart:
    """One partition of the search index: the key of the story pages it was made from, and its files."""

    key: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class BuildRecord:
    """What a written build leaves for the next one to compare against."""

    trace: Trace  # every input it read, with its options as values
    valid_until: datetime | None  # when a story's date or expiry makes "now" publish differently
    output: str  # the output folder, resolved
    stories: int
    pages: int
    diagnostics: tuple[Diagnostic, ...]  # reported again, alone, when nothing changed
    written: OutputState  # what the writer left in the output folder and beside it
    render_keys: dict[str, str]  # each published page's file -> the key it was rendered for
    search: dict[str, SearchPart]  # each published partition of the search index, by name
    held_back: HeldBack  # the stories it left out, told again with its diagnostics
    valid_from: datetime | None = None  # the last story date or expiry at or before its "now" (--clock may go back)

    def still_holds(self, values: dict[str, str], now: datetime) -> bool:
        """Whether a build with these option values, now, would make exactly what this one made."""
        return ((self.valid_from is None or self.valid_from <= now) and (self.valid_until is None or now < self.valid_until)
                and self.trace.unchanged(values))

    def to_json(self) -> dict[str, Any]:
        return {"trace": self.trace.to_json(),
                "valid_until": self.valid_until.isoformat() if self.valid_until else None,
                "valid_from": self.valid_from.isoformat() if self.valid_from else None,
                "output": self.output, "stories": self.stories, "pages": self.pages,
                "diagnostics": [diagnostic_to_json(item) for item in self.diagnostics],
                "written": self.written.to_json(), "render_keys": self.render_keys,
                "search": {name: [part.key, list(part.files)] for name, part in self.search.items()},
                "held_back": [self.held_back.drafts, self.held_back.future,
                              self.held_back.next_date.isoformat() if self.held_back.next_date else None]}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> BuildRecord | None:
        """The record, or None for anything malformed."""
        try:
            valid_until, valid_from = value["valid_until"], value["valid_from"]
            written = OutputState.from_json(value["written"])
            drafts, future, next_date = value["held_back"]
            if written is None:
                return None
            return cls(Trace.from_json(value["trace"]),
                       datetime.fromisoformat(valid_until) if valid_until else None,
                       str(value["output"]), int(value["stories"]), int(value["pages"]),
                       tuple(diagnostic_from_json(item) for item in value["diagnostics"]), written,
                       {str(path): str(key) for path, key in value["render_keys"].items()},
                       {str(name): SearchPart(str(key), tuple(str(file) for file in files))
                        for name, (key, files) in value["search"].items()},
                       HeldBack(int(drafts), int(future), datetime.fromisoformat(next_date) if next_date else None),
                       datetime.fromisoformat(valid_from) if valid_from else None)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None


def last_build(cache_dir: Path, output_dir: Path, notes: list[str]) -> BuildRecord | None:
    """The record of the build now published in `output_dir`, if the cache has it and the files are as it says."""
    value = read_json(cache_dir / RECORD_FILE, notes)
    record = BuildRecord.from_json(value) if value is not None else None
    if record is None or record.output != str(output_dir.resolve()):
        return None
    return record if output_unchanged(output_dir, record.written) else None


def save_record(cache_dir: Path, record: BuildRecord, notes: list[str]) -> None:
    try:
        write_json(cache_dir, RECORD_FILE, record.to_json())
    except OSError as error:
        notes.append(f"the build record could not be saved in {display_path(cache_dir)}: {error.strerror}")


def option_values(**options: object) -> dict[str, str]:
    """The values a build's output depends on besides what it reads: its options and where it ran from
    (diagnostics recorded there show paths relative to it)."""
    return {"cwd": os.getcwd(), **{name: repr(value) for name, value in sorted(options.items())}}

"""The reader's language: built-in label sets, plural forms and dates, chosen by `language:`.

English is `Labels`' defaults (briefgen/settings/config.py); every other built-in set is a
YAML file in briefgen/locales/ named by its primary language subtag, holding every
label. `fr-CA` reads fr.yaml and formats dates as Babel's fr_CA does.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any

import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from markupsafe import Markup, escape

ENGLISH = "en"
LANGUAGES = ("de", "en", "es", "fr")  # every built-in set, by primary subtag
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def primary(language: str) -> str:
    """The primary subtag, lower case: "fr" for "fr-CA" or "FR_ca"."""
    return re.split(r"[-_]", language.strip(), maxsplit=1)[0].lower()


def known(language: str) -> bool:
    """Whether a built-in label set serves the language."""
    return primary(language) in LANGUAGES


@cache
def builtin_labels(language: str) -> dict[str, str]:
    """The built-in labels of the language, by key; empty for English (the defaults) and unknown languages."""
    code = primary(language)
    if code == ENGLISH or code not in LANGUAGES:
        return {}
    text = (files("briefgen") / "locales" / f"{code}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {str(key): str(value) for key, value in data.items()}


@cache
def locale(language: str) -> Locale:
    """The Babel locale for dates, country names and plural forms.

    Plain "en" is British English, so dates read "25 March 2024" (Babel's en is American:
    "March 25, 2024"); "en-US" stays American. A language with no built-in set is English,
    as its labels are; a region Babel does not know falls back to its language.
    """
    code = primary(language)
    if code not in LANGUAGES or language.strip().lower() == ENGLISH:
        return Locale.parse("en_GB")
    try:
        return Locale.parse(language.strip().replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse(code)


@lru_cache(maxsize=16384)  # Babel takes some 15 µs a date; a site's stories share their days
def long_date(day: date, language: str) -> str:
    """"25 March 2024", "25 mars 2024", "25. März 2024", "25 de marzo de 2024"; French writes the first of
    a month as an ordinal, "1er juin 2024", which CLDR's pattern does not."""
    shown = format_date(day, "long", locale=locale(language))
    if day.day == 1 and locale(language).language == "fr" and shown.startswith("1 "):
        shown = "1er" + shown[1:]
    return shown


def country_name(code: str, language: str) -> str | None:
    """An ISO 3166-1 alpha-2 code's country in the language: "Royaume-Uni" for GB in French."""
    name = locale(language).territories.get(code)
    return str(name) if name is not None else None


@lru_cache(maxsize=4096)  # every list page asks again for the same few counts
def plural_key(key: str, number: int, language: str) -> str:
    """`key_one` or `key_other`, by the language's plural rule for the number (only one/other are kept)."""
    return f"{key}_one" if locale(language).plural_form(number) == "one" else f"{key}_other"


def fill(text: str, **values: Any) -> str:
    """A label with its named placeholders ("{minutes} min read") filled; unknown ones stay as written."""
    return _PLACEHOLDER.sub(lambda found: str(values[found.group(1)]) if found.group(1) in values
                            else found.group(0), text)


def fill_markup(text: str, **values: Any) -> Markup:
    """`fill` for a page: the label is escaped, and each value too unless it is already markup."""
    if all(type(value) in (int, str) for value in values.values()):  # a card's "4 min read": asked for again
        return _filled_markup(text, tuple(values.items()))
    return _fill_markup(text, values)


@lru_cache(maxsize=4096)
def _filled_markup(text: str, values: tuple[tuple[str, int | str], ...]) -> Markup:
    return _fill_markup(text, dict(values))


def _fill_markup(text: str, values: dict[str, Any]) -> Markup:
    return Markup(_PLACEHOLDER.sub(lambda found: str(escape(values[found.group(1)])) if found.group(1) in values
                                   else found.group(0), str(escape(text))))

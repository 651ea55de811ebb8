"""The newsroom's registry of outlets: `outlets.yaml`, beside `briefgen.yaml`.

One entry per organisation that stories cite as a source or quote as a
narrative's provider: its name, address, kind and country, and one sentence about
who they are. A story's `outlet:` or `provider:` resolves to an entry by its id
or, ignoring case, by its name; anything else stays the free text it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from babel import Locale

from briefgen.change.trace import read_file
from briefgen.core.diagnostics import Diagnostics
from briefgen.core.frontmatter import load_mapping
from briefgen.settings.config import closest, did_you_mean

OUTLETS_FILE = "outlets.yaml"
OUTLET_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
# The kinds of outlet, in the order a source mix lists them; their words are labels (`outlet_<kind>_one`).
KINDS = ("wire", "newspaper", "magazine", "broadcaster", "online", "state-media", "government", "think-tank", "ngo",
         "other")
KEYS = ["name", "url", "kind", "country", "about"]
_ENGLISH = Locale("en")


@cache
def country_codes() -> frozenset[str]:
    """The two-letter codes of ISO 3166-1 a registry may name, as Babel (CLDR) knows them: loaded when
    first asked for, not by every build."""
    return frozenset(code for code in map(str, _ENGLISH.territories)
                     if len(code) == 2 and code.isalpha() and code.isupper())


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str
    url: str | None
    kind: str | None  # one of KINDS
    country: str | None  # ISO 3166-1 alpha-2, upper case
    about: str | None


@dataclass(frozen=True)
class Registry:
    outlets: tuple[Outlet, ...]  # in the file's order
    present: bool  # whether the site has an outlets.yaml at all

    def resolve(self, name: str) -> Outlet | None:
        """The entry a story's `outlet:` or `provider:` names, by id or by name ignoring case."""
        return self._by_key.get(name) or self._by_key.get(name.casefold())

    def suggestion(self, name: str) -> str:
        """A hint for a name that resolves to nothing."""
        return did_you_mean(name, [outlet.name for outlet in self.outlets], "outlets")

    def only(self, names: tuple[str, ...]) -> Registry:
        """The registry of the entries these names resolve to, in the file's order: it resolves each of
        them as this one does, and nothing else."""
        wanted = {outlet for name in names if (outlet := self.resolve(name)) is not None}
        return Registry(tuple(outlet for outlet in self.outlets if outlet in wanted), self.present)

    @cached_property
    def _by_key(self) -> dict[str, Outlet]:
        found = {outlet.name.casefold(): outlet for outlet in reversed(self.outlets)}  # the first of a name wins
        found.update({outlet.id: outlet for outlet in self.outlets})
        return found


NO_REGISTRY = Registry((), False)


def load_registry(site_dir: Path, diagnostics: Diagnostics) -> Registry:
    """Read `outlets.yaml` if the site has one, reporting every problem in it at its line."""
    path = site_dir / OUTLETS_FILE
    try:
        data = read_file(path)
        if data is None:
            return NO_REGISTRY
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        diagnostics.error(path, 1, f"cannot read the outlet registry: {error}",
                          "save outlets.yaml as UTF-8 text the build can read",
                          "not-utf8" if isinstance(error, UnicodeDecodeError) else "unreadable-file")
        return Registry((), True)
    if not text.strip():
        return Registry((), True)
    parsed = load_mapping(path, text, 1, "the outlet registry", diagnostics)
    if parsed is None:
        return Registry((), True)
    outlets: list[Outlet] = []
    for key, value in parsed.data.items():
        outlet = _outlet(path, str(key), value, parsed.line, diagnostics)
        if outlet is not None:
            outlets.append(outlet)
    return Registry(tuple(outlets), True)


def _outlet(path: Path, outlet_id: str, value: Any, line_of: Any, diagnostics: Diagnostics) -> Outlet | None:
    line = line_of(outlet_id)

    def error(key: str | None, message: str, hint: str, code: str) -> None:
        diagnostics.error(path, line_of(outlet_id, key) if key else line, message, hint, code)

    if not OUTLET_ID.match(outlet_id):
        error(None, f"the outlet id '{outlet_id}' may hold only a-z, 0-9 and '-'", "e.g. `japan-times:`", "bad-id")
        return None
    if not isinstance(value, dict):
        error(None, f"the outlet '{outlet_id}' must be a mapping with at least a name",
              f"e.g. `{outlet_id}: {{name: ..., kind: newspaper, country: JP}}`", "wrong-type")
        return None
    misspelt: set[str] = set()  # known keys an unknown one looks like: that one error is enough
    for key in value:
        if key not in KEYS:
            error(str(key), f"unknown key '{key}' in the outlet '{outlet_id}'", did_you_mean(str(key), KEYS),
                  "unknown-key")
            misspelt.add(closest(str(key), KEYS) or "")
    fields: dict[str, str | None] = {}
    for key in KEYS:
        item = value.get(key)
        if item is not None and (not isinstance(item, str) or not item.strip()):
            error(key, f"the outlet's '{key}' must be a non-empty text", "quote it if YAML reads it as something else",
                  "wrong-type")
            item = None
        fields[key] = item.strip() if isinstance(item, str) else None
    name, url, kind, country = fields["name"], fields["url"], fields["kind"], fields["country"]
    if name is None:
        if "name" not in value and "name" not in misspelt:  # else that was reported above
            error(None, f"the outlet '{outlet_id}' has no name", "add `name: ...`, the name readers know it by",
                  "missing-key")
        return None
    if url is not None and not url.startswith(("https://", "http://")):
        error("url", "the outlet's 'url' must be an http or https address", "e.g. `url: https://www.reuters.com/`",
              "non-http-url")
        url = None
    if kind is not None and kind not in KINDS:
        error("kind", f"unknown kind of outlet '{kind}'", did_you_mean(kind, list(KINDS), "kinds"), "unknown-value")
        kind = None
    if country is not None and country not in country_codes():
        error("country", f"'{country}' is not a country code",
              "use the two capital letters of ISO 3166-1, e.g. `country: JP`", "unknown-value")
        country = None
    return Outlet(outlet_id, name, url, kind, country, fields["about"])

"""Problems found during a build, collected as values rather than raised.

Every stage reports what it finds here, so a writer sees all the problems of a
build at once, each as ``path:line: severity: message`` with a hint, and a
stable code from CODES that tools and CI can rely on (`check --format json`).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


# Every code a diagnostic can carry, with what it flags: errors first, then warnings.
# Codes are stable: CI scripts match on them. The README lists them all (a test checks it).
CODES: dict[str, str] = {
    # errors: reading files
    "unreadable-file": "a file that cannot be read: gone, not readable by you, or no regular file (a named pipe, "
                       "a socket, a device)",
    "not-utf8": "a file that is not UTF-8 text",
    "file-too-large": "a story file, or a file to import, over 1 MiB",
    "not-utf8-name": "a file or folder in the site whose name is not UTF-8",
    "link-outside-site": "a symbolic link to a file outside the site's folder",
    "no-front-matter": "a story that is empty or does not start with front matter between '---' lines",
    "unclosed-front-matter": "front matter with no closing '---' line",
    # errors: YAML (front matter, briefgen.yaml, outlets.yaml)
    "yaml-syntax": "YAML that cannot be parsed: an indent that does not fit, a tab, an unquoted ': ', "
                   "an unclosed quote or bracket...",
    "yaml-bad-value": "a YAML value its tag cannot make, such as `!!int Tokyo`",
    "yaml-too-deep": "YAML that nests lists or mappings more than 64 levels deep",
    "duplicate-key": "a key written twice in one mapping (YAML would keep only the last)",
    # errors: keys and values
    "unknown-key": "a key briefgen does not know, often a misspelling (in front matter, briefgen.yaml, "
                   "outlets.yaml or `labels:`)",
    "missing-key": "a required key or value left out: `title`, `date`, `summary`, `facts`, a correction's "
                   "`date`, an outlet's `name`...",
    "wrong-type": "a value of the wrong kind: a list where a text goes, 'maybe' for true or false, "
                  "front matter that is not a mapping...",
    "bad-value": "a value of the right kind that cannot be used: a number below 1, more than 100 tags, "
                 "a tag with no letter or digit, a folder name of '.' or with a NUL, a story's `language` "
                 "that is no language tag...",
    "unknown-value": "a value that is not one of those allowed: `kind`, an outlet's `kind` or `country`, "
                     "the `theme`",
    "bad-date": "a date that is not a date, a time with no UTC offset, or a year too close to 1 or 9999",
    "bad-slug": "a slug, a file name used as one, or `follows:` that cannot name a page: too long, "
                "with a '/', or not usable in a URL",
    "bad-id": "a source or outlet id with characters other than a-z, 0-9 and '-'",
    "non-http-url": "`base_url`, an `image`, or a narrative's, author's or outlet's `url` that is not an http "
                    "or https address",
    "non-http-source-url": "a source's `url` that is not an http or https address",
    "updated-before-date": "`updated:` earlier than `date:`",
    "expires-before-date": "`expires:` not later than `date:`",
    "correction-before-date": "a correction dated before the story",
    # errors: sources and citations
    "unknown-source": "a citation (`sources: [id]` or `[^id]`) of no registered source or note",
    "duplicate-id": "a source id used twice, a note defined twice, or a note with a source's id",
    # errors: the site as a whole
    "no-content-folder": "no content/ folder where the site should be",
    "duplicate-slug": "two stories (or a story and a tag, outlet or site page) that would write the same page; "
                      "case is ignored",
    "static-collision": "a file in static/ that would take the place of a page briefgen makes",
    "unknown-follows": "`follows:` naming no story",
    "follows-cycle": "a story that follows itself, or stories whose `follows:` go round in a circle",
    "template-error": "a template that is missing, has a syntax error, or fails while rendering",
    "output-dir": "an output folder briefgen refuses to replace (the site's, your home, a writer's folder, "
                  "one it did not make) or whose name is too long",
    "write-failed": "the site could not be written (the disk full, a read-only folder, no permission): the "
                    "site published before stays",
    "changed-during-build": "a file that changed while the site was being built: build again",
    "search-index": "a search index that could not be built: Pagefind is missing or failed",
    "internal-error": "a bug in briefgen: `serve` reports a rebuild that crashed this way",
    # errors: `briefgen import`
    "import-empty": "an empty file to import",
    "import-unknown-style": "a file in neither house style (it has both or neither of 'Facts' and 'Topline')",
    "import-missing-title": "a briefing with no title line before its first heading",
    "import-missing-summary": "a Facts-style briefing with no summary between the title and 'Facts'",
    "import-missing-facts": "a 'Facts' section with no facts",
    "import-missing-sources": "a missing 'Sources:' line, or one that names no numbered outlets",
    "import-missing-section": "a Topline-style briefing without its 'Topline' or 'Key Facts' section",
    "import-not-an-item": "a line where a '- ' item (a fact or a narrative) is expected",
    "import-unexpected-text": "text where the house style has none: after 'Sources:', or between the title "
                              "and 'Topline'",
    "import-unknown-source-number": "a fact citing a source number the 'Sources:' line does not have",
    "import-bad-narrative": "a narrative not written as '<label>, as provided by <provider>. <text>'",
    "import-duplicate-section": "a section heading that appears twice",
    "import-empty-section": "a section heading with nothing under it",
    "import-slug": "`--slug` given for several stories",
    "import-clash": "two imported files that would be written to the same story",
    "import-exists": "a story of that name that already exists (without `--force`)",
    # errors: `briefgen new`
    "no-editions": "`briefgen edition` for a site without `editions: true`, or for a day without stories",
    "no-site": "`briefgen new` where there is no site: no briefgen.yaml, no content/ folder",
    "story-exists": "`briefgen new` with a title whose file name a story has already (without `--force`)",
    # warnings
    "default-base-url": "no `base_url`: feeds, the sitemap and canonical links would point at localhost",
    "not-a-story": "a file in content/ that is not `.md`",
    "local-requirement": "a site with netlify.toml whose requirements.txt installs briefgen from a folder on this "
                         "machine, which Netlify cannot reach",
    "scaffold-placeholder": "text `briefgen new` wrote for the writer to replace, still there",
    "uncited-source": "a registered source nothing cites",
    "uncited-note": "a note `[^label]: ...` the text never cites, so it is not shown",
    "fact-without-source": "a fact that cites no source",
    "narrative-without-provider": "a narrative with no `provider:`",
    "no-narratives": "a news story that tells no narrative (opinion and analysis need none)",
    "single-narrative": "one narrative only, or all narratives from one provider",
    "no-contra": "a story with no counter-view",
    "long-summary": "a summary longer than a feed card shows (about 200 characters)",
    "unknown-outlet": "with an `outlets.yaml`, a source's outlet or a narrative's provider it does not know",
    "unknown-story-link": "a link to `/<slug>/` that no story has",
    "large-edition": "an edition's email over 100 KB, which Gmail clips",
    "broken-link": "with `check --links`, a web address a story links to that does not answer 2xx",
    "similar-tags": "tags that differ only by case, punctuation or plural (`North Korea` / `north-korea` / "
                    "`North Koreas`)",
    "unknown-language": "a `language:` with no built-in labels: pages show English words",
}


WARNING_CODES = frozenset(list(CODES)[list(CODES).index("default-base-url"):])  # the "warnings" block above


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # as the stage had it: absolute in a build, so a kept diagnostic holds wherever briefgen runs
    line: int
    severity: Severity
    message: str
    hint: str = ""
    code: str = ""  # one of CODES, stable for tools and CI (e.g. "uncited-source"); not part of format()

    @property
    def shown_path(self) -> str:
        """The path as the writer knows it, from where they are (see display_path)."""
        return display_path(self.path)

    def format(self) -> str:
        where = f"{self.shown_path}:{self.line}" if self.line else self.shown_path
        text = f"{where}: {self.severity.value}: {self.message}".translate(_ESCAPED)
        if self.hint:
            text += f"\n  hint: {self.hint.translate(_ESCAPED)}"
        return text


# Control characters a file name or a quoted value may hold (a newline, a terminal's escape), shown as
# `\n` or `\x1b`: a problem stays one `path:line: message` line, and cannot work the writer's terminal.
_ESCAPED = {code: repr(chr(code))[1:-1] for code in (*range(0x20), 0x7F)}


def display_path(path: Path | str) -> str:
    """A path as the writer knows it: relative to where they are, when it is below; bytes of a
    name that are not UTF-8 shown as `\\xff`, so the path can always be printed."""
    relative = os.path.relpath(path)
    shown = str(path) if relative.startswith("..") else relative
    return shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@dataclass
class Diagnostics:
    """An append-only collection of problems."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: Path | str, line: int, message: str, hint: str, code: str) -> None:
        self.items.append(Diagnostic(os.fspath(path), line, Severity.ERROR, message, hint,
                                     _known(code, CODES.keys() - WARNING_CODES)))

    def warning(self, path: Path | str, line: int, message: str, hint: str, code: str) -> None:
        self.items.append(Diagnostic(os.fspath(path), line, Severity.WARNING, message, hint,
                                     _known(code, WARNING_CODES)))

    def drop_warnings(self, codes: Iterable[str]) -> None:
        """Forget the warnings of these codes (a site's `ignore_warnings`); errors always stay."""
        ignored = set(codes)
        if ignored:
            self.items = [d for d in self.items if d.severity is Severity.ERROR or d.code not in ignored]

    def extend(self, other: Diagnostics | list[Diagnostic]) -> None:
        self.items.extend(other.items if isinstance(other, Diagnostics) else other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        """Unique problems, by file as shown and line, so output is stable; one problem reached by two
        spellings of its path (`content/a.md`, `/site/content/a.md`) is one."""
        unique = {(item.shown_path, *_after_path(item)): item for item in self.items}
        return [unique[key] for key in sorted(unique)]


def plural(count: int, one: str, many: str = "") -> str:
    """`1 story`, `2 stories`: a count with its noun."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def tally(items: Iterable[Diagnostic]) -> str:
    """`1 error, 3 warnings`: how many problems of each kind."""
    severities = [item.severity for item in items]
    return (f"{plural(severities.count(Severity.ERROR), 'error')}, "
            f"{plural(severities.count(Severity.WARNING), 'warning')}")


def _after_path(item: Diagnostic) -> tuple[int, Severity, str, str, str]:
    return item.line, item.severity, item.message, item.hint, item.code


def _known(code: str, kind: Collection[str]) -> str:
    if code not in kind:
        raise ValueError(f"unknown diagnostic code {code!r} for this severity: "
                         "see CODES in briefgen/core/diagnostics.py")
    return code

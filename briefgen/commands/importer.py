"""`briefgen import`: plain-text briefings in the two house styles, as story files.

The two styles (see seeds/):

- *Facts style*: a title line, a summary line, "Facts" with one "- " item per
  fact ending in source numbers ("...North Korea.1"), a "Sources:" line mapping
  numbers to outlets ("Sources: 1Forbes, 2Reuters.com and 3The Japan Times."),
  and "Narratives" with items "<label>, as provided by <provider>. <text>".
- *Topline style*: a title line, "Topline", "Key Facts" (one fact per line),
  "Key Background", "Contra", other headed sections (questions such as "What
  Happens Next?"), and a credit line "This article was written by <author>
  from <outlet> ...". The piece itself becomes the source its parts cite.

Every sentence is kept. Several files of one story can be merged into one
story file (`--merge`). Nothing is written when any file has a problem, and an
existing story is replaced only when asked (`--force`).
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


from briefgen.commands.import_story import (Briefing, Cited, ImportedNarrative, ImportedSource, Line, Section, merge,
                                            story_file_text, unique)
from briefgen.core.diagnostics import Diagnostics, display_path
from briefgen.core.slug import slug_problem, slugify
from briefgen.story.content import decode, read_bytes

FACT_REFS = re.compile(r"^(?P<text>.*?[.!?\"”’')\]])(?P<refs>\d+(?:\s*,\s*\d+)*)$")
SOURCE_ENTRY = re.compile(r"(\d+)\s*(.+?)\s*(?=,\s*\d|\s+and\s+\d|$)")
NARRATIVE = re.compile(r"^(?P<label>.+?),\s+as provided by\s+(?P<provider>.+?)\.\s+(?P<text>\S.*)$")
CREDIT = re.compile(r"^this article was written by\s+(?P<author>.+?)\s+from\s+(?P<outlet>.+?)"
                    r"(?:\s+and\s|[.,]\s|\.?$)", re.IGNORECASE)
BULLET = re.compile(r"^[-•*]\s+")
DOMAIN_SUFFIX = re.compile(r"\.(com|org|net|co\.uk|co|io)$", re.IGNORECASE)
# Topline-style section headings other than question headings; all but these three are body sections.
TOPLINE, KEY_FACTS, CONTRA = "topline", "key facts", "contra"
HEADINGS = {TOPLINE, KEY_FACTS, CONTRA, "key background", "tangent", "big number", "surprising fact",
            "crucial quote", "key quote", "chief critic", "news peg", "what to watch for",
            "what we don't know", "further reading"}
SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "vs"}

FACTS_STYLE_HINT = ("expected a title line, a summary line, 'Facts' with '- ' items ending in source "
                    "numbers, a 'Sources:' line and 'Narratives' (the Facts style); or a title line, "
                    "'Topline', 'Key Facts', 'Key Background' and 'Contra' (the Topline style)")


# Reading ---------------------------------------------------------------------------------------


def read_briefing(path: Path, diagnostics: Diagnostics) -> Briefing | None:
    data = read_bytes(path, diagnostics)
    text = decode(path, data, diagnostics) if data is not None else None
    return None if text is None else parse_briefing(path, text, diagnostics)


def parse_briefing(path: Path, text: str, diagnostics: Diagnostics) -> Briefing | None:
    """Tell the house style by its headings, then read the briefing in that style."""
    lines = [Line(number, raw.strip()) for number, raw in enumerate(text.splitlines(), start=1) if raw.strip()]
    if not lines:
        diagnostics.error(path, 1, "the file is empty", FACTS_STYLE_HINT, "import-empty")
        return None
    facts_at = _heading_index(lines, "facts")
    topline_at = _heading_index(lines, TOPLINE)
    if facts_at is not None and topline_at is None:
        return _FactsStyle(path, lines, diagnostics).read(facts_at)
    if topline_at is not None and facts_at is None:
        return _ToplineStyle(path, lines, diagnostics).read(topline_at)
    found = "both a 'Facts' and a 'Topline' heading" if facts_at is not None else "neither a 'Facts' nor a " \
        "'Topline' heading"
    diagnostics.error(path, 1, f"this is not a briefing in either house style: it has {found}",
                      FACTS_STYLE_HINT, "import-unknown-style")
    return None


def _heading_name(text: str) -> str:
    return text.rstrip(":").strip().casefold()


def _heading_index(lines: list[Line], name: str) -> int | None:
    return next((index for index, line in enumerate(lines) if _heading_name(line.text) == name), None)


class _Style:
    def __init__(self, path: Path, lines: list[Line], diagnostics: Diagnostics) -> None:
        self.path = path
        self.lines = lines
        self.diagnostics = diagnostics
        self.ok = True

    def error(self, line: int, message: str, hint: str, code: str) -> None:
        self.ok = False
        self.diagnostics.error(self.path, line, message, hint, code)

    def title_before(self, index: int, heading: str) -> str | None:
        if index == 0:
            self.error(self.lines[0].number, f"there is no title: the file starts with '{heading}'",
                       f"put the story's headline on the first line, before '{heading}'", "import-missing-title")
            return None
        return self.lines[0].text


class _FactsStyle(_Style):
    """Title, summary, Facts, Sources:, Narratives."""

    def read(self, facts_at: int) -> Briefing | None:
        title = self.title_before(facts_at, "Facts")
        summary = " ".join(line.text for line in self.lines[1:facts_at])
        if title is not None and not summary:
            self.error(self.lines[facts_at].number, "there is no summary between the title and 'Facts'",
                       "put the one-paragraph summary on the line after the title", "import-missing-summary")
        sources_at = next((i for i, line in enumerate(self.lines) if line.text.casefold().startswith("sources:")),
                          None)
        narratives_at = _heading_index(self.lines, "narratives")
        facts_end = min(i for i in (sources_at, narratives_at, len(self.lines)) if i is not None and i > facts_at)
        fact_items = self.items(facts_at + 1, facts_end, "fact")
        if not fact_items:
            self.error(self.lines[facts_at].number, "the 'Facts' section has no facts",
                       "list each fact on a line of its own, starting with '- '", "import-missing-facts")
        numbered = self.sources(sources_at, self.lines[facts_end - 1].number + 1)
        facts = tuple(self.fact(item, numbered) for item in fact_items) if numbered is not None else ()
        narratives = self.narratives(narratives_at, sources_at)
        self.nothing_after_sources(sources_at, narratives_at)
        if not self.ok or title is None or numbered is None:
            return None
        return Briefing(self.path, title, summary, sources=tuple(numbered.values()), facts=facts,
                        narratives=narratives)

    def items(self, start: int, end: int, what: str) -> list[Line]:
        """'- ' items; a line without a bullet continues the item before it."""
        items: list[Line] = []
        for line in self.lines[start:end]:
            if BULLET.match(line.text):
                items.append(Line(line.number, BULLET.sub("", line.text)))
            elif items:
                items[-1] = Line(items[-1].number, f"{items[-1].text} {line.text}")
            else:
                self.error(line.number, f"expected a {what} starting with '- '",
                           f"start each {what} with '- ' on a line of its own", "import-not-an-item")
        return items

    def sources(self, sources_at: int | None, expected_line: int) -> dict[int, ImportedSource] | None:
        """The 'Sources:' line, as source number -> source."""
        if sources_at is None:
            self.error(expected_line, "the 'Sources:' line is missing",
                       "after the facts, say which outlet each number stands for, e.g. "
                       "'Sources: 1Forbes, 2Reuters.com and 3The Japan Times.'", "import-missing-sources")
            return None
        line = self.lines[sources_at]
        entries = SOURCE_ENTRY.findall(line.text.split(":", 1)[1].strip().removesuffix("."))
        if not entries:
            self.error(line.number, "the 'Sources:' line names no numbered outlets",
                       "write each as its number then its name, e.g. 'Sources: 1Forbes and 2Reuters.com.'",
                       "import-missing-sources")
            return None
        taken: set[str] = set()
        numbered: dict[int, ImportedSource] = {}
        for number, outlet in entries:
            source_id = unique(outlet_id(outlet), taken)
            numbered[int(number)] = ImportedSource(source_id, outlet)
        return numbered

    def nothing_after_sources(self, sources_at: int | None, narratives_at: int | None) -> None:
        """The 'Sources:' line ends the facts; only 'Narratives' may follow it."""
        if sources_at is None or (narratives_at is not None and narratives_at < sources_at):
            return
        end = narratives_at if narratives_at is not None else len(self.lines)
        for line in self.lines[sources_at + 1:end]:
            self.error(line.number, "expected 'Narratives' or the end of the file after the 'Sources:' line",
                       "facts go above the 'Sources:' line, each starting with '- '", "import-unexpected-text")

    def fact(self, item: Line, numbered: dict[int, ImportedSource]) -> Cited:
        match = FACT_REFS.match(item.text)
        if match is None:
            return Cited(item.text)
        ids: list[str] = []
        for number in self.ref_numbers(match["refs"], numbered):
            if number in numbered:
                ids.append(numbered[number].id)
            else:
                known = ", ".join(str(n) for n in numbered)
                self.error(item.number, f"the fact cites source {number}, but the 'Sources:' line has no "
                           f"outlet numbered {number}",
                           f"the 'Sources:' line names outlets {known}; add outlet {number} to it, or fix "
                           "the fact's number", "import-unknown-source-number")
        return Cited(match["text"], tuple(dict.fromkeys(ids)))

    @staticmethod
    def ref_numbers(refs: str, known: Container[int]) -> list[int]:
        """'1', '1,3' or '13': run-together digits are read as one number each when that one is unknown."""
        numbers: list[int] = []
        for part in refs.split(","):
            digits = part.strip()
            if int(digits) not in known and len(digits) > 1 and all(int(d) in known for d in digits):
                numbers.extend(int(d) for d in digits)
            else:
                numbers.append(int(digits))
        return numbers

    def narratives(self, narratives_at: int | None, sources_at: int | None) -> tuple[ImportedNarrative, ...]:
        if narratives_at is None:
            return ()
        narratives: list[ImportedNarrative] = []
        end = sources_at if sources_at is not None and sources_at > narratives_at else len(self.lines)
        for item in self.items(narratives_at + 1, end, "narrative"):
            match = NARRATIVE.match(item.text)
            if match is None:
                self.error(item.number, "expected a narrative as '<label>, as provided by <provider>. <text>'",
                           "e.g. '- Pro-China narrative, as provided by Global Times. The US and Japan ...'",
                           "import-bad-narrative")
                continue
            narratives.append(ImportedNarrative(match["label"], match["provider"], match["text"]))
        return tuple(narratives)


@dataclass
class _Block:
    """A headed section of a Topline-style briefing: its heading line and the lines below it."""

    heading: Line
    lines: list[Line] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.heading.text.rstrip(":")

    def cited(self, sources: tuple[str, ...]) -> tuple[Cited, ...]:
        return tuple(Cited(BULLET.sub("", line.text), sources) for line in self.lines)


class _ToplineStyle(_Style):
    """Title, Topline, Key Facts, Key Background, Contra, question sections, credit line."""

    def read(self, topline_at: int) -> Briefing | None:
        title = self.title_before(topline_at, "Topline")
        if title is not None and topline_at > 1:
            self.error(self.lines[1].number, "expected 'Topline' on the line after the title",
                       "the Topline style starts with the title, then 'Topline' and its paragraphs",
                       "import-unexpected-text")
        credit_line = self.lines[-1] if CREDIT.match(self.lines[-1].text) else None
        blocks = self.blocks(topline_at, len(self.lines) - (1 if credit_line else 0))
        source = _credit_source(credit_line.text, title or "") if credit_line else None
        cite = (source.id,) if source else ()
        summary, facts, contra = (blocks.pop(name, None) for name in (TOPLINE, KEY_FACTS, CONTRA))
        self.require(summary, "Topline", "the one- or two-paragraph lede, under 'Topline'")
        self.require(facts, "Key Facts", "one fact per line, under 'Key Facts'")
        if not self.ok or title is None or summary is None or facts is None:
            return None
        return Briefing(
            self.path, title, " ".join(line.text for line in summary.lines),
            authors=(source.author,) if source and source.author else (), sources=(source,) if source else (),
            facts=facts.cited(cite),
            contra=Cited("\n\n".join(line.text for line in contra.lines), cite) if contra else None,
            sections=tuple(Section(block.name, block.cited(cite)) for block in blocks.values()),
            credit=credit_line.text if credit_line else None,
        )

    def blocks(self, start: int, end: int) -> dict[str, _Block]:
        """The headed sections by heading name, in file order."""
        blocks: dict[str, _Block] = {}
        for line in self.lines[start:end]:
            if is_heading(line.text):
                name = _heading_name(line.text)
                if name in blocks:
                    self.error(line.number, f"the section '{line.text}' appears twice",
                               "merge the two into one section", "import-duplicate-section")
                blocks[name] = _Block(line)
            else:
                blocks[list(blocks)[-1]].lines.append(line)
        for block in blocks.values():
            if not block.lines:
                self.error(block.heading.number, f"the '{block.name}' section is empty",
                           "write its text on the lines below the heading", "import-empty-section")
        return blocks

    def require(self, block: _Block | None, heading: str, what: str) -> None:
        if block is None:
            self.error(self.lines[-1].number, f"the '{heading}' section is missing", f"expected {what}",
                       "import-missing-section")


def is_heading(text: str) -> bool:
    """A known section name, or a short title-case question such as 'What Happens Next?'."""
    if _heading_name(text) in HEADINGS:
        return True
    words = text.split()
    return (text.endswith("?") and len(words) <= 16
            and all(word[0].isupper() or word.casefold() in SMALL_WORDS for word in words if word[0].isalpha()))


def _credit_source(credit: str, title: str) -> ImportedSource | None:
    match = CREDIT.match(credit)
    if match is None:
        return None
    author, outlet = match["author"], match["outlet"]
    return ImportedSource(f"{outlet_id(outlet)}-{slugify(author.split()[-1])}", outlet, title, author)


def outlet_id(outlet: str) -> str:
    """A short source id: 'The Japan Times' -> 'japan-times', 'Reuters.com' -> 'reuters'."""
    name = DOMAIN_SUFFIX.sub("", re.sub(r"^the\s+", "", outlet.strip(), flags=re.IGNORECASE))
    return slugify(name) or "source"


# The command ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRequest:
    files: tuple[Path, ...]
    out_dir: Path
    day: date
    merge: bool = False
    slug: str | None = None
    force: bool = False


def import_briefings(request: ImportRequest, diagnostics: Diagnostics) -> list[Path]:
    """Read every file, then write every story, or nothing at all if anything is wrong."""
    briefings = [b for path in request.files if (b := read_briefing(path, diagnostics)) is not None]
    if diagnostics.errors:
        return []
    stories = [merge(briefings)] if request.merge else briefings
    if request.slug is not None and len(stories) > 1:
        diagnostics.error(request.files[1], 0, "--slug names one story, but these files make several",
                          "merge them into one story with --merge, or import them one at a time", "import-slug")
        return []
    if request.slug is not None and (problem := slug_problem(request.slug, "--slug")) is not None:
        message, hint = problem  # a slug is never a path: nothing lands outside -o
        diagnostics.error(request.files[0], 0, message, hint, "bad-slug")
        return []
    targets = [(request.out_dir / f"{request.slug or slugify(story.title) or 'story'}.md", story)
               for story in stories]
    _check_targets([path for path, _ in targets], request.force, diagnostics)
    if diagnostics.errors:
        return []
    request.out_dir.mkdir(parents=True, exist_ok=True)
    for path, story in targets:
        path.write_text(story_file_text(story, request.day), encoding="utf-8")
    return [path for path, _ in targets]


def _check_targets(paths: list[Path], force: bool, diagnostics: Diagnostics) -> None:
    seen: set[Path] = set()
    for path in paths:
        if path in seen:
            diagnostics.error(path, 0, f"two of the files would both be written to {display_path(path)}",
                              "import them one at a time with --slug, or merge them with --merge", "import-clash")
        elif path.exists() and not force:
            diagnostics.error(path, 0, "a story with this name already exists",
                              "import with --force to replace it, or choose another name with --slug",
                              "import-exists")
        seen.add(path)


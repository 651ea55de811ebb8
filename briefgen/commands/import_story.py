"""A briefing read from plain text, and the story file it becomes.

`Briefing` is what importer.py reads from either house style; `merge` makes one
briefing of several tellings of a story (every sentence kept, one source per cited
article); `story_file_text` writes it as front matter and a Markdown body that
briefgen reads back as the same briefing.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

ELLIPSIS = re.compile(r"(\.\.\.+|…)$")  # a line cut short: "…" or "..."


@dataclass(frozen=True)
class Line:
    number: int  # in the file, from 1
    text: str


@dataclass(frozen=True)
class ImportedSource:
    id: str
    outlet: str
    title: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class Cited:
    """A piece of text and the ids of the sources it comes from."""

    text: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportedNarrative:
    label: str
    provider: str
    text: str


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[Cited, ...]


@dataclass(frozen=True)
class Briefing:
    """One story's parts as read from plain text, before they are written as a story file."""

    path: Path
    title: str
    summary: str
    authors: tuple[str, ...] = ()
    sources: tuple[ImportedSource, ...] = ()
    facts: tuple[Cited, ...] = ()
    narratives: tuple[ImportedNarrative, ...] = ()
    contra: Cited | None = None
    sections: tuple[Section, ...] = ()
    credit: str | None = None
    lead: tuple[str, ...] = ()  # paragraphs before the first section (from merging)


def merge(briefings: list[Briefing]) -> Briefing:
    """One story from several tellings of it, in the order given; nothing is dropped.

    The first title leads; the other titles survive as the titles of the pieces
    they head (their source). The summary is the first one that is not cut short
    with an ellipsis; a cut-short summary whose words the story already has (as
    the Facts style's summary repeats its first fact) is dropped as a duplicate.
    Anything else that would be lost opens the text.
    """
    first, taken = briefings[0], set[str]()
    merged = replace(first, sources=(), facts=(), narratives=(), sections=(), authors=(), contra=None, credit=None)
    for briefing in briefings:
        briefing = _renamed_sources(briefing, taken)
        merged, briefing = _one_source_per_article(merged, briefing)
        merged = replace(
            merged,
            sources=merged.sources + briefing.sources, facts=merged.facts + briefing.facts,
            narratives=merged.narratives + briefing.narratives, sections=merged.sections + briefing.sections,
            contra=_joined_contra(merged.contra, briefing.contra),
            credit=" ".join(c for c in (merged.credit, briefing.credit) if c) or None,
            lead=merged.lead + briefing.lead)
    summary = next((b.summary for b in briefings if not ELLIPSIS.search(b.summary)), first.summary)
    # A byline is for the whole story: only an author every telling credits (the credit names the rest).
    authors = tuple(a for a in first.authors if all(a in b.authors for b in briefings))
    merged = replace(merged, summary=summary, authors=authors)
    leftovers = [b.summary for b in briefings if b.summary != summary and not _told(merged, b.summary)]
    leftovers += [b.title for b in briefings[1:] if not _told(merged, b.title)]
    return replace(merged, lead=tuple(leftovers) + merged.lead)


def _one_source_per_article(merged: Briefing, briefing: Briefing) -> tuple[Briefing, Briefing]:
    """A telling that cites an outlet by name only ("1Forbes") and one credited to a piece of that outlet
    tell of the same article: the bare source takes the piece's title and author, and stands for both."""
    folded: dict[str, str] = {}
    sources = list(merged.sources)
    for source in briefing.sources:
        bare = next((index for index, known in enumerate(sources) if known.outlet.casefold() == source.outlet.casefold()
                     and known.title is None and known.author is None), None)
        if bare is not None and (source.title or source.author):
            sources[bare] = replace(sources[bare], title=source.title, author=source.author)
            folded[source.id] = sources[bare].id
    if not folded:
        return merged, briefing
    return replace(merged, sources=tuple(sources)), _cited_as(
        replace(briefing, sources=tuple(s for s in briefing.sources if s.id not in folded)), folded)


def _renamed_sources(briefing: Briefing, taken: set[str]) -> Briefing:
    """Give sources ids no earlier briefing used, and cite them by their new ids."""
    renames = {source.id: unique(source.id, taken) for source in briefing.sources}
    return _cited_as(replace(briefing, sources=tuple(replace(s, id=renames[s.id]) for s in briefing.sources)),
                     renames)


def _cited_as(briefing: Briefing, renames: dict[str, str]) -> Briefing:
    """The briefing with its citations of the ids in `renames` changed to their new ids."""
    def cited(item: Cited) -> Cited:
        return Cited(item.text, tuple(dict.fromkeys(renames.get(i, i) for i in item.sources)))
    return replace(
        briefing, facts=tuple(cited(f) for f in briefing.facts),
        contra=cited(briefing.contra) if briefing.contra else None,
        sections=tuple(Section(s.heading, tuple(cited(p) for p in s.paragraphs)) for s in briefing.sections))


def _joined_contra(first: Cited | None, second: Cited | None) -> Cited | None:
    if first is None or second is None:
        return first or second
    return Cited(f"{first.text}\n\n{second.text}", tuple(dict.fromkeys(first.sources + second.sources)))


def _told(story: Briefing, text: str) -> bool:
    """Whether the story already has these words (an ellipsis aside), as a title or in its text."""
    words = _words(ELLIPSIS.sub("", text))
    texts = [story.title, story.summary, *(s.title or "" for s in story.sources), *(f.text for f in story.facts),
             *(n.text for n in story.narratives), story.contra.text if story.contra else "",
             *(p.text for s in story.sections for p in s.paragraphs)]
    return any(words in _words(t) for t in texts)


def _words(text: str) -> str:
    return " ".join(text.split())


class _StoryDumper(yaml.SafeDumper):
    """Lists indented under their key, as writers write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=">" if len(text) > 72 else None)


def _represent_list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items,
                                     flow_style=all(isinstance(item, str) for item in items))


_StoryDumper.add_representer(str, _represent_text)
_StoryDumper.add_representer(list, _represent_list)

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<])")
BLOCK_START = re.compile(r"^(#|>|[-+*]\s|\d+[.)]\s)")


def markdown_text(text: str) -> str:
    """Plain text as Markdown that shows exactly that text."""
    escaped = MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return "\\" + escaped if BLOCK_START.match(escaped) else escaped


def story_file_text(briefing: Briefing, day: date) -> str:
    """The story file: front matter in the briefing model's key order, then the Markdown body."""
    front: dict[str, Any] = {"title": briefing.title, "date": day, "summary": markdown_text(briefing.summary)}
    if briefing.authors:
        front["authors"] = list(briefing.authors)
    if briefing.sources:
        front["sources"] = [{key: value for key, value in asdict(source).items() if value is not None}
                            for source in briefing.sources]
    front["facts"] = [_cited_item(fact) for fact in briefing.facts]
    if briefing.narratives:
        front["narratives"] = [{"label": n.label, "provider": n.provider, "text": markdown_text(n.text)}
                               for n in briefing.narratives]
    if briefing.contra:
        front["contra"] = _cited_item(briefing.contra, paragraphs=True)
    if briefing.credit:
        front["credit"] = briefing.credit
    header = yaml.dump(front, Dumper=_StoryDumper, allow_unicode=True, sort_keys=False, width=80)
    return f"---\n{header}---\n{_body(briefing)}"


def _cited_item(item: Cited, paragraphs: bool = False) -> dict[str, Any]:
    text = "\n\n".join(markdown_text(p) for p in item.text.split("\n\n")) if paragraphs else markdown_text(item.text)
    return {"text": text, "sources": list(item.sources)} if item.sources else {"text": text}


def _body(briefing: Briefing) -> str:
    blocks = [markdown_text(text) for text in briefing.lead]
    for section in briefing.sections:
        blocks.append(f"## {markdown_text(section.heading)}")
        blocks += [markdown_text(p.text) + "".join(f"[^{i}]" for i in p.sources) for p in section.paragraphs]
    return "".join(f"{block}\n\n" for block in blocks).removesuffix("\n")


def unique(candidate: str, taken: set[str]) -> str:
    name, number = candidate, 1
    while name in taken:
        number += 1
        name = f"{candidate}-{number}"
    taken.add(name)
    return name

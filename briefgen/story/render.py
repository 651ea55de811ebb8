"""Render one story's Markdown: Story in, RenderedStory out.

Every part is parsed first (so a fact may cite a note the body defines), the
citations are checked against the registry, and then the parts are rendered in
page order, so citation numbers and back-links follow the order a reader meets
them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefgen.core.diagnostics import Diagnostics
from briefgen.core.model import Source, Story
from briefgen.settings.config import Labels, did_you_mean
from briefgen.story.markdown import (ENV_KEY, Backref, Citations, Fragment, fragment_refs, fragment_text,
                                     parse_fragment, plain_text, render_fragment)

WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class CitedSource:
    source: Source
    number: int
    backrefs: tuple[Backref, ...]


@dataclass(frozen=True)
class Note:
    label: str
    number: int
    html: str
    backrefs: tuple[Backref, ...]


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass(frozen=True)
class RenderedStory:
    story: Story
    summary_html: str
    summary_text: str  # for meta descriptions and feeds
    facts_html: tuple[str, ...]
    facts_sources: tuple[tuple[str, ...], ...]  # the ids of the registered sources each fact cites
    corrections_html: tuple[str, ...]  # inline, oldest first
    narratives_html: tuple[str, ...]
    contra_html: str | None
    body_html: str
    sources: tuple[CitedSource, ...]
    notes: tuple[Note, ...]
    headings: tuple[Heading, ...]
    word_count: int
    links: tuple[tuple[str, int], ...] = ()  # each link's address and file line, for the site-wide checks


@dataclass(frozen=True)
class _Part:
    section: str
    fragment: Fragment
    line: int  # the file line the part's text starts on
    lines_exact: bool  # whether token line offsets map onto file lines (body only)


def render_story(md: MarkdownIt, story: Story, labels: Labels,
                 diagnostics: Diagnostics) -> RenderedStory | None:
    citations = Citations(story.sources, source_name=labels.cite_source, note_name=labels.cite_note)
    env = {ENV_KEY: citations}

    def parse(section: str, text: str, line: int, inline: bool = False, exact: bool = False) -> _Part:
        return _Part(section, parse_fragment(md, text, env, inline), line, exact)

    corrections = [parse(labels.corrections, correction.text, correction.line, inline=True)
                   for correction in story.corrections]
    summary = parse(labels.summary or labels.summary_section, story.summary, story.lines.get("summary", 1),
                    inline=True)
    facts = [parse(labels.facts, _with_trailing_refs(fact.text, fact.sources), fact.line, inline=True)
             for fact in story.facts]
    narratives = [parse(f"{labels.narratives}: {n.label}", n.text, n.line) for n in story.narratives]
    contra = (parse(labels.contra, _with_trailing_refs(story.contra.text, story.contra.sources),
                    story.contra.line) if story.contra else None)
    body = parse(labels.body_section, story.body, story.body_line, exact=True)
    parts = [*corrections, summary, *facts, *narratives, *([contra] if contra else []), body]

    errors_before = len(diagnostics.errors)
    _check_citations(story, citations, parts, diagnostics)
    if len(diagnostics.errors) > errors_before:
        return None

    def render(part: _Part) -> str:
        citations.section = part.section
        return render_fragment(md, part.fragment, env)

    # Rendering order is page order: it decides citation anchors and back-link order.
    corrections_html = tuple(render(part) for part in corrections)
    summary_html = render(summary)
    facts_html = tuple(render(part) for part in facts)
    narratives_html = tuple(render(part) for part in narratives)
    contra_html = render(contra) if contra else None
    body_html = render(body)
    notes = _render_notes(md, citations, env, labels.notes)
    sources = tuple(CitedSource(source, number, tuple(citations.backrefs.get(source.id, ())))
                    for number, source in enumerate(story.sources, start=1))
    _warn_uncited(story, sources, diagnostics)
    return RenderedStory(story, summary_html, fragment_text(summary.fragment), facts_html,
                         tuple(_cited_sources(story, part) for part in facts), corrections_html, narratives_html,
                         contra_html, body_html, sources, notes, _headings(body.fragment), _count_words(story),
                         tuple(_links(parts)))


def _links(parts: list[_Part]) -> Iterator[tuple[str, int]]:
    """Every link's address in the parts, with the file line it stands on."""
    for part in parts:
        for token in part.fragment.tokens or []:
            for child in token.children or []:
                href = child.attrGet("href") if child.type == "link_open" else None
                if isinstance(href, str):
                    yield href, part.line + (_line_in(token, href) if part.lines_exact else 0)


def _line_in(token: Token, href: str) -> int:
    """The line of a block below its start where `href` is written."""
    start = (token.map or [0])[0]
    at = token.content.find(href)
    return start + token.content.count("\n", 0, max(at, 0))


def _cited_sources(story: Story, part: _Part) -> tuple[str, ...]:
    """The ids of the registered sources a part cites, each once, in order (notes left out)."""
    source_ids = {source.id for source in story.sources}
    return tuple(dict.fromkeys(label for label, _ in fragment_refs(part.fragment) if label in source_ids))


def _warn_uncited(story: Story, sources: tuple[CitedSource, ...], diagnostics: Diagnostics) -> None:
    for cited in sources:
        if not cited.backrefs:
            diagnostics.warning(story.path, cited.source.line, f"the source '{cited.source.id}' is never cited",
                                f"cite it with [^{cited.source.id}] or list it under a fact's `sources:`; "
                                "it is still listed on the page", "uncited-source")


def _with_trailing_refs(text: str, source_ids: tuple[str, ...]) -> str:
    """A fact's `sources:` list becomes citations after its text."""
    return text + "".join(f"[^{source_id}]" for source_id in source_ids)


def _check_citations(story: Story, citations: Citations, parts: list[_Part],
                     diagnostics: Diagnostics) -> None:
    known = [source.id for source in story.sources] + list(citations.notes)
    source_ids = {source.id for source in story.sources}
    for part in parts:
        for label, offset in fragment_refs(part.fragment):
            if not citations.knows(label) and label not in story.broken_sources:
                line = part.line + offset if part.lines_exact else part.line
                diagnostics.error(story.path, line, f"unknown source '{label}' in [^{label}]",
                                  f"{did_you_mean(label, known, 'source ids and notes')} Register it "
                                  f"under `sources:`, or define a note `[^{label}]: ...` in the body.",
                                  "unknown-source")
    for label, line in citations.duplicate_notes:
        diagnostics.error(story.path, story.body_line + line, f"the note [^{label}] is defined twice",
                          "give each note a label of its own", "duplicate-id")
    for label, note in citations.notes.items():
        where = story.body_line + note.line
        if label in source_ids:
            diagnostics.error(story.path, where, f"the note [^{label}] has the id of a registered source",
                              "cite the source with [^id] and give the note another label", "duplicate-id")
        elif not any(label == ref for part in parts for ref, _ in fragment_refs(part.fragment)):
            diagnostics.warning(story.path, where, f"the note [^{label}] is never cited, so it is not shown",
                                f"cite it in the text with [^{label}], or remove it", "uncited-note")


def _render_notes(md: MarkdownIt, citations: Citations, env: dict[str, Citations],
                  section: str) -> tuple[Note, ...]:
    """Notes in the order first cited; a note citing a further note extends the list as it renders."""
    citations.section = section
    rendered_html: dict[str, str] = {}
    index = 0
    while index < len(citations.note_order):  # grows while notes render
        label = citations.note_order[index]
        rendered_html[label] = md.renderer.render(citations.notes[label].tokens, md.options, env)
        index += 1
    return tuple(Note(label, citations.note_number(label), rendered_html[label],
                      tuple(citations.backrefs.get(label, ())))
                 for label in citations.note_order)


def _headings(body: Fragment) -> tuple[Heading, ...]:
    tokens = body.tokens or []
    headings: list[Heading] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.attrGet("id"):
            text = plain_text([tokens[index + 1]])
            headings.append(Heading(int(token.tag[1]), str(token.attrGet("id")), text))
    return tuple(headings)


def _count_words(story: Story) -> int:
    texts = [story.summary, story.body, *(fact.text for fact in story.facts),
             *(n.text for n in story.narratives), story.contra.text if story.contra else ""]
    return sum(len(WORD.findall(text)) for text in texts)

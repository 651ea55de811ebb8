"""The Markdown parser, built once per build, and the citation markup it emits.

`[^id]` anywhere (facts, summary, narratives, contra, body) is a citation. If
`id` is a registered source it takes that source's number; if the body defines
`[^id]: ...` it is a note, numbered after the sources in the order first cited.
Numbers and back-links live in a per-story `Citations` object passed in `env`,
so one parser serves every story and nothing leaks between them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote.index import footnote_def, footnote_ref

from briefgen.core.model import Source
from briefgen.core.slug import slugify
from briefgen.settings.i18n import fill

ENV_KEY = "briefgen"

# Ids the page itself uses; a body heading that would take one gets a prefix.
PAGE_IDS = {"main", "content", "summary", "facts", "narratives", "contra", "body",
            "sources", "notes", "credit", "tags", "top"}
PAGE_ID_PREFIXES = ("cite-", "source-", "note-", "narrative-")
PAGE_ID_SUFFIXES = ("-heading",)
ALIGNMENTS = {"text-align:left": "align-left", "text-align:center": "align-center",
              "text-align:right": "align-right"}


@dataclass(frozen=True)
class Backref:
    anchor: str  # the id of the citing link
    section: str  # where it stands, for an accessible name like "Back to citation 2 (Facts)"


@dataclass(frozen=True)
class NoteDefinition:
    tokens: list[Token]
    line: int  # line within the parsed text, from 0


@dataclass
class Citations:
    """One story's numbering of sources and notes, and every place that cites them."""

    sources: Sequence[Source]
    notes: dict[str, NoteDefinition] = field(default_factory=dict)
    duplicate_notes: list[tuple[str, int]] = field(default_factory=list)
    note_order: list[str] = field(default_factory=list)
    backrefs: dict[str, list[Backref]] = field(default_factory=dict)
    section: str = ""
    source_name: str = "Source {number}: {outlet}"  # a citation's accessible name: the `cite_source` label
    note_name: str = "Note {number}"  # the `cite_note` label

    def __post_init__(self) -> None:
        self._source_numbers = {source.id: number for number, source in enumerate(self.sources, start=1)}
        self._outlets = {source.id: source.outlet for source in self.sources}

    def knows(self, label: str) -> bool:
        return label in self._source_numbers or label in self.notes

    def order(self, label: str) -> int:
        """Where a citation goes among those in one place: sources by number, then notes (which are
        numbered after every source) as written."""
        return self._source_numbers.get(label, len(self.sources) + 1)

    def cite(self, label: str) -> str:
        """Record one citation of ``label`` and return its markup."""
        places = self.backrefs.setdefault(label, [])
        anchor = f"cite-{label}-{len(places) + 1}"
        places.append(Backref(anchor, self.section))
        if label in self._source_numbers:
            number = self._source_numbers[label]
            target, name = f"source-{label}", citation_name(self.source_name, number, self._outlets[label])
        else:
            if label not in self.note_order:
                self.note_order.append(label)
            number = self.note_number(label)
            target, name = f"note-{label}", fill(self.note_name, number=number)
        # The reader sees the number; a screen reader, tabbing through links, hears the outlet too.
        return (f'<sup class="cite"><a id="{escapeHtml(anchor)}" href="#{escapeHtml(target)}" '
                f'{citation_label(name)}>{number}</a></sup>')

    def note_number(self, label: str) -> int:
        return len(self.sources) + self.note_order.index(label) + 1


_CITATION_RUN = re.compile(r'(?:<sup class="cite"><a [^>]*>[^<]*</a></sup>)+')
LONGEST_KEPT_WORD = 30  # a longer word (an address) may still break before its citations


def with_their_words(html: str) -> str:
    """Each run of citations kept on one line with the word before it (`.cite-with` does not wrap): on a
    phone a number wrapped alone onto the next line. A citation is an inline block (a 24 px target), so
    a word joiner cannot hold it."""
    if '<sup class="cite">' not in html:
        return html
    pieces: list[str] = []
    done = 0
    for run in _CITATION_RUN.finditer(html):
        start = run.start()
        while start > done and run.start() - start < LONGEST_KEPT_WORD and not _ends_word(html[start - 1]):
            start -= 1
        if start == run.start() or (start > done and not _ends_word(html[start - 1])):
            continue  # no word right before it, or one too long to hold: left as it is
        pieces += [html[done:start], '<span class="cite-with">', html[start:run.end()], "</span>"]
        done = run.end()
    return "".join(pieces) + html[done:]


def _ends_word(character: str) -> bool:
    return character.isspace() or character in "<>"


def citation_name(template: str, number: int, outlet: str) -> str:
    """A source citation's accessible name, from the `cite_source` label: "Source 3: Reuters"."""
    return fill(template, number=number, outlet=outlet)


def citation_label(name: str) -> str:
    """The attribute that carries a citation's accessible name, as it stands in rendered HTML."""
    return f'aria-label="{escapeHtml(name)}"'


def make_parser(unsafe_html: bool) -> MarkdownIt:
    """CommonMark plus tables, strikethrough, heading ids and citations.

    Raw HTML is escaped unless the site opts in; markdown-it's link validation
    keeps `javascript:`, `vbscript:`, `file:` and `data:` links off the page.
    """
    md = MarkdownIt("commonmark", {"html": unsafe_html, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.block.ruler.before("reference", "footnote_def", footnote_def,
                          {"alt": ["paragraph", "reference"]})
    md.inline.ruler.after("image", "footnote_ref",
                          lambda state, silent: footnote_ref(state, silent, always_match=True))
    md.core.ruler.after("inline", "collect_notes", _collect_notes)
    md.core.ruler.after("collect_notes", "tighten_citations", _tighten_citations)
    md.core.ruler.push("align_by_class", _align_by_class)
    md.add_render_rule("footnote_ref", _render_citation)
    md.add_render_rule("heading_open", _render_heading_open)
    md.core.ruler.push("heading_ids", _heading_ids)
    return md


def _heading_ids(state: StateCore) -> None:
    """Give each h2-h4 an id from its text, unique in the body: "x", then "x-1", "x-2"...

    Each text's next free suffix is remembered, so that n identical headings cost n steps,
    not the n² of trying every suffix from 1 again.
    """
    taken: set[str] = set()
    next_suffix: dict[str, int] = {}
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open" or token.tag not in ("h2", "h3", "h4"):
            continue
        children = state.tokens[index + 1].children or []
        base = heading_id("".join(child.content for child in children if child.type in ("text", "code_inline")))
        unique, suffix = base, next_suffix.get(base, 1)
        while unique in taken:
            unique, suffix = f"{base}-{suffix}", suffix + 1
        next_suffix[base] = suffix
        taken.add(unique)
        token.attrSet("id", unique)


def heading_id(text: str) -> str:
    slug = slugify(text) or "section"
    if slug in PAGE_IDS or slug.startswith(PAGE_ID_PREFIXES) or slug.endswith(PAGE_ID_SUFFIXES):
        return f"h-{slug}"
    return slug


def _collect_notes(state: StateCore) -> None:
    """Take note definitions out of the flow; the page lists them after the sources."""
    citations: Citations = state.env[ENV_KEY]
    kept: list[Token] = []
    inside: list[Token] | None = None
    label, line = "", 0
    for token in state.tokens:
        if token.type == "footnote_reference_open":
            inside, label, line = [], token.meta["label"], (token.map or [0])[0]
        elif token.type == "footnote_reference_close" and inside is not None:
            if label in citations.notes:
                citations.duplicate_notes.append((label, line))
            else:
                citations.notes[label] = NoteDefinition(inside, line)
            inside = None
        elif inside is not None:
            inside.append(token)
        else:
            kept.append(token)
    state.tokens = kept


def _tighten_citations(state: StateCore) -> None:
    """`Japan. [^forbes]` sets the number right after the full stop, as print does."""
    for token in state.tokens:
        children = token.children or []
        for child, following in zip(children, children[1:]):
            if child.type == "text" and following.type == "footnote_ref":
                child.content = child.content.rstrip()


CITE, NOTHING, OTHER = "cite", "nothing", "other"


def _runs(kinds: list[str]) -> list[list[int]]:
    """The places of citations (CITE) that stand side by side, with NOTHING (empty text) between them."""
    runs: list[list[int]] = []
    current: list[int] = []
    for index, kind in enumerate(kinds):
        if kind == CITE:
            current.append(index)
        elif kind == OTHER:
            if len(current) > 1:
                runs.append(current)
            current = []
    if len(current) > 1:
        runs.append(current)
    return runs


def _align_by_class(state: StateCore) -> None:
    """Table alignment as a class: an inline style would break the site's Content-Security-Policy."""
    for token in state.tokens:
        style = token.attrs.get("style") if token.type in ("th_open", "td_open") else None
        if isinstance(style, str) and style in ALIGNMENTS:
            del token.attrs["style"]
            token.attrSet("class", ALIGNMENTS[style])


def _render_citation(self: Any, tokens: Sequence[Token], idx: int,
                     options: OptionsDict, env: EnvType) -> str:
    """A citation; among citations side by side (`[^b][^a]`), the one whose turn it is in number order,
    so they read "1 2", not "2 1"."""
    citations: Citations = env[ENV_KEY]
    run = _run_around(tokens, idx)
    labels = sorted((tokens[index].meta["label"] for index in run), key=citations.order)
    label = labels[run.index(idx)]
    if not citations.knows(label):
        return escapeHtml(f"[^{label}]")
    return citations.cite(label)


def _run_around(tokens: Sequence[Token], idx: int) -> list[int]:
    """The places of the citations standing side by side with the one at `idx` (as `_runs` finds them),
    looked for around it only: a text with many citations costs no more per citation."""
    def kind(token: Token) -> str:
        return CITE if token.type == "footnote_ref" else NOTHING if token.type == "text" and not token.content \
            else OTHER
    start, stop = idx, idx + 1
    while start > 0 and kind(tokens[start - 1]) != OTHER:
        start -= 1
    while stop < len(tokens) and kind(tokens[stop]) != OTHER:
        stop += 1
    return [index for index in range(start, stop) if kind(tokens[index]) == CITE]


def _render_heading_open(self: Any, tokens: Sequence[Token], idx: int,
                         options: OptionsDict, env: EnvType) -> str:
    """Citations below a heading are "in" that heading, for back-link names."""
    env[ENV_KEY].section = tokens[idx + 1].content
    return str(self.renderToken(tokens, idx, options, env))


def citation_refs(tokens: Sequence[Token]) -> list[tuple[str, int]]:
    """Every `[^label]` in parsed tokens, with its line offset within the text."""
    found: list[tuple[str, int]] = []
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        start = (token.map or [0])[0]
        cursor = 0
        for child in token.children:
            if child.type == "footnote_ref":
                label = child.meta["label"]
                at = token.content.find(f"[^{label}]", cursor)
                cursor = at + 1 if at >= 0 else cursor
                found.append((label, start + token.content.count("\n", 0, max(at, 0))))
    return found


def plain_text(tokens: Sequence[Token]) -> str:
    """The words of parsed inline Markdown, without markup or citations."""
    parts: list[str] = []
    for token in tokens:
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
    return " ".join("".join(parts).split())


# Plain text ------------------------------------------------------------------------------------------
#
# Most facts, narratives and the contra are one line of words with citations. markdown-it walks such
# text a character at a time in Python; these pieces render byte for byte as it would render them
# (tests/test_markdown_plain.py compares the two), so the parser runs only for text with markup.

# `[^label]` as footnote_ref reads it, but not followed by `(`, where the link rule would see a link.
# (It sees one in `[^a]`, `[^a][]` and `[^a][b]` only if a reference's label starts with "^": see
# `_plain_pieces`.)
_CITATION = re.compile(r"\[\^([^\s\[\]\\`*_~!<&]+)\](?!\()")
# What any inline rule of the parser acts on, or its normalize step changes.
_MARKUP = re.compile(r"[\\`*_~\[\]!<&\n\r\0]")
# A line that some block rule would read as other than a paragraph starts with none of these.
_BLOCK_START = re.compile(r"[^\W\d_]|\d+(?![.)\d])")


@dataclass(frozen=True)
class Fragment:
    """A parsed piece of a story's Markdown: markdown-it's tokens, or, for plain text, its pieces:
    text and citation labels in turn (`pieces[0]`, `pieces[2]`... are text)."""

    tokens: list[Token] | None = None
    pieces: tuple[str, ...] = ()
    paragraph: bool = False  # plain text that renders as one paragraph


def parse_fragment(md: MarkdownIt, text: str, env: EnvType, inline: bool) -> Fragment:
    caret_reference = any(label.startswith("^") for label in env.get("references", ()))  # `[ ^a]: /url`
    pieces = None if caret_reference else _plain_pieces(text, inline)
    if pieces is None:
        return Fragment(tokens=md.parseInline(text, env) if inline else md.parse(text, env))
    return Fragment(pieces=pieces, paragraph=not inline)


def _plain_pieces(text: str, inline: bool) -> tuple[str, ...] | None:
    if not inline:  # one paragraph, if it starts as one (no indent, list marker, heading...)
        if not _BLOCK_START.match(text):
            return None
        text = text.rstrip()
    pieces = tuple(_CITATION.split(text))
    if any(_MARKUP.search(piece) for piece in pieces[::2]):
        return None
    return pieces


def render_fragment(md: MarkdownIt, fragment: Fragment, env: EnvType) -> str:
    if fragment.tokens is not None:
        return with_their_words(str(md.renderer.render(fragment.tokens, md.options, env)))
    citations: Citations = env[ENV_KEY]
    pieces = _tightened(fragment.pieces)  # text, a label, text, a label... text
    kinds = [CITE if index % 2 else NOTHING if not piece else OTHER for index, piece in enumerate(pieces)]
    for run in _runs(kinds):
        for index, label in zip(run, sorted((pieces[index] for index in run), key=citations.order)):
            pieces[index] = label
    parts = [escapeHtml(piece) if index % 2 == 0
             else citations.cite(piece) if citations.knows(piece) else escapeHtml(f"[^{piece}]")
             for index, piece in enumerate(pieces)]
    html = with_their_words("".join(parts))
    return f"<p>{html}</p>\n" if fragment.paragraph else html


def _tightened(pieces: tuple[str, ...]) -> list[str]:
    """Text before a citation loses its trailing space, as `_tighten_citations` does to tokens."""
    return [piece.rstrip() if index % 2 == 0 and index + 1 < len(pieces) else piece
            for index, piece in enumerate(pieces)]


def fragment_refs(fragment: Fragment) -> list[tuple[str, int]]:
    """Every `[^label]` in a fragment, with its line offset within the text."""
    if fragment.tokens is not None:
        return citation_refs(fragment.tokens)
    return [(label, 0) for label in fragment.pieces[1::2]]


def fragment_text(fragment: Fragment) -> str:
    """The words of an inline fragment, without markup or citations."""
    if fragment.tokens is not None:
        return plain_text(fragment.tokens)
    return " ".join("".join(_tightened(fragment.pieces)[::2]).split())

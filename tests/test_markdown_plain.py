"""Plain text skips the parser: it must render exactly as markdown-it renders it.

Random strings over an alphabet of words, citations and every character some
Markdown rule acts on are rendered both ways, as a fact (inline) and as a
narrative (a block); wherever the plain path takes a string, the HTML, the
citations found, the words and the citation numbering must be the same.
"""

from __future__ import annotations

import random

import pytest

from briefgen.core.model import Source
from briefgen.story.markdown import (ENV_KEY, Citations, Fragment, citation_refs, fragment_refs, fragment_text,
                                     make_parser, parse_fragment, plain_text, render_fragment, with_their_words)

SOURCES = (Source("a", "Outlet A", 1), Source("src-1", "Outlet B", 2))
ALPHABET = ["Japan", "said", "2024", "12", "1.", "3)", " ", " ", "  ", "\t", "\u00a0", "é", ".", ",", "'", '"', ">",
            "#", "-", "+", "=", "|", ":", "(", ")", "[", "]", "!", "*", "_", "`", "~", "<", "&", "\\", "\n", "^",
            "[^a]", "[^src-1]", "[^unknown]", "[^a](x)", "[^a][b]", "[^ a]", "http://example.com", "&amp;"]
CASES = 4000


def both_ways(text: str, inline: bool, earlier: str = "") -> tuple[Fragment, str, str, Citations, Citations]:
    """`text` parsed as our fast path and as markdown-it do, after `earlier` (a part parsed before it)."""
    md = make_parser(False)
    plain_env, parsed_env = {ENV_KEY: Citations(SOURCES)}, {ENV_KEY: Citations(SOURCES)}
    md.parse(earlier, plain_env), md.parse(earlier, parsed_env)
    fragment = parse_fragment(md, text, plain_env, inline)
    tokens = md.parseInline(text, parsed_env) if inline else md.parse(text, parsed_env)
    expected = with_their_words(md.renderer.render(tokens, md.options, parsed_env))  # as render_fragment does
    assert fragment_refs(fragment) == citation_refs(tokens)
    if inline:
        assert fragment_text(fragment) == plain_text(tokens)
    return fragment, render_fragment(md, fragment, plain_env), expected, plain_env[ENV_KEY], parsed_env[ENV_KEY]


@pytest.mark.parametrize("inline", [True, False], ids=["fact", "narrative"])
def test_plain_text_renders_as_markdown_it_renders_it(inline: bool) -> None:
    chance = random.Random(2024)
    plain = 0
    for _ in range(CASES):
        start = chance.choice(ALPHABET[:4] if chance.random() < 0.5 else ALPHABET)  # most begin as prose does
        text = start + "".join(chance.choice(ALPHABET) for _ in range(chance.randint(0, 11)))
        fragment, html, expected, ours, theirs = both_ways(text, inline)
        assert html == expected, text
        assert ours.backrefs == theirs.backrefs and ours.note_order == theirs.note_order, text
        plain += fragment.tokens is None
    assert plain > CASES // 10  # the plain path is really taken, not only the parser's


@pytest.mark.parametrize(("text", "inline"), [
    ("Tokyo and Washington signed the pact. [^a][^src-1]", True),
    ("Tokyo and Washington signed the pact. [^a]", False),
    ("1990 was the last time.", False),
])
def test_a_sentence_with_citations_takes_the_plain_path(text: str, inline: bool) -> None:
    fragment, html, expected, _, _ = both_ways(text, inline)
    assert fragment.tokens is None and html == expected


@pytest.mark.parametrize(("text", "inline"), [
    ("A [link](https://example.com).", True), ("**bold**", True), ("see [^a](x)", True), ("a\nb", True),
    ("# Heading", False), ("- item", False), ("1. item", False), ("    code", False), ("[^a]: a note", False),
])
def test_markup_takes_the_parser(text: str, inline: bool) -> None:
    fragment, html, expected, _, _ = both_ways(text, inline)
    assert fragment.tokens is not None and html == expected


def test_a_reference_whose_label_starts_with_a_caret_makes_citations_links() -> None:
    fragment, html, expected, _, _ = both_ways("as a link: [^a]", True, earlier="[ ^a]: /url\n")
    assert fragment.tokens is not None and html == expected == 'as a link: <a href="/url">^a</a>'

"""Markdown and citations, case by case: fixtures/markdown/<case>.md in, <case>.html expected.

The expected file shows each rendered part of the story, the numbered sources
and notes with the anchors of every citation, and the problems reported.
Rewrite them with `--update-golden` and review the diff.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from briefgen.core.diagnostics import Diagnostics
from briefgen.settings.config import SiteConfig
from briefgen.story.content import story_from_bytes
from briefgen.story.markdown import make_parser
from briefgen.story.render import RenderedStory
from tests.conftest import FIXTURES, ROOT

CASES = sorted((FIXTURES / "markdown").glob("*.md"))


def read_story(path: Path, md: MarkdownIt, config: SiteConfig, diagnostics: Diagnostics) -> RenderedStory | None:
    return story_from_bytes(path, path.read_bytes(), md, config.labels, diagnostics)


def dump(rendered: RenderedStory | None, diagnostics: Diagnostics) -> str:
    lines: list[str] = []
    if rendered is not None:
        lines += ["<!-- summary -->", rendered.summary_html]
        lines += ["<!-- facts -->", *rendered.facts_html]
        lines += ["<!-- contra -->", rendered.contra_html or ""]
        lines += ["<!-- body -->", rendered.body_html.rstrip()]
        lines += ["<!-- sources -->"]
        lines += [f"{cited.number} {cited.source.id}: " + ", ".join(f"#{b.anchor} ({b.section})" for b in cited.backrefs)
                  for cited in rendered.sources]
        lines += ["<!-- notes -->"]
        for note in rendered.notes:
            lines += [f"{note.number} {note.label}: " + ", ".join(f"#{b.anchor} ({b.section})" for b in note.backrefs),
                      note.html.rstrip()]
    lines += ["<!-- problems -->", *(d.format().replace(str(FIXTURES) + "/", "") for d in diagnostics.sorted())]
    return "\n".join(lines) + "\n"


def render_case(path: Path, unsafe_html: bool = False) -> str:
    diagnostics = Diagnostics()
    config = SiteConfig(unsafe_html=unsafe_html)
    rendered = read_story(path, make_parser(unsafe_html), config, diagnostics)
    return dump(rendered, diagnostics)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_markdown_case(case: Path, update_golden: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    actual = render_case(case)
    expected = case.with_suffix(".html")
    if update_golden:
        expected.write_text(actual)
    assert actual == expected.read_text()


def test_raw_html_passes_only_when_the_site_opts_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    case = FIXTURES / "markdown" / "raw-html-escaped.md"
    assert "<script>" not in render_case(case)
    opted_in = render_case(case, unsafe_html=True)
    assert "<script>alert(1)</script>" in opted_in
    assert 'href="javascript:' not in opted_in  # unsafe schemes stay out even then


def test_one_parser_serves_many_stories_without_leaking_notes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    md = make_parser(False)
    config = SiteConfig()
    first = read_story(FIXTURES / "markdown" / "note-cited-before-definition.md", md, config, Diagnostics())
    second = read_story(FIXTURES / "markdown" / "unused-source.md", md, config, Diagnostics())
    assert first is not None and second is not None
    assert [n.label for n in first.notes] == ["aside"]
    assert second.notes == ()
    again = read_story(FIXTURES / "markdown" / "note-cited-before-definition.md", md, config, Diagnostics())
    assert again == first


def test_identical_headings_cost_linear_time() -> None:
    """50,000 identical headings: each new id once (quadratic would take minutes, past the bound)."""
    probe = ("from briefgen.story.markdown import ENV_KEY, Citations, make_parser; "
             "html = make_parser(False).render('## Same\\n\\n' * 50_000, {ENV_KEY: Citations(())}); "
             "assert html.count('id=\"same') == 50_000 and 'id=\"same-49999\"' in html")
    subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True, timeout=60)

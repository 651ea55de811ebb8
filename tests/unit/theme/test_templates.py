"""briefgen/theme/templates.py: themes found, assets fingerprinted, templates keyed and rendered."""

from __future__ import annotations

import hashlib
from pathlib import Path

from briefgen.core.diagnostics import Diagnostics
from briefgen.core.urls import Linker
from briefgen.pages.plan import Origin, Page
from briefgen.theme.templates import Theme, load_theme, make_environment, printable, render_pages, template_fingerprint

LINKER = Linker("https://example.org/news/", "/news/")


def make_theme(site: Path) -> Path:
    theme = site / "themes" / "mine"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "page.html").write_text("<h1>{{ title }}</h1>\n")
    (theme / "assets" / "img").mkdir(parents=True)
    (theme / "assets" / "style.css").write_text("body { color: navy }\n")
    (theme / "assets" / "img" / "logo.svg").write_text("<svg/>")
    (theme / "assets" / "LICENSE").write_text("MIT")
    return theme


def loaded(site: Path) -> Theme:
    diagnostics = Diagnostics()
    theme = load_theme(site, "mine", LINKER, diagnostics)
    assert theme is not None and not diagnostics.items
    return theme


def tag(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def test_each_asset_is_published_under_a_name_holding_its_digest(tmp_path: Path) -> None:
    make_theme(tmp_path)
    theme = loaded(tmp_path)
    css, svg = tag(b"body { color: navy }\n"), tag(b"<svg/>")
    assert {name: file.path for name, file in theme.assets.items()} == {
        "style.css": f"assets/style.{css}.css", "img/logo.svg": f"assets/img/logo.{svg}.svg",
        "LICENSE": f"assets/LICENSE.{tag(b'MIT')}"}
    assert theme.asset_urls["style.css"] == f"/news/assets/style.{css}.css"


def test_a_sites_own_asset_replaces_the_themes_of_the_same_name(tmp_path: Path) -> None:
    make_theme(tmp_path)
    (tmp_path / "assets").mkdir()
    teal = b"body { color: teal }\n"
    (tmp_path / "assets" / "style.css").write_bytes(teal)
    theme = loaded(tmp_path)
    assert (theme.assets["style.css"].data, theme.assets["style.css"].path) == (teal, f"assets/style.{tag(teal)}.css")


def test_an_unknown_theme_is_an_error_at_its_line_naming_the_themes_found(tmp_path: Path) -> None:
    make_theme(tmp_path)
    diagnostics = Diagnostics()
    assert load_theme(tmp_path, "mien", LINKER, diagnostics, line=4) is None
    [error] = diagnostics.errors
    assert (error.path, error.line, error.code, error.message) == (
        str(tmp_path / "briefgen.yaml"), 4, "unknown-value", "there is no theme 'mien'")
    assert "default" in error.hint and "mine" in error.hint


def test_the_template_fingerprint_moves_when_a_template_changes_or_is_added_and_only_then(tmp_path: Path) -> None:
    theme_dir = make_theme(tmp_path)
    before = template_fingerprint(loaded(tmp_path))
    assert template_fingerprint(loaded(tmp_path)) == before
    (theme_dir / "templates" / "page.html").write_text("<h2>{{ title }}</h2>\n")
    edited = template_fingerprint(loaded(tmp_path))
    (theme_dir / "templates" / "partials").mkdir()
    (theme_dir / "templates" / "partials" / "footer.html").write_text("<footer/>")
    assert len({before, edited, template_fingerprint(loaded(tmp_path))}) == 3


def test_the_template_fingerprint_moves_when_an_asset_changes(tmp_path: Path) -> None:
    theme_dir = make_theme(tmp_path)
    before = template_fingerprint(loaded(tmp_path))
    (theme_dir / "assets" / "style.css").write_text("body { color: red }\n")
    assert template_fingerprint(loaded(tmp_path)) != before


def test_printable_drops_the_control_characters_and_noncharacters_no_page_may_hold() -> None:
    page = "a\x00b\x08c\x0bd\x0ce\x1bf\x7f\tg\nh\ri\ufffej\uffffk é ✓ \U0001f600"
    assert printable(page) == "abcdef\x7f\tg\nh\rijk é ✓ \U0001f600".encode()


def page(path: str, template: str, title: str) -> Page:
    return Page(path, template, {"title": title}, Origin("the site"))


def test_pages_render_to_their_files_without_control_characters(tmp_path: Path) -> None:
    make_theme(tmp_path)
    theme = loaded(tmp_path)
    diagnostics = Diagnostics()
    files = render_pages(make_environment(theme), [page("a/", "page.html", "Port\x07 deal")],
                         lambda p: p.context, theme.asset_urls, diagnostics)
    assert [(file.path, file.data) for file in files] == [("a/index.html", b"<h1>Port deal</h1>\n")]
    assert not diagnostics.items


def test_a_broken_template_is_one_error_however_many_pages_use_it(tmp_path: Path) -> None:
    theme_dir = make_theme(tmp_path)
    (theme_dir / "templates" / "broken.html").write_text("line one\n{% if title %}\n")
    theme = loaded(tmp_path)
    diagnostics = Diagnostics()
    pages = [page("a/", "broken.html", "A"), page("b/", "broken.html", "B"), page("c/", "page.html", "C")]
    files = render_pages(make_environment(theme), pages, lambda p: p.context, theme.asset_urls, diagnostics)
    assert [file.path for file in files] == ["c/index.html"]
    assert [(d.code, d.line, Path(d.path).name) for d in diagnostics.errors] == [
        ("template-error", 2, "broken.html")]

"""briefgen/theme/static.py: static files, the site's over the theme's, never over a page."""

from __future__ import annotations

from pathlib import Path

from briefgen.core.diagnostics import Diagnostics
from briefgen.core.urls import Linker, OutputFile
from briefgen.theme.static import refuse_collisions, static_files, theme_files
from briefgen.theme.templates import Theme, load_theme


def theme_with_static(site: Path) -> Theme:
    theme = site / "themes" / "mine"
    (theme / "templates").mkdir(parents=True)
    (theme / "static" / "img").mkdir(parents=True)
    (theme / "static" / "robots-extra.txt").write_text("theme")
    (theme / "static" / "img" / "a.svg").write_text("<svg/>")
    (site / "static").mkdir()
    (site / "static" / "robots-extra.txt").write_text("site")
    found = load_theme(site, "mine", Linker("https://example.org/", "/"), Diagnostics())
    assert found is not None
    return found


def test_static_files_are_published_at_their_path_the_sites_over_the_themes(tmp_path: Path) -> None:
    theme = theme_with_static(tmp_path)
    sources = static_files(theme)
    assert sources == {"robots-extra.txt": tmp_path / "static" / "robots-extra.txt",
                       "img/a.svg": tmp_path / "themes" / "mine" / "static" / "img" / "a.svg"}
    diagnostics = Diagnostics()
    files = {file.path: file.data for file in theme_files(theme, sources, diagnostics)}
    assert files == {"robots-extra.txt": b"site", "img/a.svg": b"<svg/>"} and not diagnostics.items


def test_a_static_link_out_of_the_site_is_an_error_and_not_published(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text("key")
    site = tmp_path / "site"
    theme = theme_with_static(site)
    (site / "static" / "key").symlink_to(tmp_path / "secret")
    (site / "static" / "inside").symlink_to(site / "static" / "robots-extra.txt")
    diagnostics = Diagnostics()
    files = {file.path: file.data for file in theme_files(theme, static_files(theme), diagnostics)}
    assert "key" not in files and files["inside"] == b"site"
    assert [(d.path, d.code) for d in diagnostics.errors] == [(str(site / "static" / "key"), "link-outside-site")]


def collisions(static: list[str], pages: list[str]) -> list[tuple[str, str]]:
    sources = {path: Path("/site/static") / path for path in static}
    files = [OutputFile(path, b"") for path in static] + [OutputFile("assets/style.0123456789.css", b"")]
    diagnostics = Diagnostics()
    refuse_collisions(sources, files, pages, diagnostics)
    return [(d.path, d.message) for d in diagnostics.errors if d.code == "static-collision"]


def test_a_static_file_at_a_pages_address_is_an_error_naming_the_static_file() -> None:
    assert collisions(["feed.xml", "about.txt"], ["feed.xml", "index.html"]) == [
        ("/site/static/feed.xml", "the static file would take the place of the site's page /feed.xml")]


def test_a_static_file_inside_a_pages_file_or_where_a_pages_folder_is_is_an_error() -> None:
    assert collisions(["feed.xml/x.txt", "tags"], ["feed.xml", "tags/index.html"]) == [
        ("/site/static/feed.xml/x.txt", "the static file would take the place of the site's page /feed.xml"),
        ("/site/static/tags", "the static file would take the place of the site's page /tags/")]


def test_static_files_beside_the_pages_and_fingerprinted_assets_are_no_collision() -> None:
    assert collisions(["tags/world.txt", "img/a.svg"], ["tags/index.html", "assets/style.0123456789.css"]) == []

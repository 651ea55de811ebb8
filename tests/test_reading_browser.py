"""The story page as a reader meets it, in Chromium, on a phone (390 × 844) and a desktop (1280 × 900),
light and dark: the facts come first, the citations are easy to hit, a source landed on is marked."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

from tests.browser import serve_directory
from tests.conftest import FIXTURES, ROOT, run_briefgen

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
SCREENS = [("phone", PHONE), ("desktop", DESKTOP)]
SCHEMES = ["light", "dark"]
MIN_TARGET = 24  # CSS px, WCAG 2.2 success criterion 2.5.8


def _site_copy(source: Path, destination: Path) -> Path:
    shutil.copytree(source / "content", destination / "content")
    for name in ("briefgen.yaml", "outlets.yaml"):
        if (source / name).exists():
            shutil.copy(source / name, destination / name)
    return destination


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    """Every story page of the example site and the fixture sites, served from one folder."""
    root = tmp_path_factory.mktemp("reading")
    paths: list[str] = []
    for name, source in (("example", ROOT), ("basic", FIXTURES / "sites" / "basic"),
                         ("newsroom", FIXTURES / "sites" / "newsroom")):
        site = _site_copy(source, root / "sites" / name)
        output = root / "public" / name
        run = run_briefgen("build", "-s", site, "-o", output, "--base-url", f"http://127.0.0.1/{name}/")
        assert run.code == 0, run.err
        paths += [f"/{name}/{page.parent.name}/" for page in sorted(output.glob("*/index.html"))
                  if 'class="story"' in page.read_text()]
    assert len(paths) >= 8
    with serve_directory(root / "public") as url:
        yield url, paths


def _open(browser: Browser, viewport: ViewportSize, scheme: str) -> Page:
    context = browser.new_context(viewport=viewport, color_scheme=scheme)  # type: ignore[arg-type]
    return context.new_page()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("screen, viewport", SCREENS, ids=[name for name, _ in SCREENS])
def test_the_first_fact_of_every_story_is_on_the_first_screen(browser: Browser, stories: tuple[str, list[str]],
                                                              screen: str, viewport: ViewportSize,
                                                              scheme: str) -> None:
    url, paths = stories
    page = _open(browser, viewport, scheme)
    late = {}
    for path in paths:
        page.goto(url + path)
        box = page.locator(".facts li").first.bounding_box()
        assert box is not None, path
        first_line_end = box["y"] + 24
        if first_line_end > viewport["height"]:
            late[path] = round(box["y"])
    page.context.close()
    assert late == {}, f"first fact below the first {screen} screen (top in px)"


@pytest.mark.parametrize("screen, viewport", SCREENS, ids=[name for name, _ in SCREENS])
def test_every_citation_link_is_a_24_px_target(browser: Browser, stories: tuple[str, list[str]], screen: str,
                                               viewport: ViewportSize) -> None:
    url, paths = stories
    page = _open(browser, viewport, "light")
    small: dict[str, list[list[float]]] = {}
    counted = 0
    for path in paths:
        page.goto(url + path)
        sizes: list[list[float]] = page.eval_on_selector_all(
            "sup.cite a, a.backref",
            "links => links.map(a => { const b = a.getBoundingClientRect(); return [b.width, b.height]; })")
        counted += len(sizes)
        too_small = [size for size in sizes if size[0] < MIN_TARGET or size[1] < MIN_TARGET]
        if too_small:
            small[path] = too_small
    page.context.close()
    assert counted > 40
    assert small == {}


def test_citations_keep_the_lines_evenly_spaced(browser: Browser, stories: tuple[str, list[str]]) -> None:
    """The larger targets take no room: a fact with a citation is as tall as the same text without it."""
    url, _ = stories
    page = _open(browser, PHONE, "light")
    page.goto(url + "/example/us-japan-security-pact/")
    heights = page.evaluate("""() => {
        const fact = document.querySelector('.facts li');
        const before = fact.getBoundingClientRect().height;
        fact.querySelectorAll('sup.cite').forEach(sup => sup.remove());
        return [before, fact.getBoundingClientRect().height];
    }""")
    page.context.close()
    assert heights[0] == heights[1]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("screen, viewport", SCREENS, ids=[name for name, _ in SCREENS])
def test_the_source_landed_on_is_marked_and_clear_of_the_top(browser: Browser, stories: tuple[str, list[str]],
                                                              screen: str, viewport: ViewportSize,
                                                              scheme: str) -> None:
    url, _ = stories
    page = _open(browser, viewport, scheme)
    page.goto(url + "/example/us-japan-security-pact/")
    page.locator(".facts sup.cite a").nth(2).click()  # opens the source card; its link leads to the list
    page.get_by_role("dialog").get_by_role("link", name="Sources").click()
    page.wait_for_function("location.hash === '#source-reuters'")
    looks = page.evaluate("""() => {
        const style = el => { const s = getComputedStyle(el);
            return [s.backgroundColor, s.outlineStyle, s.outlineColor].join(' '); };
        const target = document.querySelector('#source-reuters');
        const other = document.querySelector('#source-forbes');
        const box = target.getBoundingClientRect();
        return {target: style(target), other: style(other), top: box.top, bottom: box.bottom,
                height: innerHeight};
    }""")
    page.context.close()
    assert looks["target"] != looks["other"]
    assert "solid" in looks["target"]
    assert 16 <= looks["top"] and looks["bottom"] <= looks["height"]


def test_at_twice_the_text_size_no_page_scrolls_sideways_on_a_phone(browser: Browser,
                                                                    stories: tuple[str, list[str]]) -> None:
    """WCAG 1.4.4 and 1.4.10: text at 200 % on a 390 px phone; the menu overflowed to 612 px, a long address
    in a story to 644 px. Every story page, and each site's home, tags and outlets pages."""
    url, paths = stories
    page = _open(browser, PHONE, "light")
    sites = sorted({path.split("/")[1] for path in paths})
    wide: dict[str, int] = {}
    for path in [*paths, *(f"/{site}/{list_page}" for site in sites for list_page in ("", "tags/"))]:
        page.goto(url + path)
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[path] = width
    page.context.close()
    assert wide == {}


@pytest.mark.parametrize("scheme", SCHEMES)
def test_news_analysis_and_opinion_look_different(browser: Browser, stories: tuple[str, list[str]],
                                                  scheme: str) -> None:
    """The three labels looked the same: opinion must be unmistakable, in light and dark."""
    url, _ = stories
    page = _open(browser, PHONE, scheme)
    looks = {}
    for slug, kind in (("talks-open", "news"), ("pact-signed", "analysis"), ("pact-reactions", "opinion")):
        page.goto(f"{url}/newsroom/{slug}/")
        looks[kind] = page.eval_on_selector(f".kind-{kind}", "e => { const s = getComputedStyle(e); "
                                            "return [s.backgroundColor, s.borderTopStyle, s.color]; }")
    page.context.close()
    assert len({tuple(look) for look in looks.values()}) == 3, looks
    assert looks["opinion"][0] not in ("rgba(0, 0, 0, 0)", "transparent")  # set in reverse, on a filled badge

"""Reader quality, proven with the standard validators and a real browser (issue 5).

Builds the example site (under a deploy-preview base URL) and tests/fixtures/reader-site
(served below /news/, with every page type), then: the Nu HTML Checker over every
HTML file; axe-core in Chromium over each page type in light and dark; every feed,
the sitemap and the JSON-LD parsed; Pagefind search in the browser, under the
Content-Security-Policy from netlify.toml; the page-weight budget; keyboard focus,
accessible names and reading order.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import re
import shutil
import subprocess
import threading
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from fnmatch import fnmatch
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

from briefgen.build import BuildOptions, build
from tests.browser import expect, serve_directory
from tests.conftest import FIXTURES, ROOT, run_briefgen, tree_bytes

NPM = ROOT / ".cache" / "npm" / "node_modules"
VNU_JAR = NPM / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NPM / "axe-core" / "axe.min.js"
INSTALL_HINT = "run the test command from README.md (bash tests/run); it installs Java, vnu-jar and axe-core"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PREVIEW_URL = "https://deploy-preview-5--briefgen.netlify.app"  # as Netlify passes it: no slash
FIXTURE_URL = "https://reader.example/news/"
NEWSROOM_URL = "https://example.org/"  # tests/fixtures/sites/newsroom: outlets, corrections, a thread
BUDGET_BYTES = 30 * 1024
UNIQUE_FACT_WORD = "quasicrystal"  # only in one fact of reader-site/content/harbour-deal.md
LONG_STORY = "/news/harbour-deal/"


@dataclass(frozen=True)
class Built:
    served: Path  # the folder the test server serves
    output: Path  # the site's output folder, below `served` at `prefix`
    prefix: str  # the site's URL path, e.g. "/news/"
    base_url: str


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("example") / "public"
    done = run_briefgen("build", "-q", "-s", ROOT, "-o", out, "--base-url", PREVIEW_URL)
    assert done.code == 0, done.err
    return Built(out, out, "/", PREVIEW_URL + "/")


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Built:
    served = tmp_path_factory.mktemp("reader")
    site = shutil.copytree(FIXTURES / "reader-site", tmp_path_factory.mktemp("reader-site") / "site")
    done = run_briefgen("build", "-q", "-s", site, "-o", served / "news")  # a copy: builds leave a cache
    assert done.code == 0, done.err
    return Built(served, served / "news", "/news/", FIXTURE_URL)


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("newsroom") / "public"
    done = run_briefgen("build", "-q", "--no-cache", "-s", FIXTURES / "sites" / "newsroom", "-o", out)
    assert done.code == 0, done.err
    return Built(out, out, "/", NEWSROOM_URL)


@pytest.fixture(scope="module")
def sites(example: Built, reader: Built, newsroom: Built) -> dict[str, Built]:
    return {"example": example, "reader": reader, "newsroom": newsroom}


def html_files(site: Built) -> list[Path]:
    return sorted(site.output.rglob("*.html"))


def story_pages(site: Built) -> list[Path]:
    return [path for path in html_files(site) if 'property="og:type" content="article"' in path.read_text()]


# --- HTML parsing helpers ---------------------------------------------------------------


class _Collector(HTMLParser):
    """The parts of a page the tests read: meta tags, links, scripts, JSON-LD."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.links: list[dict[str, str]] = []
        self.scripts: list[dict[str, str]] = []
        self.json_ld: list[str] = []
        self.styled: list[str] = []  # tags with an inline style attribute
        self._in_json_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "style" in values:
            self.styled.append(tag)
        if tag == "meta" and ("property" in values or "name" in values):
            self.meta.append((values.get("property") or values["name"], values.get("content", "")))
        elif tag == "link":
            self.links.append(values)
        elif tag == "script":
            self.scripts.append(values)
            self._in_json_ld = values.get("type") == "application/ld+json"
            if self._in_json_ld:
                self.json_ld.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self.json_ld[-1] += data

    def first(self, key: str) -> str:
        return next(value for name, value in self.meta if name == key)

    def all(self, key: str) -> list[str]:
        return [value for name, value in self.meta if name == key]


def parse_html(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


# --- Validity: vnu ------------------------------------------------------------------------

BROKEN_HTML = "<!doctype html><html lang=en><title>x</title><p><div>block in p</p></span>"


@pytest.mark.slow
def test_vnu_reports_no_errors_on_any_page_or_stylesheet(sites: dict[str, Built], tmp_path: Path) -> None:
    """One JVM start for every file; a deliberately broken canary proves vnu really ran."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.is_file():
        pytest.fail(f"Java or vnu.jar missing: {INSTALL_HINT}", pytrace=False)
    canary = tmp_path / "canary.html"
    canary.write_text(BROKEN_HTML, encoding="utf-8")
    files = [path for site in sites.values() for path in [*html_files(site), *site.output.glob("assets/*.css")]]
    assert len(files) >= 20
    done = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--also-check-css", "--format", "json",
                           str(canary),
                           *map(str, files)], capture_output=True, text=True, timeout=300, check=False)
    messages = json.loads(done.stderr or done.stdout)["messages"]
    errors = [f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m['message']}" for m in messages
              if not m.get("url", "").endswith("canary.html")]
    assert errors == [], "\n".join(errors)
    assert any(m.get("url", "").endswith("canary.html") for m in messages), "vnu did not check the canary"


# --- Feeds, sitemap, robots ---------------------------------------------------------------


def _instant(text: str | None) -> datetime:
    assert text, "missing date"
    moment = datetime.fromisoformat(text)
    assert moment.tzinfo is not None, f"{text} has no UTC offset"
    return moment


def _day_or_instant(text: str) -> datetime:
    """A JSON-LD date: a plain date as written ("2024-03-25", taken at midnight UTC), else a time with its offset."""
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc) if len(text) == 10 else _instant(text)


def _check_feed(path: Path, base_url: str) -> int:
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed", path
    for name in ("id", "title", "updated"):
        assert (root.findtext(f"{ATOM}{name}") or "").strip(), f"{path}: feed has no {name}"
    self_link = root.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href", "").startswith(base_url)
    feed_updated = _instant(root.findtext(f"{ATOM}updated"))
    entries = root.findall(f"{ATOM}entry")
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == len(ids), f"{path}: entry ids repeat"
    for entry in entries:
        where = f"{path}: {entry.findtext(f'{ATOM}title')}"
        assert (entry.findtext(f"{ATOM}title") or "").strip(), where
        assert (entry.findtext(f"{ATOM}id") or "").startswith(base_url), where
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None and link.get("href") == entry.findtext(f"{ATOM}id"), where
        published = _instant(entry.findtext(f"{ATOM}published"))
        updated = _instant(entry.findtext(f"{ATOM}updated"))
        assert published <= updated <= feed_updated, where
        assert (entry.findtext(f"{ATOM}summary") or "").strip(), where
    return len(entries)


def test_every_feed_is_atom_with_complete_entries(sites: dict[str, Built]) -> None:
    for site in sites.values():
        feeds = sorted(site.output.rglob("feed.xml"))
        assert len(feeds) >= 2
        assert sum(_check_feed(feed, site.base_url) for feed in feeds) > 0


def test_feed_updated_is_the_latest_change_not_the_newest_story(reader: Built) -> None:
    root = ET.parse(reader.output / "tags" / "infrastructure" / "feed.xml").getroot()
    assert root.findtext(f"{ATOM}updated") == "2024-06-01T08:00:00-04:00"  # the oldest story, updated


def test_sitemap_follows_the_protocol(sites: dict[str, Built]) -> None:
    for site in sites.values():
        root = ET.parse(site.output / "sitemap.xml").getroot()
        assert root.tag == f"{SITEMAP}urlset"
        locs = [url.findtext(f"{SITEMAP}loc") or "" for url in root.findall(f"{SITEMAP}url")]
        assert len(set(locs)) == len(locs) and all(loc.startswith(site.base_url) for loc in locs)
        for story in story_pages(site):
            assert parse_html(story).first("og:url") in locs
        for lastmod in root.iter(f"{SITEMAP}lastmod"):
            _instant(lastmod.text)
        robots = (site.output / "robots.txt").read_text()
        assert f"Sitemap: {site.base_url}sitemap.xml" in robots


# --- Metadata: JSON-LD, OpenGraph, canonical -----------------------------------------------


NEWS_ARTICLE_TYPES = {"NewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle", "BackgroundNewsArticle"}


def test_json_ld_is_a_news_article_with_the_model_fields(sites: dict[str, Built]) -> None:
    for site in sites.values():
        for path in story_pages(site):
            page = parse_html(path)
            assert len(page.json_ld) == 1, path
            data = json.loads(page.json_ld[0])
            assert data["@context"] == "https://schema.org" and data["@type"] in NEWS_ARTICLE_TYPES
            assert data["headline"] == page.first("og:title")
            assert _day_or_instant(data["datePublished"]) <= _day_or_instant(data["dateModified"])
            assert data["author"] and all(author["name"] for author in data["author"])
            assert data["keywords"] == page.all("article:tag")
            sources = path.read_text().count('<li id="source-')
            assert len(data["citation"]) == sources > 0
            assert "ClaimReview" not in path.read_text()


def test_sharing_tags_are_complete_and_follow_the_base_url(sites: dict[str, Built]) -> None:
    for site in sites.values():
        for path in story_pages(site):
            page = parse_html(path)
            canonical = next(link["href"] for link in page.links if link.get("rel") == "canonical")
            assert canonical.startswith(site.base_url) and canonical == page.first("og:url")
            assert page.first("og:type") == "article"
            for key in ("og:title", "og:description", "og:site_name", "article:published_time",
                        "article:modified_time", "twitter:card", "twitter:title", "twitter:description"):
                assert page.first(key).strip(), f"{path}: {key}"
            assert page.all("article:tag"), path


def test_a_story_image_reaches_link_previews_and_its_share_card_stands_in_without_one(reader: Built) -> None:
    image = FIXTURE_URL + "images/quay.png"
    page = parse_html(reader.output / "harbour-deal" / "index.html")
    assert page.first("og:image") == page.first("twitter:image") == image
    assert page.first("twitter:card") == "summary_large_image"
    assert json.loads(page.json_ld[0])["image"] == {"@type": "ImageObject", "url": image}
    assert (reader.output / "images" / "quay.png").is_file()
    plain = parse_html(reader.output / "canal-locks" / "index.html")
    card = plain.first("og:image")
    assert card == FIXTURE_URL + "canal-locks/card.png" and plain.first("twitter:card") == "summary_large_image"
    assert (reader.output / card.removeprefix(FIXTURE_URL)).is_file()


def test_a_story_image_must_be_a_web_address_or_a_site_path(tmp_path: Path) -> None:
    site = shutil.copytree(FIXTURES / "reader-site", tmp_path / "site")
    story = site / "content" / "canal-locks.md"
    story.write_text(story.read_text().replace("date: 2024-01-15\n", "date: 2024-01-15\nimage: quay.png\n"))
    done = run_briefgen("build", "-q", "-s", site)
    assert done.code == 1 and "canal-locks.md:4: error: the 'image' must be an http or https address" in done.err


# --- Weight, scripts, styles ---------------------------------------------------------------


def _story_weight(site: Built, path: Path) -> int:
    """Compressed bytes of a story page and its stylesheets (search is loaded only on use)."""
    page = parse_html(path)
    sheets = [site.served / link["href"].lstrip("/") for link in page.links if link.get("rel") == "stylesheet"]
    return sum(len(gzip.compress(file.read_bytes(), 9)) for file in [path, *sheets])


def test_story_pages_are_under_the_weight_budget(sites: dict[str, Built]) -> None:
    for site in sites.values():
        for path in story_pages(site):
            weight = _story_weight(site, path)
            assert weight < BUDGET_BYTES, f"{path}: {weight} bytes compressed"


def test_no_render_blocking_or_inline_scripts_no_inline_styles_no_web_fonts(sites: dict[str, Built]) -> None:
    for site in sites.values():
        for path in html_files(site):
            page = parse_html(path)
            for script in page.scripts:
                if script.get("type") == "application/ld+json":
                    continue
                assert script.get("src"), f"{path}: inline script"
                assert script.get("type") == "module" or "defer" in script or "async" in script, path
            assert page.styled == [], f"{path}: inline style on {page.styled}"
            assert "<style" not in path.read_text(), f"{path}: a <style> element"
        for css in site.output.glob("assets/*.css"):
            text = css.read_text()
            assert "@font-face" not in text and "@import" not in text and "url(" not in text, css


# --- Reading comfort (static) --------------------------------------------------------------


def _index(html: str, marker: str) -> int:
    assert marker in html, marker
    return html.index(marker)


def test_story_reads_in_order_without_css(reader: Built) -> None:
    html = (reader.output / "harbour-deal" / "index.html").read_text()
    order = ["<h1>", 'class="meta"', 'rel="tag"', 'id="summary"', 'id="facts"', 'class="toc"',
             'id="narratives"', 'id="contra"', 'id="body"', 'class="credit"', 'id="sources"', 'id="notes"']
    positions = [_index(html, marker) for marker in order]
    assert positions == sorted(positions)


def test_long_stories_get_a_table_of_contents_short_ones_do_not(reader: Built) -> None:
    html = (reader.output / "harbour-deal" / "index.html").read_text()
    start = _index(html, 'class="toc"')
    toc = html[start:html.index("</nav>", start)]
    targets = re.findall(r'href="#([^"]+)"', toc)
    assert {"facts", "narratives", "contra", "why-the-quay-matters", "the-hearings", "sources"} <= set(targets)
    assert all(f'id="{target}"' in html for target in targets)
    assert 'class="toc"' not in (reader.output / "canal-locks" / "index.html").read_text()


def test_updated_date_and_reading_time_are_shown(reader: Built) -> None:
    html = (reader.output / "canal-locks" / "index.html").read_text()
    assert re.search(r'Updated <time datetime="2024-06-01T08:00:00-04:00">1 June 2024</time>', html)
    assert "min read" in html


# --- Search: Pagefind ----------------------------------------------------------------------


def test_search_can_be_turned_off(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "reader-site", site)
    with (site / "briefgen.yaml").open("a", encoding="utf-8") as config:
        config.write("search: false\n")
    assert run_briefgen("build", "-q", "-s", site).code == 0
    assert not (site / "public" / "pagefind").exists()
    page = (site / "public" / "harbour-deal" / "index.html").read_text()
    assert "search." not in page and 'role="search"' not in page


def test_a_failed_search_index_leaves_the_previous_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "reader-site", site)
    options = BuildOptions(site_dir=site)
    assert build(options).written
    before = tree_bytes(site / "public")
    (site / "content" / "canal-locks.md").unlink()
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-pagefind"))  # Pagefind cannot start
    result = build(options)
    assert result.failed and not result.written
    assert "search index" in result.diagnostics.errors[0].message
    assert tree_bytes(site / "public") == before


# --- In the browser ------------------------------------------------------------------------


def _csp_headers() -> list[tuple[str, dict[str, str]]]:
    config = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))
    return [(rule["for"], rule["values"]) for rule in config["headers"]]


class _NetlifyHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files with the response headers netlify.toml gives their paths."""

    rules: list[tuple[str, dict[str, str]]] = []

    def end_headers(self) -> None:
        for pattern, values in self.rules:
            if fnmatch(self.path.split("?")[0], pattern):
                for name, value in values.items():
                    self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def servers(sites: dict[str, Built]) -> Iterator[dict[str, str]]:
    """Each site over HTTP, without and with netlify.toml's headers (key + "+csp")."""
    urls: dict[str, str] = {}
    running: list[http.server.ThreadingHTTPServer] = []
    handler = type("Handler", (_NetlifyHandler,), {"rules": _csp_headers()})
    for name, site in sites.items():
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(site.served)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        running.append(server)
        urls[f"{name}+csp"] = f"http://127.0.0.1:{server.server_address[1]}"
    with (serve_directory(sites["example"].served) as example, serve_directory(sites["reader"].served) as reader,
          serve_directory(sites["newsroom"].served) as newsroom):
        urls |= {"example": example, "reader": reader, "newsroom": newsroom}
        yield urls
    for server in running:
        server.shutdown()
        server.server_close()


PAGE_TYPES = [
    ("reader", "/news/", "home"),
    ("reader", "/news/page/2/", "paginated home"),
    ("reader", LONG_STORY, "story"),
    ("reader", "/news/tags/world/", "tag"),
    ("reader", "/news/tags/world/page/2/", "paginated tag"),
    ("reader", "/news/tags/", "tags index"),
    ("reader", "/news/404.html", "404"),
    ("example", "/", "home"),
    ("example", "/us-japan-security-pact/", "story"),
    ("example", "/outlets/", "outlets index"),
    ("example", "/outlets/global-times/", "outlet"),
    ("newsroom", "/pact-signed/", "story with a thread and a correction"),
    ("newsroom", "/talks-open/", "story with outlets and related stories"),
    ("newsroom", "/outlets/reuters/page/2/", "paginated outlet"),
]


def _axe(page: Page) -> list[str]:
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core missing: {INSTALL_HINT}", pytrace=False)
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    results = page.evaluate("async () => { const r = await axe.run(document); return [r.passes.length, "
                            "r.violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' '))"
                            ".join('; ')})`)]; }")
    assert results[0] > 10, "axe checked almost nothing"
    return list(results[1])


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("site", "path", "kind"), PAGE_TYPES, ids=[f"{s}:{k}" for s, _, k in PAGE_TYPES])
def test_axe_finds_no_violations(page: Page, servers: dict[str, str], site: str, path: str, kind: str,
                                 scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(servers[site] + path)
    assert _axe(page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_in_search_results(page: Page, servers: dict[str, str], scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(servers["reader"] + LONG_STORY)
    page.get_by_role("searchbox", name="Search").fill("quay")
    expect(page.locator("#search_results li").first).to_be_visible()
    assert _axe(page) == []


def _watch_csp(page: Page, origin: str) -> tuple[list[str], list[str]]:
    """CSP reports from the console and from `securitypolicyviolation` events, and off-site requests."""
    problems: list[str] = []
    elsewhere: list[str] = []
    page.on("console", lambda message: problems.append(message.text)
            if "Content Security Policy" in message.text or message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda request: None if request.url.startswith(origin)
            else elsewhere.append(request.url))
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "console.error(`Content Security Policy: ${e.violatedDirective} ${e.blockedURI}`))")
    return problems, elsewhere


@pytest.mark.parametrize(("site", "path", "kind"), PAGE_TYPES, ids=[f"{s}:{k}" for s, _, k in PAGE_TYPES])
def test_pages_satisfy_the_netlify_csp(page: Page, servers: dict[str, str], site: str, path: str,
                                       kind: str) -> None:
    origin = servers[f"{site}+csp"]
    problems, elsewhere = _watch_csp(page, origin)
    response = page.goto(origin + path)
    assert response is not None and "default-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert problems == [] and elsewhere == []


LAYOUT_SHIFT = """() => new Promise((done) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => done(total), 1500);  // the search script has long run by then
})"""


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}],
                         ids=["phone", "desktop"])
def test_the_search_form_appearing_shifts_nothing(browser: Browser, servers: dict[str, str],
                                                 viewport: ViewportSize) -> None:
    """The form is shown by search.js after load: it pushed the page 40 px (CLS 0.041). Its room is kept."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(servers["reader+csp"] + LONG_STORY)
    expect(page.get_by_role("searchbox", name="Search")).to_be_visible()
    shift = page.evaluate(LAYOUT_SHIFT)
    context.close()
    assert shift < 0.005


def test_without_javascript_the_search_form_is_hidden_and_takes_no_room(browser: Browser,
                                                                       servers: dict[str, str]) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(servers["reader"] + LONG_STORY)
    form = page.locator("form.search")
    expect(form).to_be_hidden()
    assert form.bounding_box() is None
    context.close()


def test_search_finds_the_one_story_with_a_word_from_its_fact(page: Page, servers: dict[str, str]) -> None:
    """Through the search box, with Pagefind's WebAssembly running under the site's CSP."""
    origin = servers["reader+csp"]
    problems, elsewhere = _watch_csp(page, origin)
    page.goto(origin + "/news/tags/")
    box = page.get_by_role("searchbox", name="Search")
    box.fill(UNIQUE_FACT_WORD)
    results = page.locator("#search_results li a")
    expect(results).to_have_count(1)
    assert results.get_attribute("href") == LONG_STORY + "#facts-heading"  # the section the word is in
    expect(page.get_by_role("status")).to_contain_text("1 story matches")
    box.fill("Infrastructure")  # a tag: three stories carry it
    expect(results).to_have_count(3)
    box.fill("Latest")  # navigation is not indexed
    expect(page.get_by_role("status")).to_contain_text("No stories match")
    expect(results).to_have_count(0)
    assert problems == [] and elsewhere == []


def test_search_box_is_hidden_without_javascript(browser: Browser, servers: dict[str, str]) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(servers["reader"] + LONG_STORY)
        expect(page.get_by_role("searchbox")).to_have_count(0)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.locator("#facts li").first).to_be_visible()
    finally:
        context.close()


def test_skip_link_comes_first_and_focus_is_visible(page: Page, servers: dict[str, str]) -> None:
    page.goto(servers["reader"] + LONG_STORY)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    for _ in range(6):
        outline = page.evaluate("() => { const s = getComputedStyle(document.activeElement); "
                                "return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")
        assert outline[0] != "none" and outline[1] >= 2, outline
        page.keyboard.press("Tab")
    page.goto(servers["reader"] + LONG_STORY)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def _link_names(page: Page, selector: str) -> list[str]:
    """Accessible names of the links below `selector`, from Chromium's accessibility tree."""
    return re.findall(r'link "((?:[^"\\]|\\.)*)"', page.locator(selector).aria_snapshot())


def test_citations_and_back_links_are_named_with_the_outlet(page: Page, servers: dict[str, str]) -> None:
    page.goto(servers["reader"] + LONG_STORY)
    citations = _link_names(page, "#facts")
    # Chromium puts a space around the visually hidden parts: "Source 1 : The Harbour Gazette".
    assert any(re.fullmatch(r"Source 1 ?: The Harbour Gazette", name) for name in citations), citations
    assert any(re.fullmatch(r"Source 3 ?: City Council minutes", name) for name in citations), citations
    assert citations and all(re.fullmatch(r"Source \d+ ?: .+", name) for name in citations), citations
    backrefs = [name for name in _link_names(page, "#sources") if name.startswith("Back to")]
    assert len(backrefs) == len(set(backrefs)) > 0
    assert any("The Harbour Gazette" in name for name in backrefs), backrefs


def test_narratives_pair_up_under_their_heading_on_wide_screens_and_stack_on_phones(
        page: Page, servers: dict[str, str]) -> None:
    page.goto(servers["reader"] + LONG_STORY)
    wide = [page.locator(".narrative").nth(i).bounding_box() for i in range(3)]
    heading = page.locator("#narratives-heading").bounding_box()
    assert heading and wide[0] and wide[1]
    assert round(wide[0]["x"]) == round(heading["x"])  # aligned with their heading, in the text column
    assert round(wide[0]["y"]) == round(wide[1]["y"]) and wide[1]["x"] > wide[0]["x"]  # side by side
    page.set_viewport_size({"width": 390, "height": 844})
    narrow = [page.locator(".narrative").nth(i).bounding_box() for i in range(3)]
    assert len({round(box["x"]) for box in narrow if box}) == 1
    assert [box["y"] for box in narrow if box] == sorted(box["y"] for box in narrow if box)


def test_print_shows_source_urls_and_hides_navigation(page: Page, servers: dict[str, str]) -> None:
    page.emulate_media(media="print")
    page.goto(servers["reader"] + LONG_STORY)
    after = page.evaluate("getComputedStyle(document.querySelector('.sources a[href^=\"http\"]'), "
                          "'::after').content")
    assert "gazette.example" in after or "attr(href)" in after, after
    expect(page.locator(".site-header nav")).to_be_hidden()
    expect(page.locator(".toc")).to_be_hidden()


def test_print_leaves_no_cited_in_line_without_its_links(page: Page, servers: dict[str, str]) -> None:
    """Print hides the back links, and so the words that introduce them: no "↩ Cited in , , ," is left."""
    page.emulate_media(media="print")
    page.goto(servers["reader"] + LONG_STORY)
    sources = page.locator(".sources")
    expect(sources).to_be_visible()
    printed = sources.inner_text()
    assert "↩" not in printed and page.locator(".cited-in").first.is_hidden(), printed


# --- netlify.toml --------------------------------------------------------------------------


def test_netlify_builds_like_a_user_and_sends_the_headers() -> None:
    config = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))
    assert config["build"]["command"] == "pip install . && briefgen build"
    assert config["build"]["publish"] == "public"
    assert config["build"]["environment"]["PYTHON_VERSION"] == "3.11"
    assert '--base-url "$DEPLOY_PRIME_URL"' in config["context"]["deploy-preview"]["command"]
    headers = dict(_csp_headers())
    everywhere = headers["/*"]
    csp = everywhere["Content-Security-Policy"]
    assert "script-src 'self' 'wasm-unsafe-eval'" in csp and "style-src 'self';" in csp
    assert "unsafe-inline" not in csp
    assert everywhere["X-Content-Type-Options"] == "nosniff" and everywhere["Referrer-Policy"]
    assert "Cache-Control" not in everywhere
    assert headers["/assets/*"]["Cache-Control"] == "public, max-age=31536000, immutable"
    assert [pattern for pattern, values in headers.items() if "Cache-Control" in values] == ["/assets/*"]


def test_only_fingerprinted_files_are_under_assets(sites: dict[str, Built]) -> None:
    for site in sites.values():
        for path in (site.output / "assets").iterdir():
            assert re.fullmatch(r"[\w-]+\.[0-9a-f]{10}\.\w+", path.name), path


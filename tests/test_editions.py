"""The daily edition: `editions: true` gives a page per day, an index and a feed; `briefgen edition`
writes a day as an email and as text. Tried on a site the templates never saw, in the site's time zone,
with drafts, future and expired stories that must never appear."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import make_site, run_briefgen, story_text, tree_bytes, words

ATOM = "{http://www.w3.org/2005/Atom}"
NPM = Path(__file__).resolve().parent.parent / ".cache" / "npm" / "node_modules"
VNU_JAR = NPM / "vnu-jar" / "build" / "dist" / "vnu.jar"
CLOCK = "2024-03-20T12:00+00:00"


def _story(title: str, date: str, extra: str = "") -> str:
    return story_text(title, date=date).replace("contra:", f"{extra}contra:")


STORIES = {
    # 23:30 UTC on 1 March is 00:30 on 2 March in Paris: the site's time zone decides the day
    "late.md": _story("Late news", "2024-03-01T23:30:00+00:00"),
    "morning.md": _story("Morning news", "2024-03-02T08:00:00+01:00"),
    "early.md": _story("Early news", "2024-03-01", extra="kind: opinion\n"),
    "draft.md": _story("Draft news", "2024-03-02", extra="draft: true\n"),
    "future.md": _story("Future news", "2024-03-25"),
    "expired.md": _story("Expired news", "2024-02-10", extra="expires: 2024-03-01\n"),
}
CONFIG = "title: The Daily\nbase_url: https://daily.example/\neditions: true\ntime_zone: Europe/Paris\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = make_site(tmp_path_factory.mktemp("editions"), STORIES, config=CONFIG)
    run = run_briefgen("build", "--clock", CLOCK, cwd=site)
    assert run.code == 0, run.err
    return site


def _titles(html: str) -> list[str]:
    return re.findall(r">((?:Late|Morning|Early|Draft|Future|Expired) news)</a>", html)


def test_each_day_has_its_page_in_the_site_time_zone_without_drafts_future_or_expired(site: Path) -> None:
    public = site / "public"
    assert sorted(path.name for path in (public / "editions").iterdir() if path.is_dir()) == [
        "2024-03-01", "2024-03-02"]
    second = (public / "editions/2024-03-02/index.html").read_text()
    assert _titles(second) == ["Morning news", "Late news"]  # newest first
    assert "Edition of 2 March 2024" in words(second)
    assert _titles((public / "editions/2024-03-01/index.html").read_text()) == ["Early news"]
    assert "Opinion" in words((public / "editions/2024-03-01/index.html").read_bytes())


def test_the_index_lists_the_days_newest_first_and_every_page_links_it(site: Path) -> None:
    public = site / "public"
    index = (public / "editions/index.html").read_text()
    assert re.findall(r'href="/editions/([\d-]+)/"', index) == ["2024-03-02", "2024-03-01"]
    assert '<a href="/editions/">Editions</a>' in (public / "index.html").read_text()
    sitemap = (public / "sitemap.xml").read_text()
    assert "https://daily.example/editions/2024-03-02/" in sitemap and "email" not in sitemap


def test_the_feed_has_one_entry_a_day_with_the_edition_and_absolute_links(site: Path) -> None:
    feed = ET.parse(site / "public/editions/feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Edition of 2 March 2024",
                                                                      "Edition of 1 March 2024"]
    content = entries[0].findtext(f"{ATOM}content") or ""
    assert _titles(content) == ["Morning news", "Late news"]
    links = re.findall(r'href="([^"]+)"', content)
    assert links and all(link.startswith("https://daily.example/") for link in links)


def test_a_site_without_editions_has_none(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"one.md": story_text("One")})
    assert run_briefgen("build", cwd=site).code == 0
    assert not (site / "public/editions").exists() and "/editions/" not in (site / "public/index.html").read_text()


# --- briefgen edition -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def email(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    run = run_briefgen("edition", "2024-03-02", "-o", out, "--clock", CLOCK, cwd=site)
    assert run.code == 0, run.err
    assert sorted(path.name for path in out.iterdir()) == ["2024-03-02.html", "2024-03-02.txt"]
    return out / "2024-03-02.html"


def test_the_email_is_self_contained_small_and_links_to_pages_of_the_site(site: Path, email: Path) -> None:
    html = email.read_text()
    assert len(email.read_bytes()) < 100 * 1024
    assert "<script" not in html and 'rel="stylesheet"' not in html and "@font-face" not in html
    assert "max-width:600px" in html
    links = re.findall(r'href="([^"]+)"', html)
    assert links
    for link in links:
        address = urlsplit(link)
        assert address.scheme == "https" and address.netloc == "daily.example", link
        page = site / "public" / address.path.lstrip("/") / ("index.html" if address.path.endswith("/") else "")
        assert page.is_file(), link
    preheader = re.search(r'<div style="display:none[^"]*">([^<]*)</div>', html)
    assert preheader is not None and preheader.group(1) == "A one-paragraph summary of Morning news."


def test_the_text_twin_holds_every_story_title_summary_facts_and_address(email: Path) -> None:
    text = email.with_suffix(".txt").read_text()
    for title in ("Morning news", "Late news"):
        assert f"NEWS: {title}" in text
        assert f"A one-paragraph summary of {title}." in text and f"- A fact about {title}." in text
    assert "https://daily.example/morning/" in text and "https://daily.example/late/" in text
    assert "<" not in text and "Draft news" not in text


def test_the_newest_edition_is_the_default_and_a_day_without_one_is_an_error(site: Path, tmp_path: Path) -> None:
    run = run_briefgen("edition", "-o", tmp_path, "--clock", CLOCK, cwd=site)
    assert run.code == 0 and (tmp_path / "2024-03-02.html").is_file()

    missing = run_briefgen("edition", "2024-03-05", "-o", tmp_path, "--clock", CLOCK, cwd=site)
    assert missing.code == 1
    assert "error: there is no edition of 2024-03-05" in missing.err
    assert "the newest editions: 2024-03-02, 2024-03-01" in missing.err


def test_a_site_without_editions_says_how_to_turn_them_on(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"one.md": story_text("One")})

    run = run_briefgen("edition", "-o", tmp_path, cwd=site)

    assert run.code == 1
    assert "briefgen.yaml: error: the site makes no editions\n  hint: add `editions: true` to briefgen.yaml" in run.err


def test_a_time_zone_the_database_lacks_is_an_error_at_its_line(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"one.md": story_text("One")}, config="base_url: https://x.example/\n"
                                                                       "time_zone: Mars/Base\n")
    run = run_briefgen("build", cwd=site)
    assert run.code == 1
    assert "briefgen.yaml:2: error: 'time_zone' must name a time zone of the IANA database, not 'Mars/Base'" in run.err


# --- The email as email is read -----------------------------------------------------------------

@pytest.mark.slow
def test_vnu_finds_no_errors_in_the_email(email: Path) -> None:
    java = shutil.which("java")
    if java is None or not VNU_JAR.is_file():
        pytest.fail("Java or vnu.jar missing: run bash tests/run", pytrace=False)
    done = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", str(email)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert json.loads(done.stderr or done.stdout)["messages"] == []


def test_the_email_reads_in_a_browser_with_its_css_stripped_as_a_webmail_would(email: Path, page: object) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    html = re.sub(r"<style>.*?</style>", "", email.read_text(), flags=re.S)
    html = re.sub(r' style="[^"]*"', "", html)
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_content(html)
    for title in ("Morning news", "Late news"):
        assert page.get_by_role("link", name=title).is_visible()
    assert page.get_by_role("heading", name="Edition of 2 March 2024").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_an_edited_story_changes_its_edition_page_and_feed_as_a_fresh_build_would(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", STORIES, config=CONFIG)
    assert run_briefgen("build", "--clock", CLOCK, cwd=site).code == 0
    story = site / "content" / "late.md"
    story.write_text(story.read_text().replace("A one-paragraph summary", "A rewritten summary"))

    assert run_briefgen("build", "--clock", CLOCK, cwd=site).code == 0
    assert run_briefgen("build", "--clock", CLOCK, "--no-cache", "-o", tmp_path / "fresh", cwd=site).code == 0

    assert tree_bytes(site / "public") == tree_bytes(tmp_path / "fresh")
    assert "A rewritten summary of Late news" in (site / "public/editions/2024-03-02/index.html").read_text()

"""The newsroom layer on a fixture site: outlets, corrections, threads, related stories, kinds, JSON Feed.

The site's stories name outlets by id (`reuters`), by name in another case
(`global times`) and by a name the registry lacks (`Nikkei Asia`); three stories
form a thread; each kind of work appears once. Its whole output is compared with
a golden tree (`--update-golden` rewrites it), and the parts a reader or a feed
reader relies on are checked by what they mean.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ElementTree
from datetime import date, timedelta
from pathlib import Path

import jsonschema
import pytest

from briefgen.build import BuildOptions, build
from briefgen.commands.check import check_site
from tests.conftest import FIXTURES, ROOT, assert_matches_golden, make_site, run_briefgen, story_text, tree_bytes, words
from tests.htmltext import broken_links
from tests.test_cache import NOW

SITE = FIXTURES / "sites" / "newsroom"
GOLDEN = ROOT / "tests" / "golden" / "newsroom"
SCHEMA = json.loads((FIXTURES / "jsonfeed-1.1.schema.json").read_text())
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("newsroom") / "public"
    run = run_briefgen("build", "--no-cache", "-s", SITE, "-o", output)
    assert run.code == 0, run.err
    return output


def main_text(built: Path, page: str) -> str:
    html = (built / page).read_text()
    return html[html.index("<main"):html.index("</main>")]


def json_ld(built: Path, page: str) -> dict[str, object]:
    html = (built / page).read_text()
    found = re.search(r'<script type="application/ld\+json">\s*(.*?)\s*</script>', html, re.DOTALL)
    assert found is not None
    return dict(json.loads(found.group(1)))


def test_output_matches_the_golden_tree(built: Path, update_golden: bool) -> None:
    assert_matches_golden(built, GOLDEN, update_golden)


def test_every_link_and_fragment_resolves(built: Path) -> None:
    assert broken_links(built, "https://example.org/") == []


def test_sources_resolve_by_id_and_by_name_and_others_stay_free_text(built: Path) -> None:
    """`outlet: reuters` (an id) and `outlet: global times` (a name in another case) show the registry's
    name; an outlet the registry does not know shows as written."""
    page = main_text(built, "talks-open/index.html")
    assert '<cite class="outlet"><a href="https://www.reuters.com/world/asia-pacific/talks/">Reuters</a></cite>' in page
    assert '(<a href="/outlets/reuters/">wire, United Kingdom</a>)' in page
    assert '<cite class="outlet">Global Times</cite> <span class="no-link">(no link given)</span> ' \
           '<span class="outlet-about">(<a href="/outlets/global-times/">state media, China</a>)' in page
    assert re.search(r'<cite class="outlet">Nikkei Asia</cite> <span class="no-link">\(no link given\)</span>\s*'
                     r'<span class="cited-in"', page)
    assert "3 sources from 3 outlets in 2 countries: 1 wire, 1 state media" in page


def test_the_registry_name_is_what_citations_back_links_and_json_ld_say(built: Path) -> None:
    """A screen reader hears the outlet's name, not its id, and so do search engines."""
    html = (built / "talks-open" / "index.html").read_text()
    assert 'aria-label="Source 1: Reuters"' in html and 'aria-label="Source 2: Global Times"' in html
    assert 'aria-label="Source 1: reuters"' not in html and "Source 2: global times" not in html
    assert 'aria-label="Back to citation 1 of source 1, Reuters, in Facts"' in html
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found is not None
    citations = json.loads(found.group(1))["citation"]
    assert [work["publisher"]["name"] for work in citations] == ["Reuters", "Global Times", "Nikkei Asia"]


def test_a_fact_on_a_single_outlet_is_marked_in_words(built: Path) -> None:
    facts = re.findall(r"<li>(.*?)</li>", main_text(built, "talks-open/index.html").split('id="facts"')[1]
                       .split("</section>")[0])
    marked = ["(single outlet)" in fact for fact in facts]
    assert marked == [True, False, True]  # Reuters; Reuters and Global Times; Nikkei Asia


def test_a_narrative_shows_its_provider_from_the_registry(built: Path) -> None:
    page = main_text(built, "talks-open/index.html")
    assert ('<p class="provider-about">Think tank, United States. Foreign-policy think tank in Washington, D.C. '
            '<a href="/outlets/csis/">More on CSIS</a></p>') in page


def test_outlet_pages_list_the_stories_that_show_them_newest_first(built: Path) -> None:
    index = main_text(built, "outlets/index.html")
    assert index.index(">Reuters<") < index.index(">Global Times<") < index.index(">Quiet Press<")
    assert "cited in 3 stories; 0 narratives provided" in index
    outlet = main_text(built, "outlets/global-times/index.html")
    assert "State media" in outlet and "China" in outlet and "People&#39;s Daily" in outlet
    assert outlet.index("Reactions to the pact") < outlet.index("Pact talks open in Tokyo")
    assert (built / "outlets" / "reuters" / "page" / "2" / "index.html").is_file()  # three stories, two a page


def test_corrections_show_dated_and_move_the_updated_date(built: Path) -> None:
    page = main_text(built, "pact-signed/index.html")
    assert ('<li><time datetime="2024-04-12">12 April 2024</time>: An earlier version gave the wrong date for the '
            '<strong>second round</strong>.</li>') in page
    assert page.index('id="corrections"') < page.index('id="facts"')
    data = json_ld(built, "pact-signed/index.html")
    assert data["dateModified"] == "2024-04-12"  # a plain date, as written: no midnight made up
    assert data["correction"] == [{"@type": "CorrectionComment", "datePublished": "2024-04-12",
                                   "text": "An earlier version gave the wrong date for the second round."}]
    entry = next(item for item in json.loads((built / "feed.json").read_text())["items"]
                 if item["id"].endswith("/pact-signed/"))
    assert entry["date_modified"] == "2024-04-12T00:00:00Z"


def test_feed_entries_carry_the_corrections_and_only_absolute_links(built: Path) -> None:
    """A feed reader shows an entry far from the site: its corrections too, and links that lead somewhere
    (JSON Feed has no base to resolve `/outlets/...` or `#source-...` against)."""
    correction = "An earlier version gave the wrong date for the <strong>second round</strong>."
    entry = next(item for item in json.loads((built / "feed.json").read_text())["items"]
                 if item["id"].endswith("/pact-signed/"))
    content = entry["content_html"]
    assert correction in content and content.index(correction) < content.index('id="facts"')
    assert not re.findall(r'(?:href|src)="(?![a-z]+:)', content)
    assert 'href="https://example.org/pact-signed/#source-yomiuri"' in content
    atom = ElementTree.parse(built / "feed.xml").getroot()
    namespace = {"atom": "http://www.w3.org/2005/Atom"}
    atom_entry = next(item for item in atom.findall("atom:entry", namespace)
                      if (item.findtext("atom:id", "", namespace)).endswith("/pact-signed/"))
    atom_content = atom_entry.findtext("atom:content", "", namespace)
    assert correction in atom_content and not re.findall(r'(?:href|src)="(?![a-z]+:)', atom_content)


def test_opinion_and_analysis_are_labelled_on_every_card_and_feed_entry(built: Path) -> None:
    """Opinion looked like news on the lists and in both feeds (Trust Project: type of work)."""
    lists = [main_text(built, page) for page in ("index.html", "page/2/index.html", "page/3/index.html")]
    cards = {re.search(r'<h2><a href="([^"]+)"', card).group(1): card  # type: ignore[union-attr]
             for page in lists for card in re.findall(r'<article class="card">(.*?)</article>', page, re.S)}
    assert '<p class="kind kind-opinion">Opinion</p>' in cards["/pact-reactions/"]
    assert '<p class="kind kind-analysis">Analysis</p>' in cards["/pact-signed/"]
    assert 'class="kind' not in cards["/talks-open/"]  # news is the default: no label
    entry = next(item for item in json.loads((built / "feed.json").read_text())["items"]
                 if item["id"].endswith("/pact-reactions/"))
    assert entry["content_html"].startswith("<p><strong>Opinion</strong></p>")
    namespace = {"atom": "http://www.w3.org/2005/Atom"}
    atom_entry = next(item for item in ElementTree.parse(built / "feed.xml").getroot().findall("atom:entry", namespace)
                      if item.findtext("atom:id", "", namespace).endswith("/pact-reactions/"))
    assert {(category.get("term"), category.get("label")) for category in atom_entry.findall("atom:category", namespace)
            } >= {("kind:opinion", "Opinion")}


def test_a_story_that_follows_another_links_to_it_at_its_top(built: Path) -> None:
    """The latest story of a thread linked to earlier coverage only after its sources."""
    page = main_text(built, "pact-reactions/index.html")
    header = page.split("</header>")[0]
    assert ('<p class="earlier">Earlier: <a href="/pact-signed/">Security pact signed</a> '
            '(<time datetime=') in header
    assert 'class="earlier"' not in main_text(built, "talks-open/index.html")  # the first follows none


def test_a_thread_shows_on_every_story_of_it_and_later_on_the_followed_ones(built: Path) -> None:
    titles = ["Pact talks open in Tokyo", "Security pact signed", "Reactions to the pact"]
    for slug, current in (("talks-open", 0), ("pact-signed", 1), ("pact-reactions", 2)):
        thread = main_text(built, f"{slug}/index.html").split('class="thread"')[1].split("</nav>")[0]
        shown = re.findall(r"<li><time[^>]*>[^<]*</time>: <(?:a|strong)[^>]*>([^<]*)</", thread)
        assert shown == titles, slug
        assert f'<strong aria-current="page">{titles[current]}</strong>' in thread
    assert 'Later: <a href="/pact-signed/">Security pact signed</a>' in main_text(built, "talks-open/index.html")
    assert "Later:" not in main_text(built, "pact-reactions/index.html")
    assert 'class="thread"' not in main_text(built, "cocoa/index.html")


def test_related_stories_share_tags_and_leave_out_the_thread(built: Path) -> None:
    related = main_text(built, "pact-signed/index.html").split('class="related"')[1].split("</nav>")[0]
    assert re.findall(r'<a href="/([^/]+)/">', related) == ["alliances-explained"]
    assert 'class="related"' not in main_text(built, "cocoa/index.html")


@pytest.mark.parametrize("slug, kind, schema_type", [
    ("cocoa", "News", "NewsArticle"), ("pact-signed", "Analysis", "AnalysisNewsArticle"),
    ("pact-reactions", "Opinion", "OpinionNewsArticle"), ("alliances-explained", "Explainer", "BackgroundNewsArticle"),
])
def test_each_kind_of_work_is_labelled_and_typed(built: Path, slug: str, kind: str, schema_type: str) -> None:
    page = main_text(built, f"{slug}/index.html")
    assert re.search(rf'<p class="kind kind-\w+">{kind}</p>\s*<h1>', page)
    assert json_ld(built, f"{slug}/index.html")["@type"] == schema_type


def test_every_json_feed_is_valid_and_matches_its_atom_feed(built: Path) -> None:
    json_feeds = sorted(built.rglob("feed.json"))
    assert len(json_feeds) == 1 + len(list((built / "tags").glob("*/feed.json"))) > 1
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for path in json_feeds:
        feed = json.loads(path.read_text())
        validator.validate(feed)
        atom = ElementTree.parse(path.with_name("feed.xml")).getroot()
        assert [item["id"] for item in feed["items"]] == [entry.findtext(f"{ATOM}id") for entry in
                                                          atom.iter(f"{ATOM}entry")], path
        assert [item["date_modified"] for item in feed["items"]] == [entry.findtext(f"{ATOM}updated") for entry in
                                                                     atom.iter(f"{ATOM}entry")], path


def test_check_warns_of_an_outlet_the_registry_lacks() -> None:
    result = check_site(SITE)
    unknown = [d for d in result.diagnostics.warnings if d.code == "unknown-outlet"]
    assert [(Path(d.path).name, d.line, d.message) for d in unknown] == [
        ("talks-open.md", 12, "the outlet 'Nikkei Asia' is not in outlets.yaml")]


def test_a_story_with_an_error_hides_no_other_storys_warnings_but_links_to_it_wait(tmp_path: Path) -> None:
    """All problems at once: cross-story advice is given while a story has an error; only a link to
    the story that failed to read waits, as its slug is not known."""
    site = copy_site(tmp_path)
    talks = site / "content" / "talks-open.md"
    (site / "content" / "broken.md").write_text(talks.read_text().replace("title:", "title: [", 1))
    talks.write_text(talks.read_text() + "\nSee [the next one](/broken/) and [another](/no-such-story/).\n")
    result = check_site(site)
    found = sorted((Path(d.path).name, d.code) for d in result.diagnostics.items
                   if d.code in ("unknown-outlet", "unknown-story-link", "yaml-syntax"))
    assert found == [("broken.md", "yaml-syntax"), ("talks-open.md", "unknown-outlet"),
                     ("talks-open.md", "unknown-story-link")]
    assert [d.message for d in result.diagnostics.warnings if d.code == "unknown-story-link"] == [
        "the link '/no-such-story/' goes to no story: there is no slug 'no-such-story'"]


def test_while_the_registry_has_an_error_no_outlet_is_called_unknown(tmp_path: Path) -> None:
    site = copy_site(tmp_path)
    registry = site / "outlets.yaml"
    registry.write_text(registry.read_text() + "\nBad Id!:\n  name: Broken\n")
    result = check_site(site)
    assert [d.code for d in result.diagnostics.errors] == ["bad-id"]
    assert not [d for d in result.diagnostics.warnings if d.code == "unknown-outlet"]


def copy_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    return site


def warm(site: Path) -> None:
    result = build(BuildOptions(site_dir=site, now=NOW, jobs=1))
    assert result.written, [d.format() for d in result.diagnostics.items]


def test_an_outlet_edit_renders_only_the_pages_that_show_a_story_citing_it(tmp_path: Path,
                                                                           rendered: list[str]) -> None:
    site = copy_site(tmp_path)
    warm(site)
    rendered.clear()
    registry = site / "outlets.yaml"
    registry.write_text(registry.read_text().replace("kind: newspaper", "kind: magazine"))
    warm(site)
    # The Yomiuri is cited by one story: its page, the outlet pages and every page holding that story
    # (lists, feeds, its thread) are rendered again; the rest is kept as published.
    assert {"outlets/", "outlets/yomiuri/", "pact-signed/", "feed.xml", "talks-open/"} <= set(rendered)
    assert not {"cocoa/", "outlets/reuters/", "outlets/global-times/", "tags/markets/", "404.html"} & set(rendered)
    assert "1 magazine" in main_text(site / "public", "pact-signed/index.html")


@pytest.mark.parametrize("change", ["outlets", "follows", "correction", "kind"])
def test_a_warm_build_after_a_newsroom_change_equals_a_cold_build(tmp_path: Path, change: str) -> None:
    site = copy_site(tmp_path)
    warm(site)
    edits = {
        "outlets": ("outlets.yaml", "name: Global Times", "name: The Global Times"),
        "follows": ("content/pact-reactions.md", "follows: pact-signed", "follows: talks-open"),
        "correction": ("content/pact-signed.md", "date: 2024-04-12", "date: 2024-04-20"),
        "kind": ("content/pact-reactions.md", "kind: opinion", "kind: analysis"),
    }
    name, old, new = edits[change]
    path = site / name
    path.write_text(path.read_text().replace(old, new))
    warm(site)
    cold = build(BuildOptions(site_dir=site, now=NOW, jobs=1, cache=False, output_dir=tmp_path / "cold"))
    assert cold.written
    assert tree_bytes(site / "public") == tree_bytes(tmp_path / "cold")


# A long thread: a story page shows a window of it and links to the thread's own page.


def build_thread(root: Path, length: int) -> Path:
    """A site of one thread, "Update 1" to "Update <length>", a day apart, each following the one
    before (slugs update-001...), built; its output folder."""
    stories = {}
    for number in range(1, length + 1):
        text = story_text(f"Update {number}", (date(2023, 1, 1) + timedelta(days=number - 1)).isoformat())
        if number > 1:
            text = text.replace("---\n", f"---\nfollows: update-{number - 1:03d}\n", 1)
        stories[f"update-{number:03d}.md"] = text
    site = make_site(root, stories)
    result = build(BuildOptions(site_dir=site, now=NOW, jobs=1, cache=False))
    assert result.written, [d.format() for d in result.diagnostics.items]
    return site / "public"


@pytest.fixture(scope="module")
def long_thread(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_thread(tmp_path_factory.mktemp("long-thread"), 40)


def thread_nav(public: Path, slug: str) -> str:
    return main_text(public, f"{slug}/index.html").split('<nav class="thread"')[1].split("</nav>")[0]


def shown_in(nav: str) -> list[str]:
    """The thread as the page shows it: each story's title, and each "… N more" marker, in order."""
    return re.findall(r"<li><time[^>]*>[^<]*</time>: <(?:a|strong)[^>]*>([^<]*)</|class=\"thread-more\">([^<]*)<",
                      nav)


def titles(*numbers: int) -> list[str]:
    return [f"Update {number}" for number in numbers]


def test_a_long_thread_shows_its_first_the_stories_around_this_one_and_its_latest(long_thread: Path) -> None:
    nav = thread_nav(long_thread, "update-020")
    shown = [title or more for title, more in shown_in(nav)]
    assert shown == ["Update 1", "… 15 more", *titles(*range(17, 24)), "… 16 more", "Update 40"]
    assert '<strong aria-current="page">Update 20</strong>' in nav
    assert '<ol start="17">' in nav and '<ol start="40">' in nav  # each story numbered by its place
    assert '<p class="whole-thread"><a href="/threads/update-001/">The whole thread (40 stories)</a></p>' in nav


@pytest.mark.parametrize("slug, expected", [
    ("update-001", [*titles(1, 2, 3, 4), "… 35 more", "Update 40"]),
    ("update-040", ["Update 1", "… 35 more", *titles(37, 38, 39, 40)]),
    ("update-006", [*titles(*range(1, 10)), "… 30 more", "Update 40"]),  # one story between is shown, not cut
])
def test_the_window_of_a_long_thread_at_its_ends(long_thread: Path, slug: str, expected: list[str]) -> None:
    nav = thread_nav(long_thread, slug)
    assert [title or more for title, more in shown_in(nav)] == expected
    assert 'href="/threads/update-001/"' in nav


def test_the_thread_page_lists_the_whole_thread_oldest_first_with_links(long_thread: Path) -> None:
    page = main_text(long_thread, "threads/update-001/index.html")
    assert re.findall(r"<h1>(.*?)</h1>", page) == ["Update 1: the whole thread"]
    listed = re.findall(r'<li><time datetime="([^"]*)">[^<]*</time>: <a href="([^"]*)">([^<]*)</a></li>', page)
    assert [(link, title) for _, link, title in listed] == [
        (f"/update-{number:03d}/", f"Update {number}") for number in range(1, 41)]
    assert [day for day, _, _ in listed] == sorted(day for day, _, _ in listed)
    assert "<title>Update 1: the whole thread · Briefings</title>" in (
        long_thread / "threads/update-001/index.html").read_text()
    assert "<loc>https://example.org/threads/update-001/</loc>" in (long_thread / "sitemap.xml").read_text()
    assert broken_links(long_thread, "https://example.org/") == []


@pytest.mark.parametrize("length", [3, 9])
def test_a_thread_that_fits_shows_whole_with_no_thread_page(tmp_path: Path, length: int) -> None:
    public = build_thread(tmp_path, length)
    for number in (1, length // 2 + 1, length):
        nav = thread_nav(public, f"update-{number:03d}")
        assert [title for title, _ in shown_in(nav)] == titles(*range(1, length + 1))
        assert "thread-more" not in nav and "whole-thread" not in nav and nav.count("<ol") == 1
    assert not (public / "threads").exists()
    assert "/threads/" not in (public / "sitemap.xml").read_text()


def test_a_story_page_of_a_long_thread_weighs_the_same_however_long_the_thread(long_thread: Path,
                                                                                 tmp_path: Path) -> None:
    longer = build_thread(tmp_path, 400)
    sizes = [(folder / "update-020/index.html").stat().st_size for folder in (long_thread, longer)]
    assert abs(sizes[1] - sizes[0]) < 1024, sizes  # listing the whole thread made it 37 KB more
    assert len(re.findall("<li>", thread_nav(longer, "update-200"))) == 9
    assert "The whole thread (400 stories)" in thread_nav(longer, "update-200")


def test_coverage_at_a_glance_says_the_outlets_by_kind_and_country_in_words(built: Path) -> None:
    main = main_text(built, "talks-open/index.html")
    figure = main[main.index('<figure class="coverage"'):main.index("</figure>")]
    assert " ".join(words(figure).split()) == ("Coverage: 3 sources from 3 outlets in 2 countries 1 wire 1 state media "
                             "1 outlet of unknown kind Countries: China 1, United Kingdom 1")
    rect = r'<rect class="mix-[a-z-]+" x="[\d.]+" y="0" width="([\d.]+)"'
    widths = [float(width) for width in re.findall(rect, figure)]
    assert len(widths) == 3 and abs(sum(widths) - 100) < 0.05
    assert 'aria-hidden="true"' in figure[:figure.index("<rect")]  # the bar is a picture of the words


def test_each_fact_says_how_many_outlets_back_it_when_more_than_one(built: Path) -> None:
    section = main_text(built, "talks-open/index.html").split('id="facts-heading"')[1].split("</ul>")[0]
    facts = " ".join(words(section).split())
    assert "productive.12 (2 outlets)" in facts and "two days.1 (single outlet)" in facts


def test_a_site_without_a_registry_shows_no_coverage_bar(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"one.md": story_text("One")})
    assert run_briefgen("build", cwd=site).code == 0
    assert 'class="coverage"' not in (site / "public/one/index.html").read_text()

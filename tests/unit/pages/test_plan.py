"""briefgen/pages/plan.py: which pages a site has, what each holds, and each page's key."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone


from briefgen.core.model import Moment
from briefgen.core.urls import Linker
from briefgen.pages.cards import CARD
from briefgen.pages.plan import Plan, holders_of, with_new_texts
from briefgen.pages.values import Pagination
from briefgen.pages.views import StoryRef, StoryViews
from briefgen.story.entry import StoryEntry
from tests.unit.pages.small_site import CONFIG, by_path, entry, plan

STORIES = [entry("a", 1), entry("b", 2), entry("c", 3, ("World", "Asia"))]


def slugs(value: object) -> list[str]:
    assert isinstance(value, list)
    return [ref.entry.slug for ref in value if isinstance(ref, StoryRef)]


def test_a_small_site_has_a_page_per_story_list_page_feed_and_site_file() -> None:
    pages, diagnostics, _ = plan(STORIES)
    assert not diagnostics.items
    assert sorted(page.path for page in pages) == sorted([
        "a/", "a/card.png", "b/", "b/card.png", "c/", "c/card.png", "", "page/2/", "feed.xml", "feed.json", "tags/",
        "tags/asia/", "tags/asia/feed.xml", "tags/asia/feed.json",
        "tags/world/", "tags/world/page/2/", "tags/world/feed.xml", "tags/world/feed.json",
        "404.html", "sitemap.xml", "robots.txt"])
    assert {page.path: page.template for page in pages}["c/"] == "story.html"
    assert {page.path: page.template for page in pages}["c/card.png"] == CARD


def test_list_pages_hold_per_page_stories_newest_first_with_links_to_their_neighbours() -> None:
    pages = by_path(plan(STORIES)[0])
    first, second = pages[""].context, pages["page/2/"].context
    assert slugs(first["stories"]) == ["c", "b"] and slugs(second["stories"]) == ["a"]
    assert first["pagination"] == Pagination(1, 2, None, "/news/page/2/")
    assert second["pagination"] == Pagination(2, 2, "/news/", None)
    assert second["page"].canonical == "https://example.org/news/page/2/"


def test_feeds_hold_the_newest_stories_up_to_the_feed_limit_with_their_own_address() -> None:
    pages = by_path(plan(STORIES)[0])
    assert slugs(pages["feed.xml"].context["stories"]) == ["c", "b"] == slugs(pages["feed.json"].context["stories"])
    assert pages["feed.json"].context["feed_url"] == "https://example.org/news/feed.json"
    assert pages["tags/asia/feed.xml"].context["feed_title"] == "Harbour News: Asia"


def test_an_expired_story_keeps_its_page_but_leaves_the_lists_and_feeds() -> None:
    expired = replace(STORIES[2], expires=Moment(datetime(2024, 3, 20, tzinfo=timezone.utc)))  # before NOW
    pages = by_path(plan([*STORIES[:2], expired])[0])
    assert "c/" in pages and "c" not in slugs(pages[""].context["stories"])
    assert "c" not in slugs(pages["feed.xml"].context["stories"])


def test_robots_names_the_sitemap_and_the_sitemap_lists_html_pages_with_story_dates() -> None:
    pages = by_path(plan(STORIES)[0])
    assert pages["robots.txt"].context["sitemap"] == "https://example.org/news/sitemap.xml"
    entries = dict(pages["sitemap.xml"].context["entries"])
    assert entries["https://example.org/news/a/"] == "2024-03-01T00:00:00Z"
    assert entries["https://example.org/news/"] is None
    assert not any(url.endswith((".xml", ".json", "404.html")) for url in entries)


def test_a_story_at_a_site_pages_address_is_a_duplicate_slug_error_at_its_slug_line() -> None:
    _, diagnostics, _ = plan([*STORIES, replace(entry("clash", 4), slug="tags")])
    assert [(d.path, d.line, d.code) for d in diagnostics.errors] == [("/site/content/clash.md", 2, "duplicate-slug")]
    assert diagnostics.errors[0].message.endswith("and the site would both write /tags/")


def test_two_stories_whose_slugs_differ_only_by_case_are_one_error_naming_both() -> None:
    _, diagnostics, _ = plan([*STORIES, replace(entry("clash", 4), slug="B")])
    assert [d.code for d in diagnostics.errors] == ["duplicate-slug"]
    message = diagnostics.errors[0].message
    assert "/site/content/clash.md" in message and "/site/content/b.md" in message


def test_a_page_key_moves_when_a_story_text_changes_and_only_for_the_pages_holding_it() -> None:
    before = {page.path: page.key for page in plan(STORIES)[0]}
    after = plan([STORIES[0], replace(STORIES[1], key="key-b-edited"), STORIES[2]])[0]
    moved = {page.path for page in after if page.key != before[page.path]}
    assert moved == {after[index].path for index in holders_of(after)[STORIES[1].path]}
    assert {"b/", "", "feed.xml", "tags/world/"} <= moved
    assert moved.isdisjoint({"tags/", "tags/asia/", "page/2/", "sitemap.xml", "404.html"})


def test_pages_patched_with_new_texts_have_the_keys_of_a_fresh_plan() -> None:
    pages, diagnostics, site = plan(STORIES)
    edited = replace(STORIES[1], key="key-b-edited")
    views = StoryViews(site, Linker(CONFIG.base_url, CONFIG.base_path), lambda _: None)
    kept = Plan("structure", site, pages, holders_of(pages), (), {})
    patched = with_new_texts(kept, [views.ref(edited)])
    fresh = plan([STORIES[0], edited, STORIES[2]])[0]
    assert [page.key for page in patched] == [page.key for page in fresh]


def thread_of(length: int) -> list[StoryEntry]:
    """`length` stories a day apart, t0000 first, each following the one before."""
    return [replace(entry(f"t{n:04d}", 1, follows=f"t{n - 1:04d}" if n else None),
                    date=Moment(datetime(2010, 1, 1, tzinfo=timezone.utc) + timedelta(days=n))) for n in range(length)]


def edited(stories: list[StoryEntry], number: int) -> list[StoryEntry]:
    return [replace(story, key=story.key + "-edited") if story.slug == f"t{number:04d}" else story
            for story in stories]


def test_a_long_threads_story_page_holds_its_window_and_its_key_moves_only_with_what_it_shows() -> None:
    thread = thread_of(40)
    pages = by_path(plan(thread)[0])
    middle = pages["t0020/"]
    assert slugs(middle.context["thread"]) == ["t0000", *[f"t{n:04d}" for n in range(17, 24)], "t0039"]
    assert slugs(pages["threads/t0000/"].context["stories"]) == [story.slug for story in thread]
    assert by_path(plan(edited(thread, 5))[0])["t0020/"].key == middle.key  # not in its window
    for other in (edited(thread, 18), edited(thread, 39), thread_of(41)):  # shown; the latest; one more story
        assert by_path(plan(other)[0])["t0020/"].key != middle.key
    assert by_path(plan(edited(thread, 5))[0])["threads/t0000/"].key != pages["threads/t0000/"].key


def test_a_story_page_holds_a_bounded_part_of_a_thread_however_long() -> None:
    pages = plan(thread_of(2000))[0]
    held = [len(page.context["thread"]) for page in pages if page.template == "story.html"]
    assert len(held) == 2000 and max(held) == 10  # the first, 3 + 1 + 3, the latest, and one story between
    assert [page.path for page in pages if page.template == "thread.html"] == ["threads/t0000/"]

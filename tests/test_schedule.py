"""Drafts, future-dated and expiring stories, through build, lists, tags, feeds and sitemap.

"Now" is given to the build, so these tests mean the same on any day.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build
from tests.conftest import make_site, run_briefgen, story_text, words


NOW = datetime(2024, 3, 15, 12, 0, tzinfo=timezone.utc)


def _story(title: str, date: str, tags: str = "World", extra: str = "") -> str:
    return story_text(title, date=date, tags=tags).replace("contra:", f"{extra}contra:")


STORIES = {
    "published.md": _story("Published", "2024-03-01"),
    "draft.md": _story("Draft", "2024-03-02", extra="draft: true\n"),
    "future.md": _story("Future", "2024-03-15T13:00:00+00:00"),  # an hour after NOW
    "expired.md": _story("Expired", "2024-02-01", tags="World, Archive", extra="expires: 2024-03-10\n"),
    "expiring.md": _story("Expiring", "2024-02-15", extra="expires: 2024-03-15T12:30:00+00:00\n"),
}


def _build(site: Path, **options: bool) -> Path:
    result = build(BuildOptions(site_dir=site, now=NOW, **options))
    assert result.written, [d.format() for d in result.diagnostics.items]
    return site / "public"


def _linked_slugs(page: Path) -> set[str]:
    """The stories a list page, feed or sitemap points to."""
    text = page.read_text()
    return {slug for slug in re.findall(r"/(published|draft|future|expired|expiring)/", text)}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site", STORIES)


def test_default_build_publishes_neither_drafts_nor_future_stories(site: Path) -> None:
    public = _build(site)

    pages = {p.parent.name for p in public.glob("*/index.html")} - {"tags"}
    assert pages == {"published", "expired", "expiring"}
    for listing in ("index.html", "feed.xml", "tags/world/index.html", "tags/world/feed.xml"):
        assert _linked_slugs(public / listing) == {"published", "expiring"}, listing
    assert _linked_slugs(public / "sitemap.xml") == {"published", "expired", "expiring"}
    assert "Draft" not in (public / "tags/index.html").read_text()


def test_expired_story_keeps_its_page_but_leaves_lists_tags_and_feeds(site: Path) -> None:
    public = _build(site)

    assert "Expired" in (public / "expired/index.html").read_text()
    assert not (public / "tags/archive").exists()
    assert "Archive" not in (public / "tags/index.html").read_text()


def test_drafts_and_future_are_built_when_asked(site: Path) -> None:
    assert _linked_slugs(_build(site, drafts=True) / "index.html") == {"published", "draft", "expiring"}
    assert _linked_slugs(_build(site, future=True) / "index.html") == {"published", "future", "expiring"}
    everything = _build(site, drafts=True, future=True)
    for listing in ("index.html", "feed.xml", "tags/world/feed.xml", "sitemap.xml"):
        assert {"draft", "future"} <= _linked_slugs(everything / listing), listing


def test_a_story_shown_before_its_date_is_marked_scheduled_on_its_page_and_its_card(site: Path) -> None:
    public = _build(site, future=True)

    assert "Scheduled" in words((public / "future/index.html").read_bytes())
    home = (public / "index.html").read_text()
    card = home[home.index("/future/"):home.index("</li>", home.index("/future/"))]
    assert "Scheduled" in card and "Scheduled" not in words((public / "published/index.html").read_bytes())


def test_the_scheduled_mark_goes_once_the_date_is_reached(site: Path) -> None:
    _build(site, future=True)
    build(BuildOptions(site_dir=site, future=True, now=datetime(2024, 3, 15, 14, 0, tzinfo=timezone.utc)))

    assert "Scheduled" not in words((site / "public/future/index.html").read_bytes())


def test_a_story_is_published_at_its_time_and_expires_at_its_time(site: Path) -> None:
    later = build(BuildOptions(site_dir=site, now=datetime(2024, 3, 15, 13, 0, tzinfo=timezone.utc)))

    assert later.written
    assert _linked_slugs(site / "public/index.html") == {"published", "future"}


def test_cli_leaves_out_future_stories_unless_asked(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"now.md": story_text("Now"), "later.md": story_text("Later", date="2999-01-01")})

    run_briefgen("build", cwd=site)
    assert not (site / "public/later").exists()
    run = run_briefgen("build", "--future", cwd=site)
    assert run.code == 0, run.err
    assert (site / "public/later/index.html").is_file()


def test_expires_must_come_after_the_date(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"story.md": _story("Story", "2024-03-01", extra="expires: 2024-02-01\n")})

    run = run_briefgen("build", cwd=site)

    assert run.code == 1
    assert run.err.startswith("content/story.md:13: error: 'expires' is not later than 'date'\n  hint: ")


def test_expires_must_be_a_date(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"story.md": _story("Story", "2024-03-01", extra="expires: soon\n")})

    run = run_briefgen("build", cwd=site)

    assert run.code == 1
    assert "content/story.md:13: error: 'expires' is not a date: 'soon'" in run.err

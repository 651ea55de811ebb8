"""briefgen/pages/memory.py: structure_key, which tells a text-only change from a change of the site's pages."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from briefgen.core.model import Moment
from briefgen.pages.memory import placements, structure_key
from briefgen.pages.values import Branding, ImageView
from briefgen.settings.config import SiteConfig
from briefgen.settings.outlets import NO_REGISTRY
from briefgen.site.assemble import Publishing
from briefgen.story.entry import StoryEntry
from tests.unit.pages.small_site import CONFIG, NOW, entry

STORIES = [entry("a", 1), entry("b", 2, cited=("The Wire",), cited_lines=(9,))]
LATER = Moment(datetime(2024, 3, 9, tzinfo=timezone.utc))


def key(stories: list[StoryEntry], publishing: Publishing = Publishing(NOW), config: SiteConfig = CONFIG,
        brand: Branding = Branding()) -> str:
    return structure_key(config, NO_REGISTRY, brand, stories, placements(stories, {}), publishing)


def test_a_change_of_a_storys_text_alone_keeps_the_structure() -> None:
    assert key([STORIES[0], replace(STORIES[1], key="edited", cited_lines=(12,))]) == key(STORIES)
    assert key([STORIES[0], replace(STORIES[1], key="linked", links=(("/a/", 14),))]) == key(STORIES)


def test_a_placement_is_keyed_again_only_for_a_story_whose_key_moved() -> None:
    known = placements(STORIES, {})
    moved = replace(STORIES[1], key="moved", slug="b2")
    found = placements([STORIES[0], moved], known)
    assert found[STORIES[0].path] is known[STORIES[0].path]
    assert found[moved.path][0] == "moved" and found[moved.path][1] != known[moved.path][1]


@pytest.mark.parametrize("change", [
    {"slug": "b2"}, {"date": LATER}, {"updated": LATER}, {"expires": LATER}, {"draft": True},
    {"tags": ("World", "Asia")}, {"slug_line": 3}, {"tags_line": 6}, {"follows": "a"}, {"follows_line": 4},
    {"cited": ("The Daily",)}, {"providers": ("Harbour Institute",)}, {"wants_card": False},
], ids=lambda change: next(iter(change)))
def test_a_change_of_what_decides_the_pages_moves_the_structure(change: dict[str, Any]) -> None:
    # A story's key is a digest of its file: another file gives another key.
    assert key([STORIES[0], replace(STORIES[1], key="changed-" + next(iter(change)), **change)]) != key(STORIES)


def test_adding_or_removing_a_story_moves_the_structure() -> None:
    assert len({key(STORIES), key(STORIES[:1]), key([*STORIES, entry("c", 3)])}) == 3


def test_a_story_coming_out_of_the_future_or_expiring_moves_the_structure() -> None:
    future = [*STORIES, replace(entry("c", 3), key="key-c-future", date=Moment(NOW + timedelta(days=1)))]
    assert key(future, Publishing(NOW)) != key(future, Publishing(NOW + timedelta(days=2)))
    expiring = [*STORIES, replace(entry("c", 3), key="key-c-expiring", expires=Moment(NOW + timedelta(days=1)))]
    assert key(expiring, Publishing(NOW)) != key(expiring, Publishing(NOW + timedelta(days=2)))


def test_the_config_and_the_branding_move_the_structure() -> None:
    assert key(STORIES, config=replace(CONFIG, per_page=5)) != key(STORIES)
    assert key(STORIES, brand=Branding(ImageView("https://example.org/card.png", "card"))) != key(STORIES)

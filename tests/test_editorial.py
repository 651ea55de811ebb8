"""The editorial warnings' rules: which tags are one tag, which links lead to a story.

What each warning looks like to the writer is tested through `briefgen check` (test_check.py).
"""

from __future__ import annotations

import pytest

from briefgen.settings.config import SiteConfig
from briefgen.story.editorial import story_slug_of, tag_key


@pytest.mark.parametrize("spellings", [
    ("North Korea", "north-korea", "North Koreas", "NORTH KOREA!"),
    ("Policy", "policies"),
    ("Tax", "Taxes"),
])
def test_tags_differing_by_case_punctuation_or_plural_are_similar(spellings: tuple[str, ...]) -> None:
    assert len({tag_key(name) for name in spellings}) == 1


@pytest.mark.parametrize("pair", [("C", "C#"), ("US", "U"), ("Glass", "Glas"), ("Japan", "China")])
def test_different_tags_are_not_similar(pair: tuple[str, str]) -> None:
    assert tag_key(pair[0]) != tag_key(pair[1])


@pytest.mark.parametrize("href, slug", [
    ("/news/other/", "other"), ("../other/", "other"), ("/news/other", "other"),
    ("https://example.org/news/other/#facts", "other"), ("/news/other/?x=1", "other"),
    ("/news/", None), ("/news/tags/japan/", None), ("/news/outlets/", None), ("/news/feed.xml", None),
    ("/news/page/2/", None),
    ("https://elsewhere.example/other/", None), ("#facts", None), ("other/", None), ("mailto:a@b.c", None),
    ("/other/", None),  # outside the site's base path
])
def test_story_links_are_recognised(href: str, slug: str | None) -> None:
    config = SiteConfig().with_base_url("https://example.org/news/")

    assert story_slug_of(href, config) == slug

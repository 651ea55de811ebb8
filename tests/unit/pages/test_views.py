"""briefgen/pages/views.py: the values templates see, and the keys of story views pages are keyed by."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from briefgen.core.model import Moment
from briefgen.core.urls import Linker, OutputFile
from briefgen.pages.views import StoryChanged, StoryViews, branding, date_view, lede, og_locale, story_view
from briefgen.settings.config import SiteConfig
from briefgen.story.entry import StoryEntry
from briefgen.story.render import RenderedStory
from tests.conftest import story_text
from tests.unit.pages.small_site import CONFIG, entry, plan, rendered, setting_of

LINKER = Linker(CONFIG.base_url, CONFIG.base_path)
PNG_300_200 = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x2c\x00\x00\x00\xc8" + b"\x00" * 16


def test_a_lede_is_the_whole_sentences_that_fit_and_at_least_the_first() -> None:
    assert lede("One two. Three four. Five six.", limit=20) == "One two. Three four."
    assert lede("A first sentence far too long. Second.", limit=5) == "A first sentence far too long."


def test_an_abbreviation_does_not_end_a_ledes_sentence() -> None:
    assert lede("The U.S. and Pres. Lee met. They agreed.", limit=30) == "The U.S. and Pres. Lee met."


@pytest.mark.parametrize(("language", "locale"), [("en", "en_US"), ("fr", "fr_FR"), ("pt-BR", "pt_BR"),
                                                 ("de_AT", "de_AT")])
def test_the_opengraph_locale_has_the_likely_territory_when_the_language_names_none(
        language: str, locale: str) -> None:
    assert og_locale(language) == locale


def test_a_date_shows_in_the_sites_language_and_a_plain_date_stays_a_date() -> None:
    view = date_view(Moment(datetime(2024, 3, 25, tzinfo=timezone.utc)), "fr")
    assert (view.iso, view.html, view.display, view.utc) == (
        "2024-03-25T00:00:00Z", "2024-03-25", "25 mars 2024", "2024-03-25T00:00:00Z")


def test_the_themes_card_is_the_preview_image_with_its_size_and_the_logo_is_kept_apart() -> None:
    assets = {"card.png": OutputFile("assets/card.1234.png", PNG_300_200),
              "logo.png": OutputFile("assets/logo.5678.png", b"not a png")}
    brand = branding(CONFIG, LINKER, assets)
    assert brand.image is not None and brand.logo is not None
    assert (brand.image.url, brand.image.alt, brand.image.width, brand.image.height) == (
        "https://example.org/news/assets/card.1234.png", "Harbour News", 300, 200)
    assert (brand.logo.width, brand.logo.height) == (None, None)


def test_the_sites_own_image_wins_over_the_themes_card_and_a_site_path_is_made_absolute() -> None:
    config = replace(CONFIG, image="/img/cover.png", image_alt="The harbour")
    brand = branding(config, LINKER, {"card.png": OutputFile("assets/card.1234.png", PNG_300_200)})
    assert brand.image is not None and (brand.image.url, brand.image.alt) == (
        "https://example.org/news/img/cover.png", "The harbour")


def view_key(stories: list[StoryEntry], of: str, config: SiteConfig = CONFIG) -> str:
    site = plan(stories, config)[2]
    views = StoryViews(site, Linker(config.base_url, config.base_path), lambda _: None)
    return views.ref(next(story for story in stories if story.slug == of)).key


def test_a_story_views_key_moves_with_its_text_its_tags_counts_and_the_config() -> None:
    stories = [entry("a", 1), entry("b", 2, ("Asia",))]
    before = view_key(stories, "a")
    assert view_key(stories, "a") == before
    assert view_key([replace(stories[0], key="edited"), stories[1]], "a") != before
    assert view_key([*stories, entry("c", 3)], "a") != before  # "World" now counts two stories
    assert view_key(stories, "a", replace(CONFIG, base_url="https://example.com/")) != before


def test_a_story_views_key_stays_when_an_unrelated_story_changes() -> None:
    stories = [entry("a", 1), entry("b", 2, ("Asia",))]
    assert view_key([stories[0], replace(stories[1], key="edited")], "a") == view_key(stories, "a")


def test_a_story_view_is_built_once_per_key_and_a_vanished_text_is_a_changed_story(tmp_path: Path) -> None:
    story = rendered(tmp_path / "a.md", story_text("Port deal"))
    loads: list[StoryEntry] = []

    def load(found: StoryEntry) -> RenderedStory | None:
        loads.append(found)
        return story if found.slug == "a" else None

    site = plan([entry("a", 1), entry("b", 2)])[2]
    views = StoryViews(site, LINKER, load)
    ref = views.ref(site.stories[1])
    assert views.view(ref) is views.view(ref) and len(loads) == 1
    with pytest.raises(StoryChanged) as changed:
        views.view(views.ref(site.stories[0]))
    assert changed.value.path == Path("/site/content/b.md")


def test_a_story_view_has_its_addresses_tags_and_reading_time(tmp_path: Path) -> None:
    site = plan([entry("a", 1)])[2]
    view = story_view(rendered(tmp_path / "a.md", story_text("Port deal", tags="World")), setting_of(site, "a"))
    assert (view.title, view.url, view.permalink) == ("Port deal", "/news/a/", "https://example.org/news/a/")
    assert [(tag.name, tag.url, tag.count) for tag in view.tags] == [("World", "/news/tags/world/", 1)]
    assert view.reading_minutes == 1 and view.description == "A one-paragraph summary of Port deal."

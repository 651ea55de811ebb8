"""briefgen/pages/json_ld.py: a story's schema.org JSON-LD."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from briefgen.pages.json_ld import json_ld
from briefgen.pages.values import ImageView
from briefgen.pages.views import story_view
from tests.conftest import story_text
from tests.unit.pages.small_site import CONFIG, entry, plan, rendered, setting_of


def ld(tmp_path: Path, text: str, logo: ImageView | None = None) -> tuple[str, dict[str, Any]]:
    story = rendered(tmp_path / "a.md", text)
    view = story_view(story, setting_of(plan([entry("a", 1)])[2], "a"))
    found = json_ld(view, story, CONFIG, logo)
    data = json.loads(found)
    assert isinstance(data, dict)
    return found, data


def test_a_news_story_is_a_news_article_with_its_address_dates_and_publisher(tmp_path: Path) -> None:
    _, data = ld(tmp_path, story_text("Port deal"))
    assert (data["@type"], data["headline"], data["url"]) == ("NewsArticle", "Port deal", "https://example.org/news/a/")
    assert (data["datePublished"], data["dateModified"]) == ("2024-03-25", "2024-03-25")  # no midnight made up
    publisher = {"@type": "Organization", "name": "Harbour News", "url": "https://example.org/news/"}
    assert data["publisher"] == publisher and data["author"] == [publisher]  # no author: the publisher
    assert (data["keywords"], data["inLanguage"]) == (["World"], "en")


def test_each_source_is_a_citation_naming_its_outlet(tmp_path: Path) -> None:
    _, data = ld(tmp_path, story_text("Port deal"))
    assert data["citation"] == [{"@type": "CreativeWork", "name": "The Wire", "url": "https://wire.example/story",
                                 "publisher": {"@type": "Organization", "name": "The Wire"}}]


@pytest.mark.parametrize(("kind", "schema_type"), [("analysis", "AnalysisNewsArticle"),
                                                   ("opinion", "OpinionNewsArticle"),
                                                   ("explainer", "BackgroundNewsArticle")])
def test_each_kind_of_work_has_its_schema_type(tmp_path: Path, kind: str, schema_type: str) -> None:
    _, data = ld(tmp_path, story_text("Port deal").replace("date:", f"kind: {kind}\ndate:", 1))
    assert data["@type"] == schema_type


def test_text_that_would_end_the_script_element_is_escaped_and_means_the_same(tmp_path: Path) -> None:
    title = "A </script><!-- &\u2028test"
    text, data = ld(tmp_path, story_text("x").replace("title: x", f"title: '{title}'", 1))
    assert data["headline"] == title
    assert not any(character in text for character in "<>&\u2028")


def test_the_logo_is_the_publishers_image_with_its_size(tmp_path: Path) -> None:
    _, data = ld(tmp_path, story_text("Port deal"), ImageView("https://example.org/news/logo.png", "", 60, 40))
    assert data["publisher"]["logo"] == {"@type": "ImageObject", "url": "https://example.org/news/logo.png",
                                         "width": 60, "height": 40}

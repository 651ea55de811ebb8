"""A story's JSON-LD: schema.org's NewsArticle (or its analysis and opinion kinds), for
search engines and link previews, with the story's sources as citations."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from briefgen.pages.values import ImageView, SourceView, StoryView
from briefgen.settings.config import SiteConfig
from briefgen.story.render import RenderedStory
SCHEMA_TYPES = {"news": "NewsArticle", "analysis": "AnalysisNewsArticle", "opinion": "OpinionNewsArticle",
                "explainer": "BackgroundNewsArticle"}


def json_ld(view: StoryView, rendered: RenderedStory, config: SiteConfig, logo: ImageView | None = None) -> str:
    """schema.org NewsArticle, or the subtype of its kind of work. Narratives are framings, not fact
    checks: no ClaimReview. A plain date stays a date ("2024-03-25"): no midnight is made up."""
    publisher: dict[str, Any] = {"@type": "Organization", "name": config.title, "url": config.base_url}
    if logo is not None:
        publisher["logo"] = _image_object(logo)
    authors: list[dict[str, Any]] = [
        {"@type": "Person", "name": link.text, **({"url": link.url} if link.url else {})}
        for link in view.authors] or [publisher]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES[view.kind],
        "headline": view.title,
        "description": rendered.summary_text,
        "url": view.permalink,
        "mainEntityOfPage": view.permalink,
        "datePublished": view.date.html,
        "dateModified": view.last_changed.html,
        "author": authors,
        "publisher": publisher,
        "keywords": [tag.name for tag in view.tags],
        "inLanguage": view.language or config.language,
        "wordCount": rendered.word_count,
        "citation": [_citation(source) for source in view.sources],
    }
    if view.corrections:
        data["correction"] = [{"@type": "CorrectionComment", "text": _plain(correction.html),
                               "datePublished": correction.date.html} for correction in view.corrections]
    if view.dateline:
        data["dateline"] = view.dateline
    if view.preview is not None:
        data["image"] = _image_object(view.preview)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # compact: json's C encoder
    for character, escaped in _SCRIPT_SAFE:
        text = text.replace(character, escaped)  # str.translate would be ten times slower on non-ASCII text
    return text


# Inside <script>, "</script" would end the element early and "<!--" would send the HTML tokenizer
# into a state where the template's own </script> no longer closes it (the page renders empty).
# JSON means the same with these escaped, as Go's html/template writes them; U+2028/9 end a line in JS.
_SCRIPT_SAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def _plain(html: Markup) -> str:
    return html.striptags()


def _image_object(image: ImageView) -> dict[str, Any]:
    found: dict[str, Any] = {"@type": "ImageObject", "url": image.url}
    if image.width and image.height:
        found.update(width=image.width, height=image.height)
    return found


def _citation(source: SourceView) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "name": source.title or source.outlet,
                            "publisher": {"@type": "Organization", "name": source.outlet}}
    if source.url:
        work["url"] = source.url
    if source.author:
        work["author"] = {"@type": "Person", "name": source.author}
    if source.date:
        work["datePublished"] = source.date.html
    return work

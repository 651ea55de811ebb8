"""The model's keys, as written in briefing-model.md, and the shorthands writers reach for."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from briefgen.core.diagnostics import Diagnostics
from briefgen.core.frontmatter import split
from briefgen.core.model import Author, Contra, Fact, Story
from briefgen.story.validate import validate

FULL = """---
title: US and Japan to sign a revamped security pact
date: 2024-03-25T09:00:00+09:00
updated: 2024-03-27
slug: us-japan-security-pact
summary: >-
  For the first time since ...
tags: Japan, United States ,China
authors: [Zachary Folk, {name: Ann Lee, url: "https://e.org/ann"}]
dateline: TOKYO
draft: false
sources:
  - id: forbes
    outlet: Forbes
    title: A headline
    url: https://www.forbes.com/x
    author: Zachary Folk
    date: 2024-03-25
    paywall: true
  - id: japan-times
    outlet: The Japan Times
facts:
  - text: At least 54K US troops are based in Japan.
    sources: [forbes, japan-times]
  - "A plain string with inline references. [^forbes] [^japan-times]"
narratives:
  - label: Anti-China narrative
    provider: CSIS
    url: https://www.csis.org/x
    text: While Japan may not need ...
contra: China has consistently condemned ...
credit: This article was written by ...
extra: {desk: Asia}
---
Body.
"""


def read(text: str) -> tuple[Story | None, Diagnostics]:
    diagnostics = Diagnostics()
    front = split(Path("story.md"), text, diagnostics)
    assert front is not None
    return validate(Path("story.md"), "file-name", front, diagnostics), diagnostics


def test_every_key_of_the_model_and_its_shorthands() -> None:
    story, diagnostics = read(FULL)
    assert diagnostics.items == []
    assert story is not None
    assert story.slug == "us-japan-security-pact"
    assert story.date.instant == datetime(2024, 3, 25, 9, tzinfo=timezone(timedelta(hours=9)))
    assert story.updated is not None and story.updated.day.isoformat() == "2024-03-27"
    assert story.tags == ("Japan", "United States", "China")
    assert story.authors == (Author("Zachary Folk"), Author("Ann Lee", "https://e.org/ann"))
    assert [s.id for s in story.sources] == ["forbes", "japan-times"]
    assert story.sources[0].paywall and story.sources[0].date is not None
    assert story.facts[0] == Fact("At least 54K US troops are based in Japan.", ("forbes", "japan-times"), 23)
    assert story.facts[1].text.endswith("[^forbes] [^japan-times]")
    assert story.narratives[0].provider == "CSIS"
    assert story.contra == Contra("China has consistently condemned ...", (), 31)
    assert story.extra == {"desk": "Asia"}
    assert story.body_line == 35


def test_the_slug_defaults_to_the_file_name() -> None:
    story, _ = read(FULL.replace("slug: us-japan-security-pact\n", ""))
    assert story is not None and story.slug == "file-name"


def test_warnings_for_a_missing_contra_and_a_narrative_without_provider() -> None:
    story, diagnostics = read(FULL.replace("contra: China has consistently condemned ...\n", "")
                              .replace("    provider: CSIS\n", ""))
    assert story is not None
    assert sorted((d.line, d.message) for d in diagnostics.warnings) == [
        (2, "the story has no contra section"),
        (27, "the narrative 'Anti-China narrative' has no provider"),
    ]


def test_updated_before_date_is_an_error() -> None:
    _, diagnostics = read(FULL.replace("updated: 2024-03-27", "updated: 2024-03-20"))
    assert [(d.line, d.message) for d in diagnostics.errors] == [(4, "'updated' is earlier than 'date'")]


def test_tags_beyond_the_bound_are_one_error_at_the_first_extra_tag() -> None:
    """Each tag's page and feed lists the story with all its tags: 10,000 tags would cost 10,000² steps."""
    tags = "".join(f"  - tag {number}\n" for number in range(10_000))
    _, diagnostics = read(FULL.replace("tags: Japan, United States ,China\n", f"tags:\n{tags}"))
    assert [(d.line, d.message, d.hint) for d in diagnostics.errors] == [
        (109, "a story may have at most 100 tags, not 10,000",
         "a tag is a way in for readers: keep the few they would look for")]


def test_a_tag_given_twice_counts_once() -> None:
    story, _ = read(FULL.replace("tags: Japan, United States ,China", "tags: Japan, China, Japan ,Japan"))
    assert story is not None and story.tags == ("Japan", "China")

"""briefgen/story/entry.py: what a story gives the site as a whole."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from briefgen.core.model import Moment

from briefgen.story.content import StoryFile, StoryShape, story_result
from briefgen.story.entry import StoryEntry

STORY = """\
---
title: Port deal signed
date: 2024-03-25
updated: 2024-03-27
tags: [Trade, Ports]
follows: port-talks
summary: The deal was signed.
sources:
  - id: wire
    outlet: The Wire
    url: https://wire.example/a
  - id: wire-2
    outlet: The Wire
    url: https://wire.example/b
  - id: daily
    outlet: The Daily
facts:
  - text: It was signed.
    sources: [wire, wire-2, daily]
narratives:
  - label: For
    provider: Harbour Institute
    text: Good for trade.
  - label: Also for
    provider: Harbour Institute
    text: Good for jobs.
contra: Fishers object.
---
See [the talks](/port-talks/), [the minister](https://gov.example/pm), [mail](mailto:desk@example.org),
[below](#details), [a file](ftp://files.example/x) and [the home page](//example.org/).
"""


def entry_of_story(tmp_path: Path) -> StoryEntry:
    entry = story_result(StoryFile(tmp_path / "port-deal.md", "the-key", STORY.encode()), StoryShape()).entry
    assert entry is not None
    return entry


def test_an_entry_holds_the_storys_place_in_the_site(tmp_path: Path) -> None:
    entry = entry_of_story(tmp_path)
    assert (entry.path, entry.key, entry.slug, entry.tags, entry.follows) == (
        tmp_path / "port-deal.md", "the-key", "port-deal", ("Trade", "Ports"), "port-talks")
    assert (entry.slug_line, entry.tags_line, entry.follows_line) == (1, 5, 6)


def test_each_outlet_and_provider_is_named_once_with_the_line_it_is_first_named_on(tmp_path: Path) -> None:
    entry = entry_of_story(tmp_path)
    assert (entry.cited, entry.cited_lines) == (("The Wire", "The Daily"), (9, 15))  # each source's `- id:` line
    assert (entry.providers, entry.provider_lines) == (("Harbour Institute",), (21,))  # its first narrative's line


def test_links_that_may_lead_to_a_story_are_kept_and_mail_fragments_and_other_schemes_are_not(
        tmp_path: Path) -> None:
    entry = entry_of_story(tmp_path)
    assert entry.links == (("/port-talks/", 29), ("https://gov.example/pm", 29), ("//example.org/", 30))


def test_a_story_last_changed_when_it_was_updated_else_on_its_date() -> None:
    date = Moment(datetime(2024, 3, 25, tzinfo=timezone.utc))
    updated = Moment(datetime(2024, 3, 27, tzinfo=timezone.utc))
    entry = StoryEntry(Path("a.md"), "k", "a", date, None, None, False, (), 1, 1)
    assert entry.last_changed == date
    assert StoryEntry(Path("a.md"), "k", "a", date, updated, None, False, (), 1, 1).last_changed == updated

"""The daily edition: a site's published stories grouped by the day they came out, in the site's time zone.

A story with a time of day belongs to the day that time falls on in `time_zone`; a story with a
plain date, to that date. Drafts and stories shown before their date (-D, -F) are never in an
edition, and expired ones have left it, as they leave every list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo

from briefgen.core.model import Moment
from briefgen.site.assemble import Site
from briefgen.story.entry import StoryEntry


@dataclass(frozen=True)
class Edition:
    day: date
    stories: tuple[StoryEntry, ...]  # newest first, as every list


def editions_of(site: Site, zone: tzinfo) -> tuple[Edition, ...]:
    """Every day with a story in it, newest first."""
    days: dict[date, list[StoryEntry]] = {}
    for entry in site.listed:
        if not entry.draft and entry.slug not in site.scheduled:
            days.setdefault(day_of(entry.date, zone), []).append(entry)
    return tuple(Edition(day, tuple(stories)) for day, stories in sorted(days.items(), reverse=True))


def day_of(moment: Moment, zone: tzinfo) -> date:
    return moment.instant.astimezone(zone).date() if moment.has_time else moment.day

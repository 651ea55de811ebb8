"""`briefgen list drafts|future|expired|all`: which stories a build leaves out or off its lists, and why.

It reads the stories as a build does (from the build cache where it can, never writing
it) and prints one CSV row per story, newest first: its file, slug, date, expiry and
draft mark, as `hugo list` does. "Future" and "expired" are judged against now, or the
moment `--clock` names.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from briefgen.core.diagnostics import Diagnostics, display_path
from briefgen.core.layout import CACHE_DIR, CONTENT_DIR
from briefgen.settings.config import load_config
from briefgen.story.content import read_stories, scan_content
from briefgen.story.entry import StoryEntry
from briefgen.story.store import StoryStore

HEADER = ("path", "slug", "date", "expires", "draft")


def listed(entry: StoryEntry, kind: str, now: datetime) -> bool:
    """Whether the story belongs in the list of `kind` at `now`."""
    if kind == "drafts":
        return entry.draft
    if kind == "future":
        return entry.date.instant > now
    if kind == "expired":
        return entry.expires is not None and entry.expires.instant <= now
    return True


def list_stories(site_dir: Path, kind: str, now: datetime, diagnostics: Diagnostics) -> str:
    """The CSV of the site's stories of `kind`; the problems found reading them go to `diagnostics`."""
    content_dir = site_dir / CONTENT_DIR
    if not content_dir.is_dir():
        diagnostics.error(content_dir, 0, "there is no content/ folder",
                          "run briefgen in the site's folder, or point to it with `-s DIR`", "no-content-folder")
        return ""
    config = load_config(site_dir, diagnostics)
    store = StoryStore(site_dir / CACHE_DIR)
    files, _ = scan_content(content_dir, config, store, diagnostics)
    entries = [entry for entry in read_stories(files, config, diagnostics, store) if listed(entry, kind, now)]
    entries.sort(key=lambda entry: (entry.date.instant, entry.slug), reverse=True)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for entry in entries:
        writer.writerow((display_path(entry.path), entry.slug, entry.date.instant.isoformat(),
                         entry.expires.instant.isoformat() if entry.expires else "", str(entry.draft).lower()))
    return out.getvalue()

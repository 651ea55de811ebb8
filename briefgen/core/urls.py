"""Where every page and file lives. One place decides the URL scheme and what a file of the site is."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, urlsplit

HOME = ""
TAGS = "tags/"
FEED = "feed.xml"
JSON_FEED = "feed.json"
OUTLETS = "outlets/"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
NOT_FOUND = "404.html"
EDITIONS = "editions/"
EDITIONS_FEED = "editions/feed.xml"
SEARCH = "pagefind/"  # the search index's bundles


@dataclass(frozen=True)
class OutputFile:
    """One file of the built site: where it goes in the output folder and its bytes."""

    path: str  # relative to the output folder, with '/' separators
    data: bytes


def story(slug: str) -> str:
    return f"{slug}/"


def story_card(slug: str) -> str:
    return f"{slug}/card.png"


def home(page: int = 1) -> str:
    return HOME if page == 1 else f"page/{page}/"


def tag(slug: str, page: int = 1) -> str:
    return f"tags/{slug}/" if page == 1 else f"tags/{slug}/page/{page}/"


def tag_feed(slug: str) -> str:
    return f"tags/{slug}/feed.xml"


def tag_json_feed(slug: str) -> str:
    return f"tags/{slug}/feed.json"


def thread(first_slug: str) -> str:
    """A long thread's own page, named by its first story: a story's slug has no '/', so none is here."""
    return f"threads/{first_slug}/"


def outlet(outlet_id: str, page: int = 1) -> str:
    return f"outlets/{outlet_id}/" if page == 1 else f"outlets/{outlet_id}/page/{page}/"


def editions(page: int = 1) -> str:
    return EDITIONS if page == 1 else f"editions/page/{page}/"


def edition(day: date) -> str:
    return f"editions/{day.isoformat()}/"


def edition_email(day: date, suffix: str) -> str:
    """The edition as an email (`.html`) and its plain-text twin (`.txt`), which `briefgen edition` writes."""
    return f"editions/{day.isoformat()}/email{suffix}"


def output_file(path: str) -> str:
    """The file a URL path is written to: pretty URLs are folders with an index.html."""
    return path + "index.html" if path == "" or path.endswith("/") else path


class Linker:
    """Turns site paths into links (root-relative) and permalinks (absolute)."""

    def __init__(self, base_url: str, base_path: str) -> None:
        self.base_url = base_url  # "https://example.org/news/"
        self.base_path = base_path  # "/news/"

    def link(self, path: str) -> str:
        return self.base_path + quote(path, safe="/#")

    def permalink(self, path: str) -> str:
        return self.base_url + quote(path, safe="/#")


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def is_web_address(url: str) -> bool:
    """An http or https address with a host, well-formed: a site's base URL, a source's link. No control
    characters: Python's URL parser drops a newline silently, and one in base_url would start a new
    line of robots.txt or a feed."""
    if _CONTROL.search(url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # "https://[x": an unclosed IPv6 host
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)

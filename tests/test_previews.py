"""Link previews: every page's OpenGraph and Twitter tags, and the story's JSON-LD image, logo and dates."""

from __future__ import annotations

import json
import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build
from briefgen.pages.views import og_locale
from tests.conftest import make_site, run_briefgen, story_text

BASE = "https://example.org/"
OUTLETS = "wire:\n  name: The Wire\n  url: https://wire.example/\n  kind: wire\n  country: US\n"


class Head(HTMLParser):
    """The <head>'s meta tags (property or name -> contents) and its JSON-LD."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.json_ld: list[str] = []
        self._in_json_ld = False
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self._in_head = self._in_head or tag == "head"
        key = values.get("property") or values.get("name")
        if tag == "meta" and self._in_head and key:
            self.meta.setdefault(key, []).append(values.get("content") or "")
        self._in_json_ld = tag == "script" and values.get("type") == "application/ld+json"

    def handle_endtag(self, tag: str) -> None:
        self._in_head = self._in_head and tag != "head"
        self._in_json_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self.json_ld.append(data)

    def one(self, key: str) -> str | None:
        found = self.meta.get(key, [])
        assert len(found) <= 1, f"{key} is there {len(found)} times"
        return found[0] if found else None


def head(public: Path, page: str) -> Head:
    parser = Head()
    parser.feed((public / page).read_text(encoding="utf-8"))
    return parser


def built(root: Path, stories: dict[str, str], config: str = "", outlets: bool = False) -> Path:
    site = make_site(root, stories, f"title: Daily Brief\nbase_url: {BASE}\nsearch: false\n{config}")
    if outlets:
        (site / "outlets.yaml").write_text(OUTLETS, encoding="utf-8")
    result = build(BuildOptions(site_dir=site))
    assert result.written, [d.message for d in result.diagnostics.errors]
    return site / "public"


def published(public: Path, url: str) -> Path:
    """The file an absolute URL of the site is served from."""
    assert url.startswith(BASE), url
    return public / url.removeprefix(BASE)


def png(width: int, height: int) -> bytes:
    raw = b"".join(b"\0" + b"\x80\x80\x80" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


PAGES = {"story": "talks/index.html", "home": "index.html", "tags": "tags/index.html",
         "tag": "tags/world/index.html", "outlets": "outlets/index.html", "outlet": "outlets/wire/index.html",
         "404": "404.html"}


def test_every_page_has_the_theme_s_card_and_its_own_title_url_and_locale(tmp_path: Path) -> None:
    public = built(tmp_path, {"talks.md": story_text("Talks")}, outlets=True)
    for kind, page in PAGES.items():
        tags = head(public, page)
        assert tags.one("og:type") == ("article" if kind == "story" else "website"), kind
        assert tags.one("og:title") and tags.one("og:title") == tags.one("twitter:title"), kind
        assert tags.one("og:url") == BASE + page.removesuffix("index.html"), kind
        assert (tags.one("og:site_name"), tags.one("og:locale")) == ("Daily Brief", "en_US"), kind
        image = tags.one("og:image") or ""
        card = f"{BASE}talks/card.png" if kind == "story" else f"{BASE}assets/card."  # the story's own share card
        assert image.startswith(card) and published(public, image).is_file(), kind
        assert (tags.one("og:image:width"), tags.one("og:image:height")) == ("1200", "630"), kind
        alt = "Talks" if kind == "story" else "Daily Brief"
        assert tags.one("og:image:alt") == tags.one("twitter:image:alt") == alt, kind
        assert (tags.one("twitter:card"), tags.one("twitter:image")) == ("summary_large_image", image), kind
        assert tags.one("twitter:site") is None, kind
    assert head(public, PAGES["story"]).one("og:title") == "Talks"
    assert head(public, PAGES["story"]).one("og:description") == "A one-paragraph summary of Talks."


def test_the_story_s_image_wins_over_the_site_s_which_wins_over_the_card(tmp_path: Path) -> None:
    own = story_text("Own").replace("tags:", "image: https://cdn.example/quay.jpg\nimage_alt: The quay at dawn\ntags:")
    no_alt = story_text("No alt").replace("tags:", "image: /img/port.jpg\ntags:")
    config = "image: /img/site.png\nimage_alt: The Daily Brief masthead\ntwitter: '@dailybrief'\n"
    public = built(tmp_path, {"own.md": own, "no-alt.md": no_alt, "plain.md": story_text("Plain")}, config)
    expected = {"own/index.html": ("https://cdn.example/quay.jpg", "The quay at dawn"),
                "no-alt/index.html": (f"{BASE}img/port.jpg", "No alt"),
                "plain/index.html": (f"{BASE}img/site.png", "The Daily Brief masthead"),
                "index.html": (f"{BASE}img/site.png", "The Daily Brief masthead")}
    for page, (url, alt) in expected.items():
        tags = head(public, page)
        assert (tags.one("og:image"), tags.one("og:image:alt"), tags.one("twitter:image")) == (url, alt, url), page
        assert tags.one("og:image:width") is None and tags.one("og:image:height") is None, page  # size unknown
        assert tags.one("twitter:site") == "@dailybrief", page
        if page != "index.html":
            assert json.loads("".join(tags.json_ld))["image"] == {"@type": "ImageObject", "url": url}, page


def test_a_site_s_own_card_replaces_the_theme_s_with_its_own_size(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "assets" / "card.png").write_bytes(png(3, 2))
    public = built(site, {"talks.md": story_text("Talks")})
    tags = head(public, "index.html")
    assert published(public, tags.one("og:image") or "").read_bytes() == png(3, 2)
    assert (tags.one("og:image:width"), tags.one("og:image:height")) == ("3", "2")


@pytest.mark.parametrize("language, locale", [("en", "en_US"), ("fr", "fr_FR"), ("de", "de_DE"),
                                              ("en-GB", "en_GB"), ("pt-BR", "pt_BR"), ("ja", "ja_JP"),
                                              ("zh-Hant", "zh_TW"), ("xx-none", "xx_none")])
def test_og_locale_is_language_and_territory_from_cldr_s_likely_subtags(language: str, locale: str) -> None:
    assert og_locale(language) == locale


def test_a_french_site_s_pages_say_fr_fr(tmp_path: Path) -> None:
    public = built(tmp_path, {"talks.md": story_text("Talks")}, "language: fr\n")
    assert head(public, "talks/index.html").one("og:locale") == head(public, "index.html").one("og:locale") == "fr_FR"


@pytest.mark.parametrize("handle", ["'@this_is_far_too_long'", "dailybrief", "'@daily-brief'", "'@'"])
def test_a_bad_twitter_handle_is_an_error_on_its_line(tmp_path: Path, handle: str) -> None:
    site = make_site(tmp_path, {"talks.md": story_text("Talks")}, f"title: T\nbase_url: {BASE}\ntwitter: {handle}\n")
    run = run_briefgen("check", "-s", site)
    assert run.code == 1
    assert "briefgen.yaml:3: error: 'twitter' must be an @handle of 1 to 15 letters" in run.out + run.err


def test_a_site_image_that_is_no_address_is_an_error_on_its_line(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"talks.md": story_text("Talks")}, f"base_url: {BASE}\nimage: card.png\n")
    run = run_briefgen("check", "-s", site)
    assert run.code == 1
    assert "briefgen.yaml:2: error: 'image' must be an http or https URL, or a path on the site" in run.out + run.err


def test_json_ld_has_the_image_the_logo_and_dates_as_they_were_written(tmp_path: Path) -> None:
    timed = story_text("Timed").replace("date: 2024-03-25", "date: 2024-03-25T09:30:00+09:00")
    corrected = story_text("Dated").replace("tags:", "corrections:\n  - {date: 2024-03-27, text: Fixed.}\ntags:")
    public = built(tmp_path, {"dated.md": corrected, "timed.md": timed})
    for slug, published_at, modified_at in (("dated", "2024-03-25", "2024-03-27"),
                                            ("timed", "2024-03-25T09:30:00+09:00", "2024-03-25T09:30:00+09:00")):
        tags = head(public, f"{slug}/index.html")
        [block] = tags.json_ld
        data = json.loads(block)
        assert (data["datePublished"], data["dateModified"]) == (published_at, modified_at), slug
        assert (tags.one("article:published_time"), tags.one("article:modified_time")) == (published_at, modified_at)
        assert data["image"] == {"@type": "ImageObject", "url": tags.one("og:image"), "width": 1200, "height": 630}
        logo = data["publisher"]["logo"]
        assert (logo["@type"], logo["width"], logo["height"]) == ("ImageObject", 112, 112)
        assert published(public, logo["url"]).read_bytes().startswith(b"\x89PNG")
    assert json.loads(head(public, "dated/index.html").json_ld[0])["correction"][0]["datePublished"] == "2024-03-27"
    feed = (public / "feed.xml").read_text(encoding="utf-8")
    assert "<published>2024-03-25T00:00:00Z</published>" in feed  # feeds keep RFC 3339 date-times

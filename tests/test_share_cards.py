"""Share cards: the picture a chat app, a feed reader or a social network shows of a story's link."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from briefgen.pages.cards import ACCENTS
from tests.conftest import make_site, run_briefgen, story_text, tree_bytes
from tests.test_previews import BASE, built, head, published
from tests.test_serve import serving

WHITE, INK = (255, 255, 255), (20, 20, 20)
LONG = " ".join(["The harbour authority's long-awaited plan for the northern quays"] * 4)


def card(public: Path, slug: str) -> Image.Image:
    return Image.open(public / slug / "card.png").convert("RGB")


def inked_rows(image: Image.Image, top: int, bottom: int) -> list[int]:
    """The rows between top and bottom that hold any ink (the title's and the site name's colours)."""
    return [y for y in range(top, bottom)
            if any(image.getpixel((x, y)) != WHITE for x in range(0, image.width, 2))]


def test_a_story_without_an_image_is_shared_with_a_card_of_its_own(tmp_path: Path) -> None:
    public = built(tmp_path, {"talks.md": story_text("Talks in Geneva")})
    tags = head(public, "talks/index.html")
    url = f"{BASE}talks/card.png"
    assert tags.one("og:image") == tags.one("twitter:image") == url
    assert tags.one("og:image:alt") == "Talks in Geneva" and tags.one("twitter:card") == "summary_large_image"
    assert json.loads("".join(tags.json_ld))["image"] == {"@type": "ImageObject", "url": url,
                                                          "width": 1200, "height": 630}
    image = Image.open(published(public, url))
    assert (image.format, image.size) == ("PNG", (1200, 630))
    assert (head(public, "index.html").one("og:image") or "").startswith(f"{BASE}assets/card.")  # lists keep the site's


def test_the_band_and_label_say_the_kind_and_an_opinion_is_red(tmp_path: Path) -> None:
    opinion = story_text("Why the talks failed").replace("tags:", "kind: opinion\ntags:")
    analysis = story_text("What the talks mean").replace("tags:", "kind: analysis\ntags:")
    public = built(tmp_path, {"news.md": story_text("Talks in Geneva"), "view.md": opinion, "why.md": analysis})
    for slug, kind in (("news", "news"), ("view", "opinion"), ("why", "analysis")):
        image = card(public, slug)
        assert image.getpixel((600, 5)) == ACCENTS[kind], slug
        label = {image.getpixel((x, y)) for x in range(80, 300) for y in range(62, 95)}
        assert ACCENTS[kind] in label and INK not in label, slug  # the label is written in the kind's colour
    assert ACCENTS["opinion"] == (179, 38, 30)


def test_a_long_title_wraps_and_is_cut_before_the_site_s_name(tmp_path: Path) -> None:
    public = built(tmp_path, {"short.md": story_text("Talks"), "long.md": story_text(LONG)})
    short, long = card(public, "short"), card(public, "long")
    assert short.tobytes() != long.tobytes()
    short_rows, long_rows = inked_rows(short, 120, 500), inked_rows(long, 120, 500)
    assert max(short_rows) < 230 < max(long_rows)  # one line against several
    assert not inked_rows(long, max(long_rows) + 1, 505)  # a clear gap above the site's name
    assert inked_rows(long, 505, 560)  # which is there: "Daily Brief"


def test_cards_are_the_same_bytes_from_any_build_and_follow_an_edited_title(tmp_path: Path) -> None:
    first = built(tmp_path / "one", {"talks.md": story_text("Talks")})
    second = built(tmp_path / "two", {"talks.md": story_text("Talks")})
    assert (first / "talks" / "card.png").read_bytes() == (second / "talks" / "card.png").read_bytes()
    story = tmp_path / "one" / "content" / "talks.md"
    story.write_text(story_text("Talks resume"), encoding="utf-8")
    cached = built(tmp_path / "one", {})
    fresh = built(tmp_path / "fresh", {"talks.md": story_text("Talks resume")})
    assert (cached / "talks" / "card.png").read_bytes() == (fresh / "talks" / "card.png").read_bytes()
    assert (cached / "talks" / "card.png").read_bytes() != (second / "talks" / "card.png").read_bytes()


def test_the_story_s_and_the_site_s_image_win_and_no_card_is_made(tmp_path: Path) -> None:
    own = story_text("Own").replace("tags:", "image: https://cdn.example/quay.jpg\ntags:")
    public = built(tmp_path / "story", {"own.md": own, "plain.md": story_text("Plain")})
    assert head(public, "own/index.html").one("og:image") == "https://cdn.example/quay.jpg"
    assert not (public / "own" / "card.png").exists() and (public / "plain" / "card.png").is_file()
    public = built(tmp_path / "site", {"plain.md": story_text("Plain")}, "image: /img/site.png\n")
    assert head(public, "plain/index.html").one("og:image") == f"{BASE}img/site.png"
    assert not list(public.rglob("card.png"))


def test_share_cards_false_keeps_the_theme_s_card(tmp_path: Path) -> None:
    public = built(tmp_path, {"talks.md": story_text("Talks")}, "share_cards: false\n")
    assert not list(public.rglob("card.png"))
    assert (head(public, "talks/index.html").one("og:image") or "").startswith(f"{BASE}assets/card.")


def test_a_title_the_font_cannot_draw_keeps_the_theme_s_card_rather_than_boxes(tmp_path: Path) -> None:
    public = built(tmp_path, {"tokyo.md": story_text("東京で協議"), "kyiv.md": story_text("Переговори в Києві")})
    assert not (public / "tokyo" / "card.png").exists()
    assert (head(public, "tokyo/index.html").one("og:image") or "").startswith(f"{BASE}assets/card.")
    assert head(public, "kyiv/index.html").one("og:image") == f"{BASE}kyiv/card.png"  # Cyrillic is drawn


def test_turning_cards_off_after_a_build_removes_them(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"talks.md": story_text("Talks")}, f"base_url: {BASE}\nsearch: false\n")
    assert run_briefgen("build", "-q", "-s", site).code == 0
    assert (site / "public" / "talks" / "card.png").is_file()
    (site / "briefgen.yaml").write_text(f"base_url: {BASE}\nsearch: false\nshare_cards: false\n", encoding="utf-8")
    assert run_briefgen("build", "-q", "-s", site).code == 0
    assert "talks/card.png" not in tree_bytes(site / "public")


def test_share_cards_must_be_true_or_false(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"talks.md": story_text("Talks")}, f"base_url: {BASE}\nshare_cards: sometimes\n")
    run = run_briefgen("check", "-s", site)
    assert run.code == 1
    assert "briefgen.yaml:2: error: 'share_cards' must be true or false\n  hint: e.g. `share_cards: false`" in run.out


def test_serve_draws_a_card_when_it_is_asked_for_as_build_does(tmp_path: Path) -> None:
    stories = {name: story_text(title) for name, title in (("talks.md", "Talks"), ("vote.md", "The vote"))}
    built_public = built(tmp_path / "built", stories)
    site = make_site(tmp_path / "served", stories, f"title: Daily Brief\nbase_url: {BASE}\nsearch: false\n")
    with serving(site) as server:
        for slug in ("talks", "vote"):  # serve leaves all but the first page of a kind until asked for
            status, headers, body = server.get(f"/{slug}/card.png")
            assert (status, headers["content-type"]) == (200, "image/png"), slug
            assert body == (built_public / slug / "card.png").read_bytes(), slug

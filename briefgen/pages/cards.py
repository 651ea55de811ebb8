"""Share cards: the picture a link preview shows of a story, made for each story (Pillow).

A card is a planned page like any other (its template name is CARD, its context the story), so it
is keyed, kept and rendered again exactly when its story changes; the template stage draws it
here instead of through Jinja. It shows the story's kind, its title and the site's name in one
font shipped with briefgen (fonts/: a cut of DejaVu Sans Bold), with FreeType's basic layout, so
the same story gives the same bytes on every machine with the same Pillow. A title the font cannot
draw whole (CJK, Arabic...) gets no card: its page keeps the theme's picture rather than boxes.

Cost: 1.3-1.9 ms a card (5 KB), most of it zlib: four colours at two bits a pixel, compressed as
runs; words are cut once per process and pasted, since titles share most of theirs.
"""

from __future__ import annotations

import io
import zlib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.core.glyphs import drawable
from briefgen.settings.config import SiteConfig

if TYPE_CHECKING:  # Pillow is imported when a card is drawn, not by every command that plans pages
    from PIL import Image, ImageFont

CARD = "share-card.png"  # the template name of a planned card: drawn by draw_card, not by a template
WIDTH, HEIGHT = 1200, 630  # what Facebook, LinkedIn and X show large
FONT = Path(__file__).parent / "fonts" / "DejaVuSans-Bold-subset.ttf"
MARGIN = 80
TITLE_SIZES = (68, 58, 50)  # the largest that fits the title in MAX_LINES
MAX_LINES = 4
LABEL_SIZE = 30
# The palette: paper, ink, the kind's colour, the site name's grey. Opinion is red.
PAPER, INK, ACCENT, MUTED = 0, 1, 2, 3
ACCENTS = {"news": (11, 83, 148), "analysis": (94, 53, 177), "opinion": (179, 38, 30),
           "explainer": (27, 110, 71)}


def has_card(config: SiteConfig, wants_card: bool) -> bool:
    """Whether a story gets a card: share cards are on, the site names no image (it wins over a card),
    and the story wants one (story/entry.py: no image of its own, a title the font can draw)."""
    return config.share_cards and not config.image and wants_card


def draw_card(title: str, kind: str, kind_label: str, site_title: str) -> bytes:
    """The card's PNG: the kind's colour in a band on top, its label, the title, the site's name."""
    from PIL import Image, ImageDraw
    image = Image.new("P", (WIDTH, HEIGHT), PAPER)
    image.putpalette(bytes((255, 255, 255, 20, 20, 20, *ACCENTS.get(kind, ACCENTS["news"]), 96, 96, 96)))
    ImageDraw.Draw(image).rectangle((0, 0, WIDTH, 15), fill=ACCENT)
    _write(image, MARGIN, 62, [kind_label.upper()], LABEL_SIZE, ACCENT)
    size, lines = _fitted(title)
    _write(image, MARGIN, 128, lines, size, INK)
    if drawable(site_title):
        _write(image, MARGIN, HEIGHT - MARGIN - LABEL_SIZE, [_clipped(site_title, LABEL_SIZE)], LABEL_SIZE, MUTED)
    out = io.BytesIO()
    image.save(out, "PNG", compress_type=zlib.Z_RLE)  # runs of one colour: faster and smaller than level 1
    return out.getvalue()


def _fitted(title: str) -> tuple[int, list[str]]:
    """The title's size and lines: the largest size that fits it, else the smallest with its end cut."""
    width = WIDTH - 2 * MARGIN
    for size in TITLE_SIZES:
        lines = _wrapped(title.split(), size, width)
        if len(lines) <= MAX_LINES:
            return size, lines
    lines[MAX_LINES - 1] = _clipped(" ".join(lines[MAX_LINES - 1:]), size)
    return size, lines[:MAX_LINES]


def _wrapped(words: list[str], size: int, width: int) -> list[str]:
    space = _font(size).getlength(" ")
    lines: list[list[str]] = []
    used = 0.0
    for word in words:
        length = _word(word, size)[2]
        if lines and used + space + length <= width:
            lines[-1].append(word)
            used += space + length
        else:
            lines.append([word])
            used = length
    return [" ".join(line) for line in lines]


def _clipped(text: str, size: int) -> str:
    """`text` cut at a word to fit one line, with an ellipsis when anything was cut."""
    width = WIDTH - 2 * MARGIN
    if _font(size).getlength(text) <= width:
        return text
    words = text.split()
    while len(words) > 1 and _font(size).getlength(" ".join(words) + " …") > width:
        words.pop()
    return " ".join(words) + " …"


def _write(image: Image.Image, left: int, top: int, lines: list[str], size: int, ink: int) -> None:
    """The lines, a line height of 1.2 apart, each word pasted from its cut."""
    space = _font(size).getlength(" ")
    for number, line in enumerate(lines):
        x, y = float(left), top + number * round(size * 1.2)
        for word in line.split():
            mask, (dx, dy), length = _word(word, size)
            image.paste(ink, (round(x) + dx, y + dy), mask)
            x += length + space


@lru_cache(maxsize=50_000)
def _word(word: str, size: int) -> tuple[Image.Image, tuple[int, int], float]:
    """A word's cut (a one-bit mask), where it sits from the pen, and how far it moves the pen."""
    from PIL import Image, ImageDraw
    font = _font(size)
    left, top, right, bottom = (int(edge) for edge in font.getbbox(word))  # whole pixels in basic layout
    mask = Image.new("1", (max(1, right - left), max(1, bottom - top)))
    ImageDraw.Draw(mask).text((-left, -top), word, font=font, fill=1)
    return mask, (left, top), font.getlength(word)


@lru_cache(maxsize=None)
def _font(size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont
    return ImageFont.truetype(str(FONT), size, layout_engine=ImageFont.Layout.BASIC)  # Pillow < 10: no Path

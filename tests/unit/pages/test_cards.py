"""briefgen/core/glyphs.py and pages/cards.py: which titles a card can show, and that the shipped font draws all
of them."""

from __future__ import annotations

import unicodedata

import pytest
from PIL import ImageFont

from briefgen.core.glyphs import _UNDRAWABLE, drawable
from briefgen.pages.cards import FONT


@pytest.mark.parametrize("title", ["Talks in Geneva", "Élections à Besançon : « le débat »", "Straßenbahn fährt",
                                   "Año nuevo — ¿qué cambia?", "Αθήνα", "Переговори в Києві", "Hà Nội", "€5 – 10 %"])
def test_european_titles_are_drawable(title: str) -> None:
    assert drawable(title)


@pytest.mark.parametrize("title", ["東京で協議", "مفاوضات", "שלום", "Talks 🎉", "서울"])
def test_titles_in_other_scripts_are_not(title: str) -> None:
    assert not drawable(title)


def test_every_character_called_drawable_has_a_glyph_in_the_shipped_font() -> None:
    """The character class and the font's cut are written apart: each assigned character the class lets
    through must draw something other than the font's empty box."""
    font = ImageFont.truetype(FONT, 40, layout_engine=ImageFont.Layout.BASIC)
    missing = bytes(font.getmask("\uffff", mode="1"))  # not in the font: its .notdef box
    letters = [chr(code) for code in range(0x20, 0x2200)
               if not _UNDRAWABLE.match(chr(code)) and unicodedata.category(chr(code)) not in ("Cn", "Zs", "Cf", "Mn")]
    assert len(letters) > 1000
    boxes = [letter for letter in letters if bytes(font.getmask(letter, mode="1")) == missing]
    assert boxes == []

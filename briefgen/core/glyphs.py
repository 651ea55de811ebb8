"""What the share card's font can draw (pages/fonts/: a cut of DejaVu Sans Bold).

Here, below every stage, because whether a story gets a card is part of its entry (the
story stage decides it, the plan reads it) and the card stage draws it.
"""

from __future__ import annotations

import re

# The characters the font was cut to (pyftsubset --unicodes): Latin, Greek, Cyrillic, punctuation.
_UNDRAWABLE = re.compile("[^\u0020-\u007e\u00a0-\u024f\u0370-\u03ff\u0400-\u04ff\u1e00-\u1efb"
                         "\u2010-\u2027\u2030-\u203a\u20ac\u2122]")


def drawable(text: str) -> bool:
    return _UNDRAWABLE.search(text) is None

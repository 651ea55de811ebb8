"""Draw the default theme's raster images, with zlib and struct alone (no imaging library).

    .venv/bin/python bench/theme_images.py   # writes themes/default/assets/card.png and logo.png

card.png (1200x630): the link-preview card of a page with no image of its own, a calm
background with the briefgen mark. logo.png (112x112): the mark alone, the publisher's
logo in JSON-LD (search engines want a raster logo; favicon.svg is not one).
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "themes" / "default" / "assets"
BLUE, WHITE, CALM = (0x0B, 0x57, 0xA4), (0xFF, 0xFF, 0xFF), (0xEE, 0xF1, 0xF5)
# On a 32-unit square (as favicon.svg): a rounded square with a headline bar and two lines of text.
BARS = ((8, 8, 24, 12), (8, 15, 24, 17.5), (8, 20.5, 19, 23))
SAMPLES = 4  # per axis, for smooth edges


def _inside_mark(x: float, y: float) -> tuple[int, int, int] | None:
    """The mark's colour at a point of the 32-unit square, None outside its rounded corners."""
    nx, ny = min(max(x, 6), 26), min(max(y, 6), 26)
    if (x - nx) ** 2 + (y - ny) ** 2 > 36:
        return None
    return WHITE if any(left <= x < right and top <= y < bottom for left, top, right, bottom in BARS) else BLUE


def draw(width: int, height: int, size: int, background: tuple[int, int, int]) -> bytes:
    """A PNG: the background with the mark, `size` pixels square, in its middle."""
    left, top = (width - size) // 2, (height - size) // 2
    plain = bytes(background) * width
    rows: list[bytes] = []
    for row in range(height):
        if not top <= row < top + size:
            rows.append(plain)
            continue
        pixels = bytearray(plain)
        for column in range(left, left + size):
            total = [0, 0, 0]
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x = (column - left + (sx + 0.5) / SAMPLES) * 32 / size
                    y = (row - top + (sy + 0.5) / SAMPLES) * 32 / size
                    colour = _inside_mark(x, y) or background
                    total = [t + c for t, c in zip(total, colour)]
            pixels[column * 3:column * 3 + 3] = bytes(round(t / SAMPLES ** 2) for t in total)
        rows.append(bytes(pixels))
    raw = b"".join(b"\0" + row for row in rows)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(raw, 9)) + _chunk(b"IEND", b""))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


if __name__ == "__main__":
    (ASSETS / "card.png").write_bytes(draw(1200, 630, 224, CALM))
    (ASSETS / "logo.png").write_bytes(draw(112, 112, 112, WHITE))

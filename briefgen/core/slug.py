"""The one slug function: every tag URL, heading id and new story name comes from it."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Symbols that carry meaning in names people tag with: C# is not C, C++ is not C.
_SPOKEN = {"#": " sharp ", "+": " plus ", "&": " and ", "@": " at "}
_APOSTROPHES = re.compile(r"['’ʼ`]")
_NOT_WORD = re.compile(r"[^\w]+|_+")
MAX_BYTES = 120  # a slug made from a title: a few words read best in a link
MAX_SLUG_BYTES = 200  # of UTF-8, for any slug: it names a folder or a file, and file systems allow 255 a name
SLUG = re.compile(r"[\w][\w.~-]*")


@lru_cache(maxsize=65536)  # a site repeats its few hundred tag names on every story
def slugify(text: str) -> str:
    """Lower-case words joined by hyphens; accents dropped, other scripts kept.

    `North Korea` and `north korea` give one slug; `C#`, `C++` and `C` give three;
    `Côte d'Ivoire` gives `cote-divoire`. A long text gives at most MAX_BYTES of UTF-8, cut
    between words where it can be.
    """
    text = _APOSTROPHES.sub("", text)
    text = "".join(_SPOKEN.get(char, char) for char in text)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _shortened(_NOT_WORD.sub("-", unicodedata.normalize("NFC", stripped).casefold()).strip("-"))


def _shortened(slug: str) -> str:
    data = slug.encode()
    if len(data) <= MAX_BYTES:
        return slug
    cut = data[:MAX_BYTES].decode(errors="ignore")
    words = cut.rpartition("-")[0]
    return (words if len(words) > len(cut) // 2 else cut).strip("-")


def slug_problem(slug: str, where: str) -> tuple[str, str] | None:
    """Why `slug` cannot name one page at /<slug>/ (and so one folder or file inside the output or
    content folder), as (message, hint), or None when it can. `where` names it in the message:
    "the slug", "--slug"... The one rule for a slug from front matter, a file name or the command line."""
    size = len(slug.encode(errors="surrogateescape"))
    if size > MAX_SLUG_BYTES:
        return (f"{where} is {size} bytes long; at most {MAX_SLUG_BYTES} fit in a folder name",
                "shorten it: a slug of a few words reads best in a link")
    if "/" in slug or "\\" in slug:
        return (f"{where} '{slug}' contains a path separator",
                "a slug names one page at /<slug>/; use hyphens instead, e.g. 'us-japan-pact'")
    if not SLUG.fullmatch(slug):  # `$` alone would let a final newline through
        return (f"{where} '{slug}' is not usable in a URL",
                "use letters, digits and hyphens, e.g. `us-japan-pact`")
    return None

from __future__ import annotations

import pytest

from briefgen.core.slug import slugify


@pytest.mark.parametrize(("name", "slug"), [
    ("North Korea", "north-korea"),
    ("north korea", "north-korea"),
    ("North-Korea", "north-korea"),
    ("C#", "c-sharp"),
    ("C++", "c-plus-plus"),
    ("C", "c"),
    ("AI/ML", "ai-ml"),
    ("Côte d'Ivoire", "cote-divoire"),
    ("Côte d’Ivoire", "cote-divoire"),
    ("Straße", "strasse"),
    ("日本", "日本"),
    ("  R&D  ", "r-and-d"),
    ("!!!", ""),
])
def test_one_slug_for_every_tag(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_a_long_text_gives_a_slug_that_fits_in_a_file_name() -> None:
    assert slugify("Ministers agree " * 30) == "-".join(["ministers", "agree"] * 7)
    cjk = slugify("東京" * 100)
    assert len(cjk.encode()) <= 120 and cjk == "東京" * 20

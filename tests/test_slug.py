from __future__ import annotations

import pytest

from briefgen.slug import slugify


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

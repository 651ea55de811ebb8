"""briefgen/core/slug.py: slugify and the one rule for a usable slug."""

from __future__ import annotations

import pytest

from briefgen.core.slug import MAX_SLUG_BYTES, slug_problem, slugify


def test_names_that_differ_only_by_case_accents_or_spacing_share_a_slug_and_symbols_keep_their_meaning() -> None:
    assert slugify("Côte d'Ivoire") == slugify("cote  DIVOIRE") == "cote-divoire"
    assert len({slugify("C#"), slugify("C++"), slugify("C")}) == 3


def test_a_long_title_is_cut_between_words_to_at_most_120_bytes() -> None:
    slug = slugify("Harbour authority " * 20)
    assert len(slug.encode()) <= 120 and not slug.endswith("-")
    assert slug.split("-")[-1] in ("harbour", "authority")


@pytest.mark.parametrize("slug", ["us-japan-pact", "日本", "v1.2~draft", "a" * MAX_SLUG_BYTES])
def test_a_usable_slug_has_no_problem(slug: str) -> None:
    assert slug_problem(slug, "the slug") is None


@pytest.mark.parametrize(("slug", "message"), [
    ("a" * (MAX_SLUG_BYTES + 1), f"the slug is {MAX_SLUG_BYTES + 1} bytes long; at most {MAX_SLUG_BYTES} fit"),
    ("é" * 101, "the slug is 202 bytes long"),
    ("news/today", "the slug 'news/today' contains a path separator"),
    ("news\\today", "contains a path separator"),
    ("-lead", "the slug '-lead' is not usable in a URL"),
    (".hidden", "is not usable in a URL"),
    ("two words", "is not usable in a URL"),
    ("", "is not usable in a URL"),
])
def test_a_slug_that_cannot_name_one_page_is_refused_saying_why(slug: str, message: str) -> None:
    problem = slug_problem(slug, "the slug")
    assert problem is not None and message in problem[0]


def test_a_slug_ending_in_a_newline_is_refused() -> None:
    """`$` also matches before a final newline: a file named 'news\\n.md' was published at 'news\\n/'."""
    assert slug_problem("news\n", "the slug") is not None

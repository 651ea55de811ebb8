"""briefgen/change/keys.py: one key format for every kept value, made by walking what it is made from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pytest

from briefgen.change.keys import Keyed, KeyMemo, value_key


@dataclass(frozen=True)
class Shown:
    title: str
    count: int
    lines: dict[str, int] = field(default_factory=dict, compare=False)  # where it was written: not what it is


@dataclass(frozen=True)
class Ref(Keyed):
    name: str
    key: str


def test_a_key_moves_with_each_value_and_its_type_and_not_otherwise() -> None:
    key = value_key("a/", "story.html", {"title": "One", "count": 1, "tags": ["x"]})
    assert value_key("a/", "story.html", {"title": "One", "count": 1, "tags": ["x"]}) == key
    for other in (value_key("b/", "story.html", {"title": "One", "count": 1, "tags": ["x"]}),
                  value_key("a/", "home.html", {"title": "One", "count": 1, "tags": ["x"]}),
                  value_key("a/", "story.html", {"title": "Two", "count": 1, "tags": ["x"]}),
                  value_key("a/", "story.html", {"title": "One", "count": "1", "tags": ["x"]}),
                  value_key("a/", "story.html", {"title": "One", "count": 1, "tags": ["x", "y"]}),
                  value_key("a/", "story.html", {"title": "One", "count": 1, "tags": [], "x": None}),
                  value_key("a/story.html", {"title": "One", "count": 1, "tags": ["x"]})):
        assert other != key


def test_a_value_counts_by_what_its_equality_sees() -> None:
    """Where a setting was written (a field left out of ==) is no part of what it is: a comment line
    above it in briefgen.yaml re-renders nothing."""
    assert value_key(Shown("One", 1, {"title": 3})) == value_key(Shown("One", 1, {"title": 5}))
    assert value_key(Shown("One", 1)) != value_key(Shown("One", 2))


def test_a_keyed_value_counts_by_its_key_alone() -> None:
    assert value_key(Ref("a", "k1")) == value_key(Ref("b", "k1")) != value_key(Ref("a", "k2"))


def test_paths_and_moments_count_by_their_value() -> None:
    noon = datetime(2024, 4, 1, 12, tzinfo=timezone.utc)
    assert value_key(Path("/a.md"), noon) == value_key(Path("/a.md"), noon)
    assert value_key(Path("/a.md"), noon) != value_key(Path("/b.md"), noon)
    assert value_key(noon) != value_key(noon.replace(tzinfo=None))


def test_a_memo_spares_walking_a_frozen_value_again_and_changes_no_key() -> None:
    memo = KeyMemo()
    shown = Shown("One", 1)
    assert value_key([shown, shown], memo=memo) == value_key([shown, Shown("One", 1)])
    assert memo.get(shown) is not None


def test_a_value_of_a_kind_the_walk_does_not_know_is_an_error() -> None:
    with pytest.raises(TypeError, match="a key cannot be made of a set"):
        value_key({"tags": {"x", "y"}})

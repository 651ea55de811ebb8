"""briefgen/output/state.py: the writer's state and its JSON codec."""

from __future__ import annotations

import json
from typing import Any

import pytest

from briefgen.output.state import STATE_VERSION, FileStamp, OutputState

A = FileStamp(3, 1_000, 11, 1_500, "a" * 64)
B = FileStamp(4, 2_000, 12, 2_500, "b" * 64)
B2 = FileStamp(5, 3_000, 13, 3_500, "c" * 64)
C = FileStamp(6, 4_000, 14, 4_500, "d" * 64)


def through_json(state: OutputState) -> OutputState | None:
    return OutputState.from_json(json.loads(json.dumps(state.to_json())))


def test_a_state_whose_back_adds_changes_and_drops_files_survives_json() -> None:
    state = OutputState({"a.html": A, "b.html": B}, {"b.html": B2, "c.html": C}, "front-site", "back-site")
    assert through_json(state) == state


def test_a_state_without_a_known_back_folder_survives_json() -> None:
    state = OutputState({"a.html": A}, {}, "front-site", None)
    assert through_json(state) == state


def test_the_back_is_stored_as_only_its_differences_from_the_front() -> None:
    state = OutputState({"a.html": A, "b.html": B, "gone.html": C}, {"a.html": A, "b.html": B2}, "f", "b")
    data = state.to_json()
    assert data["version"] == STATE_VERSION
    assert data["back_changes"] == {"b.html": [5, 3_000, 13, 3_500, "c" * 64], "gone.html": None}


def valid() -> dict[str, Any]:
    return OutputState({"a.html": A}, {"a.html": B}, "f", "b").to_json()


@pytest.mark.parametrize("broken", [
    None, [], {**valid(), "version": STATE_VERSION + 1}, {**valid(), "front": []},
    {**valid(), "front": {"a.html": [3, 1_000, 11, "x"]}}, {**valid(), "front": {"a.html": [3, 1.5, 11, 2, "x"]}},
    {**valid(), "front": {"a.html": [True, 1_000, 11, 2, "x"]}},
    {**valid(), "front": {"a.html": [3, 1_000, 11, 2, 7]}},
    {**valid(), "back_changes": []}, {**valid(), "back_changes": {"a.html": "x"}},
    {**valid(), "front_site": None}, {**valid(), "back_site": 3},
], ids=["none", "list", "version", "front-list", "short-stamp", "float-mtime", "bool-size", "int-digest",
        "changes-list", "changes-text", "front-site-none", "back-site-number"])
def test_malformed_json_gives_no_state(broken: object) -> None:
    assert OutputState.from_json(broken) is None

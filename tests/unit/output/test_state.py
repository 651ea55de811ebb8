"""briefgen/output/state.py: the writer's state, kept between builds through the cache's values codec."""

from __future__ import annotations

import briefgen.output.state
from briefgen.change.cache import dump_values, load_values, value_types
from briefgen.output.state import FileStamp, OutputState

A = FileStamp(3, 1_000, 11, 1_500, "a" * 64)
B = FileStamp(4, 2_000, 12, 2_500, "b" * 64)
B2 = FileStamp(5, 3_000, 13, 3_500, "c" * 64)
C = FileStamp(6, 4_000, 14, 4_500, "d" * 64)
TYPES = value_types(briefgen.output.state)


def kept(state: OutputState) -> OutputState:
    return load_values(dump_values(state), TYPES)  # type: ignore[no-any-return]


def test_a_state_whose_back_adds_changes_and_drops_files_is_kept_whole() -> None:
    state = OutputState({"a.html": A, "b.html": B}, {"b.html": B2, "c.html": C}, "front-site", "back-site")
    assert kept(state) == state


def test_a_state_without_a_known_back_folder_is_kept_whole() -> None:
    state = OutputState({"a.html": A}, {}, "front-site", None)
    assert kept(state) == state


def test_a_stamp_shared_by_both_folders_is_kept_once() -> None:
    """Front and back share most files (hard links): the kept state holds each such stamp once."""
    front = {f"{n}.html": FileStamp(n, n, n, n, "x" * 64) for n in range(200)}
    alone = OutputState(front, {}, "f", None)
    both = OutputState(front, dict(front), "f", "b")
    # the back folder adds a reference per file (its name and its stamp: a few bytes), not a copy of
    # each stamp (its 64-character digest alone is more than the bound)
    assert len(dump_values(both)) - len(dump_values(alone)) < 200 * 16

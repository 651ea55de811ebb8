"""change/trace.py: a build's reads are recorded as they happen and verified before the next build."""

from __future__ import annotations

import os
from pathlib import Path

import briefgen.change.trace
from briefgen.change.cache import dump_values, load_values, value_types
from briefgen.change.keys import digest
from briefgen.change.trace import ABSENT, Trace, file_stamp, files_below, is_folder, read_file, recording

PAST = 1_000_000_000  # seconds: a stamp long enough ago to be trusted, not "racy"


def settled(path: Path) -> None:
    os.utime(path, (PAST, PAST))


def test_digest_tells_part_lists_apart() -> None:
    assert digest("ab", "c") != digest("a", "bc") != digest("abc")
    assert digest("a", b"b") == digest(b"a", "b") and len(digest()) == 32


def test_a_file_read_is_recorded_and_verified_by_its_stamp(tmp_path: Path) -> None:
    story = tmp_path / "story.md"
    story.write_text("first")
    settled(story)
    with recording() as trace:
        assert read_file(story) == b"first"
    assert trace.files == {str(story): (file_stamp(story), digest(b"first"))}
    assert trace.unchanged({})

    story.write_text("again")  # the same size, and its mtime set back (as `touch -r` would): its ctime moved
    settled(story)
    assert not trace.unchanged({})


def test_a_save_of_the_same_bytes_cuts_off_at_the_digest(tmp_path: Path) -> None:
    story = tmp_path / "story.md"
    story.write_text("same")
    settled(story)
    with recording() as trace:
        read_file(story)
    story.write_text("same")  # a new stamp, the same bytes
    assert trace.unchanged({})


def test_a_missing_file_is_recorded_as_absent_and_its_arrival_counts(tmp_path: Path) -> None:
    config = tmp_path / "briefgen.yaml"
    with recording() as trace:
        assert read_file(config) is None
    assert trace.files[str(config)][1] == ABSENT and trace.unchanged({})
    config.write_text("title: New\n")
    assert not trace.unchanged({})


def test_a_folder_listed_is_recorded_so_a_file_added_or_removed_anywhere_counts(tmp_path: Path) -> None:
    (tmp_path / "static" / "docs").mkdir(parents=True)
    (tmp_path / "static" / "docs" / "a.txt").write_text("a")
    with recording() as trace:
        assert files_below(tmp_path / "static") == [tmp_path / "static" / "docs" / "a.txt"]
        assert not is_folder(tmp_path / "templates")
    assert trace.unchanged({})
    (tmp_path / "static" / "docs" / "notes.txt").write_text("a note")
    assert not trace.unchanged({})
    (tmp_path / "static" / "docs" / "notes.txt").unlink()
    assert trace.unchanged({})
    (tmp_path / "templates").mkdir()
    assert not trace.unchanged({})


def test_other_values_than_recorded_are_a_change(tmp_path: Path) -> None:
    trace = Trace(values={"drafts": "False"})
    assert trace.unchanged({"drafts": "False"}) and not trace.unchanged({"drafts": "True"})


def test_nothing_is_recorded_outside_a_recording(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a")
    with recording() as trace:
        pass
    read_file(tmp_path / "a.txt")
    assert trace.files == {} and trace.folders == {}


def test_a_trace_is_kept_whole_through_the_caches_codec(tmp_path: Path) -> None:
    story = tmp_path / "story.md"
    story.write_text("text")
    with recording() as trace:
        read_file(story)
        is_folder(tmp_path)
    trace.values = {"cwd": "/x"}
    assert load_values(dump_values(trace), value_types(briefgen.change.trace)) == trace

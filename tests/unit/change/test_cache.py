"""briefgen/change/cache.py: the cache folder and the one codec of kept values, with its logs of changes."""

from __future__ import annotations

import os
import pickle
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import briefgen.core.diagnostics
import briefgen.core.model
from briefgen.change.cache import (FORMAT, TAG_FILE, TAG_TEXT, append_record, apply_changes, changes_between,
                                   clear_cache, dump_values, load_values, read_records, read_values,
                                   value_types, write_atomically, write_values)
from briefgen.change.versions import code_version
from briefgen.core.diagnostics import Diagnostic, Severity
from briefgen.core.filenames import interned_path
from briefgen.core.model import Moment


TYPES = value_types(briefgen.core.model, briefgen.core.diagnostics)
WARNING = Diagnostic("/site/content/a.md", 7, Severity.WARNING, "no contra", "add one", "no-contra")


def test_a_value_written_by_this_code_reads_back_whole(tmp_path: Path) -> None:
    value = {"answer": (WARNING, Moment(datetime(2024, 3, 25, tzinfo=timezone(timedelta(hours=9))), True))}
    write_values(tmp_path / "cache", "x.pickle", value)
    notes: list[str] = []
    assert read_values(tmp_path / "cache" / "x.pickle", TYPES, notes) == value and notes == []


def test_writing_a_value_tags_the_folder_as_a_cache(tmp_path: Path) -> None:
    write_values(tmp_path / "cache", "x.pickle", {})
    assert (tmp_path / "cache" / TAG_FILE).read_bytes() == TAG_TEXT
    assert TAG_TEXT.startswith(b"Signature: 8a477f597d28d172789f06886806bc55\n")


def test_a_missing_file_reads_as_nothing_without_a_note(tmp_path: Path) -> None:
    notes: list[str] = []
    assert read_values(tmp_path / "missing.pickle", TYPES, notes) is None and notes == []


def stamped(body: bytes, code: str | None = None) -> bytes:
    return f"{FORMAT} {code or code_version()}\n".encode() + body


@pytest.mark.parametrize(("data", "reason"), [
    (stamped(b"not a pickle"), "it is damaged"),
    (stamped(pickle.dumps(os.getcwd)), "it is damaged"),  # names a callable the caller did not
    (stamped(dump_values(WARNING), "0.0+other"), "it was written by another version of briefgen"),
    (b"briefgen-cache-0 x\n" + dump_values(WARNING), "it was written by another version of briefgen"),
], ids=["damaged", "foreign callable", "other code", "old format"])
def test_a_file_this_code_did_not_write_is_discarded_with_one_note(tmp_path: Path, data: bytes,
                                                                   reason: str) -> None:
    (tmp_path / "x.pickle").write_bytes(data)
    notes: list[str] = []
    assert read_values(tmp_path / "x.pickle", TYPES, notes) is None
    assert read_values(tmp_path / "x.pickle", TYPES, notes) is None
    assert len(notes) == 1 and notes[0].startswith("discarded the build cache in ") and notes[0].endswith(reason)


def test_an_atomic_write_replaces_the_file_and_leaves_nothing_beside_it(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_bytes(b"old")
    write_atomically(tmp_path / "x.json", b"new")
    assert (tmp_path / "x.json").read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == ["x.json"]


def test_records_appended_to_a_log_read_back_in_order_until_one_is_cut_short(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    sizes = [append_record(log, {"n": number}) for number in range(3)]
    assert read_records(log, TYPES) == ([{"n": 0}, {"n": 1}, {"n": 2}], sum(sizes))
    log.write_bytes(log.read_bytes()[:-3])  # as a kill in the middle of the last write leaves it
    records, size = read_records(log, TYPES)
    assert records == [{"n": 0}, {"n": 1}] and size == sys.maxsize  # the next save starts anew
    assert read_records(tmp_path / "none.log", TYPES) == ([], 0)


def test_changes_between_two_maps_applied_to_the_first_give_the_second() -> None:
    before, now = {"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 20, "d": 4}
    changes = changes_between(before, now)
    assert changes == {"b": 20, "d": 4, "c": None}
    apply_changes(before, changes)
    assert before == now


def tagged(folder: Path) -> Path:
    folder.mkdir()
    (folder / TAG_FILE).write_bytes(TAG_TEXT)
    (folder / "stories.pickle").write_bytes(b"x")
    return folder


def test_clearing_removes_a_tagged_cache_folder(tmp_path: Path) -> None:
    assert clear_cache(tagged(tmp_path / "cache")) and not (tmp_path / "cache").exists()


def test_clearing_refuses_a_folder_without_the_tag(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep")
    assert not clear_cache(tmp_path / "mine") and (tmp_path / "mine" / "notes.txt").is_file()


def test_clearing_refuses_a_link_to_a_cache_folder(tmp_path: Path) -> None:
    target = tagged(tmp_path / "elsewhere")
    (tmp_path / "cache").symlink_to(target)
    assert not clear_cache(tmp_path / "cache")
    assert (target / TAG_FILE).is_file() and (tmp_path / "cache").is_symlink()


def test_kept_paths_come_back_as_the_one_path_the_process_has_for_each_name() -> None:
    """The index, the plan and the walk of content/ share their Paths instead of parsing each name thrice."""
    kept = load_values(dump_values([Path("content/a.md"), Path("/site/content/b.md")]), value_types())

    assert kept == [Path("content/a.md"), Path("/site/content/b.md")]
    assert kept[0] is interned_path("content/a.md") and kept[1] is interned_path("/site/content/b.md")

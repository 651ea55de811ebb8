"""briefgen/change/cache.py: the cache folder, its JSON files and the codecs of kept values."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from briefgen.change.cache import (FORMAT, TAG_FILE, TAG_TEXT, clear_cache, diagnostic_from_json,
                                   diagnostic_to_json, moment_from_json, moment_to_json, read_json, write_json,
                                   write_atomically)
from briefgen.change.versions import code_version
from briefgen.core.diagnostics import Diagnostic, Severity
from briefgen.core.model import Moment


def test_a_file_written_by_this_code_reads_back_with_its_values(tmp_path: Path) -> None:
    write_json(tmp_path / "cache", "x.json", {"answer": [42, "yes"]})
    notes: list[str] = []
    value = read_json(tmp_path / "cache" / "x.json", notes)
    assert value is not None and value["answer"] == [42, "yes"] and notes == []


def test_writing_a_file_tags_the_folder_as_a_cache(tmp_path: Path) -> None:
    write_json(tmp_path / "cache", "x.json", {})
    assert (tmp_path / "cache" / TAG_FILE).read_bytes() == TAG_TEXT
    assert TAG_TEXT.startswith(b"Signature: 8a477f597d28d172789f06886806bc55\n")


def test_a_missing_file_reads_as_nothing_without_a_note(tmp_path: Path) -> None:
    notes: list[str] = []
    assert read_json(tmp_path / "missing.json", notes) is None and notes == []


@pytest.mark.parametrize(("text", "reason"), [
    (b"{not json", "it is damaged"),
    (b"[1, 2]", "it was not written by briefgen"),
    (json.dumps({"format": "other-tool-1", "code": "x"}).encode(), "it was not written by briefgen"),
    (json.dumps({"format": "briefgen-cache-0", "code": "x"}).encode(), "it was written by another version of briefgen"),
    (json.dumps({"format": FORMAT, "code": "0.0+other"}).encode(), "it was written by another version of briefgen"),
])
def test_a_file_this_code_did_not_write_is_discarded_with_one_note(tmp_path: Path, text: bytes,
                                                                   reason: str) -> None:
    (tmp_path / "x.json").write_bytes(text)
    notes: list[str] = []
    assert read_json(tmp_path / "x.json", notes) is None
    assert read_json(tmp_path / "x.json", notes) is None
    assert len(notes) == 1 and notes[0].startswith("discarded the build cache in ") and notes[0].endswith(reason)


def test_the_file_carries_the_format_and_the_code_version(tmp_path: Path) -> None:
    write_json(tmp_path, "x.json", {"a": 1})
    assert json.loads((tmp_path / "x.json").read_bytes()) == {"format": FORMAT, "code": code_version(), "a": 1}


def test_an_atomic_write_replaces_the_file_and_leaves_nothing_beside_it(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_bytes(b"old")
    write_atomically(tmp_path / "x.json", b"new")
    assert (tmp_path / "x.json").read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == ["x.json"]


@pytest.mark.parametrize("moment", [
    Moment(datetime(2024, 3, 25, tzinfo=timezone.utc), False),
    Moment(datetime(2024, 5, 2, 9, 30, tzinfo=timezone(timedelta(hours=9))), True),
    None,
], ids=["date", "time-with-offset", "none"])
def test_a_moment_survives_json(moment: Moment | None) -> None:
    back = moment_from_json(json.loads(json.dumps(moment_to_json(moment))))
    assert back == moment
    if moment is not None and back is not None:
        assert back.instant.utcoffset() == moment.instant.utcoffset()


def test_a_moment_without_a_utc_offset_is_refused() -> None:
    with pytest.raises(ValueError, match="UTC offset"):
        moment_from_json(["2024-03-25T00:00:00", False])


def test_a_diagnostic_survives_json() -> None:
    item = Diagnostic("/site/content/a.md", 7, Severity.WARNING, "no contra", "add one", "no-contra")
    assert diagnostic_from_json(json.loads(json.dumps(diagnostic_to_json(item)))) == item


def tagged(folder: Path) -> Path:
    folder.mkdir()
    (folder / TAG_FILE).write_bytes(TAG_TEXT)
    (folder / "stories.json").write_text("{}")
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

"""briefgen/change/record.py: the record of the last written build."""

from __future__ import annotations

import os
import pickle
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from briefgen.change.cache import dump_values
from briefgen.change.record import RECORD_FILE, BuildRecord, SearchPart, last_build, option_values, save_record
from briefgen.change.trace import Trace
from briefgen.core.diagnostics import Diagnostic, Severity
from briefgen.core.model import HeldBack
from briefgen.core.urls import OutputFile
from briefgen.output.state import OutputState
from briefgen.output.writer import write_site

NOW = datetime(2024, 3, 25, 12, tzinfo=timezone.utc)
WARNING = Diagnostic("/site/content/a.md", 3, Severity.WARNING, "no contra", "add one", "no-contra")


def record(output: Path, written: OutputState, valid_until: datetime | None = None,
           values: dict[str, str] | None = None) -> BuildRecord:
    return BuildRecord(Trace(values=values or {"drafts": "False"}), valid_until, str(output.resolve()), 2, 5,
                       (WARNING,), written, {"index.html": "key-1"}, {"0": SearchPart("part-key", ("pagefind/0/a",))},
                       HeldBack(1, 2, NOW + timedelta(days=3)))


def published(tmp_path: Path) -> tuple[Path, OutputState]:
    output = tmp_path / "public"
    return output, write_site(output, [OutputFile("index.html", b"<p>home</p>")])


def test_a_record_survives_being_saved_and_read(tmp_path: Path) -> None:
    output, written = published(tmp_path)
    kept = record(output, written, NOW + timedelta(days=1))
    notes: list[str] = []
    save_record(tmp_path / "cache", kept, notes)
    assert last_build(tmp_path / "cache", output, notes) == kept and notes == []


@pytest.mark.parametrize("damage", ["cut short", "not a record", "foreign code"])
def test_a_damaged_or_foreign_record_is_no_last_build_and_says_so(tmp_path: Path, damage: str) -> None:
    output, written = published(tmp_path)
    save_record(tmp_path / "cache", record(output, written, NOW), [])
    path = tmp_path / "cache" / RECORD_FILE
    stamp, _, body = path.read_bytes().partition(b"\n")
    if damage == "cut short":
        path.write_bytes(stamp + b"\n" + body[:len(body) // 2])
    elif damage == "not a record":
        path.write_bytes(stamp + b"\n" + dump_values(("a", "tuple")))
    else:
        path.write_bytes(stamp + b"\n" + pickle.dumps(os.getcwd))  # names a callable no record holds
    notes: list[str] = []
    assert last_build(tmp_path / "cache", output, notes) is None
    assert notes == ([] if damage == "not a record" else
                     [f"discarded the build cache in {tmp_path / 'cache'}: it is damaged"])


def test_the_record_of_another_output_folder_is_not_the_last_build(tmp_path: Path) -> None:
    output, written = published(tmp_path)
    save_record(tmp_path / "cache", record(output, written), [])
    write_site(tmp_path / "other", [OutputFile("index.html", b"<p>home</p>")])
    assert last_build(tmp_path / "cache", tmp_path / "other", []) is None


def test_a_record_whose_output_was_changed_is_not_the_last_build(tmp_path: Path) -> None:
    output, written = published(tmp_path)
    save_record(tmp_path / "cache", record(output, written), [])
    (output / "index.html").write_bytes(b"<p>edited by hand</p>")
    assert last_build(tmp_path / "cache", output, []) is None


def test_no_record_is_no_last_build(tmp_path: Path) -> None:
    output, _ = published(tmp_path)
    assert last_build(tmp_path / "cache", output, []) is None
    assert not (tmp_path / "cache" / RECORD_FILE).exists()


def test_a_record_holds_until_its_moment_and_only_for_its_option_values(tmp_path: Path) -> None:
    output, written = published(tmp_path)
    kept = record(output, written, NOW, {"drafts": "False"})
    assert kept.still_holds({"drafts": "False"}, NOW - timedelta(seconds=1))
    assert not kept.still_holds({"drafts": "False"}, NOW)
    assert not kept.still_holds({"drafts": "True"}, NOW - timedelta(seconds=1))
    assert record(output, written, None).still_holds({"drafts": "False"}, NOW + timedelta(days=10_000))


def test_a_record_holds_from_its_last_moment_so_a_clock_set_back_before_it_builds_again(tmp_path: Path) -> None:
    output, written = published(tmp_path)
    kept = replace(record(output, written, None), valid_from=NOW)
    assert kept.still_holds({"drafts": "False"}, NOW) and kept.still_holds({"drafts": "False"}, NOW + timedelta(days=9))
    assert not kept.still_holds({"drafts": "False"}, NOW - timedelta(seconds=1))


def test_a_record_that_cannot_be_saved_is_a_note_not_an_error(tmp_path: Path) -> None:
    output, written = published(tmp_path)
    (tmp_path / "cache").write_text("a file where the cache folder goes")
    notes: list[str] = []
    save_record(tmp_path / "cache", record(output, written), notes)
    assert len(notes) == 1 and notes[0].startswith("the build record could not be saved in ")


def test_option_values_hold_the_working_folder_and_each_option_as_its_repr(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert option_values(drafts=False, base_url=None, output_dir=Path("/x")) == {
        "cwd": os.getcwd(), "base_url": "None", "drafts": "False", "output_dir": repr(Path("/x"))}
    assert option_values(drafts=False) != option_values(drafts="False")

"""briefgen/output/folders.py: the writer's folders beside the output, the swap, and foreign folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.output import folders as folders_module
from briefgen.output.folders import MARKER, Folders, is_foreign, publish


def test_the_writers_folders_are_hidden_siblings_named_after_the_output(tmp_path: Path) -> None:
    folders = Folders.of(tmp_path / "public")
    assert folders.front == tmp_path.resolve() / "public"
    assert [folders.back.name, folders.swap.name, folders.trash.name] == [
        ".public.briefgen-back", ".public.briefgen-swap", ".public.briefgen-trash"]
    assert {folders.back.parent, folders.swap.parent, folders.trash.parent} == {tmp_path.resolve()}


def test_a_linked_output_folder_is_resolved_to_where_it_leads(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "public").symlink_to(tmp_path / "real")
    folders = Folders.of(tmp_path / "public")
    assert folders.front == (tmp_path / "real").resolve() and folders.back.name == ".real.briefgen-back"


def test_debris_is_the_trash_and_the_old_writers_staging_folders_only(tmp_path: Path) -> None:
    for name in (".public.staging-1", ".public.old-2", ".public.briefgen-trash", ".public.briefgen-back",
                 "public", ".other.staging-1", "notes.txt"):
        (tmp_path / name).mkdir()
    assert sorted(path.name for path in Folders.of(tmp_path / "public").debris()) == [
        ".public.briefgen-trash", ".public.old-2", ".public.staging-1"]


def make(folder: Path, text: str) -> None:
    folder.mkdir()
    (folder / "index.html").write_text(text)


def test_the_first_publish_makes_the_back_folder_the_output(tmp_path: Path) -> None:
    folders = Folders.of(tmp_path / "public")
    make(folders.back, "new")
    publish(folders)
    assert (folders.front / "index.html").read_text() == "new" and not folders.back.exists()


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "three-renames"])
def test_publish_swaps_the_back_and_the_front(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              exchange: bool) -> None:
    if not exchange:
        monkeypatch.setattr(folders_module, "_exchange", lambda first, second: False)
    folders = Folders.of(tmp_path / "public")
    make(folders.front, "old")
    make(folders.back, "new")
    publish(folders)
    assert (folders.front / "index.html").read_text() == "new"
    assert (folders.back / "index.html").read_text() == "old"
    assert not folders.swap.exists()


def test_a_swap_by_renames_that_fails_puts_the_output_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(folders_module, "_exchange", lambda first, second: False)
    folders = Folders.of(tmp_path / "public")
    make(folders.front, "old")  # and no back folder: its rename fails
    with pytest.raises(FileNotFoundError):
        publish(folders)
    assert (folders.front / "index.html").read_text() == "old" and not folders.swap.exists()


def test_missing_empty_and_marked_folders_are_not_foreign(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "marked").mkdir()
    (tmp_path / "marked" / MARKER).write_text("x")
    (tmp_path / "marked" / "index.html").write_text("x")
    assert [is_foreign(tmp_path / name) for name in ("missing", "empty", "marked")] == [False, False, False]


def test_unmarked_folders_files_and_links_are_foreign(tmp_path: Path) -> None:
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "notes.txt").write_text("x")
    (tmp_path / "file").write_text("x")
    (tmp_path / "marked").mkdir()
    (tmp_path / "marked" / MARKER).write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "marked")
    (tmp_path / "marker-folder").mkdir()
    (tmp_path / "marker-folder" / MARKER).mkdir()  # a marker must be a file
    (tmp_path / "marker-folder" / "index.html").write_text("x")
    assert [is_foreign(tmp_path / name) for name in ("theirs", "file", "link", "marker-folder")] == [True] * 4

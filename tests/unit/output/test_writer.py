"""briefgen/output/writer.py: what the writer records of the folders it writes, and what it publishes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from briefgen.core.urls import OutputFile
from briefgen.output.folders import MARKER, MARKER_TEXT
from briefgen.output.lock import lock_path
from briefgen.output.state import FileStamp
from briefgen.output.writer import (output_unchanged, published_site, read_published, remove_output,
                                    write_site)

FILES = [OutputFile("index.html", b"<p>home</p>"), OutputFile("a/index.html", b"<p>a</p>")]


def same_files(one: dict[str, FileStamp], other: dict[str, FileStamp]) -> bool:
    """Two manifests of the same files: equal but for ctimes, which a write's own links move."""
    def files(manifest: dict[str, FileStamp]) -> dict[str, tuple[int, int, int, str]]:
        return {path: (s.size, s.mtime_ns, s.inode, s.digest) for path, s in manifest.items()}
    return files(one) == files(other)


def test_the_state_records_every_published_file_by_its_stamp_and_digest(tmp_path: Path) -> None:
    state = write_site(tmp_path / "public", FILES)
    assert sorted(state.front) == ["a/index.html", "index.html"]
    for file in FILES:
        found, stamp = os.lstat(tmp_path / "public" / file.path), state.front[file.path]
        assert stamp.digest == hashlib.sha256(file.data).hexdigest()
        assert (stamp.size, stamp.mtime_ns, stamp.inode) == (found.st_size, found.st_mtime_ns, found.st_ino)
    assert state.back == {} and state.back_site is None


def test_the_marker_names_the_published_site_and_the_state_holds_the_same_name(tmp_path: Path) -> None:
    state = write_site(tmp_path / "public", FILES)
    assert published_site(tmp_path / "public") == state.front_site
    assert (tmp_path / "public" / MARKER).read_bytes() == MARKER_TEXT + f"site: {state.front_site}\n".encode()


def test_the_site_name_follows_the_paths_and_bytes_not_the_order_written(tmp_path: Path) -> None:
    first = write_site(tmp_path / "one", FILES).front_site
    assert write_site(tmp_path / "two", list(reversed(FILES))).front_site == first
    assert write_site(tmp_path / "three", [FILES[0], OutputFile("a/index.html", b"<p>b</p>")]).front_site != first
    assert write_site(tmp_path / "four", [FILES[0], OutputFile("b/index.html", b"<p>a</p>")]).front_site != first


def test_a_write_on_record_leaves_the_previous_site_as_the_back(tmp_path: Path) -> None:
    first = write_site(tmp_path / "public", FILES)
    second = write_site(tmp_path / "public", [FILES[0]], known=first)
    # The same files, their ctimes moved by the links the second write made to them.
    assert same_files(second.back, first.front) and second.back_site == first.front_site
    assert published_site(tmp_path / ".public.briefgen-back") == first.front_site
    assert not (tmp_path / "public" / "a").exists()


def test_a_kept_file_is_published_as_it_was_without_being_given(tmp_path: Path) -> None:
    first = write_site(tmp_path / "public", FILES)
    inode = os.lstat(tmp_path / "public" / "a" / "index.html").st_ino
    second = write_site(tmp_path / "public", [FILES[0]], kept=["a/index.html"], known=first)
    assert (tmp_path / "public" / "a" / "index.html").read_bytes() == b"<p>a</p>"
    assert second.front["a/index.html"].inode == inode == os.lstat(tmp_path / "public" / "a" / "index.html").st_ino


def test_keeping_a_file_without_a_state_on_record_is_refused(tmp_path: Path) -> None:
    write_site(tmp_path / "public", FILES)
    with pytest.raises(ValueError, match="files can be kept only from a published site on record"):
        write_site(tmp_path / "public", [FILES[0]], kept=["a/index.html"])


def test_a_folder_briefgen_did_not_make_is_refused_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "public").mkdir()
    (tmp_path / "public" / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="holds files briefgen did not make"):
        write_site(tmp_path / "public", FILES)
    assert [path.name for path in (tmp_path / "public").iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("change", ["edit", "remove", "marker"])
def test_the_output_is_unchanged_only_while_every_file_and_the_marker_are_as_written(
        tmp_path: Path, change: str) -> None:
    state = write_site(tmp_path / "public", FILES)
    assert output_unchanged(tmp_path / "public", state)
    if change == "edit":
        (tmp_path / "public" / "index.html").write_bytes(b"<p>HOME!</p>")  # another size: mtime is coarse
    elif change == "remove":
        (tmp_path / "public" / "a" / "index.html").unlink()
    else:
        (tmp_path / "public" / MARKER).write_bytes(MARKER_TEXT)
    assert not output_unchanged(tmp_path / "public", state)


def test_a_published_file_is_read_back_only_while_it_is_as_recorded(tmp_path: Path) -> None:
    state = write_site(tmp_path / "public", FILES)
    assert read_published(tmp_path / "public", state, "a/index.html") == b"<p>a</p>"
    assert read_published(tmp_path / "public", state, "missing.html") is None
    (tmp_path / "public" / "a" / "index.html").unlink()
    (tmp_path / "public" / "a" / "index.html").write_bytes(b"<p>xy</p>")  # another size: the inode and mtime may repeat
    assert read_published(tmp_path / "public", state, "a/index.html") is None


def test_removing_the_output_takes_its_back_folder_and_lock_with_it(tmp_path: Path) -> None:
    output = tmp_path / "public"
    write_site(output, FILES, known=write_site(output, FILES))
    lock_path(output).write_text("")
    (tmp_path / "other.txt").write_text("stays")
    assert remove_output(output)
    assert [path.name for path in tmp_path.iterdir()] == ["other.txt"]


def test_an_output_folder_without_the_marker_or_reached_by_a_link_is_not_removed(tmp_path: Path) -> None:
    write_site(tmp_path / "public", FILES)
    (tmp_path / "link").symlink_to(tmp_path / "public")
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "index.html").write_text("x")
    assert not remove_output(tmp_path / "link") and not remove_output(tmp_path / "theirs")
    assert (tmp_path / "public" / "index.html").is_file() and (tmp_path / "theirs" / "index.html").is_file()

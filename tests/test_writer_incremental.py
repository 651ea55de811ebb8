"""Writing only what changed: unchanged files keep their inode and mtime, and a failed write changes nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefgen.templates import OutputFile
from briefgen.writer import write_site
from tests.conftest import tree_bytes

FIRST = [OutputFile("index.html", b"<p>home</p>"), OutputFile("a/index.html", b"<p>a</p>"),
         OutputFile("b/index.html", b"<p>b</p>")]
SECOND = [OutputFile("index.html", b"<p>home, again</p>"), OutputFile("a/index.html", b"<p>a</p>"),
          OutputFile("c/index.html", b"<p>c</p>")]


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def age(folder: Path) -> None:
    """Push every file's mtime into the past, so a rewrite could not go unnoticed."""
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(1_000_000_000, 1_000_000_000))


@pytest.mark.parametrize("with_manifest", [True, False])
def test_only_files_whose_bytes_changed_are_written(tmp_path: Path, with_manifest: bool) -> None:
    output = tmp_path / "public"
    manifest = write_site(output, FIRST)
    age(output)
    before = stamps(output)
    write_site(output, SECOND, previous=manifest if with_manifest else None)
    after = stamps(output)
    assert tree_bytes(output) == {**{f.path: f.data for f in SECOND}, ".briefgen-output": tree_bytes(output)[
        ".briefgen-output"]}
    assert after["a/index.html"] == before["a/index.html"]
    assert after[".briefgen-output"] == before[".briefgen-output"]
    assert after["index.html"] != before["index.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["public"]


def test_a_manifest_that_no_longer_matches_the_file_is_not_trusted(tmp_path: Path) -> None:
    output = tmp_path / "public"
    manifest = write_site(output, FIRST)
    (output / "a" / "index.html").write_bytes(b"<p>A</p>")  # same size, edited by hand
    write_site(output, FIRST, previous=manifest)
    assert (output / "a" / "index.html").read_bytes() == b"<p>a</p>"


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, OSError])
def test_an_interrupted_incremental_write_leaves_the_previous_site_byte_for_byte(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, interruption: type[BaseException]) -> None:
    output = tmp_path / "public"
    manifest = write_site(output, FIRST)
    before, before_stamps = tree_bytes(output), stamps(output)
    real_write = Path.write_bytes

    def fail_on_c(path: Path, data: bytes) -> int:
        if path.parent.name == "c":
            raise interruption()
        return real_write(path, data)

    monkeypatch.setattr(Path, "write_bytes", fail_on_c)
    with pytest.raises(interruption):
        write_site(output, SECOND, previous=manifest)
    assert tree_bytes(output) == before and stamps(output) == before_stamps
    assert [p.name for p in tmp_path.iterdir()] == ["public"]

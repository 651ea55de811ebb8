"""The writer: the only code that touches the output folder, and never half-way."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.diagnostics import Diagnostics
from briefgen.templates import OutputFile
from briefgen.writer import MARKER, check_output_dir, write_site
from tests.conftest import tree_bytes

FILES = [OutputFile("index.html", b"<p>new</p>"), OutputFile("a/b/index.html", b"<p>deep</p>")]


def previous_site(output: Path) -> dict[str, bytes]:
    output.mkdir()
    (output / MARKER).write_text("made by briefgen\n")
    (output / "index.html").write_text("<p>old</p>")
    (output / "gone.html").write_text("<p>removed story</p>")
    return tree_bytes(output)


def test_the_new_site_replaces_the_old_one_whole(tmp_path: Path) -> None:
    previous_site(tmp_path / "public")
    write_site(tmp_path / "public", FILES)
    written = tree_bytes(tmp_path / "public")
    assert written["index.html"] == b"<p>new</p>" and written["a/b/index.html"] == b"<p>deep</p>"
    assert "gone.html" not in written
    assert [p.name for p in tmp_path.iterdir()] == ["public"]


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, OSError])
def test_an_interrupted_write_leaves_the_previous_site_byte_for_byte(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, interruption: type[BaseException]) -> None:
    before = previous_site(tmp_path / "public")
    real_write = Path.write_bytes
    calls = []

    def fail_on_second_file(path: Path, data: bytes) -> int:
        calls.append(path)
        if len(calls) == 2:
            raise interruption()
        return real_write(path, data)

    monkeypatch.setattr(Path, "write_bytes", fail_on_second_file)
    with pytest.raises(interruption):
        write_site(tmp_path / "public", FILES)
    assert tree_bytes(tmp_path / "public") == before
    assert [p.name for p in tmp_path.iterdir()] == ["public"]


def refusal(site: Path, output: Path) -> str:
    diagnostics = Diagnostics()
    check_output_dir(site, output, diagnostics)
    return "".join(d.message for d in diagnostics.errors)


def test_output_folders_that_would_lose_a_writers_files_are_refused(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "keep.txt").write_text("x")
    assert "is /" in refusal(site, Path("/"))
    assert f"is {Path.home().resolve()}" in refusal(site, Path.home())
    assert "is the site folder" in refusal(site, site)
    assert "contains the site folder" in refusal(site, tmp_path)
    for kept in ("content", "templates", "static", "themes/mine"):
        assert "a folder the writer keeps" in refusal(site, site / kept), kept
    assert "was not made by briefgen" in refusal(site, tmp_path / "theirs")


def test_new_empty_and_briefgen_made_folders_are_accepted(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (tmp_path / "empty").mkdir()
    previous_site(tmp_path / "made")
    for output in (site / "public", tmp_path / "new", tmp_path / "empty", tmp_path / "made"):
        assert refusal(site, output) == "", output

"""The writer: the only code that touches the output folder, and never half-way."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build
from briefgen.core.diagnostics import Diagnostics
from briefgen.core.urls import OutputFile
from briefgen.output.folders import MARKER
from briefgen.output.guard import check_output_dir
from briefgen.output.writer import output_unchanged, remove_output, write_site
from tests.conftest import make_site, story_text, tree_bytes

NOW = datetime(2024, 6, 1, tzinfo=timezone.utc)
FILES = [OutputFile("index.html", b"<p>new</p>"), OutputFile("a/b/index.html", b"<p>deep</p>")]
BACK = ".public.briefgen-back"


def previous_site(output: Path) -> dict[str, bytes]:
    output.mkdir()
    (output / MARKER).write_text("made by briefgen\n")
    (output / "index.html").write_text("<p>old</p>")
    (output / "gone.html").write_text("<p>removed story</p>")
    return tree_bytes(output)


def site_bytes(folder: Path) -> dict[str, bytes]:
    """The site a folder holds, without the writer's marker."""
    return {path: data for path, data in tree_bytes(folder).items() if path != MARKER}


def test_the_new_site_replaces_the_old_one_whole(tmp_path: Path) -> None:
    previous_site(tmp_path / "public")
    write_site(tmp_path / "public", FILES)
    written = tree_bytes(tmp_path / "public")
    assert written["index.html"] == b"<p>new</p>" and written["a/b/index.html"] == b"<p>deep</p>"
    assert "gone.html" not in written
    assert sorted(p.name for p in tmp_path.iterdir()) == [BACK, "public"]
    assert site_bytes(tmp_path / BACK) == {"index.html": b"<p>old</p>", "gone.html": b"<p>removed story</p>"}


def test_the_first_write_makes_the_output_folder_and_nothing_beside_it(tmp_path: Path) -> None:
    state = write_site(tmp_path / "site" / "public", iter(FILES))
    assert site_bytes(tmp_path / "site" / "public") == {f.path: f.data for f in FILES}
    assert [p.name for p in (tmp_path / "site").iterdir()] == ["public"]
    assert output_unchanged(tmp_path / "site" / "public", state)


def failing_after(count: int, interruption: type[BaseException]) -> Iterator[OutputFile]:
    """The site's files as a build streams them, until rendering fails."""
    yield from FILES[:count]
    raise interruption()


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, OSError])
def test_an_interrupted_write_leaves_the_previous_site_byte_for_byte(
        tmp_path: Path, interruption: type[BaseException]) -> None:
    before = previous_site(tmp_path / "public")
    with pytest.raises(interruption):
        write_site(tmp_path / "public", failing_after(1, interruption))
    assert tree_bytes(tmp_path / "public") == before
    write_site(tmp_path / "public", FILES)
    assert site_bytes(tmp_path / "public") == {f.path: f.data for f in FILES}
    assert sorted(p.name for p in tmp_path.iterdir()) == [BACK, "public"]


def test_what_killed_builds_of_the_previous_writer_left_is_removed(tmp_path: Path) -> None:
    previous_site(tmp_path / "public")
    for debris in (".public.staging-41", ".public.old-41"):
        (tmp_path / debris / "a").mkdir(parents=True)
        (tmp_path / debris / "a" / "index.html").write_text("<p>half a site</p>")
    write_site(tmp_path / "public", FILES)
    assert sorted(p.name for p in tmp_path.iterdir()) == [BACK, "public"]


def test_the_state_records_the_back_as_the_front_it_replaced(tmp_path: Path) -> None:
    output = tmp_path / "public"
    first = write_site(output, FILES)
    state = write_site(output, [FILES[0], OutputFile("c.html", b"c")], known=first)
    assert {path: (s.inode, s.mtime_ns, s.digest) for path, s in state.back.items()} == {
        path: (s.inode, s.mtime_ns, s.digest) for path, s in first.front.items()}
    assert state.back_site == first.front_site


def refusal(site: Path, output: Path) -> str:
    diagnostics = Diagnostics()
    check_output_dir(site, output, diagnostics)
    return "".join(d.message for d in diagnostics.errors)


def test_output_folders_that_would_lose_a_writers_files_are_refused(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "keep.txt").write_text("x")
    (tmp_path / ".beside.briefgen-back").mkdir()
    (tmp_path / ".beside.briefgen-back" / "keep.txt").write_text("x")
    assert "is /" in refusal(site, Path("/"))
    assert f"is {Path.home().resolve()}" in refusal(site, Path.home())
    assert "is the site folder" in refusal(site, site)
    assert "contains the site folder" in refusal(site, tmp_path)
    for kept in ("content", "templates", "static", "themes/mine"):
        assert "a folder the writer keeps" in refusal(site, site / kept), kept
    assert "was not made by briefgen" in refusal(site, tmp_path / "theirs")
    assert "holding files briefgen did not make" in refusal(site, tmp_path / "beside")


def test_new_empty_and_briefgen_made_folders_are_accepted(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (tmp_path / "empty").mkdir()
    previous_site(tmp_path / "made")
    written = tmp_path / "written"
    write_site(written, FILES, known=write_site(written, FILES))
    assert (tmp_path / ".written.briefgen-back").is_dir()
    for output in (site / "public", tmp_path / "new", tmp_path / "empty", tmp_path / "made", written):
        assert refusal(site, output) == "", output


def test_clean_removes_the_output_and_the_folder_beside_it_but_never_a_writers_folder(tmp_path: Path) -> None:
    output = tmp_path / "public"
    write_site(output, FILES, known=write_site(output, FILES))
    (tmp_path / ".public.staging-123").mkdir()  # left by a build of the previous writer
    assert remove_output(output)
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "keep.txt").write_text("x")
    assert not remove_output(tmp_path / "theirs")
    assert (tmp_path / "theirs" / "keep.txt").is_file()


# --- Hand changes to either folder: the next build's output equals a clean build's ----------------------

def edited_build(site: Path, title: str) -> dict[str, bytes]:
    """Build after giving story one a new title, as a writer's edit would; the output as published."""
    (site / "content" / "one.md").write_text(story_text(title, "2024-03-01"))
    result = build(BuildOptions(site_dir=site, now=NOW))
    assert result.written, [d.format() for d in result.diagnostics.items]
    return tree_bytes(site / "public")


def clean_build(site: Path, output: Path) -> dict[str, bytes]:
    assert build(BuildOptions(site_dir=site, output_dir=output, now=NOW, cache=False)).written
    return tree_bytes(output)


def hand_site(tmp_path: Path) -> Path:
    site = make_site(tmp_path / "site", {f"{name}.md": story_text(name.title(), f"2024-03-0{day}")
                                         for day, name in enumerate(("one", "two", "three"), start=1)},
                     "base_url: https://example.org/\nsearch: false\n")
    edited_build(site, "One")
    edited_build(site, "One, again")  # the back folder now holds a site on record
    return site


def replace_by_hand(path: Path, text: bytes) -> None:
    """As an editor saves: a new file put in place of the old name."""
    path.with_name("saved.tmp").write_bytes(text)
    os.replace(path.with_name("saved.tmp"), path)


def test_a_file_edited_by_hand_in_the_spare_folder_is_never_published(tmp_path: Path) -> None:
    site = hand_site(tmp_path)
    replace_by_hand(site / BACK / "two" / "index.html", b"<p>edited by hand</p>")
    (site / BACK / "stray.html").write_bytes(b"<p>put there by hand</p>")
    assert edited_build(site, "One, third") == clean_build(site, tmp_path / "clean")


def test_a_stray_file_put_in_the_output_is_gone_after_the_next_build_and_stays_gone(tmp_path: Path) -> None:
    site = hand_site(tmp_path)
    (site / "public" / "stray.html").write_bytes(b"<p>put there by hand</p>")
    (site / "public" / "empty" / "folder").mkdir(parents=True)
    assert edited_build(site, "One, third") == clean_build(site, tmp_path / "clean")
    assert edited_build(site, "One, fourth") == clean_build(site, tmp_path / "clean2")


def test_a_stray_file_is_gone_even_when_nothing_else_changed(tmp_path: Path) -> None:
    site = hand_site(tmp_path)
    (site / "public" / "stray.html").write_bytes(b"<p>put there by hand</p>")
    result = build(BuildOptions(site_dir=site, now=NOW))
    assert result.written and not result.unchanged
    assert tree_bytes(site / "public") == clean_build(site, tmp_path / "clean")


def test_an_edit_by_hand_that_keeps_the_size_and_the_mtime_is_repaired(tmp_path: Path) -> None:
    site = hand_site(tmp_path)
    page = site / "public" / "two" / "index.html"
    before = page.stat()
    data = page.read_bytes()
    with page.open("r+b") as file:  # in place, the same length: only the ctime tells
        file.write(data.replace(b"Two", b"Tw0", 1)[:len(data)])
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (page.stat().st_size, page.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    result = build(BuildOptions(site_dir=site, now=NOW))
    assert result.written and not result.unchanged
    assert tree_bytes(site / "public") == clean_build(site, tmp_path / "clean")

"""Every writer mistake: one clear `path:line: error:` line with a hint, exit 1, output untouched.

Each folder under fixtures/errors/ is a site with one kind of mistake (one has
several, to show they are all reported at once); `expected.txt` beside it is
the exact text the writer sees. Rewrite them with `--update-golden`.
"""

from __future__ import annotations

import errno
import os
import shutil
import socket
from pathlib import Path

import pytest

import briefgen.output.folders
import briefgen.output.writer
from briefgen.build import BuildOptions, build
from briefgen.core.layout import CACHE_DIR
from briefgen.output.folders import MARKER
from tests.conftest import FIXTURES, make_site, run_briefgen, story_text, tree_bytes

CASES = sorted(p for p in (FIXTURES / "errors").iterdir() if p.is_dir())


def _site_with_previous_output(case: Path, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(case, site, ignore=shutil.ignore_patterns("expected.txt"))
    previous = site / "public"
    previous.mkdir()
    (previous / MARKER).write_text("made by briefgen\n")
    (previous / "index.html").write_text("<p>yesterday's site</p>\n")
    return site


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_mistake_is_reported_and_output_untouched(case: Path, tmp_path: Path, update_golden: bool) -> None:
    site = _site_with_previous_output(case, tmp_path)
    before = tree_bytes(site / "public")

    run = run_briefgen("build", cwd=site)

    expected_file = case / "expected.txt"
    if update_golden:
        expected_file.write_text(run.err)
    assert run.err == expected_file.read_text()
    assert run.code == 1
    assert "Traceback" not in run.err
    assert tree_bytes(site / "public") == before
    hidden = sorted(p.name for p in site.iterdir() if p.name.startswith(".") and p.name != CACHE_DIR)
    assert hidden in ([], [".public.briefgen-lock"])  # no staging left; the lock of one build at a time may stay


def test_every_error_line_has_a_location_and_a_hint() -> None:
    for case in CASES:
        lines = (case / "expected.txt").read_text().splitlines()
        errors = [i for i, line in enumerate(lines) if ": error: " in line]
        assert errors, case.name
        for index in errors:
            assert lines[index].split(": error: ")[0].count(":") <= 1, lines[index]
            assert lines[index + 1].startswith("  hint: "), (case.name, lines[index])


def test_a_static_file_added_where_a_page_is_fails_a_cached_build_too(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "errors" / "static-collision", site, ignore=shutil.ignore_patterns("expected.txt",
                                                                                                    "static"))
    assert run_briefgen("build", cwd=site).code == 0
    before = tree_bytes(site / "public")
    (site / "static" / "feed.xml").mkdir(parents=True)
    (site / "static" / "feed.xml" / "notes.txt").write_text("a file where the feed goes\n")
    run = run_briefgen("build", cwd=site)
    assert run.code == 1 and "static/feed.xml/notes.txt: error: the static file would take the place" in run.err
    assert tree_bytes(site / "public") == before


# File names that are not UTF-8 -------------------------------------------------------------------

BAD_NAME = os.fsdecode(b"bad\xff.md")  # as Python reads it from the disk: with a surrogate for the byte


@pytest.mark.parametrize("cached", [False, True])
def test_a_story_file_whose_name_is_not_utf8_is_an_error_naming_it(cached: bool, tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"good.md": story_text("Good")})
    assert run_briefgen("build", cwd=site).code == 0
    before = tree_bytes(site / "public")
    if not cached:
        shutil.rmtree(site / CACHE_DIR)
    (site / "content" / BAD_NAME).write_text(story_text("Bad"), encoding="utf-8")

    for command in ("build", "check"):
        run = run_briefgen(command, cwd=site)
        assert run.code == 1, (command, run.err)
        assert "Traceback" not in run.err + run.out
        assert ("content/bad\\xff.md: error: the name is not UTF-8 text, so no page, link or message can carry "
                "it\n  hint: rename it to a UTF-8 name") in run.err + run.out
    assert tree_bytes(site / "public") == before


@pytest.mark.parametrize(("name", "shown"), [("news\n.md", "news\\n"), ("red\x1b[31m.md", "red\\x1b[31m")])
def test_a_story_file_named_with_a_control_character_is_one_line_naming_it(name: str, shown: str,
                                                                           tmp_path: Path) -> None:
    """A newline ends a slug to `$`, and an escape would work the terminal: both are shown escaped."""
    site = make_site(tmp_path / "site", {"good.md": story_text("Good")})
    (site / "content" / name).write_text(story_text("Odd"), encoding="utf-8")

    run = run_briefgen("build", cwd=site)

    assert run.code == 1 and not (site / "public").exists()
    assert run.err.splitlines()[:2] == [
        f"content/{shown}.md:2: error: the file name (the default slug) '{shown}' is not usable in a URL",
        "  hint: use letters, digits and hyphens, e.g. `us-japan-pact`"]


def test_a_static_file_whose_name_is_not_utf8_is_an_error_naming_it(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"good.md": story_text("Good")})
    (site / "static" / os.fsdecode(b"m\xe9mo")).mkdir(parents=True)
    (site / "static" / os.fsdecode(b"m\xe9mo") / "notes.txt").write_text("notes\n")

    run = run_briefgen("build", cwd=site)

    assert run.code == 1
    assert "static/m\\xe9mo/notes.txt: error: the name is not UTF-8 text" in run.err
    assert not (site / "public").exists()


@pytest.mark.parametrize("kind", ["fifo", "socket", "device"])
def test_a_story_that_is_no_regular_file_is_an_error_naming_it(kind: str, tmp_path: Path) -> None:
    """Once skipped without a word; a FIFO read would block the build."""
    site = make_site(tmp_path / "site", {"good.md": story_text("Good")})
    special = site / "content" / "special.md"
    if kind == "fifo":
        os.mkfifo(special)
    elif kind == "socket":
        listener = socket.socket(socket.AF_UNIX)
        listener.bind(str(special))
    else:
        special.symlink_to("/dev/zero")

    run = run_briefgen("build", cwd=site)

    what = {"fifo": "cannot read the file: it is a named pipe (FIFO), not a regular file",
            "socket": "cannot read the file: it is a socket, not a regular file",
            "device": "the file is a link to /dev/zero, outside the site"}[kind]
    assert run.code == 1 and "Traceback" not in run.err
    assert f"content/special.md: error: {what}" in run.err
    assert not (site / "public").exists()


def test_a_write_that_fails_is_one_error_naming_the_path_and_the_old_site_stays(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk full mid-write once ended in a traceback."""
    site = make_site(tmp_path / "site", {"one.md": story_text("One")})
    for story in ("one", "two"):  # the second write makes the spare folder that later writes update
        (site / "content" / f"{story}.md").write_text(story_text(story.title()), encoding="utf-8")
        assert build(BuildOptions(site_dir=site)).written
    before = tree_bytes(site / "public")
    (site / "content" / "three.md").write_text(story_text("Three"), encoding="utf-8")

    def disk_full(temp: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(temp))

    monkeypatch.setattr(briefgen.output.writer, "_write_new", disk_full)
    result = build(BuildOptions(site_dir=site))

    assert result.failed and not result.written
    [problem] = result.diagnostics.errors
    assert problem.code == "write-failed" and ".public.briefgen-back" in problem.path
    assert problem.format().endswith(": error: cannot write the site: No space left on device\n  hint: free some "
                                     "space or make the folder writable, then build again; the site published "
                                     "before is as it was")
    assert tree_bytes(site / "public") == before


def test_an_output_folder_that_cannot_be_swapped_is_one_error_and_the_old_site_stays(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`public/` a mount point: the system refuses to move it ("Device or resource busy"), whether by an
    exchange or by renames. Tests run as root, so the mount is simulated where the writer swaps."""
    site = make_site(tmp_path / "site", {"one.md": story_text("One")})
    for story in ("one", "two"):
        (site / "content" / f"{story}.md").write_text(story_text(story.title()), encoding="utf-8")
        assert build(BuildOptions(site_dir=site)).written
    before = tree_bytes(site / "public")
    (site / "content" / "three.md").write_text(story_text("Three"), encoding="utf-8")

    def busy(first: Path, second: Path) -> bool:
        raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(first), None, str(second))

    monkeypatch.setattr(briefgen.output.folders, "_exchange", busy)
    result = build(BuildOptions(site_dir=site))

    assert result.failed and not result.written
    [problem] = result.diagnostics.errors
    assert problem.code == "write-failed" and problem.message == "cannot write the site: Device or resource busy"
    assert tree_bytes(site / "public") == before


def test_a_story_over_the_size_limit_is_an_error_naming_it(tmp_path: Path) -> None:
    """A 50 MB story once took 150 s and 4.8 GB; the limit is 1 MiB, read no further."""
    site = make_site(tmp_path / "site", {"good.md": story_text("Good")})
    huge = story_text("Huge") + "Background that goes on and on.\n" * (2**20 // 32 + 1)
    (site / "content" / "huge.md").write_text(huge, encoding="utf-8")

    run = run_briefgen("build", cwd=site)

    assert run.code == 1 and "content/huge.md: error: the file is 1.0 MiB; a story may be at most 1 MiB" in run.err
    assert not (site / "public").exists()

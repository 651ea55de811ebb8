"""The build cache: a warm build writes exactly what a cold one would, whatever changed."""

from __future__ import annotations

import dataclasses
import errno
import os
import pickle
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import jinja2.bccache
import pytest

import briefgen.change.cache
import briefgen.change.versions
import briefgen.pages.memory
import briefgen.pages.plan
import briefgen.story.content
import briefgen.story.store
from briefgen.build import BuildOptions, BuildResult, build
from briefgen.change.cache import read_values, write_values
from briefgen.core.layout import CACHE_DIR
from briefgen.story.store import INDEX_FILE, Location
from briefgen.change.versions import code_version
from briefgen.core.diagnostics import display_path
from tests.conftest import make_site, run_briefgen, story_text, tree_bytes

NOW = datetime(2024, 6, 1, tzinfo=timezone.utc)
CONFIG = "title: Cached\nsearch: false\n"


def site_with_theme(root: Path) -> Path:
    """Three stories sharing tags, and a site-local copy of the default theme to change."""
    site = make_site(root, {"one.md": story_text("One", "2024-03-01", "World, Asia"),
                            "two.md": story_text("Two", "2024-03-02", "World"),
                            "three.md": story_text("Three", "2024-03-03", "Asia")}, CONFIG)
    theme = Path(__file__).resolve().parent.parent / "themes" / "default"
    for path in theme.rglob("*"):
        if path.is_file():
            target = site / "themes" / "mine" / path.relative_to(theme)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    (site / "briefgen.yaml").write_text(CONFIG + "theme: mine\n")
    return site


def warm(site: Path, **options: object) -> BuildResult:
    return build(BuildOptions(site_dir=site, now=NOW, **options))  # type: ignore[arg-type]


def cold(site: Path, output: Path) -> dict[str, bytes]:
    result = build(BuildOptions(site_dir=site, output_dir=output, now=NOW, cache=False))
    assert result.written, [d.format() for d in result.diagnostics.items]
    return tree_bytes(output)


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


CHANGES: dict[str, Callable[[Path], None]] = {
    "story": lambda site: replace(site / "content" / "one.md", "A fact about One.", "A new fact about One."),
    "story tags": lambda site: replace(site / "content" / "two.md", "tags: [World]", "tags: [World, Asia]"),
    "new story": lambda site: (site / "content" / "four.md").write_text(story_text("Four", "2024-03-04")),
    "deleted story": lambda site: (site / "content" / "three.md").unlink(),
    "template": lambda site: replace(site / "themes" / "mine" / "templates" / "story.html",
                                     "<h1", "<h1 class=\"changed\""),
    "partial": lambda site: append(site / "themes" / "mine" / "templates" / "partials" / "briefing.html",
                                   "<!-- changed -->\n"),
    "css": lambda site: append(site / "themes" / "mine" / "assets" / "style.css", "body { color: red }\n"),
    "static file": lambda site: (site / "static").mkdir() or (site / "static" / "favicon.ico").write_bytes(b"x"),
    "config": lambda site: append(site / "briefgen.yaml", "labels: {facts: Key Facts}\n"),
    "config title": lambda site: replace(site / "briefgen.yaml", "title: Cached", "title: Renamed"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_warm_build_after_a_change_equals_a_cold_build(tmp_path: Path, change: str) -> None:
    site = site_with_theme(tmp_path / "site")
    assert warm(site).written and (site / CACHE_DIR).is_dir()
    assert warm(site).unchanged
    CHANGES[change](site)
    result = warm(site)
    assert result.written and not result.unchanged
    assert tree_bytes(site / "public") == cold(site, tmp_path / "cold")


def test_templates_compiled_by_another_process_follow_an_edit_made_between(tmp_path: Path) -> None:
    """Compiled templates are kept for every process of this user (the system's temporary folder): a
    template edited between two builds is compiled again, never served from what the first build kept."""
    site = site_with_theme(tmp_path / "site")
    assert run_briefgen("build", "-q", cwd=site).code == 0
    CHANGES["template"](site)
    assert run_briefgen("build", "-q", cwd=site).code == 0
    assert tree_bytes(site / "public") == cold(site, tmp_path / "cold")
    assert b'<h1 class="changed">' in (site / "public" / "one" / "index.html").read_bytes()


def test_a_full_temporary_folder_costs_a_compile_not_the_build(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    site = site_with_theme(tmp_path / "site")
    append(site / "themes" / "mine" / "templates" / "story.html", f"<!-- {tmp_path.name} -->\n")  # not compiled yet

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(jinja2.bccache.tempfile, "NamedTemporaryFile", full)
    result = warm(site)
    assert result.written and not result.diagnostics.errors
    assert tree_bytes(site / "public") == cold(site, tmp_path / "cold")


def test_a_new_version_of_briefgen_renders_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = site_with_theme(tmp_path / "site")
    warm(site)
    monkeypatch.setattr(briefgen.change.cache, "code_version", lambda: "99.0+other")
    result = warm(site)
    assert not result.unchanged and result.notes  # the old cache was discarded, and said so
    assert tree_bytes(site / "public") == cold(site, tmp_path / "cold")


@pytest.mark.parametrize("library", briefgen.change.versions.LIBRARIES)
def test_an_upgraded_library_renders_every_story_again(library: str, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Markdown, YAML, templates, dates: a new version of any of them can change every page."""
    site = site_with_theme(tmp_path / "site")
    warm(site)
    upgraded = tuple(f"{library}==99.0" if line.startswith(f"{library}==") else line
                     for line in briefgen.change.versions.library_versions())
    monkeypatch.setattr(briefgen.change.versions, "library_versions", lambda: upgraded)
    code_version.cache_clear()
    try:
        result = warm(site)
    finally:  # the real versions again, before anything else asks (a cached upgrade would outlive the test)
        monkeypatch.undo()
        code_version.cache_clear()
    assert not result.unchanged and tree_bytes(site / "public") == cold(site, tmp_path / "cold")
    assert result.notes == [f"discarded the build cache in {display_path(site / CACHE_DIR)}: it was written by "
                            "another version of briefgen"]


def test_a_cache_of_an_older_format_is_named_as_another_versions(tmp_path: Path) -> None:
    """Updating briefgen says so, not that some stranger wrote the cache."""
    site = site_with_theme(tmp_path / "site")
    warm(site)
    for name in ("stories.pickle", "last-build.pickle", "plan.pickle"):
        path = site / CACHE_DIR / name
        path.write_bytes(path.read_bytes().replace(briefgen.change.cache.FORMAT.encode(), b"briefgen-cache-1", 1))
    result = warm(site)
    assert result.notes == [f"discarded the build cache in {display_path(site / CACHE_DIR)}: it was written by "
                            "another version of briefgen"]
    assert tree_bytes(site / "public") == cold(site, tmp_path / "cold")


def test_what_older_versions_kept_in_the_cache_is_removed_by_the_next_build(tmp_path: Path) -> None:
    site = site_with_theme(tmp_path / "site")
    warm(site)
    cache = site / CACHE_DIR
    (cache / "last-build.json").write_text("{}")
    (cache / "stories.json").write_text("{}")
    (cache / "stories").mkdir()
    (cache / "stories" / "0a1b").write_bytes(b"old result")
    retired = {"last-build.json", "stories.json", "stories"}
    kept = {path.name for path in cache.iterdir()} - retired
    (site / "content" / "one.md").write_text(story_text("One, edited"), encoding="utf-8")
    warm(site)
    left = {path.name for path in cache.iterdir()}
    assert not left & retired and kept <= left  # the tag, the index, the packs, the plan, the record
    assert tree_bytes(site / "public") == cold(site, tmp_path / "cold")


def test_time_passing_publishes_a_story_on_its_date(tmp_path: Path) -> None:
    site = site_with_theme(tmp_path / "site")
    (site / "content" / "later.md").write_text(story_text("Later", "2024-07-01"))
    warm(site)
    assert "later/index.html" not in tree_bytes(site / "public")
    after = datetime(2024, 7, 2, tzinfo=timezone.utc)
    result = build(BuildOptions(site_dir=site, now=after))
    assert not result.unchanged
    assert "later/index.html" in tree_bytes(site / "public")


def test_nothing_changed_means_nothing_written_and_the_same_problems(tmp_path: Path) -> None:
    site = site_with_theme(tmp_path / "site")
    replace(site / "content" / "two.md", "contra: The other side of Two.\n", "")
    first = warm(site)
    stamps = {p: p.stat().st_mtime_ns for p in (site / "public").rglob("*")}
    again = warm(site)
    assert again.unchanged and again.written and again.stories == first.stories and again.pages == first.pages
    assert again.diagnostics.sorted() == first.diagnostics.sorted() != []
    assert {p: p.stat().st_mtime_ns for p in (site / "public").rglob("*")} == stamps


# What a cached build reports is what a clean one reports ------------------------------------------

def test_a_warning_about_a_file_that_is_gone_goes_with_it(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"one.md": story_text("One")})
    (site / "content" / "todo.txt").write_text("x\n")
    first = run_briefgen("build", cwd=site)
    assert first.code == 0 and "content/todo.txt: warning: not a story" in first.err
    (site / "content" / "todo.txt").unlink()

    cached = run_briefgen("build", "--strict", cwd=site)
    clean = run_briefgen("build", "--strict", "--no-cache", "-o", tmp_path / "clean", cwd=site)

    assert cached.code == clean.code == 0 and "todo.txt" not in cached.err + cached.out
    assert run_briefgen("build", "--strict", cwd=site).out.startswith("nothing changed")


def test_a_config_warning_is_reported_once_at_its_line_after_lines_are_added_above(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"one.md": story_text("One")},
                     "base_url: https://example.org/\nlanguage: xx\n")
    assert "briefgen.yaml:2: warning: there are no built-in labels" in run_briefgen("build", cwd=site).err
    (site / "briefgen.yaml").write_text("# the site\n# its settings\nbase_url: https://example.org/\nlanguage: xx\n")

    cached = run_briefgen("build", cwd=site)
    again = run_briefgen("build", cwd=site)
    clean = run_briefgen("build", "--no-cache", "-o", tmp_path / "clean", cwd=site)

    assert cached.err == again.err == clean.err == (
        "briefgen.yaml:4: warning: there are no built-in labels for the language 'xx': pages show English words\n"
        "  hint: built-in languages: de, en, es, fr (fr-CA uses fr); else translate the labels under `labels:`\n")


def test_a_build_from_another_folder_reuses_every_story(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`briefgen build` in the site and `briefgen build -s /the/site` elsewhere share one cache."""
    site = site_with_theme(tmp_path / "site")
    monkeypatch.chdir(site)
    build(BuildOptions(site_dir=Path("."), now=NOW, jobs=1))
    parsed: list[Path] = []
    real = briefgen.story.content.story_from_bytes
    monkeypatch.setattr(briefgen.story.content, "story_from_bytes",
                        lambda path, *rest: parsed.append(path) or real(path, *rest))
    monkeypatch.chdir(tmp_path)

    result = build(BuildOptions(site_dir=site, now=NOW, jobs=1))

    assert result.written and not result.unchanged  # diagnostics name paths from where the writer is
    assert parsed == []
    assert tree_bytes(site / "public") == cold(site, tmp_path / "cold")


def test_an_output_changed_by_hand_is_built_again(tmp_path: Path) -> None:
    site = site_with_theme(tmp_path / "site")
    warm(site)
    expected = tree_bytes(site / "public")
    (site / "public" / "one" / "index.html").write_text("edited by hand")
    assert not warm(site).unchanged
    assert tree_bytes(site / "public") == expected


@pytest.mark.parametrize("damage", [b"", b"not json", b"{}", b"\x80\x05K\x01."])
def test_a_damaged_or_foreign_cache_is_discarded_with_a_note(tmp_path: Path, damage: bytes) -> None:
    site = site_with_theme(tmp_path / "site")
    warm(site)
    replace(site / "content" / "one.md", "A fact about One.", "A new fact about One.")
    for path in (site / CACHE_DIR).rglob("*"):
        if path.is_file() and path.name != "CACHEDIR.TAG":
            path.write_bytes(damage)
    result = warm(site)
    assert result.written and any("discarded the build cache" in note for note in result.notes)
    assert tree_bytes(site / "public") == cold(site, tmp_path / "cold")
    assert warm(site).notes == []  # the cache was rewritten whole


class _RunsCode:
    """A pickle of this runs `touch <marker>` when loaded by a plain unpickler."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (f"touch {self.marker}",)


def test_a_crafted_cache_entry_never_runs_code_and_the_build_still_succeeds(tmp_path: Path) -> None:
    site = site_with_theme(tmp_path / "site")
    warm(site)
    marker = tmp_path / "ran"
    crafted = pickle.dumps(_RunsCode(marker))
    (site / CACHE_DIR / "packs" / "crafted").write_bytes(crafted)
    index = read_values(site / CACHE_DIR / INDEX_FILE, briefgen.story.store._index_types(), [])
    assert index.stored
    write_values(site / CACHE_DIR, INDEX_FILE, dataclasses.replace(
        index, packs={**index.packs, "crafted": len(crafted)},
        stored={key: Location("crafted", 0, len(crafted)) for key in index.stored}))
    replace(site / "briefgen.yaml", "title: Cached", "title: Recached")  # every page renders its stories again
    result = warm(site)
    assert result.written and not marker.exists()
    assert any("discarded a damaged entry" in note for note in result.notes)
    assert tree_bytes(site / "public") == cold(site, tmp_path / "cold")


def test_a_crafted_page_plan_never_runs_code_and_the_build_still_succeeds(tmp_path: Path) -> None:
    site = site_with_theme(tmp_path / "site")
    warm(site)
    marker = tmp_path / "ran"
    stamp = f"{briefgen.change.cache.FORMAT} {code_version()}\n".encode()
    (site / CACHE_DIR / briefgen.pages.memory.PLAN_FILE).write_bytes(stamp + pickle.dumps(_RunsCode(marker)))
    replace(site / "content" / "one.md", "A fact about One.", "A new fact about One.")
    result = warm(site)
    assert result.written and not marker.exists()
    assert result.notes == [f"discarded the build cache in {display_path(site / CACHE_DIR)}: it is damaged"]
    assert tree_bytes(site / "public") == cold(site, tmp_path / "cold")


@pytest.mark.parametrize("old, new, shown", [
    ("A fact about One.", "A new fact about One.", "A new fact about"),
    ("title: One", "title: One, retitled", "One, retitled"),  # the card stays: still a title it can draw
    ("Background for One.", "Background for [Two](/two/).", 'href="/two/"'),  # a link: only warnings read it
], ids=["fact", "title", "link"])
def test_an_edit_of_a_storys_text_plans_no_page_anew(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str,
                                                     new: str, shown: str) -> None:
    """The plan the last build made is kept: an edit re-keys the pages holding the story, no more."""
    site = site_with_theme(tmp_path / "site")
    warm(site)
    replace(site / "content" / "one.md", old, new)

    def refused(*_: object) -> None:
        raise AssertionError("the site was planned again")
    monkeypatch.setattr(briefgen.pages.plan._Planner, "add", refused)
    result = warm(site)
    monkeypatch.undo()
    assert result.written and shown in (site / "public" / "one" / "index.html").read_text()
    assert tree_bytes(site / "public") == cold(site, tmp_path / "cold")


def pack_sizes(site: Path) -> dict[str, int]:
    return {path.name: path.stat().st_size for path in (site / CACHE_DIR / "packs").iterdir()}


def test_results_stay_in_a_few_packs_over_many_edits(tmp_path: Path) -> None:
    site = site_with_theme(tmp_path / "site")
    warm(site)
    first = pack_sizes(site)
    assert len(first) == 1  # a build writes its results as one file, not one file a story
    for edit in range(2 * briefgen.story.store.MAX_PACKS):
        replace(site / "content" / "one.md", "A fact about One", f"A fact about One ({edit})")
        assert warm(site).written
        assert len(pack_sizes(site)) <= briefgen.story.store.MAX_PACKS
    # One's old results are dropped as packs fold: less than twice what the three stories need.
    assert sum(pack_sizes(site).values()) < 2 * sum(first.values())
    assert tree_bytes(site / "public") == cold(site, tmp_path / "cold")


def test_a_pack_left_by_an_interrupted_save_is_removed(tmp_path: Path) -> None:
    site = site_with_theme(tmp_path / "site")
    warm(site)
    (site / CACHE_DIR / "packs" / ".0123.tmp").write_bytes(b"half a pack")
    replace(site / "content" / "one.md", "A fact about One", "A fact about One, again")
    warm(site)
    assert not (site / CACHE_DIR / "packs" / ".0123.tmp").exists() and len(pack_sizes(site)) == 2


def test_code_version_names_the_release_and_the_code() -> None:
    assert code_version().startswith(briefgen.__version__ + "+")


def test_no_cache_neither_reads_nor_writes_the_cache(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"one.md": story_text("One")}, CONFIG)
    run = run_briefgen("build", "--no-cache", cwd=site)
    assert run.code == 0, run.err
    assert not (site / CACHE_DIR).exists()
    run = run_briefgen("build", cwd=site)
    assert (site / CACHE_DIR / "CACHEDIR.TAG").is_file()
    run = run_briefgen("build", cwd=site)
    assert run.out.startswith("nothing changed: 1 story"), run.out


def test_clean_removes_the_cache_and_the_output_briefgen_made(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"one.md": story_text("One")}, CONFIG)
    assert run_briefgen("build", cwd=site).code == 0
    run = run_briefgen("clean", cwd=site)
    assert run.code == 0 and not (site / CACHE_DIR).exists() and not (site / "public").exists()
    assert run.out == f"removed {CACHE_DIR}/\nremoved public/\n"
    (site / "public").mkdir()
    (site / "public" / "mine.txt").write_text("a writer's file")
    run = run_briefgen("clean", cwd=site)
    assert (site / "public" / "mine.txt").is_file() and "left public/ alone" in run.err
    assert (site / "content" / "one.md").is_file() and sorted(os.listdir(site)) == ["briefgen.yaml", "content",
                                                                                      "public"]

"""briefgen/story/store.py: the story store's keys, memory and persistence."""

from __future__ import annotations

import pickle
from fractions import Fraction
from pathlib import Path

import pytest

import briefgen.story.store
from briefgen.change.cache import FORMAT, read_records
from briefgen.change.keys import digest
from briefgen.change.trace import FileStamp
from briefgen.change.versions import code_version
from briefgen.settings.config import Labels, SiteConfig
from briefgen.story.content import StoryFile, StoryShape, shape_key, story_key, story_result, story_shape
from briefgen.story.store import INDEX_FILE, LOG_FILE, Known, StoryResult, StoryStore
from tests.conftest import story_text

SHAPE = shape_key(StoryShape())
OLD_STAMP: FileStamp = (1_000_000_000, 300, 42, 1, 1_000_000_000)  # long ago: not racy


def result_for(path: Path, title: str = "A story") -> tuple[str, StoryResult]:
    data = story_text(title).encode()
    key = story_key(SHAPE, path, digest(data))
    return key, story_result(StoryFile(path, key, data), StoryShape())


def test_a_story_put_in_the_store_is_known_by_its_key_with_its_entry_and_problems(tmp_path: Path) -> None:
    key, result = result_for(tmp_path / "a.md")
    store = StoryStore()
    assert store.known(key) is None
    store.put(key, result)
    assert store.known(key) == Known(result.entry, result.diagnostics)
    assert result.entry is not None and result.entry.slug == "a" and result.entry.key == key


def test_keep_only_forgets_other_stories_and_the_stamps_of_other_files(tmp_path: Path) -> None:
    (a, result_a), (b, result_b) = result_for(tmp_path / "a.md", "A"), result_for(tmp_path / "b.md", "B")
    store = StoryStore()
    store.put(a, result_a)
    store.put(b, result_b)
    store.remember_file(tmp_path / "a.md", OLD_STAMP, "digest-a")
    store.remember_file(tmp_path / "b.md", OLD_STAMP, "digest-b")
    store.keep_only({a}, {str(tmp_path / "a.md")})
    assert store.known(a) is not None and store.known(b) is None and store.rendered(b) is None
    assert store.digest_if_unchanged(tmp_path / "a.md", OLD_STAMP) == "digest-a"
    assert store.digest_if_unchanged(tmp_path / "b.md", OLD_STAMP) is None


def test_a_saved_store_gives_a_new_store_its_entries_stamps_and_rendered_texts(tmp_path: Path) -> None:
    key, result = result_for(tmp_path / "a.md")
    store = StoryStore(tmp_path / "cache")
    store.put(key, result)
    store.remember_file(tmp_path / "a.md", OLD_STAMP, "digest-a")
    store.save()
    again = StoryStore(tmp_path / "cache")
    assert again.known(key) == Known(result.entry, result.diagnostics)
    assert again.digest_if_unchanged(tmp_path / "a.md", OLD_STAMP) == "digest-a"
    assert again.rendered(key) == store.rendered(key) and again.rendered(key) is not None
    assert again.notes == []


def test_a_file_whose_stamp_moved_is_not_known_by_it(tmp_path: Path) -> None:
    store = StoryStore()
    store.remember_file(tmp_path / "a.md", OLD_STAMP, "digest-a")
    moved = (OLD_STAMP[0] + 1, *OLD_STAMP[1:])
    assert store.digest_if_unchanged(tmp_path / "a.md", moved) is None


def test_a_file_saved_too_recently_to_trust_its_stamp_is_not_remembered(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("x")
    status = path.stat()
    stamp: FileStamp = (status.st_mtime_ns, status.st_size, status.st_ino, status.st_dev, status.st_ctime_ns)
    store = StoryStore()
    store.remember_file(path, stamp, "digest-a")
    assert store.digest_if_unchanged(path, stamp) is None


def test_a_story_key_changes_with_the_bytes_and_the_path_and_not_otherwise(tmp_path: Path) -> None:
    key = story_key(SHAPE, tmp_path / "a.md", digest(b"one"))
    assert story_key(SHAPE, tmp_path / "a.md", digest(b"one")) == key
    assert story_key(SHAPE, tmp_path / "a.md", digest(b"two")) != key
    assert story_key(SHAPE, tmp_path / "b.md", digest(b"one")) != key


def test_a_story_key_holds_the_absolute_path_so_relative_and_absolute_names_share_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert story_key(SHAPE, Path("content/a.md"), "d") == story_key(SHAPE, tmp_path / "content" / "a.md", "d")


def test_the_shape_key_changes_with_the_labels_and_the_raw_html_policy_only() -> None:
    assert shape_key(story_shape(SiteConfig(title="Other", per_page=3))) == SHAPE
    assert shape_key(story_shape(SiteConfig(labels=Labels(facts="Key facts")))) != SHAPE
    assert shape_key(story_shape(SiteConfig(unsafe_html=True))) != SHAPE


def test_a_damaged_index_is_discarded_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / INDEX_FILE).write_bytes(f"{FORMAT} {code_version()}\n".encode() + b"\x80\x05cut short")
    store = StoryStore(tmp_path / "cache")
    assert store.known("any") is None
    assert len(store.notes) == 1 and store.notes[0].endswith("it is damaged")


def test_a_rendered_text_of_another_type_is_refused_with_a_note(tmp_path: Path) -> None:
    key, result = result_for(tmp_path / "a.md")
    store = StoryStore()
    store.put(key, StoryResult(result.entry, pickle.dumps(Fraction(1, 2)), ()))
    assert store.rendered(key) is None
    assert store.notes == ["discarded a damaged entry of the build cache in memory"]


def stored_stories(folder: Path, count: int) -> tuple[StoryStore, list[str]]:
    """A store saved in `folder` with `count` stories a.md, b.md..., each known by its stamp."""
    store = StoryStore(folder)
    keys = []
    for number in range(count):
        path = folder.parent / f"{chr(ord('a') + number)}.md"
        key, result = result_for(path, f"Story {number}")
        store.put(key, result)
        store.remember_file(path, OLD_STAMP, f"digest-{number}")
        keys.append(key)
    store.save()
    return store, keys


def test_a_save_after_a_few_changes_appends_them_to_the_log_and_leaves_the_index(tmp_path: Path) -> None:
    store, keys = stored_stories(tmp_path / "cache", 8)
    index = (tmp_path / "cache" / INDEX_FILE).read_bytes()
    key, result = result_for(tmp_path / "a.md", "Story 0, edited")
    store.put(key, result)
    store.remember_file(tmp_path / "a.md", OLD_STAMP, "digest-edited")
    store.keep_only({key, *keys[1:]}, {str(tmp_path / f"{chr(ord('a') + n)}.md") for n in range(8)})
    store.save()
    assert (tmp_path / "cache" / INDEX_FILE).read_bytes() == index
    assert len(read_records(tmp_path / "cache" / LOG_FILE, briefgen.story.store._index_types())[0]) == 1
    again = StoryStore(tmp_path / "cache")
    assert again.known(key) == Known(result.entry, result.diagnostics) and again.known(keys[0]) is None
    assert again.digest_if_unchanged(tmp_path / "a.md", OLD_STAMP) == "digest-edited"
    assert again.rendered(key) == store.rendered(key) and again.notes == []


def test_a_log_record_cut_short_by_a_kill_is_ignored_and_the_next_save_writes_the_index_whole(tmp_path: Path) -> None:
    store, keys = stored_stories(tmp_path / "cache", 8)
    key, result = result_for(tmp_path / "i.md", "Story 8")
    store.put(key, result)
    store.save()
    log = tmp_path / "cache" / LOG_FILE
    log.write_bytes(log.read_bytes()[:-20])  # as a kill in the middle of the write leaves it
    again = StoryStore(tmp_path / "cache")
    assert again.known(key) is None and all(again.known(each) is not None for each in keys)
    again.put(key, result)
    again.save()
    assert not log.exists() and StoryStore(tmp_path / "cache").known(key) is not None


def test_once_the_log_outgrows_a_quarter_of_the_index_the_index_is_written_whole(tmp_path: Path) -> None:
    store, _ = stored_stories(tmp_path / "cache", 2)
    index, log = tmp_path / "cache" / INDEX_FILE, tmp_path / "cache" / LOG_FILE
    first = index.read_bytes()
    key, result = result_for(tmp_path / "new.md", "New")
    store.put(key, result)
    store.save()  # a line with a whole story's entry: more than a quarter of a two-story index
    assert index.read_bytes() == first and log.stat().st_size * 4 > len(first)
    again = StoryStore(tmp_path / "cache")
    key, result = result_for(tmp_path / "newer.md", "Newer")
    again.put(key, result)
    again.save()
    assert index.read_bytes() != first and not log.exists()
    assert StoryStore(tmp_path / "cache").known(key) is not None

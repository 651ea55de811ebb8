"""briefgen/search/pagefind.py: how story pages are split into partitions, and each partition's key."""

from __future__ import annotations

import json

from briefgen.search.pagefind import (STORIES_PER_PARTITION, partition_count, partition_key, partition_of,
                                      partition_paths, partitions_file)

PAGES = [("a/", "key-a"), ("b/", "key-b")]


def test_a_site_of_up_to_a_partitions_worth_of_stories_has_one_partition_holding_them_sorted() -> None:
    assert partition_paths(["b/", "c/", "a/"]) == {"0": ["a/", "b/", "c/"]}
    assert partition_paths([]) == {}


def test_the_partition_count_doubles_only_as_the_site_outgrows_it() -> None:
    assert [partition_count(n) for n in (0, STORIES_PER_PARTITION, STORIES_PER_PARTITION + 1,
                                         2 * STORIES_PER_PARTITION, 2 * STORIES_PER_PARTITION + 1)] == [1, 1, 2, 2, 4]


def test_a_larger_site_splits_into_sorted_partitions_holding_every_story_once() -> None:
    paths = [f"story-{n}/" for n in range(STORIES_PER_PARTITION + 1)]
    partitions = partition_paths(reversed(paths))
    assert list(partitions) == ["0", "1"]
    assert sorted(path for members in partitions.values() for path in members) == sorted(paths)
    assert all(members == sorted(members) for members in partitions.values())


def test_a_story_keeps_its_partition_whatever_other_stories_the_site_has() -> None:
    paths = [f"story-{n}/" for n in range(STORIES_PER_PARTITION + 1)]
    before = partition_paths(paths)
    after = partition_paths([*paths[:-1], "another/"])
    moved = {path for name, members in before.items() for path in members if path not in after.get(name, [])}
    assert moved == {paths[-1]}


def test_partition_names_are_padded_to_sort_in_order() -> None:
    names = {partition_of(f"story-{n}/", 16) for n in range(400)}
    assert names == {f"{n:02d}" for n in range(16)}


def test_a_partition_key_moves_with_any_pages_digest_path_the_name_and_the_language() -> None:
    key = partition_key("0", PAGES, "en")
    assert partition_key("0", list(reversed(PAGES)), "en") == key
    others = [partition_key("0", [("a/", "key-a2"), PAGES[1]], "en"),
              partition_key("0", [("c/", "key-a"), PAGES[1]], "en"),
              partition_key("0", PAGES[:1], "en"), partition_key("1", PAGES, "en"), partition_key("0", PAGES, "fr")]
    assert key not in others and len(set(others)) == len(others)


def test_the_partitions_file_names_the_bundles_sorted() -> None:
    file = partitions_file(["1", "0"])
    assert file.path == "pagefind/partitions.json" and json.loads(file.data) == {"partitions": ["0", "1"]}

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.core.diagnostics import Diagnostics
from briefgen.core.frontmatter import split

TEXT = """---
title: A story
facts:
  - text: First.
    sources: [a, b]
  - Second.
---
## Body
"""


def test_keys_and_items_keep_their_line_in_the_file() -> None:
    front = split(Path("s.md"), TEXT, Diagnostics())
    assert front is not None
    assert front.mapping.line("title") == 2
    assert front.mapping.line("facts", 0, "sources") == 5
    assert front.mapping.line("facts", 0, "sources", 1) == 5
    assert front.mapping.line("facts", 1) == 6
    assert front.mapping.line("facts", 9) == 3  # unknown item: its parent's line
    assert (front.body, front.body_line) == ("## Body\n", 8)


def test_a_key_given_twice_is_an_error_on_the_second() -> None:
    diagnostics = Diagnostics()
    split(Path("s.md"), "---\ntitle: A\ntitle: B\n---\n", diagnostics)
    assert [(d.line, d.message) for d in diagnostics.errors] == [(3, "the key 'title' appears twice")]


def test_windows_line_endings_and_a_byte_order_mark_are_read() -> None:
    front = split(Path("s.md"), "---\r\ntitle: A\r\n---\r\nBody\r\n", Diagnostics())
    assert front is not None and front.mapping.data == {"title": "A"}


def test_yaml_tags_that_run_code_are_refused() -> None:
    diagnostics = Diagnostics()
    assert split(Path("s.md"), "---\ntitle: !!python/object/apply:os.system [ls]\n---\n", diagnostics) is None
    assert "could not determine a constructor" in diagnostics.errors[0].message


def errors_of(front_matter: str) -> list[tuple[int, str]]:
    diagnostics = Diagnostics()
    assert split(Path("s.md"), f"---\n{front_matter}---\nBody\n", diagnostics) is None
    return [(d.line, d.message) for d in diagnostics.errors]


ALIAS_BOMB = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]\n" for level in range(1, 10)) + "title: Bomb\n"
MERGE_BOMB = "m0: &m0 {k: v}\n" + "".join(
    f"m{level}: &m{level} {{<<: [{', '.join([f'*m{level - 1}'] * 9)}], k{level}: v}}\n" for level in range(1, 10))


def test_an_alias_bomb_is_read_in_linear_time() -> None:
    # 9 levels of 9 aliases: 9^9 paths through 90 nodes. Walking every path would take minutes and gigabytes.
    front = split(Path("s.md"), f"---\n{ALIAS_BOMB}---\n", Diagnostics())
    assert front is not None  # (not shown on failure: its repr would be 9^9 items)
    lines = (front.mapping.line("a9"), front.mapping.line("a9", 8), front.mapping.line("title"))
    assert lines == (11, 10, 12)  # an alias's item has the line of the anchored list it names


def test_a_merge_bomb_is_read_in_linear_time() -> None:
    front = split(Path("s.md"), f"---\n{MERGE_BOMB}title: Merged\n---\n", Diagnostics())
    assert front is not None
    found = (front.mapping.data["m9"]["k"], front.mapping.line("title"))
    assert found == ("v", 12)


def test_a_merged_key_may_be_overridden() -> None:
    front = split(Path("s.md"), "---\nbase: &b {title: Base, date: 2024-01-01}\n<<: *b\ntitle: Own\n---\n",
                  Diagnostics())
    assert front is not None and front.mapping.data["title"] == "Own" and front.mapping.line("title") == 4


def test_a_recursive_alias_is_read_without_recursing() -> None:
    front = split(Path("s.md"), "---\ntitle: T\ntags: &a [*a]\n---\n", Diagnostics())
    assert front is not None and front.mapping.line("tags", 0) == 3


def test_nesting_too_deep_is_an_error_at_its_line() -> None:
    assert errors_of("title: T\nx: " + "[" * 70 + "]" * 70 + "\n") == [
        (3, "the front matter nests lists or mappings more than 64 deep")]
    assert errors_of("x: " + "[" * 5000 + "]" * 5000 + "\n")[0][0] == 2


@pytest.mark.parametrize(("value", "kind"), [("!!int abc", "int"), ("!!float abc", "float"),
                                             ("!!timestamp abc", "timestamp"), ("!!bool maybe", "bool"),
                                             ("1" * 4301, "int")])
def test_a_value_its_tag_cannot_make_is_an_error_at_its_line(value: str, kind: str) -> None:
    [(line, message)] = errors_of(f"title: T\ndateline: {value}\n")
    assert line == 3 and message.startswith(f"the front matter has a value that is not a valid {kind}: ")

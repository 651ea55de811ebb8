from __future__ import annotations

from pathlib import Path

from briefgen.diagnostics import Diagnostics
from briefgen.frontmatter import split

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

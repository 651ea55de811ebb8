"""Split a story file into its YAML front matter and Markdown body.

YAML is composed into nodes first so that every key and list item keeps the
line it stands on in the *file* (not in the YAML block): the line every later
diagnostic points to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefgen.core.diagnostics import Diagnostics
from briefgen.core.yaml_errors import explain

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc]
    """The safe loader (libyaml's when present), but an impossible date stays text.

    PyYAML raises a bare ValueError for `2024-13-45`; kept as text, the validate
    stage reports it against its own line like any other bad date.
    """

    def construct_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_timestamp)

KeyPath = tuple[str | int, ...]
FENCE = "---"


@dataclass(frozen=True)
class YamlMapping:
    """A parsed YAML mapping and the file line of each key and item in it."""

    data: dict[str, Any]
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line(self, *path: str | int) -> int:
        """The line of a key or item, or of its nearest parent that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


@dataclass(frozen=True)
class FrontMatter:
    mapping: YamlMapping
    body: str
    body_line: int  # the file's line on which the body starts


def split(path: Path, text: str, diagnostics: Diagnostics) -> FrontMatter | None:
    """Parse a story file's text; report what is wrong and return None if it can't."""
    if not text.strip():
        diagnostics.error(path, 1, "the file is empty",
                          "a story starts with front matter between '---' lines; "
                          "`briefgen new \"Title\"` writes one to start from", "no-front-matter")
        return None
    lines = text.splitlines(keepends=True)
    if lines[0].rstrip("\r\n") != FENCE:
        diagnostics.error(path, 1, "the file does not start with front matter ('---')",
                          "put the story's title, date, summary and facts between two '---' lines "
                          "at the top of the file", "no-front-matter")
        return None
    closing = _closing_fence(lines)
    if closing is None:
        diagnostics.error(path, 1, "the front matter is never closed",
                          "end it with a line holding only '---'", "unclosed-front-matter")
        return None
    mapping = load_mapping(path, "".join(lines[1:closing]), 2, "the front matter", diagnostics)
    if mapping is None:
        return None
    return FrontMatter(mapping, "".join(lines[closing + 1:]), closing + 2)


def _closing_fence(lines: list[str]) -> int | None:
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip("\r\n") in (FENCE, "..."):
            return number
    return None


def load_mapping(path: Path, text: str, first_line: int, what: str,
                 diagnostics: Diagnostics) -> YamlMapping | None:
    """Parse YAML that must be a mapping; ``first_line`` is the file line the text starts on."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        deep = _deepest_line(node, MAX_DEPTH) if node is not None else -1
        if deep >= 0:
            diagnostics.error(path, first_line + deep, f"{what} nests lists or mappings more than {MAX_DEPTH} deep",
                              "a story needs a few levels at most; look for a runaway indent or '['", "yaml-too-deep")
            return None
        lines: dict[KeyPath, int] = {}
        if node is not None:  # before constructing, which folds merged (`<<`) keys into the mapping's own
            _index_lines(node, (), lines, first_line, path, diagnostics)
        data = _construct(loader, node, path, first_line, what, diagnostics) if node is not None else None
    except RecursionError:
        diagnostics.error(path, first_line, f"{what} nests lists or mappings too deeply to read",
                          "a story needs a few levels at most; look for a runaway indent or '['", "yaml-too-deep")
        return None
    except yaml.YAMLError as error:
        explained = explain(error, text)
        diagnostics.error(path, first_line + explained.line, f"{what} is not valid YAML: {explained.message}",
                          explained.hint, "yaml-syntax")
        return None
    finally:
        loader.dispose()
    if data is _FAILED:
        return None
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {_yaml_kind(data)}"
        diagnostics.error(path, first_line, f"{what} must be a mapping of keys to values, not {kind}",
                          "write it as `key: value` lines, e.g. `title: ...`", "wrong-type")
        return None
    return YamlMapping(data, lines)


MAX_DEPTH = 64  # levels of lists and mappings; a story uses three
_FAILED = object()  # what _construct returns when it has reported the problem


def _deepest_line(node: yaml.Node, limit: int) -> int:
    """The line (in the YAML text) of the first node more than `limit` levels deep, else -1.

    Iterative and visiting each node once, so neither deep nesting nor aliases make it costly."""
    stack: list[tuple[yaml.Node, int]] = [(node, 0)]
    seen: set[int] = set()
    while stack:
        current, depth = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if depth > limit:
            return int(current.start_mark.line)
        if isinstance(current, yaml.MappingNode):
            stack.extend((child, depth + 1) for pair in current.value for child in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in current.value)
    return -1


def _construct(loader: Any, node: yaml.Node, path: Path, first_line: int, what: str,
               diagnostics: Diagnostics) -> Any:
    """The node's data; a value its tag cannot make (`!!int abc`, an int of 5,000 digits) is reported
    at its line, found by constructing the tagged values one by one only once construction failed."""
    try:
        return loader.construct_document(node)
    except yaml.MarkedYAMLError:
        raise
    except Exception:  # noqa: BLE001 - PyYAML's scalar constructors raise whatever their parsing raises
        pass
    errors_before = len(diagnostics.errors)
    for scalar in _scalars(node):
        try:
            loader.construct_object(scalar, deep=True)
        except Exception:  # noqa: BLE001 - as above
            kind = scalar.tag.rpartition(":")[2]
            diagnostics.error(path, first_line + scalar.start_mark.line,
                              f"{what} has a value that is not a valid {kind}: {_shown(str(scalar.value))}",
                              f"quote it to keep it as text, or write a valid {kind}", "yaml-bad-value")
    if len(diagnostics.errors) == errors_before:
        diagnostics.error(path, first_line, f"{what} cannot be read", "check the YAML syntax", "yaml-syntax")
    return _FAILED


def _scalars(node: yaml.Node) -> list[yaml.ScalarNode]:
    found: list[yaml.ScalarNode] = []
    stack, seen = [node], set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.ScalarNode):
            found.append(current)
        elif isinstance(current, yaml.MappingNode):
            stack.extend(child for pair in reversed(current.value) for child in reversed(pair))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(reversed(current.value))
    return found


def _shown(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "…")


def _index_lines(node: Any, key_path: KeyPath, out: dict[KeyPath, int], first_line: int,
                 path: Path, diagnostics: Diagnostics, seen: set[int] | None = None) -> None:
    """Record the file line of every key and item below ``node``; report duplicate keys.

    A node reached again through an alias is not walked again (its keys keep the lines of
    the first path to them), so the work stays linear however the aliases multiply."""
    seen = set() if seen is None else seen
    if id(node) in seen:
        out.setdefault(key_path, first_line + node.start_mark.line)
        return
    seen.add(id(node))
    out.setdefault(key_path, first_line + node.start_mark.line)
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = str(key_node.value)
            line = first_line + key_node.start_mark.line
            if key in keys:
                diagnostics.error(path, line, f"the key '{key}' appears twice",
                                  "YAML keeps only the last one; remove or merge the other", "duplicate-key")
            keys.add(key)
            out[key_path + (key,)] = line
            _index_lines(value_node, key_path + (key,), out, first_line, path, diagnostics, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, key_path + (index,), out, first_line, path, diagnostics, seen)


def _yaml_kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "text"
    return type(value).__name__

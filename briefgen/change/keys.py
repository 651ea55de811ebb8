"""Keys: what a kept value is filed under, made from the values it is made from.

One rule for every memo of a build: a function whose result is kept is given, as
its arguments, everything it reads besides the files the trace records, and the
result is kept under `value_key` of those arguments, found by walking them. So no
key lists by hand what another function reads: a story's rendered text is keyed
by its file and the `StoryShape` it is rendered with, a story's view by its
`StorySetting`, a page by its context, a plan by what it is planned from, a
search partition by its pages. Giving a function one more thing to read puts it
in the key.

A value counts by what its `==` sees (a dataclass's compared fields), so an equal
value recomputed gives the same key and what follows it is kept (early cut-off).
A value already keyed (`Keyed`, a story's ref) counts by its key alone. A value of
a kind the walk does not know is an error, so it cannot slip out of a key.
"""

from __future__ import annotations

import hashlib
from dataclasses import fields
from datetime import date, time, timedelta
from pathlib import PurePath
from typing import Any

_PLAIN = (PurePath, date, time, timedelta)  # values whose repr says all their `==` sees (a datetime is a date)


def digest(*parts: str | bytes) -> str:
    """The key of strings and bytes (value_key's is of values): a SHA-256 of the parts, each length-prefixed
    so no two part lists collide."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()[:32]


class Keyed:
    """A value that stands in a key by its `key`, already made from all it holds."""

    __slots__ = ()
    key: str


class KeyMemo:
    """The walked parts of frozen dataclass values already keyed, by identity: many keys of one build
    hold the same values (the site's view, a tag's). Holds the values too, so an id is never reused
    for another value while the memo lives."""

    def __init__(self) -> None:
        self._parts: dict[int, tuple[object, str]] = {}

    def get(self, value: object) -> str | None:
        found = self._parts.get(id(value))
        return found[1] if found is not None else None

    def put(self, value: object, parts: str) -> None:
        self._parts[id(value)] = (value, parts)


def value_key(*values: Any, memo: KeyMemo | None = None) -> str:
    """A digest of `values`, walked: equal values (as `==` sees them) give equal keys.

    The parts are hashed joined by NULs, in one go: no part holds one (a repr escapes it, and
    the walk's own words have none), and lists and mappings say their lengths."""
    parts: list[str] = []
    memo = memo or KeyMemo()
    for value in values:
        _walk(value, parts, memo)
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _walk(value: Any, parts: list[str], memo: KeyMemo) -> None:
    """Append `value`'s parts: plain values by their repr (which tells types apart and escapes
    separators), containers by their length and items; the common cases first, as this runs
    for every page of every build."""
    if value is None or isinstance(value, (str, int, float)):  # bool is an int; Markup is a str
        parts.append(repr(value))
    elif isinstance(value, Keyed):
        parts.append("key:" + value.key)
    elif isinstance(value, dict):
        parts.append(f"dict:{len(value)}")
        for name, item in value.items():
            _walk(name, parts, memo)
            _walk(item, parts, memo)
    elif isinstance(value, (list, tuple)):
        parts.append(f"list:{len(value)}")
        for item in value:  # a page's lists hold texts and stories: those without a call
            if isinstance(item, str):
                parts.append(repr(item))
            elif isinstance(item, Keyed):
                parts.append("key:" + item.key)
            else:
                _walk(item, parts, memo)
    elif hasattr(type(value), "__dataclass_fields__"):  # an instance: a dataclass itself is a type
        parts.append(_dataclass_parts(value, memo))
    elif isinstance(value, _PLAIN):
        parts.append(repr(value))
    else:
        raise TypeError(f"a key cannot be made of a {type(value).__name__}: say how it counts in change/keys.py")


def _dataclass_parts(value: Any, memo: KeyMemo) -> str:
    """A dataclass value's name and compared fields, joined as _walk would list them; remembered if it is
    frozen."""
    known = memo.get(value)
    if known is not None:
        return known
    parts = [type(value).__name__]
    for name in _compared(type(value)):
        item = getattr(value, name)
        if item is None or isinstance(item, str):  # most fields: without a call
            parts.append(repr(item))
        else:
            _walk(item, parts, memo)
    joined = "\0".join(parts)
    if value.__dataclass_params__.frozen:
        memo.put(value, joined)
    return joined


_compared_fields: dict[type, tuple[str, ...]] = {}


def _compared(kind: type) -> tuple[str, ...]:
    """The fields `==` compares, once per type."""
    found = _compared_fields.get(kind)
    if found is None:
        found = _compared_fields[kind] = tuple(each.name for each in fields(kind) if each.compare)
    return found

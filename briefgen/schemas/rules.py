"""What the three schema modules share: their rules keyed by the build's own lists of keys."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def keyed(keys: Iterable[str], rules: dict[str, Any], what: str) -> dict[str, Any]:
    """The rules of `keys`, in the build's order: a key the build knows without a rule, or a rule for a key
    it does not know, is a mistake in the schema's module, not something to ship."""
    keys = list(keys)
    missing, unknown = [key for key in keys if key not in rules], [key for key in rules if key not in keys]
    if missing or unknown:
        raise ValueError(f"the schema's rules of {what} do not match the keys the build knows: "
                         f"no rule for {missing}, a rule for unknown {unknown}")
    return {key: rules[key] for key in keys}

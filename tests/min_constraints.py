"""Pip constraints that pin every runtime dependency to the minimum pyproject.toml declares.

A `>=` floor is a promise that nothing newer is needed, but an everyday install always
takes the newest release, so a floor that no longer holds goes unnoticed until a user
with an older version installed meets the crash. CI therefore installs the declared
minimums once, in a fresh environment, and builds the example site with them
(tests/test_min_versions.py). To do the same by hand::

    python tests/min_constraints.py > constraints.txt
    pip install -c constraints.txt .
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def dependencies(pyproject: Path = PYPROJECT) -> list[Requirement]:
    """The `[project] dependencies`, in the order pyproject.toml lists them."""
    with pyproject.open("rb") as file:
        return [Requirement(text) for text in tomllib.load(file)["project"]["dependencies"]]


def minimum(requirement: Requirement) -> str:
    """The version after `>=`, as written ("3.0" for `markdown-it-py>=3.0`)."""
    floors = [spec.version for spec in requirement.specifier if spec.operator == ">="]
    if len(floors) != 1:
        raise ValueError(f"{requirement}: declare exactly one minimum with >=, so CI can install it")
    return floors[0]


def min_constraints(pyproject: Path = PYPROJECT) -> str:
    """One `name==minimum` line per runtime dependency, e.g. `pagefind==1.2` for `pagefind[bin]>=1.2,<2`.

    Extras stay out: pip refuses them in a constraints file (the requirement itself asks for them).
    """
    lines = []
    for requirement in dependencies(pyproject):
        marker = f"; {requirement.marker}" if requirement.marker else ""
        lines.append(f"{requirement.name}=={minimum(requirement)}{marker}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(min_constraints())

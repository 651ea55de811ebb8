"""Problems found during a build, collected as values rather than raised.

Every stage reports what it finds here, so a writer sees all the problems of a
build at once, each as ``path:line: severity: message`` with a hint.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    severity: Severity
    message: str
    hint: str = ""
    code: str = ""  # stable, for tools and CI (e.g. "uncited-source"); not part of format()

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.severity.value}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


def display_path(path: Path | str) -> str:
    """A path as the writer knows it: relative to where they are, when it is below."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


@dataclass
class Diagnostics:
    """An append-only collection of problems."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: Path | str, line: int, message: str, hint: str, code: str = "") -> None:
        self.items.append(Diagnostic(display_path(path), line, Severity.ERROR, message, hint, code))

    def warning(self, path: Path | str, line: int, message: str, hint: str, code: str = "") -> None:
        self.items.append(Diagnostic(display_path(path), line, Severity.WARNING, message, hint, code))

    def extend(self, other: Diagnostics | list[Diagnostic]) -> None:
        self.items.extend(other.items if isinstance(other, Diagnostics) else other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        """Unique problems, by file and line, so output is stable."""
        return sorted(set(self.items))

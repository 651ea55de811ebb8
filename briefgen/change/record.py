"""The record of the last written build: what it read, what it said, what it published.

`build` runs with a trace recording (trace.py) and leaves this record in the cache.
The next `build` first asks the record's trace whether every input it read is as it
was, with the same options, code and working folder, before `now` reaches a story's
date or expiry, and the output folder still as written: then there is nothing to do,
and the build reports the recorded diagnostics and no others. Anything else, and the
stages run (reusing the story store and the published pages whose keys still match).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

import briefgen.change.trace
import briefgen.core.diagnostics
import briefgen.core.model
import briefgen.output.state
from briefgen.change.cache import read_values, value_types, write_values
from briefgen.change.trace import Trace
from briefgen.core.diagnostics import Diagnostic, display_path
from briefgen.core.model import HeldBack
from briefgen.output.state import OutputState
from briefgen.output.writer import output_unchanged

RECORD_FILE = "last-build.pickle"


@dataclass(frozen=True)
class SearchPart:
    """One partition of the search index: the key of the story pages it was made from, and its files."""

    key: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class BuildRecord:
    """What a written build leaves for the next one to compare against."""

    trace: Trace  # every input it read, with its options as values
    valid_until: datetime | None  # when a story's date or expiry makes "now" publish differently
    output: str  # the output folder, resolved
    stories: int
    pages: int
    diagnostics: tuple[Diagnostic, ...]  # reported again, alone, when nothing changed
    written: OutputState  # what the writer left in the output folder and beside it
    render_keys: dict[str, str]  # each published page's file -> the key it was rendered for
    search: dict[str, SearchPart]  # each published partition of the search index, by name
    held_back: HeldBack  # the stories it left out, told again with its diagnostics
    valid_from: datetime | None = None  # the last story date or expiry at or before its "now" (--clock may go back)

    def still_holds(self, values: dict[str, str], now: datetime) -> bool:
        """Whether a build with these option values, now, would make exactly what this one made."""
        return ((self.valid_from is None or self.valid_from <= now) and (self.valid_until is None or now < self.valid_until)
                and self.trace.unchanged(values))


@cache
def _record_types() -> frozenset[tuple[str, str]]:
    """What a kept record may hold, for change/cache.py's values-only unpickler."""
    return value_types(sys.modules[__name__], briefgen.change.trace, briefgen.core.diagnostics, briefgen.core.model,
                       briefgen.output.state)


def last_build(cache_dir: Path, output_dir: Path, notes: list[str]) -> BuildRecord | None:
    """The record of the build now published in `output_dir`, if the cache has it and the files are as it says."""
    record = read_values(cache_dir / RECORD_FILE, _record_types(), notes)
    if not isinstance(record, BuildRecord) or record.output != str(output_dir.resolve()):
        return None
    return record if output_unchanged(output_dir, record.written) else None


def save_record(cache_dir: Path, record: BuildRecord, notes: list[str]) -> None:
    try:
        write_values(cache_dir, RECORD_FILE, record)
    except OSError as error:
        notes.append(f"the build record could not be saved in {display_path(cache_dir)}: {error.strerror}")


def option_values(**options: object) -> dict[str, str]:
    """The values a build's output depends on besides what it reads: its options and where it ran from
    (diagnostics recorded there show paths relative to it)."""
    return {"cwd": os.getcwd(), **{name: repr(value) for name, value in sorted(options.items())}}

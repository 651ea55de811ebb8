"""briefgen/change/versions.py: the code version every kept value is made with."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen import __version__
from briefgen.change import versions
from briefgen.change.versions import LIBRARIES, code_version, library_versions


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A stand-in package folder whose files code_version digests."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "module.py").write_text("x = 1\n")
    monkeypatch.setattr(versions, "PACKAGE", tmp_path / "pkg")
    code_version.cache_clear()
    yield tmp_path / "pkg"
    code_version.cache_clear()


def fresh_version() -> str:
    code_version.cache_clear()
    return code_version()


def test_the_code_version_is_the_release_and_a_short_digest() -> None:
    assert re.fullmatch(re.escape(__version__) + r"\+[0-9a-f]{16}", code_version())


def test_the_code_version_moves_when_a_file_of_the_package_changes(package: Path) -> None:
    before = fresh_version()
    (package / "module.py").write_text("x = 2\n")
    assert fresh_version() != before


def test_the_code_version_moves_when_a_file_is_added_or_renamed(package: Path) -> None:
    before = fresh_version()
    (package / "module.py").rename(package / "other.py")
    renamed = fresh_version()
    (package / "locales").mkdir()
    (package / "locales" / "it.yaml").write_text("facts: Fatti\n")
    assert len({before, renamed, fresh_version()}) == 3


def test_compiled_bytecode_does_not_move_the_code_version(package: Path) -> None:
    before = fresh_version()
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "module.cpython-311.pyc").write_bytes(b"\x00compiled")
    assert fresh_version() == before


def test_the_code_version_moves_when_a_library_is_upgraded(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = fresh_version()
    monkeypatch.setattr(versions, "_version", lambda name: "99.0" if name == "Jinja2" else "1.0")
    assert fresh_version() != before


def test_every_library_whose_output_reaches_a_page_is_named_with_its_version() -> None:
    assert [entry.partition("==")[0] for entry in library_versions()] == list(LIBRARIES)
    assert {"markdown-it-py", "PyYAML", "Jinja2", "Babel", "pagefind"} <= set(LIBRARIES)


def test_a_library_that_is_not_installed_counts_as_absent() -> None:
    assert versions._version("briefgen-no-such-library") == "absent"

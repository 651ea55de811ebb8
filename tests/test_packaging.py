"""After `pip install`, the default theme works for any site, outside this repository."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, make_site, story_text, words

pytestmark = pytest.mark.slow  # builds a wheel and installs it in a fresh venv


def test_the_wheel_carries_the_default_theme_and_builds_a_site_with_it(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp_path / "dist", ROOT],
                   check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("briefgen-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert {"briefgen/themes/default/templates/story.html",
                "briefgen/themes/default/assets/style.css", "briefgen/py.typed",
                "briefgen/schemas/story.schema.json", "briefgen/schemas/config.schema.json",
                "briefgen/pages/fonts/DejaVuSans-Bold-subset.ttf", "briefgen/pages/fonts/LICENSE"} <= names
        info = next(name.split("/")[0] for name in names if name.endswith(".dist-info/METADATA"))
        assert f"{info}/licenses/LICENSE" in names
        metadata = archive.read(f"{info}/METADATA").decode()
        assert "License-Expression: MIT" in metadata and "Classifier: Typing :: Typed" in metadata
        archive.extractall(tmp_path / "installed")
    site = make_site(tmp_path / "elsewhere", {"one.md": story_text("One")})
    done = subprocess.run([sys.executable, "-m", "briefgen", "build", "-q"], cwd=site, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(tmp_path / "installed")})
    assert (done.returncode, done.stderr) == (0, "")
    assert "A fact about One." in words((site / "public" / "one" / "index.html").read_text())
    assert (site / "public" / "one" / "card.png").read_bytes().startswith(b"\x89PNG")  # drawn in the shipped font

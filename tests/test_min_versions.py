"""The oldest releases pyproject.toml accepts really work: installed at exactly those, briefgen builds
the example site."""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.version import Version

from tests.conftest import ROOT, run_briefgen
from tests.min_constraints import dependencies, min_constraints, minimum

EXAMPLE_SITE = ("content", "briefgen.yaml", "outlets.yaml")
STORY = ROOT / "content" / "us-japan-security-pact.md"
STORY_PAGE = "us-japan-security-pact/index.html"
# Printed by the fresh environment's Python: the installed version of each distribution named.
VERSIONS = "import importlib.metadata as m, json, sys; print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))"
# `briefgen serve`'s file watcher started and stopped on a folder: the only use of watchdog, which a build never loads.
WATCH = ("import sys; from pathlib import Path; from briefgen.commands.livereload import start_watching; "
         "observer = start_watching([Path(sys.argv[1])], print, poll=False); observer.stop(); observer.join()")


def test_the_constraints_pin_each_declared_dependency_to_its_minimum() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    lines = min_constraints().splitlines()
    assert len(lines) == len(declared)
    for text, line in zip(declared, lines):
        pin = line.partition(";")[0]
        name, _, version = pin.partition("==")
        assert text.startswith(name) and f">={version}" in text, (text, line)
        assert not any(sign in pin for sign in "[]<>")  # pip refuses extras in a constraints file


def test_extras_and_upper_bounds_stay_out_and_a_missing_minimum_is_refused(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\ndependencies = ["pagefind[bin]>=1.2,<2", '
                         '"tomli>=2.0; python_version < \'3.11\'"]\n', encoding="utf-8")
    assert min_constraints(pyproject) == 'pagefind==1.2\ntomli==2.0; python_version < "3.11"\n'
    pyproject.write_text('[project]\ndependencies = ["Jinja2"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="Jinja2"):
        min_constraints(pyproject)


@pytest.mark.slow
def test_installed_at_its_declared_minimums_briefgen_builds_the_example_site(tmp_path: Path) -> None:
    """A fresh environment, the project installed from this tree with every dependency held at its floor."""
    constraints = tmp_path / "constraints.txt"
    constraints.write_text(min_constraints(), encoding="utf-8")
    env = {name: value for name, value in os.environ.items()
           if name not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")} | {"NO_COLOR": "1"}
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True, capture_output=True, env=env, timeout=120)
    python = venv / "bin" / "python"
    install = subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                              "-c", constraints, ROOT], capture_output=True, text=True, env=env, timeout=600)
    assert install.returncode == 0, install.stderr

    wanted = {requirement.name: minimum(requirement) for requirement in dependencies()}
    versions = subprocess.run([python, "-c", VERSIONS, *wanted], capture_output=True, text=True, env=env,
                              check=True, timeout=60)
    installed = json.loads(versions.stdout)
    assert {name: Version(installed[name]) for name in wanted} == {name: Version(v) for name, v in wanted.items()}

    site, current = _example_site(tmp_path / "site"), _example_site(tmp_path / "site-current")
    done = subprocess.run([venv / "bin" / "briefgen", "build", "-q", "-o", tmp_path / "public"], cwd=site,
                          capture_output=True, text=True, env=env, timeout=300)
    # The example story may carry a writer's warning of its own: at their floors the dependencies
    # must say nothing more than at the versions these tests run with (no traceback, no
    # deprecation warning, no word from Pagefind).
    reference = run_briefgen("build", "-q", "-o", tmp_path / "public-current", cwd=current)
    assert done.returncode == 0, done.stderr
    assert done.stderr == reference.err
    page = tmp_path / "public" / STORY_PAGE
    assert page.is_file()
    assert _title(STORY) in html.unescape(page.read_text(encoding="utf-8"))
    assert (tmp_path / "public" / "pagefind" / "partitions.json").is_file()  # search is on: Pagefind ran

    watch = subprocess.run([python, "-c", WATCH, site], capture_output=True, text=True, env=env, timeout=60)
    assert (watch.returncode, watch.stderr) == (0, ""), watch.stderr


def _example_site(folder: Path) -> Path:
    """A copy of the repository's example site, so no build touches the work tree."""
    folder.mkdir()
    for name in EXAMPLE_SITE:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        elif source.exists():
            shutil.copy(source, folder / name)
    return folder


def _title(story: Path) -> str:
    front_matter = story.read_text(encoding="utf-8").split("---\n")[1]
    return str(yaml.safe_load(front_matter)["title"])

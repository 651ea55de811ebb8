"""Netlify's own build runner (`netlify build --offline`, from the npm package netlify-cli that
tests/run installs) on a site `briefgen init` made, kept in git: the build command installs
briefgen into the Python first on PATH and publishes public/, and the site's build plugin keeps
.briefgen-cache/ from one deploy to the next."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

import pytest

from briefgen import __version__
from tests.conftest import ROOT, run_briefgen, story_text

pytestmark = pytest.mark.slow  # installs briefgen in a fresh venv and runs Netlify's build twice

NETLIFY = ROOT / ".cache" / "npm" / "node_modules" / ".bin" / "netlify"
INSTALL_HINT = "run the test command from README.md (bash tests/run); it installs netlify-cli"
NODE_NEEDED = (20, 12, 2)  # netlify-cli 26's engines.node
PACKS = Path(".briefgen-cache") / "packs"


def _node_outside_usr_bin(folder: Path) -> Path:
    """The machine's node, as a file of its own in `folder`. The runner puts the folder of the node
    it runs under first on the build command's PATH, and Node finds that folder through links
    (/proc/self/exe): run by a symbolic link to /usr/bin/node, /usr/bin/pip would come before the
    venv's."""
    found = shutil.which("node")
    if found is None:
        pytest.fail(f"node missing: {INSTALL_HINT}", pytrace=False)
    version = subprocess.run([found, "--version"], capture_output=True, text=True, check=True).stdout
    if tuple(int(part) for part in re.findall(r"\d+", version)[:3]) < NODE_NEEDED:
        pytest.fail(f"netlify-cli needs Node.js {'.'.join(map(str, NODE_NEEDED))} or newer; {found} is "
                    f"{version.strip()}", pytrace=False)
    folder.mkdir()
    node = folder / "node"
    try:
        os.link(os.path.realpath(found), node)
    except OSError:  # another file system, or not allowed: a copy
        shutil.copy2(found, node)
    return node


def _git(site: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Writer", "-c", "user.email=writer@example.org",
                    "-c", "commit.gpgsign=false", *args], cwd=site, check=True, capture_output=True)


def _packs(site: Path) -> set[str]:
    return {path.name for path in (site / PACKS).iterdir()}


def test_netlify_builds_an_init_made_site_and_the_plugin_keeps_the_cache_between_deploys(tmp_path: Path) -> None:
    if not NETLIFY.exists():
        pytest.fail(f"netlify-cli missing: {INSTALL_HINT}", pytrace=False)
    if shutil.which("git") is None:
        pytest.fail("git is needed: CI clones the repository with it", pytrace=False)
    node = _node_outside_usr_bin(tmp_path / "node")
    # This version's wheel stands in for the release on the package index that requirements.txt
    # names (init names this checkout's folder, which only this machine could install from).
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, ROOT], check=True,
                   capture_output=True, timeout=300)
    python = tmp_path / "python"
    venv.create(python, with_pip=True)

    site = tmp_path / "site"
    assert run_briefgen("init", site, "--title", "Harbour News", "--base-url", "https://harbour.example/").code == 0
    (site / "requirements.txt").write_text(f"briefgen=={__version__}\n")  # as init writes for an index install
    _git(site, "init", "-q")
    _git(site, "add", "-A")
    _git(site, "commit", "-q", "-m", "A site of my own")

    home = tmp_path / "home"
    home.mkdir()
    env = {name: value for name, value in os.environ.items()
           if name not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")} | {
        "HOME": str(home),  # netlify's settings and state stay in the test's folder
        "CI": "true",  # netlify-cli sends neither telemetry nor error reports in CI (ci-info)
        "FORCE_COLOR": "0",
        "PATH": f"{python / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "PIP_FIND_LINKS": str(wheels), "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        # pip's own cache, not the new home's empty one: the dependencies are not fetched each run
        "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip"),
    }

    def deploy() -> tuple[str, float]:
        start = time.perf_counter()
        done = subprocess.run([node, NETLIFY, "build", "--offline"], cwd=site, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=300)
        seconds = time.perf_counter() - start
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout + done.stderr, seconds

    first, first_seconds = deploy()

    assert "briefgen-cache: no .briefgen-cache/ kept yet: this build renders every story" in first
    assert "briefgen-cache: kept .briefgen-cache/ for the next deploy" in first
    assert "built 0 stories, 3 pages" in first and ", 0 warnings" in first  # the example story is a draft
    assert '<a class="site-title" href="/">Harbour News</a>' in (site / "public" / "index.html").read_text()
    assert '<link rel="canonical" href="https://harbour.example/">' in (site / "public" / "index.html").read_text()
    installed = subprocess.run([python / "bin" / "python", "-m", "pip", "show", "briefgen"], capture_output=True,
                               text=True, check=True, env=env).stdout
    assert f"Version: {__version__}\n" in installed  # the build command's pip was the venv's, first on PATH
    first_packs = _packs(site)
    assert first_packs  # the draft's rendered text, kept

    # The next deploy: Netlify builds from a fresh clone, where only its own cache (.netlify/ when the
    # build runs here) is left of the last one; the writer has added a story.
    _git(site, "clean", "-ffdxq", "-e", "/.netlify/")
    assert not (site / ".briefgen-cache").exists() and not (site / "public").exists()
    (site / "content" / "harbour-reopens.md").write_text(story_text("Harbour reopens"))
    _git(site, "add", "-A")
    _git(site, "commit", "-q", "-m", "Harbour reopens")

    second, second_seconds = deploy()

    assert "briefgen-cache: restored .briefgen-cache/ from the last deploy" in second
    assert "built 1 story, " in second
    assert "Harbour reopens" in (site / "public" / "harbour-reopens" / "index.html").read_text()
    # The draft was not rendered again: its rendered text is still in the pack the first deploy wrote
    # (a build that had not found it would have rendered it into its own new pack and dropped the old
    # one), and the second deploy's new pack holds only the new story.
    second_packs = _packs(site)
    assert first_packs < second_packs and len(second_packs - first_packs) == 1

    reported = [re.search(r"\(Netlify Build completed in ([\d.]+m?s)\)", text) for text in (first, second)]
    print(f"netlify build: first deploy {first_seconds:.1f} s (Netlify: {reported[0] and reported[0][1]}; "
          f"installs briefgen, renders every story), second after one edit {second_seconds:.1f} s (Netlify: "
          f"{reported[1] and reported[1][1]}; cache restored)")

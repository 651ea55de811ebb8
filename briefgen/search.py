"""The search index: Pagefind, run over the finished site before it is published.

Pagefind reads the built HTML (only what the templates mark `data-pagefind-body`,
minus `data-pagefind-ignore`) and writes its index and its JavaScript API into
`pagefind/`. The writer runs this on the staging folder, so a failed index
leaves the published site exactly as it was.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from briefgen.diagnostics import Diagnostics

BUNDLE_DIR = "pagefind"
# Citation marks ("Source 1: Forbes") are made by markdown.py, not a template: they would
# repeat outlet names through every excerpt.
EXCLUDE_SELECTORS = "sup.cite"
TIMEOUT_SECONDS = 300
INSTALL_HINT = ("install the search indexer with `pip install 'pagefind[bin]'`, "
                "or turn search off with `search: false` in briefgen.yaml")


def index_site(folder: Path, diagnostics: Diagnostics, config_file: Path) -> bool:
    """Index the built site in `folder`; False (with an error against `config_file`) if it failed."""
    if importlib.util.find_spec("pagefind_bin") is None:
        diagnostics.error(config_file, 0, "search is on, but the Pagefind binary is not installed", INSTALL_HINT)
        return False
    command = [sys.executable, "-m", "pagefind", "--site", str(folder), "--output-subdir", BUNDLE_DIR,
               "--exclude-selectors", EXCLUDE_SELECTORS, "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        diagnostics.error(config_file, 0, f"the search index could not be built: {error}", INSTALL_HINT)
        return False
    if done.returncode != 0:
        reason = _last_line(done.stderr) or _last_line(done.stdout) or f"exit status {done.returncode}"
        diagnostics.error(config_file, 0, f"the search index could not be built: {reason}", INSTALL_HINT)
        return False
    return True


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""

"""A fixture site built and compared, file by file, with its golden output.

After an intended change to what pages look like, rewrite the golden tree with
`bash tests/run --update-golden` and review the diff before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, assert_matches_golden, run_briefgen
from tests.htmltext import broken_links

SITE = FIXTURES / "sites" / "basic"
GOLDEN = ROOT / "tests" / "golden" / "basic"
BASE_URL = "https://example.org/news/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("golden") / "public"
    run = run_briefgen("build", "--no-cache", "-s", SITE, "-o", output)
    assert run.code == 0, run.err
    return output


def test_output_matches_the_golden_tree(built: Path, update_golden: bool) -> None:
    assert_matches_golden(built, GOLDEN, update_golden)


def test_links_and_fragments_resolve_under_a_base_path(built: Path) -> None:
    assert broken_links(built, BASE_URL) == []


def test_drafts_are_left_out_unless_asked(built: Path, tmp_path: Path) -> None:
    assert not (built / "unfinished").exists()
    run = run_briefgen("build", "--no-cache", "-s", SITE, "-o", tmp_path / "out", "--drafts")
    assert run.code == 0, run.err
    assert (tmp_path / "out" / "unfinished" / "index.html").is_file()

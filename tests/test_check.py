"""`briefgen check`: the build's own checks plus editorial warnings, as text or JSON.

Each folder under fixtures/check/ is a site whose stories are clean but for one
thing, named by the folder (the warning's code); `clean/` has nothing to report.
`expected.txt` beside it is the exact text the writer sees; rewrite them with
`--update-golden`.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from briefgen.commands.check import check_site
from tests.conftest import FIXTURES, ROOT, check_here, make_site, run_briefgen, story_text

CASES_DIR = FIXTURES / "check"
CASES = sorted(p for p in CASES_DIR.iterdir() if p.is_dir())
SCHEMA = json.loads((CASES_DIR / "check-output.schema.json").read_text())
CODE_OF_CASE = {"clean": None, "single-provider": "single-narrative"}


def _codes(run_out: str) -> set[str]:
    return {item["code"] for item in json.loads(run_out)["diagnostics"]}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_case_reports_exactly_its_problem(case: Path, update_golden: bool) -> None:
    run = check_here(cwd=case)

    expected_file = case / "expected.txt"
    if update_golden:
        expected_file.write_text(run.out)
    assert run.out == expected_file.read_text()
    assert run.err == ""
    code = CODE_OF_CASE.get(case.name, case.name)
    assert _codes(check_here("--format", "json", cwd=case).out) == ({code} if code else set())
    assert run.code == (1 if ": error: " in run.out else 0)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_json_output_matches_the_schema(case: Path) -> None:
    run = check_here("-s", case, "--format", "json", cwd=ROOT)

    report = json.loads(run.out)
    jsonschema.validate(report, SCHEMA)
    assert report["errors"] == sum(d["severity"] == "error" for d in report["diagnostics"])
    assert report["warnings"] == sum(d["severity"] == "warning" for d in report["diagnostics"])


def test_json_carries_path_line_code_and_hint() -> None:
    run = run_briefgen("check", "--format", "json", cwd=CASES_DIR / "unknown-story-link")

    assert json.loads(run.out)["diagnostics"] == [{
        "path": "content/fisheries-deal.md", "line": 31, "severity": "warning", "code": "unknown-story-link",
        "message": "the link '/earlier-talk/' goes to no story: there is no slug 'earlier-talk'",
        "hint": "did you mean 'earlier-talks'? A story's address is /<slug>/: its file name, "
                "unless it sets `slug:`.",
    }]


def test_clean_site_passes_strict() -> None:
    run = run_briefgen("check", "--strict", cwd=CASES_DIR / "clean")

    assert (run.code, run.out) == (0, "checked 2 stories: 0 errors, 0 warnings\n")


def test_strict_fails_on_warnings() -> None:
    assert run_briefgen("check", cwd=CASES_DIR / "long-summary").code == 0
    assert run_briefgen("check", "--strict", cwd=CASES_DIR / "long-summary").code == 1


ERROR_CASES = sorted(p for p in (FIXTURES / "errors").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES + ERROR_CASES, ids=[c.name for c in CASES + ERROR_CASES])
def test_build_strict_fails_on_exactly_what_check_strict_fails_on(case: Path, tmp_path: Path) -> None:
    """One warning policy: the build reports the same problems as `check`, and --strict fails on them alike."""
    site = tmp_path / case.name
    shutil.copytree(case, site, ignore=shutil.ignore_patterns("expected.txt"))
    check = check_here("--strict", cwd=site)
    build = run_briefgen("build", "--strict", "-q", cwd=site)

    assert build.code == check.code
    assert _problems(build.err) == _problems(check.out)


def _problems(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": error: " in line or ": warning: " in line]


def test_a_warning_the_site_ignores_is_reported_by_neither(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(CASES_DIR / "long-summary", site, ignore=shutil.ignore_patterns("expected.txt"))
    (site / "briefgen.yaml").write_text("base_url: https://example.org/\nignore_warnings: [long-summary]\n")

    check = run_briefgen("check", "--strict", cwd=site)
    build = run_briefgen("build", "--strict", "-q", cwd=site)

    assert (check.code, check.out) == (0, "checked 1 story: 0 errors, 0 warnings\n")
    assert (build.code, build.err) == (0, "")


def test_rules_the_build_enforces_stay_errors_in_the_build(tmp_path: Path) -> None:
    for case in ("non-http-source-url", "updated-before-date"):
        site = tmp_path / case
        shutil.copytree(CASES_DIR / case, site, ignore=shutil.ignore_patterns("expected.txt"))
        check = run_briefgen("check", cwd=site)
        build = run_briefgen("build", cwd=site)
        assert build.code == check.code == 1
        error = next(line for line in check.out.splitlines() if ": error: " in line)
        assert error in build.err.splitlines()


def test_check_writes_nothing(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(CASES_DIR / "clean", site, ignore=shutil.ignore_patterns("expected.txt"))

    run_briefgen("check", cwd=site)

    assert sorted(p.name for p in site.iterdir()) == ["briefgen.yaml", "content"]


def test_drafts_and_future_stories_are_checked_too(tmp_path: Path) -> None:
    draft = story_text("A draft").replace("contra: The other side of A draft.\n", "draft: true\n")
    future = story_text("Tomorrow's story", date="2999-01-01").replace(
        "contra: The other side of Tomorrow's story.\n", "")
    site = make_site(tmp_path, {"draft.md": draft, "future.md": future})

    result = check_site(site)

    assert sorted((Path(d.path).name, d.code) for d in result.diagnostics.items) == [
        ("draft.md", "no-contra"), ("future.md", "no-contra")]
    assert result.stories == 2


def test_missing_content_folder_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    run = run_briefgen("check", cwd=tmp_path)

    assert run.code == 1
    assert "error: there is no content/ folder" in run.out
    assert "Traceback" not in run.err


def test_example_site_has_no_errors() -> None:
    run = run_briefgen("check", "--format", "json", cwd=ROOT)

    assert run.code == 0
    assert json.loads(run.out)["errors"] == 0

"""Diagnostic codes: CODES is the one list, every problem carries one of them, and the README lists them all.

The codes used are read from briefgen's sources with `ast`: each call of
`error()` or `warning()` (Diagnostics' own or a helper's that passes its code
on), of validate's `url()` and of config's `_Problem()` names its code as a
string literal, or as a choice (`a if ... else b`) between literals.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefgen.core.diagnostics import CODES, Diagnostics
from tests.conftest import FIXTURES, ROOT, run_briefgen

SOURCES = sorted((ROOT / "briefgen").rglob("*.py"))
ERROR_CASES = sorted(p for p in (FIXTURES / "errors").iterdir() if p.is_dir())

# Helpers that take a `code` parameter and pass it on to Diagnostics.error/warning, as (module, function):
# their codes are collected where they are called.
FORWARDERS = {("reader.py", "error"), ("reader.py", "warning"), ("reader.py", "url"),
              ("importer.py", "error"), ("outlets.py", "error")}
# A code read from a value built elsewhere, as (module, expression): config's _Problem carries its own,
# collected where each _Problem is made.
CARRIED = {("config.py", "checked.code")}
# The calls that take a code: name -> (severity, index of the code among the positional arguments).
# Diagnostics.error(path, line, message, hint, code); the forwarders error/warning(where, message, hint, code).
CODE_TAKERS = {"error": "error", "warning": "warning", "url": "error", "_Problem": "error"}
CODE_INDEX = {"url": 3, "_Problem": 2}

# The codes each error fixture reports, with how many times.
FIXTURE_CODES = {  # most fixtures tell a news story with no narratives, a warning beside their errors
    "bad-config": ["bad-value", "non-http-url", "unknown-key"] + ["no-narratives"],
    "bad-date": ["bad-date"] * 2,
    "calendar-edge": ["bad-date"] * 3,
    "config-folder-names": ["bad-value"] * 2 + ["no-narratives"],
    "correction-early": ["correction-before-date"],
    "duplicate-slug": ["duplicate-slug"] + ["no-narratives"] * 2,
    "duplicate-source-id": ["duplicate-id"],
    "empty-file": ["no-front-matter"],
    "follows-cycle": ["follows-cycle"] * 2 + ["no-narratives"] * 4,
    "follows-unknown": ["unknown-follows"] + ["no-narratives"] * 2,
    "javascript-url": ["non-http-source-url"] * 2,
    "long-slug": ["bad-slug"],
    "many-problems": ["bad-date", "no-front-matter", "uncited-source", "unknown-source"],
    "missing-fence": ["no-front-matter"],
    "missing-required": ["missing-key"],
    "misspelt-key": ["unknown-key"] * 2,
    "naive-datetime": ["bad-date"],
    "non-utf8": ["not-utf8"],
    "not-a-mapping": ["wrong-type"],
    "outlets-bad": ["bad-id", "non-http-url", "unknown-key", "unknown-value", "unknown-value", "unknown-value"] + ["no-narratives"],
    "slug-separator": ["bad-slug"],
    "static-collision": ["static-collision"] * 3 + ["no-narratives"],
    "template-syntax": ["template-error"] + ["no-narratives"],
    "template-undefined": ["template-error"] + ["no-narratives"],
    "theme-missing": ["output-dir", "unknown-value"] + ["no-narratives"],
    "unclosed-front-matter": ["unclosed-front-matter"],
    "unknown-key": ["unknown-key"],
    "unknown-source": ["unknown-source"] * 2,
    "wrong-type": ["wrong-type"] * 2,
    "yaml-bad-value": ["yaml-bad-value"] * 2,
    "yaml-slips": ["yaml-syntax"] * 10,
    "yaml-syntax": ["yaml-syntax"],
}


@dataclass(frozen=True)
class Use:
    code: str
    severity: str
    where: str


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def _code_argument(call: ast.Call, name: str) -> ast.expr | None:
    keyword = next((k.value for k in call.keywords if k.arg == "code"), None)
    if keyword is not None:
        return keyword
    index = CODE_INDEX.get(name, 4 if len(call.args) == 5 else 3)
    return call.args[index] if len(call.args) > index else None


def _literals(node: ast.expr) -> list[str] | None:
    """The codes a literal or a choice between literals can be; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


class _Scan(ast.NodeVisitor):
    def __init__(self, module: str) -> None:
        self.module = module
        self.functions: list[ast.FunctionDef] = []
        self.uses: list[Use] = []
        self.forwarders: set[tuple[str, str]] = set()
        self.unreadable: list[str] = []

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.functions.append(node)
        self.generic_visit(node)
        self.functions.pop()

    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        name = _called_name(node)
        if name not in CODE_TAKERS or (name == "url" and self.module not in ("validate.py", "reader.py")):
            return
        where = f"briefgen/{self.module}:{node.lineno}"
        argument = _code_argument(node, name)
        codes = _literals(argument) if argument is not None else None
        if codes is not None:
            self.uses += [Use(code, CODE_TAKERS[name], where) for code in codes]
        elif isinstance(argument, ast.Name) and argument.id == "code" and self._has_code_parameter():
            self.forwarders.add((self.module, self.functions[-1].name))
        elif argument is None or (self.module, ast.unparse(argument)) not in CARRIED:
            self.unreadable.append(f"{where}: {ast.unparse(node)[:100]}")

    def _has_code_parameter(self) -> bool:
        return bool(self.functions) and "code" in [a.arg for a in self.functions[-1].args.args]


def _scan() -> list[_Scan]:
    scans = []
    for path in SOURCES:
        scan = _Scan(path.name)
        scan.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        scans.append(scan)
    return scans


SCANS = _scan()
USES = [use for scan in SCANS for use in scan.uses]


def test_every_code_passed_is_a_string_literal() -> None:
    assert [line for scan in SCANS for line in scan.unreadable] == []


def test_helpers_that_pass_a_code_on_are_known() -> None:
    """A new helper's callers would go unread: name it in FORWARDERS (and its call in CODE_TAKERS)."""
    assert set().union(*(scan.forwarders for scan in SCANS)) == FORWARDERS


def test_every_code_used_is_in_codes_and_every_code_is_used() -> None:
    used = {use.code for use in USES}
    assert sorted(f"{use.where}: {use.code}" for use in USES if use.code not in CODES) == []
    assert sorted(set(CODES) - used) == []


def test_each_code_is_an_error_or_a_warning_never_both() -> None:
    severities: dict[str, set[str]] = {}
    for use in USES:
        severities.setdefault(use.code, set()).add(use.severity)
    assert {code: kinds for code, kinds in severities.items() if len(kinds) > 1} == {}


def test_codes_are_kebab_case_with_a_one_line_description() -> None:
    for code, description in CODES.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code), code
        assert description.strip() and "\n" not in description and "|" not in description, code


def _severity_of() -> dict[str, str]:
    return {use.code: use.severity for use in USES}


def _readme_rows() -> list[list[str]]:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index("| code | severity | what it flags |")
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


def test_the_readme_lists_every_code_with_its_severity_and_meaning() -> None:
    severity = _severity_of()
    expected = [[f"`{code}`", severity.get(code, "?"), description] for code, description in CODES.items()]
    assert _readme_rows() == expected


def _site(case: Path, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(case, site, ignore=shutil.ignore_patterns("expected.txt"))
    return site


@pytest.mark.parametrize("case", ERROR_CASES, ids=[c.name for c in ERROR_CASES])
def test_every_error_fixture_reports_known_codes(case: Path, tmp_path: Path) -> None:
    site = _site(case, tmp_path)

    report = json.loads(run_briefgen("check", "--format", "json", cwd=site).out)
    codes = [item["code"] for item in report["diagnostics"]]

    assert codes, "an error fixture reports at least one error"
    assert [code for code in codes if not (isinstance(code, str) and code in CODES)] == []
    if case.name in FIXTURE_CODES:
        assert sorted(codes) == sorted(FIXTURE_CODES[case.name])


def test_a_yaml_syntax_error_has_its_code(tmp_path: Path) -> None:
    site = _site(FIXTURES / "errors" / "yaml-syntax", tmp_path)

    run = run_briefgen("check", "--format", "json", cwd=site)

    assert run.code == 1
    assert [(d["severity"], d["line"], d["code"]) for d in json.loads(run.out)["diagnostics"]] == [
        ("error", 7, "yaml-syntax")]


@pytest.mark.parametrize("report", [Diagnostics.error, Diagnostics.warning])
def test_an_unknown_code_raises(report: Callable[..., None]) -> None:
    diagnostics = Diagnostics()

    with pytest.raises(ValueError, match="yaml-sytnax"):
        report(diagnostics, "content/a.md", 1, "message", "hint", "yaml-sytnax")

    assert diagnostics.items == []


def test_a_known_code_is_kept() -> None:
    diagnostics = Diagnostics()

    diagnostics.error("content/a.md", 3, "message", "hint", "yaml-syntax")
    diagnostics.warning("content/a.md", 4, "message", "hint", "no-contra")

    assert [(d.severity.value, d.code) for d in diagnostics.items] == [("error", "yaml-syntax"),
                                                                         ("warning", "no-contra")]

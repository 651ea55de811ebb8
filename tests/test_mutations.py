"""Any slip a writer (or an attacker) makes in a story or in briefgen.yaml: a clear answer, never a crash.

Hypothesis mutates the fixture site's files: bytes changed, inserted or cut; lines
deleted, doubled, swapped or re-indented; values swapped for other YAML types; lines
of YAML features (anchors, aliases, merge keys, tags, documents, directives) put in.
Whatever comes of it, `briefgen build` must exit 0 or 1 without a traceback; each
error names a file and a line; a failed build leaves `public/` byte for byte as it
was; a good one emits only XML and JSON that parse. The examples are derandomised
so that CI sees the same ones each run.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.cli import main
from tests.conftest import FIXTURES, tree_bytes

pytestmark = pytest.mark.slow  # hundreds of mutated sites, each built

SITE = FIXTURES / "sites" / "basic"
FILES = sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("*") if p.is_file())
WEIGHTED_FILES = [*FILES, "briefgen.yaml", "briefgen.yaml"]  # one file of the site's, but read by every page
ERROR_AT_A_LINE = re.compile(r"^[^\s:][^:]*:[1-9]\d*: error: ", re.MULTILINE)
ERROR = re.compile(r"^\S.*?: error: ", re.MULTILINE)

YAML_FEATURES = [
    "x: &a [1, 2]", "y: *a", "<<: *a", "<<: {title: Merged}", "title: !!int abc", "date: !!timestamp abc",
    "tags: !!binary aGVsbG8=", "? [complex, key]\n: value", "---", "...", "%YAML 1.1", "%TAG ! tag:x,2024:",
    "extra: !!python/object:os.system ls", "tags: &t [*t]", "date: 0001-01-01T00:00:00+05:00",
    "date: 9999-12-31T23:30:00-05:00", f"dateline: {'9' * 5000}", "\ttags: [a]", "summary: |\n  literal\n   block",
    "title: '<!--<script>'", "url: javascript:alert(1)", "tags: [\u2028, \ufffe]", "slug: ../../etc",
    "slug: " + "a" * 300, "facts: ~", "sources: [{id: x, outlet: X}, {id: x, outlet: Y}]", "- stray item",
    "{flow: mapping", "output_dir: \"\\0\"", "theme: ../../..", "theme: " + "t" * 256, "output_dir: " + "o" * 256,
    "per_page: -1", "language: \"\"",
]
VALUES = ["[]", "{}", "42", "-1", "true", "null", "~", "2024-13-45", "1e999", "\"\"", "'<b>x</b>'",
          "javascript:alert(1)", "[[[]]]", "{a: {b: {c: d}}}", "*undefined", "&anchor", "!!str", "0x1F", "\"\\u0000\""]


@dataclass(frozen=True)
class Mutation:
    path: str
    kind: str
    position: int
    other: int
    text: str

    def apply(self, data: bytes) -> bytes:
        if self.kind == "byte":
            at = self.position % (len(data) + 1)
            return data[:at] + self.text.encode("utf-8", "surrogatepass")[:1] + data[at + 1:]
        if self.kind == "insert bytes":
            at = self.position % (len(data) + 1)
            return data[:at] + self.text.encode("utf-8", "surrogatepass") + data[at:]
        if self.kind == "cut":
            at = self.position % (len(data) + 1)
            return data[:at] + data[at + 1 + self.other % 40:]
        lines = data.decode("utf-8").split("\n")
        at, other = self.position % len(lines), self.other % len(lines)
        if self.kind == "delete line":
            del lines[at]
        elif self.kind == "double line":
            lines.insert(at, lines[at])
        elif self.kind == "swap lines":
            lines[at], lines[other] = lines[other], lines[at]
        elif self.kind == "indent":
            lines[at] = " " * (1 + self.other % 4) + lines[at]
        elif self.kind == "dedent":
            lines[at] = lines[at].lstrip()
        elif self.kind == "feature":
            lines.insert(at, self.text)
        elif self.kind == "value":
            key, colon, _ = lines[at].partition(": ")
            lines[at] = f"{key}: {self.text}" if colon else f"{lines[at]} {self.text}"
        return "\n".join(lines).encode("utf-8")


def mutations() -> st.SearchStrategy[Mutation]:
    def of(kinds: list[str], text: st.SearchStrategy[str]) -> st.SearchStrategy[Mutation]:
        return st.builds(Mutation, path=st.sampled_from(WEIGHTED_FILES), kind=st.sampled_from(kinds),
                         position=st.integers(0, 10_000), other=st.integers(0, 10_000), text=text)

    return st.one_of(
        of(["byte", "insert bytes", "cut"], st.text(min_size=1, max_size=8)),
        of(["delete line", "double line", "swap lines", "indent", "dedent"], st.just("")),
        of(["feature"], st.sampled_from(YAML_FEATURES)),
        of(["value"], st.sampled_from(VALUES)),
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mutated") / "site"
    shutil.copytree(SITE, root)
    assert build(root)[0] == 0
    return root


def build(site: Path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["build", "-q", "--site", str(site)])  # an exception here is the traceback a writer would see
    return code, err.getvalue()


def restore(site: Path) -> None:
    for name in FILES:
        shutil.copyfile(SITE / name, site / name)


@settings(max_examples=250, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(changes=st.lists(mutations(), min_size=1, max_size=3))
def test_a_mutated_site_builds_or_fails_clearly(site: Path, changes: list[Mutation]) -> None:
    restore(site)
    for change in changes:
        target = site / change.path
        try:
            target.write_bytes(change.apply(target.read_bytes()))
        except UnicodeDecodeError:  # a line mutation after a byte one broke UTF-8: that file stays as it is
            continue
    before = tree_bytes(site / "public")
    code, err = build(site)
    assert code in (0, 1), err
    if code == 1:
        assert ERROR_AT_A_LINE.search(err), err
        assert len(ERROR.findall(err)) == len(ERROR_AT_A_LINE.findall(err)), err
        assert tree_bytes(site / "public") == before, err
        return
    for path, data in tree_bytes(site / "public").items():
        if path.endswith(".xml"):
            ElementTree.fromstring(data)
        elif path.endswith(".json"):
            json.loads(data)

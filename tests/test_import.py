"""`briefgen import`: the two plain-text house styles of seeds/ as story files.

The stories made from the seeds are compared with golden files under
fixtures/import/ (rewrite them with `--update-golden`); they must build and keep
every sentence; the story in content/ must be the merged import plus additions
only; malformed files get exact errors and nothing is written.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefgen.commands.import_story import Briefing, merge
from briefgen.commands.importer import _FactsStyle, is_heading, outlet_id, parse_briefing
from briefgen.core.diagnostics import Diagnostics
from briefgen.core.frontmatter import split
from briefgen.core.model import Story
from briefgen.story.validate import validate
from tests.conftest import FIXTURES, ROOT, run_briefgen

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLDEN = FIXTURES / "import"
MALFORMED = GOLDEN / "malformed"
DATE = "2024-03-25"


def _import(tmp_path: Path, *args: str | Path) -> list[Path]:
    out = tmp_path / "out"
    before = set(out.glob("*.md")) if out.is_dir() else set()
    run = run_briefgen("import", *args, "-o", out, "--date", DATE)
    assert run.code == 0, run.err
    return sorted(set(out.glob("*.md")) - before)


def _story(path: Path) -> Story:
    diagnostics = Diagnostics()
    front = split(path, path.read_text(encoding="utf-8"), diagnostics)
    story = validate(path, path.stem, front, diagnostics) if front else None
    assert story is not None and not diagnostics.errors, [d.format() for d in diagnostics.items]
    return story


def _compare_with_golden(written: Path, golden: Path, update_golden: bool) -> None:
    if update_golden:
        golden.write_text(written.read_text(encoding="utf-8"), encoding="utf-8")
    assert written.read_text(encoding="utf-8") == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("seed", SEEDS, ids=[s.stem for s in SEEDS])
def test_each_seed_imports_as_its_golden_story(seed: Path, tmp_path: Path, update_golden: bool) -> None:
    [written] = _import(tmp_path, seed)

    _compare_with_golden(written, GOLDEN / f"{seed.stem}.md", update_golden)


def test_the_seeds_merge_into_one_story(tmp_path: Path, update_golden: bool) -> None:
    [written] = _import(tmp_path, *SEEDS, "--merge", "--slug", "us-japan-security-pact")

    assert written.name == "us-japan-security-pact.md"
    _compare_with_golden(written, GOLDEN / "merged.md", update_golden)


# Every sentence is kept ------------------------------------------------------------------------

STRUCTURE = {"facts", "narratives", "topline", "key facts", "contra"}


def _seed_sentences(seed: Path) -> list[str]:
    """The seed's sentences, with the house style's markup (bullets, source numbers, labels) taken off."""
    sentences: list[str] = []
    for line in seed.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.casefold() in STRUCTURE:
            continue
        if line.startswith("Sources:"):
            sentences += [outlet for _, outlet in re.findall(r"(\d+)([^,]+?)(?=,|\s+and\s+\d|\.$)", line[8:])]
            continue
        line = re.sub(r"^- ", "", line)
        line = re.sub(r"(?<=[.!?”’\"')])\d+(,\d+)*$", "", line)
        line = re.sub(r"^(.+?), as provided by (.+?)\. ", r"\1 \2 ", line)
        sentences += re.split(r"(?<=[.!?”])\s+(?=[A-Z“])", re.sub(r"(\.\.\.+|…)$", "", line))
    return [s for s in sentences if s]


def _story_words(story: Story) -> str:
    texts = [story.title, story.summary, *(a.name for a in story.authors), story.credit or "",
             *(f"{s.outlet} {s.title or ''} {s.author or ''}" for s in story.sources),
             *(f.text for f in story.facts), *(f"{n.label} {n.provider} {n.text}" for n in story.narratives),
             story.contra.text if story.contra else "", re.sub(r"\[\^[\w-]+\]", "", story.body)]
    return " ".join(" ".join(texts).split())


@pytest.mark.parametrize("seed", SEEDS, ids=[s.stem for s in SEEDS])
def test_an_imported_seed_keeps_every_sentence(seed: Path, tmp_path: Path) -> None:
    [written] = _import(tmp_path, seed)

    words = _story_words(_story(written))
    missing = [s for s in _seed_sentences(seed) if " ".join(s.split()) not in words]
    assert missing == []


def test_the_merged_story_keeps_every_sentence_of_both_seeds(tmp_path: Path) -> None:
    [written] = _import(tmp_path, *SEEDS, "--merge")

    words = _story_words(_story(written))
    missing = [s for seed in SEEDS for s in _seed_sentences(seed) if " ".join(s.split()) not in words]
    assert missing == []


def test_imported_stories_build(tmp_path: Path) -> None:
    site = tmp_path / "site"
    run_briefgen("import", *SEEDS, "-o", site / "content", "--date", DATE)
    run_briefgen("import", *SEEDS, "--merge", "--slug", "merged", "-o", site / "content", "--date", DATE)

    run = run_briefgen("build", cwd=site)

    assert run.code == 0, run.err
    assert len(list((site / "content").glob("*.md"))) == 3
    assert "error" not in run.err


# The story in content/ is the merged import, plus additions only -------------------------------


def _paragraphs(body: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", body) if p.strip()]


def _additions_only(imported: Any, edited: Any, where: str = "") -> list[str]:
    """What of `imported` is missing or changed in `edited`; lists may gain items, mappings keys."""
    if isinstance(imported, dict) and isinstance(edited, dict):
        return [problem for key, value in imported.items()
                for problem in (_additions_only(value, edited[key], f"{where}.{key}") if key in edited
                                else [f"{where}.{key} is missing"])]
    if isinstance(imported, list) and isinstance(edited, list):
        return _list_additions_only(imported, edited, where)
    if isinstance(imported, str) and isinstance(edited, str):
        return [] if " ".join(imported.split()) == " ".join(edited.split()) else [f"{where} differs"]
    return [] if imported == edited else [f"{where} differs: {imported!r} != {edited!r}"]


def _list_additions_only(imported: list[Any], edited: list[Any], where: str) -> list[str]:
    """Every imported item has a matching edited item, in the same order."""
    position = 0
    for index, item in enumerate(imported):
        while position < len(edited) and _additions_only(item, edited[position]):
            position += 1
        if position == len(edited):
            return [f"{where}[{index}] is missing or changed"]
        position += 1
    return []


def _front_and_body(path: Path) -> tuple[dict[str, Any], list[str]]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), _paragraphs(body)


def test_the_content_story_is_the_merged_import_plus_additions(tmp_path: Path) -> None:
    [written] = _import(tmp_path, *SEEDS, "--merge", "--slug", "us-japan-security-pact")
    imported_front, imported_body = _front_and_body(written)
    content_front, content_body = _front_and_body(ROOT / "content" / written.name)

    assert _additions_only(imported_front, content_front) == []
    assert _list_additions_only(imported_body, content_body, "body") == []


def test_additions_only_notices_a_change() -> None:
    assert _additions_only({"facts": [{"text": "a b"}]}, {"facts": [{"text": "a  b", "sources": ["x"]}]}) == []
    assert _additions_only({"facts": [{"text": "a"}, {"text": "b"}]}, {"facts": [{"text": "b"}, {"text": "a"}]}) \
        == [".facts[1] is missing or changed"]
    assert _additions_only({"title": "A"}, {"title": "B"}) == [".title differs"]


# Malformed files: exact errors, nothing written ------------------------------------------------

HINT_BOTH_STYLES = ("  hint: expected a title line, a summary line, 'Facts' with '- ' items ending in source "
                    "numbers, a 'Sources:' line and 'Narratives' (the Facts style); or a title line, "
                    "'Topline', 'Key Facts', 'Key Background' and 'Contra' (the Topline style)\n")

MALFORMED_ERRORS = {
    "empty.txt": "empty.txt:1: error: the file is empty\n" + HINT_BOTH_STYLES,
    "neither-style.txt": "neither-style.txt:1: error: this is not a briefing in either house style: it has "
                         "neither a 'Facts' nor a 'Topline' heading\n" + HINT_BOTH_STYLES,
    "missing-key-facts.txt": "missing-key-facts.txt:5: error: the 'Key Facts' section is missing\n"
                             "  hint: expected one fact per line, under 'Key Facts'\n",
    "missing-sources.txt": "missing-sources.txt:5: error: the 'Sources:' line is missing\n"
                           "  hint: after the facts, say which outlet each number stands for, e.g. "
                           "'Sources: 1Forbes, 2Reuters.com and 3The Japan Times.'\n",
    "missing-title.txt": "missing-title.txt:1: error: there is no title: the file starts with 'Topline'\n"
                         "  hint: put the story's headline on the first line, before 'Topline'\n",
    "narrative-without-provider.txt": "narrative-without-provider.txt:7: error: expected a narrative as "
                                      "'<label>, as provided by <provider>. <text>'\n"
                                      "  hint: e.g. '- Pro-China narrative, as provided by Global Times. "
                                      "The US and Japan ...'\n",
    "text-after-sources.txt": "text-after-sources.txt:6: error: expected 'Narratives' or the end of the file "
                              "after the 'Sources:' line\n"
                              "  hint: facts go above the 'Sources:' line, each starting with '- '\n",
    "unknown-source-number.txt": "unknown-source-number.txt:5: error: the fact cites source 5, but the "
                                 "'Sources:' line has no outlet numbered 5\n"
                                 "  hint: the 'Sources:' line names outlets 1, 2; add outlet 5 to it, or "
                                 "fix the fact's number\n",
}


def test_every_malformed_fixture_has_its_expected_error() -> None:
    assert sorted(MALFORMED_ERRORS) == sorted(p.name for p in MALFORMED.glob("*.txt"))


@pytest.mark.parametrize("name", sorted(MALFORMED_ERRORS))
def test_malformed_file_gets_an_exact_error(name: str, tmp_path: Path) -> None:
    run = run_briefgen("import", name, "-o", tmp_path / "out", cwd=MALFORMED)

    assert (run.code, run.err, run.out) == (1, MALFORMED_ERRORS[name], "")
    assert not (tmp_path / "out").exists()


def test_one_bad_file_means_nothing_is_written(tmp_path: Path) -> None:
    run = run_briefgen("import", SEEDS[0], MALFORMED / "empty.txt", "-o", tmp_path / "out")

    assert run.code == 1
    assert not (tmp_path / "out").exists()


# Never overwrite without --force ---------------------------------------------------------------


def test_an_existing_story_is_replaced_only_with_force(tmp_path: Path) -> None:
    out = tmp_path / "content"
    out.mkdir()
    existing = out / "us-japan-security-pact.md"
    existing.write_text("a writer's edits\n")
    args = ("import", *SEEDS, "--merge", "--slug", "us-japan-security-pact", "-o", out, "--date", DATE)

    refused = run_briefgen(*args)
    assert refused.code == 1
    assert refused.err.endswith("us-japan-security-pact.md: error: a story with this name already exists\n"
                                "  hint: import with --force to replace it, or choose another name with --slug\n")
    assert existing.read_text() == "a writer's edits\n"

    replaced = run_briefgen(*args, "--force")
    assert replaced.code == 0, replaced.err
    assert existing.read_text() == (GOLDEN / "merged.md").read_text()


def test_slug_names_one_story_only(tmp_path: Path) -> None:
    run = run_briefgen("import", *SEEDS, "--slug", "one", "-o", tmp_path)

    assert run.code == 1
    assert "error: --slug names one story, but these files make several" in run.err



@pytest.mark.parametrize("slug, message", [
    ("../README", "--slug '../README' contains a path separator"),
    ("/srv/x", "--slug '/srv/x' contains a path separator"),
    ("..", "--slug '..' is not usable in a URL"),
    (".hidden", "--slug '.hidden' is not usable in a URL"),
    ("", "--slug '' is not usable in a URL"),
])
def test_a_slug_from_the_command_line_obeys_the_slug_rule(slug: str, message: str, tmp_path: Path) -> None:
    """`--slug` names a file inside -o, as a slug from a title does; it is never a path."""
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    readme = site / "README.md"
    readme.write_text("the writer's readme\n")

    run = run_briefgen("import", SEEDS[0], "-o", site / "content", "--slug", slug, "--force", cwd=tmp_path)

    assert run.code == 1
    assert f"error: {message}\n  hint: " in run.err
    assert readme.read_text() == "the writer's readme\n"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["README.md"]

# Parsing details -------------------------------------------------------------------------------


@pytest.mark.parametrize("outlet, source_id", [
    ("Forbes", "forbes"), ("The Economic Times", "economic-times"), ("Reuters.com", "reuters"),
    ("The Japan Times", "japan-times"), ("BBC.co.uk", "bbc"), ("Theatre Weekly", "theatre-weekly"),
])
def test_source_ids_come_from_outlet_names(outlet: str, source_id: str) -> None:
    assert outlet_id(outlet) == source_id


@pytest.mark.parametrize("refs, numbers", [("1", [1]), ("1,3", [1, 3]), ("1, 3", [1, 3]), ("13", [1, 3]),
                                           ("12", [12])])
def test_trailing_source_numbers(refs: str, numbers: list[int]) -> None:
    known = {1, 2, 3, 12} if refs == "12" else {1, 2, 3}

    assert _FactsStyle.ref_numbers(refs, known) == numbers


@pytest.mark.parametrize("line, heading", [
    ("Key Background", True), ("Contra", True), ("What Happens Next?", True),
    ("What Security Threats Are Japan And The U.s. Concerned About?", True),
    ("Will the deal hold, and what does it mean for the region's fishers?", False),
    ("China has condemned the deal.", False),
])
def test_section_headings(line: str, heading: bool) -> None:
    assert is_heading(line) is heading


def _facts_style(title: str, fact: str) -> Briefing:
    text = f"{title}\nA summary of {title}.\nFacts\n- {fact}.1\nSources: 1Forbes.\n"
    briefing = parse_briefing(Path(f"{title}.txt"), text, Diagnostics())
    assert briefing is not None
    return briefing


def test_merging_keeps_sources_apart_and_every_title_and_summary() -> None:
    merged = merge([_facts_style("First", "One fact"), _facts_style("Second", "Another fact")])

    assert [s.id for s in merged.sources] == ["forbes", "forbes-2"]
    assert [f.sources for f in merged.facts] == [("forbes",), ("forbes-2",)]
    assert (merged.title, merged.summary) == ("First", "A summary of First.")
    assert merged.lead == ("A summary of Second.", "Second")


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_file_to_import_that_is_no_regular_file_is_an_error_not_a_wait(kind: str, tmp_path: Path) -> None:
    """A named pipe would block the import until a writer came; /dev/zero would be read until memory ran out."""
    special = tmp_path / "briefing.txt"
    if kind == "fifo":
        os.mkfifo(special)
    else:
        special.symlink_to("/dev/zero")

    run = run_briefgen("import", special, "-o", tmp_path / "content")

    what = "a named pipe (FIFO)" if kind == "fifo" else "a device"
    assert run.code == 1 and f"briefing.txt: error: cannot read the file: it is {what}, not a regular file" in run.err
    assert not (tmp_path / "content").exists()

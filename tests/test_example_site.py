"""The example site: the seed story, every sentence of both documents, every link working."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from briefgen.core.diagnostics import Diagnostics
from briefgen.pages.coverage import outlet_name
from briefgen.settings.outlets import load_registry
from tests.conftest import ROOT, run_briefgen, tree_bytes
from tests.htmltext import broken_links, parse, visible_text

SEEDS = ROOT / "seeds"
FACTS_SEED = SEEDS / "000_288d68c5395802ff.txt"  # Facts / Sources / Narratives
TOPLINE_SEED = SEEDS / "001_af7eb20155dd5ad7.txt"  # Topline / Key Facts / Key Background / Contra
STORY = "us-japan-security-pact/index.html"
BASE_URL = "https://briefgen.netlify.app/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("example")
    for name in ("content", "briefgen.yaml", "outlets.yaml"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, site / name)
    run = run_briefgen("build", "-s", site, "-o", site / "public")
    assert run.code == 0, run.err
    return site / "public"


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?”])\s+", " ".join(text.split())) if s]


def seed_lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_sentence_of_the_topline_seed_is_on_the_page(built: Path) -> None:
    page = visible_text(built / STORY)
    headings = {"Topline", "Key Facts", "Key Background", "Contra"}
    missing = [s for line in seed_lines(TOPLINE_SEED) if line not in headings
               for s in sentences(line) if s not in page]
    assert missing == []


def test_every_fact_of_the_facts_seed_is_on_the_page_with_its_source_number(built: Path) -> None:
    lines = seed_lines(FACTS_SEED)
    outlets = dict(re.findall(r"(\d)([^,]+?)(?:,| and |\.$)", lines[lines.index("Narratives") - 1]
                              .removeprefix("Sources: ")))
    facts = [line for line in lines[lines.index("Facts") + 1:] if line.startswith("- ")][:6]
    page = parse(built / STORY)
    facts_section = (built / STORY).read_text().split('id="facts"', 1)[1].split("</section>", 1)[0]
    items = re.findall(r"<li>(.*?)</li>", facts_section, flags=re.S)
    assert len(facts) == 6
    for seed_fact, item in zip(facts, items):
        text, number = re.fullmatch(r"- (.*?)(\d)", seed_fact).groups()  # type: ignore[union-attr]
        assert text in " ".join(re.sub(r"<[^>]+>", " ", item).split())
        assert f'aria-label="Source {number}: {outlets[number].strip()}">{number}</a>' in item
    assert "source-forbes" in page.ids


def test_title_summary_and_narratives_of_the_facts_seed_are_on_the_page(built: Path) -> None:
    lines = seed_lines(FACTS_SEED)
    page = visible_text(built / STORY)
    assert lines[0] in page  # the title
    assert lines[1].rstrip(".") in page  # the summary, which the seed cuts short with "...."
    registry = load_registry(ROOT, Diagnostics())
    for line in lines[lines.index("Narratives") + 1:]:
        label, provider, text = re.fullmatch(r"- (.+?), as provided by (.+?)\. (.*)", line).groups()  # type: ignore[union-attr]
        assert f"{label} as provided by {outlet_name(provider, registry)} {text}" in page  # "Csis" is CSIS


def test_the_example_site_has_no_broken_internal_link_or_fragment(built: Path) -> None:
    assert broken_links(built, BASE_URL) == []


def test_two_builds_are_byte_identical(built: Path, tmp_path: Path) -> None:
    run = run_briefgen("build", "-o", tmp_path / "again")
    assert run.code == 0, run.err
    assert tree_bytes(tmp_path / "again") == tree_bytes(built)


def test_single_outlet_facts_are_said_once_and_the_concentration_of_citations_is_shown(built: Path) -> None:
    """"(single outlet)" followed all 11 facts, unexplained and into search excerpts, while the source mix
    hid that 10 of 14 citations are one outlet."""
    page = visible_text(built / STORY)
    assert "(single outlet)" not in page
    assert page.count("Each fact here rests on a single outlet.") == 1
    assert "1 magazine; 10 of 14 citations are from Forbes." in page

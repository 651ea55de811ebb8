"""The editor schemas in briefgen/schemas/ agree with the build.

An editor (the YAML language server) completes keys and flags mistakes from these
schemas while a writer types. Two promises are checked: whatever the build accepts,
the editor accepts too (no red line under a story that builds), and the mistakes a
writer makes most are flagged in the editor and are errors of the build.

The language server reads YAML 1.2, in which `2024-03-25` is text, so front matter
is read here with `EditorLoader`: every date stays the text it was written as.
"""

from __future__ import annotations

import json
from dataclasses import fields
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel import Locale
from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match

import briefgen
from briefgen.commands.check import check_site
from briefgen.core.diagnostics import Diagnostics
from briefgen.core.frontmatter import split
from briefgen.core.model import KINDS_OF_WORK
from briefgen.schemas import schema_text
from briefgen.settings.config import Labels, SiteConfig, load_config
from briefgen.settings.outlets import KEYS as OUTLET_KEYS
from briefgen.settings.outlets import KINDS as OUTLET_KINDS
from briefgen.settings.outlets import load_registry
from briefgen.story.validate import (AUTHOR_KEYS, CONTRA_KEYS, CORRECTION_KEYS, FACT_KEYS, NARRATIVE_KEYS,
                                     REQUIRED_KEYS, SOURCE_KEYS, STORY_KEYS, validate)
from tests.conftest import FIXTURES, ROOT, make_site, story_text

SCHEMA_NAMES = ["story", "config", "outlets"]
ERRORS = FIXTURES / "errors"


class EditorLoader(yaml.SafeLoader):
    """YAML as the language server hands it to a schema: a date or a time is the text it was written as."""


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


EditorLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


@cache
def schema(name: str) -> dict[str, Any]:
    text = (files("briefgen") / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def schema_errors(name: str, data: Any) -> list[str]:
    """What the editor would flag, as 'key/path: message', sorted.

    Where the schema allows alternatives (a text or a mapping), the problem is told
    in the alternative that fits best, as the editor tells it."""
    validator = Draft7Validator(schema(name))
    found = (best_match([error]) for error in validator.iter_errors(data))
    return sorted(f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in found if error)


def front_matter(text: str) -> Any:
    lines = text.splitlines()
    assert lines[0] == "---"
    end = next(number for number, line in enumerate(lines[1:], start=1) if line in ("---", "..."))
    return yaml.load("\n".join(lines[1:end]), Loader=EditorLoader)


def build_errors(path: Path, text: str) -> list[str]:
    """The errors the build reports on one story's front matter (site-wide rules aside)."""
    diagnostics = Diagnostics()
    front = split(path, text, diagnostics)
    if front is not None:
        validate(path, path.stem, front, diagnostics)
    return [diagnostic.message for diagnostic in diagnostics.errors]


def check_errors(site: Path) -> list[str]:
    """`briefgen check` on a site: every error a build would report."""
    return [diagnostic.message for diagnostic in check_site(site).diagnostics.errors]


def yaml_file(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=EditorLoader)


# --- the schema files themselves


@pytest.mark.parametrize("name", ["story", "config", "outlets"])
def test_the_shipped_schema_is_the_one_its_rules_make(name: str) -> None:
    """The schemas are made from the build's own keys and lists (briefgen/schemas/): never edited by hand."""
    shipped = (ROOT / "briefgen" / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    assert shipped == schema_text(name), f"run `python -m briefgen.schemas` to make {name}.schema.json again"


def test_the_schemas_ship_inside_the_package() -> None:
    """An installed briefgen carries its schemas: the README points editors at that folder."""
    folder = Path(str(files("briefgen") / "schemas"))
    assert folder == Path(briefgen.__file__).parent / "schemas"
    assert sorted(path.name for path in folder.glob("*.schema.json")) == sorted(
        f"{name}.schema.json" for name in SCHEMA_NAMES)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_each_schema_is_valid_draft_07(name: str) -> None:
    """Draft-07 is the draft the YAML language server supports best."""
    assert schema(name)["$schema"] == "http://json-schema.org/draft-07/schema#"
    Draft7Validator.check_schema(schema(name))


def _properties(node: Any, where: str = "") -> list[tuple[str, Any]]:
    """Every (path, schema) under a `properties` keyword, however deep."""
    found: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                found += [(f"{where}/{name}", child) for name, child in value.items()]
            found += _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found += _properties(item, f"{where}/{index}")
    return found


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_property_has_a_title_and_a_one_line_description(name: str) -> None:
    """The description is what the editor shows beside a key while completing it."""
    properties = _properties(schema(name))
    assert len(properties) >= 5
    for where, child in properties:
        assert child.get("title"), where
        assert child.get("description") and "\n" not in child["description"], where


# --- the keys and the fixed sets are the build's


def test_the_story_schema_knows_exactly_the_keys_the_build_knows() -> None:
    """A key the build accepts is completed; any other key is flagged, as the build rejects it."""
    story = schema("story")
    definitions = story["definitions"]
    assert story["additionalProperties"] is False
    assert sorted(story["properties"]) == sorted(STORY_KEYS)
    assert sorted(story["required"]) == sorted(REQUIRED_KEYS)
    objects = {"source": definitions["source"], "fact": definitions["fact"]["anyOf"][1],
               "narrative": definitions["narrative"], "contra": definitions["contra"],
               "correction": definitions["correction"], "author": definitions["author"]["anyOf"][1]}
    known = {"source": SOURCE_KEYS, "fact": FACT_KEYS, "narrative": NARRATIVE_KEYS, "contra": CONTRA_KEYS,
             "correction": CORRECTION_KEYS, "author": AUTHOR_KEYS}
    for what, keys in known.items():
        assert objects[what]["additionalProperties"] is False, what
        assert sorted(objects[what]["properties"]) == sorted(keys), what
    assert story["properties"]["kind"]["enum"] == [*KINDS_OF_WORK, None]


def test_the_config_schema_knows_exactly_the_keys_the_build_knows() -> None:
    config = schema("config")
    # `lines` holds where each key stood, not a key: config.py lets `lines:` through and then crashes on it
    scalar_keys = {f.name for f in fields(SiteConfig)} - {"labels", "unsafe_html", "lines"}
    assert config["additionalProperties"] is False
    assert sorted(config["properties"]) == sorted(scalar_keys | {"labels", "markdown"})
    assert sorted(config["properties"]["labels"]["properties"]) == sorted(f.name for f in fields(Labels))
    assert list(config["properties"]["markdown"]["properties"]) == ["unsafe_html"]


def test_the_outlets_schema_knows_the_build_s_keys_kinds_and_countries() -> None:
    """Kinds and country codes are completed from the same lists the build checks against."""
    outlet = schema("outlets")["definitions"]["outlet"]
    assert sorted(outlet["properties"]) == sorted(OUTLET_KEYS)
    assert outlet["properties"]["kind"]["enum"] == [*OUTLET_KINDS, None]
    territories = Locale("en").territories
    codes = sorted(code for code in map(str, territories) if len(code) == 2 and code.isalpha() and code.isupper())
    assert outlet["properties"]["country"]["enum"] == [*codes, None], \
        "Babel's territories changed: regenerate the country enum of outlets.schema.json from them"


# --- what builds fits the schema

SITE_STORIES = sorted([*ROOT.glob("content/*.md"), *FIXTURES.glob("sites/*/content/*.md"),
                       *FIXTURES.glob("reader-site/content/*.md"), *FIXTURES.glob("check/clean/content/*.md"),
                       *FIXTURES.glob("import/*.md")])


@pytest.mark.parametrize("path", SITE_STORIES, ids=lambda path: str(path.relative_to(ROOT)))
def test_the_example_and_fixture_stories_fit_the_schema(path: Path) -> None:
    """Opening any story of the example site or a fixture site shows no problem in the editor."""
    text = path.read_text(encoding="utf-8")
    assert build_errors(path, text) == []
    assert schema_errors("story", front_matter(text)) == []


def test_every_story_the_build_accepts_fits_the_schema() -> None:
    """The editor is never stricter than the build: the check and error fixtures' sound stories fit too."""
    accepted: list[Path] = []
    flagged: dict[str, list[str]] = {}
    for path in sorted(FIXTURES.glob("**/content/*.md")):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # the non-UTF-8 fixture: no editor reads it as YAML either
        if build_errors(path, text):
            continue
        accepted.append(path)
        if errors := schema_errors("story", front_matter(text)):
            flagged[str(path.relative_to(ROOT))] = errors
    assert len(accepted) >= 40
    assert flagged == {}


def _config_files() -> list[Path]:
    return sorted([ROOT / "briefgen.yaml", ROOT / "outlets.yaml", *FIXTURES.rglob("briefgen.yaml"),
                   *FIXTURES.rglob("outlets.yaml")])


def test_every_config_and_registry_the_build_accepts_fits_its_schema() -> None:
    """briefgen.yaml and outlets.yaml files that load without errors show no problem in the editor."""
    accepted: list[Path] = []
    flagged: dict[str, list[str]] = {}
    for path in _config_files():
        diagnostics = Diagnostics()
        if path.name == "briefgen.yaml":
            load_config(path.parent, diagnostics)
        else:
            load_registry(path.parent, diagnostics)
        if diagnostics.errors:
            continue
        accepted.append(path)
        if errors := schema_errors("config" if path.name == "briefgen.yaml" else "outlets", yaml_file(path)):
            flagged[str(path.relative_to(ROOT))] = errors
    assert {ROOT / "briefgen.yaml", ROOT / "outlets.yaml", FIXTURES / "sites" / "newsroom" / "outlets.yaml",
            FIXTURES / "sites" / "basic" / "briefgen.yaml"} <= set(accepted)
    assert flagged == {}


BARE = "---\ntitle: T\ndate: 2024-03-25\nsummary: S.\nfacts: [A fact.]\n{key}:\n---\nBody.\n"


@pytest.mark.parametrize("key", [key for key in STORY_KEYS if key not in REQUIRED_KEYS])
def test_an_optional_key_left_empty_is_no_problem(key: str) -> None:
    """`tags:` with nothing after it yet: the build takes it as absent, so the editor does not flag it."""
    text = BARE.format(key=key)
    assert build_errors(Path("story.md"), text) == []
    assert schema_errors("story", front_matter(text)) == []


@pytest.mark.parametrize("written, builds", [
    ("2024-03-25", True),
    ("2024-03-25T09:30:00+09:00", True),
    ("2024-03-25T09:30:00Z", True),
    ("2024-03-25 09:30:00+09:00", True),
    ("2024-03-25T09:30+09:00", True),
    ("2024-03-25T09:30:00.250-05:00", True),
    ("2024-03-25T09:30:00 +09:00", True),
    ("2024-03-25T09:30:00+0900", True),
    ("2024-03-25T09:30:00", False),  # a time without its UTC offset
    ("2024-03-25 10:00:00", False),
    ("2024-13-01", False),
    ("2024-03-32", False),
    ("2024-03-25T24:00:00Z", False),
    ("March 25th", False),
    ("25/03/2024", False),
])
@pytest.mark.parametrize("quoted", [False, True])
def test_dates_the_editor_flags_are_the_dates_the_build_rejects(written: str, builds: bool, quoted: bool) -> None:
    """Quoted or not, a date reads the same in the editor; the build reads both and must agree."""
    value = f"'{written}'" if quoted else written
    text = story_text().replace("date: 2024-03-25", f"date: {value}")
    assert (build_errors(Path("story.md"), text) == []) is builds
    errors = schema_errors("story", front_matter(text))
    assert (errors == []) is builds
    assert all(error.startswith("date: ") for error in errors)


def test_yes_and_no_are_true_and_false_as_the_build_reads_them() -> None:
    """YAML 1.1 (the build) reads `draft: yes` as true; the editor's YAML 1.2 sees the word, and allows it."""
    text = story_text().replace("---\nBackground", "draft: yes\n---\nBackground")
    assert build_errors(Path("story.md"), text) == []
    assert schema_errors("story", {**front_matter(text), "draft": "yes"}) == []
    assert schema_errors("story", {**front_matter(text), "draft": "maybe"}) != []


# --- the fixtures of the build's errors are flagged where the schema can say so


@pytest.mark.parametrize("case, flagged", [
    ("unknown-key", [": Additional properties are not allowed ('sumary' was unexpected)"]),
    ("misspelt-key", ["sources/0: Additional properties are not allowed ('outlt' was unexpected)",
                      "sources/1: Additional properties are not allowed ('idd' was unexpected)"]),
    ("missing-required", [": 'summary' is a required property"]),
    ("wrong-type", ["title: ", "draft: "]),
    ("naive-datetime", ["date: '2024-03-25 10:00:00' does not match"]),
    ("bad-date", ["date: '2024-13-45' does not match", "updated: 'March 25th' does not match"]),
    ("javascript-url", ["sources/0/url: 'javascript:alert(1)' does not match"]),
    ("slug-separator", ["slug: 'news/story' does not match"]),
    ("long-slug", ["slug: ", "is too long"]),
])
def test_front_matter_error_fixtures_are_flagged_in_the_editor(case: str, flagged: list[str]) -> None:
    """The mistakes of tests/fixtures/errors/ that a schema can see are underlined as the writer types."""
    path = ERRORS / case / "content" / "story.md"
    text = path.read_text(encoding="utf-8")
    assert build_errors(path, text) != []
    errors = "\n".join(schema_errors("story", front_matter(text)))
    for part in flagged:
        assert part in errors, errors


def test_the_bad_config_fixture_is_flagged_key_by_key() -> None:
    errors = schema_errors("config", yaml_file(ERRORS / "bad-config" / "briefgen.yaml"))
    assert [error.split(":")[0] for error in errors] == ["", "base_url", "per_page"]
    assert "'them' was unexpected" in errors[0]


def test_folder_names_file_systems_refuse_are_flagged() -> None:
    errors = schema_errors("config", yaml_file(ERRORS / "config-folder-names" / "briefgen.yaml"))
    assert [error.split(":")[0] for error in errors] == ["output_dir", "theme"]


def test_the_bad_registry_fixture_is_flagged_entry_by_entry() -> None:
    """Every error the build reports on outlets-bad/outlets.yaml is an error in the editor too."""
    errors = "\n".join(schema_errors("outlets", yaml_file(ERRORS / "outlets-bad" / "outlets.yaml")))
    assert "reuters/kind: 'wire-service' is not one of" in errors
    assert "reuters/country: 'gb' is not one of" in errors
    assert "reuters/url: 'www.reuters.com' does not match" in errors
    assert ": 'Global Times' does not match" in errors
    assert "csis: Additional properties are not allowed ('nmae' was unexpected)" in errors
    assert "ap/country: 'XX' is not one of" in errors


# --- the mistakes a writer makes most: flagged by the schema, and errors of the build


def test_a_misspelt_key(tmp_path: Path) -> None:
    text = story_text().replace("title:", "titel:")
    assert "unknown key 'titel' in the front matter" in check_errors(make_site(tmp_path, {"story.md": text}))
    errors = schema_errors("story", front_matter(text))
    assert errors == [": 'title' is a required property",
                      ": Additional properties are not allowed ('titel' was unexpected)"]


def test_a_missing_required_key(tmp_path: Path) -> None:
    text = story_text().replace("summary: A one-paragraph summary of A story.\n", "")
    assert "the required key 'summary' is missing" in check_errors(make_site(tmp_path, {"story.md": text}))
    assert schema_errors("story", front_matter(text)) == [": 'summary' is a required property"]


def test_a_kind_of_work_not_in_the_list(tmp_path: Path) -> None:
    text = story_text().replace("---\nBackground", "kind: column\n---\nBackground")
    assert "unknown kind of work 'column'" in check_errors(make_site(tmp_path, {"story.md": text}))
    errors = schema_errors("story", front_matter(text))
    assert len(errors) == 1 and errors[0].startswith("kind: 'column' is not one of ['news', 'analysis'")


def test_a_fact_citing_with_a_mapping_instead_of_a_list(tmp_path: Path) -> None:
    """`sources: wire` is a list of one; a mapping (or a number) is neither a list nor an id."""
    text = story_text().replace("    sources: [wire]", "    sources: {wire: 1}")
    assert "'sources' must be a list of source ids, not a mapping" in check_errors(
        make_site(tmp_path, {"story.md": text}))
    assert schema_errors("story", front_matter(text)) == [
        "facts/0/sources: {'wire': 1} is not of type 'array', 'string', 'null'"]
    one = story_text().replace("    sources: [wire]", "    sources: wire")
    assert build_errors(Path("story.md"), one) == [] and schema_errors("story", front_matter(one)) == []


def test_an_outlet_kind_not_in_the_list(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"story.md": story_text()})
    (site / "outlets.yaml").write_text("wire:\n  name: The Wire\n  kind: wire-service\n", encoding="utf-8")
    assert "unknown kind of outlet 'wire-service'" in check_errors(site)
    errors = schema_errors("outlets", yaml_file(site / "outlets.yaml"))
    assert len(errors) == 1 and errors[0].startswith("wire/kind: 'wire-service' is not one of ['wire', 'newspaper'")


def test_a_misspelt_config_key(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"story.md": story_text()}, config="titel: My briefings\n")
    assert "unknown key 'titel' in the site configuration" in check_errors(site)
    assert schema_errors("config", yaml_file(site / "briefgen.yaml")) == [
        ": Additional properties are not allowed ('titel' was unexpected)"]

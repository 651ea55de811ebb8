from __future__ import annotations

from pathlib import Path

from briefgen.core.diagnostics import Diagnostics
from briefgen.settings.config import Labels, SiteConfig, load_config


def load(tmp_path: Path, text: str) -> tuple[SiteConfig, list[str]]:
    (tmp_path / "briefgen.yaml").write_text(text)
    diagnostics = Diagnostics()
    config = load_config(tmp_path, diagnostics)
    return config, [f"{d.line}: {d.message} ({d.hint})" for d in diagnostics.errors]


def test_no_file_or_an_empty_one_gives_the_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path, Diagnostics()) == SiteConfig()
    assert load(tmp_path, "") == (SiteConfig(), [])


def test_values_labels_and_markdown_are_read(tmp_path: Path) -> None:
    config, errors = load(tmp_path, "title: T\nbase_url: https://e.org/news\nper_page: 5\n"
                                    "labels: {facts: Key Facts}\nmarkdown: {unsafe_html: true}\n")
    assert errors == []
    assert (config.title, config.base_url, config.base_path, config.per_page) == ("T", "https://e.org/news/", "/news/", 5)
    assert config.labels == Labels(facts="Key Facts")
    assert config.unsafe_html is True


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    _, errors = load(tmp_path, "titel: T\nper_page: many\nlabels:\n  fact: F\nmarkdown: {html: true}\n")
    assert errors == [
        "1: unknown key 'titel' in the site configuration (did you mean 'title'?)",
        "2: 'per_page' must be a whole number of at least 1 (e.g. `per_page: 10`)",
        "4: unknown label 'fact' (did you mean 'facts'?)",
        "5: 'markdown' takes one key, 'unsafe_html' (e.g. `markdown: {unsafe_html: true}` to let raw HTML "
        "in Markdown through)",
    ]


def test_internal_fields_are_not_keys_and_a_malformed_address_is_an_error(tmp_path: Path) -> None:
    """`lines:` once crashed the build, and "https://[x" raised from the URL parser."""
    _, errors = load(tmp_path, "lines: 3\nbase_url: https://[x\n")
    assert [error.split(" (")[0] for error in errors] == [
        "1: unknown key 'lines' in the site configuration", "2: 'base_url' must be an http or https URL"]


def test_ignore_warnings_takes_warning_codes_only(tmp_path: Path) -> None:
    config, errors = load(tmp_path, "ignore_warnings: [long-summary, yaml-syntax, long-sumary]\n")
    assert config.ignore_warnings == ("long-summary",)
    assert errors == [
        "1: 'yaml-syntax' is an error's code: errors cannot be ignored (known warning codes: broken-link, "
        "default-base-url, fact-without-source, large-edition, local-requirement, long-summary, "
        "narrative-without-provider, no-contra, no-narratives, not-a-story, scaffold-placeholder, similar-tags, "
        "single-narrative, uncited-note, uncited-source, unknown-language, unknown-outlet, unknown-story-link.)",
        "1: 'long-sumary' is not a warning's code (did you mean 'long-summary'?)",
    ]


def test_an_ignore_warnings_entry_that_is_no_text_is_an_error_not_a_crash(tmp_path: Path) -> None:
    config, errors = load(tmp_path, "ignore_warnings:\n  - long-summary\n  - {a: 1}\n")
    assert config.ignore_warnings == ("long-summary",)
    assert errors == ["3: 'ignore_warnings' lists warning codes, not dict values "
                      "(e.g. `ignore_warnings: [long-summary]`)"]


def test_a_base_url_with_a_line_break_in_it_is_refused(tmp_path: Path) -> None:
    """Python's URL parser drops the newline; robots.txt and the feeds would get a line of the writer's."""
    _, errors = load(tmp_path, 'base_url: "https://example.org/\\nDisallow: /"\n')
    assert [error.split(" (")[0] for error in errors] == ["1: 'base_url' must be an http or https URL"]

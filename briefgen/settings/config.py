"""Site configuration (`briefgen.yaml`), read into a typed value.

Every problem is collected and reported against its key's line; unknown keys
are errors with a "did you mean" hint.
"""

from __future__ import annotations

import difflib
import re
from functools import cached_property
from dataclasses import dataclass, field, fields, replace
from datetime import timezone, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from briefgen.change.trace import read_file
from briefgen.core.diagnostics import CODES, WARNING_CODES, Diagnostics
from briefgen.core.frontmatter import YamlMapping, load_mapping
from briefgen.core.urls import is_web_address
from briefgen.settings import i18n

CONFIG_FILE = "briefgen.yaml"


@dataclass(frozen=True)
class Labels:
    """Section names as a page shows them; a site may rename or translate them."""

    summary: str = ""
    facts: str = "Facts"
    narratives: str = "Narratives"
    provided_by: str = "as provided by"
    contra: str = "Contra"
    sources: str = "Sources"
    notes: str = "Notes"
    tags: str = "Tags"
    published: str = "Published"
    updated: str = "Updated"
    paywall: str = "paywall"
    newer: str = "Newer stories"
    older: str = "Older stories"
    all_tags: str = "All tags"
    contents: str = "Contents"
    search: str = "Search"
    outlets: str = "Outlets"
    corrections: str = "Corrections"
    thread: str = "This story so far"
    later: str = "Later"
    colon: str = ": "  # between a word or date and what it introduces ("Later: ..."); French spaces it
    semicolon: str = "; "  # between the items of a run-in list
    earlier: str = "Earlier"
    related: str = "Related"
    # Every other word a page shows. `{name}` is filled in; a pair `x_one`/`x_other` is chosen
    # by the language's plural rule. Each built-in set (briefgen/locales/) has them all.
    skip_to_content: str = "Skip to content"
    site_navigation: str = "Site"
    latest: str = "Latest"
    feed: str = "Feed"
    latest_briefings: str = "Latest briefings"
    page_title: str = "Page {number}"
    page_heading: str = "{title}: page {number}"
    page_of: str = "Page {number} of {total}"
    pages: str = "Pages"
    no_stories: str = "No stories yet."
    no_tags: str = "No tags yet."
    no_outlets: str = "No outlets yet."
    editions: str = "Editions"
    edition_title: str = "Edition of {date}"
    no_editions: str = "No editions yet."
    edition_view_online: str = "Read this edition on the web"
    draft: str = "Draft"
    scheduled: str = "Scheduled"
    kind_news: str = "News"
    kind_analysis: str = "Analysis"
    kind_opinion: str = "Opinion"
    kind_explainer: str = "Explainer"
    reading_time: str = "{minutes} min read"
    byline: str = "By"
    by: str = "by"
    single_outlet: str = "single outlet"
    facts_single_outlet: str = "Each fact here rests on a single outlet."
    concentration: str = "{count} of {total} citations are from {outlet}."
    more_on: str = "More on {name}"
    about_outlet: str = "about {name}"
    summary_section: str = "Summary"
    body_section: str = "the text"
    cite_source: str = "Source {number}: {outlet}"
    cite_note: str = "Note {number}"
    backref: str = "Back to citation of {target}, in {section}"
    backref_numbered: str = "Back to citation {index} of {target}, in {section}"
    backref_source: str = "source {number}, {outlet}"
    backref_note: str = "note {number}"
    cited_at: str = "Cited in"  # before the back-links of a source: "Cited in Key Facts 2 3"
    no_link: str = "no link given"  # a source without a URL
    contra_intro: str = "The strongest case against the story as told above."
    credit: str = "Licence"  # the licence notice of the parts a credit covers
    source_mix: str = "{sources} from {outlets}"
    source_mix_countries: str = "{sources} from {outlets} in {countries}"
    source_mix_kinds: str = "{mix}: {kinds}"
    source_count_one: str = "{count} source"
    source_count_other: str = "{count} sources"
    outlet_count_one: str = "{count} outlet"
    outlet_count_other: str = "{count} outlets"
    country_count_one: str = "{count} country"
    country_count_other: str = "{count} countries"
    outlet_wire_one: str = "wire"
    outlet_wire_other: str = "wires"
    outlet_newspaper_one: str = "newspaper"
    outlet_newspaper_other: str = "newspapers"
    outlet_magazine_one: str = "magazine"
    outlet_magazine_other: str = "magazines"
    outlet_broadcaster_one: str = "broadcaster"
    outlet_broadcaster_other: str = "broadcasters"
    outlet_online_one: str = "online outlet"
    outlet_online_other: str = "online outlets"
    outlet_state_media_one: str = "state media"
    outlet_state_media_other: str = "state media"
    outlet_government_one: str = "government"
    outlet_government_other: str = "governments"
    outlet_think_tank_one: str = "think tank"
    outlet_think_tank_other: str = "think tanks"
    outlet_ngo_one: str = "NGO"
    outlet_ngo_other: str = "NGOs"
    outlet_other_one: str = "other"
    outlet_other_other: str = "others"
    outlet_unknown_one: str = "outlet of unknown kind"
    outlet_unknown_other: str = "outlets of unknown kind"
    coverage: str = "Coverage"
    close: str = "Close"
    countries: str = "Countries"
    story_count_one: str = "{count} story"
    story_count_other: str = "{count} stories"
    thread_more_one: str = "… {count} more"  # in a long thread's window, for the stories left out
    thread_more_other: str = "… {count} more"
    whole_thread_one: str = "The whole thread ({count} story)"  # the link to a long thread's own page
    whole_thread_other: str = "The whole thread ({count} stories)"
    thread_page: str = "{title}: the whole thread"  # that page's title; {title} is the thread's first story's
    tag_feed: str = "Feed for {tag}"
    outlet_kind: str = "Kind"
    outlet_country: str = "Country"
    outlet_website: str = "Website"
    cited_in_one: str = "cited in {count} story"
    cited_in_other: str = "cited in {count} stories"
    provided_one: str = "{count} narrative provided"
    provided_other: str = "{count} narratives provided"
    outlet_usage: str = "{cited}; {provided}"
    all_outlets: str = "All outlets"
    not_found: str = "Page not found"
    not_found_text: str = "There is no page at this address. It may have moved, or the link may be mistyped."
    not_found_links: str = "{home} or {tags}."
    not_found_home: str = "Go to the latest briefings"
    not_found_tags: str = "browse by tag"
    search_unavailable: str = "Search is not available here."
    search_none: str = "No stories match “{query}”."
    search_found_one: str = "{count} story matches “{query}”."
    search_found_other: str = "{count} stories match “{query}”."


@dataclass(frozen=True)
class SiteConfig:
    title: str = "Briefings"
    base_url: str = "http://localhost:8000/"
    language: str = "en"
    description: str = ""
    theme: str = "default"
    output_dir: str = "public"
    per_page: int = 10
    feed_limit: int = 20
    labels: Labels = field(default_factory=Labels)
    unsafe_html: bool = False  # `markdown: {unsafe_html: true}` lets raw HTML through
    search: bool = True  # a Pagefind index of the stories and a search box on every page
    editions: bool = False  # a page and a feed entry for each day's stories (site/editions.py)
    time_zone: str = "UTC"  # an IANA name: the day a story with a time of day belongs to, for editions
    share_cards: bool = True  # a picture of each story's kind, title and site for link previews (pages/cards.py)
    image: str = ""  # link previews of pages without their own image: an http(s) URL or a path on the site
    image_alt: str = ""  # what that image shows; the site's title if not given
    twitter: str = ""  # the site's @handle, for twitter:site
    ignore_warnings: tuple[str, ...] = ()  # warning codes the site has decided to live with
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)  # key written -> its line

    def line(self, key: str) -> int:
        """The line of briefgen.yaml that sets the key; 0 if none does."""
        return self.lines.get(key, 0)

    @cached_property
    def base_path(self) -> str:
        """The path part of base_url, always ending in '/': every internal link starts with it. Worked out
        once per config: every link a build checks asks for it."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    def with_base_url(self, base_url: str) -> SiteConfig:
        return replace(self, base_url=normalize_base_url(base_url))


def warn_default_base_url(site_dir: Path, config: SiteConfig, diagnostics: Diagnostics) -> None:
    """A site that never says where it lives would publish links to localhost: canonical
    links, feeds, the sitemap and robots.txt all carry the base URL."""
    if not config.line("base_url"):
        diagnostics.warning(site_dir / CONFIG_FILE, 0, f"no base_url is set: links in feeds, the sitemap and "
                            f"canonical links point at {config.base_url}",
                            "set `base_url: https://your.address/` in briefgen.yaml, or build with --base-url URL",
                            "default-base-url")


def warn_local_requirement(site_dir: Path, diagnostics: Diagnostics) -> None:
    """A site set up for Netlify whose requirements.txt installs briefgen from a folder on this machine
    (as `init` writes when briefgen was installed from one) cannot deploy: Netlify cannot reach it."""
    if read_file(site_dir / NETLIFY_FILE) is None:
        return
    data = read_file(site_dir / REQUIREMENTS_FILE)
    for number, line in enumerate((data or b"").decode("utf-8", "replace").splitlines(), start=1):
        if LOCAL_BRIEFGEN.match(line):
            diagnostics.warning(site_dir / REQUIREMENTS_FILE, number, "briefgen is installed from a folder on this "
                                "machine, which Netlify cannot reach", "name briefgen's repository instead: "
                                "`briefgen @ git+https://...@commit`", "local-requirement")


NETLIFY_FILE, REQUIREMENTS_FILE = "netlify.toml", "requirements.txt"
LOCAL_BRIEFGEN = re.compile(r"\s*briefgen\s*@\s*(\w+\+)?file:", re.IGNORECASE)  # a folder, or a clone (git+file:)


def normalize_base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"


MAX_NAME_BYTES = 255  # of one file or folder name, on the file systems a site is built on
TWITTER_HANDLE = re.compile(r"@[A-Za-z0-9_]{1,15}")
_EXAMPLES = {"image": "/img/card.png", "image_alt": "The newsroom's logo", "twitter": "'@briefings'"}
_SCALAR_KEYS = {f.name: f.type for f in fields(SiteConfig)
                if f.name not in ("labels", "unsafe_html", "ignore_warnings", "lines")}
_LABEL_KEYS = [f.name for f in fields(Labels)]
TOP_KEYS = [*_SCALAR_KEYS, "labels", "markdown", "ignore_warnings"]


def load_config(site_dir: Path, diagnostics: Diagnostics) -> SiteConfig:
    """Read `briefgen.yaml` if there is one; defaults otherwise."""
    path = site_dir / CONFIG_FILE
    try:
        data = read_file(path)
        if data is None:
            return SiteConfig()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        diagnostics.error(path, 1, f"cannot read the site configuration: {error}",
                          "save briefgen.yaml as UTF-8 text the build can read",
                          "not-utf8" if isinstance(error, UnicodeDecodeError) else "unreadable-file")
        return SiteConfig()
    if not text.strip():
        return SiteConfig()
    parsed = load_mapping(path, text, 1, "the site configuration", diagnostics)
    return SiteConfig() if parsed is None else _read(path, parsed, diagnostics)


def _read(path: Path, config: YamlMapping, diagnostics: Diagnostics) -> SiteConfig:
    values: dict[str, Any] = {}
    for key, value in config.data.items():
        line = config.line(key)
        if key not in TOP_KEYS:
            diagnostics.error(path, line, f"unknown key '{key}' in the site configuration",
                              did_you_mean(str(key), TOP_KEYS), "unknown-key")
        elif key == "labels":
            values["labels"] = _read_labels(path, value, config, diagnostics)
        elif key == "markdown":
            values["unsafe_html"] = _read_markdown(path, value, config, diagnostics)
        elif key == "ignore_warnings":
            values["ignore_warnings"] = _read_ignored(path, value, config, diagnostics)
        else:
            checked = _check_scalar(key, value)
            if isinstance(checked, _Problem):
                diagnostics.error(path, line, checked.message, checked.hint, checked.code)
            else:
                values[key] = checked
    if "base_url" in values:
        values["base_url"] = normalize_base_url(values["base_url"])
    values["labels"] = _labels_for(path, values.get("language", SiteConfig.language), values.get("labels", {}),
                                   config.line("language"), diagnostics)
    written = {key: config.line(key) for key in config.data if key in TOP_KEYS}  # valid or not
    return SiteConfig(**values, lines=written)


def _labels_for(path: Path, language: str, written: dict[str, str], line: int, diagnostics: Diagnostics) -> Labels:
    """The language's built-in labels, with those the site wrote under `labels:` in their place.
    A language with no built-in set reads in English, with a warning at its line."""
    if not i18n.known(language):
        diagnostics.warning(path, line, f"there are no built-in labels for the language '{language}': "
                            "pages show English words",
                            f"built-in languages: {', '.join(i18n.LANGUAGES)} (fr-CA uses fr); "
                            "else translate the labels under `labels:`", "unknown-language")
    return Labels(**{**i18n.builtin_labels(language), **written})


@dataclass(frozen=True)
class _Problem:
    message: str
    hint: str
    code: str  # one of diagnostics.CODES


def _check_scalar(key: str, value: Any) -> Any:
    if key in ("search", "editions", "share_cards"):
        if not isinstance(value, bool):
            example = "true" if key == "editions" else "false"  # the other value than the default
            return _Problem(f"'{key}' must be true or false", f"e.g. `{key}: {example}`", "wrong-type")
        return value
    if key in ("per_page", "feed_limit"):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            return _Problem(f"'{key}' must be a whole number of at least 1", f"e.g. `{key}: 10`",
                            "wrong-type" if isinstance(value, bool) or not isinstance(value, int) else "bad-value")
        return value
    if not isinstance(value, str) or not value.strip():
        return _Problem(f"'{key}' must be a non-empty text",
                        f"e.g. `{key}: {_EXAMPLES.get(key) or repr(getattr(SiteConfig(), key))}`", "wrong-type")
    if key == "image" and not (value.strip().startswith("/") or is_web_address(value.strip())):
        return _Problem("'image' must be an http or https URL, or a path on the site",
                        "e.g. `image: /img/card.png` or `image: https://news.example.org/img/card.png`",
                        "non-http-url")
    if key == "twitter" and not TWITTER_HANDLE.fullmatch(value.strip()):
        return _Problem(f"'twitter' must be an @handle of 1 to 15 letters, digits or underscores, not '{value}'",
                        f"e.g. `twitter: {_EXAMPLES['twitter']}` (quoted: YAML reserves a leading @)", "bad-value")
    if key in ("image", "image_alt", "twitter"):
        return value.strip()
    if key == "base_url" and not is_web_address(value):
        return _Problem("'base_url' must be an http or https URL", "e.g. `base_url: https://news.example.org/`",
                        "non-http-url")
    if key == "time_zone" and not is_time_zone(value):
        return _Problem(f"'time_zone' must name a time zone of the IANA database, not '{value}'",
                        "e.g. `time_zone: Europe/Paris` or `time_zone: America/New_York`", "bad-value")
    if key in ("theme", "output_dir") and value.strip() in (".", ".."):
        return _Problem(f"'{key}' cannot be '{value}'", "", "bad-value")
    if key in ("theme", "output_dir"):
        return _folder_name_problem(key, value) or value
    return value


def is_time_zone(name: str) -> bool:
    try:
        zone_of(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone_of(name: str) -> tzinfo:
    """The time zone an IANA name names (UTC needs no database)."""
    return timezone.utc if name in ("UTC", "Etc/UTC") else ZoneInfo(name)


def _folder_name_problem(key: str, value: str) -> _Problem | None:
    """What file systems would refuse in a folder's name: a NUL, or a part longer than 255 bytes."""
    if "\0" in value:
        return _Problem(f"'{key}' cannot hold a NUL character (\\0)", f"e.g. `{key}: {getattr(SiteConfig(), key)}`",
                        "bad-value")
    if any(len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES for part in Path(value).parts):
        return _Problem(f"'{key}' names a folder longer than {MAX_NAME_BYTES} bytes, which file systems refuse",
                        "choose a shorter name", "bad-value")
    return None


def _read_ignored(path: Path, value: Any, config: YamlMapping, diagnostics: Diagnostics) -> tuple[str, ...]:
    """Warning codes not to report: errors cannot be ignored."""
    if not isinstance(value, list):
        diagnostics.error(path, config.line("ignore_warnings"), "'ignore_warnings' must be a list of warning codes",
                          "e.g. `ignore_warnings: [long-summary]`", "wrong-type")
        return ()
    codes: list[str] = []
    for index, code in enumerate(value):
        if not isinstance(code, str):
            diagnostics.error(path, config.line("ignore_warnings", index),
                              f"'ignore_warnings' lists warning codes, not {type(code).__name__} values",
                              "e.g. `ignore_warnings: [long-summary]`", "wrong-type")
            continue
        if code in WARNING_CODES:
            codes.append(code)
            continue
        what = "an error's code: errors cannot be ignored" if code in CODES else "not a warning's code"
        diagnostics.error(path, config.line("ignore_warnings", index), f"'{code}' is {what}",
                          did_you_mean(str(code), sorted(WARNING_CODES), "warning codes"), "unknown-value")
    return tuple(codes)


def _read_labels(path: Path, value: Any, config: YamlMapping, diagnostics: Diagnostics) -> dict[str, str]:
    """The labels the site sets, by key: they take the place of the language's built-in ones."""
    if not isinstance(value, dict):
        diagnostics.error(path, config.line("labels"), "'labels' must be a mapping of section names",
                          "e.g. `labels: {facts: Key Facts}`", "wrong-type")
        return {}
    labels: dict[str, str] = {}
    for key, text in value.items():
        line = config.line("labels", key)
        if key not in _LABEL_KEYS:
            diagnostics.error(path, line, f"unknown label '{key}'", did_you_mean(str(key), _LABEL_KEYS),
                              "unknown-key")
        elif not isinstance(text, str):
            diagnostics.error(path, line, f"the label '{key}' must be a text",
                              f"e.g. `{key}: {getattr(Labels(), key)}`", "wrong-type")
        else:
            labels[key] = text
    return labels


def _read_markdown(path: Path, value: Any, config: YamlMapping, diagnostics: Diagnostics) -> bool:
    if not isinstance(value, dict) or set(value) - {"unsafe_html"}:
        diagnostics.error(path, config.line("markdown"), "'markdown' takes one key, 'unsafe_html'",
                          "e.g. `markdown: {unsafe_html: true}` to let raw HTML in Markdown through",
                          "unknown-key" if isinstance(value, dict) else "wrong-type")
        return False
    unsafe = value.get("unsafe_html", False)
    if not isinstance(unsafe, bool):
        diagnostics.error(path, config.line("markdown", "unsafe_html"), "'unsafe_html' must be true or false",
                          "write `unsafe_html: true` to let raw HTML through, or leave it out", "wrong-type")
        return False
    return unsafe


def closest(word: str, choices: list[str]) -> str | None:
    """The known choice the word most likely misspells, if any is close enough."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices: list[str], kind: str = "keys") -> str:
    """A hint sentence: the closest known choice, or the list of them."""
    close = closest(word, choices)
    if close is not None:
        return f"did you mean '{close}'?"
    return f"known {kind}: {', '.join(choices)}." if choices else f"there are no {kind}."

"""What a careful editor would flag: warnings, never errors, each with a stable code.

They are part of every build and of `briefgen check` alike, so `build --strict` fails
on what `check --strict` fails on. Two kinds, by what they need to know:

- a story's own (`story_warnings`) run as the story is rendered, so a story read back
  from the cache brings its warnings with it;
- the site-wide ones (`site_warnings`) compare stories with each other or with the
  outlet registry, over the stories' small entries, on every build.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from functools import lru_cache

from briefgen.core.diagnostics import Diagnostics
from briefgen.core.slug import slugify
from briefgen.settings.config import SiteConfig
from briefgen.settings.outlets import OUTLETS_FILE, Registry
from briefgen.story.entry import StoryEntry
from briefgen.story.render import RenderedStory

SUMMARY_CARD_LENGTH = 200  # about what a feed reader's card shows of a summary

# What `briefgen new` writes for the writer to replace (commands/scaffold.py): each still there is a warning.
PLACEHOLDERS = ("One paragraph that tells the whole story", "Name of the outlet",
                "https://example.org/the-article-this-comes-from",
                "The first fact, stated plainly.", "One side's account", "Who tells it", "The story as this side",
                "The other side's account", "Who tells that", "The story as the other side",
                "The strongest counter-view, in fairness",
                "What a reader needs to know to understand the story.")


def story_warnings(rendered: RenderedStory, diagnostics: Diagnostics, text: str) -> None:
    """A story's own warnings; `text`, the file's text, places each placeholder at its own line."""
    _warn_placeholders(rendered, diagnostics, text)
    _warn_facts_without_source(rendered, diagnostics)
    _warn_narratives(rendered, diagnostics)
    _warn_long_summary(rendered, diagnostics)


def site_warnings(config: SiteConfig, registry: Registry | None, entries: list[StoryEntry],
                  published: list[StoryEntry], diagnostics: Diagnostics, unread: frozenset[str] = frozenset()) -> None:
    """The checks against the registry and across stories (`serve` may keep an older Site: these are
    fresh entries). An outlet the registry lacks is the story's own problem, reported for every story,
    drafts and those dated later too, so `build --strict` and `check --strict` agree on it; links and
    tags are judged among the `published` stories, as readers will find them.

    They run while other files have errors too, so a writer sees every problem at once; only what
    an error leaves unknown waits: outlets while the registry has errors (`registry` None), and
    links to the `unread` slugs, those of story files that could not be read."""
    if registry is not None and registry.present:
        for entry in entries:
            _warn_unknown_outlets(entry, registry, diagnostics)
    slugs = {entry.slug for entry in published} | unread
    for entry in published:
        _warn_unknown_story_links(entry, config, slugs, diagnostics)
    _warn_similar_tags(published, diagnostics)


def _warn_placeholders(rendered: RenderedStory, diagnostics: Diagnostics, file_text: str) -> None:
    """Text `briefgen new` wrote for the writer to replace, still there: at the line it is on, found
    from the line of the key or list item that holds it."""
    story = rendered.story
    texts = [(story.summary, story.lines.get("summary", 1)), (story.body, story.body_line)]
    texts += [(text, source.line) for source in story.sources for text in (source.outlet, source.url or "")]
    texts += [(fact.text, fact.line) for fact in story.facts]
    texts += [(text, narrative.line) for narrative in story.narratives
              for text in (narrative.label, narrative.provider or "", narrative.text)]
    texts += [(story.contra.text, story.contra.line)] if story.contra else []
    for text, line in texts:
        for placeholder in PLACEHOLDERS:
            if placeholder in text:
                diagnostics.warning(story.path, line_holding(placeholder, file_text, line),
                                    f"'{placeholder}' is still the text `briefgen new` wrote",
                                    "replace it with the story's own", "scaffold-placeholder")


def line_holding(text: str, file_text: str, start: int) -> int:
    """The first line of the file from `start` (a key's or a list item's) on that holds `text`; `start`
    if none does (it is folded over lines). Split only when asked, not for every story of a build."""
    lines = file_text.splitlines()
    return next((number for number in range(start, len(lines) + 1) if text in lines[number - 1]), start)


def _warn_facts_without_source(rendered: RenderedStory, diagnostics: Diagnostics) -> None:
    story = rendered.story
    for fact, cited in zip(story.facts, rendered.facts_sources):
        if not cited:
            diagnostics.warning(story.path, fact.line, "the fact cites no source",
                                "list where it comes from under `sources:`, or cite inline with [^id]",
                                "fact-without-source")


def _warn_narratives(rendered: RenderedStory, diagnostics: Diagnostics) -> None:
    story = rendered.story
    line = story.lines.get("narratives", 1)
    narratives = story.narratives
    hint = "narratives tell the story as each side tells it; give the other side's too"
    if not narratives and story.kind == "news":
        diagnostics.warning(story.path, line, "the story tells no narrative: no side's account of it",
                            "add `narratives:`, each a side's `label`, `provider` and `text` "
                            "(opinion and analysis need none)", "no-narratives")
    elif len(narratives) == 1:
        diagnostics.warning(story.path, line, f"the story tells only one narrative, '{narratives[0].label}'",
                            hint, "single-narrative")
    providers = {n.provider.casefold() for n in narratives if n.provider}
    if len(narratives) > 1 and len(providers) == 1 and all(n.provider for n in narratives):
        diagnostics.warning(story.path, line,
                            f"all {len(narratives)} narratives come from one provider, "
                            f"'{narratives[0].provider}'", hint, "single-narrative")


def _warn_long_summary(rendered: RenderedStory, diagnostics: Diagnostics) -> None:
    length = len(rendered.summary_text)
    if length > SUMMARY_CARD_LENGTH:
        story = rendered.story
        diagnostics.warning(story.path, story.lines.get("summary", 1),
                            f"the summary is {length} characters; a feed card shows about "
                            f"{SUMMARY_CARD_LENGTH}",
                            "keep the lede to a sentence or two; the facts and the text can carry the rest",
                            "long-summary")


def _warn_unknown_outlets(entry: StoryEntry, registry: Registry, diagnostics: Diagnostics) -> None:
    """With a registry, an outlet or provider it does not know is likely a slip (or a missing entry)."""
    named = [(name, line, "outlet") for name, line in zip(entry.cited, entry.cited_lines)]
    named += [(name, line, "provider") for name, line in zip(entry.providers, entry.provider_lines)]
    for name, line, role in named:
        if registry.resolve(name) is None:
            diagnostics.warning(entry.path, line, f"the {role} '{name}' is not in {OUTLETS_FILE}",
                                f"{registry.suggestion(name)} Add it to {OUTLETS_FILE} to show readers who it is.",
                                "unknown-outlet")


def _warn_unknown_story_links(entry: StoryEntry, config: SiteConfig, slugs: set[str],
                              diagnostics: Diagnostics) -> None:
    for href, line in entry.links:
        slug = story_slug_of(href, config)
        if slug is not None and slug not in slugs:
            diagnostics.warning(entry.path, line, f"the link '{href}' goes to no story: there is no slug '{slug}'",
                                _closest_slug_hint(slug, slugs), "unknown-story-link")


def _closest_slug_hint(slug: str, slugs: set[str]) -> str:
    close = difflib.get_close_matches(slug, sorted(slugs), n=1, cutoff=0.6)
    where = f"did you mean '{close[0]}'? " if close else ""
    return f"{where}A story's address is /<slug>/: its file name, unless it sets `slug:`."


def story_slug_of(href: str, config: SiteConfig) -> str | None:
    """The slug a link names if it points at a story page (`/slug/`, `../slug/`, the site's address)."""
    return _slug_of(href, config.base_url, config.base_path)


@lru_cache(maxsize=65536)
def _slug_of(href: str, base_url: str, base_path: str) -> str | None:
    """story_slug_of, once per link: every build asks it of every link of every story."""
    if href.startswith(base_url):
        rest = href[len(base_url):]
    elif _ELSEWHERE.match(href):
        return None  # another site (a scheme, or "//host"): most links, so no URL parsing for them
    else:
        path = _path_of(href)
        prefix = next((p for p in (base_path, "../") if path.startswith(p)), None)
        if prefix is None:
            return None
        rest = path[len(prefix):]
    slug = _path_of(rest).removesuffix("/")
    if not slug or "/" in slug or "." in slug or slug in ("tags", "page", "outlets"):
        return None  # the home page, a tag, outlet or list page, a feed or another file
    return slug


_ELSEWHERE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|//")


def _path_of(href: str) -> str:
    """A scheme-less link's path: what comes before its query and fragment."""
    return href.split("#", 1)[0].split("?", 1)[0]


def _warn_similar_tags(stories: list[StoryEntry], diagnostics: Diagnostics) -> None:
    """Spellings of one tag that differ by case, punctuation or plural: name the most used."""
    uses = Counter(name for entry in stories for name in entry.tags)  # counted first: a few thousand names
    spellings: dict[str, list[str]] = {}
    for name in uses:
        spellings.setdefault(tag_key(name), []).append(name)
    preferred = {key: min(names, key=lambda name: (-uses[name], name))
                 for key, names in spellings.items() if len(names) > 1}
    if not preferred:
        return
    for entry in stories:
        for name in entry.tags:
            usual = preferred.get(tag_key(name))
            if usual is not None and name != usual:
                diagnostics.warning(entry.path, entry.tags_line,
                                    f"the tag '{name}' differs from '{usual}' only by case, punctuation "
                                    "or plural", f"use one spelling everywhere: `{usual}` is the most used",
                                    "similar-tags")


@lru_cache(maxsize=4096)
def tag_key(name: str) -> str:
    """What is left of a tag when case, punctuation and plural endings are set aside."""
    return "-".join(_singular(word) for word in slugify(name).split("-"))


def _singular(word: str) -> str:
    if len(word) <= 3:
        return word  # "us", "gas", "bus": too short to tell
    if word.endswith("ies"):
        return word[:-3] + "y"
    if re.search(r"(s|x|z|ch|sh)es$", word):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word

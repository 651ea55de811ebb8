"""`briefgen check`: everything the build validates, plus what a careful editor would flag.

The build's own stages run, up to planning pages (no templates, nothing
written), with drafts and future stories included: a writer checks a story
before it is published. Then come the editorial warnings, each with a stable
code for tools and CI.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefgen.build import BuildOptions, generate
from briefgen.config import SiteConfig
from briefgen.diagnostics import Diagnostic, Diagnostics
from briefgen.markdown import ENV_KEY, Citations, citation_refs, make_parser
from briefgen.model import Story
from briefgen.outlets import NO_REGISTRY, OUTLETS_FILE, Registry
from briefgen.render import RenderedStory
from briefgen.scaffold import PLACEHOLDERS
from briefgen.slug import slugify

SUMMARY_CARD_LENGTH = 200  # about what a feed reader's card shows of a summary


@dataclass(frozen=True)
class CheckResult:
    diagnostics: Diagnostics
    stories: int

    def failed(self, strict: bool) -> bool:
        return bool(self.diagnostics.errors or (strict and self.diagnostics.warnings))


def check_site(site_dir: Path, now: datetime | None = None) -> CheckResult:
    """Run the build's checks on every story, drafts and future ones too, then the editorial ones."""
    options = BuildOptions(site_dir=site_dir, drafts=True, future=True, now=now, templates=False)
    result = generate(options)
    if result.site is None or result.store is None:
        return CheckResult(result.diagnostics, 0)
    store = result.store
    stories = tuple(rendered for entry in result.site.stories
                    if (rendered := store.rendered(entry.key)) is not None)
    editorial_warnings(result.site.config, stories, result.diagnostics, result.site.registry)
    return CheckResult(result.diagnostics, len(result.site.stories))


def editorial_warnings(config: SiteConfig, stories: tuple[RenderedStory, ...], diagnostics: Diagnostics,
                       registry: Registry = NO_REGISTRY) -> None:
    md = make_parser(config.unsafe_html)
    slugs = sorted(rendered.story.slug for rendered in stories)
    for rendered in stories:
        story = rendered.story
        if registry.present:
            _warn_unknown_outlets(story, registry, diagnostics)
        _warn_placeholders(story, diagnostics)
        _warn_facts_without_source(story, md, diagnostics)
        _warn_single_narrative(story, diagnostics)
        _warn_long_summary(rendered, diagnostics)
        _warn_unknown_story_links(story, md, config, slugs, diagnostics)
    _warn_similar_tags(stories, diagnostics)


def _warn_placeholders(story: Story, diagnostics: Diagnostics) -> None:
    """Text `briefgen new` wrote for the writer to replace, still there."""
    texts = [(story.summary, story.lines.get("summary", 1)), (story.body, story.body_line)]
    texts += [(text, source.line) for source in story.sources for text in (source.outlet, source.url or "")]
    texts += [(fact.text, fact.line) for fact in story.facts]
    texts += [(story.contra.text, story.contra.line)] if story.contra else []
    for text, line in texts:
        for placeholder in PLACEHOLDERS:
            if placeholder in text:
                diagnostics.warning(story.path, line, f"'{placeholder}' is still the text `briefgen new` wrote",
                                    "replace it with the story's own", "scaffold-placeholder")


def _warn_unknown_outlets(story: Story, registry: Registry, diagnostics: Diagnostics) -> None:
    """With a registry, an outlet or provider it does not know is likely a slip (or a missing entry)."""
    named = [(source.outlet, source.line, "outlet") for source in story.sources]
    named += [(n.provider, n.line, "provider") for n in story.narratives if n.provider]
    for name, line, role in named:
        if registry.resolve(name) is None:
            diagnostics.warning(story.path, line, f"the {role} '{name}' is not in {OUTLETS_FILE}",
                                f"{registry.suggestion(name)} Add it to {OUTLETS_FILE} to show readers who it is.",
                                "unknown-outlet")


def _warn_facts_without_source(story: Story, md: MarkdownIt, diagnostics: Diagnostics) -> None:
    source_ids = {source.id for source in story.sources}
    for fact in story.facts:
        inline = {label for label, _ in citation_refs(_parse(md, story, fact.text, inline=True))}
        if not fact.sources and not inline & source_ids:
            diagnostics.warning(story.path, fact.line, "the fact cites no source",
                                "list where it comes from under `sources:`, or cite inline with [^id]",
                                "fact-without-source")


def _warn_single_narrative(story: Story, diagnostics: Diagnostics) -> None:
    line = story.lines.get("narratives", 1)
    narratives = story.narratives
    hint = "narratives tell the story as each side tells it; give the other side's too"
    if len(narratives) == 1:
        diagnostics.warning(story.path, line, f"the story tells only one narrative, '{narratives[0].label}'",
                            hint, "single-narrative")
        return
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


def _warn_unknown_story_links(story: Story, md: MarkdownIt, config: SiteConfig, slugs: list[str],
                              diagnostics: Diagnostics) -> None:
    for href, line in _links(story, md):
        slug = story_slug_of(href, config)
        if slug is not None and slug not in slugs:
            diagnostics.warning(story.path, line, f"the link '{href}' goes to no story: there is no slug '{slug}'",
                                _closest_slug_hint(slug, slugs),
                                "unknown-story-link")


def _closest_slug_hint(slug: str, slugs: list[str]) -> str:
    close = difflib.get_close_matches(slug, slugs, n=1, cutoff=0.6)
    where = f"did you mean '{close[0]}'? " if close else ""
    return f"{where}A story's address is /<slug>/: its file name, unless it sets `slug:`."


def story_slug_of(href: str, config: SiteConfig) -> str | None:
    """The slug a link names if it points at a story page (`/slug/`, `../slug/`, the site's address)."""
    if href.startswith(config.base_url):
        rest = href[len(config.base_url):]
    else:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return None
        prefix = next((p for p in (config.base_path, "../") if parts.path.startswith(p)), None)
        if prefix is None:
            return None
        rest = parts.path[len(prefix):]
    slug = urlsplit(rest).path.removesuffix("/")
    if not slug or "/" in slug or "." in slug or slug in ("tags", "page"):
        return None  # the home page, a tag or list page, a feed or another file
    return slug


def _links(story: Story, md: MarkdownIt) -> Iterator[tuple[str, int]]:
    """Every link's address in the story's Markdown, with the file line it stands on."""
    parts: list[tuple[str, int, bool, bool]] = [
        (story.summary, story.lines.get("summary", 1), True, False),
        *((fact.text, fact.line, True, False) for fact in story.facts),
        *((n.text, n.line, False, False) for n in story.narratives),
        *([(story.contra.text, story.contra.line, False, False)] if story.contra else []),
        (story.body, story.body_line, False, True),
    ]
    for text, line, inline, exact in parts:
        for token in _parse(md, story, text, inline):
            for child in token.children or []:
                href = child.attrGet("href") if child.type == "link_open" else None
                if isinstance(href, str):
                    yield href, line + (_line_in(token, href) if exact else 0)


def _line_in(token: Token, href: str) -> int:
    start = (token.map or [0])[0]
    at = token.content.find(href)
    return start + token.content.count("\n", 0, max(at, 0))


def _parse(md: MarkdownIt, story: Story, text: str, inline: bool) -> list[Token]:
    env = {ENV_KEY: Citations(story.sources)}
    return md.parseInline(text, env) if inline else md.parse(text, env)


def _warn_similar_tags(stories: tuple[RenderedStory, ...], diagnostics: Diagnostics) -> None:
    """Spellings of one tag that differ by case, punctuation or plural: name the most used."""
    spellings: dict[str, Counter[str]] = {}
    for rendered in stories:
        for name in rendered.story.tags:
            spellings.setdefault(tag_key(name), Counter())[name] += 1
    preferred = {key: min(counts, key=lambda name: (-counts[name], name))
                 for key, counts in spellings.items() if len(counts) > 1}
    for rendered in stories:
        story = rendered.story
        for name in story.tags:
            usual = preferred.get(tag_key(name))
            if usual is not None and name != usual:
                diagnostics.warning(story.path, story.lines.get("tags", 1),
                                    f"the tag '{name}' differs from '{usual}' only by case, punctuation "
                                    "or plural", f"use one spelling everywhere: `{usual}` is the most used",
                                    "similar-tags")


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


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    return {"path": diagnostic.path, "line": diagnostic.line, "severity": diagnostic.severity.value,
            "code": diagnostic.code or None, "message": diagnostic.message, "hint": diagnostic.hint}


def report_json(result: CheckResult) -> str:
    diagnostics = result.diagnostics
    return json.dumps({"stories": result.stories, "errors": len(diagnostics.errors),
                       "warnings": len(diagnostics.warnings),
                       "diagnostics": [diagnostic_json(d) for d in diagnostics.sorted()]},
                      ensure_ascii=False, indent=2)

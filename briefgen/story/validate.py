"""Front matter in, a typed Story out: the rules of the briefing model.

Each broken rule is reported against the line of the offending key or item.
Citations written inside Markdown (`[^id]`) are checked later, by the render
stage, which is the one that parses Markdown.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from briefgen.core.diagnostics import Diagnostics
from briefgen.core.frontmatter import FrontMatter, KeyPath
from briefgen.core.model import KINDS_OF_WORK, Author, Contra, Correction, Fact, Moment, Narrative, Source, Story
from briefgen.core.slug import SLUG, slug_problem
from briefgen.settings.config import did_you_mean
from briefgen.story.reader import StoryReader, describe

MAX_TAGS = 100  # each tag's page and feed lists the story with all its tags: n tags cost n² without a bound
STORY_KEYS = ["title", "date", "updated", "expires", "slug", "summary", "tags", "authors", "dateline",
              "language", "draft", "sources", "facts", "narratives", "contra", "credit", "image", "image_alt", "extra",
              "corrections", "follows", "kind"]
REQUIRED_KEYS = ["title", "date", "summary", "facts"]
SOURCE_KEYS = ["id", "outlet", "title", "url", "author", "date", "paywall"]
FACT_KEYS = ["text", "sources"]
NARRATIVE_KEYS = ["label", "provider", "url", "text"]
CONTRA_KEYS = ["text", "sources"]
CORRECTION_KEYS = ["date", "text"]
AUTHOR_KEYS = ["name", "url"]

SOURCE_ID = re.compile(r"^[a-z0-9-]+$")


def validate(path: Path, slug_default: str, front: FrontMatter, diagnostics: Diagnostics) -> Story | None:
    """Turn front matter into a Story, or None when any error was reported."""
    reader = StoryReader(path, front, diagnostics)
    data = front.mapping.data
    reader.check_keys(data, (), STORY_KEYS, "the front matter")
    for key in REQUIRED_KEYS:
        if key not in data:
            reader.error((), f"the required key '{key}' is missing", _REQUIRED_HINTS[key], "missing-key")
    title = reader.text(data.get("title"), ("title",), "the title", required="title" in data)
    published = reader.moment(data["date"], ("date",), "'date'") if "date" in data else None
    updated = reader.moment(data["updated"], ("updated",), "'updated'") if data.get("updated") is not None else None
    if published and updated and updated < published:
        reader.error(("updated",), "'updated' is earlier than 'date'",
                     "a story can only be updated after it was published", "updated-before-date")
    expires = reader.moment(data["expires"], ("expires",), "'expires'") if data.get("expires") is not None else None
    if published and expires and expires <= published:
        reader.error(("expires",), "'expires' is not later than 'date'",
                     "an expired story leaves lists and feeds; give the day it should leave them, "
                     "after it is published", "expires-before-date")
    summary = reader.text(data.get("summary"), ("summary",), "the summary", required="summary" in data)
    slug = _slug(reader, data.get("slug"), slug_default)
    sources = _sources(reader, data.get("sources"))
    by_id = {source.id: source for source in sources}
    facts = _facts(reader, data.get("facts"), by_id) if "facts" in data else ()
    narratives = _narratives(reader, data.get("narratives"))
    contra = _contra(reader, data.get("contra"), by_id)
    corrections = _corrections(reader, data.get("corrections"), published)
    if corrections and (updated is None or updated < corrections[-1].date):
        updated = corrections[-1].date  # a correction updates the story
    extra = data.get("extra") or {}
    if not isinstance(extra, dict):
        reader.error(("extra",), "'extra' must be a mapping of your own keys",
                     "e.g. `extra: {desk: Asia}`", "wrong-type")
    story = Story(
        path=path, slug=slug or slug_default, title=title or "", date=published or Moment.from_date(date.min),
        summary=summary or "", facts=facts, body=front.body, body_line=front.body_line, updated=updated,
        expires=expires,
        tags=_tags(reader, data.get("tags")), authors=_authors(reader, data.get("authors")),
        dateline=reader.text(data.get("dateline"), ("dateline",), "the dateline", required=False),
        language=_language(reader, data.get("language")),
        draft=reader.boolean(data.get("draft"), ("draft",), "'draft'"),
        sources=sources, narratives=narratives, contra=contra,
        credit=reader.text(data.get("credit"), ("credit",), "the credit", required=False),
        image=_image(reader, data.get("image")),
        image_alt=reader.text(data.get("image_alt"), ("image_alt",), "the image's alt text", required=False),
        extra=extra if isinstance(extra, dict) else {},
        lines={str(key[0]): line for key, line in front.mapping.lines.items() if len(key) == 1},
        broken_sources=frozenset(reader.broken_sources),
        corrections=corrections, follows=_follows(reader, data.get("follows")), kind=_kind(reader, data.get("kind")),
    )
    # A story with errors is still rendered when it is whole enough, so that its
    # citation errors are reported in the same build; the errors stop the build.
    whole = bool(title and published and summary is not None and facts)
    return story if whole else None


_REQUIRED_HINTS = {
    "title": "add `title: ...`, the story's headline",
    "date": "add `date: 2024-03-25`, the day the story is published",
    "summary": "add `summary: ...`, one paragraph that tells the story",
    "facts": "add `facts:` with at least one item, e.g. `- text: ...` and `sources: [id]`",
}


def _corrections(reader: StoryReader, value: Any, published: Moment | None) -> tuple[Correction, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        reader.error(("corrections",), f"'corrections' must be a list, not {describe(value)}",
                     "e.g. `- {date: 2024-03-26, text: An earlier version gave the wrong figure.}`", "wrong-type")
        return ()
    corrections: list[Correction] = []
    for index, item in enumerate(value):
        key_path: KeyPath = ("corrections", index)
        if not isinstance(item, dict):
            reader.error(key_path, f"a correction must be a mapping with 'date' and 'text', not {describe(item)}",
                         "e.g. `- {date: 2024-03-26, text: An earlier version gave the wrong figure.}`",
                         "wrong-type")
            continue
        reader.check_keys(item, key_path, CORRECTION_KEYS, "a correction")
        text = reader.text(item.get("text"), key_path + ("text",), "the correction's 'text'")
        if item.get("date") is None:
            reader.error(key_path, "the correction has no date", "add `date: ...`, the day it was corrected",
                         "missing-key")
            continue
        when = reader.moment(item["date"], key_path + ("date",), "the correction's 'date'")
        if when is not None and published is not None and _before(when, published):
            reader.error(key_path + ("date",), f"the correction is dated {when.day.isoformat()}, before the story "
                         f"({published.day.isoformat()})", "a story can only be corrected after it is published",
                         "correction-before-date")
        elif when is not None and text is not None:
            corrections.append(Correction(when, text, reader.mapping.line(*key_path)))
    return tuple(sorted(corrections, key=lambda correction: correction.date))


def _before(when: Moment, published: Moment) -> bool:
    """Earlier in time; a plain date is only earlier when its day is, so a story may be corrected on its day."""
    if when.has_time and published.has_time:
        return when.instant < published.instant
    return when.day < published.day


def _follows(reader: StoryReader, value: Any) -> str | None:
    if value is None:
        return None
    slug = reader.text(value, ("follows",), "'follows'")
    if slug is not None and not SLUG.fullmatch(slug):
        reader.error(("follows",), f"'follows' must be the slug of an earlier story, not '{slug}'",
                     "e.g. `follows: us-japan-security-pact`", "bad-slug")
        return None
    return slug


def _kind(reader: StoryReader, value: Any) -> str:
    if value is None:
        return "news"
    if value not in KINDS_OF_WORK:
        reader.error(("kind",), f"unknown kind of work '{value}'",
                     did_you_mean(str(value), list(KINDS_OF_WORK), "kinds"), "unknown-value")
        return "news"
    return str(value)


def _image(reader: StoryReader, value: Any) -> str | None:
    """A link-preview image: an http(s) address, or a path on the site such as /img/quay.jpg."""
    if isinstance(value, str) and value.strip().startswith("/"):
        return value.strip()
    return reader.url(value, ("image",), "the 'image'", "non-http-url")


def _slug(reader: StoryReader, value: Any, default: str) -> str | None:
    key_path: KeyPath = ("slug",) if value is not None else ()
    slug = default if value is None else reader.text(value, ("slug",), "the slug")
    if slug is None:
        return None
    problem = slug_problem(slug, "the slug" if value is not None else "the file name (the default slug)")
    if problem is not None:
        message, hint = problem
        reader.error(key_path, message, hint, "bad-slug")
        return None
    return slug


def _sources(reader: StoryReader, value: Any) -> tuple[Source, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        reader.error(("sources",), f"'sources' must be a list, not {describe(value)}",
                     "each item has an `id` and an `outlet`", "wrong-type")
        return ()
    sources: list[Source] = []
    seen: set[str] = set()
    for index, item in enumerate(value):
        key_path: KeyPath = ("sources", index)
        if not isinstance(item, dict):
            reader.error(key_path, f"a source must be a mapping with 'id' and 'outlet', not {describe(item)}",
                         "e.g. `- {id: forbes, outlet: Forbes}`", "wrong-type")
            continue
        reader.check_keys(item, key_path, SOURCE_KEYS, "a source")
        source_id = reader.text(item.get("id"), key_path + ("id",), "the source's 'id'")
        outlet = reader.text(item.get("outlet"), key_path + ("outlet",), "the source's 'outlet'")
        if source_id is not None and not SOURCE_ID.match(source_id):
            reader.error(key_path + ("id",), f"the source id '{source_id}' may hold only a-z, 0-9 and '-'",
                         "e.g. `id: japan-times`", "bad-id")
            source_id = None
        if source_id is not None and source_id in seen:
            reader.error(key_path + ("id",), f"the source id '{source_id}' is used twice",
                         "each source needs an id of its own", "duplicate-id")
            continue
        if source_id is None or outlet is None:
            misspelt_id = reader.misspelt.get(key_path + ("id",))
            broken_id = item[misspelt_id] if misspelt_id is not None else source_id
            if broken_id is not None:
                reader.broken_sources.add(str(broken_id))
            continue
        seen.add(source_id)
        sources.append(Source(
            id=source_id, outlet=outlet, line=reader.mapping.line(*key_path),
            title=reader.text(item.get("title"), key_path + ("title",), "the source's title", required=False),
            url=reader.url(item.get("url"), key_path + ("url",), "the source's 'url'", "non-http-source-url"),
            author=reader.text(item.get("author"), key_path + ("author",), "the source's author", required=False),
            date=reader.moment(item["date"], key_path + ("date",), "the source's 'date'")
            if item.get("date") is not None else None,
            paywall=reader.boolean(item.get("paywall"), key_path + ("paywall",), "'paywall'"),
        ))
    return tuple(sources)


def _facts(reader: StoryReader, value: Any, sources: dict[str, Source]) -> tuple[Fact, ...]:
    if not isinstance(value, list) or not value:
        reader.error(("facts",), "'facts' must be a list with at least one fact",
                     "e.g. `- text: ...` with `sources: [id]`, or `- \"... [^id]\"`",
                     "missing-key" if value is None or value == [] else "wrong-type")
        return ()
    facts: list[Fact] = []
    for index, item in enumerate(value):
        key_path: KeyPath = ("facts", index)
        cited: tuple[str, ...] = ()
        if isinstance(item, str):
            text = item
        elif isinstance(item, dict):
            reader.check_keys(item, key_path, FACT_KEYS, "a fact")
            text = reader.text(item.get("text"), key_path + ("text",), "the fact's 'text'") or ""
            cited = reader.id_list(item.get("sources"), key_path + ("sources",), sources)
        else:
            reader.error(key_path, f"a fact must be a text or a mapping with 'text', not {describe(item)}",
                         "e.g. `- text: ...` with `sources: [id]`, or `- \"... [^id]\"`", "wrong-type")
            continue
        facts.append(Fact(text.strip(), cited, reader.mapping.line(*key_path)))
    return tuple(facts)


def _narratives(reader: StoryReader, value: Any) -> tuple[Narrative, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        reader.error(("narratives",), f"'narratives' must be a list, not {describe(value)}",
                     "each item has a `label`, a `provider` and a `text`", "wrong-type")
        return ()
    narratives: list[Narrative] = []
    for index, item in enumerate(value):
        key_path: KeyPath = ("narratives", index)
        if not isinstance(item, dict):
            reader.error(key_path, "a narrative must be a mapping with 'label', 'provider' and 'text'",
                         "e.g. `- label: ...` with `provider: ...` and `text: ...` indented below it", "wrong-type")
            continue
        reader.check_keys(item, key_path, NARRATIVE_KEYS, "a narrative")
        label = reader.text(item.get("label"), key_path + ("label",), "the narrative's 'label'")
        text = reader.text(item.get("text"), key_path + ("text",), "the narrative's 'text'")
        provider = reader.text(item.get("provider"), key_path + ("provider",), "the provider", required=False)
        if provider is None and "provider" not in item:
            reader.warning(key_path, f"the narrative '{label}' has no provider",
                           "say who tells it this way: `provider: ...` is shown as 'as provided by ...'",
                           "narrative-without-provider")
        if label is not None and text is not None:
            narratives.append(Narrative(label, provider, reader.url(item.get("url"), key_path + ("url",),
                                                                    "the narrative's 'url'", "non-http-url"),
                                        text, reader.mapping.line(*key_path)))
    return tuple(narratives)


def _contra(reader: StoryReader, value: Any, sources: dict[str, Source]) -> Contra | None:
    line = reader.mapping.line("contra")
    if value is None:
        reader.warning((), "the story has no contra section",
                       "every story should give the counter-view: add `contra: ...`", "no-contra")
        return None
    if isinstance(value, str):
        return Contra(value.strip(), (), line) if value.strip() else None
    if not isinstance(value, dict):
        reader.error(("contra",), f"'contra' must be a text or a mapping with 'text', not {describe(value)}",
                     "e.g. `contra: ...`, or `text: ...` and `sources: [id]` under `contra:`", "wrong-type")
        return None
    reader.check_keys(value, ("contra",), CONTRA_KEYS, "the contra")
    text = reader.text(value.get("text"), ("contra", "text"), "the contra's 'text'")
    cited = reader.id_list(value.get("sources"), ("contra", "sources"), sources)
    return Contra(text, cited, line) if text else None


LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")  # BCP 47, as pages' `lang` takes it: en, pt-BR


def _language(reader: StoryReader, value: Any) -> str | None:
    """A story's own language, for its `lang`: a screen reader reads an English story on a French site
    with an English voice."""
    tag = reader.text(value, ("language",), "the language", required=False)
    if tag is not None and not LANGUAGE_TAG.fullmatch(tag):
        reader.error(("language",), f"'{tag}' is not a language tag", "e.g. `language: en` or `language: pt-BR`",
                     "bad-value")
        return None
    return tag


def _tags(reader: StoryReader, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        reader.error(("tags",), f"'tags' must be a list or a comma-separated text, not {describe(value)}",
                     "e.g. `tags: [Japan, Defense]`", "wrong-type")
        return ()
    if len(value) > MAX_TAGS:
        reader.error(("tags", MAX_TAGS), f"a story may have at most {MAX_TAGS} tags, not {len(value):,}",
                     "a tag is a way in for readers: keep the few they would look for", "bad-value")
        return ()
    tags: dict[str, None] = {}  # in the writer's order, each once
    for index, item in enumerate(value):
        if not isinstance(item, (str, int, float)) or isinstance(item, bool):
            reader.error(("tags", index), f"a tag must be a text, not {describe(item)}",
                         "e.g. `tags: [Japan, Defense]`", "wrong-type")
        elif str(item).strip():
            tags[str(item).strip()] = None
    return tuple(tags)


def _authors(reader: StoryReader, value: Any) -> tuple[Author, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, dict)):
        value = [value]
    if not isinstance(value, list):
        reader.error(("authors",), "'authors' must be a list of names or of {name, url}",
                     "e.g. `authors: [Zachary Folk]`", "wrong-type")
        return ()
    authors: list[Author] = []
    for index, item in enumerate(value):
        key_path: KeyPath = ("authors", index)
        if isinstance(item, str) and item.strip():
            authors.append(Author(item.strip()))
        elif isinstance(item, dict):
            reader.check_keys(item, key_path, AUTHOR_KEYS, "an author")
            name = reader.text(item.get("name"), key_path + ("name",), "the author's name")
            url = reader.url(item.get("url"), key_path + ("url",), "the author's 'url'", "non-http-url")
            if name:
                authors.append(Author(name, url))
        else:
            reader.error(key_path, f"an author must be a name or {{name, url}}, not {describe(item)}",
                         "e.g. `- Zachary Folk` or `- {name: Zachary Folk, url: https://...}`", "wrong-type")
    return tuple(authors)



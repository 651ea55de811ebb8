"""`briefgen new`: a story file that builds as it is, for the writer to fill in.

It is a draft, so that a build publishes it only once the writer removes the mark;
`briefgen check` flags the placeholders still in it (story/editorial.py, PLACEHOLDERS).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from briefgen.core.slug import slugify

TEMPLATE = """\
---
title: {title}
date: {today}
draft: true  # remove this line to publish the story
summary: >-
  One paragraph that tells the whole story: who, what, when, where and why.
tags: []
sources:
  - id: first-source
    outlet: Name of the outlet
    url: https://example.org/the-article-this-comes-from
facts:
  - text: The first fact, stated plainly.
    sources: [first-source]
narratives:
  - label: One side's account
    provider: Who tells it
    text: The story as this side tells it.
  - label: The other side's account
    provider: Who tells that
    text: The story as the other side tells it.
contra: >-
  The strongest counter-view, in fairness to those who hold it.
---
## Key background

What a reader needs to know to understand the story.
"""


def story_path(content_dir: Path, title: str, another: bool = False) -> tuple[Path, Path | None]:
    """`content/<slug>.md` for the title, and the story already there under that name (compared ignoring
    case, as hosts may), if any. With `another`, -2, -3 ... are added until no story has the name."""
    base = slugify(title) or "story"
    taken = {path.stem.casefold(): path for path in content_dir.glob("*.md")} if content_dir.is_dir() else {}
    slug, number = base, 1
    while another and slug.casefold() in taken:
        number += 1
        slug = f"{base}-{number}"
    return content_dir / f"{slug}.md", taken.get(slug.casefold())


def new_story(path: Path, title: str, today: date) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:  # "x": never overwrite a writer's file
        file.write(TEMPLATE.format(title=yaml_string(title), today=today.isoformat()))


def yaml_string(text: str) -> str:
    """`text` as one double-quoted YAML scalar: safe whatever punctuation a title holds."""
    return yaml.safe_dump(text, default_style='"', width=10_000, allow_unicode=True).strip()

"""Random sequences of edits: after each, an incremental build equals a clean one, byte for byte.

Every kind of edit a writer makes (a story's text, tags, date, draft mark, thread,
corrections; a story added, deleted, renamed; briefgen.yaml, outlets.yaml, a
template, a static file, an asset; a broken story and its fix) is drawn in random order from fixed seeds. After each
edit, `build` with its cache and published output, and `serve`'s in-memory rebuild,
must give exactly what a clean `--no-cache` build gives: the same files and the same
diagnostics. Edits of files that are no story (a note left in content/, a comment in
briefgen.yaml) are drawn too. More seeds:
`BRIEFGEN_RANDOM_SEEDS=50 bash tests/run -k random`.
"""

from __future__ import annotations

import os
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build, generate
from briefgen.commands.serve import LivePreview
from briefgen.core.diagnostics import Diagnostics
from briefgen.output.folders import MARKER
from tests.conftest import story_text, tree_bytes
from tests.test_cache import NOW, site_with_theme

pytestmark = pytest.mark.slow  # random sequences of edits, each checked against a clean build

SEEDS = range(int(os.environ.get("BRIEFGEN_RANDOM_SEEDS", "3")))
STEPS = 14
TAGS = ["World", "Asia", "Europe", "Economy", "Energy"]
CONFIG = "title: Random\nsearch: false\nper_page: 2\ntheme: mine\n"

Edit = Callable[[Path, random.Random], str]  # changes the site; returns what it did, for the failure message


def stories(site: Path) -> list[Path]:
    return sorted((site / "content").glob("*.md"))


def rewrite(path: Path, pattern: str, replacement: str) -> None:
    path.write_text(re.sub(pattern, replacement, path.read_text(encoding="utf-8"), count=1), encoding="utf-8")


def edit_text(site: Path, rng: random.Random) -> str:
    story = rng.choice(stories(site))
    rewrite(story, r"(text: A fact about [^\n]*)", rf"\1 Edit {rng.randrange(1000)}.")
    return f"fact of {story.name}"


def edit_title(site: Path, rng: random.Random) -> str:
    story = rng.choice(stories(site))
    rewrite(story, r"title: ([^\n]*)", rf"title: \1 {rng.randrange(100)}")
    return f"title of {story.name}"


def edit_tags(site: Path, rng: random.Random) -> str:
    story = rng.choice(stories(site))
    tags = ", ".join(rng.sample(TAGS, rng.randrange(0, 3)))
    rewrite(story, r"tags: \[[^\]]*\]", f"tags: [{tags}]")
    return f"tags of {story.name}: {tags}"


def edit_date(site: Path, rng: random.Random) -> str:
    story = rng.choice(stories(site))
    date = f"2024-0{rng.randrange(1, 4)}-{rng.randrange(10, 29)}"
    rewrite(story, r"date: [0-9-]+", f"date: {date}")
    return f"date of {story.name}: {date}"


def toggle_draft(site: Path, rng: random.Random) -> str:
    story = rng.choice(stories(site))
    text = story.read_text(encoding="utf-8")
    if "draft: true\n" in text:
        story.write_text(text.replace("draft: true\n", ""), encoding="utf-8")
    else:
        story.write_text(text.replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    return f"draft mark of {story.name}"


def add_story(site: Path, rng: random.Random) -> str:
    number = rng.randrange(10_000)
    name = f"added-{number}.md"
    (site / "content" / name).write_text(story_text(f"Added {number}", f"2024-02-{rng.randrange(10, 29)}",
                                                    rng.choice(TAGS)), encoding="utf-8")
    return f"added {name}"


def delete_story(site: Path, rng: random.Random) -> str:
    files = stories(site)
    if len(files) <= 2:
        return add_story(site, rng)
    story = rng.choice(files)
    unfollow(site, story.stem)
    story.unlink()
    return f"deleted {story.name}"


def rename_story(site: Path, rng: random.Random) -> str:
    story = rng.choice(stories(site))
    target = story.with_name(f"renamed-{rng.randrange(10_000)}.md")
    unfollow(site, story.stem)
    story.rename(target)
    return f"renamed {story.name} to {target.name}"


def edit_config(site: Path, rng: random.Random) -> str:
    choice = rng.choice([f"per_page: {rng.randrange(1, 4)}", f"title: Random {rng.randrange(100)}",
                         "labels: {facts: Key Facts}", f"feed_limit: {rng.randrange(1, 4)}"])
    key = choice.split(":")[0]
    lines = [line for line in (site / "briefgen.yaml").read_text().splitlines() if not line.startswith(key)]
    (site / "briefgen.yaml").write_text("\n".join([*lines, choice]) + "\n")
    return f"briefgen.yaml: {choice}"


def edit_template(site: Path, rng: random.Random) -> str:
    template = site / "themes" / "mine" / "templates" / rng.choice(["story.html", "home.html",
                                                                      "partials/briefing.html"])
    with template.open("a", encoding="utf-8") as file:
        file.write(f"<!-- edit {rng.randrange(1000)} -->\n")
    return f"template {template.name}"


def edit_static(site: Path, rng: random.Random) -> str:
    static = site / "static"
    static.mkdir(exist_ok=True)
    name = rng.choice(["notes.txt", "docs/about.txt"])
    if (static / name).exists() and rng.random() < 0.3:
        (static / name).unlink()
        return f"deleted static/{name}"
    (static / name).parent.mkdir(parents=True, exist_ok=True)
    (static / name).write_text(f"static {rng.randrange(1000)}\n")
    return f"static/{name}"


def edit_asset(site: Path, rng: random.Random) -> str:
    with (site / "themes" / "mine" / "assets" / "style.css").open("a") as file:
        file.write(f"\n/* edit {rng.randrange(1000)} */\n")
    return "the stylesheet"


def unfollow(site: Path, slug: str) -> None:
    """A story about to go: the stories that follow it up stop doing so (a `follows:` naming no story is an error)."""
    for story in stories(site):
        rewrite(story, rf"follows: {re.escape(slug)}\n", "")


def followed(story: Path) -> str | None:
    found = re.search(r"^follows: (\S+)$", story.read_text(encoding="utf-8"), re.MULTILINE)
    return found.group(1) if found else None


def edit_follows(site: Path, rng: random.Random) -> str:
    """A story starts or stops following another up; never so that following goes round in a circle."""
    story, other = rng.choice(stories(site)), rng.choice(stories(site))
    rewrite(story, r"follows: \S+\n", "")
    chain, current = {story.stem}, other.stem
    while current not in chain and (site / "content" / f"{current}.md").is_file():
        chain.add(current)
        current = followed(site / "content" / f"{current}.md") or ""
    if current in chain and current != "":
        return f"{story.name} follows nothing"
    rewrite(story, "---\n", f"---\nfollows: {other.stem}\n")
    return f"{story.name} follows {other.stem}"


def edit_outlets(site: Path, rng: random.Random) -> str:
    registry = site / "outlets.yaml"
    if registry.exists() and rng.random() < 0.3:
        registry.unlink()
        return "deleted outlets.yaml"
    kind, country = rng.choice(["wire", "newspaper", "state-media"]), rng.choice(["GB", "US", "JP"])
    registry.write_text(f"wire:\n  name: The Wire\n  kind: {kind}\n  country: {country}\n"
                        f"other:\n  name: Other Outlet\n", encoding="utf-8")
    return f"outlets.yaml: The Wire, {kind}, {country}"


def add_correction(site: Path, rng: random.Random) -> str:
    """Dated after every date edit_date gives, so never before its story."""
    story = rng.choice(stories(site))
    rewrite(story, r"corrections: \[[^\n]*\]\n", "")
    day = rng.randrange(10, 29)
    rewrite(story, "sources:\n", f"corrections: [{{date: 2024-04-{day}, text: Corrected {day}.}}]\nsources:\n")
    return f"correction of {story.name} on 2024-04-{day}"


def toggle_note(site: Path, rng: random.Random) -> str:
    """A file in content/ that is no story: a warning while it is there, none once it is gone."""
    note = site / "content" / "todo.txt"
    if note.exists():
        note.unlink()
        return "deleted content/todo.txt"
    note.write_text(f"check the figures {rng.randrange(100)}\n", encoding="utf-8")
    return "content/todo.txt"


def comment_config(site: Path, rng: random.Random) -> str:
    """Comment lines move every line of briefgen.yaml, and so the lines its warnings name."""
    config = site / "briefgen.yaml"
    lines = config.read_text(encoding="utf-8").splitlines()
    if "language: xx" not in lines:
        lines.append("language: xx")  # a warning at its line: no built-in labels for 'xx'
    comments = [f"# note {rng.randrange(100)}"] * rng.randrange(0, 3)
    config.write_text("\n".join([*comments, *(line for line in lines if not line.startswith("#"))]) + "\n")
    return f"briefgen.yaml: {len(comments)} comment lines"


EDITS: list[Edit] = [edit_text, edit_title, edit_tags, edit_date, toggle_draft, add_story, delete_story,
                     rename_story, edit_config, edit_template, edit_static, edit_asset, edit_follows,
                     edit_outlets, add_correction, toggle_note, comment_config]


def options(site: Path, **changes: object) -> BuildOptions:
    return BuildOptions(site_dir=site, now=NOW, jobs=1, **changes)  # type: ignore[arg-type]


def published(folder: Path) -> dict[str, bytes]:
    """The site as a host serves it: every file but briefgen's own marker."""
    return {path: data for path, data in tree_bytes(folder).items() if path != MARKER}


def clean_build(site: Path, output: Path) -> tuple[dict[str, bytes], list[str]]:
    """The site and the problems a `--no-cache` build reports."""
    shutil.rmtree(output, ignore_errors=True)
    result = build(options(site, output_dir=output, cache=False))
    assert result.written, [d.format() for d in result.diagnostics.items]
    return published(output), reported(result.diagnostics)


def reported(diagnostics: Diagnostics) -> list[str]:
    return [diagnostic.format() for diagnostic in diagnostics.sorted()]


def served(preview: LivePreview, saved: list[Path] | None = None) -> tuple[dict[str, bytes], list[str]]:
    """What serve shows after a rebuild: told that only the `saved` story files changed, as its
    watcher tells it; told nothing, it finds edits by their stamps, as a build does."""
    result = preview.build(saved)
    assert not result.failed, [d.format() for d in result.diagnostics.items]
    preview.publish(result, [])
    return dict(preview.current().files), reported(result.diagnostics)


def sources(site: Path) -> dict[Path, bytes]:
    """Every file a build may read: all but the output, the cache and the writer's folders beside them."""
    return {path: path.read_bytes() for path in sorted(site.rglob("*"))
            if path.is_file() and not path.relative_to(site).parts[0].startswith((".", "public"))}


def watchers_word(site: Path, before: dict[Path, bytes]) -> list[Path] | None:
    """What serve's watcher would say: the story files saved, when nothing else changed; else None."""
    after = sources(site)
    if after.keys() != before.keys():
        return None  # a file added or removed: a change of structure
    changed = [path for path in after if after[path] != before[path]]
    if any(path.suffix != ".md" or path.parent.name != "content" for path in changed):
        return None
    return [path.resolve() for path in changed]


def stamp_as_saved_at(site: Path, before: dict[Path, bytes], second: int) -> None:
    """Give each story file the edit changed an mtime of its own, long enough ago to be trusted,
    so that unchanged files are recognised by their stamps and changed ones by theirs."""
    for story in stories(site):
        if before.get(story) != story.read_bytes():
            os.utime(story, ns=(second * 1_000_000_000, second * 1_000_000_000))


def contents(site: Path) -> dict[Path, bytes]:
    return {story: story.read_bytes() for story in stories(site)}


def fresh_generate(site: Path) -> tuple[dict[str, bytes], list[str]]:
    result = generate(options(site))
    return {file.path: file.data for file in result.files}, reported(result.diagnostics)


def break_and_fix(site: Path, rng: random.Random, before: dict[str, bytes]) -> None:
    """A story saved broken fails the build and leaves the published site as it was."""
    story = rng.choice(stories(site))
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("title:", "title: [unclosed", 1), encoding="utf-8")
    assert build(options(site)).failed
    assert published(site / "public") == before
    story.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("seed", SEEDS)
def test_incremental_builds_equal_clean_builds_after_random_edits(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    site = site_with_theme(tmp_path / "site")
    (site / "briefgen.yaml").write_text(CONFIG)
    stamp_as_saved_at(site, {}, 1_000_000)
    preview = LivePreview(options(site))
    assert build(options(site)).written
    served(preview)
    done: list[str] = []
    for step in range(STEPS):
        before, all_before = contents(site), sources(site)
        if rng.random() < 0.1:
            break_and_fix(site, rng, published(site / "public"))
            done.append("a broken story, then fixed")
        done.append(rng.choice(EDITS)(site, rng))
        stamp_as_saved_at(site, before, 1_000_001 + step)
        result = build(options(site))
        assert result.written, (done, [d.format() for d in result.diagnostics.items])
        expected, problems = clean_build(site, tmp_path / "clean")
        assert published(site / "public") == expected, done
        assert reported(result.diagnostics) == problems, done
        assert build(options(site)).unchanged, done  # and a build with nothing changed says the same
        assert reported(build(options(site)).diagnostics) == problems, done
        assert served(preview, watchers_word(site, all_before)) == fresh_generate(site), done

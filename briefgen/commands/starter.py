"""`briefgen init`: a writer's own site, ready to build, to keep in git and to deploy.

It writes the files a site needs and nothing else: `briefgen.yaml`, one draft story
that shows every part of a briefing, a `.gitignore` for what builds make, and the files
Netlify deploys from: `netlify.toml`, `requirements.txt` installing briefgen as the one
that made the site was installed (no name the project does not hold on the package
index), and a build plugin of the site's own that keeps the build cache between deploys.
A file that exists is never replaced.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path

from briefgen import __version__
from briefgen.commands.scaffold import yaml_string
from briefgen.core.headers import netlify_headers
from briefgen.core.layout import CACHE_DIR
from briefgen.core.layout import CONTENT_DIR
from briefgen.settings.config import CONFIG_FILE

EXAMPLE_STORY = "how-a-briefing-is-made.md"

CONFIG = """\
# briefgen's settings: every key is described in briefgen's README ("Site configuration").
title: {title}
{base_url_line}
language: en
description: News briefings with their facts, sources, narratives and the counter-view.
"""

BASE_URL_UNSET = """\
# The address readers reach the site at. Until it is set, canonical links, feeds and
# the sitemap point at http://localhost:8000/ and every build warns. (On Netlify,
# netlify.toml passes the site's own address, so deploys are right either way.)
# base_url: https://news.example.org/"""

STORY = """\
---
title: How a briefing is made
date: {today}
draft: true  # remove this line to publish the story, or delete the file once you have your own
summary: >-
  A story file holds one briefing: a summary, facts that cite their sources, the
  story as each side tells it, and the counter-view.
tags: [Guide]
sources:
  - id: commonmark
    outlet: CommonMark
    title: CommonMark Spec
    url: https://spec.commonmark.org/
  - id: yaml
    outlet: YAML
    title: "YAML Ain't Markup Language, version 1.2.2"
    url: https://yaml.org/spec/1.2.2/
facts:
  - text: >-
      The part between the two `---` lines is YAML front matter: the story's
      structured parts, each under its own key.
    sources: [yaml]
  - text: >-
      Everything after it is Markdown, and becomes the story's text[^commonmark].
narratives:
  - label: The writer's view
    provider: The newsroom
    text: >-
      Facts with numbered sources let a reader check each claim in one click.
  - label: The reader's view
    provider: Readers
    text: >-
      A briefing is worth reading when it says who claims what, and what the other
      side answers.
contra:
  text: >-
    Some argue that a briefing's structure flattens a story that prose would tell
    better; the text below the front matter is there for that.
---
## Key background

Write the background here, in Markdown. `briefgen serve` shows each save in the
browser at once; `briefgen check` lists anything an editor would query.
"""

GITIGNORE = f"""\
# What builds make: the published site, the folders briefgen keeps beside it, its cache,
# and what a `netlify build` on this machine keeps (.netlify/: its own cache among it).
/public/
/.public.briefgen-*
/{CACHE_DIR}/
/.netlify/
"""

REQUIREMENTS = """\
# The briefgen this site is built with, as `briefgen init` was installed (Netlify installs it).
{requirement}
"""


@dataclass(frozen=True)
class Requirement:
    """The requirement line that installs the running briefgen, and what to tell the writer of it."""

    line: str
    said: str


def installed_requirement() -> Requirement:
    """How the running briefgen was installed (PEP 610's direct_url.json), as a requirement that installs
    the same: a VCS URL at its commit, an archive's URL, a folder (which only this machine can reach),
    or, installed from the package index, its version."""
    try:
        text = metadata.distribution("briefgen").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        text = None
    info = json.loads(text) if text else None
    if not isinstance(info, dict) or not isinstance(info.get("url"), str):
        return Requirement(f"briefgen=={__version__}", f"requirements.txt pins briefgen {__version__} from the "
                                                         "package index")
    url, vcs = info["url"], info.get("vcs_info")
    line = (f"briefgen @ {vcs.get('vcs', 'git')}+{url}@{vcs['commit_id']}"
            if isinstance(vcs, dict) and vcs.get("commit_id") else f"briefgen @ {url}")
    if url.startswith("file:"):  # a folder or a clone on this machine, however it was installed
        return Requirement(line, f"requirements.txt installs briefgen from {url}, a folder only this machine can "
                           "reach: Netlify cannot build the site until it names briefgen's repository instead "
                           "(briefgen @ git+https://...@commit)")
    return Requirement(line, f"requirements.txt installs briefgen from {url}, as this one was")


PLUGIN_DIR = "netlify/plugins/briefgen-cache"

NETLIFY = """\
# Netlify builds the site from this repository with the briefgen that
# requirements.txt installs, and publishes public/. $URL is the site's address on Netlify;
# previews use their own, so canonical links, feeds and the sitemap follow each. (A
# `netlify build` on your own machine has neither: base_url in briefgen.yaml is used.)

[build]
  command = 'pip install -r requirements.txt && briefgen build ${{URL:+--base-url "$URL"}}'
  publish = "public"

[build.environment]
  PYTHON_VERSION = "3.11"

[context.deploy-preview]
  command = 'pip install -r requirements.txt && briefgen build ${{DEPLOY_PRIME_URL:+--base-url "$DEPLOY_PRIME_URL"}}'

[context.branch-deploy]
  command = 'pip install -r requirements.txt && briefgen build ${{DEPLOY_PRIME_URL:+--base-url "$DEPLOY_PRIME_URL"}}'

# Keeps briefgen's build cache from one deploy to the next (the plugin is in this folder).
[[plugins]]
  package = "./{plugin_dir}"

# The security headers every page is sent with; `briefgen serve` sends the same.
{headers}
# Only fingerprinted files (assets/style.<hash>.css) may be cached for a year.
[[headers]]
  for = "/assets/*"
  [headers.values]
    Cache-Control = "public, max-age=31536000, immutable"
"""


PLUGIN_MANIFEST = """\
# A Netlify build plugin of this site's own; netlify.toml turns it on ([[plugins]]).
name: briefgen-cache
"""

# CommonJS with no package.json: Node runs it as it is, and Netlify has nothing to install.
PLUGIN_CODE = f"""\
// Keeps briefgen's build cache, {CACHE_DIR}/, from one Netlify deploy to the next, so that
// a build renders again only the stories that changed. Netlify's cache utility (utils.cache)
// keeps it in Netlify's build cache: "Clear cache and deploy site" starts it afresh.
const {{ existsSync }} = require("fs");

const CACHE = "{CACHE_DIR}";

module.exports = {{
  // Before the build command: bring back the cache that the last deploy kept. One that is
  // here already (a `netlify build` on your own machine) is the newest, and is left alone.
  async onPreBuild({{ utils }}) {{
    if (existsSync(CACHE)) {{
      console.log(`briefgen-cache: ${{CACHE}}/ is here already, and is used as it is`);
    }} else if (await utils.cache.restore(CACHE)) {{
      console.log(`briefgen-cache: restored ${{CACHE}}/ from the last deploy`);
    }} else {{
      console.log(`briefgen-cache: no ${{CACHE}}/ kept yet: this build renders every story`);
    }}
  }},
  // After a build that succeeded: keep the cache for the next deploy.
  async onPostBuild({{ utils }}) {{
    if (await utils.cache.save(CACHE)) {{
      console.log(`briefgen-cache: kept ${{CACHE}}/ for the next deploy`);
    }}
  }},
}};
"""


@dataclass(frozen=True)
class Started:
    written: list[Path]
    kept: list[Path]  # files that were there already: left as they are
    requirement: Requirement


def start_site(folder: Path, title: str, base_url: str | None, today: date,
               requirement: Requirement | None = None) -> Started:
    """Write the starter files into `folder` (made if missing), each only where no file is; the
    example story only into a content/ that has no story yet. `requirement`: what requirements.txt
    installs briefgen by (default: as the running one was installed)."""
    requirement = requirement or installed_requirement()
    content = folder / CONTENT_DIR
    has_stories = content.is_dir() and any(content.glob("*.md"))
    files = {
        folder / CONFIG_FILE: CONFIG.format(title=yaml_string(title), base_url_line=(
            f"base_url: {yaml_string(base_url)}" if base_url else BASE_URL_UNSET)),
        **({} if has_stories else {content / EXAMPLE_STORY: STORY.format(today=today.isoformat())}),
        folder / ".gitignore": GITIGNORE,
        folder / "netlify.toml": NETLIFY.format(headers=netlify_headers(), plugin_dir=PLUGIN_DIR),
        folder / "requirements.txt": REQUIREMENTS.format(requirement=requirement.line),
        folder / PLUGIN_DIR / "manifest.yml": PLUGIN_MANIFEST,
        folder / PLUGIN_DIR / "index.js": PLUGIN_CODE,
    }
    started = Started([], [], requirement)
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="utf-8") as file:  # "x": never replace a file
                file.write(text)
        except FileExistsError:
            started.kept.append(path)
        else:
            started.written.append(path)
    return started


def default_title(folder: Path) -> str:
    """A title from the folder's name: `city-briefings` gives "City briefings"."""
    words = folder.resolve().name.replace("-", " ").replace("_", " ").split()
    return " ".join(words).capitalize() if words else "Briefings"

"""Themes and templates: find them, render pages with them, report their mistakes.

Templates are looked up site first (`templates/` beside `content/`), then the
theme. A theme's `assets/` are fingerprinted (`style.<hash>.css`) so hosts may
cache them for a year; its `static/` and the site's are copied as they are.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urljoin

import jinja2
from markupsafe import Markup, escape

from briefgen.change.keys import digest
from briefgen.change.trace import files_below, is_folder, read_file
from briefgen.change.versions import code_version
from briefgen.core.diagnostics import Diagnostics
from briefgen.core.filenames import is_utf8_name, report_non_utf8_name
from briefgen.core.links import leads_outside, report_outside_link
from briefgen.core.urls import Linker, OutputFile, output_file
from briefgen.pages.cards import CARD, draw_card
from briefgen.pages.plan import Page
from briefgen.pages.values import SiteView, StoryView
from briefgen.pages.views import StoryChanged

PACKAGE_THEMES = Path(__file__).parent.parent / "themes"  # inside an installed wheel
SOURCE_THEMES = Path(__file__).parent.parent.parent / "themes"  # in a source checkout
SITE_TEMPLATES = "templates"
STATIC = "static"
ASSETS = "assets"  # a theme's, and a site's own that replace them file by file
FEED_CONTENT = "partials/feed-content.html"  # a story's briefing as a feed entry's content


@dataclass(frozen=True)
class Theme:
    name: str
    template_dirs: tuple[Path, ...]  # in lookup order
    assets: dict[str, OutputFile]  # "card.png" -> the fingerprinted file
    asset_urls: dict[str, str]  # "style.css" -> "/assets/style.1a2b3c4d.css"
    static_dirs: tuple[Path, ...]  # theme first, so the site's files win


def builtin_themes_dir() -> Path:
    return PACKAGE_THEMES if PACKAGE_THEMES.is_dir() else SOURCE_THEMES


def load_theme(site_dir: Path, name: str, linker: Linker, diagnostics: Diagnostics, line: int = 0) -> Theme | None:
    """The theme `name`; `line` is where briefgen.yaml names it, for the error if there is none."""
    theme_dir = _find_theme(site_dir, name)
    if theme_dir is None:
        available = sorted({p.name for d in (site_dir / "themes", builtin_themes_dir()) if d.is_dir()
                            for p in d.iterdir() if (p / "templates").is_dir()})
        diagnostics.error(site_dir / "briefgen.yaml", line, f"there is no theme '{name}'",
                          f"themes found: {', '.join(available) or 'none'}; a theme is a folder "
                          f"themes/<name>/ with a templates/ folder in it", "unknown-value")
        return None
    assets, asset_urls = _fingerprint((theme_dir / ASSETS, site_dir / ASSETS), linker, diagnostics)
    template_dirs = tuple(d for d in (site_dir / SITE_TEMPLATES, theme_dir / "templates") if is_folder(d))
    static_dirs = tuple(d for d in (theme_dir / STATIC, site_dir / STATIC) if is_folder(d))
    return Theme(name, template_dirs, assets, asset_urls, static_dirs)


def _find_theme(site_dir: Path, name: str) -> Path | None:
    for root in (site_dir / "themes", builtin_themes_dir()):
        if is_folder(root / name / "templates"):
            return root / name
    return None


def _fingerprint(assets_dirs: tuple[Path, ...], linker: Linker,
                 diagnostics: Diagnostics) -> tuple[dict[str, OutputFile], dict[str, str]]:
    """Every asset under a name with its digest in it; a later folder's file replaces an earlier one's
    of the same name (the site's `assets/` over the theme's)."""
    found: dict[str, bytes] = {}
    for assets_dir in assets_dirs:
        for path in files_below(assets_dir):
            if not is_utf8_name(str(path)):
                report_non_utf8_name(path, diagnostics)
                continue
            if leads_outside(path, assets_dir.parent):
                report_outside_link(path, diagnostics)
                continue
            found[path.relative_to(assets_dir).as_posix()] = read_file(path) or b""
    files: dict[str, OutputFile] = {}
    asset_urls: dict[str, str] = {}
    for name, data in sorted(found.items()):
        stem, dot, suffix = name.rpartition(".")
        tag = hashlib.sha256(data).hexdigest()[:10]  # in the file's name: a year-long cache holds it by that
        fingerprinted = f"assets/{stem}.{tag}.{suffix}" if dot else f"assets/{name}.{tag}"
        files[name] = OutputFile(fingerprinted, data)
        asset_urls[name] = linker.link(fingerprinted)
    return files, asset_urls


def template_fingerprint(theme: Theme) -> str:
    """A digest of everything a page's rendering depends on besides its context: every template
    file (a page may include any of them), the asset URLs, and briefgen's code and libraries."""
    parts: list[str | bytes] = [code_version(), repr(theme.asset_urls)]
    for folder in theme.template_dirs:
        for path in files_below(folder):
            parts += [os.fsencode(path), read_file(path) or b""]
    return digest(*parts)


def make_environment(theme: Theme) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in theme.template_dirs]),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_compiled_templates(),
    )
    environment.filters["elsewhere"] = shown_elsewhere
    environment.filters["plain"] = plain_text
    forget_feed_content(environment, theme)
    return environment


def absolute_links(html: str, base: str) -> Markup:
    """HTML whose root-relative and #fragment links are made absolute against `base` (a page's permalink):
    a feed entry is read far from the site, and JSON Feed has no base to resolve them against.
    (Plain replacements: a feed entry is some 20 KB, and every story has one.)"""
    origin, page, text = str(escape(urljoin(base, "/"))), str(escape(base)), str(html)
    for attribute in ('href="', 'src="'):
        text = (text.replace(attribute + "#", attribute + page + "#").replace(attribute + "/", attribute + origin)
                .replace(attribute + origin + "/", attribute + "//"))  # a protocol-relative "//host/x" stays
    return Markup(text)


_ID = re.compile(r' id="[^"]*"')


def shown_elsewhere(html: str, base: str) -> Markup:
    """`html | elsewhere(story.permalink)`: a story's HTML shown away from its page, on an edition's page
    or in its email: links absolute, and no ids, so the anchors of two stories cannot clash."""
    return Markup(_ID.sub("", absolute_links(html, base)))


_CITATION = re.compile(r'<sup class="cite">.*?</sup>')


def plain_text(html: str) -> str:
    """`fact.html | plain`: the text a reader reads, for a plain-text email: no tags, no citation numbers."""
    return Markup(_CITATION.sub("", str(html))).striptags()


@functools.cache
def _compiled_templates() -> jinja2.BytecodeCache | None:
    """Templates compiled once, not by every build, check and serve (a quarter of a second each): Jinja2
    keeps them in a folder of this user's alone in the system's temporary folder and checks each against
    its template's source before use. The names carry code_version, so another briefgen, Jinja2 or
    Python never reads them. Without a usable temporary folder, templates are compiled as before."""
    try:
        return _CompiledTemplates(pattern=f"briefgen-{code_version()}-%s.cache")
    except (OSError, RuntimeError):  # Jinja2 refuses a temporary folder another user could write to
        return None


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:  # a full or read-only temporary folder costs a compile next time, nothing more
            pass


# Bytes XML 1.0 forbids (one makes a whole feed unparseable) and HTML reports as errors: the
# C0 controls but tab, newline and carriage return, and the noncharacters U+FFFE and U+FFFF.
# No multi-byte UTF-8 sequence holds a byte below 0x80, so deleting bytes cannot split a character.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_NONCHARACTERS = re.compile(rb"\xef\xbf[\xbe\xbf]")  # U+FFFE, U+FFFF


def printable(page: str) -> bytes:
    """A rendered page as UTF-8, without the characters no page or feed may hold.

    Done once on the whole page: per printed value it cost a quarter of a cold build.
    """
    data = page.encode("utf-8").translate(None, _CONTROL_BYTES)
    return _NONCHARACTERS.sub(b"", data) if b"\xef\xbf" in data else data


def forget_feed_content(environment: jinja2.Environment, theme: Theme) -> None:
    """Give `feed_content` an empty memory, so an environment kept between builds does not grow with each."""
    environment.globals["feed_content"] = _feed_content(environment, theme.asset_urls)


def _feed_content(environment: jinja2.Environment,
                  asset_urls: dict[str, str]) -> Callable[[SiteView, StoryView], Markup]:
    """`feed_content(site, story)`: a story's briefing for feed entries, its links absolute, rendered once
    however many feeds (Atom and JSON) list it.

    It sees only `site`, `story` and `assets`, so a story's fingerprint and the site view are its whole key.
    """
    rendered: dict[tuple[str, SiteView], Markup] = {}

    def render(site: SiteView, story: StoryView) -> Markup:
        html = environment.get_template(FEED_CONTENT).render(site=site, story=story, assets=asset_urls)
        return absolute_links(html, story.permalink)

    def feed_content(site: SiteView, story: StoryView) -> Markup:
        if not story.fingerprint:
            return render(site, story)
        key = (story.fingerprint, site)  # a frozen dataclass: hashed by its fields, far cheaper than repr()
        if key not in rendered:
            rendered[key] = render(site, story)
        return rendered[key]

    return feed_content


def render_pages(environment: jinja2.Environment, pages: list[Page], context_of: Callable[[Page], dict[str, Any]],
                 asset_urls: dict[str, str], diagnostics: Diagnostics) -> list[OutputFile]:
    """Render every page with the context `context_of` gives it (its stories' views); a broken
    template is reported once, however many pages use it."""
    outputs: list[OutputFile] = []
    broken: set[str] = set()
    for page in pages:
        if page.template in broken:
            continue
        try:
            context = context_of(page)
        except StoryChanged as changed:
            diagnostics.error(changed.path, 0, "the file changed while the site was being built",
                              "build again once it is saved", "changed-during-build")
            continue
        if page.template == CARD:
            story, site = context["story"], context["site"]
            outputs.append(OutputFile(output_file(page.path),
                                      draw_card(story.title, story.kind, story.kind_label, site.title)))
            continue
        try:
            template = environment.get_template(page.template)
            html = template.render(context, assets=asset_urls)
        except jinja2.TemplateSyntaxError as error:
            broken.add(page.template)
            diagnostics.error(error.filename or page.template, error.lineno,
                              f"template syntax error: {error.message}",
                              "see https://jinja.palletsprojects.com/en/stable/templates/", "template-error")
        except jinja2.TemplateNotFound as error:
            broken.add(page.template)
            diagnostics.error(_first(environment), 0, f"the template '{error.name}' is missing",
                              "the theme must provide it, or the site's templates/ folder", "template-error")
        except Exception as error:  # noqa: BLE001 - any failure inside a template is the template's
            broken.add(page.template)
            where, line = _template_frame(sys.exc_info()[2], page.template)
            diagnostics.error(where, line, f"template error: {_describe(error)}",
                              "check the spelling; the variables each template receives are listed "
                              "in themes/default/README.md" if isinstance(error, jinja2.UndefinedError)
                              else "the template failed while rendering; check the expression on that line",
                              "template-error")
        else:
            outputs.append(OutputFile(output_file(page.path), printable(html)))
    return outputs


def _first(environment: jinja2.Environment) -> str:
    loader = environment.loader
    return str(loader.searchpath[0]) if isinstance(loader, jinja2.FileSystemLoader) else "templates"


def _template_frame(tb: TracebackType | None, fallback: str) -> tuple[str, int]:
    """The innermost traceback frame that is a template's: its file and line."""
    where, line = fallback, 0
    for frame, lineno in traceback.walk_tb(tb):
        filename = frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            where, line = filename, lineno
    return where, line


def _describe(error: Exception) -> str:
    message = str(error)
    if isinstance(error, jinja2.UndefinedError):
        return re.sub(r"'(?:[\w]+\.)*(\w+) object'", r"'\1'", message)
    return f"{type(error).__name__}: {message}"

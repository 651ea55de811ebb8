"""`briefgen check`: everything the build reports, without building.

The build's own stages run, templates included, and the output folder is
checked, but nothing is written (nor the search index made; `--links` keeps
only its answers in the cache), with drafts and future stories included: a
writer checks a story before it is published. Its problems, the editorial
warnings among them (editorial.py), are the build's: one policy for both.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from briefgen.build import BuildOptions, check_destination, generate
from briefgen.commands.links import LinkReport, check_links, story_links
from briefgen.core.diagnostics import Diagnostic, Diagnostics
from briefgen.core.layout import CACHE_DIR


@dataclass(frozen=True)
class CheckResult:
    diagnostics: Diagnostics
    stories: int  # story files checked, those with errors too
    links: LinkReport | None = None  # with --links

    def failed(self, strict: bool) -> bool:
        return bool(self.diagnostics.errors or (strict and self.diagnostics.warnings))


def check_site(site_dir: Path, now: datetime | None = None, links: bool = False) -> CheckResult:
    """Every problem a build would report, on every story: drafts and future ones too; with `links`,
    the web addresses the stories link to that no longer answer."""
    options = BuildOptions(site_dir=site_dir, drafts=True, future=True, now=now)
    result = generate(options)
    check_destination(options, result)
    report = None
    if links and result.site is not None and result.store is not None:
        report = check_links(story_links(result.site, result.store, result.config), site_dir / CACHE_DIR,
                             result.diagnostics)
        result.diagnostics.drop_warnings(result.config.ignore_warnings)
    return CheckResult(result.diagnostics, result.story_files, report)


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    return {"path": diagnostic.shown_path, "line": diagnostic.line, "severity": diagnostic.severity.value,
            "code": diagnostic.code, "message": diagnostic.message, "hint": diagnostic.hint}


def report_json(result: CheckResult) -> str:
    diagnostics = result.diagnostics
    links = {} if result.links is None else {"links": {"addresses": result.links.links, "asked": result.links.asked,
                                                       "broken": result.links.broken}}
    return json.dumps({"stories": result.stories, **links, "errors": len(diagnostics.errors),
                       "warnings": len(diagnostics.warnings),
                       "diagnostics": [diagnostic_json(d) for d in diagnostics.sorted()]},
                      ensure_ascii=False, indent=2)

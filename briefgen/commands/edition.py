"""`briefgen edition [DATE]`: a day's edition as an email, `DATE.html`, and its plain-text twin, `DATE.txt`.

Both are pages of the site (`editions/DATE/email.html` and `email.txt`, themes' `email.html` and
`email.txt`), made by the build's own stages: the site is planned as `serve` plans it, from the
build's cache, and only these two pages are rendered. Sending stays with the services made for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from briefgen.build import BuildOptions, BuildResult, generate
from briefgen.core import urls
from briefgen.core.diagnostics import Diagnostics
from briefgen.core.layout import CACHE_DIR
from briefgen.pages.memory import RenderMemory
from briefgen.settings.config import CONFIG_FILE, zone_of
from briefgen.site.editions import editions_of
from briefgen.story.store import StoryStore

EMAIL_LIMIT = 100 * 1024  # bytes: Gmail clips a message past 102 KB and hides the rest behind a link


@dataclass
class EditionFiles:
    diagnostics: Diagnostics
    written: list[Path] = field(default_factory=list)


def write_edition(site_dir: Path, day: date | None, output: Path, now: datetime | None = None) -> EditionFiles:
    """Write the edition of `day` (default: the newest) into `output`; problems in `diagnostics`."""
    memory = RenderMemory(StoryStore(site_dir / CACHE_DIR), lazy=True)
    result = generate(BuildOptions(site_dir=site_dir, now=now), memory=memory)
    files = EditionFiles(result.diagnostics)
    if result.failed or result.site is None:
        return files
    config = result.config
    if not config.editions:
        files.diagnostics.error(site_dir / CONFIG_FILE, 0, "the site makes no editions",
                                "add `editions: true` to briefgen.yaml", "no-editions")
        return files
    days = [edition.day for edition in editions_of(result.site, zone_of(config.time_zone))]
    chosen = day or (days[0] if days else None)
    if chosen is None or chosen not in days:
        newest = ", ".join(str(found) for found in days[:3]) or "none yet"
        files.diagnostics.error(site_dir / CONFIG_FILE, 0, f"there is no edition of {chosen or 'any day'}: "
                                "no story was published that day", f"the newest editions: {newest}", "no-editions")
        return files
    output.mkdir(parents=True, exist_ok=True)
    for suffix in (".html", ".txt"):
        data = _page(result, urls.output_file(urls.edition_email(chosen, suffix)))
        target = output / f"{chosen.isoformat()}{suffix}"
        target.write_bytes(data)
        files.written.append(target)
        if suffix == ".html" and len(data) > EMAIL_LIMIT:
            files.diagnostics.warning(target, 0, f"the edition is {len(data) // 1024} KB: Gmail shows only the "
                                      "first 102 KB of a message", "an edition of fewer stories fits",
                                      "large-edition")
    return files


def _page(result: BuildResult, name: str) -> bytes:
    """A page's bytes: rendered already (the first page of its template), else rendered now."""
    for file in result.files:
        if file.path == name:
            return file.data
    assert result.renderer is not None, "a page neither rendered nor pending"
    data, problems = result.renderer.render(result.pending[name])
    result.diagnostics.extend(problems)
    return data or b""

"""Screenshots and page weight of the example story and the newsroom fixture's thread, as a reader sees them.

Usage:

    .venv/bin/python bench/screenshots.py [OUT_DIR] [--code CHECKOUT]    # default: /tmp/briefgen-shots

Builds the example site and tests/fixtures/sites/newsroom into a temporary folder with the
briefgen of this checkout, or those of CHECKOUT with its briefgen and theme (another revision's
tree, e.g. made with `git worktree add /tmp/before REV`, to compare before and after), serves
them on 127.0.0.1 and saves PNGs taken with Debian's Chromium (tests/browser.py): a phone's
first screen of the story (light and dark) and of the thread's latest story, the story's coverage
(or its source-mix line), the whole story on a phone and a desktop, the search results, and the story's
link-preview image (share-card.png). It prints each page's weight: the HTML, its stylesheets
and scripts, raw and gzipped. The images are for looking at, not for committing.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: import tests.browser

from playwright.sync_api import Browser, ViewportSize  # noqa: E402

from tests.browser import launch_chromium, serve_directory  # noqa: E402

SITES = {"example": Path("."), "newsroom": Path("tests/fixtures/sites/newsroom")}  # in the checkout
STORY = "/us-japan-security-pact/"
VIEWPORTS: dict[str, ViewportSize] = {"phone": {"width": 390, "height": 844},
                                      "desktop": {"width": 1280, "height": 900}}
SEARCH_WORD = "Taiwan"


@dataclass(frozen=True)
class Shot:
    name: str
    site: str
    path: str
    device: str = "phone"
    scheme: str = "light"
    full_page: bool = False  # else the first screen
    selector: tuple[str, ...] = ()  # the first of these the page has, else the page


SHOTS = [
    Shot("story-phone-light", "example", STORY),
    Shot("story-phone-dark", "example", STORY, scheme="dark"),
    Shot("coverage-phone", "example", STORY, selector=(".coverage", ".source-mix")),  # before the bar: a line
    Shot("thread-latest-phone", "newsroom", "/pact-reactions/"),
    Shot("story-phone-full", "example", STORY, full_page=True),
    Shot("story-desktop-light", "example", STORY, "desktop", full_page=True),
    Shot("story-desktop-dark", "example", STORY, "desktop", "dark", full_page=True),
]


def built(code: Path, site: Path, output: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(code), "NO_COLOR": "1"}
    subprocess.run([sys.executable, "-m", "briefgen", "build", "-q", "--no-cache", "-s", str(site), "-o", str(output)],
                   check=True, env=env, cwd=code)  # not the site: `-m` would import the briefgen beside it


def shoot(browser: Browser, bases: dict[str, str], out: Path) -> list[Path]:
    saved: list[Path] = []
    for shot in SHOTS:
        context = browser.new_context(viewport=VIEWPORTS[shot.device], color_scheme=shot.scheme,  # type: ignore[arg-type]
                                      device_scale_factor=2 if shot.device == "phone" else 1)
        page = context.new_page()
        page.goto(bases[shot.site] + shot.path, wait_until="networkidle")
        saved.append(out / f"{shot.name}.png")
        found = [page.locator(selector) for selector in shot.selector if page.locator(selector).count()]
        if found:
            found[0].first.screenshot(path=saved[-1])
        else:
            page.screenshot(path=saved[-1], full_page=shot.full_page)
        if shot.name == "story-phone-light" and page.get_by_role("searchbox").count():
            page.get_by_role("searchbox").fill(SEARCH_WORD)
            page.locator("#search_results li").first.wait_for()
            saved.append(out / "search-phone-light.png")
            page.screenshot(path=saved[-1])
        context.close()
    return saved


def weight(public: Path, page: str) -> str:
    """The page's HTML and each stylesheet and script it loads, raw and gzipped, in KB."""
    html = (public / page.strip("/") / "index.html").read_text(encoding="utf-8")
    files = [f"{page}index.html"] + re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) \
        + re.findall(r'<script[^>]* src="([^"]+)"', html)
    rows = []
    for name in files:
        data = (public / name.lstrip("/")).read_bytes()
        rows.append(f"  {name}: {len(data) / 1000:.1f} KB, {len(gzip.compress(data, 9)) / 1000:.1f} KB gzipped")
    return "\n".join(rows)


def share_card(public: Path, page: str, out: Path) -> Path:
    """The story's link-preview image, copied from the built site."""
    html = (public / page.strip("/") / "index.html").read_text(encoding="utf-8")
    url = re.search(r'<meta property="og:image" content="https?://[^/]+/([^"]+)"', html)
    assert url, "the page has no og:image"
    return Path(shutil.copyfile(public / url.group(1), out / "share-card.png"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out", nargs="?", type=Path, default=Path("/tmp/briefgen-shots"))
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose briefgen builds the sites")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        outputs = {name: Path(tmp) / name for name in SITES}
        for name, site in SITES.items():
            built(args.code.resolve(), args.code.resolve() / site, outputs[name])
        with launch_chromium() as browser, serve_directory(outputs["example"]) as example, \
                serve_directory(outputs["newsroom"]) as newsroom:
            for path in shoot(browser, {"example": example, "newsroom": newsroom}, args.out):
                print(path)
        print(share_card(outputs["example"], STORY, args.out))
        for name, page in (("example", STORY), ("newsroom", "/pact-reactions/")):
            print(f"{name} {page}\n{weight(outputs[name], page)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

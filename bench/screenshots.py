"""Screenshots of the example story: phone and desktop, light and dark.

Usage:

    .venv/bin/python bench/screenshots.py [OUT_DIR]    # default: /tmp/briefgen-shots

Builds the example site into a temporary folder, serves it on 127.0.0.1 and saves
full-page PNGs taken with Debian's Chromium (tests/browser.py): story-phone-light.png,
story-phone-dark.png, story-desktop-light.png, story-desktop-dark.png, plus one of
the search results on a phone. The images are for looking at, not for committing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: import briefgen and tests.browser

from playwright.sync_api import Browser, ViewportSize  # noqa: E402

from briefgen.build import BuildOptions, build  # noqa: E402
from tests.browser import launch_chromium, serve_directory  # noqa: E402

STORY = "/us-japan-security-pact/"
VIEWPORTS: dict[str, ViewportSize] = {"phone": {"width": 390, "height": 844},
                                      "desktop": {"width": 1280, "height": 900}}
SCHEMES = ("light", "dark")
SEARCH_WORD = "Taiwan"


def shoot(browser: Browser, base: str, out: Path) -> list[Path]:
    saved: list[Path] = []
    for device, viewport in VIEWPORTS.items():
        for scheme in SCHEMES:
            context = browser.new_context(viewport=viewport, color_scheme=scheme,  # type: ignore[arg-type]
                                          device_scale_factor=2 if device == "phone" else 1)
            page = context.new_page()
            page.goto(base + STORY, wait_until="networkidle")
            saved.append(out / f"story-{device}-{scheme}.png")
            page.screenshot(path=saved[-1], full_page=True)
            if device == "phone" and scheme == "light":
                page.get_by_role("searchbox").fill(SEARCH_WORD)
                page.locator("#search_results li").first.wait_for()
                saved.append(out / "search-phone-light.png")
                page.screenshot(path=saved[-1])
            context.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out", nargs="?", type=Path, default=Path("/tmp/briefgen-shots"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        result = build(BuildOptions(site_dir=ROOT, output_dir=Path(tmp) / "public", cache=False))
        if not result.written:
            print("\n".join(str(d) for d in result.diagnostics.errors), file=sys.stderr)
            return 1
        with launch_chromium() as browser, serve_directory(Path(tmp) / "public") as base:
            for path in shoot(browser, base, args.out):
                print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Headless Chromium for pytest, using Debian's /usr/bin/chromium via Playwright.

conftest.py loads this module as a plugin, so every test may take the `browser` and
`page` fixtures. Playwright itself is imported only when a browser starts (or `expect`
is first called), so the fast loop (`pytest -m "not browser and not slow"`) collects and runs
every other test without Playwright installed; each test that uses `page` or
`browser` is marked `browser` here.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

CHROMIUM_PATH = Path("/usr/bin/chromium")
CHROMIUM_ARGS: list[str] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
BROWSER_FIXTURES = frozenset({"browser", "page"})
MISSING_MESSAGE = (
    f"Chromium not found at {CHROMIUM_PATH}. Run the test command from README.md "
    "(it installs Debian's chromium package: apt-get install -y chromium)."
)


@contextlib.contextmanager
def launch_chromium() -> Iterator[Browser]:
    """Launch Debian's headless Chromium; raise FileNotFoundError if it is absent."""
    if not CHROMIUM_PATH.exists():
        raise FileNotFoundError(MISSING_MESSAGE)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def expect(actual: Any, message: str | None = None) -> Any:
    """Playwright's `expect`, imported when a browser test first asserts."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(actual, message)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static file handler that does not log each request."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def serve_directory(path: str | Path) -> Iterator[str]:
    """Serve ``path`` on 127.0.0.1 (ephemeral port); yield the base URL, no trailing slash."""
    handler = functools.partial(_QuietHandler, directory=str(path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that opens Chromium is marked `browser`, whatever module it is in, so the fast loop
    (`-m "not browser and not slow"`) leaves it out without a list to keep up to date."""
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium per test session; fails (not skips) if chromium is missing."""
    if not CHROMIUM_PATH.exists():
        pytest.fail(MISSING_MESSAGE, pytrace=False)
    with launch_chromium() as b:
        yield b


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in a new 1280x800 browser context for each test."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        yield context.new_page()
    finally:
        context.close()

"""Reading built HTML the way a reader or a link checker does, with the standard library only."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        for name in ("href", "src"):
            if values.get(name) and tag in ("a", "link", "script", "img"):
                self.links.append(str(values[name]))
        if tag in ("script", "style", "head"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self._skip -= 1
        if tag in ("p", "li", "h1", "h2", "h3", "h4", "div", "section", "article", "footer", "header"):
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def visible_text(path: Path) -> str:
    """The page's words with whitespace folded, as a reader without CSS sees them."""
    return " ".join(html.unescape("".join(parse(path).text)).split())


def broken_links(output: Path, base_url: str) -> list[str]:
    """Every internal link or #fragment in the site that does not resolve, as 'page -> link'."""
    base = urlsplit(base_url)
    pages = {p: parse(p) for p in output.rglob("*.html")}
    problems: list[str] = []
    for page, parsed in pages.items():
        page_url = base_url + page.relative_to(output).as_posix().removesuffix("index.html")
        for link in parsed.links:
            written_absolute = bool(urlsplit(link).scheme)
            if written_absolute and not link.startswith(base_url):
                continue  # a link to another site
            target = urlsplit(urljoin(page_url, link))
            if not target.path.startswith(base.path):
                problems.append(f"{page.relative_to(output)} -> {link} (outside the site)")
                continue
            file = output / unquote(target.path[len(base.path):])
            if target.path.endswith("/"):
                file = file / "index.html"
            if not file.is_file():
                problems.append(f"{page.relative_to(output)} -> {link} (no such file)")
            elif target.fragment and target.fragment not in pages.get(file, _Collector()).ids:
                problems.append(f"{page.relative_to(output)} -> {link} (no such id)")
    return problems

"""briefgen/core/urls.py: the URL scheme, output files, links and web addresses."""

from __future__ import annotations

import pytest

from briefgen.core import urls
from briefgen.core.urls import Linker, is_web_address, output_file


def test_first_pages_have_the_short_address_and_later_pages_a_page_folder() -> None:
    assert [urls.home(1), urls.home(2)] == ["", "page/2/"]
    assert [urls.tag("asia"), urls.tag("asia", 3)] == ["tags/asia/", "tags/asia/page/3/"]
    assert [urls.outlet("wire"), urls.outlet("wire", 2)] == ["outlets/wire/", "outlets/wire/page/2/"]
    assert (urls.story("port-deal"), urls.tag_feed("asia"), urls.tag_json_feed("asia")) == (
        "port-deal/", "tags/asia/feed.xml", "tags/asia/feed.json")


@pytest.mark.parametrize(("path", "file"), [("", "index.html"), ("tags/asia/", "tags/asia/index.html"),
                                            ("feed.xml", "feed.xml"), ("404.html", "404.html")])
def test_a_folder_address_is_written_as_its_index_file(path: str, file: str) -> None:
    assert output_file(path) == file


def test_links_are_under_the_base_path_and_permalinks_under_the_base_url_quoted() -> None:
    linker = Linker("https://example.org/news/", "/news/")
    assert linker.link("tags/c-sharp/") == "/news/tags/c-sharp/"
    assert linker.permalink("東京 talks/#top") == "https://example.org/news/%E6%9D%B1%E4%BA%AC%20talks/#top"


@pytest.mark.parametrize(("url", "ok"), [
    ("https://example.org/", True), ("http://localhost:8000/", True), ("ftp://example.org/", False),
    ("https:///path", False), ("example.org", False), ("https://[x", False),
    ("https://example.org/\nSitemap: https://evil.example/", False), ("https://example.org/\x7f", False),
])
def test_a_web_address_is_http_or_https_with_a_host_and_no_control_characters(url: str, ok: bool) -> None:
    assert is_web_address(url) is ok

"""briefgen/core/headers.py: the security headers every page is served with."""

from __future__ import annotations

import tomllib

from briefgen.core.headers import CONTENT_SECURITY_POLICY, SECURITY_HEADERS, netlify_headers


def test_the_policy_allows_no_inline_code_and_lets_the_search_webassembly_run() -> None:
    directives = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


def test_netlify_toml_sends_every_security_header_for_every_file() -> None:
    [rule] = tomllib.loads(netlify_headers())["headers"]
    assert rule == {"for": "/*", "values": SECURITY_HEADERS}

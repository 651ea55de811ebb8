"""The HTTP headers every page is served with, in one place.

`init` writes them into a site's `netlify.toml` (this repository's own carries the
same), and `serve` sends them too, so a preview breaks exactly where the hosted site
would: an inline script or style shows in the preview first. Live reload needs
nothing beyond them: its script and the event stream are the page's own origin.
"""

from __future__ import annotations

# No inline scripts or styles are needed; 'wasm-unsafe-eval' lets Pagefind's WebAssembly search run.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: https:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'")

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def netlify_headers() -> str:
    """The `[[headers]]` rule of netlify.toml that sends SECURITY_HEADERS with every file."""
    values = "".join(f'    {name} = "{value}"\n' for name, value in SECURITY_HEADERS.items())
    return f'[[headers]]\n  for = "/*"\n  [headers.values]\n{values}'

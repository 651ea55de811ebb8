"""The names of a site's folders that every part of briefgen agrees on: where the stories are and
where builds keep their cache. A leaf, so the command line can name them without loading a stage."""

from __future__ import annotations

CONTENT_DIR = "content"
CACHE_DIR = ".briefgen-cache"

"""The site `serve` shows: one build's files in memory, its pages rendered when first asked for.

A build for the preview plans every page but renders only those a browser was shown
(build.py, `RenderMemory.lazy`); the others stay pending here and go through their
template on the first request, so `serve` answers as soon as the site is planned.
Two versions of a file are compared by their render keys (a page's key moves exactly
when its bytes may), so telling open pages what changed renders nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from briefgen.pages.plan import Page

Render = Callable[[str, Page], bytes]  # a pending page (its output file, its plan) -> its bytes


class SiteFiles(Mapping[str, bytes]):
    """Output file -> bytes, where a pending page's bytes are made on first use (`render`), and the
    pages a browser is shown are told to `seen` (serve keeps those rendered through later builds).

    The copies with_files and without make share what is rendered: a page rendered through one is
    rendered for all (serve's snapshot is replaced by such copies when the search index comes in)."""

    def __init__(self, files: Mapping[str, bytes], pending: Mapping[str, Page] | None = None,
                 keys: Mapping[str, str] | None = None, render: Render | None = None,
                 seen: Callable[[str], None] | None = None, rendered: dict[str, bytes] | None = None) -> None:
        self._files = dict(files)
        self._pending = dict(pending or {})
        for path in self._pending.keys() & self._files.keys():
            del self._pending[path]
        self._keys = dict(keys or {})  # a page's render key: equal keys, equal bytes
        self._render = render
        self._seen = seen
        self._rendered = {} if rendered is None else rendered

    def __getitem__(self, path: str) -> bytes:
        if path in self._files:
            return self._files[path]
        data = self._rendered.get(path)
        if data is None:
            page = self._pending[path]  # KeyError for a file the site does not have, as a Mapping says
            assert self._render is not None, "pending pages come with their renderer"
            data = self._rendered[path] = self._render(path, page)
        return data

    def shown(self, path: str) -> bytes | None:
        """A file's bytes for a browser, or None if the site has no such file."""
        if path not in self:
            return None
        if path in self._keys and self._seen is not None:
            self._seen(path)
        return self[path]

    def __contains__(self, path: object) -> bool:
        return path in self._files or path in self._pending

    def __iter__(self) -> Iterator[str]:
        yield from self._files
        yield from self._pending

    def __len__(self) -> int:
        return len(self._files) + len(self._pending)

    def ready(self, path: str) -> bytes | None:
        """The bytes if they are made, without rendering a pending page."""
        return self._files.get(path) or (self._rendered.get(path) if path in self._pending else None)

    def version(self, path: str) -> object:
        """What tells two versions of a file apart without rendering: its render key, else its bytes."""
        return self._keys.get(path) or self._files.get(path)

    def with_files(self, files: Mapping[str, bytes]) -> SiteFiles:
        """These files, with `files` put in (known by their bytes) and the rest as they are."""
        keys = dict(self._keys)
        for path in files:
            keys.pop(path, None)
        return SiteFiles({**self._files, **files}, self._pending, keys, self._render, self._seen, self._rendered)

    def without(self, prefix: str) -> SiteFiles:
        """These files but those whose names start with `prefix`."""
        return SiteFiles({path: data for path, data in self._files.items() if not path.startswith(prefix)},
                         {path: page for path, page in self._pending.items() if not path.startswith(prefix)},
                         self._keys, self._render, self._seen, self._rendered)


def changed_paths(old: SiteFiles, new: SiteFiles) -> list[str]:
    """The output files added, removed or rewritten: by their bytes where both are made (every page a
    browser was shown), else by their render keys.

    Only files whose render keys differ, or that have none, are looked at: equal keys, equal bytes. The
    rest is set arithmetic on the key tables, so a save's rebuild does not walk every page here."""
    moved = {path for path, _ in old._keys.items() ^ new._keys.items()}
    unkeyed = (old._files.keys() - old._keys.keys()) | (new._files.keys() - new._keys.keys())
    return [path for path in moved | unkeyed if _differ(old, new, path)]


def _differ(old: SiteFiles, new: SiteFiles, path: str) -> bool:
    before, after = old.ready(path), new.ready(path)
    if before is not None and after is not None:
        return before != after
    return old.version(path) != new.version(path)

"""Progress of a long build on a terminal: "stories 4,000/10,000 · 2,150/s".

Nothing is drawn for a build that finishes in a moment, nor when the output is
not a terminal (a log, CI) or the writer asked for quiet: then `Progress` does nothing.
"""

from __future__ import annotations

import time
from typing import TextIO

SHOW_AFTER_SECONDS = 0.5  # a quicker stage draws nothing
REDRAW_SECONDS = 0.1


class Progress:
    """Counts work done in named stages; draws only on a terminal (`stream`), else stays silent."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None and stream.isatty() else None
        self.stage, self.total, self.count = "", 0, 0
        self.started = self.drawn = 0.0
        self.showing = False

    def start(self, stage: str, total: int) -> None:
        self.finish()
        self.stage, self.total, self.count = stage, total, 0
        self.started = time.perf_counter()

    def advance(self, count: int = 1) -> None:
        self.count += count
        if self.stream is None:
            return
        now = time.perf_counter()
        if now - self.started >= SHOW_AFTER_SECONDS and now - self.drawn >= REDRAW_SECONDS:
            self.drawn = now
            self._draw(self.line(now - self.started))

    def line(self, seconds: float) -> str:
        rate = f" · {self.count / seconds:,.0f}/s" if seconds > 0 else ""
        return f"{self.stage} {self.count:,}/{self.total:,}{rate}"

    def finish(self) -> None:
        """Clear the line, so what follows prints on a clean one."""
        if self.stream is not None and self.showing:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
        self.showing = False

    def _draw(self, text: str) -> None:
        assert self.stream is not None
        self.stream.write(f"\r\x1b[2K{text}")
        self.stream.flush()
        self.showing = True


SILENT = Progress()

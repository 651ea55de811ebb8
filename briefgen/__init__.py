"""briefgen: a static-site generator for news briefings."""

import sys

__version__ = "0.1.0"

EXIT_INTERRUPTED = 128 + 2  # as a shell reports a command stopped by SIGINT


def main() -> int:
    """The `briefgen` command. Its modules take a moment to load: Ctrl-C meanwhile ends it as
    quietly as Ctrl-C later, not with a traceback from somewhere inside an import."""
    try:
        from briefgen.cli import main as run
    except KeyboardInterrupt:
        print("briefgen: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return run()

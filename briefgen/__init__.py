"""briefgen: a static-site generator for news briefings."""

import os
import sys

__version__ = "0.1.0"

EXIT_INTERRUPTED = 128 + 2  # as a shell reports a command stopped by SIGINT
EXIT_BROKEN_PIPE = 128 + 13  # as a shell reports a command stopped by SIGPIPE (`briefgen check | head`)


def main() -> int:
    """The `briefgen` command. Its modules take a moment to load: Ctrl-C meanwhile ends it as
    quietly as Ctrl-C later, not with a traceback from somewhere inside an import."""
    try:
        from briefgen.cli import main as run
    except KeyboardInterrupt:
        print("briefgen: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    try:
        return run()
    except BrokenPipeError:
        # Whoever read the output stopped reading (`| head -c 100`): stop quietly, as other tools do, and
        # let nothing more reach the closed pipe when Python flushes its streams at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE

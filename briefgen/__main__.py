"""The `briefgen` command, as `python -m briefgen` and as the installed script run it."""

import os
import signal
import sys
from typing import NoReturn

from briefgen import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED


def main() -> NoReturn:
    _leave(_run())


def _leave(code: int) -> NoReturn:
    """End the process with `code`, its output flushed, without Python's teardown: after a build that
    frees the build's millions of objects one by one and runs the cycle collector over them (0.15 to
    0.35 s of a one-edit build at 10,000 stories) for nothing. By then every file, lock, worker and
    subprocess of the command has been closed or joined by the code that opened it."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # the reader went away, or the stream is closed
            pass
    os._exit(code)


def _run() -> int:
    """The `briefgen` command. Ctrl-C at any instant ends it quietly with a true word: while its modules
    load, while a command runs, or after it returned (the word then still says what the command did,
    see cli.interrupted_word); once it is done, Ctrl-C is ignored until the process has exited."""
    try:
        try:
            from briefgen.cli import main as run
            return run()
        except BrokenPipeError:
            # Whoever read the output stopped reading (`| head -c 100`): stop quietly, as other tools do, and
            # let nothing more reach the closed pipe when the streams are flushed at the end.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_BROKEN_PIPE
        finally:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
    except KeyboardInterrupt:
        cli = sys.modules.get("briefgen.cli")
        print(cli.interrupted_word() if cli is not None else "briefgen: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    main()

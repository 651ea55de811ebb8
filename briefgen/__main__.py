"""The `briefgen` command, as `python -m briefgen` and as the installed script run it."""

import os
import signal
import sys

from briefgen import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED


def main() -> int:
    """The `briefgen` command. Ctrl-C at any instant ends it quietly with a true word: while its modules
    load, while a command runs, or after it returned (the word then still says what the command did,
    see cli.interrupted_word); once it is done, Ctrl-C is ignored until the process has exited."""
    try:
        try:
            from briefgen.cli import main as run
            return run()
        except BrokenPipeError:
            # Whoever read the output stopped reading (`| head -c 100`): stop quietly, as other tools do, and
            # let nothing more reach the closed pipe when Python flushes its streams at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_BROKEN_PIPE
        finally:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
    except KeyboardInterrupt:
        cli = sys.modules.get("briefgen.cli")
        print(cli.interrupted_word() if cli is not None else "briefgen: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    raise SystemExit(main())

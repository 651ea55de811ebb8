"""briefgen: a static-site generator for news briefings."""

__version__ = "0.1.0"

EXIT_INTERRUPTED = 128 + 2  # as a shell reports a command stopped by SIGINT
EXIT_BROKEN_PIPE = 128 + 13  # as a shell reports a command stopped by SIGPIPE (`briefgen check | head`)

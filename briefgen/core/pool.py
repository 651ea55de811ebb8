"""Spread independent pieces of work over one process per core.

Workers are forked, so they inherit what the parent has built (the Markdown
parser, compiled templates, the planned pages, the file bytes) instead of
receiving it pickled: only chunk numbers go out, and results come back in order.
The work runs here, serially, where the pool cannot pay for itself (a small
site), where fork is missing, or where threads are running (a forked child
would inherit their locks mid-use). Either way the results are the same.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS_PER_WORKER = 150  # below this a worker costs more to start than it saves
CHUNKS_PER_WORKER = 8  # small enough chunks to balance uneven work and report progress


def machine_workers() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers_for(items: int, jobs: int) -> int:
    """How many processes to use: `jobs` if given (>= 1), else the machine's cores when worth it."""
    if jobs >= 1:
        return jobs
    return max(1, min(machine_workers(), items // MIN_ITEMS_PER_WORKER))


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


class _Job(Generic[Item, Result]):
    """What the forked workers inherit: the function, the items, and how they are cut."""

    def __init__(self, function: Callable[[Item], Result], items: Sequence[Item], chunk: int) -> None:
        self.function = function
        self.items = items
        self.chunk = chunk

    def run(self, number: int) -> list[Result]:
        start = number * self.chunk
        return [self.function(item) for item in self.items[start:start + self.chunk]]


_inherited: _Job[Any, Any] | None = None


def _ignore_interrupts() -> None:
    """In a worker: Ctrl-C is the parent's to handle. A worker stopped by it mid-chunk would
    print its own traceback and leave the parent waiting for a result that never comes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _run_chunk(number: int) -> list[Any]:
    assert _inherited is not None, "a pool worker runs only inside parallel_map"
    return _inherited.run(number)


def parallel_map(function: Callable[[Item], Result], items: Sequence[Item], jobs: int = 0,
                 done: Callable[[int], None] | None = None) -> list[Result]:
    """`[function(item) for item in items]`, over `jobs` processes (0: as many as worth it).

    `done(n)` is called in this process as each run of n items finishes.
    """
    global _inherited
    workers = workers_for(len(items), jobs)
    if workers <= 1 or len(items) < 2 or not can_fork():
        return _serially(function, items, done)
    chunk = max(1, -(-len(items) // (workers * CHUNKS_PER_WORKER)))
    _inherited = _Job(function, items, chunk)
    pool = None
    try:
        with _interrupts_held():  # no worker may be born with Python's handler for Ctrl-C
            pool = multiprocessing.get_context("fork").Pool(workers, initializer=_ignore_interrupts)
        results: list[Result] = []  # a Ctrl-C held during the start arrives here, with the pool to stop
        for part in pool.imap(_run_chunk, range(-(-len(items) // chunk))):
            results.extend(part)
            if done is not None:
                done(len(part))
        return results
    finally:
        # Ctrl-C in the middle of this would stop the workers half-way, or be swallowed by one of
        # the finalizers that run as the pool is freed (printing "Exception ignored" and going on).
        with _interrupts_held():
            if pool is not None:
                pool.terminate()
            pool = None
            _inherited = None


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C is held back in the block (the signal stays pending) and arrives as it ends.

    Only for the main thread while it is the only one: another thread would take the signal.
    """
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _serially(function: Callable[[Item], Result], items: Sequence[Item],
              done: Callable[[int], None] | None) -> list[Result]:
    results: list[Result] = []
    for item in items:
        results.append(function(item))
        if done is not None:
            done(1)
    return results

"""SIGINT and SIGTERM as an exception, so every command cleans up on the way out.

The command line installs the handlers (signals reach only the main thread).  Both
signals raise Interrupted, a KeyboardInterrupt, which no `except Exception` swallows;
the `finally` blocks of the build remove its temporary folders, and the command line
exits 128 + the signal number (130, 143).  Inside deferred() a signal waits until the
block ends, so removing a temporary folder or renaming an output is never cut short.
"""
from __future__ import annotations

import contextlib
import os
import signal
import threading

_depth = 0
_pending: int | None = None


class Interrupted(KeyboardInterrupt):
    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
        self.exit_code = 128 + signum
        self.name = signal.Signals(signum).name


def _handler(signum, frame) -> None:
    global _pending
    if _depth:
        _pending = signum
        return
    raise Interrupted(signum)


def _exit_now(signum, frame) -> None:
    os.write(2, f"interrupted ({signal.Signals(signum).name}) while starting: nothing was done\n".encode())
    os._exit(128 + signum)


def install(starting: bool = False) -> None:
    """Turn SIGINT and SIGTERM into Interrupted (main thread only; elsewhere a no-op).
    starting: the program is still importing, nothing to clean up: exit at once, quietly."""
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _exit_now if starting else _handler)


@contextlib.contextmanager
def deferred():
    """Hold signals back until the block is done (only in the main thread: the others get none)."""
    global _depth, _pending
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if not _depth and _pending is not None:
            signum, _pending = _pending, None
            raise Interrupted(signum)

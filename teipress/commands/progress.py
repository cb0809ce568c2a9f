"""What a long build is doing, on one line of the terminal: the stage, documents done of
the total, time spent and time left.

Shown only when asked (`teipress build --progress`) or when standard error is a terminal and
no CI is said to be running (the CI variable that CI services set); never in logs.  The line
is redrawn at most a few times a second and cleared when the build ends, so what the build
prints besides (warnings, the stage timings) reads as without it.  Stages report through the
module's functions, which do nothing while no display is on, so deep code (the model's
workers, the PDF stage) needs no display passed down to it.
"""
from __future__ import annotations

import os
import sys
import threading
import time
from typing import TextIO

REDRAW = 0.2  # seconds between two redraws of the line


class Display:
    def __init__(self, stream: TextIO):
        self.stream = stream
        self.lock = threading.Lock()
        self.name, self.total, self.done = "", 0, 0
        self.started = self.drawn = 0.0
        self.shown = False

    def stage(self, name: str, total: int = 0) -> None:
        with self.lock:
            self.name, self.total, self.done = name, total, 0
            self.started = time.monotonic()
            self._draw(force=True)

    def advance(self, n: int = 1) -> None:
        with self.lock:
            self.done += n
            self._draw(force=self.done == self.total)

    def _draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.drawn < REDRAW:
            return
        self.drawn = now
        self.stream.write("\r\x1b[K" + line(self.name, self.done, self.total, now - self.started))
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        with self.lock:
            if self.shown:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
                self.shown = False


def line(name: str, done: int, total: int, elapsed: float) -> str:
    """'pdf: 120/5000 documents, 0:42, about 28:30 left' (the time left once a few are done)."""
    text = f"{name}: "
    if total:
        text += f"{done}/{total} documents, "
    text += clock(elapsed)
    if total and done >= max(1, total // 100) and done < total:
        text += f", about {clock(elapsed / done * (total - done))} left"
    return text


def clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


_display: Display | None = None


def wanted(flag: bool | None, stream: TextIO | None = None) -> bool:
    """--progress / --no-progress, else on a terminal outside CI."""
    if flag is not None:
        return flag
    return (stream or sys.stderr).isatty() and not os.environ.get("CI")


def start(stream: TextIO | None = None) -> None:
    global _display
    _display = Display(stream or sys.stderr)  # the stream of now (click's test runner swaps it)


def stop() -> None:
    global _display
    if _display is not None:
        _display.clear()
    _display = None


def stage(name: str, total: int = 0) -> None:
    if _display is not None:
        _display.stage(name, total)


def advance(n: int = 1) -> None:
    if _display is not None:
        _display.advance(n)


def clear() -> None:
    """Before printing a line of its own: the next redraw brings the display back."""
    if _display is not None:
        _display.clear()

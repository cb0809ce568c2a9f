"""A record of the PDF stage's schedule, for measuring it: TEIPRESS_PDF_TIMELINE=<file>.

When set, the stage appends one JSON line per event to the file: the main process's steps
(the stage begun, the workers forked, the stage ended), and for each document the process that
made it, when it began and ended (seconds since the epoch) and the CPU it took, in the worker
(the Python preparation) and in the worker's Typst child (the typesetting).
scripts/benchmark_book.py reads it back (lanes(), summary()) to show where each core stood idle.
Nothing of the build depends on it; unset, nothing is recorded.  (Where the stage typesets on
threads of one process, `teipress serve`, a document's Typst CPU is that of all the process's
Typst children while it was under way.)
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

ENV = "TEIPRESS_PDF_TIMELINE"


def path() -> str:
    return os.environ.get(ENV, "")


def own_cpu() -> float:
    """Seconds of CPU of this process alone (user + system)."""
    t = os.times()
    return t.user + t.system


def event(name: str, **fields) -> None:
    """A step of the process that calls it (when a timeline is asked for)."""
    if path():
        write({"event": name, "pid": os.getpid(), "t": time.time(), "cpu": own_cpu(), **fields})


def write(record: dict) -> None:
    # one short line a write, with O_APPEND: lines of several processes never interleave
    fd = os.open(path(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (json.dumps(record) + "\n").encode())
    finally:
        os.close(fd)


def read(file: Path) -> list[dict]:
    return [json.loads(line) for line in Path(file).read_text(encoding="utf-8").splitlines() if line.strip()]


def lanes(records: list[dict]) -> dict[int, list[dict]]:
    """The documents of each process (a lane), in the order it made them."""
    out: dict[int, list[dict]] = {}
    for r in sorted((r for r in records if r.get("event") == "document"), key=lambda r: r["start"]):
        out.setdefault(r["pid"], []).append(r)
    return out


def summary(records: list[dict]) -> dict:
    """Where the stage's wall time went: for each lane its first and last document against the
    stage's start and end, the time between its documents, its CPU, how long it stood idle
    while another lane had a document under way, and how many of its documents it took from
    another lane's stretch (outputs/pdf_schedule.py); for the main process
    its CPU before the first document began and after the last ended (the serial parts)."""
    main = {r["event"]: r for r in records if r.get("event") not in (None, "document", "closed")}
    begin, end = main["begin"], main["end"]
    docs = lanes(records)
    first = min((d[0]["start"] for d in docs.values()), default=begin["t"])
    last = max((d[-1]["end"] for d in docs.values()), default=end["t"])
    out = {"wall": end["t"] - begin["t"], "main_cpu": end["cpu"] - begin["cpu"],
           "before_first": first - begin["t"], "after_last": end["t"] - last, "lanes": []}
    if "fork" in main:
        out["main_cpu_before_fork"] = main["fork"]["cpu"] - begin["cpu"]
        out["before_fork"] = main["fork"]["t"] - begin["t"]
    closed = {r["pid"]: r["t"] for r in records if r.get("event") == "closed"}
    if "results" in main:  # the last result read: what follows is the pool's end
        out["after_results"] = end["t"] - main["results"]["t"]
    for pid, ds in docs.items():
        gaps = sum(max(0.0, b["start"] - a["end"]) for a, b in zip(ds, ds[1:]))
        out["lanes"].append({
            "pid": pid, "documents": len(ds), "start": ds[0]["start"] - begin["t"],
            "end": ds[-1]["end"] - begin["t"], "busy": sum(d["end"] - d["start"] for d in ds),
            "between": gaps, "cpu": sum(d["cpu"] + d["typst"] for d in ds),
            "cpu_python": sum(d["cpu"] for d in ds), "cpu_typst": sum(d["typst"] for d in ds),
            "idle_at_end": end["t"] - ds[-1]["end"],
            # standing idle while the stage ran documents: before its first, between, after its last
            "idle": (ds[0]["start"] - first) + gaps + (last - ds[-1]["end"]),
            "stolen": sum(1 for d in ds if d.get("stolen")),
            "closing_typst": closed[pid] - ds[-1]["end"] if pid in closed else 0.0})
    out["lanes"].sort(key=lambda lane: lane["start"])
    return out

"""Typst, run in a child process with a memory limit, so that a PDF too big to typeset
is a message and not the end of teipress.

Typst is a Rust library: when an allocation fails it aborts the whole process, and no
Python code can catch that.  So each PDF is typeset by `python -m teipress.outputs.typeset`
under an address-space limit (RLIMIT_AS) below what the machine has; an abort there
becomes OutOfMemory for the one document, long before the kernel's OOM killer would
pick a process.  A child costs some 60 ms to start, little beside the typesetting.
The children of an interrupted build are killed (cancel_all), so SIGINT/SIGTERM end
the build at once.  TEIPRESS_PDF_MEMORY (e.g. "4G", "800M") sets the limit; the
default is three quarters of the machine's (or the container's) memory.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


class TypesetError(Exception):
    def __init__(self, message: str, hints: list[str] | None = None):
        super().__init__(message)
        self.message, self.hints = message, list(hints or [])


class OutOfMemory(TypesetError):
    pass


def memory_limit() -> int:
    """Bytes of address space a Typst child may use (0: no limit)."""
    setting = os.environ.get("TEIPRESS_PDF_MEMORY", "").strip()
    if setting:
        m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?", setting.upper())
        if not m:
            raise TypesetError(f"TEIPRESS_PDF_MEMORY='{setting}' is not a size such as 4G or 800M")
        return int(float(m.group(1)) * UNITS[m.group(2)])
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 0
    # In a container the machine's memory is not ours: its cgroup's limit is (v2, then v1).
    for limit_file in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            memory = min(memory, int(Path(limit_file).read_text().strip()))
        except (OSError, ValueError):  # absent, or "max"
            continue
    return int(memory * 3 // 4)


def human(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


_running: set[subprocess.Popen] = set()
_guard = threading.Lock()
_cancelled = threading.Event()


def cancel_all() -> None:
    """Kill every Typst child (the build is being interrupted or has failed)."""
    _cancelled.set()
    with _guard:
        for proc in _running:
            try:
                proc.kill()
            except OSError:
                pass


def reset() -> None:
    _cancelled.clear()


def compile_pdf(main: Path, root: Path, output: Path, *, font_paths: list[str], standards: list[str],
                timestamp: int) -> list[str]:
    """Typeset *main* (Typst may read only inside *root*) into *output*; returns the warnings.
    Raises TypesetError (Typst's message), OutOfMemory, or KeyboardInterrupt after cancel_all()."""
    limit = memory_limit()
    job = {"main": str(main), "root": str(root), "output": str(output), "font_paths": font_paths,
           "standards": standards, "timestamp": timestamp, "memory": limit}
    with _guard:
        if _cancelled.is_set():
            raise KeyboardInterrupt
        proc = subprocess.Popen([sys.executable, "-m", "teipress.outputs.typeset"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                # out of the terminal's process group: Ctrl-C is for us to handle
                                start_new_session=True)
        _running.add(proc)
    try:
        out, err = proc.communicate(json.dumps(job).encode())
    finally:
        with _guard:
            _running.discard(proc)
    if _cancelled.is_set():
        raise KeyboardInterrupt
    rc = proc.returncode
    try:
        result = json.loads(out.decode("utf-8") or "{}")
    except ValueError:
        result = {}
    if rc == 0:
        return result.get("warnings", [])
    if rc == 3:
        raise TypesetError(result.get("error", "unknown error"), result.get("hints"))
    stderr = err.decode("utf-8", "replace")
    if rc == 4 or rc == -signal.SIGABRT and "memory allocation" in stderr:
        raise OutOfMemory(f"the PDF needs more memory than {human(limit)}"
                          " (TEIPRESS_PDF_MEMORY sets the limit; a very long paragraph or document "
                          "is the usual cause)")
    if rc == -signal.SIGKILL:
        raise OutOfMemory("Typst was killed, most likely because the machine ran out of memory")
    last = next((line for line in reversed(stderr.splitlines()) if line.strip()), f"exit status {rc}")
    raise TypesetError(f"Typst failed: {last.strip()}")


def _child() -> int:
    job = json.loads(sys.stdin.buffer.read())
    if job.get("memory"):
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (job["memory"], job["memory"]))
    try:
        import typst
    except MemoryError:
        return 4
    try:
        pdf, warnings = typst.compile_with_warnings(
            job["main"], root=job["root"], format="pdf", font_paths=job["font_paths"],
            ignore_system_fonts=True, pdf_standards=job["standards"], timestamp=job["timestamp"])
    except MemoryError:
        return 4
    except typst.TypstError as exc:  # the message is Typst's, the hints say where
        json.dump({"error": str(getattr(exc, "message", exc)), "hints": list(getattr(exc, "hints", []) or [])},
                  sys.stdout)
        return 3
    Path(job["output"]).write_bytes(pdf)
    json.dump({"warnings": [str(getattr(w, "message", w)) for w in warnings]}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(_child())

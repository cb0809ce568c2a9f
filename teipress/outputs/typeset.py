"""Typst, run in a child process with a memory limit, so that a PDF too big to typeset
is a message and not the end of teipress.

Typst is a Rust library: when an allocation fails it aborts the whole process, and no
Python code can catch that.  So PDFs are typeset by workers, `python -m
teipress.outputs.typeset`, under an address-space limit (RLIMIT_AS) below what the machine
has; an abort there becomes OutOfMemory for the one document, long before the kernel's OOM
killer would pick a process.  A worker typesets one document after another (see _Worker).
The children of an interrupted build are killed (cancel_all), so SIGINT/SIGTERM end
the build at once.  TEIPRESS_PDF_MEMORY (e.g. "4G", "800M") sets the limit; the
default is three quarters of the machine's (or the container's) memory.

Typst caches what it computed within a process (parsed template, evaluated calls, laid-out
paragraphs), keyed by content: a worker that typeset a document re-typesets it after a
one-paragraph change in a fraction of the first time.  A build ends its workers with the PDF
stage; a long-lived caller (``teipress serve``) calls keep_warm() once, so that the workers,
and their caches, outlive each build, and close() when it stops.  A document goes back to the
worker that typeset it last (compile_pdf's *key*), whose caches hold it.
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
    warm = False  # raised in a worker that had typeset other documents before


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


# -- the workers ---------------------------------------------------------------------
# A worker is a child process that typesets one document after another (a JSON line in, a
# JSON line out): Typst keeps its fonts and what it learnt about the template between
# documents, which a fresh process per document would pay again each time.  A worker is
# retired after RECYCLE documents, so Typst's caches stay bounded in long builds, and
# whenever a job failed (its state is not trusted after an error).
RECYCLE = 40
# ... and, in a build (not kept warm), after a job that left it larger than this: Typst's caches
# then hold a big document's layout, and every later document paid for them (twelve letters
# typeset after a facing-pages edition of 1,200 MB took 1.8 s of CPU instead of 0.5), while a
# fresh worker costs 0.07 s.  Kept warm (serve), the worker keeps the big document for its next
# rebuild.
RETIRE_RSS = 512 << 20


class _Worker:
    def __init__(self, limit: int, font_paths: list[str] | None = None):
        import tempfile

        self.stderr = tempfile.TemporaryFile()  # a file, not a pipe: a chatty child cannot block
        # The child of a forked worker of the PDF stage ends with it (killed or not: an
        # interrupted build kills its workers); font_paths: the fonts to find before the first job.
        parent = os.getpid() if _die_with_parent else 0
        self.proc = subprocess.Popen([sys.executable, "-m", "teipress.outputs.typeset", str(limit), str(parent),
                                      json.dumps(font_paths or [])],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
                                     # out of the terminal's process group: Ctrl-C is for us to handle
                                     start_new_session=True)
        self.limit, self.done = limit, 0
        self.keys: list[str] = []  # the documents it typeset, most recent last

    def run(self, job: dict) -> dict | None:
        """The child's answer, or None when it died (its exit status says why)."""
        try:
            self.proc.stdin.write(json.dumps(job).encode() + b"\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        except (BrokenPipeError, OSError):
            line = b""
        self.done += 1
        if not line:
            self.proc.wait()
            return None
        try:
            return json.loads(line.decode("utf-8"))
        except ValueError:
            return {"status": 5, "error": "an unreadable answer from Typst's process"}

    def last_words(self) -> str:
        """What the child printed before it died (the end of it)."""
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")[-4000:]

    def stop(self) -> None:
        for close in (self.proc.stdin.close, self.proc.kill):
            try:
                close()
            except OSError:
                pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self.stderr.close()


_idle: list[_Worker] = []
_die_with_parent = False  # set in a forked worker of the PDF stage (die_with_this_process)
_busy: set[_Worker] = set()
_guard = threading.Lock()
_cancelled = threading.Event()
_warm = threading.Event()  # keep idle workers between PDF stages (keep_warm)


def _forget_inherited() -> None:
    """A process forked from this one (teipress.workers: the PDF stage's) inherits the lists of
    its parent's Typst workers, whose pipes are the parent's to use: it starts its own."""
    global _guard, _die_with_parent
    _idle.clear()
    _busy.clear()
    _guard = threading.Lock()
    _die_with_parent = False


def die_with_this_process() -> None:
    """The Typst children this process starts from now on end when it ends, killed or not (Linux:
    PR_SET_PDEATHSIG).  Only for a process whose Typst children are started by its main thread
    and live no longer than it (a forked worker of the PDF stage): the signal comes when the
    thread that started the child ends."""
    global _die_with_parent
    _die_with_parent = True


def start(font_paths: list[str]) -> None:
    """Start a Typst worker now, unless one is idle: it loads Typst and finds its fonts while
    this process prepares the first document, instead of after."""
    limit = memory_limit()
    with _guard:
        if _cancelled.is_set() or any(w.limit == limit for w in _idle):
            return
    w = _Worker(limit, font_paths)
    with _guard:
        _idle.append(w)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_inherited)


def keep_warm(on: bool = True) -> None:
    """Keep the Typst workers, and their caches, from one PDF stage to the next (for a
    long-lived process such as `teipress serve`); close() ends them."""
    if on:
        _warm.set()
    else:
        _warm.clear()
        close()


def kept_warm() -> bool:
    """Whether the workers outlive the PDF stage (keep_warm): the stage then typesets from this
    process, whose workers they are (outputs/pdf.py)."""
    return _warm.is_set()


def close() -> None:
    """End every idle worker, whether or not they are kept warm."""
    with _guard:
        workers = list(_idle)
        _idle.clear()
    for w in workers:
        w.stop()


def cancel_all() -> None:
    """Kill every Typst child (the build is being interrupted or has failed)."""
    _cancelled.set()
    with _guard:
        workers = list(_busy) + _idle
        _idle.clear()
    for w in workers:
        try:
            w.proc.kill()
        except OSError:
            pass


def child_cpu() -> float:
    """Seconds of CPU of this process's Typst children: those ended and waited for (os.times),
    and those alive (/proc, Linux; elsewhere not counted).  For the stage's timeline."""
    t = os.times()
    total = t.children_user + t.children_system
    with _guard:
        alive = [w.proc.pid for w in list(_busy) + _idle]
    for pid in alive:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            pass
    return total


def reset() -> None:
    _cancelled.clear()


def shutdown() -> None:
    """End the idle workers (at the end of the PDF stage), unless they are kept warm."""
    if not _warm.is_set():
        close()


def _take(limit: int, fresh: bool = False, key: str | None = None) -> _Worker:
    with _guard:
        if _cancelled.is_set():
            raise KeyboardInterrupt
        # the worker that typeset this document last holds it in its caches
        if key is not None and not fresh:
            mine = [w for w in _idle if key in w.keys]
            if mine:
                _idle.remove(mine[-1])
                _idle.append(mine[-1])
        while _idle and not fresh:
            w = _idle.pop()
            if w.limit == limit and w.proc.poll() is None:
                _busy.add(w)
                return w
            w.stop()
        w = _Worker(limit)
        _busy.add(w)
        return w


def _resident(pid: int) -> int:
    """Bytes of memory process *pid* holds (VmRSS; 0 where /proc cannot tell)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        return int(status.split("VmRSS:", 1)[1].split()[0]) * 1024
    except (OSError, IndexError, ValueError):
        return 0


def _give_back(w: _Worker, healthy: bool) -> None:
    with _guard:
        _busy.discard(w)
        keep = (healthy and w.done < RECYCLE and not _cancelled.is_set() and w.proc.poll() is None
                and (_warm.is_set() or _resident(w.proc.pid) < RETIRE_RSS))
        if keep:
            _idle.append(w)
    if not keep:
        w.stop()


def compile_pdf(main: Path, root: Path, output: Path, *, font_paths: list[str], standards: list[str],
                timestamp: int, key: str | None = None, facts: Path | None = None,
                alone: bool = False, keep: bool = True) -> list[str]:
    """Typeset *main* (Typst may read only inside *root*) into *output*; returns the warnings.
    *key* names the document, so that it goes back to the worker that typeset it before.
    *facts*: a file for the value of the document's `<tp-volume>` metadata (JSON), read from the
    same compilation.  *alone*: in a worker of its own, ended afterwards, so that the memory
    Typst needed goes with it (a volume of a long document: teipress.outputs.volumes).
    keep=False: the worker ends after this job (a one-off whose caches no document will use).
    Raises TypesetError (Typst's message), OutOfMemory, or KeyboardInterrupt after cancel_all()."""
    limit = memory_limit()
    job = {"main": str(main), "root": str(root), "output": str(output), "font_paths": font_paths,
           "standards": standards, "timestamp": timestamp}
    if facts is not None:
        job["facts"] = str(facts)
    if alone:
        return _compile_once(job, limit, fresh=True, key=None, keep=False)
    try:
        return _compile_once(job, limit, fresh=False, key=key, keep=keep)
    except OutOfMemory as exc:
        if not exc.warm:
            raise
        # A warm worker carries the caches of the documents before: the document gets a
        # fresh worker before it is said not to fit.
        return _compile_once(job, limit, fresh=True, key=key, keep=keep)


def _too_big(limit: int, warm: bool) -> OutOfMemory:
    exc = OutOfMemory(f"the PDF needs more memory than {human(limit)} (TEIPRESS_PDF_MEMORY sets the "
                      "limit; a very long paragraph or document is the usual cause)")
    exc.warm = warm
    return exc


def _compile_once(job: dict, limit: int, fresh: bool, key: str | None = None, keep: bool = True) -> list[str]:
    worker = _take(limit, fresh, key)
    warm = worker.done > 0
    result, rc, stderr = None, None, ""
    try:
        result = worker.run(job)
        if key is not None:
            worker.keys = [k for k in worker.keys if k != key][-RECYCLE:] + [key]
        if result is None:  # the worker died under this document: read why before it goes
            rc, stderr = worker.proc.returncode, worker.last_words()
    finally:
        _give_back(worker, keep and result is not None and result.get("status") == 0)
    if _cancelled.is_set():
        raise KeyboardInterrupt
    if result is None:
        if rc == 4 or rc == -signal.SIGABRT and "memory allocation" in stderr:
            raise _too_big(limit, warm)
        if rc == -signal.SIGKILL:
            exc = OutOfMemory("Typst was killed, most likely because the machine ran out of memory")
            exc.warm = warm
            raise exc
        lines = [line.strip() for line in stderr.splitlines() if line.strip()]
        # Rust says what went wrong on the "panicked" line; its notes on backtraces follow
        cause = next((line for line in lines if "panicked" in line or "error" in line.lower()),
                     lines[-1] if lines else f"exit status {rc}")
        raise TypesetError(f"Typst failed: {cause}")
    status = result.get("status")
    if status == 0:
        return result.get("warnings", [])
    if status == 4:
        raise _too_big(limit, warm)
    raise TypesetError(result.get("error", "unknown error"), result.get("hints"))


_compilers: dict = {}


def _compiler(typst, font_paths: list[str]):
    """One Typst compiler per set of font folders, for the life of the worker: the fonts are
    found once, not for every document."""
    key = tuple(font_paths)
    if key not in _compilers:
        _compilers[key] = typst.Compiler(font_paths=list(font_paths), ignore_system_fonts=True)
    return _compilers[key]


def _typeset(job: dict, typst) -> dict:
    try:
        pdf, warnings = _compiler(typst, job["font_paths"]).compile_with_warnings(
            input=job["main"], root=job["root"], format="pdf", pdf_standards=job["standards"],
            timestamp=job["timestamp"])
    except MemoryError:
        return {"status": 4}
    except typst.TypstError as exc:  # the message is Typst's, the hints say where
        return {"status": 3, "error": str(getattr(exc, "message", exc)),
                "hints": list(getattr(exc, "hints", []) or [])}
    Path(job["output"]).write_bytes(pdf)
    if job.get("facts"):  # Typst answers the query from what the compilation above laid out
        try:
            Path(job["facts"]).write_text(_compiler(typst, job["font_paths"]).query(
                "<tp-volume>", field="value", one=True, format="json"), encoding="utf-8")
        except typst.TypstError as exc:
            return {"status": 3, "error": str(getattr(exc, "message", exc))}
    return {"status": 0, "warnings": [str(getattr(w, "message", w)) for w in warnings]}


def _child(limit: int, parent: int = 0, font_paths: list[str] | None = None) -> int:
    if parent:
        from .. import workers

        workers.die_with(parent)
    if limit:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        import typst

        if font_paths:  # found now, while the parent prepares the first document
            _compiler(typst, font_paths)
    except MemoryError:
        return 4
    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        answer = _typeset(json.loads(line), typst)
        out.write(json.dumps(answer).encode() + b"\n")
        out.flush()
        if answer["status"] == 4:
            return 4  # after a MemoryError nothing here is trusted
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(_child(int(args[0]) if args else 0, int(args[1]) if len(args) > 1 else 0,
                    json.loads(args[2]) if len(args) > 2 else None))

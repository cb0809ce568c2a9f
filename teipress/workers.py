"""Per-document work on every core: one pool of forked workers for every stage that has it.

The schema check, the behaviour models and the HTML pages are each a function of one
document and of what the parent has already worked out (the parsed trees, the compiled
schemas, the names, the model).  Forked workers inherit all of that as it is, so a job is
only an index into a list the parent holds, and only the job's result travels back
(pickled).  Results come back in the order of the jobs, so a build made by workers is the
same as one made in a single process.

Work stays in this process for a small job list, with TEIPRESS_JOBS=1, where fork is not
available, and in a process running threads (`teipress serve`): forking there could copy a
lock another thread holds and hang the worker.
"""
from __future__ import annotations

import functools
import gc
import itertools
import os
import sys
import threading
from typing import TYPE_CHECKING, Callable, Iterator, Sequence, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

# (multiprocessing and concurrent.futures are imported when workers are first forked: a build
# that forks none, one letter changed, need not import them)

T = TypeVar("T")
R = TypeVar("R")

_job: tuple = ()  # (function, items) of the running map, inherited by the forked workers


def jobs() -> int:
    """How many worker processes: TEIPRESS_JOBS, else the cores."""
    return max(1, int(os.environ.get("TEIPRESS_JOBS") or 0) or os.cpu_count() or 1)


def forks(count: int, minimum: int, processes: int | None = None) -> bool:
    """Whether *count* jobs go to forked workers (see the module's docstring)."""
    return ((processes or jobs()) > 1 and count >= minimum and threading.active_count() == 1
            and _can_fork())


def _can_fork() -> bool:
    """Whether the fork start method is there (multiprocessing's answer, without importing it)."""
    return sys.platform != "win32" and hasattr(os, "fork")


def forked_map(fn: Callable[[T], R], items: Sequence[T], minimum: int,
               processes: int | None = None, chunksize: int | None = None,
               recycle: int | None = None) -> Iterator[R]:
    """fn(item) for each of *items*, in order: in forked workers when there are at least
    *minimum* items (and forking is safe), else here.  *fn* may be any callable (a closure
    too): the workers inherit it; its results must pickle.  *processes*: how many workers
    (default: jobs()).  *chunksize*: items a worker takes at a time (default: a few per
    worker); 1 for jobs of very unequal cost, handed out largest first, so that no worker is
    left with a long one at the end.  *recycle*: about how many items a worker makes before
    it ends and a worker forked afresh goes on (rounds()), for jobs that touch, and so copy,
    a little more of this process's memory with each item."""
    global _job, _parent
    if not forks(len(items), minimum, processes):
        for item in items:
            yield fn(item)
        return
    n = min(processes or jobs(), len(items))
    _job, _parent = (fn, items), os.getpid()
    frozen()
    try:
        for start, stop in rounds(len(items), n, recycle):
            yield from _round(start, stop, n, chunksize)
    finally:
        _job = ()
        thawed()


def rounds(count: int, processes: int, recycle: int | None) -> list[tuple[int, int]]:
    """The (start, stop) of each round of a map of *count* items: a round's workers are forked
    when it begins and end with it, so that what each copied of this process's memory (a page
    is copied when a worker writes an object's reference count on it) is given back after about
    *recycle* items a worker, not held until the whole map is done.  Rounds of equal size."""
    if not recycle or count <= recycle * processes:
        return [(0, count)]
    many = -(-count // (recycle * processes))
    bounds = [count * i // many for i in range(many + 1)]
    return list(zip(bounds, bounds[1:]))


def _round(start: int, stop: int, n: int, chunksize: int | None) -> Iterator:
    """The results of items[start:stop] of the running map (_job), made by *n* workers forked now."""
    give_back_memory()  # (what this process freed: else each worker starts with it, and may touch it)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    count = stop - start
    ctx = multiprocessing.get_context("fork")
    # the workers end with this process, killed or not (die_with): none outlives a build
    with ProcessPoolExecutor(max_workers=min(n, count), mp_context=ctx,
                             initializer=die_with, initargs=(os.getpid(),)) as pool:
        size = chunksize or max(1, min(32, count // (n * 4)))
        futures = [pool.submit(_run, i, min(i + size, stop)) for i in range(start, stop, size)]
        futures.reverse()  # popped in order: a result is let go once read
        try:
            while futures:
                yield from futures.pop().result()
        except BaseException:
            # Interrupted (SIGINT, SIGTERM), or the caller stopped reading: the work under way
            # is not wanted.  Leaving the pool would wait for each worker to finish the jobs
            # it holds (a run of PDFs: many seconds), so the workers are killed first; what
            # they started themselves ends with them (die_with; a PDF worker's Typst child).
            # (The jobs not begun are not cancelled: the pool fails them itself when it
            # finds its workers gone, and a cancelled one makes it fail with a traceback,
            # CPython 3.11.)
            kill(pool)
            raise


_parent = 0  # the process that forked the running map's workers


def give_back_memory() -> None:
    """Return the memory this process has freed to the system.  glibc keeps what a process
    frees (the trees of a stage, the pages a stage rendered and wrote) for its next allocations,
    scattered over its heap: the process's resident memory stays at its high-water mark, and
    workers forked then would each start with it (and copy the pages they allocate into).
    Elsewhere than glibc this does nothing."""
    try:
        _libc().malloc_trim(0)
    except (OSError, AttributeError):
        pass


@functools.cache
def _libc():
    import ctypes

    return ctypes.CDLL(None)


def in_worker() -> bool:
    """Whether this process is a worker forked by forked_map (its jobs' results go back pickled,
    so what a job leaves on the objects it inherited is never read again)."""
    return bool(_job) and _parent != 0 and os.getpid() != _parent


_frozen = 0  # how many holders of the freeze are running (the collector is thawed when the last ends)


def frozen() -> None:
    """Keep the collector off what this process holds now, until the matching thawed().

    A forked worker shares this process's memory until either writes to a page.  The cyclic
    collector writes into the header of every object it walks, so one full collection, in the
    worker or here, would copy nearly every page of an edition's records into the process that
    ran it: the edition's memory counted once more for each.  Frozen objects are never walked
    (their garbage, if any, waits until thawed()).  A build holds the freeze over its loaded
    records until it ends (commands.build.records_kept), each forked_map while its workers run;
    every call also sets aside what was made since the last, and only the last thawed() gives
    everything back to the collector (serve builds again and again in one process)."""
    global _frozen
    gc.freeze()
    _frozen += 1


def thawed() -> None:
    """One holder of the freeze is done (frozen()); the last one thaws everything."""
    global _frozen
    _frozen -= 1
    if _frozen == 0:
        gc.unfreeze()


def kill(pool: "ProcessPoolExecutor") -> None:
    """Kill the worker processes of *pool* (the executor then finds them gone and shuts down
    at once)."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            proc.kill()
        except (OSError, ValueError):  # already gone
            pass


def _run(start: int, stop: int) -> list:
    fn, items = _job
    return [fn(items[i]) for i in range(start, stop)]


class Aside:
    """fn() at work in a forked child while this process goes on (aside())."""

    def __init__(self, pid: int, fd: int):
        self.pid, self.fd = pid, fd
        self._done, self._value = False, None

    def result(self):
        """What fn() returned (waited for), or None when the child failed."""
        import pickle

        if not self._done:
            self._done = True
            try:
                with os.fdopen(self.fd, "rb") as fh:
                    data = fh.read()
                _, status = os.waitpid(self.pid, 0)
                self._value = pickle.loads(data) if status == 0 and data else None
            except Exception:  # (a child killed, a result that does not unpickle): the caller does it
                self._value = None
        return self._value

    def cancel(self) -> None:
        """The result is not wanted: the child is ended (and reaped), if still at work."""
        import signal

        if not self._done:
            self._done = True
            for end in (lambda: os.kill(self.pid, signal.SIGKILL), lambda: os.waitpid(self.pid, 0),
                        lambda: os.close(self.fd)):
                try:
                    end()
                except OSError:
                    pass


def aside(fn: Callable[[], R], keep: tuple[int, ...] = ()) -> Aside | None:
    """Start fn() in a forked child, which inherits what this process has worked out, and go on:
    Aside.result() waits for what it returns (it must pickle).  None where forking is not safe
    or wanted (see the module's docstring): the caller does the work itself.  For work that
    takes long on one core while this process has other work to do (the schema check of the
    one file an incremental build parses, while the rest of the edition is recalled).  The child
    closes every descriptor it inherits but the standard streams: fn() opens what it reads (an
    incremental build's cache: Cache.reopen), or those this process opened for it (*keep*)."""
    if not forks(2, 2):
        return None
    import pickle

    r, w = os.pipe()
    parent = os.getpid()
    gc.freeze()  # (the child's collector leaves the inherited objects alone: frozen())
    pid = os.fork()
    if pid != 0 and _frozen == 0:
        gc.unfreeze()
    if pid == 0:  # the child: fn(), its result down the pipe, and out without the parent's exit handlers
        status = 1
        try:
            die_with(parent)
            # Nothing inherited stays open but the standard streams and the pipe: a descriptor
            # of the output's lock would keep it held (flock) for as long as the child lives.
            start = 3
            for fd in sorted({w, *keep}):
                os.closerange(start, fd)
                start = fd + 1
            os.closerange(start, _MAX_FD)
            data = pickle.dumps(fn(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(w, "wb") as fh:
                fh.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(w)
    return Aside(pid, r)


_MAX_FD = os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 65536


def die_with(parent: int) -> None:
    """End this (forked) process when *parent* ends, killed or not: it holds what the parent
    held (the output's lock), which a build started next must find released (Linux; elsewhere
    the child ends when its work is done)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:  # not Linux
        pass
    if os.getppid() != parent:  # the parent ended before that took effect
        os._exit(1)


def started(results: Iterator[R]) -> Iterator[R]:
    """*results* (of forked_map) with its work begun: the workers are forked and their jobs
    handed out now, so that this process can do other work while they run, and read the
    results after.  (Without workers, the first job is done here now.)  The caller closes
    *results* when it stops early, so that no worker is left running."""
    try:
        first = next(results)
    except StopIteration:
        return iter(())
    return itertools.chain([first], results)

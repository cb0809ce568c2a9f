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

import itertools
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_job: tuple = ()  # (function, items) of the running map, inherited by the forked workers


def jobs() -> int:
    """How many worker processes: TEIPRESS_JOBS, else the cores."""
    return max(1, int(os.environ.get("TEIPRESS_JOBS") or 0) or os.cpu_count() or 1)


def forks(count: int, minimum: int, processes: int | None = None) -> bool:
    """Whether *count* jobs go to forked workers (see the module's docstring)."""
    return ((processes or jobs()) > 1 and count >= minimum and threading.active_count() == 1
            and "fork" in multiprocessing.get_all_start_methods())


def forked_map(fn: Callable[[T], R], items: Sequence[T], minimum: int,
               processes: int | None = None, chunksize: int | None = None) -> Iterator[R]:
    """fn(item) for each of *items*, in order: in forked workers when there are at least
    *minimum* items (and forking is safe), else here.  *fn* may be any callable (a closure
    too): the workers inherit it; its results must pickle.  *processes*: how many workers
    (default: jobs()).  *chunksize*: items a worker takes at a time (default: a few per
    worker); 1 for jobs of very unequal cost, handed out largest first, so that no worker is
    left with a long one at the end."""
    global _job
    if not forks(len(items), minimum, processes):
        for item in items:
            yield fn(item)
        return
    n = processes or jobs()
    _job = (fn, items)
    try:
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(n, len(items)), mp_context=ctx) as pool:
            yield from pool.map(_run, range(len(items)),
                                chunksize=chunksize or max(1, min(32, len(items) // (n * 4))))
    finally:
        _job = ()


def _run(i: int):
    fn, items = _job
    return fn(items[i])


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

"""The scale benchmark's memory figures (scripts/benchmark_scale.py): what it reports as the
peak of a build's process tree must count each page once."""
import multiprocessing
import os
import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
try:
    import benchmark_scale
finally:
    sys.path.remove(str(REPO / "scripts"))

MB = 2**20


def _wait(conn):
    conn.recv()


def test_a_forked_child_shares_its_parents_pages_and_the_pss_sum_counts_them_once():
    held = bytearray(os.urandom(1024)) * (64 * 1024)  # 64 MB of the parent's own, written
    alone_rss, alone_pss = benchmark_scale.tree_memory(os.getpid())
    mine, theirs = multiprocessing.get_context("fork").Pipe()
    child = multiprocessing.get_context("fork").Process(target=_wait, args=(theirs,))
    child.start()
    try:
        rss, pss = benchmark_scale.tree_memory(os.getpid())
    finally:
        mine.send(None)
        child.join()
    assert len(held) == 64 * MB
    assert rss > alone_rss + 48 * MB  # (the RSS sum counts the shared pages in each process)
    assert abs(pss - alone_pss) < 32 * MB  # (the PSS sum splits them: once in all)


def test_a_vfork_child_before_its_program_runs_is_counted_with_its_parent():
    parent = {"Rss": 900 * MB, "Pss": 880 * MB, "Private_Dirty": 850 * MB}
    assert benchmark_scale.same_memory(dict(parent), parent)  # the same memory, seen twice
    forked = {"Rss": 900 * MB, "Pss": 440 * MB, "Private_Dirty": 2 * MB}  # shares its pages
    assert not benchmark_scale.same_memory(forked, parent)
    assert not benchmark_scale.same_memory({"Rss": 8 * MB, "Pss": 8 * MB, "Private_Dirty": 6 * MB}, parent)
    assert not benchmark_scale.same_memory(dict(parent), None)

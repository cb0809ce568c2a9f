"""The incremental build's cache keeps its entries in pack files (teipress/commands/cache.py):
each process appends to a pack of its own, finish() gathers the entries a build used and
writes the index.  A torn, damaged or half-written entry is a miss, never wrong bytes, and a
build killed while writing the cache leaves a cache the next build uses."""
from __future__ import annotations

import os
import signal

import pytest

from teipress.commands import cache as cache_mod
from test_incremental import EPOCH, build, edition, same_tree


def packs(folder):
    return sorted(folder.glob("*" + cache_mod.PACK))


def test_entries_put_by_forked_workers_are_read_and_kept(tmp_path):
    store = cache_mod.Cache(tmp_path / "cache", tmp_path / "staging")
    store.put("a", "parent", b"p" * 100)
    children = []
    for n in range(3):
        pid = os.fork()
        if pid == 0:  # a worker: writes to a pack of its own, never its parent's
            store.put("a", f"child-{n}", bytes([n]) * 5000)
            store.put_object("b", f"obj-{n}", {"n": n})
            os._exit(0)
        children.append(pid)
    for pid in children:
        assert os.waitpid(pid, 0)[1] == 0
    assert len(packs(tmp_path / "staging")) == 4
    assert store.get("a", "child-2") == bytes([2]) * 5000
    assert store.get_object("b", "obj-1") == {"n": 1}
    store.absorb({"a": {"child-1", "child-2"}})  # what the workers used (child-0: not used)
    store.finish(tmp_path / "new")
    kept = cache_mod.Cache(tmp_path / "new")
    assert kept.keys("a") == {"parent", "child-1", "child-2"}
    assert kept.get("a", "child-0") is None and kept.get("a", "parent") == b"p" * 100


def test_a_worker_s_jobs_share_its_pack_and_what_it_read(tmp_path, monkeypatch):
    """The branch each job of a forked worker takes (Cache.branch) keeps its own record of use
    but writes to the worker's one pack, and does not read the other workers' packs again from
    their start at each miss (a pack per job, each read again by every later job: the PDF stage
    of an incremental build of thousands of letters was quadratic)."""
    store = cache_mod.Cache(tmp_path / "cache", tmp_path / "staging")
    store.put("a", "parent", b"p")
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # a worker with three jobs, the other worker's pack written before them
        ok = False
        try:
            scanned = []
            real = cache_mod._scan
            cache_mod._scan = lambda pack, start, found: scanned.append((pack, start)) or real(pack, start, found)
            used = []
            for n in range(3):
                job = store.branch()
                assert job.get("a", f"missing-{n}") is None  # a miss: the staging folder is looked at
                job.put("a", f"job-{n}", bytes([n]) * 1000)
                used.append(job.used)
            mine = [p for p in packs(tmp_path / "staging") if p.name.startswith(f"{os.getpid()}-")]
            # one pack for the worker; the parent's pack read once, from its start
            ok = (len(mine) == 1 and [start for pack, start in scanned if pack.name.startswith(f"{os.getppid()}-")] == [0]
                  and used == [{"a": {f"missing-{n}", f"job-{n}"}} for n in range(3)])
        finally:
            os.write(w, b"1" if ok else b"0")
            os._exit(0)
    os.close(w)
    assert os.read(r, 1) == b"1"
    os.waitpid(pid, 0)
    assert len(packs(tmp_path / "staging")) == 2
    assert store.get("a", "job-2") == bytes([2]) * 1000


def test_a_torn_or_damaged_entry_is_a_miss_and_the_others_are_read(tmp_path):
    store = cache_mod.Cache(tmp_path / "cache", tmp_path / "staging")
    for n in range(5):
        store.put("k", f"e{n}", f"entry {n} ".encode() * 200)
    store.finish(tmp_path / "new")
    [pack] = packs(tmp_path / "new")
    data = bytearray(pack.read_bytes())
    at = data.index(b"entry 2 ")
    data[at] ^= 0xFF  # one bit pattern changed in entry 2
    pack.write_bytes(bytes(data[:len(data) - 10]))  # and the last entry torn
    kept = cache_mod.Cache(tmp_path / "new")
    assert kept.get("k", "e2") is None and kept.get("k", "e4") is None
    assert [kept.get("k", f"e{n}") for n in (0, 1, 3)] == [f"entry {n} ".encode() * 200 for n in (0, 1, 3)]


def test_a_writer_killed_in_the_middle_of_an_entry_leaves_the_others_readable(tmp_path):
    store = cache_mod.Cache(tmp_path / "cache", tmp_path / "staging")
    pid = os.fork()
    if pid == 0:
        store.put("k", "whole", b"w" * 1000)
        real = os.pwrite

        def half(fd, data, offset):  # the kill comes after half of the next entry is written
            real(fd, data[:len(data) // 2], offset)
            os.kill(os.getpid(), signal.SIGKILL)

        os.pwrite = half
        store.put("k", "torn", b"t" * 100_000)
        os._exit(0)
    assert os.waitpid(pid, 0)[1] != 0
    assert store.get("k", "whole") == b"w" * 1000
    assert store.get("k", "torn") is None
    store.put("k", "torn", b"t" * 100_000)  # made again by the next one
    store.finish(tmp_path / "new")
    kept = cache_mod.Cache(tmp_path / "new")
    assert kept.get("k", "torn") == b"t" * 100_000 and kept.get("k", "whole") == b"w" * 1000


def test_dead_entries_do_not_pile_up(tmp_path, monkeypatch):
    """Build after build an entry is replaced: the cache holds about one build's worth."""
    monkeypatch.setattr(cache_mod, "SMALL_PACK", 1000)
    folder = tmp_path / "c0"
    for n in range(1, 12):
        store = cache_mod.Cache(folder, tmp_path / f"s{n}")
        for k in range(5):  # five entries that stay, one that changes every build
            assert n == 1 or store.get("stay", f"k{k}") == bytes([k]) * 2000
            if n == 1:
                store.put("stay", f"k{k}", bytes([k]) * 2000)
        store.put("change", f"v{n}", bytes([n]) * 4000)
        store.finish(tmp_path / f"c{n}")
        folder = tmp_path / f"c{n}"
    size = sum(p.stat().st_size for p in packs(folder))
    assert size < 2 * (5 * 2000 + 4000) + 2000
    assert cache_mod.Cache(folder).keys("change") == {"v11"}


@pytest.mark.parametrize("after", [1, 6])
def test_a_build_killed_while_writing_the_cache_leaves_a_usable_cache(tmp_path, monkeypatch, after):
    """A build killed (SIGKILL, half an entry written) after some of its cache writes: the next
    incremental builds make the bytes of a clean build, and use the cache the one before left."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed", letters=4)
    out = tmp_path / "out"
    build(root, out)
    f = root / "tei" / "letter-2.xml"
    f.write_text(f.read_text(encoding="utf-8").replace("wrote from", "wrote (killed) from"), encoding="utf-8")
    pid = os.fork()
    if pid == 0:
        try:
            real, count = os.pwrite, [0]

            def dying(fd, data, offset):
                count[0] += 1
                if count[0] >= after:
                    real(fd, data[:len(data) // 2], offset)
                    os.kill(os.getpid(), signal.SIGKILL)
                return real(fd, data, offset)

            os.pwrite = dying
            build(root, out)
        finally:
            os._exit(0)
    status = os.waitpid(pid, 0)[1]
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    result = build(root, out)
    assert not result.up_to_date
    build(root, tmp_path / "clean", incremental=False)
    assert same_tree(out, tmp_path / "clean") == []
    # the cache the last build left is whole: a further edit is built from it
    f.write_text(f.read_text(encoding="utf-8").replace("wrote (killed) from", "wrote (again) from"), encoding="utf-8")
    calls = []
    from teipress.outputs import page_cache
    real_put = page_cache.put
    monkeypatch.setattr(page_cache, "put", lambda cache, key, *a: calls.append(key) or real_put(cache, key, *a))
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    build(root, out)
    assert len(calls) == 1  # one document's pages rendered again, the others from the cache
    build(root, tmp_path / "clean2", incremental=False)
    assert same_tree(out, tmp_path / "clean2") == []


def test_entries_written_head_then_data_read_back_whole_and_after_finish(tmp_path):
    """put() writes an entry's head and its data apart (no copy of a page of tens of MB joined
    to its head): entries of every size, one after another, read back exactly."""
    store = cache_mod.Cache(tmp_path / "cache", tmp_path / "staging")
    sizes = [0, 1, 4095, 3 << 20, 17]
    for n, size in enumerate(sizes):
        store.put("page", f"k{n}", bytes([n + 1]) * size)
    for n, size in enumerate(sizes):
        assert store.get("page", f"k{n}") == bytes([n + 1]) * size
    store.finish(tmp_path / "new")
    kept = cache_mod.Cache(tmp_path / "new")
    assert [kept.get("page", f"k{n}") for n in range(len(sizes))] == [bytes([n + 1]) * s for n, s in enumerate(sizes)]


def test_a_large_entry_torn_while_written_is_never_read(tmp_path, monkeypatch):
    """An entry of megabytes (an incremental build's memo, a register page) written head, then
    data: one whose writing fails half-way (a full disk) is not read, and the next entry, written where it
    stood, and the ones before read back whole, before and after finish."""
    store = cache_mod.Cache(tmp_path / "cache", tmp_path / "staging")
    big = bytes(range(256)) * ((2 << 20) // 256)
    store.put("k", "big", big)
    real = os.pwrite

    def half(fd, data, offset):
        if len(data) < len(big):  # (the head goes whole)
            return real(fd, data, offset)
        real(fd, bytes(data[:len(data) // 2]), offset)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "pwrite", half)
    store.put("k", "torn", big[::-1])  # (a cache that cannot be written is only slower: no error)
    monkeypatch.undo()
    assert store.get("k", "torn") is None and store.get("k", "big") == big
    store.put("k", "after", b"a" * 100)
    assert store.get("k", "after") == b"a" * 100 and store.get("k", "big") == big
    store.finish(tmp_path / "new")
    kept = cache_mod.Cache(tmp_path / "new")
    assert kept.get("k", "torn") is None and kept.get("k", "big") == big and kept.get("k", "after") == b"a" * 100

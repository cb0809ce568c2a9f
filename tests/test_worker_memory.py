"""Forked workers share their parent's memory for as long as they can (teipress.workers): the
collector is frozen while they run, and a worker lets go of what it sent back."""
from __future__ import annotations

import gc
import os

import pytest

from teipress import workers
from teipress.outputs import html

from test_incremental import EPOCH, build, edition, same_tree


def _state(_item):
    return gc.get_freeze_count(), workers.in_worker(), os.getpid()


def test_the_collector_leaves_inherited_objects_alone_while_workers_run(monkeypatch):
    monkeypatch.setenv("TEIPRESS_JOBS", "2")
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)  # an earlier test's idle thread
    held = [{"n": i} for i in range(5000)]  # what a parent holds when it forks (dicts: tracked)
    assert gc.get_freeze_count() == 0 and not workers.in_worker()
    results = workers.forked_map(_state, list(range(8)), 1)
    first = next(results)
    # The parent's objects stay frozen while its workers live (its own collections would copy
    # the pages they share), and the workers inherit them frozen.
    assert gc.get_freeze_count() >= len(held)
    got = [first, *results]
    assert all(count >= len(held) and worker and pid != os.getpid() for count, worker, pid in got)
    # Once the workers are gone the collector walks everything again.
    assert gc.get_freeze_count() == 0 and not workers.in_worker()


def test_work_done_here_is_not_a_worker_and_freezes_nothing(monkeypatch):
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    got = list(workers.forked_map(_state, list(range(20)), 1))
    assert got == [(0, False, os.getpid())] * 20


def test_a_map_run_while_frozen_thaws_only_what_it_froze(monkeypatch):
    # A map started while another still runs (frozen) leaves the freeze to the one that made it.
    monkeypatch.setenv("TEIPRESS_JOBS", "2")
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    workers.frozen()
    try:
        assert list(workers.forked_map(_state, list(range(4)), 1))
        assert gc.get_freeze_count() > 0  # still frozen: the outer freeze is not over
    finally:
        workers.thawed()
    assert gc.get_freeze_count() == 0


def test_html_workers_forget_each_document_they_sent_back(tmp_path, monkeypatch):
    """The worker that made a document's pages drops the records it kept on them, and the site
    is the same bytes as one made in one process (where nothing is dropped)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed", letters=html.PARALLEL_FROM + 2)
    (root / "edition.toml").write_text('id = "inc"\ntitle = "Incremental"\nsplit = ["letter-2"]\n',
                                       encoding="utf-8")
    log = tmp_path / "forgotten.txt"
    real = html.forget

    def forget(page):
        real(page)
        assert all("citation" not in p.__dict__ and p.fields == [] for p in (page, *page.parts))
        with open(log, "a", encoding="utf-8") as fh:  # (from the worker: the parent reads it after)
            fh.write(f"{page.id} {len(page.parts)}\n")

    monkeypatch.setattr(html, "forget", forget)
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    build(root, tmp_path / "one", incremental=False)
    assert not log.exists()  # made here: the edition's pages read the fields kept on the pages
    monkeypatch.setenv("TEIPRESS_JOBS", "2")
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    build(root, tmp_path / "two", incremental=False)
    forgotten = sorted(log.read_text(encoding="utf-8").split("\n")[:-1])
    assert len(forgotten) == html.PARALLEL_FROM + 2
    assert "letter-2 " in "\n".join(forgotten) and not any(line.endswith(" 0") for line in forgotten
                                                           if line.startswith("letter-2 "))
    assert same_tree(tmp_path / "one", tmp_path / "two") == []


def test_a_build_holds_the_freeze_over_its_stages_and_gives_it_back(tmp_path, monkeypatch):
    """The loaded edition and its model are set aside from the collector while the output stages
    run (commands.build.records_kept), and given back when the build ends, failed or not:
    `serve` builds again and again in one process."""
    from teipress.commands import build as build_mod
    from teipress.outputs import cmif

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed", letters=3)
    seen = []
    real = cmif.build

    def spy(ctx):
        seen.append(gc.get_freeze_count())
        return real(ctx)

    monkeypatch.setattr(cmif, "build", spy)
    for incremental in (False, True, True):  # a clean build, one that fills the cache, a no-op
        build(root, tmp_path / "out", incremental=incremental)
        assert gc.get_freeze_count() == 0
    assert len(seen) == 2 and all(count > 0 for count in seen)
    (root / "tei" / "letter-2.xml").write_text("<TEI>", encoding="utf-8")  # not well-formed
    with pytest.raises(build_mod.NotValid):
        build(root, tmp_path / "bad", incremental=False)
    assert gc.get_freeze_count() == 0 and workers._frozen == 0


def _pid(item):
    return item, os.getpid()


def test_rounds_split_a_map_into_equal_runs_of_about_recycle_items_a_worker():
    assert workers.rounds(100, 2, None) == [(0, 100)]
    assert workers.rounds(100, 2, 50) == [(0, 100)]  # (one round holds them all)
    assert workers.rounds(100, 2, 20) == [(0, 33), (33, 66), (66, 100)]
    got = workers.rounds(20001, 2, 500)
    assert got[0][0] == 0 and got[-1][1] == 20001 and len(got) == 21
    assert all(a[1] == b[0] for a, b in zip(got, got[1:]))
    assert max(stop - start for start, stop in got) <= 2 * 500


def test_recycled_workers_end_after_their_round_and_the_results_keep_their_order(monkeypatch):
    """A map with *recycle* forks fresh workers for each round (what a worker copied of the
    parent's memory is given back when its round ends), and its results are those of one run."""
    monkeypatch.setenv("TEIPRESS_JOBS", "2")
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    got = list(workers.forked_map(_pid, list(range(24)), 1, recycle=3))
    assert [item for item, _pid_ in got] == list(range(24))
    pids = [pid for _item, pid in got]
    assert os.getpid() not in pids
    # four rounds of six items: no worker of one round makes an item of another
    by_round = [set(pids[i:i + 6]) for i in range(0, 24, 6)]
    assert all(len(r) <= 2 for r in by_round)
    assert all(not (a & b) for i, a in enumerate(by_round) for b in by_round[i + 1:])
    assert gc.get_freeze_count() == 0 and not workers.in_worker()


def test_edition_pages_are_made_once_the_document_workers_have_ended(tmp_path, monkeypatch):
    """The registers and the chronology read every document and entry: made while the workers
    run, this process would copy each page of memory it shares with them.  They are made after,
    and workers recycled after a few documents make the same site as one process."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed", letters=html.PARALLEL_FROM + 4)
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    build(root, tmp_path / "one", incremental=False)
    monkeypatch.setenv("TEIPRESS_JOBS", "2")
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    monkeypatch.setattr(html, "RECYCLE", 3)
    seen = []
    real_register, real_rounds = html.register_page, workers.rounds

    def register_page(*args, **kw):
        seen.append(("register", bool(workers._job)))
        return real_register(*args, **kw)

    def rounds(*args):
        got = real_rounds(*args)
        seen.append(("rounds", len(got)))
        return got

    monkeypatch.setattr(html, "register_page", register_page)
    monkeypatch.setattr(workers, "rounds", rounds)
    build(root, tmp_path / "two", incremental=False)
    assert ("rounds", 4) in seen  # 20 documents, 3 a worker, 2 workers: four rounds
    registers = [running for what, running in seen if what == "register"]
    assert registers and not any(registers)
    assert same_tree(tmp_path / "one", tmp_path / "two") == []

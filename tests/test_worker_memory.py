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

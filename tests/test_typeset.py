"""Typst workers (teipress/outputs/typeset.py): one process typesets document after document,
is retired after RECYCLE of them, and none outlives the PDF stage."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINI_DOC
from sitebuild import build_edition
from teipress.outputs import typeset


def edition_of(make_edition, n: int):
    extra = {f"doc-{i}.xml": MINI_DOC.replace('xml:id="mini"', f'xml:id="doc-{i}"') for i in range(n)}
    return make_edition(extra=extra)


def count_workers(monkeypatch) -> list:
    started = []
    real = typeset._Worker.__init__

    def init(self, limit):
        real(self, limit)
        started.append(self)

    monkeypatch.setattr(typeset._Worker, "__init__", init)
    return started


def test_one_worker_typesets_every_document(make_edition, tmp_path, monkeypatch):
    root = edition_of(make_edition, 4)  # and mini.xml: five documents
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    started = count_workers(monkeypatch)
    build_edition(root, tmp_path / "out", only={"pdf"})
    assert len(list((tmp_path / "out" / "pdf").glob("*.pdf"))) == 5
    assert len(started) == 1
    assert all(w.proc.poll() is not None for w in started)  # ended with the stage
    assert not typeset._idle and not typeset._busy


def test_workers_are_retired_after_recycle_documents(make_edition, tmp_path, monkeypatch):
    root = edition_of(make_edition, 4)
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    monkeypatch.setattr(typeset, "RECYCLE", 2)
    started = count_workers(monkeypatch)
    build_edition(root, tmp_path / "out", only={"pdf"})
    assert len(started) == 3  # 2 + 2 + 1 documents
    # and the PDFs are the same as one worker's
    monkeypatch.setattr(typeset, "RECYCLE", 40)
    build_edition(root, tmp_path / "again", only={"pdf"})
    for pdf in (tmp_path / "out" / "pdf").glob("*.pdf"):
        assert pdf.read_bytes() == (tmp_path / "again" / "pdf" / pdf.name).read_bytes(), pdf.name


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads a worker's memory from /proc (Linux)")
def test_a_worker_grown_over_retire_rss_is_retired_unless_kept_warm(make_edition, tmp_path, monkeypatch):
    """A worker whose Typst caches grew past RETIRE_RSS (a big document's) is not given the next
    document in a build: a fresh one is (the PDFs are the same); kept warm, it is kept."""
    root = edition_of(make_edition, 2)  # and mini.xml: three documents
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    monkeypatch.setattr(typeset, "RETIRE_RSS", 1)  # every worker holds more than a byte
    started = count_workers(monkeypatch)
    build_edition(root, tmp_path / "out", only={"pdf"})
    assert len(started) == 3
    monkeypatch.setattr(typeset, "RETIRE_RSS", 512 << 20)
    build_edition(root, tmp_path / "again", only={"pdf"})
    assert len(started) == 4  # a worker of a few dozen MB typesets all three
    for pdf in (tmp_path / "out" / "pdf").glob("*.pdf"):
        assert pdf.read_bytes() == (tmp_path / "again" / "pdf" / pdf.name).read_bytes(), pdf.name
    monkeypatch.setattr(typeset, "RETIRE_RSS", 1)
    typeset.keep_warm()
    try:
        build_edition(root, tmp_path / "warm", only={"pdf"})
        assert len(started) == 5
    finally:
        typeset.keep_warm(False)


def test_kept_warm_workers_outlive_the_stage_and_retypeset_a_changed_document(make_edition, tmp_path, monkeypatch):
    """keep_warm (for serve): the worker, and Typst's caches in it, serve the next build too;
    the changed document comes out as a cold build makes it, byte for byte; close() ends it."""
    root = edition_of(make_edition, 1)
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    started = count_workers(monkeypatch)
    typeset.keep_warm()
    try:
        build_edition(root, tmp_path / "first", only={"pdf"})
        assert len(started) == 1 and started[0].proc.poll() is None  # still there after the stage
        mini = root / "tei" / "mini.xml"
        mini.write_text(mini.read_text(encoding="utf-8").replace("wrote from", "wrote, warmly, from"),
                        encoding="utf-8")
        build_edition(root, tmp_path / "second", only={"pdf"})
        assert len(started) == 1  # the same worker typeset the change
        assert set(started[0].keys) == {"mini", "doc-0"}
    finally:
        typeset.keep_warm(False)
    assert started[0].proc.poll() is not None and not typeset._idle
    cold = build_edition(root, tmp_path / "cold", only={"pdf"})
    assert cold is not None and len(started) == 2
    for name in ("mini.pdf", "doc-0.pdf"):
        assert (tmp_path / "second" / "pdf" / name).read_bytes() == (tmp_path / "cold" / "pdf" / name).read_bytes()
    assert (tmp_path / "second" / "pdf" / "mini.pdf").read_bytes() != (tmp_path / "first" / "pdf" / "mini.pdf").read_bytes()


class _Idle:
    """A stand-in for an idle worker: its limit, what it typeset, a live process."""

    def __init__(self, keys):
        self.limit, self.keys, self.done = 1, keys, 1
        self.proc = type("P", (), {"poll": staticmethod(lambda: None)})()

    def stop(self):
        pass


def test_a_document_goes_back_to_the_worker_that_typeset_it(monkeypatch):
    a, b = _Idle(["x", "y"]), _Idle(["z"])
    monkeypatch.setattr(typeset, "_idle", [a, b])
    monkeypatch.setattr(typeset, "_busy", set())
    assert typeset._take(1, key="x") is a
    assert typeset._take(1, key="q") is b  # a document no worker knows: any idle one

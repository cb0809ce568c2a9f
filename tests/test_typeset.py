"""Typst workers (teipress/outputs/typeset.py): one process typesets document after document,
is retired after RECYCLE of them, and none outlives the PDF stage."""
from __future__ import annotations

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

"""Every real TEI file in ../shared/corpora builds: an HTML page and a PDF each, no error.

One edition holds them all (built with --no-validate: other projects' files follow other
schemas), so this also exercises documents from many projects side by side.
"""
from __future__ import annotations

import shutil
import subprocess

import pytest

import sitebuild


@pytest.fixture(scope="module")
def corpora_build(shared):
    root = sitebuild.corpora_build()
    return root / "build", sorted((root / "tei").glob("*.xml"))


def test_every_document_has_a_pdf_and_a_page(corpora_build):
    out, files = corpora_build
    from teipress.edition import load

    ed = load(out.parent)
    assert len(ed.documents) >= 40
    for doc in ed.documents:
        pdf = out / "pdf" / f"{doc.id}.pdf"
        assert pdf.stat().st_size > 1000, doc.rel
        assert list((out / "html").rglob(f"{doc.id}*.html")), doc.rel


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_scripts_beyond_latin_survive_in_the_pdf(corpora_build):
    # tei-tests/test.xml holds a CJK character; rusdracor plays are Cyrillic.
    out, _ = corpora_build
    from teipress.edition import load

    by_name = {d.rel: d.id for d in load(out.parent).documents}
    text = subprocess.run(["pdftotext", str(out / "pdf" / f"{by_name['test.xml']}.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "日" in text
    text = subprocess.run(["pdftotext", str(out / "pdf" / f"{by_name['chekhov-medved.xml']}.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Медведь" in text or "МЕДВЕДЬ" in text.upper()

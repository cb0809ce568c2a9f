"""scripts/benchmark_book.py: the book it makes from ../shared/corpora is valid TEI with about a
thousand notes beside margin page breaks, and its plain-Typst floor typesets the same text."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import typst
from lxml import etree

from conftest import MINI_DOC, REPO
from teipress import edition
from teipress.commands.validate import validate_edition
from teipress.outputs import pdf
from teipress.validation.diagnostics import Report

spec = importlib.util.spec_from_file_location("benchmark_book", REPO / "scripts" / "benchmark_book.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)
TEI = "{http://www.tei-c.org/ns/1.0}"


def test_the_book_is_valid_tei_with_a_thousand_notes_beside_page_breaks(shared, tmp_path):
    root = bench.make_book(shared / "corpora", 1, 1, tmp_path / "book")
    tree = etree.parse(str(root / "tei" / "book.xml"))
    notes = list(tree.iter(f"{TEI}note"))
    assert 1000 <= len(notes) <= 1200
    shared_paras = [p for p in tree.iter(f"{TEI}p") if p.find(f"{TEI}note") is not None and p.find(f"{TEI}pb") is not None]
    assert len(shared_paras) >= 50  # footnotes and margin page numbers in the same paragraphs
    report = Report(base=tmp_path)
    validate_edition(edition.load(root), report)
    assert not report.errors, [str(d) for d in report.errors][:5]


def test_the_floor_is_the_same_text_as_plain_typst(tmp_path):
    src = tmp_path / "mini.xml"
    src.write_text(MINI_DOC.replace("Vienna", "Vienna #eval(\"1\") [x] $y$ *z*"), encoding="utf-8")
    markup = bench.plain_typst(src)
    assert "#footnote[A note\\.]" in markup and "= Letter of 5 March 1961" in markup
    (tmp_path / "mini.typ").write_text(markup, encoding="utf-8")
    out = typst.compile(str(tmp_path / "mini.typ"), root=str(tmp_path), font_paths=pdf.font_paths(),
                        ignore_system_fonts=True, pdf_standards=pdf.STANDARDS, format="pdf")
    (tmp_path / "mini.pdf").write_bytes(out)
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(tmp_path / "mini.pdf").pages)
    assert '#eval("1") [x] $y$ *z*' in text  # markup characters in the TEI stay text

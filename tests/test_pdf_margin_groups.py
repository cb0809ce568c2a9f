"""The source's page numbers in the margin are looked up by each page among the groups of marks
around it (outputs/pdf.py number_page_breaks, margin.typ chunks-of), not among all the marks
of the text: the PDF must be the one the single list gives, byte for byte, wherever the groups
fall (page breaks in notes, several on one line, between paragraphs, a group's first page break
inside a run of them)."""
from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import MINI_DOC
from teipress.cli import main
from teipress.model import M
from teipress.outputs import pdf

FILL = "Plain words of the running text fill the line and the page. " * 5


def body() -> str:
    paras = []
    for i in range(1, 61):
        before = f'<pb n="{1000 + i}"/>' if i % 7 == 0 else ""  # between paragraphs: the next one opens with it
        two = f'<pb n="{2000 + i}"/>' if i % 6 == 0 else ""  # two on one line
        note = '<note type="editorial" resp="#ed">A note beside a break.</note>' if i % 4 == 0 else ""
        italic = f'<hi rend="italic">in italics <pb n="{3000 + i}"/>here</hi> ' if i % 5 == 0 else ""
        paras.append(f'{before}<p>Paragraph {i} <pb n="{i}"/>{two}runs on{note} {italic}. {FILL}</p>')
        if i % 11 == 0:
            paras.append(f'<list><item>An item</item><item>and <pb n="{4000 + i}"/>another</item></list>')
    return '<div xml:id="d1"><head>Groups</head>' + "".join(paras) + "</div>"


def build(root, out) -> bytes:
    r = CliRunner(env={"SOURCE_DATE_EPOCH": "1700000000"}).invoke(
        main, ["build", str(root), "--out", str(out), "--only", "pdf", "-q"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return (out / "pdf" / "mini.pdf").read_bytes()


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    from conftest import MINI_PERSONS, SCHEMA

    root = tmp_path_factory.mktemp("groups") / "edition"
    (root / "tei" / "schema").mkdir(parents=True)
    shutil.copy(SCHEMA, root / "tei" / "schema" / "teipress.xsd")
    (root / "tei" / "persons.xml").write_text(MINI_PERSONS, encoding="utf-8")
    doc = re.sub(r"<body>.*</body>", f"<body>{body()}</body>", MINI_DOC, flags=re.S)
    (root / "tei" / "mini.xml").write_text(doc, encoding="utf-8")
    return root


def test_page_breaks_are_grouped_in_document_order(monkeypatch):
    monkeypatch.setattr(pdf, "MARGIN_GROUP", 3)
    root = etree.fromstring(f'<m:document xmlns:m="{M["m"]}"><m:text><m:page-break n="1"/><m:paragraph>a'
                            '<m:page-break n="2"/><m:list><m:item><m:page-break n="3"/></m:item></m:list></m:paragraph>'
                            '<m:page-break n="4"/></m:text></m:document>')
    out, groups = pdf.number_page_breaks(root)
    assert groups == 2 and root.find(".//m:page-break", M).get("group") is None  # the model is not changed
    numbered = etree.fromstring(out).findall(".//m:page-break", M)
    assert [(p.get("n"), p.get("group"), p.get("group-opens")) for p in numbered] == [
        ("1", "0", "true"), ("2", "0", None), ("3", "0", None), ("4", "1", "true")]


@pytest.mark.parametrize("inside", ['<m:note placement="margin">gloss</m:note>',  # placed by itself
                                    '<m:inline style="forme-work">CATCH</m:inline>',
                                    '<m:note><m:page-break n="2"/></m:note>',  # printed at the foot
                                    '<m:heading>A <m:page-break n="2"/>head</m:heading>',  # and in the contents
                                    '<m:app><m:reading><m:page-break n="2"/></m:reading></m:app>'])
def test_a_text_with_marks_out_of_its_order_keeps_one_list(inside):
    root = etree.fromstring(f'<m:document xmlns:m="{M["m"]}"><m:text><m:page-break n="1"/>{inside}'
                            '</m:text></m:document>')
    out, groups = pdf.number_page_breaks(root)
    assert groups == 0 and "group=" not in out


@pytest.mark.parametrize("size", [1, 3, 32])
def test_grouped_look_up_gives_the_pdf_of_one_list(edition, tmp_path, monkeypatch, size):
    monkeypatch.setattr(pdf, "MARGIN_GROUP", size)
    grouped = build(edition, tmp_path / "grouped")
    text = pdf_text(tmp_path / "grouped" / "pdf" / "mini.pdf")
    for n in (1, 7, 1007, 12, 2012, 3005, 4011, 60):  # every kind of place is printed
        assert f"[p. {n}]" in text, n
    monkeypatch.setattr(pdf, "number_page_breaks", lambda root: (etree.tostring(root, encoding="unicode"), 0))
    assert build(edition, tmp_path / "one-list") == grouped


def pdf_text(path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)

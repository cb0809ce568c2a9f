"""The PDF/UA-1 rules Typst enforces while it writes the PDF, each met by the template for the TEI
constructs that could break it.  Typst refuses to write a PDF that breaks one (the build then
names the document), so a PDF written is the rule met; the tests also read what was typeset.

The rules, as Typst 0.15 words them (its PDF export, typst-pdf):
- "PDF artifacts may not contain links" (a footnote is a link too): an artifact (the page
  header and footer, the bar a page break leaves in the line) must hold no link or footnote,
  nor stand inside one.
- "invalid document structure, this element's PDF tag would be split up": a link or another
  inline tag must not hold a paragraph break, and a heading no context expression of its own.
- "heading levels must be consecutive" ("skipped from heading level …").
- "missing alt text": every image and equation needs a description.
- Tables: a table's header cells and spans.
- "a line decoration inside another" (the template's own rule since an earlier failure: see
  behaviours.typ, decorates-attrs).
One edition holds a document per dangerous combination, validated and built once.
"""
from __future__ import annotations

import html
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from conftest import MINI_DOC
from teipress.cli import main
from test_keep_going import other_doc

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils missing (make system-deps)")

N = 'type="editorial" resp="#ed-{doc}"'  # a note as the project schema wants it
URL = "https://example.org/"
FILL = "Plain words of the running text fill the line. " * 6

# rule → document → its body; each document also proves that its words were typeset (WORDS)
CASES = {
    "artifact-holds-no-link": {
        "pb-in-ref": f'<div><p>Before <ref target="{URL}">a link <pb n="3"/>across pages</ref> after.</p></div>',
        "pb-in-ref-in-note": f'<div><p>Text<note {N}>see <ref target="{URL}">this <pb n="4"/>page</ref></note> after.</p></div>',
        "note-in-fw": f'<div><p>Text <fw type="header">Headline<note {N}>A note in forme work.</note></fw> more.</p></div>',
        "ref-in-fw": f'<div><p>Text <fw type="catch">see <ref target="{URL}">there</ref></fw> more.</p></div>',
        "ref-in-margin-note": f'<div><p>Text<note {N} place="margin">See <ref target="{URL}">this</ref>.</note> more.</p></div>',
        "note-in-margin-note": f'<div><p>Text<note {N} place="margin">A margin <note {N}>inner</note> note.</note> more.</p></div>',
        "pb-in-margin-note": f'<div><p>Text<note {N} place="margin">A margin <pb n="7"/>note.</note> more.</p></div>',
        "notes-beside-page-breaks": (f'<div><p>Lorem<note {N}>first</note><pb n="2"/><note {N}>second</note> ipsum'
                                     f'<pb n="3"/><pb n="4"/><note {N}>third</note>.</p></div>'),
        "margin-note-ref-beside-pb": (f'<div><p>Lorem <pb n="2"/><note {N} place="margin">m <ref target="{URL}">r</ref></note>'
                                      f'<note {N}>foot</note> ipsum.</p></div>'),
        "endnote-with-ref-and-pb": f'<div><p>Text<note {N} place="end">end <ref target="{URL}">r</ref><pb n="9"/></note>.</p></div>',
        "note-in-note-beside-pb": f'<div><p>x<note {N}>outer <pb n="4"/> <note {N}>inner</note> <ref target="{URL}">r</ref></note></p></div>',
        "ref-holding-a-note": f'<div><p><ref target="{URL}">a link<note {N}>with a note</note></ref> after.</p></div>',
        "ref-holding-only-a-note": f'<div><p>x <ref target="{URL}"><note {N}>alone</note></ref> y.</p></div>',
        "gap-desc-with-ref": f'<div><p>Text <gap reason="illegible"><desc>a <ref target="{URL}">r</ref></desc></gap>.</p></div>',
        "speaker-with-note-and-pb": f'<div><sp><speaker>Aulus<note {N}>n</note><pb n="2"/></speaker><p>x</p></sp></div>',
        # a page break after a footnote's mark, pages into a text: it failed where the bar was
        # a pdf.artifact (found with tests/test_margin_stack.py's first text)
        "page-break-after-a-footnote-mark": "<div><head>Margins</head>" + "".join(
            f"<p>{FILL}{words}{FILL}</p>" for words in (
                'Two <pb n="811"/>breaks <pb n="812"/>here. ', 'A break <pb n="821"/><fw type="header">HEADWORK</fw> and its head. ',
                'Three <pb n="831"/>marks <pb n="832"/>on <fw type="catch">CATCHWORD</fw> one. ',
                f'Long <note {N} place="margin">glossa {"longa " * 30}finis</note> then <pb n="841"/> next. ',
                f'Notes <pb n="851"/>too<note {N}>In the note a break.</note>\n     <pb n="852"/> end. ',
                'Alone <pb n="871"/> here. ')) + "</div>",
        "ref-in-running-head-division": (f'<div><head>Head <ref target="{URL}">linked</ref><note {N}>n</note></head>'
                                         + "<p>Long text. </p>" * 3 + "</div>"),
    },
    "tag-not-split": {
        "pb-in-head": '<div><head>Head <pb n="5"/>continued</head><p>x</p></div>',
        "lb-in-head": '<div><head>Head<lb/>second</head><p>x</p></div>',
        "note-in-head": f'<div><head>Head<note {N}>head note</note></head><p>x</p></div>',
        "list-in-note-in-head": f'<div><head>H<note {N}><list><item>a</item></list></note></head><p>x</p></div>',
        "quote-with-lb-in-ref": f'<div><p><ref target="{URL}">a <quote>long quotation <lb/> here</quote></ref> after.</p></div>',
        "label-list-with-ref-note-pb": (f'<div><list type="gloss"><label><ref target="{URL}">r</ref><note {N}>n</note></label>'
                                        '<item>x<pb n="2"/></item></list></div>'),
        "empty-ref-and-ptr": f'<div><p>x <ref target="{URL}"/> y <ptr target="{URL}"/>.</p></div>',
    },
    "heading-levels-consecutive": {
        "skipped-divisions": '<div><div><div><head>Third</head><p>x</p></div></div><head>late</head></div>',
        "head-in-list": f'<div><list><head>List head<note {N}>n</note></head><item>a</item></list></div>',
        "head-in-table": f'<div><table><head>Table head <ref target="{URL}">r</ref></head><row><cell>1</cell></row></table></div>',
        "head-in-lg": f'<div><lg><head>Poem<pb n="2"/></head><l>one<note {N}>n</note></l><l>two</l></lg></div>',
        "head-in-figure": f'<div><figure><head>Fig<note {N}>n</note></head><figDesc>d</figDesc></figure></div>',
    },
    "alt-text": {
        "figure-without-figdesc": '<div><p>x</p><figure><head>A figure</head></figure></div>',
        "empty-figure": '<div><p>x</p><figure/></div>',
        "graphic-without-desc": '<div><figure><graphic url="missing.png"/></figure><p>x</p></div>',
    },
    "tables": {
        "label-rows-in-the-middle": ('<div><table><row role="label"><cell>A</cell><cell>B</cell></row><row><cell>1</cell><cell>2</cell></row>'
                                     f'<row role="label"><cell>C</cell><cell>D</cell></row><row><cell>3<note {N}>n</note></cell>'
                                     '<cell>4</cell></row></table></div>'),
        "spanning-cells": ('<div><table><row role="label"><cell cols="2">A</cell></row><row><cell rows="2">1</cell><cell>2</cell></row>'
                           '<row><cell>3</cell></row></table></div>'),
    },
    "no-decoration-in-decoration": {
        "underline-in-deletion-in-underline": (f'<div><p><hi rend="underline">a <del>b <hi rend="underline">c</hi></del>'
                                               f'<ref target="{URL}">r</ref></hi></p></div>'),
    },
}
DOCS = {doc: (rule, body) for rule, docs in CASES.items() for doc, body in docs.items()}


def document(name: str, body: str) -> str:
    text = re.sub(r"<body>.*</body>", f"<body>{body.replace('{doc}', name)}</body>", other_doc(name), flags=re.S)
    # the notes' resp and type: the editor and taxonomy MINI_DOC declares (other_doc drops them)
    header = re.search(r"<encodingDesc>.*</encodingDesc>", MINI_DOC, flags=re.S).group(0)
    return text.replace("<revisionDesc>", header + "<revisionDesc>", 1)


@pytest.fixture(scope="module")
def built(make_edition_module):
    root = make_edition_module({f"{name}.xml": document(name, body) for name, (_rule, body) in DOCS.items()})
    r = CliRunner(env={"SOURCE_DATE_EPOCH": "1700000000"}).invoke(
        main, ["build", str(root), "--out", str(root / "out"), "--only", "pdf", "--keep-going", "-q"],
        catch_exceptions=False)
    return root / "out", r.output


@pytest.fixture(scope="module")
def make_edition_module(tmp_path_factory):
    from conftest import MINI_PERSONS, SCHEMA

    def make(extra: dict[str, str]):
        root = tmp_path_factory.mktemp("pdfua") / "edition"
        (root / "tei" / "schema").mkdir(parents=True)
        shutil.copy(SCHEMA, root / "tei" / "schema" / "teipress.xsd")
        (root / "tei" / "persons.xml").write_text(MINI_PERSONS, encoding="utf-8")
        for name, text in extra.items():
            (root / "tei" / name).write_text(text, encoding="utf-8")
        return root

    return make


def words(pdf) -> list[str]:
    """The PDF's words (as its word boxes give them: the plain text joins the small words of a
    margin label); a note's mark is set close after its word ("Text1"), so also without it."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    found = [w for box in re.findall(r"<word [^>]*>([^<]*)</word>", xml) for w in re.findall(r"\w+", html.unescape(box))]
    return found + [re.sub(r"\d+$", "", w) for w in found]


@pytest.mark.parametrize("name", sorted(DOCS), ids=lambda n: f"{DOCS[n][0]}:{n}")
def test_the_construct_is_valid_tei_and_typeset_under_pdf_ua(built, name):
    out, output = built
    assert not [line for line in output.splitlines() if f"{name}.xml" in line], output
    pdf = out / "pdf" / f"{name}.pdf"
    assert pdf.is_file()
    body = re.sub(r"<[^>]+>", " ", DOCS[name][1].replace("{doc}", name))
    expected = [w for w in re.findall(r"\w+", body) if not w.isdigit()]
    got = set(words(pdf))
    assert [w for w in expected if w not in got] == []  # every word of the text is in the PDF


def test_a_page_break_inside_a_link_keeps_the_link_and_its_margin_label(built):
    """A construct that failed ("PDF artifacts may not contain links", when the bar a page break
    leaves in the line was a pdf.artifact): the link stays a link, the page break its label."""
    out, _ = built
    pdf = out / "pdf" / "pb-in-ref.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "[p. 3]" in text
    assert "a link across pages" in " ".join(text.split())  # the bar is drawn: no character in the text
    links = [a.get_object().get("/A", {}).get("/URI") for page in PdfReader(pdf).pages
             for a in page.get("/Annots") or [] if a.get_object().get("/Subtype") == "/Link"]
    assert URL in links

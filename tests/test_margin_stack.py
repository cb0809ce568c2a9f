"""Labels in the PDF's outer margin (the source's page numbers, forme work, short margin notes)
never print over each other: two on one line, or one a long label runs down to, stack down the
margin (teipress/typst/margin.typ).  Positions from `pdftotext -bbox`."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import MINI_DOC
from teipress.cli import main

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils missing (make system-deps)")

FILL = "Plain words of the running text fill the line. " * 6
NOTE = 'type="editorial" resp="#ed"'
BODY = f"""<div xml:id="d1"><head>Margins</head>
  <p>Two <pb n="811"/>breaks <pb n="812"/>here. {FILL}</p>
  <p>A break <pb n="821"/><fw type="header">HEADWORK</fw> and its head. {FILL}</p>
  <p>Three <pb n="831"/>marks <pb n="832"/>on <fw type="catch">CATCHWORD</fw> one. {FILL}</p>
  <p>Notes <pb n="851"/>too<note {NOTE}>In the note <pb n="861"/>a <pb n="862"/>break.</note>
     <pb n="852"/> end. {FILL}</p>
  <p>Alone <pb n="871"/>here. {FILL}</p>
  <p>Long <note {NOTE} place="margin">glossa {"longa " * 30}finis</note> then
     <pb n="841"/> next. {FILL}</p>
  <p>After <pb n="881"/>the gloss. {FILL}</p>
  <p>Set <hi rend="italic">in italics <pb n="893"/>here</hi> and upright <pb n="898"/> there. {FILL}</p>
</div>"""
# each group of labels that would print at one place: (first word of each label)
GROUPS = [("811]", "812]"), ("821]", "HEADWORK"), ("831]", "832]", "CATCHWORD"), ("851]", "852]"),
          ("861]", "862]"), ("finis", "841]", "881]")]


def words(pdf) -> list[dict]:
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True).stdout
    root = etree.fromstring(xml, etree.XMLParser(recover=True))
    return [{"page": n, "text": w.text or "", **{k: float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")}}
            for n, page in enumerate(root.iter("{*}page"), 1) for w in page.iter("{*}word")]


def word(ws: list[dict], text: str) -> dict:
    found = [w for w in ws if w["text"] == text]
    assert len(found) == 1, (text, found)
    return found[0]


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    from conftest import MINI_PERSONS, SCHEMA

    root = tmp_path_factory.mktemp("margins") / "edition"
    (root / "tei" / "schema").mkdir(parents=True)
    shutil.copy(SCHEMA, root / "tei" / "schema" / "teipress.xsd")
    (root / "tei" / "persons.xml").write_text(MINI_PERSONS, encoding="utf-8")
    doc = re.sub(r"<body>.*</body>", f"<body>{BODY}</body>", MINI_DOC, flags=re.S)
    (root / "tei" / "mini.xml").write_text(doc, encoding="utf-8")
    r = CliRunner(env={"SOURCE_DATE_EPOCH": "1700000000"}).invoke(
        main, ["build", str(root), "--out", str(root / "out"), "--only", "pdf", "-q"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return words(root / "out" / "pdf" / "mini.pdf")


def overlap(a: dict, b: dict) -> bool:
    return (a["page"] == b["page"] and a["xMin"] < b["xMax"] and b["xMin"] < a["xMax"]
            and a["yMin"] < b["yMax"] and b["yMin"] < a["yMax"])


@pytest.mark.parametrize("group", GROUPS, ids=lambda g: "+".join(g))
def test_labels_at_one_place_stack_down_the_margin(ws, group):
    labels = [word(ws, t) for t in group]
    assert len({w["page"] for w in labels}) == 1, labels  # the group stays on its line's page
    for a, b in zip(labels, labels[1:]):
        assert b["yMin"] >= a["yMax"] - 0.5, (a, b)  # in document order, each below the one before
    # and no label of the page prints over another
    page = labels[0]["page"]
    margin = [w for w in ws if w["page"] == page and re.fullmatch(r"\d+\]|[A-Z]{6,}|finis|\[p\.", w["text"])]
    for i, a in enumerate(margin):
        for b in margin[i + 1:]:
            assert not overlap(a, b), (a, b)


def test_the_first_label_stays_level_with_its_line(ws):
    """Stacking moves only the labels after the first: a label alone, and the first of a group,
    stand on the baseline of their line (a stacked one would be a margin-advance lower, about
    two points above the next line's)."""
    for label, line_word in (("871]", "Alone"), ("811]", "Two"), ("821]", "break"), ("831]", "Three"),
                             ("851]", "Notes")):
        a, b = word(ws, label), word(ws, line_word)
        # the label's and the word's lowest points: their baselines less their descents (8.5 and 10.5 pt)
        assert a["page"] == b["page"] and abs(b["yMax"] - a["yMax"] - 0.5) < 0.6, (label, a, b)


def test_a_page_number_in_italics_is_printed_as_the_others(ws):
    """The page's labels are drawn by the page (margin.typ margin-labels), not inside their
    paragraph: a page break inside an italic phrase gets the same upright label as any other
    (it took the phrase's italics when the paragraph drew it)."""
    def opening(label: str) -> dict:  # the "[p." of the label ending in *label*
        end = word(ws, label)
        found = [w for w in ws if w["text"] == "[p." and w["page"] == end["page"]
                 and abs(w["yMin"] - end["yMin"]) < 0.5 and w["xMax"] <= end["xMin"] + 0.5]
        assert found, label
        return max(found, key=lambda w: w["xMax"])
    italic, upright = opening("893]"), opening("898]")
    assert abs((italic["xMax"] - italic["xMin"]) - (upright["xMax"] - upright["xMin"])) < 0.05, (italic, upright)

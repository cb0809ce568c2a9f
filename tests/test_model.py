"""The behaviour model (xslt/model.xsl): no text lost, stable ids, both readings, safe links."""
from __future__ import annotations

import shutil

import pytest
from lxml import etree

from teipress import edition, model
from teipress.xmlparse import NS

from conftest import REPO

M = model.M
DROPPED = {"figDesc", "interp", "interpGrp", "link", "linkGrp", "join", "alt", "altGrp", "span",
           "spanGrp", "timeline", "index", "standOff", "cb", "milestone",
           "graphic"}  # graphic/desc becomes @alt


def words(text: str) -> list[str]:
    return text.split()


def tei_text(root) -> str:
    """All character data of <text>, except in elements the model omits on purpose."""
    out = []

    def walk(el):
        if not isinstance(el.tag, str):
            if el.tail:
                out.append(el.tail)
            return
        if etree.QName(el).localname in DROPPED:
            if el.tail:
                out.append(el.tail)
            return
        if el.text:
            out.append(el.text)
        for c in el:
            walk(c)
        if el.tail:
            out.append(el.tail)

    for t in root.findall("tei:text", NS):
        if t.text:
            out.append(t.text)
        for c in t:
            walk(c)
    return " ".join(out)


def model_text(tree) -> str:
    parts = []

    def walk(el):
        if el.text:
            parts.append(el.text)
        for c in el:
            if isinstance(c.tag, str) and c.get("shows") != "target":  # an empty ref shows its target
                walk(c)
            if c.tail:
                parts.append(c.tail)

    walk(tree.find("m:text", M))
    return " ".join(parts)


@pytest.fixture(scope="module")
def default():
    ed = edition.load(REPO)
    doc = ed.documents[0]
    return ed, doc, model.behaviour(ed, doc)


def test_no_text_lost_in_default_edition(default):
    ed, doc, tree = default
    assert words(model_text(tree)) == words(tei_text(doc.root))


def test_ids_unique_and_stable(default):
    ed, doc, tree = default
    ids = [e.get("id") for e in tree.iter() if isinstance(e.tag, str) and e.get("id")
           and e.tag != f"{{{model.MODEL_NS}}}document"]
    assert len(ids) == len(set(ids))
    again = model.behaviour(edition.load(REPO), doc)
    assert etree.tostring(again) == etree.tostring(tree)
    # every xml:id of the text survives as an id
    xml_ids = {e.get("{http://www.w3.org/XML/1998/namespace}id") for e in doc.root.find("tei:text", NS).iter()
               if isinstance(e.tag, str)} - {None}
    assert xml_ids <= set(ids)


def test_both_readings_and_register_links(default):
    ed, doc, tree = default
    alts = tree.findall(".//m:text//m:alternate", M)
    assert alts
    for a in alts:
        roles = [r.get("role") for r in a.findall("m:reading", M)]
        assert roles == ["published", "corrected"]
    kim = tree.find(".//m:name[@ref='kim-il-sung']", M)
    assert kim.get("kind") == "person" and kim.get("label") == "Kim Il Sung" and "1912" in kim.get("desc")
    note = tree.find(".//m:note[@id='n-01']", M)
    assert note.get("n") == "1" and note.get("resp-label") == "Gary Goldberg"
    assert note.get("type-label") == "Translator's note"
    omitted = tree.find(".//m:supplied[@reason='omitted']", M)
    assert omitted.get("published") == "false"
    assert tree.find(".//m:supplied[@reason='clarification']", M).get("published") == "true"
    pb = tree.find(".//m:page-break", M)
    assert pb.get("n") == "19-20" and pb.get("id") == "pb-19-20"
    d = tree.find(".//m:date[@cert='medium']", M)
    assert d.get("precision") == "range" and d.get("sort") == "1961-02-28"


def test_unsafe_targets_are_dropped(make_edition):
    root = make_edition(replace=[("Vienna</placeName>.", "Vienna</placeName>. "
        '<ref target="javascript:alert(1)">js</ref> <ref target="data:text/html,x">data</ref> '
        '<ref target="https://example.org/a?b=1&amp;c=&quot;x">ok</ref> '
        '<figure><graphic url="../../etc/passwd"/></figure>'
        "&lt;script&gt;alert(1)&lt;/script&gt;")])
    ed = edition.load(root)
    tree = model.behaviour(ed, ed.file("mini.xml"))
    links = tree.findall(".//m:link", M)
    assert [link.get("scope") for link in links] == ["dropped", "dropped", "dropped"]
    assert all(link.get("href") is None for link in links)
    assert tree.find(".//m:graphic", M).get("src") is None
    assert len(model.warnings(tree)) == 4
    assert "<script>" in model_text(tree)  # text, not markup
    assert tree.find(".//script") is None


@pytest.mark.parametrize("rel", [
    "dracor/gerdracor/kafka-der-gruftwaechter.xml",
    "letters/schnitzler-briefe",
    "editorial/dta-soldatenbriefe/letter-065.xml",
    "tei-tests",
])
def test_no_text_lost_in_other_projects(shared, tmp_path, rel):
    src = shared / "corpora" / rel
    files = [src] if src.is_file() else sorted(p for p in src.glob("*.xml"))[:6]
    (tmp_path / "tei").mkdir()
    for f in files:
        shutil.copy(f, tmp_path / "tei" / f.name)
    ed = edition.load(tmp_path)
    assert ed.documents
    for doc in ed.documents:
        if doc.root.find("tei:text", NS) is None:
            continue
        tree = model.behaviour(ed, doc)
        assert words(model_text(tree)) == words(tei_text(doc.root)), doc.rel

"""The behaviour model (xslt/model.xsl): no text lost, stable ids, both readings, safe links."""
from __future__ import annotations

import re
import shutil

import pytest
from lxml import etree

from teipress import edition, model
from teipress.xmlparse import NS

from conftest import REPO, back_register_list

M = model.M
DROPPED = {"figDesc", "interp", "interpGrp", "link", "linkGrp", "join", "alt", "altGrp", "span",
           "spanGrp", "timeline", "index", "standOff", "cb", "milestone",
           "graphic",  # graphic/desc becomes @alt
           "binaryObject", "egXML"}  # data, never text; a markup example is code (m:block style="code")
MATHML = "http://www.w3.org/1998/Math/MathML"


def words(text: str) -> list[str]:
    # word tokens: the model spaces MathML tokens and apparatus readings with punctuation of its own
    return re.findall(r"\w+", text)


def tei_text(root) -> str:
    """All character data of <text>, except in elements the model omits on purpose."""
    out = []

    def walk(el):
        if not isinstance(el.tag, str):
            if el.tail:
                out.append(el.tail)
            return
        if etree.QName(el).localname in DROPPED or back_register_list(el):
            if el.tail:
                out.append(el.tail)
            return
        if etree.QName(el).localname == "lb" and el.get("break") == "no":
            out.append("\x00")  # the word goes on: the white space beside the break is dropped
            if el.tail:
                out.append(el.tail)
            return
        math = etree.QName(el).namespace == MATHML  # MathML tokens are read one space apart
        if math:
            out.append(" ")
        if el.text:
            out.append(el.text)
        for c in el:
            walk(c)
        if math:
            out.append(" ")
        if el.tail:
            out.append(el.tail)

    for t in root.findall("tei:text", NS):
        if t.text:
            out.append(t.text)
        for c in t:
            walk(c)
    return re.sub(r"\s*\x00\s*", "", " ".join(out))


def generated(el) -> bool:
    """Text the model writes itself: an empty pointer's label, a milestone's marker, sigla, "om.",
    a markup example's code, a figure's description standing for its missing image."""
    return (el.get("shows") in ("target", "label") or el.get("style") in ("milestone", "code")
            or el.get("tei") == "wit" or (el.get("tei") == "rdg" and el.text == "om." and len(el) == 0)
            or el.get("tei") == "figDesc")


def model_text(tree) -> str:
    parts = []

    def walk(el):
        if el.text:
            parts.append(el.text)
        for c in el:
            if isinstance(c.tag, str) and not generated(c):
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
    numbers = [n.get("n") for n in tree.findall(".//m:text//m:note", M) if n.get("n")]
    assert numbers == [str(i) for i in range(1, len(numbers) + 1)]  # in document order
    # printed in the line, as the source prints it: not a footnote, so not numbered
    assert note.get("placement") == "inline" and note.get("n") == "" and note.get("resp-label") == "Gary Goldberg"
    assert note.get("type-label") == "Translator's note"
    omitted = tree.find(".//m:supplied[@reason='omitted']", M)
    assert omitted.get("published") == "false"
    assert tree.find(".//m:supplied[@reason='clarification']", M).get("published") == "true"
    pb = tree.find(".//m:page-break", M)
    assert pb.get("n") == "19-20" and pb.get("id") == "pb-19-20"
    d = tree.find(".//m:date[@cert='medium']", M)
    assert d.get("precision") == "range" and d.get("sort") == "1961-02-28"


def model_after_vienna(make_edition, markup: str, *more: tuple[str, str]):
    """The model of the mini document with *markup* after its 'Vienna' (and *more* replacements)."""
    root = make_edition(replace=[("Vienna</placeName>.", "Vienna</placeName>. " + markup), *more])
    ed = edition.load(root)
    return model.behaviour(ed, ed.file("mini.xml"))


def test_unsafe_targets_are_dropped(make_edition):
    tree = model_after_vienna(make_edition, (
        '<ref target="javascript:alert(1)">js</ref> <ref target="data:text/html,x">data</ref> '
        '<ref target="https://example.org/a?b=1&amp;c=&quot;x">ok</ref> '
        '<figure><graphic url="../../etc/passwd"/></figure>'
        "&lt;script&gt;alert(1)&lt;/script&gt;"))
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


# == one URL rule (xslt/model/common.xsl, url-scheme), in the model and again in the HTML ==

def test_url_rule_scheme_in_any_case_and_no_breaking_characters(make_edition):
    tree = model_after_vienna(make_edition, (
        '<ref target="HTTPS://Example.org/A">upper</ref> <ref target="Mailto:a@example.org">mail</ref> '
        '<ref target="JavaScript:alert(1)">js</ref> <ref target="https://example.org/&gt;x">gt</ref> '
        '<ref target="https://example.org/\\x">backslash</ref> <ref target="https://example.org/&lt;x">lt</ref> '
        '<ref target="https:">bare</ref> <ref target="//example.org/x">no scheme</ref> '
        '<figure><graphic url="HTTPS://example.org/a.png"/><graphic url="https://example.org/&quot;.png"/>'
        '<graphic url="mailto:a@example.org"/><graphic url="img/a.png"/></figure>'))
    links = {link.text: link for link in tree.iterfind(".//m:link", M)}
    assert links["upper"].get("href") == "HTTPS://Example.org/A" and links["upper"].get("scope") == "external"
    assert links["mail"].get("href") == "Mailto:a@example.org"
    for text in ("js", "gt", "backslash", "lt", "bare", "no scheme"):
        assert links[text].get("scope") == "dropped" and links[text].get("href") is None, text
    graphics = tree.findall(".//m:graphic", M)
    assert [(g.get("href"), g.get("src")) for g in graphics] == [
        ("HTTPS://example.org/a.png", None), (None, None), (None, None), (None, "img/a.png")]
    assert [g.get("dropped") for g in graphics][1:3] == ['https://example.org/".png', "mailto:a@example.org"]


def html_of(model_xml: str) -> str:
    """The HTML fragment of the text part of a hand-written model (no tpf:page: plain pages)."""
    xsl = etree.XSLT(etree.parse(str(model.XSLT_DIR / "html.xsl")))
    out = xsl(etree.fromstring(f'<m:document xmlns:m="{model.MODEL_NS}" id="x"><m:text>{model_xml}</m:text></m:document>'))
    return etree.tostring(out.getroot().find("part[@name='text']"), encoding="unicode")


def test_html_applies_the_url_rule_again():
    html = html_of('<m:paragraph>'
                   '<m:link scope="external" href="javascript:alert(1)">a</m:link>'
                   '<m:link scope="external" href="HTTPS://example.org/">b</m:link>'
                   '<m:link scope="external" href="https://example.org/a b">c</m:link>'
                   '<m:figure><m:graphic href="mailto:a@example.org" alt=""/><m:graphic href="Http://example.org/i.png" alt=""/></m:figure>'
                   '</m:paragraph>')
    assert "javascript" not in html and 'href="https://example.org/a b"' not in html
    assert '<a class="tp-ext" href="HTTPS://example.org/" rel="noopener noreferrer">b</a>' in html
    assert 'href="mailto:' not in html and 'href="Http://example.org/i.png"' in html


# == what an element means is in the model's attributes; renderers never test TEI names ==

def test_style_of_phrases_and_blocks_and_kind_of_published_readings(make_edition):
    tree = model_after_vienna(make_edition, (
        "<emph>e</emph> <title>t</title> <del>d</del> <add>a</add> <hi rend=\"italic\">h</hi> "
        "<stage>aside</stage> <choice><sic>teh</sic><corr>the</corr></choice> "
        "<choice><abbr>Dr</abbr><expan>Doctor</expan></choice> <choice><orig>olde</orig><reg>old</reg></choice> "
        "<choice><unclear>bat</unclear><unclear>cat</unclear></choice>"),
        ("</div>", "<stage>Exit.</stage></div>"))
    text = tree.find("m:text", M)
    styles = {i.get("tei"): i.get("style") for i in text.iterfind(".//m:inline", M)}
    assert styles == {"emph": "emphasis", "title": "title", "del": "deletion", "add": "addition",
                      "hi": "", "stage": "stage"}
    assert text.find(".//m:block[@tei='body']", M).get("style") == "container"
    assert text.find(".//m:block[@tei='stage']", M).get("style") == "stage"
    assert text.find(".//m:block[@division='true']", M).get("style") is None
    kinds = [(r.get("tei"), r.get("kind")) for r in text.iterfind(".//m:reading[@role='published']", M)]
    assert kinds == [("sic", "error"), ("abbr", "abbreviation"), ("orig", "original"), ("unclear", "alternative")]
    assert all(r.get("kind") is None for r in text.iterfind(".//m:reading[@role='corrected']", M))


def test_html_renders_phrases_by_style_not_by_tei_name():
    html = html_of('<m:paragraph><m:inline tei="emph" style="">plain</m:inline>'
                   '<m:inline tei="hi" style="emphasis">em</m:inline>'
                   '<m:inline tei="seg" style="title">cite</m:inline>'
                   '<m:inline tei="x" style="deletion">del</m:inline><m:inline tei="y" style="addition">ins</m:inline></m:paragraph>')
    assert '<span class="tp-emph">plain</span>' in html
    assert '<em class="tp-hi">em</em>' in html and '<cite class="tp-seg">cite</cite>' in html
    assert '<del class="tp-x">del</del>' in html and '<ins class="tp-y">ins</ins>' in html


def test_html_stylesheets_do_not_test_tei_names():
    import re
    for xsl in sorted((model.XSLT_DIR / "html").glob("*.xsl")) + [model.XSLT_DIR / "html.xsl"]:
        src = xsl.read_text(encoding="utf-8")
        assert not re.search(r"@tei\s*!?=|=\s*@tei\b", src), xsl.name  # @tei only as a class hook


def test_every_global_of_the_model_is_a_documented_parameter():
    files = [model.XSLT_DIR / "model.xsl", model.XSLT_DIR / "model-header.xsl",
             *sorted((model.XSLT_DIR / "model").glob("*.xsl"))]
    XSL = "{http://www.w3.org/1999/XSL/Transform}"
    for f in files:
        top = etree.parse(str(f)).getroot()
        names = [el.get("name") for el in top if el.tag in (XSL + "param", XSL + "variable")]
        if f.name != "param.xsl":
            assert names == [], f"{f.name}: global {names} belongs in model/param.xsl"
            continue
        assert {"published-supplied-reasons", "published-note-types", "quote-marks"} <= set(names)
        for el in top:
            if el.tag in (XSL + "param", XSL + "variable"):
                doc = next(el.itersiblings(etree.Comment, preceding=True))  # the nearest comment above
                assert el.get("name") in doc.text, el.get("name")
                if el.tag == XSL + "param":
                    assert "Default" in doc.text, el.get("name")


def test_model_runs_without_the_registry_function():
    # e.g. xsltproc: names stay unlinked, every word is kept
    ed = edition.load(REPO)
    doc = ed.documents[0]
    tree = etree.XSLT(etree.parse(str(model.XSLT_DIR / "model.xsl")))(doc.tree)
    assert tree.getroot().get("id") == doc.root.get("{http://www.w3.org/XML/1998/namespace}id")
    assert tree.find(".//m:name[@ref]", M) is None and tree.find(".//m:name", M) is not None
    assert words(model_text(tree)) == words(tei_text(doc.root))


def test_the_header_follows_the_one_url_rule(make_edition):
    """Licence and source addresses pass url-scheme like every link: any case, nothing unsafe."""
    root = make_edition(replace=[
        ("<date when=\"2026\">2026</date></publicationStmt>",
         '<date when="2026">2026</date><availability><licence target="HTTPS://creativecommons.org/licenses/by/4.0/">'
         "CC BY</licence></availability></publicationStmt>"),
        ("<sourceDesc><p>Born digital.</p></sourceDesc>",
         '<sourceDesc><bibl>A letter, <ref target="javascript:alert(1)">here</ref> and '
         '<ref target="Https://archive.example.org/1">there</ref>.</bibl></sourceDesc>')])
    ed = edition.load(root)
    meta = model.behaviour(ed, ed.file("mini.xml")).find("m:metadata", M)
    assert meta.find("m:licence", M).get("href") == "HTTPS://creativecommons.org/licenses/by/4.0/"
    assert meta.find("m:source", M).get("url") == "Https://archive.example.org/1"
    assert [u.get("href") for u in meta.iterfind("m:bibl//m:url", M)] == ["Https://archive.example.org/1"]


def test_generated_ids_count_same_named_siblings_of_any_namespace(make_edition):
    # An element without xml:id is named by its place among the siblings of its local name
    # (common.xsl, template ordinal): xsl:number counts them where every sibling is TEI, the
    # slow count where a sibling of another namespace has the same local name.
    run = "<anchor/>" * 300
    tree = model_after_vienna(make_edition, f'<seg>{run}</seg> <seg><anchor/><anchor/><x:anchor xmlns:x="urn:x"/><anchor/></seg>')
    first, second = [[a.get("id") for a in seg.iterfind("m:anchor", M)] for seg in
                     [s for s in tree.iter(f"{{{model.MODEL_NS}}}*") if s.find("m:anchor", M) is not None][:2]]
    assert len(first) == 300 and len(set(first)) == 300
    stem = first[0][:-len("anchor1")]
    assert stem.endswith(".") and first == [f"{stem}anchor{i}" for i in range(1, 301)]
    other = second[0][:-len("anchor1")]
    assert other != stem and other.endswith(".") and second[:2] == [f"{other}anchor1", f"{other}anchor2"]
    assert second[-1] == f"{other}anchor4"  # the foreign anchor is the third of its name


def test_manuscript_description_in_the_text(make_edition):
    # Its head is a heading, every other child a labelled field; empty fields are left out
    # unless they hold an image (msdescription.xsl: a template and a key, no predicates on '*').
    tree = model_after_vienna(make_edition, (
        '<msDesc><msIdentifier><settlement>Bern</settlement><idno/></msIdentifier><head>Ms head</head>'
        '<physDesc/><additional><figure><graphic url="a.png"/></figure></additional>'
        '<history><p>Old</p></history><msPart><head>Part</head><physDesc> </physDesc></msPart></msDesc>'))
    ms = tree.find(".//m:block[@style='ms-desc']", M)
    assert [h.text for h in ms.iter(f"{{{model.MODEL_NS}}}heading")] == ["Ms head", "Part"]
    fields = [b.get("tei") for b in ms.iter(f"{{{model.MODEL_NS}}}block") if b.get("style") == "field"]
    assert fields == ["settlement", "additional", "history"]

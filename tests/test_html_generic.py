"""The HTML edition of editions teipress was not tuned for, and of hostile TEI.

A second edition (Schnitzler letters and a DraCor play from ../shared/corpora) builds and shows
all its text; a document holding scripts, javascript:/data: targets, attribute break-outs and
../ paths renders them harmless."""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree, html as lxml_html

from sitebuild import build_edition, pages
from teipress.xmlparse import NS

TEI = "{http://www.tei-c.org/ns/1.0}"
BLOCKS = {"p", "l", "head", "ab", "speaker", "stage", "item", "cell", "note", "dateline", "salute", "signed",
          "addrLine", "byline", "trailer", "label", "castItem", "role", "roleDesc", "docAuthor", "titlePart"}
SKIP = {"figDesc", "interp", "interpGrp", "link", "linkGrp", "join", "alt", "altGrp", "span", "spanGrp",
        "timeline", "index", "standOff", "cb", "milestone", "graphic", "gap", "ptr"}
# What the HTML adds around the text: screen-reader words, marks, permalinks, page numbers.
ADDED = ("tp-vh", "tp-permalink", "tp-pb", "tp-noteref", "tp-lnum", "tp-backref", "tp-note-meta",
         "tp-published", "tp-gap", "tp-noteref-plain", "tp-shows-target")


def squash(s: str) -> str:
    return re.sub(r"[\s\[\]…]", "", s)


def tei_passages(root) -> list[str]:
    """Text of every innermost block of <text>, corrected reading, notes apart."""
    out = []

    def text_of(el, top) -> str:
        local = etree.QName(el).localname if isinstance(el.tag, str) else ""
        parts = []
        if local in SKIP or (local == "note" and el is not top):
            return ""
        if local == "choice":
            kids = [c for c in el if isinstance(c.tag, str)]
            corr = [c for c in kids if etree.QName(c).localname in ("corr", "reg", "expan")]
            pub = [c for c in kids if etree.QName(c).localname in ("sic", "orig", "abbr")]
            chosen = corr[0] if corr else (kids[1] if len(kids) > 1 and not pub else
                                            (kids[0] if kids else None))
            if corr == [] and pub and len(kids) > 1:
                chosen = next(c for c in kids if c is not pub[0])
            return text_of(chosen, top) if chosen is not None else ""
        if el.text:
            parts.append(el.text)
        for c in el:
            if isinstance(c.tag, str):
                parts.append(text_of(c, top))
            if c.tail:
                parts.append(c.tail)
        return "".join(parts)

    for text in root.iterfind("tei:text", NS):
        for el in text.iter():
            if not isinstance(el.tag, str) or etree.QName(el).localname not in BLOCKS:
                continue
            if any(isinstance(d.tag, str) and etree.QName(d).localname in BLOCKS - {"note"}
                   for d in el.iterdescendants()) and etree.QName(el).localname != "note":
                continue
            t = squash(text_of(el, el))
            if t:
                out.append(t)
    return out


def page_text(path: Path) -> str:
    doc = lxml_html.parse(str(path)).getroot()
    for cls in ADDED:
        for el in doc.find_class(cls):
            el.drop_tree()
    main = doc.find(".//article")
    return squash("".join(main.itertext()))


@pytest.fixture(scope="module")
def other_edition(shared, tmp_path_factory):
    root = tmp_path_factory.mktemp("other") / "letters-and-a-play"
    (root / "tei").mkdir(parents=True)
    corpora = shared / "corpora"
    for rel in ("letters/schnitzler-briefe/L00135.xml", "letters/schnitzler-briefe/L00148.xml",
                "dracor/gerdracor/kafka-der-gruftwaechter.xml"):
        shutil.copy(corpora / rel, root / "tei" / Path(rel).name)
    build_edition(root, root / "build", only={"sources", "html", "search"})
    return root


def test_other_edition_shows_all_its_text(other_edition):
    from teipress import edition

    ed = edition.load(other_edition)
    site = other_edition / "build" / "html"
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert len(ed.documents) == 3
    for doc in ed.documents:
        page = site / "documents" / f"{doc.id}.html"
        assert page.is_file(), doc.rel
        text = page_text(page)
        missing = [p for p in tei_passages(doc.root) if p not in text]
        assert not missing, (doc.rel, missing[:3])
        assert (site / "tei" / doc.rel).is_file()


def test_other_edition_pages_are_well_linked(other_edition):
    site = other_edition / "build" / "html"
    home = lxml_html.parse(str(site / "index.html")).getroot()
    titles = [a.text_content() for a in home.iterfind(".//ol[@class='tp-doclist']//a")]
    assert len(titles) == 3 and any("Gruftwächter" in t for t in titles)
    play = lxml_html.parse(str(site / "documents" / "ger000566.html")).getroot()  # TEI/@xml:id
    assert len(play.find_class("tp-sp")) > 20 and play.find_class("tp-speaker")
    assert play.find(".//nav[@class='tp-toc']") is not None


HOSTILE = [
    ("Vienna</placeName>.", 'Vienna</placeName>. &lt;script&gt;alert("p")&lt;/script&gt; '
     '<ref target="javascript:alert(1)">js-link</ref> '
     '<ref target="JaVaScRiPt:alert(2)">js-link-2</ref> '
     '<ref target="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data-link</ref> '
     '<ref target="https://example.org/&quot; onmouseover=&quot;alert(3)">quote-link</ref> '
     '<ref target="../../../../etc/passwd">up-link</ref> '
     '<ref target="https://example.org/ok?a=1&amp;b=2">fine-link</ref> '
     '<hi rend="&quot; onclick=&quot;alert(4)">hi</hi> '
     '<foreign xml:lang="de">x&quot;&gt;&lt;img src=x onerror=alert(5)&gt;</foreign>'
     '<figure><graphic url="../../../etc/passwd"/><figDesc>&quot; onerror=&quot;alert(6)</figDesc></figure>'
     '<figure><graphic url="javascript:alert(7)"/></figure>'),
    ("A note.</note>", '&lt;/textarea&gt;&lt;script&gt;alert("n")&lt;/script&gt;</note>'),
    ('<title>A mini edition</title>', '<title>&lt;/title&gt;&lt;script&gt;alert("t")&lt;/script&gt;</title>'),
]


def test_hostile_tei_is_rendered_harmless(make_edition, tmp_path, monkeypatch):
    root = make_edition(replace=HOSTILE)
    messages = []
    from teipress import edition
    from teipress.commands import build

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    ed = edition.load(root)
    build.run(ed, tmp_path / "out", log=messages.append, only={"sources", "html"})
    site = tmp_path / "out" / "html"
    assert any("javascript:alert(1)" in m for m in messages)  # the editor is told
    assert any("../../../etc/passwd" in m for m in messages)
    seen_text = ""
    for page in pages(site):
        raw = page.read_text()
        doc = lxml_html.fromstring(raw)
        for script in doc.iter("script"):
            assert script.get("src", "").endswith("static/teipress.js") or script.get("type") == "application/ld+json"
            assert "alert" not in (script.text or "") or script.get("type") == "application/ld+json"
            if script.get("type") == "application/ld+json":
                assert "</script" not in script.text.lower()
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            for name, value in el.attrib.items():
                assert not name.lower().startswith("on"), (page, el.tag, name)
                if name in ("href", "src"):
                    scheme = urlsplit(value).scheme.lower()
                    assert scheme in ("", "http", "https", "mailto"), (page, value)
                    assert "passwd" not in value
                    assert '"' not in value
        assert "<img src=x" not in raw and "<script>alert" not in raw
        seen_text += doc.text_content()
    for words in ('<script>alert("p")</script>', "js-link", "data-link", "quote-link", "up-link",
                  '<script>alert("n")</script>', "x\"><img src=x onerror=alert(5)>"):
        assert words in seen_text  # shown as text
    page = lxml_html.parse(str(site / "documents" / "mini.html")).getroot()
    fine = [a for a in page.iter("a") if a.text_content() == "fine-link"]
    assert fine and fine[0].get("href") == "https://example.org/ok?a=1&b=2"
    assert not [a for a in page.iter("a") if a.text_content() in ("js-link", "js-link-2", "data-link", "up-link")]

"""The outputs agree, because each fact has one owner (the EditionModel, teipress.model).

For the default edition and for editions made from other projects' TEI in ../shared/corpora
(two letter collections, two plays, a FRUS volume), the HTML page, the PDF (title page,
imprint, metadata, attachments, index) and the deposit records say the same title,
version, language, citation and life dates; every document's PDF is linked from its page;
every register a document refers to, by any pointer style, is attached to its PDF.  The
divergences of the architecture review (D1–D7) have their regression tests here.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from teipress import edition as edition_mod
from teipress.commands import build as build_mod
from teipress.model import EditionModel
from teipress.outputs import pdf as pdf_out, records

from conftest import MINI_DOC, REPO, SHARED
from sitebuild import EPOCH, build_edition, default_build, parse

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils missing (make system-deps)")

# name → TEI files (relative to ../shared/corpora) of an edition made from them.
CORPUS_EDITIONS = {
    "schnitzler-letters": ["letters/schnitzler-briefe/*.xml"],
    "escher-letters": ["letters/escher-briefe/*.xml"],  # names keyed into people.xml (@key)
    "plays": ["dracor/gerdracor/buechner-woyzeck.xml", "dracor/rusdracor/chekhov-medved.xml"],
    "frus": ["frus/frus1961-63v22-excerpt/*.xml"],
}


def squash(text: str) -> str:
    """Text without white space and soft hyphens: line breaks and hyphenation of the PDF
    (and of pdftotext) do not count."""
    return re.sub(r"[\s\u00ad]", "", text)


def pdftext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def text_of(el) -> str:
    return " ".join(el.text_content().split())


@pytest.fixture(scope="module", params=["default", *CORPUS_EDITIONS])
def built(request, tmp_path_factory, monkeypatch_module):
    """(model, build folder) of one edition, all stages built."""
    name = request.param
    if name == "default":
        root, out = REPO, default_build()
    else:
        if not SHARED.is_dir():
            pytest.skip("../shared is absent (it holds the third-party corpora these editions are made of)")
        root = tmp_path_factory.mktemp(name)
        (root / "tei").mkdir()
        for pattern in CORPUS_EDITIONS[name]:
            for p in sorted((SHARED / "corpora").glob(pattern)):
                shutil.copy(p, root / "tei" / p.name)
        out = root / "build"
        build_edition(root, out)  # not validated: other projects' files follow other schemas
    monkeypatch_module.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return EditionModel.build(edition_mod.load(root)), out


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def test_the_editions_are_not_ours_alone(built):
    em, _ = built
    assert em.documents
    if em.edition.root != REPO:
        assert em.metadata.id != "nkidp-114978"


def test_every_document_page_links_its_own_pdf(built):
    em, out = built
    for doc in em.documents:
        page = parse(out / "html" / doc.path)
        hrefs = {a.get("href") for a in page.iter("a")}
        assert f"../{doc.pdf}" in hrefs, doc.file.rel
        linked = out / "html" / doc.pdf
        assert linked.read_bytes() == (out / doc.paths.pdf).read_bytes(), doc.file.rel


def test_title_version_and_language_agree(built):
    em, out = built
    for doc in em.documents:
        page = parse(out / "html" / doc.path)
        assert text_of(page.find(".//h1")) == doc.title, doc.file.rel
        assert page.get("lang") == doc.language
        assert page.find(".//meta[@name='teipress-build']").get("content").split()[0] == em.version
        reader = PdfReader(out / doc.paths.pdf)
        assert reader.metadata.title == doc.title, doc.file.rel
        assert str(reader.trailer["/Root"]["/Lang"]) == doc.language
        assert squash(f"version {em.version}") in squash(pdftext(out / doc.paths.pdf)).lower()
    home = parse(out / "html" / "index.html")
    assert em.title in text_of(home.find(".//title"))
    datacite = etree.fromstring(records.to_datacite(em.metadata))
    ns = {"d": records.DATACITE_NS}
    assert datacite.findtext("d:titles/d:title", namespaces=ns) == em.title
    assert datacite.findtext("d:version", namespaces=ns) == em.version


def test_the_page_and_the_pdf_imprint_print_one_citation(built):
    """D1: the suggested citation of the imprint is the page's Chicago citation, and the home
    page prints the edition's (as the deposit README does)."""
    em, out = built
    for doc in em.documents:
        page = parse(out / "html" / doc.path)
        chicago = text_of(page.find(".//p[@class='tp-citation']"))
        # the same words; the PDF sets its apostrophes and single quotes typographically (clean())
        quotes = str.maketrans({"\u2019": "'", "\u2018": "'"})
        assert squash(chicago).translate(quotes) in squash(pdftext(out / doc.paths.pdf)).translate(quotes), doc.file.rel
    home = parse(out / "html" / "index.html")
    assert text_of(home.find(".//p[@class='tp-citation']")) == em.metadata.citation(em.build_date)


def test_responsibility_sources_and_rights_agree_in_every_output(built):
    """Issue 13: one reading of who is responsible, where the text comes from and under which
    terms, in the page (JSON-LD, citation), the PDF (XMP, imprint) and every deposit record."""
    em, out = built
    md = em.metadata
    ns = {"d": records.DATACITE_NS}
    datacite = etree.fromstring(records.to_datacite(md))
    assert [e.text for e in datacite.iterfind("d:creators/d:creator/d:creatorName", ns)] == [
        a.inverted for a in md.responsible]
    assert [c["name"] for c in records.zenodo_data(md)["metadata"]["creators"]] == [a.inverted for a in md.responsible]
    oai = etree.fromstring(records.to_dublin_core(md))
    assert [e.text for e in oai.iterfind(f"{{{records.DC_NS}}}creator")] == [a.inverted for a in md.responsible]
    # funders are the edition's only: a source's funder is never the edition's
    assert [e.text for e in datacite.iterfind("d:fundingReferences/d:fundingReference/d:funderName", ns)] == md.funders
    if md.archival is not None and md.archival.url:
        related = [e.text for e in datacite.iterfind("d:relatedIdentifiers/d:relatedIdentifier", ns)]
        assert md.archival.url in related
    rights = [e.text for e in datacite.iterfind("d:rightsList/d:rights", ns)]
    assert all(r in rights for r in md.source_rights)
    if md.rights_split:
        assert records.zenodo_data(md)["metadata"]["license"] == "other-closed"
        assert "license" not in records.cff_data(md)
    for doc in em.documents:
        dm = doc.meta
        page = parse(out / "html" / doc.path)
        ld = json.loads(page.find(".//script[@type='application/ld+json']").text)
        assert [a["name"] for a in ld.get("author", [])] == [a.name for a in dm.creators], doc.file.rel
        assert [a["name"] for a in ld.get("editor", [])] == [a.name for a in dm.editors], doc.file.rel
        assert ("license" in ld) == bool(dm.licence.url and not dm.rights_split), doc.file.rel
        metas = [m.get("content") for m in page.iter("meta") if m.get("name") == "citation_author"]
        assert metas == [a.inverted for a in dm.creators], doc.file.rel
        xmp = PdfReader(out / doc.paths.pdf).xmp_metadata
        # Typst writes the names as one dc:creator entry, comma-separated
        assert ", ".join(xmp.dc_creator) == ", ".join(a.name for a in dm.responsible), doc.file.rel
        if dm.archival is not None and dm.archival.url:
            assert ld["isBasedOn"]["url"] == dm.archival.url
            chicago = text_of(page.find(".//p[@class='tp-citation']"))
            assert dm.archival.url in chicago
            assert squash(dm.archival.url) in squash(pdftext(out / doc.paths.pdf))
    if em.edition.root == REPO:
        assert [a.name for a in md.responsible] == ["Editorial Board of the teipress project"]
        assert md.archival.funders == ["Leon Levy Foundation"] and md.funders == []
        assert md.rights_split
        # one suggested citation: the home page, the about page, the document page (and its PDF)
        cited = {text_of(parse(out / "html" / name).find(".//p[@class='tp-citation']"))
                 for name in ("index.html", "about.html", em.documents[0].path)}
        assert len(cited) == 1 and "Text from" in cited.pop()


def test_with_base_url_every_citation_has_the_absolute_permalink(make_edition, tmp_path):
    """Issue 13: base_url set, the page's citation (without script), the PDF's imprint, the
    download files and JSON-LD carry the absolute permalink; nothing site-relative."""
    root = make_edition()
    (root / "edition.toml").write_text('base_url = "https://example.org/ed/"\n', encoding="utf-8")
    build_edition(root, tmp_path / "out")
    out = tmp_path / "out"
    address = "https://example.org/ed/documents/mini.html"
    page = parse(out / "html" / "documents" / "mini.html")
    cite = page.find(".//p[@class='tp-citation']")
    assert address in text_of(cite) and cite.get("data-tp-template") is None  # nothing for the script to do
    assert f"{address}#{{anchor}}" in page.find(".//p[@data-tp-passage]").get("data-tp-passage")
    assert squash(address) in squash(pdftext(out / "pdf" / "mini.pdf"))
    assert f"url = {{{address}}}" in (out / "html" / "cite" / "mini.bib").read_text(encoding="utf-8")
    ld = json.loads(page.find(".//script[@type='application/ld+json']").text)
    assert ld["url"] == address
    assert {e["contentUrl"] for e in ([ld["encoding"]] if isinstance(ld["encoding"], dict) else ld["encoding"])} == {
        "https://example.org/ed/tei/mini.xml", "https://example.org/ed/downloads/mini.pdf"}


def test_every_register_a_document_refers_to_is_attached(built):
    """D5: by any pointer style (@ref, @who, @key …), as the model resolved them: an extract of
    each register (its entries the document refers to, outputs/register_extract.py), its header
    naming the register."""
    em, out = built
    for doc in em.documents:
        attached = PdfReader(out / doc.paths.pdf).attachments
        assert set(attached) == {Path(doc.file.rel).name} | {f"{Path(r).stem}-extract.xml"
                                                             for r in doc.register_files}, doc.file.rel
        for rel in doc.register_files:
            header = etree.fromstring(attached[f"{Path(rel).stem}-extract.xml"][0])
            assert header.findtext(".//{*}sourceDesc/{*}bibl/{*}ref") == Path(rel).name
    if any(f.rel == "people.xml" for f in em.edition.registers):  # the Escher letters' @key
        assert any("people.xml" in d.register_files for d in em.documents)


def test_life_dates_read_the_same_in_the_registers_and_the_pdf_index(built):
    """D3: '1906–' (still alive, or death unknown) on the register page and in the index."""
    em, out = built
    checked = 0
    for doc in em.documents:
        text = squash(pdftext(out / doc.paths.pdf))
        for rec in pdf_out.index_entries(em, doc)["persons"]:
            if not rec["dates"]:
                continue
            entry = em.entries[rec["key"]]
            li = parse(out / "html" / entry.page).get_element_by_id(entry.anchor)
            assert rec["dates"] in text_of(li), rec["key"]
            assert squash(f"({rec['dates']})") in text, rec["key"]
            checked += 1
    if em.edition.root == REPO:
        assert checked >= 5 and any(e.dates == "1906–1998" for e in em.entries.values())  # Puzanov (d. 1998)


def test_division_dates_read_the_same_in_html_and_pdf():
    """The p. 26 excerpt, printed without heading, is dated by the editors' note: 'c. 8 October
    1971' in the PDF contents and in the HTML registers' locations."""
    out = default_build()
    persons = text_of(parse(out / "html" / "persons.html"))
    assert "p. 26 · c. 8 October 1971" in persons
    assert "c. 8 October 1971" in pdftext(out / "pdf" / "nkidp-114978.pdf")


def test_principle_headings_are_the_same_in_html_and_pdf():
    """D2: the PDF heads the editorial principles as the principles page does."""
    out = default_build()
    heads = [text_of(h) for h in parse(out / "html" / "principles.html").iter("h2")]
    assert len(heads) >= 5
    text = squash(pdftext(out / "pdf" / "nkidp-114978.pdf"))
    for head in heads:
        assert squash(head) in text, head


def test_a_title_with_a_correction_reads_corrected_everywhere(make_edition, tmp_path):
    """D7: <choice><sic>Viena</sic><corr>Vienna</corr></choice> in a title."""
    root = make_edition(replace=[("<title>A mini edition</title>",
                                  "<title>Letters from <choice><sic>Viena</sic><corr>Vienna</corr></choice></title>")])
    build_edition(root, tmp_path / "out")
    page = parse(tmp_path / "out" / "html" / "documents" / "mini.html")
    assert text_of(page.find(".//h1")) == "Letters from Vienna"
    pdf = tmp_path / "out" / "pdf" / "mini.pdf"
    assert PdfReader(pdf).metadata.title == "Letters from Vienna"
    assert "Viena" not in pdftext(pdf).replace("Vienna", "")


def test_a_document_id_beyond_ascii_names_one_pdf_that_its_page_links(make_edition, tmp_path):
    """D6: the PDF stage and the page agree on the file name; no id names a path."""
    root = make_edition(replace=[('xml:id="mini"', 'xml:id="brief-ä"')],
                        extra={"other.xml": MINI_DOC.replace('xml:id="mini"', 'xml:id="../../evil"')
                               .replace('xml:id="d1"', 'xml:id="o-d1"').replace('xml:id="p1"', 'xml:id="o-p1"')
                               .replace('xml:id="n1"', 'xml:id="o-n1"')})
    build_edition(root, tmp_path / "out")
    out = tmp_path / "out"
    assert sorted(p.name for p in (out / "pdf").iterdir()) == ["brief-a.pdf", "evil.pdf"]
    assert not (tmp_path / "evil.pdf").exists() and not (root.parent / "evil.pdf").exists()
    page = parse(out / "html" / "documents" / "brief-a.html")
    assert "../downloads/brief-a.pdf" in {a.get("href") for a in page.iter("a")}


def test_a_partial_build_keeps_the_pdf_links_and_the_search(make_edition, tmp_path):
    """`--only html` links the PDFs of the previous build and brings the search index along."""
    root = make_edition()
    out = tmp_path / "out"
    build_edition(root, out)
    build_edition(root, out, only={"html"})
    page = parse(out / "html" / "documents" / "mini.html")
    assert "../downloads/mini.pdf" in {a.get("href") for a in page.iter("a")}
    assert (out / "html" / "downloads" / "mini.pdf").is_file()
    assert (out / "html" / "pagefind" / "pagefind-entry.json").is_file()


def test_a_partial_build_without_pdfs_says_it_links_none(make_edition, tmp_path):
    root = make_edition()
    messages: list[str] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build_mod.run(edition_mod.load(root), tmp_path / "out", log=messages.append, only={"html"})
    page = parse(tmp_path / "out" / "html" / "documents" / "mini.html")
    assert not any((a.get("href") or "").endswith(".pdf") for a in page.iter("a"))
    assert any("no PDF was built" in m and "mini.xml" in m for m in messages)


def test_csl_json_beside_bibtex_and_ris():
    out = default_build() / "html"
    page = parse(out / "documents" / "nkidp-114978.html")
    assert "../cite/nkidp-114978.json" in {a.get("href") for a in page.iter("a")}
    [item] = json.loads((out / "cite" / "nkidp-114978.json").read_text(encoding="utf-8"))
    assert item["id"] == "nkidp-114978" and item["type"] in ("book", "chapter")
    assert item["title"] == text_of(page.find(".//h1"))
    assert item["translator"] == [{"family": "Goldberg", "given": "Gary"}]


def test_a_document_keeps_its_own_language(make_edition, tmp_path):
    """A German letter in an English edition: German on its page and in its PDF (hyphenation)."""
    root = make_edition(extra={"brief.xml": MINI_DOC.replace('xml:id="mini" xml:lang="en"', 'xml:id="brief" xml:lang="de"')
                               .replace('xml:id="d1"', 'xml:id="b-d1"').replace('xml:id="p1"', 'xml:id="b-p1"')
                               .replace('xml:id="n1"', 'xml:id="b-n1"')})
    (root / "edition.toml").write_text('language = "en"\n', encoding="utf-8")
    build_edition(root, tmp_path / "out")
    out = tmp_path / "out"
    assert parse(out / "html" / "documents" / "brief.html").get("lang") == "de"
    assert parse(out / "html" / "documents" / "mini.html").get("lang") == "en"
    assert parse(out / "html" / "index.html").get("lang") == "en"
    assert str(PdfReader(out / "pdf" / "brief.pdf").trailer["/Root"]["/Lang"]) == "de"


def test_pdf_bookmarks_read_headings_by_the_models_plain_text_rule(make_edition, tmp_path):
    """A line break in a head is a space in the bookmarks, as in every plain text of the model."""
    root = make_edition(replace=[("<head>Letter of <date", "<head>Letter<lb/>of <date")])
    build_edition(root, tmp_path / "out")
    outline = PdfReader(tmp_path / "out" / "pdf" / "mini.pdf").outline

    def titles(items):
        for it in items:
            yield from titles(it) if isinstance(it, list) else [it.title]

    assert "Letter of 5 March 1961" in set(titles(outline))


def test_a_division_without_heading_or_date_has_the_models_label_in_both_outputs(make_edition, tmp_path):
    """Neither 'No. 1' in the PDF nor another name in the HTML: the model's 'Letter 1'."""
    root = make_edition(replace=[("<head>Letter of <date when=\"1961-03-05\">5 March 1961</date></head>", "")])
    build_edition(root, tmp_path / "out")
    outline = [it.title for it in PdfReader(tmp_path / "out" / "pdf" / "mini.pdf").outline if not isinstance(it, list)]
    assert "Letter 1" in outline
    toc = parse(tmp_path / "out" / "html" / "documents" / "mini.html").find_class("tp-toc")
    assert toc and "Letter 1" in text_of(toc[0])


def test_a_hostile_title_stays_data_in_every_output(make_edition, tmp_path):
    """TEI text is data: a title that looks like markup or Typst code is printed, never run."""
    title = "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; #read(\"/etc/passwd\") {x}"
    root = make_edition(replace=[("<title>A mini edition</title>", f"<title>{title}</title>")])
    build_edition(root, tmp_path / "out")
    out = tmp_path / "out"
    raw = (out / "html" / "documents" / "mini.html").read_text(encoding="utf-8")
    script = raw[raw.index('<script type="application/ld+json">'):]
    script = script[:script.index("</script>")]
    assert "<" not in script[len('<script type="application/ld+json">'):]  # nothing closes it early
    assert json.loads(script[len('<script type="application/ld+json">'):])["name"].startswith("</script>")
    page = parse(out / "html" / "documents" / "mini.html")
    assert text_of(page.find(".//h1")) == '</script><script>alert(1)</script> #read("/etc/passwd") {x}'
    assert all("alert" not in (s.text or "") for s in page.iter("script") if s.get("type") != "application/ld+json")
    assert PdfReader(out / "pdf" / "mini.pdf").metadata.title == text_of(page.find(".//h1"))
    for fmt in ("bib", "ris", "json"):
        assert (out / "html" / "cite" / f"mini.{fmt}").is_file()
    [item] = json.loads((out / "html" / "cite" / "mini.json").read_text(encoding="utf-8"))
    assert item["title"] == text_of(page.find(".//h1"))


def test_registers_are_named_by_their_headers_read_through_the_model():
    out = default_build() / "html"
    items = [text_of(li) for li in parse(out / "index.html").iter("li") if text_of(li).startswith("Register ")]
    assert "Register teipress: register of persons: TEI source" in items
    assert len(items) == 4  # persons, places, organisations, events and treaties


def test_two_files_of_one_name_get_two_pdfs_and_two_pages(make_edition, tmp_path):
    """No xml:id on <TEI> and the same file name in two folders: names made unique once
    (teipress.model.paths), so neither PDF overwrites the other and each page links its own."""
    bare = MINI_DOC.replace(' xml:id="mini"', "")
    root = make_edition(extra={})
    for folder, prefix in (("one", "a"), ("two", "b")):
        (root / "tei" / folder).mkdir()
        (root / "tei" / folder / "x.xml").write_text(
            bare.replace('xml:id="d1"', f'xml:id="{prefix}-d1"').replace('xml:id="p1"', f'xml:id="{prefix}-p1"')
            .replace('xml:id="n1"', f'xml:id="{prefix}-n1"').replace("persons.xml#", "../persons.xml#")
            .replace("<title>A mini edition</title>", f"<title>Letter {prefix}</title>"), encoding="utf-8")
    build_edition(root, tmp_path / "out")
    out = tmp_path / "out"
    assert sorted(p.name for p in (out / "pdf").iterdir()) == ["mini.pdf", "x-2.pdf", "x.pdf"]
    titles = {}
    for name in ("x", "x-2"):
        page = parse(out / "html" / "documents" / f"{name}.html")
        assert f"../downloads/{name}.pdf" in {a.get("href") for a in page.iter("a")}
        titles[name] = text_of(page.find(".//h1"))
        assert PdfReader(out / "pdf" / f"{name}.pdf").metadata.title == titles[name]
    assert sorted(titles.values()) == ["Letter a", "Letter b"]

"""The HTML edition of the default edition: pages, links, registers, chronology, citation."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sitebuild import broken_links, pages, parse, site
from teipress import edition
from teipress.xmlparse import NS

from conftest import REPO

DOC = "documents/nkidp-114978.html"


@pytest.fixture(scope="module")
def root() -> Path:
    return site()


def text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def test_every_page_type_exists(root):
    for rel in ("index.html", DOC, "persons.html", "places.html", "organisations.html", "chronology.html",
                "principles.html", "about.html", "search.html", "tei/nkidp-114978.xml", "tei/persons.xml",
                "cite/nkidp-114978.bib", "cite/nkidp-114978.ris", "static/teipress.css", "static/teipress.js",
                "pagefind/pagefind.js"):
        assert (root / rel).is_file(), rel


def test_every_page_shows_version_build_date_and_sources(root):
    for page in pages(root):
        doc = parse(page)
        footer = text(doc.find(".//footer"))
        assert "version 0.1.0" in footer and "built 2026-01-01" in footer, page
        hrefs = [a.get("href") for a in doc.iter("a")]
        assert any("tei/" in h or "#downloads" in h for h in hrefs), page


def test_pdf_and_tei_linked_from_document(root):
    doc = parse(root / DOC)
    hrefs = {a.get("href") for a in doc.iter("a")}
    assert "../tei/nkidp-114978.xml" in hrefs
    if (root.parent / "pdf" / "nkidp-114978.pdf").exists():
        assert "../downloads/nkidp-114978.pdf" in hrefs
        assert (root / "downloads" / "nkidp-114978.pdf").is_file()


def test_nothing_loaded_from_another_host(root):
    for page in pages(root):
        doc = parse(page)
        for el in doc.iter():
            for attr in ("src", "href", "action", "data", "poster", "srcset"):
                v = el.get(attr)
                if v is None:
                    continue
                if el.tag == "a" and attr == "href":
                    continue  # links may leave; loads may not
                assert not urlsplit(v).scheme and not v.startswith("//"), (page, el.tag, v)
        for style in doc.iter("style"):
            assert "url(" not in (style.text or "")
    css = (root / "static" / "teipress.css").read_text()
    assert "url(" not in css and "@import" not in css


def test_no_broken_internal_link_or_anchor(root):
    problems, checked = broken_links(root)
    assert not problems, "\n".join(problems)
    assert checked > 500


def test_ids_are_unique_on_every_page(root):
    for page in pages(root):
        seen = [el.get("id") for el in parse(page).iter() if el.get("id")]
        dupes = {i for i in seen if seen.count(i) > 1}
        assert not dupes, (page, dupes)


def test_document_page(root):
    doc = parse(root / DOC)
    assert text(doc.find(".//h1")).startswith("Excerpts from V. P. Tkachenko")
    # the book's title inside the editors' title is a title (TEI title level="m"), set as one
    assert [text(c) for c in doc.find(".//h1").iter("cite")] == ["The Korean Peninsula and Russia's Interests"]
    meta = text(doc.find(".//dl"))
    for needle in ("Gary Goldberg", "Leon Levy Foundation", "Russian (original)",
                   "https://digitalarchive.wilsoncenter.org/document/114978",
                   "17 June 1960 – 17 November 1971", "A compilation of conversations", "Six excerpts from",
                   "The source's summary"):
        assert needle in meta
    # the text comes first: the header's facts are folded, one line of credits stays open
    assert doc.find(".//details[@class='tp-about-doc']/dl") is not None
    assert text(doc.find(".//p[@class='tp-byline']")) == (
        "Edited by Editorial Board of the teipress project; translated by Gary Goldberg · "
        "17 June 1960 – 17 November 1971")
    # the archive's address once, not again as a separate "Archival record" link
    assert "Archival record" not in meta
    assert text(doc.find(".//title")) == text(doc.find(".//h1"))  # not "Title · Title"
    # contents of its divisions
    toc = doc.find(".//nav[@class='tp-toc']")
    assert [a.get("href") for a in toc.iter("a")] == ["#ex-1", "#ex-2", "#ex-3", "#ex-4", "#ex-5", "#ex-6",
                                                      "#abbreviations", "#works-cited"]  # in back: abbreviations, works cited
    # speaker turns, page breaks, gaps, supplied, foreign, quotations
    tei = edition.load(REPO).file("nkidp-114978.xml").root
    assert len(doc.findall(".//div[@class='tp-sp']")) == len(tei.findall(".//tei:sp", NS))
    pb = doc.get_element_by_id("pb-19-20")
    assert pb.get("href") == "#pb-19-20" and text(pb) == "[pp. 19–20]"
    assert text(doc.get_element_by_id("pb-25")) == "[p. 25]"
    gap = doc.find(".//span[@class='tp-gap']")
    assert "[…]" in text(gap) and "not included in the excerpts" in gap.get("data-tip")
    assert gap.get("tabindex") == "0"
    omitted = doc.find(".//span[@data-published='false']")
    assert text(omitted) == "[you]"
    assert "sderzhivat'" in [text(i) for i in doc.findall(".//i[@lang='ru-Latn']")]
    assert doc.findall(".//q")
    # names link to their register entry with a description
    kim = doc.find(".//a[@href='../persons.html#kim-il-sung']")
    assert kim is not None and "1912" in kim.get("data-tip")
    assert doc.get_element_by_id("tp-desc-kim-il-sung") is not None
    # side panel lists persons, places, organisations
    side = text(doc.find(".//aside"))
    assert "Persons" in side and "Places" in side and "Organisations" in side


def test_notes_are_numbered_footnotes_with_back_links(root):
    doc = parse(root / DOC)
    refs = doc.findall(".//a[@class='tp-noteref']")
    notes = doc.findall(".//li[@class='tp-note']")
    assert len(refs) == len(notes) >= 2
    for n, (ref, note) in enumerate(zip(refs, notes), 1):
        assert ref.get("href") == f"#{note.get('id')}"
        assert note.get("value") == str(n)
        back = note.find(".//a[@class='tp-backref']")
        assert back.get("href") == f"#{ref.get('id')}"
    assert doc.get_element_by_id("n-01") is not None  # permalink from xml:id


def test_both_readings_in_the_page_corrected_by_default(root):
    doc = parse(root / DOC)
    alts = doc.find(".//div[@class='tp-text']").findall(".//span[@class='tp-alt']")
    assert len(alts) >= 20
    first = alts[0]
    assert text(first.find("span[@class='tp-published']")) == "Kim II Sung"
    assert text(first.find("span[@class='tp-corrected']")) == "Kim Il Sung"
    css = (root / "static" / "teipress.css").read_text()
    assert ".tp-published { display: none; }" in css  # what a reader sees without JavaScript


def test_the_archives_citation_is_transcribed_as_the_source_gives_it(root):
    # The archive's citation of itself is quoted: its staging address and its "Mosow" stay, in
    # either reading; the canonical address is the source record's.
    doc = parse(root / DOC)
    dd = next(d for d in doc.iter("dd") if d.getprevious() is not None
              and text(d.getprevious()) == "The archive's citation")
    assert dd.get("class") == "tp-as-given"
    published = " ".join(text(s) for s in dd.iter("span") if s.get("class") == "tp-published")
    assert "https://wilson-center.drivingcreative.com/document/114978" in published and "Mosow" in published
    css = (root / "static" / "teipress.css").read_text()
    assert ".tp-as-given .tp-published { display: inline; }" in css
    assert ".tp-as-given .tp-corrected" in css
    archival = next(d for d in doc.iter("dd") if d.getprevious() is not None
                    and text(d.getprevious()) == "Source (archive)")
    assert "https://digitalarchive.wilsoncenter.org/document/114978" in text(archival)
    assert "drivingcreative" not in text(archival)


def test_note_marks_say_whether_the_source_prints_the_note(make_edition, tmp_path):
    # "As published" hides the marks of notes the source does not print (data-published="false").
    from sitebuild import build_edition
    root = make_edition(replace=[
        ('<category xml:id="editorial">', '<category xml:id="translator"><catDesc>Translator\'s note</catDesc></category>'
                                          '<category xml:id="editorial">'),
        ("wrote from", 'wrote<note type="translator" place="foot" xml:id="n0">Printed.</note> from')])
    out = tmp_path / "out"
    build_edition(root, out, only={"html"})
    doc = parse(out / "html" / "documents" / "mini.html")
    marks = {a.get("href"): a.get("data-published") for a in doc.iter("a") if a.get("class") == "tp-noteref"}
    assert marks == {"#n0": "true", "#n1": "false"}, marks
    css = (out / "html" / "static" / "teipress.css").read_text()
    assert 'html[data-reading="published"] .tp-noteref[data-published="false"] { display: none; }' in css


def test_paragraph_permalinks_are_xml_ids(root):
    doc = parse(root / DOC)
    tei = edition.load(REPO).file("nkidp-114978.xml").root
    for p in tei.iterfind(".//tei:text//tei:p", NS):
        xid = p.get("{http://www.w3.org/XML/1998/namespace}id")
        el = doc.get_element_by_id(xid)
        assert el.find("a[@class='tp-permalink']").get("href") == f"#{xid}"


def test_register_lists_every_occurrence(root):
    tei = edition.load(REPO).file("nkidp-114978.xml").root
    expected = len(tei.findall(".//tei:text//*[@ref='persons.xml#kim-il-sung']", NS))
    reg = parse(root / "persons.html")
    entry = reg.get_element_by_id("kim-il-sung")
    links = [a for a in entry.findall(".//ul[@class='tp-occ']//a")]
    assert len(links) == expected
    assert all(a.get("href").startswith(f"{DOC}#") for a in links)
    assert "Kim Il Sung" in text(entry.find(".//mark"))
    assert "1912–1994" in text(entry.find("h2"))
    assert "Leader of the Democratic" in text(entry)
    assert "Also named" in text(reg.get_element_by_id("brezhnev"))


def test_chronology_is_ordered_with_precision(root):
    chron = parse(root / "chronology.html")
    rows = chron.xpath("//h2[@id='dates']/following::table[1]/tbody/tr")  # the dates printed in the text
    assert len(rows) > 20
    hrefs = [r.find(".//a").get("href") for r in rows]
    assert all(h.startswith(DOC + "#") for h in hrefs)
    txt = text(chron)
    assert "medium certainty" in txt and "span" in txt and "month" in txt
    first = text(rows[0].find("td"))
    assert first == "1958" or first.endswith("1958")


def test_citation(root):
    doc = parse(root / DOC)
    metas = {m.get("name"): m.get("content") for m in doc.iter("meta") if m.get("name")}
    assert metas["citation_title"].startswith("Excerpts from V. P. Tkachenko")
    assert "citation_author" not in metas  # Tkachenko wrote the book, not the editors' title
    ld = json.loads(doc.find(".//script[@type='application/ld+json']").text)
    assert ld["@type"] == "CreativeWork" and ld["translator"][0]["name"] == "Gary Goldberg"
    assert ld["editor"] == [{"@type": "Organization", "name": "Editorial Board of the teipress project"}]
    assert "author" not in ld and "license" not in ld and "encoding" not in ld  # no relative contentUrl
    assert ld["isBasedOn"]["url"] == "https://digitalarchive.wilsoncenter.org/document/114978"
    assert ld["isBasedOn"]["funder"][0]["name"] == "Leon Levy Foundation"
    assert ld["isBasedOn"]["isBasedOn"]["author"][0]["name"] == "V. P. Tkachenko"
    cite = text(doc.get_element_by_id("tp-cite"))
    assert "MLA" in cite and "Translated by Gary Goldberg" in cite
    # One suggested citation: the document is the whole edition, listed under its editors, its
    # title unquoted; the archive and the printed book (and its author) in the provenance.
    [chicago] = [text(p) for p in doc.find(".//section[@id='tp-cite']").iter("p") if p.get("class") == "tp-citation"
                 and not p.get("hidden")]
    assert chicago == ("Editorial Board of the teipress project, ed. Excerpts from V. P. Tkachenko, The Korean "
                       "Peninsula and Russia's Interests: Soviet–North Korean Conversations on the Treaty of 1961, "
                       "1960–1971. Translated by Gary Goldberg. Version 0.1.0. The teipress project, 2026. "
                       "Text from “Excerpts from V.P. Tkachenko ‘The Korean Peninsula "
                       "and Russia's Interests,’” Wilson Center Digital Archive, document 114978, "
                       "https://digitalarchive.wilsoncenter.org/document/114978; originally published in V. P. "
                       "Tkachenko, Koreiskii poluostrov i interesy Rossii [The Korean Peninsula and Russia's "
                       "Interests] (Moscow: Vostochnaia literatura RAN, 2000), 19–31.")
    # a passage: the same citation, its permalink's anchor and a locator filled in by the script
    passage = doc.find(".//p[@data-tp-passage]")
    assert passage.get("hidden") is not None
    assert "{locator}. {permalink}#{anchor}." in passage.get("data-tp-passage")
    # no base_url: no site-relative address in the citation; the script sets the absolute one
    first = doc.find(".//section[@id='tp-cite']/p[@class='tp-citation']")
    assert "documents/" not in text(first) and first.get("data-tp-permalink") == "documents/nkidp-114978.html"
    assert "2026. {permalink}. Text from" in first.get("data-tp-template")
    bib = (root / "cite" / "nkidp-114978.bib").read_text()
    assert bib.startswith("@misc{nkidp-114978,") and "translator = {Goldberg, Gary}" in bib
    assert "editor = {{Editorial Board of the teipress project}}" in bib  # braced: an organisation
    assert "author =" not in bib
    ris = (root / "cite" / "nkidp-114978.ris").read_bytes().decode()
    assert ris.startswith("TY  - ELEC\r\n") and ris.endswith("ER  - \r\n")
    assert "A4  - Goldberg, Gary\r\n" in ris and "ED  - Editorial Board of the teipress project\r\n" in ris
    assert "\r\nAU  -" not in ris


def test_principles_and_about(root):
    pr = text(parse(root / "principles.html"))
    for needle in ("Correction", "Normalisation", "Quotation", "Kim II Sung", "Translator's note"):
        assert needle in pr
    about = text(parse(root / "about.html"))
    assert "Creative Commons" in about and "Leon Levy Foundation" in about
    assert "Funder" not in about  # the foundation funded the archive's translation, not this edition


def test_home_page(root):
    home = text(parse(root / "index.html"))
    for needle in ("V. P. Tkachenko", "Gary Goldberg", "How to cite this edition", "Persons", "Chronology",
                   "Editorial principles", "Downloads", "17 June 1960 – 17 November 1971"):
        assert needle in home


def test_search_filters_indexed(root):
    entry = json.loads((root / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]
    assert list((root / "pagefind" / "filter").iterdir())


def test_contents_name_a_division_printed_without_heading(root):
    # The excerpt of p. 26 has no head: the contents and a heading the editors supply give its
    # date, as the PDF's contents do (its editors' note dates it); the note's mark is in that
    # heading, not on a line of its own.
    doc = parse(root / "documents" / "nkidp-114978.html")
    labels = [" ".join(a.text_content().split()) for a in doc.iterfind(".//nav[@class='tp-toc']//a")]
    assert len(labels) == 8 and labels[3] == "c. 8 October 1971" and labels[6] == "Abbreviations and terms"
    assert labels[7] == "Works cited in the notes"
    # a head running into its text lists without its colon, as in the PDF's contents (review defect 21)
    assert labels[0].endswith("Published for the first time]") and not any(l.endswith(":") for l in labels)
    head = doc.get_element_by_id("ex-4").find("h2")
    assert head is not None and "tp-head-supplied" in head.get("class")
    assert " ".join(head.text_content().split()) == "Date supplied by the editors: c. 8 October 1971Editorial note of the digital editors 7"
    assert head.find(".//a[@class='tp-noteref']") is not None

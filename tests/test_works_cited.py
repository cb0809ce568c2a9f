"""The historical notes of the default edition cite their sources (issue 13): every citation in an
editors' note points to an entry of the list "Works cited in the notes" in the back, every entry
is cited, and both outputs print the list; on the web page a citation links to its entry."""
from __future__ import annotations

import subprocess

from lxml import etree
from sitebuild import REPO, default_build, parse

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
DOC = REPO / "tei" / "nkidp-114978.xml"


def entries_and_citations():
    tree = etree.parse(str(DOC))
    works = tree.find(f".//{TEI}back/{TEI}div[@type='bibliography']")
    entries = {b.get(XML_ID): b for b in works.iter(f"{TEI}bibl")}
    citations = [(n.get(XML_ID), r.get("target")) for n in tree.iter(f"{TEI}note") if n.get("type") == "editorial"
                 for b in n.iter(f"{TEI}bibl") for r in b.iter(f"{TEI}ref")]
    return entries, citations


def test_every_citation_points_to_an_entry_and_every_entry_is_cited():
    entries, citations = entries_and_citations()
    assert len(entries) >= 5 and len(citations) >= 5
    cited = {target.lstrip("#") for _, target in citations}
    assert all(target.startswith("#") for _, target in citations)
    assert cited <= set(entries), cited - set(entries)
    assert set(entries) <= cited, set(entries) - cited  # no entry the notes never use
    # the notes that state dated facts of the period cite them: the June 1960 talks in Moscow,
    # Rhee's fall, Vienna, the two treaties of July 1961, the end of the Soviet treaty
    assert {n for n, _ in citations} >= {"sn-1", "n-04", "n-05", "sn-2", "sn-5"}
    # Albania's break and withdrawal, Pak Seong-cheol's offices in 1969 and 1971, the planned visit
    assert {n for n, _ in citations} >= {"n-06", "sn-3", "sn-6"}
    assert ("sn-2", "#bib-puzanov-1960-09-01") in citations
    assert ("sn-3", "#bib-sudarikov-1969-11-07") in citations and ("sn-6", "#bib-sudarikov-1969-11-07") in citations


def test_notes_claim_nothing_unverified():
    """What no source the editors could check supports is not stated as fact: Tkachenko's post,
    Kim Gwang-hyeop's office, that Khrushchev 'never' went to the DPRK."""
    tree = etree.parse(str(DOC))
    notes = {n.get(XML_ID): " ".join("".join(n.itertext()).split()) for n in tree.iter(f"{TEI}note")}
    assert "International Department" not in notes["sn-1"]
    assert "Minister of National Defence" not in notes["sn-2"]
    assert "never took place" not in notes["sn-2"] and "found no record" in notes["sn-2"]


def test_the_web_page_links_each_citation_to_its_entry():
    entries, citations = entries_and_citations()
    page = parse(default_build() / "html" / "documents" / "nkidp-114978.html")
    section = page.get_element_by_id("works-cited")
    assert section.find(".//h2").text_content().strip() == "Works cited in the notes"
    ids = {el.get("id") for el in section.iter() if el.get("id")}
    assert set(entries) <= ids
    for note_id, target in citations:
        note = page.get_element_by_id(note_id)
        assert note.xpath(f".//a[@href='{target}']"), (note_id, target)
    # the official online edition of FRUS is linked from its entries
    links = [a.get("href") for a in section.iter("a")]
    assert "https://history.state.gov/historicaldocuments/frus1961-63v05/d82" in links


def test_the_pdf_prints_the_list():
    out = subprocess.run(["pdftotext", str(default_build() / "pdf" / "nkidp-114978.pdf"), "-"],
                         check=True, capture_output=True, text=True).stdout
    text = " ".join(out.replace("\u00ad\n", "").split())
    assert "Works cited in the notes" in text
    # the dates of the works cited are no dates of the text: the contents give the list no date label
    assert "· Works cited" not in text
    for needle in ("Treaty Series, no. 6045", "Peking Review 4, no. 28 (14 July 1961): 5",
                   "vol. V, Soviet Union", "International Military Alliances, 1648–2008"):
        assert needle in text, needle

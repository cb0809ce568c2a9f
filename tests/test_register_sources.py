"""Register entries cite their sources (issue 13): a person, place, organisation or event with
bibl or listBibl children, a ptr or @source pointing to a bibl (or an address) shows them on its
register page and in the PDF's index — tested on an edition of two documents, and on the default
edition, whose events and treaties cite the Treaty Series and FRUS."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import MINI_DOC, PROLOG, SCHEMA
from sitebuild import build_edition, default_build, parse

REGISTER = PROLOG + """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="register" xml:lang="en">
  <teiHeader><fileDesc><titleStmt><title>Register</title></titleStmt>
    <publicationStmt><publisher>teipress tests</publisher></publicationStmt>
    <sourceDesc><p>Born digital.</p></sourceDesc></fileDesc></teiHeader>
  <text><body>
    <listPerson>
      <person xml:id="anna"><persName type="main">Anna Example</persName><birth when="1900"/>
        <ptr target="#bib-letters"/></person>
      <person xml:id="bert"><persName type="main">Bert Plain</persName></person>
    </listPerson>
    <listPlace>
      <place xml:id="vienna" type="city"><placeName type="main">Vienna</placeName>
        <listBibl>
          <bibl>City archive of Vienna, <title>Address book</title>, 1961.</bibl>
          <bibl>A gazetteer. <ref target="https://example.org/gazetteer/vienna">https://example.org/gazetteer/vienna</ref></bibl>
        </listBibl>
      </place>
    </listPlace>
    <listEvent>
      <event xml:id="treaty" type="treaty" when="1950-01-01" source="https://example.org/treaty-series/42">
        <eventName type="main">Treaty of Example</eventName>
        <note type="description">A treaty.</note>
        <bibl><title>Treaty Series</title>, no. 42.</bibl>
      </event>
    </listEvent>
    <listBibl>
      <bibl xml:id="bib-letters">Anna Example, <title>Collected letters</title> (Vienna, 1970).</bibl>
    </listBibl>
  </body></text>
</TEI>
"""

SECOND = MINI_DOC.replace('xml:id="mini"', 'xml:id="second"').replace("A mini edition", "A second letter").replace(
    '<head>Letter of <date when="1961-03-05">5 March 1961</date></head>',
    '<head>Letter of <date when="1962-05-10">10 May 1962</date></head>').replace(
    '<persName ref="persons.xml#anna">Anna</persName> wrote from',
    '<persName ref="persons.xml#bert">Bert</persName> wrote, under <rs type="event" '
    'ref="persons.xml#treaty">the treaty</rs>, from')


def text(el) -> str:
    return " ".join("".join(el.itertext()).split())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("sources") / "edition"
    (root / "tei" / "schema").mkdir(parents=True)
    shutil.copy(SCHEMA, root / "tei" / "schema" / "teipress.xsd")
    for name, body in (("mini.xml", MINI_DOC), ("second.xml", SECOND), ("persons.xml", REGISTER)):
        (root / "tei" / name).write_text(body, encoding="utf-8")
    build_edition(root, root / "build", only={"sources", "html", "pdf"})
    return Path(root / "build")


def sources_of(page, anchor: str) -> list[str]:
    entry = page.get_element_by_id(anchor)
    return [text(li) for box in entry.find_class("tp-sources") for li in box.iter("li")]


def test_register_pages_show_each_entrys_sources(built):
    persons = parse(built / "html" / "persons.html")
    # a ptr to a bibl of the register file
    assert sources_of(persons, "anna") == ["Anna Example, Collected letters (Vienna, 1970)."]
    assert "Source:" in text(persons.get_element_by_id("anna").find_class("tp-sources")[0])
    # an entry citing nothing shows no sources
    assert sources_of(persons, "bert") == []
    places = parse(built / "html" / "places.html")
    assert sources_of(places, "vienna") == ["City archive of Vienna, Address book, 1961.",
                                            "A gazetteer. https://example.org/gazetteer/vienna"]
    vienna = places.get_element_by_id("vienna").find_class("tp-sources")[0]
    assert "Sources:" in text(vienna)
    # the address inside the text is the link, not printed twice
    assert [a.get("href") for a in vienna.iter("a")] == ["https://example.org/gazetteer/vienna"]
    events = parse(built / "html" / "events.html")
    # its bibl child, then the address its @source gives
    assert sources_of(events, "treaty") == ["Treaty Series, no. 42.", "https://example.org/treaty-series/42"]


def test_pdf_index_prints_the_sources(built):
    pdfs = sorted((built / "pdf").glob("*.pdf"))
    assert len(pdfs) == 2
    second = next(p for p in pdfs if p.stem == "second")
    out = subprocess.run(["pdftotext", str(second), "-"], check=True, capture_output=True, text=True).stdout
    flat = " ".join(out.replace("\u00ad\n", "").split())
    index = flat[flat.rindex("Index of places"):]
    assert "Sources: City archive of Vienna, Address book, 1961.; A gazetteer." in index
    # two sources, so the plural; a long address may break (pdftotext then adds a space)
    assert "Sources:TreatySeries,no.42.;https://example.org/treaty-series/42" in index.replace(" ", "")
    # the person's source, by a ptr to the register's bibliography
    persons = flat[flat.rindex("Index of persons"):flat.rindex("Index of places")]
    assert "Bert" in persons and "Source" not in persons  # Bert cites nothing; Anna is not in this letter
    mini = subprocess.run(["pdftotext", str(built / "pdf" / "mini.pdf"), "-"], check=True, capture_output=True,
                          text=True).stdout
    mini = " ".join(mini.replace("\u00ad\n", "").split())
    assert "Source: Anna Example, Collected letters (Vienna, 1970)." in mini[mini.rindex("Index of persons"):]


def test_default_edition_events_cite_their_sources():
    page = parse(default_build() / "html" / "events.html")
    entries = page.find_class("tp-entry")
    assert len(entries) >= 9
    assert all(e.find_class("tp-sources") for e in entries), [e.get("id") for e in entries
                                                              if not e.find_class("tp-sources")]
    cited = " ".join(text(b) for e in entries for b in e.find_class("tp-sources"))
    for needle in ("Treaty Series, no. 6045", "Treaty Series, vol. 248, no. 3496",
                   "vol. XIX, China", "document 108", "document 82", "Peking Review 4, no. 28"):
        assert needle in cited, needle
    links = {a.get("href") for e in entries for b in e.find_class("tp-sources") for a in b.iter("a")}
    assert "https://history.state.gov/historicaldocuments/frus1958-60v10p1/d108" in links


def test_default_edition_persons_cite_the_records_their_offices_are_checked_against():
    page = parse(default_build() / "html" / "persons.html")
    pak = " ".join(" ".join(li.text_content().split()) for b in page.get_element_by_id("pak-seong-cheol")
                   .find_class("tp-sources") for li in b.iter("li"))
    for needle in ("Deputy Chairman of the Cabinet of Ministers, and DPRK Minister of Foreign Affairs",
                   "2nd Vice Premier", "Minister of Foreign Affairs Heo Dam"):
        assert needle in pak, needle

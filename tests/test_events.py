"""Events and treaties as register entries, the chronology of events and of the records, and the
offices a person held at the date of each record — in an edition of several documents."""
from __future__ import annotations

import json

import pytest

from conftest import MINI_DOC, MINI_PERSONS, PROLOG
from sitebuild import build_edition, parse

EVENTS = PROLOG + """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="events" xml:lang="en">
  <teiHeader><fileDesc><titleStmt><title>Events</title></titleStmt>
    <publicationStmt><publisher>teipress tests</publisher></publicationStmt>
    <sourceDesc><p>Born digital.</p></sourceDesc></fileDesc></teiHeader>
  <text><body><listEvent>
    <event xml:id="congress" type="meeting" from="1962-05-02" to="1962-05-04">
      <eventName type="main">Vienna Congress of Letter Writers</eventName>
      <eventName type="variant">VCLW</eventName>
      <note type="description">A meeting in Vienna.</note>
    </event>
    <event xml:id="treaty" type="treaty" when="1950-01-01">
      <eventName type="main">Treaty of Example</eventName>
      <idno type="wikidata">Q1</idno>
    </event>
  </listEvent></body></text>
</TEI>
"""

PERSONS = MINI_PERSONS.replace(
    '<person xml:id="anna"><persName type="main">Anna Example</persName><birth when="1900"/></person>',
    '<person xml:id="anna"><persName type="main">Anna Example</persName>'
    '<persName type="original" xml:lang="ru">Анна Пример</persName><birth when="1900"/>'
    '<occupation from="1950" to="1961-12-31">Secretary</occupation>'
    '<occupation from="1962-01-01">Chair</occupation>'
    '<idno type="viaf">https://viaf.org/viaf/12345/</idno></person>')

SECOND = MINI_DOC.replace('xml:id="mini"', 'xml:id="second"').replace("A mini edition", "A second letter").replace(
    '<head>Letter of <date when="1961-03-05">5 March 1961</date></head>',
    '<head>Letter of <date when="1962-05-10">10 May 1962</date></head>').replace(
    'wrote from\n          <placeName ref="persons.xml#vienna">Vienna</placeName>.',
    'wrote after <rs type="event" ref="events.xml#congress">the congress</rs> in\n'
    '          <placeName ref="persons.xml#vienna">Vienna</placeName>, under <rs type="event" '
    'ref="events.xml#treaty">the treaty</rs>.')


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from pathlib import Path
    import shutil

    from conftest import SCHEMA

    root = tmp_path_factory.mktemp("events") / "edition"
    (root / "tei" / "schema").mkdir(parents=True)
    shutil.copy(SCHEMA, root / "tei" / "schema" / "teipress.xsd")
    for name, text in (("mini.xml", MINI_DOC), ("second.xml", SECOND), ("persons.xml", PERSONS),
                       ("events.xml", EVENTS)):
        (root / "tei" / name).write_text(text, encoding="utf-8")
    build_edition(root, root / "build", only={"sources", "html", "pdf"})
    return Path(root / "build")


def text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def test_event_register_page_and_links(built):
    page = parse(built / "html" / "events.html")
    congress = page.get_element_by_id("congress")
    assert text(congress.find("h2")) == "Vienna Congress of Letter Writers (2–4 May 1962)"
    assert congress.xpath(".//a[contains(@href, 'documents/second.html#')]")
    treaty = page.get_element_by_id("treaty")
    assert [a.get("href") for a in treaty.find_class("tp-authority")[0].findall("a")] == [
        "https://www.wikidata.org/entity/Q1"]
    ld = json.loads(page.find(".//script[@type='application/ld+json']").text)
    kinds = {t["@id"]: t for t in ld["itemListElement"]}
    assert kinds["events.html#congress"]["@type"] == "Event"
    assert kinds["events.html#congress"]["startDate"] == "1962-05-02"
    # the text links the event to its register entry
    doc = parse(built / "html" / "documents" / "second.html")
    assert doc.xpath("//a[@href='../events.html#congress']")


def test_chronology_of_events_and_records_across_documents(built):
    page = parse(built / "html" / "chronology.html")
    events = page.xpath("//h2[@id='events']/following::table[1]/tbody/tr")
    assert [text(r.find("td/a")) for r in events] == ["Treaty of Example", "Vienna Congress of Letter Writers"]
    records = page.xpath("//h2[@id='records']/following::table[1]/tbody/tr")
    assert [text(r.find("td")) for r in records] == ["5 March 1961", "10 May 1962"]
    assert [text(r.findall("td")[2]) for r in records] == ["A mini edition", "A second letter"]


def test_offices_at_the_date_of_each_document(built):
    anna = parse(built / "html" / "persons.html").get_element_by_id("anna")
    then = text(anna.find_class("tp-offices")[0])
    assert then == "At the time of the documents: 5 March 1961: Secretary · 10 May 1962: Chair"
    assert "Анна Пример" in text(anna.find_class("tp-originals")[0])
    assert text(anna.find_class("tp-authority")[0]) == "Authority records: VIAF 12345"


def test_pdf_indexes_events_per_document(built):
    import subprocess

    out = subprocess.run(["pdftotext", str(built / "pdf" / "second.pdf"), "-"], capture_output=True,
                         text=True, check=True).stdout
    flat = " ".join(out.replace("\u00ad\n", "").split())
    assert "Index of events and treaties" in flat
    assert "VCLW, see Vienna Congress of Letter Writers" in flat
    assert "At the time: 10 May 1962: Chair" in flat
    first = subprocess.run(["pdftotext", str(built / "pdf" / "mini.pdf"), "-"], capture_output=True,
                           text=True, check=True).stdout
    assert "Index of events and treaties" not in first  # the first letter names none

"""One reading of authority identifiers, for the registers (merging) and the letters (CMIF)."""
from __future__ import annotations

import pytest

from teipress.model import authority
from teipress.model import correspondence as corr


@pytest.mark.parametrize("value, kind, expected", [
    ("https://d-nb.info/gnd/118609807/", "", ("gnd", "118609807")),
    ("http://d-nb.info/gnd/118609807/about/html", "", ("gnd", "118609807")),
    ("118609807", "GND", ("gnd", "118609807")),
    ("118609807", "pnd", ("gnd", "118609807")),
    ("https://www.wikidata.org/wiki/q765165", "", ("wikidata", "Q765165")),
    ("http://www.wikidata.org/entity/Q765165", "", ("wikidata", "Q765165")),
    ("https://sws.geonames.org/2761369/", "", ("geonames", "2761369")),
    ("https://www.geonames.org/2761369/vienna.html", "", ("geonames", "2761369")),
    ("https://viaf.org/viaf/95218067", "", ("viaf", "95218067")),
    ("https://orcid.org/0000-0002-1825-0097", "", ("orcid", "0000-0002-1825-0097")),
    ("http://www.hls-dhs-dss.ch/textes/d/D13553.php", "", None),
    ("not an id", "gnd", None),
    ("12345", "shelfmark", None),
])
def test_an_identifier_is_read_one_way(value, kind, expected):
    assert authority.record(value, kind) == expected


def test_registers_and_letters_agree_on_the_record():
    """The register's merge key and the CMIF's @ref come from the same reading."""
    from lxml import etree

    from teipress.edition import Entry
    from teipress.model.registers import authority_keys

    person = etree.fromstring('<person xmlns="http://www.tei-c.org/ns/1.0" xml:id="a">'
                              '<idno type="gnd">118609807</idno>'
                              '<idno type="URL">https://www.wikidata.org/wiki/Q42</idno></person>')
    entry = Entry(kind="person", id="a", element=person, file=None)
    assert {"gnd:118609807", "wikidata:Q42"} <= authority_keys(entry)
    assert corr.authority_uris(person) == ("http://d-nb.info/gnd/118609807",)  # Wikidata: not a CMIF authority
    assert authority.uri("https://www.wikidata.org/wiki/Q42") == "http://www.wikidata.org/entity/Q42"


@pytest.mark.parametrize("value, kind, problem", [
    ("Q855", "wikidata", ""),
    ("https://www.wikidata.org/wiki/Q855", "", ""),
    ("Q855", "QID", ""),
    ("855", "wikidata", "not a well-formed wikidata identifier"),
    ("Q0855", "wikidata", "not a well-formed wikidata identifier"),
    ("118609807", "gnd", ""),
    ("4022153-2", "GND", ""),
    ("118", "gnd", "not a well-formed gnd identifier"),
    ("95218067", "viaf", ""),
    ("VIAF95218067", "viaf", "not a well-formed viaf identifier"),
    ("0000-0002-1825-0097", "orcid", ""),
    ("0000-0002-1825-0098", "orcid", "check digit"),
    ("n79021164", "lcnaf", ""),
    ("https://viaf.org/viaf/95218067", "gnd", "is a viaf address, but the idno says gnd"),
    ("https://example.org/person/1", "wikidata", "not an address of a wikidata record"),
    ("anything at all", "shelfmark", ""),  # not an authority: not checked
    ("https://example.org/person/1", "URL", ""),
])
def test_identifier_syntax(value, kind, problem):
    found = authority.syntax_error(value, kind)
    assert (problem in found) if problem else found == ""


def test_validation_reports_a_malformed_identifier_where_it_is(make_edition):
    from conftest import MINI_PERSONS
    from teipress import edition
    from teipress.validation import rules
    from teipress.validation.diagnostics import Report

    persons = MINI_PERSONS.replace('<birth when="1900"/>', '<birth when="1900"/>\n<idno type="wikidata">Q42</idno>'
                                   '<idno type="viaf">viaf-1</idno>', 1)
    persons = persons.replace('<place xml:id="vienna" type="city">',
                              '<place xml:id="vienna" type="city" sameAs="https://www.geonames.org/x1">', 1)
    ed = edition.load(make_edition(persons=persons))
    report = Report()
    rules.check(ed, report)
    found = [(d.rule, d.message) for d in report.errors]
    assert ("idno-syntax", "<idno type=\"viaf\">: 'viaf-1' is not a well-formed viaf identifier") in found
    assert any(r == "idno-syntax" and "@sameAs of <place>" in m for r, m in found), found
    assert not [m for r, m in found if "Q42" in m]
    line = next(d.line for d in report.errors if "viaf-1" in d.message)
    assert "viaf-1" in (ed.tei_dir / "persons.xml").read_text(encoding="utf-8").splitlines()[line - 1]

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

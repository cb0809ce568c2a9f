"""The back-of-book index's headings and cross-references (teipress.model.registers), for any
register: abbreviations and other names a reader looks up point to the heading they are filed under."""
from __future__ import annotations

from lxml import etree

from teipress.edition import Entry
from teipress.model import registers

TEI = "http://www.tei-c.org/ns/1.0"


def entry(kind: str, xml: str) -> registers.RegisterEntry:
    el = etree.fromstring(f'<{kind} xmlns="{TEI}" xml:id="x">{xml}</{kind}>')
    return registers.RegisterEntry(Entry(kind={"person": "person", "place": "place", "org": "org"}[kind],
                                         id="x", element=el, file=None), "x", "p.html")


def test_numbered_meetings_file_under_their_body():
    congress = entry("org", '<orgName type="main">22nd Congress of the Communist Party of the Soviet Union</orgName>')
    assert congress.index_label == "Communist Party of the Soviet Union, 22nd Congress"
    council = entry("org", '<orgName type="main">II Vatican Council</orgName>')
    assert council.index_label == "II Vatican Council"  # no "of": nothing to invert
    # a person is never inverted this way
    assert entry("person", '<persName>1st Earl of Chatham</persName>').index_label == "1st Earl of Chatham"


def test_cross_references_from_abbreviations_and_names_filed_elsewhere():
    party = entry("org", '<orgName type="main">Communist Party of the Soviet Union</orgName>'
                         '<orgName type="variant">CPSU</orgName><orgName type="variant">Soviet Communist Party</orgName>'
                         '<orgName type="variant">Communist Party</orgName>')
    chiang = entry("person", '<persName type="main"><surname>Jiang</surname> <forename>Jieshi</forename></persName>'
                             '<persName type="variant">Chiang Kai-shek</persName>'
                             '<persName type="variant">J. Jieshi</persName>'
                             '<persName type="variant">Jiang Jieshi</persName>')
    khrushchev = entry("person", '<persName type="main"><forename>Nikita Sergeyevich</forename> '
                                 '<surname>Khrushchev</surname></persName>'
                                 '<persName type="variant">N. S. Khrushchev</persName>'
                                 '<persName type="variant">Nikita Sergeyevich</persName>'
                                 '<persName type="original" xml:lang="ru">Никита Сергеевич Хрущёв</persName>')
    north = entry("place", '<placeName type="main">Democratic People\'s Republic of Korea</placeName>'
                           '<placeName type="variant">DPRK</placeName><placeName type="variant">the North</placeName>')
    refs = {r["label"]: r["see"] for r in registers.cross_references([party, chiang, khrushchev, north])}
    assert refs == {
        "CPSU": ["Communist Party of the Soviet Union"],
        "Soviet Communist Party": ["Communist Party of the Soviet Union"],
        "Chiang Kai-shek": ["Jiang Jieshi"],
        "J. Jieshi": ["Jiang Jieshi"],
        "DPRK": ["Democratic People's Republic of Korea"],
    }


def test_one_form_of_two_entries_names_both():
    a = entry("org", '<orgName type="main">Central Committee of the CPSU</orgName><orgName type="variant">CC</orgName>')
    b = entry("org", '<orgName type="main">Central Committee of the KWP</orgName><orgName type="variant">CC</orgName>')
    assert registers.cross_references([a, b]) == [
        {"label": "CC", "sort": "cc", "see": ["Central Committee of the CPSU", "Central Committee of the KWP"]}]


def test_original_script_names_and_offices_at_a_date():
    pak = entry("person", '<persName type="main">Pak Seong-cheol</persName>'
                          '<persName type="original" xml:lang="ko">박성철</persName>'
                          '<persName xml:lang="ko-Hani">朴成哲</persName>'
                          '<persName type="variant">Pak Song Chol</persName>'
                          '<birth when="1913"/><death when="2008" cert="low"/>'
                          '<occupation from="1959" to="1970">Minister of Foreign Affairs</occupation>'
                          '<occupation from="1970" to="1976">Vice-Premier</occupation>'
                          '<occupation>Diplomat</occupation>'
                          '<idno type="wikidata">Q1</idno><idno type="viaf">https://viaf.org/viaf/2/</idno>'
                          '<idno type="wikidata">http://www.wikidata.org/entity/Q1</idno>')
    assert pak.originals == [("박성철", "ko", "Korean"), ("朴成哲", "ko-Hani", "Korean, Hanja")]
    assert pak.variants == ["Pak Song Chol"]
    assert pak.dates == "1913–2008?"
    assert pak.offices_at("1969-12-09") == ["Minister of Foreign Affairs"]
    assert pak.offices_at("1970-06") == ["Minister of Foreign Affairs", "Vice-Premier"]
    assert pak.offices_at("1971-10-08") == ["Vice-Premier"]
    assert pak.offices_at("") == []
    assert [(i.label, i.value, i.href) for i in pak.identifiers] == [
        ("Wikidata", "Q1", "https://www.wikidata.org/entity/Q1"), ("VIAF", "2", "https://viaf.org/viaf/2")]
    assert pak.json_ld_data("https://ed.example/")["sameAs"] == [
        "http://www.wikidata.org/entity/Q1", "http://viaf.org/viaf/2"]
    assert pak.json_ld_data("https://ed.example/")["@id"] == "https://ed.example/p.html#x"


def test_offices_end_on_the_day_their_date_gives():
    rhee = entry("person", '<persName type="main">Syngman Rhee</persName>'
                           '<occupation from="1948-07-24" to="1960-04-26">President of the Republic of Korea</occupation>')
    assert rhee.offices_at("1960-06-17") == []  # he had resigned seven weeks before
    assert rhee.offices_at("1960-04") == ["President of the Republic of Korea"]  # the month holds the day
    assert rhee.offices_at("1948") == ["President of the Republic of Korea"]
    assert rhee.offices_at("1948-07-23") == []
    assert rhee.details == ["President of the Republic of Korea (1948–1960)"]

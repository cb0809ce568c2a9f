"""The one reading of the teiHeader: m:metadata → DocumentInfo → EditionMetadata (teipress.model.header).

Expected values are copied from the TEI headers by hand, not computed: a reading that goes
wrong (a sic beside its correction, an address in a funder's name, a name turned round)
fails here.
"""
from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree, html as lxml_html

from conftest import REPO
from teipress.commands import build as build_mod
from teipress import edition as edition_mod
from teipress import model
from teipress.config import Config
from teipress.model import header
from teipress.model.header import DocumentInfo, Title
from teipress.outputs import records

MAIN_TITLE = ("Excerpts from V. P. Tkachenko, The Korean Peninsula and Russia's Interests: Soviet–North Korean "
              "Conversations on the Treaty of 1961, 1960–1971")
ARCHIVAL_TITLE = "Excerpts from V.P. Tkachenko 'The Korean Peninsula and Russia's Interests'"
LICENCE_TEXT = ("The TEI encoding, the editorial notes and corrections, and the registers of this edition are "
                "licensed under the Creative Commons Attribution 4.0 International licence (CC BY 4.0).")
TRANSLATION_RIGHTS = ("The English translation is reproduced from the Wilson Center Digital Archive for "
                      "research and education. It is not covered by the licence above: its own terms of use are "
                      "those of the Wilson Center Digital Archive, whose record of the document states no licence.")
CANONICAL = "https://digitalarchive.wilsoncenter.org/document/114978"
ARCHIVAL_SOURCE = ("Excerpts from V.P. Tkachenko 'The Korean Peninsula and Russia's Interests', June 17, 1960, "
                   f"Wilson Center Digital Archive, 114978, {CANONICAL}. Translated for the North Korea "
                   "International Documentation Project (NKIDP) of the Wilson Center by Gary Goldberg")
BOOK_SOURCE = ("V. P. Tkachenko, Koreiskii poluostrov i interesy Rossii (Корейский полуостров и интересы России) "
               "[The Korean Peninsula and Russia's Interests] (Moscow: Vostochnaia literatura RAN, 2000), "
               "pp. 19–31, excerpts from pp. 19–20, 21–22, 25, 26, 27–28 and 31.")
BOARD = "Editorial Board of the teipress project"
BOARD_RESP = ("Selection and establishment of the text, corrections, editorial notes, TEI encoding and "
              "registers")
KEYWORDS = ["Soviet–North Korean relations",
            "Treaty of Friendship, Cooperation and Mutual Assistance between the USSR and the DPRK (1961)",
            "Korean reunification", "Records of conversations", "Diplomatic notes"]
CORPORA = REPO.parent / "shared" / "corpora"
D7_TITLE = "<title>Letters from <choice><sic>Viena</sic><corr>Vienna</corr></choice></title>"


def default_info_abstract_of_archive() -> str:
    return ("A compilation of conversations between various officials from the USSR and DPRK in terms of the "
            "USSR-DPRK treaty and its implications on the US-ROK relationship.")


def info_of(ed, f=None) -> DocumentInfo:
    return header.read(model.behaviour(ed, f or ed.documents[0]))


@pytest.fixture(scope="module")
def default_edition():
    return edition_mod.load(REPO)


@pytest.fixture(scope="module")
def default_info(default_edition) -> DocumentInfo:
    return info_of(default_edition)


def one_file_edition(tmp_path: Path, source: Path, toml: str = "") -> edition_mod.Edition:
    root = tmp_path / source.stem
    (root / "tei").mkdir(parents=True)
    shutil.copyfile(source, root / "tei" / source.name)
    if toml:
        (root / "edition.toml").write_text(toml, encoding="utf-8")
    return edition_mod.load(root)


# -- the default edition, fact by fact -------------------------------------------------------

def test_default_document_titles_and_language(default_info):
    assert default_info.id == "nkidp-114978" and default_info.lang == "en"
    assert default_info.titles == (Title(MAIN_TITLE, "main", ""), Title(ARCHIVAL_TITLE, "archival", ""))
    assert default_info.title == MAIN_TITLE
    assert default_info.subtitle == "" and default_info.short_title == ""


def test_default_document_credits(default_info):
    got = [(c.part, c.agent.name, c.agent.kind, c.agent.given, c.agent.family, c.agent.role, c.agent.resp, c.ids)
           for c in default_info.credits]
    # the editors wrote the title: no author; the foundation funded the archive's translation,
    # so it is the source's funder (below), not the edition's
    assert got == [
        ("editor", BOARD, "org", "", "", "Editor", "editor", ("teipress-editors",)),
        ("resp", BOARD, "org", "", "", "Editor", BOARD_RESP, ()),
        ("resp", "Gary Goldberg", "person", "Gary", "Goldberg", "Translator", "Translation from the Russian",
         ("goldberg",)),
    ]
    assert default_info.authors == [] and default_info.funders == []


def test_default_document_publication(default_info):
    assert (default_info.edition, default_info.version) == ("First digital edition", "0.1.0")
    assert default_info.publishers == (("publisher", "The teipress project"),)
    assert default_info.publisher == "The teipress project"  # the project, not the software
    assert (default_info.pub_date, default_info.pub_date_text) == ("2026", "2026")
    assert default_info.idnos == (("edition", "nkidp-114978"),) and default_info.edition_idno == "nkidp-114978"
    assert default_info.licences == (("https://creativecommons.org/licenses/by/4.0/", LICENCE_TEXT),)
    assert default_info.source_licences == (("wcda-114978", TRANSLATION_RIGHTS),)  # rights per part
    assert default_info.availability == ()
    assert default_info.publication_notes == () and default_info.emails == ()


def test_default_document_sources(default_info):
    archival, book = default_info.sources
    assert (archival.tei, archival.type, archival.publisher) == ("bibl", "archival", "Wilson Center Digital Archive")
    assert archival.titles == (Title(ARCHIVAL_TITLE, "", ""),)
    assert (archival.date, archival.date_text) == ("1960-06-17", "June 17, 1960")
    assert archival.idnos == (("wilson-center", "114978"),)
    assert archival.urls == (CANONICAL,)  # the archive's address, not a staging host
    assert archival.funders == ["Leon Levy Foundation"] and archival.lang == "en" and archival.id == "wcda-114978"
    assert archival.citation == ARCHIVAL_SOURCE  # the nested citation bibl and the credit note left out
    assert book.type == "book" and book.citation == BOOK_SOURCE
    assert book.titles == (Title("Koreiskii poluostrov i interesy Rossii", "transliterated", "ru-Latn"),
                           Title("Корейский полуостров и интересы России", "", "ru"),
                           Title("The Korean Peninsula and Russia's Interests", "translated", "en"))
    assert [(c.agent.name, c.ids) for c in book.authors] == [("V. P. Tkachenko", ("tkachenko",))]
    assert (book.publisher, book.place, book.date, book.date_text, book.lang) == (
        "Vostochnaia literatura RAN", "Moscow", "2000", "2000", "ru")
    assert book.ranges[0] == ("19", "31") and len(book.ranges) == 7
    # the archive's citation, in the corrected reading: <choice><sic>Mosow</sic><corr>Moscow</corr>
    (citation,) = default_info.citations
    assert "(Moscow, Vostochnaya Literatura, 2000)" in citation and "Mosow" not in citation
    assert citation.endswith(CANONICAL) and "drivingcreative" not in citation  # the staging host is its sic
    # ... and as the source gives it, for a transcription of it ("the source cites itself as")
    (as_given,) = default_info.citations_as_given
    assert "(Mosow, Vostochnaya Literatura, 2000)" in as_given and "Moscow" not in as_given
    assert as_given.endswith("https://wilson-center.drivingcreative.com/document/114978")
    assert as_given.startswith("\"Excerpts from V.P. Tkachenko 'The Korean Peninsula")
    assert default_info.source_notes == (("credit", "This document was made possible with support from "
                                                    "Leon Levy Foundation"),)


def test_default_document_profile_and_revisions(default_info):
    archive_summary = ("A compilation of conversations between various officials from the USSR and DPRK in terms "
                       "of the USSR-DPRK treaty and its implications on the US-ROK relationship.")
    # the editors' summary, then the archive's, kept verbatim and marked as the source's
    (own, own_text), (source, source_text) = default_info.abstracts
    assert (own, source, source_text) == ("", "source", archive_summary)
    assert own_text.startswith("Six excerpts from V. P. Tkachenko's book") and "17 November 1971" in own_text
    assert default_info.abstract == (own_text, archive_summary)
    assert default_info.creation.startswith("The excerpts date from 17 June 1960 to 17 November 1971. Original")
    assert default_info.creation_date == "1960-06-17/1971-11-17"
    assert default_info.languages == (("en", "English (translation)"), ("ru", "Russian (original)"),
                                      ("ru-Latn", "Russian in Latin transliteration"))
    assert list(default_info.keywords) == KEYWORDS
    latest, first = default_info.changes
    assert first[:2] == ("2026-11-27", BOARD) and first[2].startswith("First encoding")
    assert latest[:2] == ("2026-11-30", BOARD) and latest[2].startswith("Attributions corrected")
    assert default_info.last_change == "2026-11-30"


def test_default_document_principles_use_the_model_labels(default_info, default_edition, tmp_path):
    got = [(p.name, p.key, p.label) for p in default_info.principles]
    assert got == [
        ("projectDesc", "", "About the project"), ("editorialDecl", "", "General principles"),
        ("correction", "", "Correction"), ("normalization", "", "Normalisation"),
        ("quotation", "", "Quotation marks"), ("hyphenation", "", "Hyphenation"),
        ("segmentation", "", "Divisions of the text"), ("interpretation", "", "Identification and annotation"),
        ("taxonomy", "note-types", "Kinds of notes"),
        ("taxonomy", "supplied-reasons", "Words in square brackets"),
        ("taxonomy", "gap-reasons", "Omissions"),
    ]
    notes = default_info.principles[8].paragraphs
    assert notes == ("Translator's note: printed in the source as [Translator's note: …] and part of the text "
                     "as published.",
                     "Editorial note of the digital editors: not printed in the source.")
    correction = default_info.principles[2].paragraphs[0]
    assert correction.startswith("Clear typographical errors") and "“Kim II Sung”" in correction
    # D2: the HTML principles page prints the same headings
    out = tmp_path / "build"
    build_mod.run(default_edition, out, only={"html"})
    page = lxml_html.parse(str(out / "html" / "principles.html")).getroot()
    headings = [" ".join(h.text_content().split()) for h in page.iter("h2")]
    assert [p.label for p in default_info.principles] == [h for h in headings if h in {
        p.label for p in default_info.principles}]


def test_default_edition_metadata(default_edition):
    md = header.edition_metadata_from(default_edition)
    assert (md.id, md.version, md.title, md.bag_name) == ("nkidp-114978", "0.1.0", MAIN_TITLE, "nkidp-114978-0.1.0")
    assert [(t.text, t.type, t.lang) for t in md.titles] == [(MAIN_TITLE, "", ""),
                                                              (ARCHIVAL_TITLE, "AlternativeTitle", "")]
    assert md.creators == []  # Tkachenko wrote the printed book, not this edition's title
    # the editor and the respStmt saying what the editors did: one contributor
    assert [(a.name, a.kind, a.role, a.resp) for a in md.contributors] == [
        (BOARD, "org", "Editor", BOARD_RESP),
        ("Gary Goldberg", "person", "Translator", "Translation from the Russian")]
    assert [a.name for a in md.responsible] == [BOARD] and [a.name for a in md.editors] == [BOARD]
    assert (md.publisher, md.publication_date, md.publication_year) == ("The teipress project", "2026", "2026")
    assert md.languages == ["en", "ru", "ru-Latn"] and md.language == "en"
    assert md.abstract.startswith("Six excerpts from V. P. Tkachenko's book") and md.keywords == KEYWORDS
    assert md.other_abstracts == [default_info_abstract_of_archive()]
    assert (md.licence.url, md.licence.spdx, md.licence.name, md.licence.text) == (
        "https://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0",
        "Creative Commons Attribution 4.0 International", LICENCE_TEXT)
    assert md.rights_notes == [] and md.source_rights == [TRANSLATION_RIGHTS] and md.rights_split
    assert [(i.value, i.type) for i in md.identifiers] == [("nkidp-114978", "edition")]
    assert [(r.value, r.type, r.relation) for r in md.related] == [
        ("114978", "wilson-center", "IsDerivedFrom"),
        (CANONICAL, "URL", "IsDerivedFrom")]
    assert (md.coverage, md.updated) == ("1960-06-17/1971-11-17", "2026-11-30")
    assert md.funders == []
    a = md.archival
    assert (a.title, a.archive, a.idno, a.url, a.funders, a.rights) == (
        ARCHIVAL_TITLE, "Wilson Center Digital Archive", "114978", CANONICAL, ["Leon Levy Foundation"],
        [TRANSLATION_RIGHTS])
    assert [t.name for t in a.translators] == ["Gary Goldberg"]
    s = md.source
    assert [(t.text, t.type, t.lang) for t in s.titles] == [
        ("Корейский полуостров и интересы России", "", "ru"),
        ("Koreiskii poluostrov i interesy Rossii", "AlternativeTitle", "ru-Latn"),
        ("The Korean Peninsula and Russia's Interests", "TranslatedTitle", "en")]
    assert (s.latin_title, s.translated_title) == ("Koreiskii poluostrov i interesy Rossii",
                                                   "The Korean Peninsula and Russia's Interests")
    assert [a.name for a in s.authors] == ["V. P. Tkachenko"]
    assert (s.publisher, s.place, s.year, s.first_page, s.last_page, s.relation, s.lang) == (
        "Vostochnaia literatura RAN", "Moscow", "2000", "19", "31", "IsTranslationOf", "ru")
    assert md.sources == [ARCHIVAL_SOURCE, BOOK_SOURCE]
    assert (md.base_url, md.contacts, md.doi, md.url) == ("", [], "", "")
    # one suggested citation (teipress.model.citation), as on the home page and in the PDF
    assert md.citation("2026-01-01").startswith(f"{BOARD}, ed. {MAIN_TITLE}. Translated by Gary Goldberg.")
    assert "Version 0.1.0. The teipress project, 2026." in md.citation("2026-01-01")
    assert md.citation("2026-01-01").endswith(
        f"Wilson Center Digital Archive, document 114978, {CANONICAL}; originally published in V. P. Tkachenko, "
        "Koreiskii poluostrov i interesy Rossii [The Korean Peninsula and Russia's Interests] (Moscow: "
        "Vostochnaia literatura RAN, 2000), 19–31.")


def test_agents_publishers_and_contacts(make_edition):
    root = make_edition(replace=[
        ("<title>A mini edition</title>",
         "<title>A mini edition</title>"
         '<author><persName ref="https://orcid.org/0000-0002-1825-0097"><forename>Ada</forename> '
         "<surname>Lovelace</surname></persName></author>"
         "<author><persName>Charles Babbage</persName><idno type=\"ORCID\">0000-0001-5109-3700</idno>"
         "<email>cb@example.org</email></author>"
         "<editor role=\"general\"><orgName>The Analytical Society</orgName></editor>"
         "<sponsor>The Royal Society</sponsor>"),
        ("<publisher>teipress tests</publisher>",
         "<distributor>A Distributor</distributor><authority>An Authority</authority>"
         "<publisher>teipress tests</publisher>")])
    doc = info_of(edition_mod.load(root))
    ada, babbage = doc.authors
    assert (ada.given, ada.family, ada.orcid) == ("Ada", "Lovelace", "0000-0002-1825-0097")
    assert (babbage.name, babbage.given, babbage.family, babbage.orcid) == (
        "Charles Babbage", "Charles", "Babbage", "0000-0001-5109-3700")  # the e-mail is not part of the name
    assert [(c.part, c.agent.name, c.agent.kind, c.agent.role, c.agent.resp) for c in doc.credits[2:]] == [
        ("editor", "The Analytical Society", "org", "Editor", "general"),
        ("sponsor", "The Royal Society", "org", "Sponsor", "sponsor"),
        ("resp", "An Editor", "person", "DataCurator", "Encoding")]
    assert doc.publishers == (("distributor", "A Distributor"), ("authority", "An Authority"),
                              ("publisher", "teipress tests"))
    assert doc.publisher == "teipress tests"  # the publisher before a distributor, whatever the order
    assert doc.emails == ("cb@example.org",)
    md = header.edition_metadata_from(edition_mod.load(root))
    assert md.contacts == ["cb@example.org"]
    dc = records.to_datacite(md)
    assert records.validate_datacite(dc) == []
    assert b"https://orcid.org/0000-0002-1825-0097" in dc and b"https://orcid.org/0000-0001-5109-3700" in dc


# -- D7: a <choice> in the title reads the same everywhere -------------------------------------

def test_title_with_choice_is_read_in_the_corrected_reading(make_edition, tmp_path):
    root = make_edition(replace=[("<title>A mini edition</title>", D7_TITLE)])
    ed = edition_mod.load(root)
    assert info_of(ed).title == "Letters from Vienna"
    md = header.edition_metadata_from(ed)
    assert md.title == "Letters from Vienna"
    dc = etree.fromstring(records.to_datacite(md))
    assert dc.findtext(f"{{{records.DATACITE_NS}}}titles/{{{records.DATACITE_NS}}}title") == "Letters from Vienna"
    assert records.validate_datacite(records.to_datacite(md)) == []
    assert records.cff_data(md)["title"] == "Letters from Vienna"
    assert 'title: "Letters from Vienna"' in records.to_cff(md)
    assert json.loads(records.to_zenodo(md))["metadata"]["title"] == "Letters from Vienna"
    oai = etree.fromstring(records.to_dublin_core(md))
    assert oai.findtext(f"{{{records.DC_NS}}}title") == "Letters from Vienna"

    out = tmp_path / "build"
    build_mod.run(ed, out, only={"html"})
    home = lxml_html.parse(str(out / "html" / "index.html")).getroot()
    assert home.findtext(".//h1") == "Letters from Vienna"
    assert home.findtext(".//title").endswith("· Letters from Vienna")
    assert "Letters from Vienna." in home.find(".//p[@class='tp-citation']").text_content()
    page = lxml_html.parse(str(out / "html" / "documents" / "mini.html")).getroot()
    assert " ".join(page.find(".//h1").text_content().split()) == "Letters from Vienna"
    assert "Viena" not in etree.tostring(home, encoding="unicode")


# -- one precedence rule per fact --------------------------------------------------------------

def info(id_: str, *, lang: str = "", version: str = "", idno: str = "", title: str = "", changes=(),
         pub_date: str = "") -> DocumentInfo:
    return DocumentInfo(id=id_, lang=lang, version=version, idnos=(("edition", idno),) if idno else (),
                        titles=(Title(title or f"Title of {id_}", "main"),),
                        changes=tuple((w, "", "") for w in changes), pub_date=pub_date)


def test_edition_id_precedence():
    docs = [info("a"), info("ed-1", idno="ed 1/β")]
    assert header.edition_id(Config(values={"id": "from-toml"}), docs, "folder") == "from-toml"
    # no main document by id: the first is the main one, and it has no edition idno
    assert header.edition_id(Config(), docs, "folder") == "folder"
    docs = [info("a"), info("main", idno="main")]
    assert header.edition_id(Config(), docs, "folder") == "main"
    # made file-safe by the one naming rule of the outputs (teipress.model.paths.safe_name)
    assert header.edition_id(Config(), [info("x", idno="my edition/2")], "f") == "my-edition-2"


def test_main_document_is_the_one_named_by_the_edition_id():
    docs = [info("a", version="9", lang="de", title="A"), info("mini", idno="mini", version="2.1", lang="en",
                                                                title="Mini")]
    assert header.main_document(Config(), docs, "f").id == "mini"
    assert header.main_document(Config(values={"id": "a"}), docs, "f").id == "a"
    assert header.main_document(Config(), [info("a"), info("b")], "b").id == "b"  # the folder's name
    assert header.main_document(Config(), [info("a"), info("b")], "zzz").id == "a"  # else the first
    assert header.main_document(Config(), [], "f") is None


def test_version_precedence():
    docs = [info("a", version="9"), info("mini", idno="mini", version="2.1")]
    assert header.edition_version(Config(values={"version": "3"}), docs, "f") == "3"
    assert header.edition_version(Config(), docs, "f") == "2.1"  # the main document, not the first
    docs = [info("a", version="9"), info("mini", idno="mini")]
    assert header.edition_version(Config(), docs, "f") == "9"  # the first document that has one
    assert header.edition_version(Config(), [info("a")], "f") == "0"


def test_language_and_title_precedence():
    docs = [info("a", lang="de", title="Erstes"), info("mini", idno="mini", lang="en", title="Mini")]
    assert header.main_language(Config(values={"language": "fr"}), docs, "f") == "fr"
    assert header.main_language(Config(), docs, "f") == "en"
    assert header.main_language(Config(), [info("a")], "f") == ""
    assert header.edition_title(Config(values={"title": "Configured"}), docs, "f") == "Configured"
    assert header.edition_title(Config(), docs, "f") == "Mini"


def test_edition_toml_overrides_the_header(make_edition):
    root = make_edition(replace=[("<title>A mini edition</title>", D7_TITLE + '<title type="sub">Sub</title>'),
                                 ("</titleStmt>", '</titleStmt><editionStmt><edition n="2.1"/></editionStmt>'),
                                 ("<date when=\"2026\">2026</date>",
                                  '<date when="2026">2026</date><idno type="edition">from-tei</idno>')])
    md = header.edition_metadata_from(edition_mod.load(root))
    assert (md.id, md.version, md.title, md.language) == ("from-tei", "2.1", "Letters from Vienna", "en")
    (root / "edition.toml").write_text('id = "from-toml"\nversion = "4"\nlanguage = "de"\ntitle = "Toml title"\n',
                                       encoding="utf-8")
    md = header.edition_metadata_from(edition_mod.load(root))
    assert (md.id, md.version, md.title, md.language) == ("from-toml", "4", "Toml title", "de")
    assert [(t.text, t.type, t.lang) for t in md.titles] == [
        ("Toml title", "", "de"), ("Letters from Vienna", "AlternativeTitle", ""), ("Sub", "Subtitle", "")]


def test_build_date():
    docs = [info("a", changes=["2020-05-04", "2021-01"], pub_date="2030"), info("b", changes=["2019-12-31"])]
    utc = timezone.utc
    assert header.build_date({"SOURCE_DATE_EPOCH": "86400"}, docs) == datetime(1970, 1, 2, tzinfo=utc)
    assert header.build_date({}, docs) == datetime(2021, 1, 1, tzinfo=utc)  # the newest change, not a pub date
    assert header.build_date({}, [info("a", pub_date="2024-03")]) == datetime(2024, 3, 1, tzinfo=utc)
    today = datetime.now(utc).replace(hour=0, minute=0, second=0, microsecond=0)
    # no known date: today, never 1970-01-01 (issue 9)
    assert header.build_date({}, [info("a", changes=["not a date"])]) in (today, today + timedelta(days=1))
    assert header.build_date({}, []) in (today, today + timedelta(days=1))
    with pytest.raises(header.HeaderError, match="SOURCE_DATE_EPOCH='yesterday' is not a number"):
        header.build_date({"SOURCE_DATE_EPOCH": "yesterday"}, docs)


# -- real headers of other projects ------------------------------------------------------------

def test_schnitzler_letter(tmp_path, shared):
    ed = one_file_edition(tmp_path, CORPORA / "letters" / "schnitzler-briefe" / "L00135.xml")
    doc = info_of(ed)
    # the letter's own (analytic) title, not the series'; the ISO date for machines is no title
    assert doc.title == "Fedor Mamroth an Arthur Schnitzler, 17. 11. 1892"
    assert [(t.text, t.type, t.level) for t in doc.titles[1:]] == [
        ("Arthur Schnitzler: Briefwechsel mit Autorinnen und Autoren", "main", "s")]
    # "Family, Given" as written; two names in one editor are two editors; a funder's address is no name
    assert [(a.name, a.given, a.family) for a in doc.authors] == [("Mamroth, Fedor", "Fedor", "Mamroth")]
    assert [c.agent.name for c in doc.credited("editor")] == ["Müller, Martin Anton", "Susen, Gerd-Hermann"]
    assert doc.funders == ["Österreichischer Wissenschaftsfonds FWF"]
    assert doc.publisher == "Austrian Centre for Digital Humanities"
    md = header.edition_metadata_from(ed)
    assert md.creators[0].inverted == "Mamroth, Fedor"
    # the letter's title is the main one; the series is another title, not a subtitle
    assert [(t.text[:14], t.type) for t in md.titles] == [("Fedor Mamroth ", ""), ("Arthur Schnitz", "AlternativeTitle")]
    assert records.validate_datacite(records.to_datacite(md)) == []
    assert records.validate_cff(records.to_cff(md)) == []


def test_escher_letter(tmp_path, shared):
    ed = one_file_edition(tmp_path, CORPORA / "letters" / "escher-briefe" / "K_1569_Kern_Johann_Konrad_an_Escher_"
                                                                          "1857-02-14.xml")
    doc = info_of(ed)
    assert doc.title == "Johann Konrad Kern an Alfred Escher, Paris, Samstag, 14. Februar 1857"
    assert [s.type for s in doc.sources] == ["", "printed"]
    assert "Schweizerische Centralbahn (SCB)" in doc.keywords
    md = header.edition_metadata_from(ed)
    assert md.id == ed.root.name and md.version == "0"
    assert records.validate_datacite(records.to_datacite(md)) == []


def test_frus_excerpt(tmp_path, shared):
    ed = one_file_edition(tmp_path, CORPORA / "frus" / "frus1961-63v22-excerpt" / "frus1961-63v22-excerpt.xml")
    doc = info_of(ed)
    assert doc.title == "Foreign Relations of the United States, 1961–1963, Volume XXII, Northeast Asia"
    assert [(c.agent.name, c.agent.resp) for c in doc.credited("editor")] == [
        ("Edward C. Keefer", "primary"), ("David W. Mabon", "primary"), ("Harriet Dashiell Schwar", "primary"),
        ("Glenn W. LaFantasie", "general")]
    assert ("isbn-13", "9780160452062") in doc.idnos
    md = header.edition_metadata_from(ed)
    assert md.publisher == "United States Government Printing Office"
    assert md.publication_date == "1996"  # <date>1996</date>: the year of the text
    assert records.validate_datacite(records.to_datacite(md)) == []


def test_a_play(tmp_path, shared):
    ed = one_file_edition(tmp_path, CORPORA / "dracor" / "rusdracor" / "chekhov-medved.xml")
    doc = info_of(ed)
    assert doc.title == "Медведь" and doc.lang == "ru"
    # <persName>Антон Павлович Чехов</persName><persName xml:lang="en">Anton Chekhov</persName>: one author
    assert [(a.name, a.given, a.family) for a in doc.authors] == [("Антон Павлович Чехов", "Антон Павлович", "Чехов")]
    md = header.edition_metadata_from(ed)
    assert md.licence.spdx == "CC0-1.0" and md.language == "ru"
    assert records.validate_cff(records.to_cff(md)) == []


def test_every_corpus_header_reads(tmp_path):
    files = sorted(p for p in CORPORA.rglob("*.xml") if "negative" not in p.parts)
    if not files:
        pytest.skip("../shared/corpora is absent")
    read = 0
    for p in files:
        ed = one_file_edition(tmp_path, p)
        if not ed.documents:
            continue  # a register
        doc = info_of(ed)
        assert doc.title, p.name
        md = header.edition_metadata(ed.config, [doc], ed.root.name)
        assert records.validate_datacite(records.to_datacite(md)) == [], p.name
        read += 1
    assert read >= 40


# -- the model's header facts do not change the HTML ----------------------------------------

def test_header_facts_render_as_nothing(default_edition):
    tree = model.behaviour(default_edition, default_edition.documents[0])
    facts = tree.getroot().find(f"{{{model.MODEL_NS}}}metadata")
    assert len(facts.findall(f"{{{model.MODEL_NS}}}agent")) == 3  # the editor, the editors' respStmt, the translator
    assert len(facts.findall(f"{{{model.MODEL_NS}}}bibl")) == 2
    from teipress.outputs import html as html_out
    from teipress.model import EditionModel

    html_out._local.model = EditionModel.build(default_edition)
    try:
        html = html_out.stylesheet()(tree)
    finally:
        html_out._local.model = None
    fields = {p.get("field") for p in html.getroot() if p.get("name") == "field"}
    assert fields.isdisjoint({"agent", "bibl", "email"}) and "title" in fields


def test_a_dropped_link_in_a_source_is_reported_once(make_edition):
    root = make_edition(replace=[("<sourceDesc><p>Born digital.</p></sourceDesc>",
                                  '<sourceDesc><bibl>A letter, <ref target="javascript:alert(1)">here</ref>.</bibl>'
                                  "</sourceDesc>")])
    ed = edition_mod.load(root)
    assert model.warnings(model.behaviour(ed, ed.documents[0])) == [
        "link target 'javascript:alert(1)' is neither http(s), mailto nor in the edition; it is shown as text"]


def test_bag_name_is_never_a_path():
    """An edition.toml id or a version holding a path names no folder outside the deposit."""
    md = header.EditionMetadata(id="../../outside", version="1.0/../../x", title="T")
    assert md.bag_name == "outside-1.0-..-..-x"
    assert "/" not in md.bag_name and not md.bag_name.startswith(".")


# -- attribution, sources and rights per part, in any edition (issue 13) --------------------

ATTRIBUTED_HEADER = [
    ('<respStmt><resp>Encoding</resp><persName xml:id="ed">An Editor</persName></respStmt>',
     '<editor role="editor"><persName xml:id="ed"><forename>Ada</forename> <surname>Editor</surname></persName></editor>'
     '<respStmt><resp>Establishment of the text and editorial notes</resp><persName ref="#ed">Ada Editor</persName></respStmt>'
     '<respStmt><resp>Translation from the German</resp><persName xml:id="tr">Tom Translator</persName></respStmt>'),
    ("<publicationStmt><publisher>teipress tests</publisher><date when=\"2026\">2026</date></publicationStmt>",
     '<publicationStmt><publisher>A Press</publisher><date when="2026">2026</date>'
     '<availability><licence target="https://creativecommons.org/licenses/by-sa/4.0/">Notes and encoding: CC BY-SA 4.0.</licence>'
     '<licence corresp="#rec">The translation: the archive\'s terms.</licence></availability></publicationStmt>'),
    ("<sourceDesc><p>Born digital.</p></sourceDesc>",
     '<sourceDesc><bibl type="archival" xml:id="rec"><title>Letter of Anna</title>, <publisher>An Archive</publisher>, '
     '<idno type="archive">77</idno>, <ref target="https://archive.example/77">record</ref>. '
     '<funder>A Foundation</funder><textLang mainLang="en">English translation.</textLang></bibl>'
     '<bibl type="book"><author><persName>Bruno Author</persName></author>, '
     '<title type="transliterated" xml:lang="de-Latn">Briefe</title> <title xml:lang="de">Briefe</title> '
     '[<title type="translated">Letters</title>] (<pubPlace>Wien</pubPlace>: <publisher>Verlag</publisher>, '
     '<date when="1990">1990</date>), <citedRange unit="page" from="3" to="9">3–9</citedRange>.'
     '<textLang mainLang="de">German.</textLang></bibl></sourceDesc>'),
    ("<revisionDesc>",
     '<profileDesc><abstract resp="#ed"><p>Our summary.</p></abstract>'
     '<abstract source="#rec"><p>The archive\'s summary.</p></abstract></profileDesc><revisionDesc>'),
]


def test_attributions_sources_and_rights_per_part_in_another_edition(make_edition, tmp_path):
    from teipress.model import citation

    root = make_edition(replace=ATTRIBUTED_HEADER)
    ed = edition_mod.load(root)
    md = header.edition_metadata_from(ed)
    assert md.creators == [] and [a.name for a in md.responsible] == ["Ada Editor"]
    # the editor and the respStmt naming the same person with what they did: one contributor
    assert [(a.name, a.role, a.resp) for a in md.contributors] == [
        ("Ada Editor", "Editor", "Establishment of the text and editorial notes"), ("Tom Translator", "Translator",
                                                                   "Translation from the German")]
    assert md.funders == [] and md.archival.funders == ["A Foundation"]
    assert (md.archival.title, md.archival.archive, md.archival.idno, md.archival.url) == (
        "Letter of Anna", "An Archive", "77", "https://archive.example/77")
    assert md.licence.spdx == "CC-BY-SA-4.0" and md.source_rights == ["The translation: the archive's terms."]
    assert md.rights_split and (md.abstract, md.other_abstracts) == ("Our summary.", ["The archive's summary."])
    assert (md.source.latin_title, md.source.lang, md.source.relation) == ("Briefe", "de", "IsTranslationOf")
    cited = citation.chicago(citation.edition_record_of(md, "2026-01-01"))
    assert cited == ("Editor, Ada, ed. A mini edition. Translated by Tom Translator. Version 0. A Press, 2026. Text from "
                     "“Letter of Anna,” An Archive, document 77, https://archive.example/77; originally published "
                     "in Bruno Author, Briefe [Letters] (Wien: Verlag, 1990), 3–9.")
    datacite = etree.fromstring(records.to_datacite(md))
    ns = {"d": records.DATACITE_NS}
    assert [e.text for e in datacite.iterfind("d:creators/d:creator/d:creatorName", ns)] == ["Editor, Ada"]
    assert datacite.find("d:fundingReferences", ns) is None
    assert [e.text for e in datacite.iterfind("d:rightsList/d:rights", ns)] == [
        "Creative Commons Attribution-ShareAlike 4.0 International", "The translation: the archive's terms."]
    assert [(e.get("descriptionType"), e.text) for e in datacite.iterfind("d:descriptions/d:description", ns)] == [
        ("Abstract", "Our summary."), ("Other", "The archive's summary.")]
    assert records.validate_datacite(records.to_datacite(md)) in (None, [])
    assert records.validate_cff(records.to_cff(md)) in (None, [])
    assert "license" not in records.cff_data(md)
    zenodo = records.zenodo_data(md)["metadata"]
    assert zenodo["license"] == "other-closed" and "A Foundation for the translation" in zenodo["notes"]
    # the edition builds: its page names the editor, not the printed book's author, as responsible
    out = tmp_path / "out"
    build_mod.run(ed, out, only={"html"})
    page = lxml_html.parse(str(out / "html" / "documents" / "mini.html")).getroot()
    ld = json.loads(page.find(".//script[@type='application/ld+json']").text)
    assert "author" not in ld and ld["editor"][0]["name"] == "Ada Editor" and "license" not in ld
    assert ld["isBasedOn"]["funder"] == [{"@type": "Organization", "name": "A Foundation"}]
    assert ld["isBasedOn"]["isBasedOn"]["author"][0]["name"] == "Bruno Author"

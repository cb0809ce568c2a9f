"""Collections build as their editors encoded them (issue 9, the edition model).

Editions of several documents: whole folders of other projects' TEI from ../shared/corpora (the
Schnitzler and Escher letters, DTA letters, DraCor plays, ELTeC novels), and small generated
editions that need no ../shared: letters whose persons are listed in each letter's <back>, a
register in standOff, a teiCorpus, a bibliography.  Checked: every document has its own title
(the analytic one, corrected reading, never a machine title); register lists are never text (HTML
and PDF); each person is ONE entry of the persons register with all its occurrences; life dates
never reach the chronology or the year filter; each TEI of a corpus is a document.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from teipress import config as config_mod, edition as edition_mod
from teipress.model import EditionModel

from sitebuild import build_edition, parse

TEI_NS = "http://www.tei-c.org/ns/1.0"
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="poppler-utils missing (make system-deps)")


def text_of(el) -> str:
    return " ".join(el.text_content().split())


def pdftext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def write_edition(root: Path, files: dict[str, str], toml: str = "") -> Path:
    (root / "tei").mkdir(parents=True)
    for name, text in files.items():
        (root / "tei" / name).write_text(text, encoding="utf-8")
    (root / "edition.toml").write_text('id = "test"\ntitle = "A collection"\n' + toml, encoding="utf-8")
    return root


def corpus_edition(root: Path, shared: Path, *folders: str) -> Path:
    (root / "tei").mkdir(parents=True)
    for folder in folders:
        for p in sorted((shared / "corpora" / folder).glob("*.xml")):
            shutil.copy(p, root / "tei" / p.name)
    return root


def model_of(root: Path) -> EditionModel:
    return EditionModel.build(edition_mod.load(root))


# -- generated letters: persons listed in each letter's back, merged into one register ---------

def letter(ident: str, title: str, body: str, back: str, date: str = "1892-12-27") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="{TEI_NS}" xml:id="{ident}">
  <teiHeader><fileDesc>
    <titleStmt>
      <title level="s">Letters of a circle</title>
      <title type="iso-date" when-iso="{date}">{date}</title>
      <title level="a">{title}</title>
    </titleStmt>
    <publicationStmt><p>test</p></publicationStmt><sourceDesc><p>made up</p></sourceDesc>
  </fileDesc></teiHeader>
  <text><body><div type="letter"><p>{body}</p></div></body>
  <back>{back}</back></text>
</TEI>"""


RICHARD = """<person xml:id="pmb10863"><persName><forename>Richard</forename><surname>Hofer</surname></persName>
  <birth><date when="1866-07-11">1866-07-11</date><settlement><placeName>Wien</placeName>
    <location><geo>48,208333 16,373056</geo></location></settlement></birth>
  <death when="1945-09-26"/>
  <idno type="gnd">https://d-nb.info/gnd/118508393/</idno></person>"""
BACK = f"""<listPerson>{RICHARD}</listPerson>
  <listPlace><place xml:id="pmb50"><placeName>Wien</placeName><location><geo>48,208333 16,373056</geo></location></place></listPlace>
  <listBibl><bibl xml:id="w1"><title>Aspasia</title><note>Zettelkasten-Nummer 4711</note></bibl></listBibl>"""
PEOPLE = f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="{TEI_NS}">
  <teiHeader><fileDesc><titleStmt><title>People</title></titleStmt>
    <publicationStmt><p>test</p></publicationStmt><sourceDesc><p>made up</p></sourceDesc></fileDesc></teiHeader>
  <text><body><listPerson>
    <person xml:id="hofer"><persName>Richard Hofer</persName><idno type="gnd">118508393</idno>
      <note type="description">A poet of the circle.</note></person>
    <person xml:id="zoe"><persName>Zoe Unnamed</persName></person>
  </listPerson></body></text>
</TEI>"""


@pytest.fixture(scope="module")
def letters(tmp_path_factory):
    """Three letters, each listing the same person and place in its back (same xml:id); a
    register file describes the person again under another id with the same GND number."""
    root = write_edition(tmp_path_factory.mktemp("letters"), {
        "a.xml": letter("a", "Anna an Richard, 27. 12. 1892",
                        '<persName ref="#pmb10863">Richard</persName> in <placeName ref="#pmb50">Wien</placeName>, '
                        'uniquealpha <rs type="work" ref="#w1">Aspasia</rs>', BACK),
        "b.xml": letter("b", "Richard an Anna, 28. 12. 1892",
                        'Dear <persName ref="#pmb10863">Richard</persName> in <placeName ref="#pmb50">Wien</placeName>, '
                        'uniquebeta', BACK, "1892-12-28"),
        "c.xml": letter("c", "Anna an <choice><sic>Richrad</sic><corr>Richard</corr></choice>, <hi>29. 12.</hi> 1892",
                        'Again <persName ref="people.xml#hofer">Hofer</persName>, uniquegamma', "", "1892-12-29"),
        "people.xml": PEOPLE,
    })
    out = root / "build"
    build_edition(root, out)
    return model_of(root), out


def test_every_letter_has_its_own_title_never_the_series_or_a_machine_title(letters):
    em, out = letters
    assert sorted(d.title for d in em.documents) == [
        "Anna an Richard, 27. 12. 1892", "Anna an Richard, 29. 12. 1892", "Richard an Anna, 28. 12. 1892"]
    for doc in em.documents:
        page = parse(out / "html" / doc.path)
        assert text_of(page.find(".//h1")) == doc.title
        meta = text_of(page.find(".//dl[@class='tp-meta']"))
        assert "iso-date" not in meta and "1892-12-2" not in meta
        assert "SeriesLetters of a circle" in meta  # the series is shown as what it is
        assert "<" not in doc.title and "Richrad" not in doc.title  # the corrected reading, never markup


def test_the_title_order_is_a_setting(tmp_path):
    root = write_edition(tmp_path / "e", {"a.xml": letter("a", "A letter", "Text.", "")},
                         'title_order = ["s", "a"]\n')
    assert model_of(root).documents[0].title == "Letters of a circle"
    (root / "edition.toml").write_text('title_order = "a"\n', encoding="utf-8")
    with pytest.raises(config_mod.ConfigError, match="'title_order' must be a list of strings"):
        config_mod.load(root)
    assert "title_order" in config_mod.KNOWN and "registers" in config_mod.KNOWN


@needs_pdftotext
def test_register_lists_are_never_text_in_html_nor_pdf(letters):
    em, out = letters
    for doc in em.documents:
        page = text_of(parse(out / "html" / doc.path).find(".//main"))
        pdf = pdftext(out / doc.paths.pdf)
        for text in (page, pdf):
            for leak in ("48,208333", "d-nb.info", "Zettelkasten", "1866-07-11"):
                assert leak not in text, (doc.id, leak)
    # … nor searched: the word of a back list is in no page's indexed text
    a = parse(out / "html" / "documents" / "a.html").find(".//*[@data-pagefind-body]")
    assert "uniquealpha" in text_of(a) and "Zettelkasten" not in text_of(a)


def test_each_person_is_one_register_entry_with_all_its_occurrences(letters):
    em, out = letters
    persons = next(r for r in em.registers if r.kind == "person")
    hofer = [e for e in persons.entries if "Hofer" in e.name]
    assert len(hofer) == 1, [e.anchor for e in hofer]  # 2 back lists + a register file, one GND
    assert {o.doc.id for o in hofer[0].occurrences} == {"a", "b", "c"}
    assert hofer[0].entry.file.rel == "people.xml"  # the register file's description comes first
    assert hofer[0].description == "A poet of the circle." and hofer[0].dates == "1866–1945"
    assert {e.name for e in persons.entries} == {"Richard Hofer", "Zoe Unnamed"}
    places = next(r for r in em.registers if r.kind == "place")
    assert len(places.entries) == 1 and len(places.entries[0].occurrences) == 2
    page = parse(out / "html" / "persons.html")
    entries = [li for li in page.iter("li") if li.get("id") in {e.anchor for e in persons.entries}]
    assert len(entries) == 2
    assert sum("Richard Hofer" in text_of(li) for li in entries) == 1
    # the letters' names link to the one entry, on the page and in its side panel
    for doc in em.documents:
        assert [e.anchor for e in doc.entries("person")] == [hofer[0].anchor]
        assert parse(out / "html" / doc.path).find(f".//a[@href='../persons.html#{hofer[0].anchor}']") is not None


def test_life_dates_never_reach_the_chronology_or_the_year_filter(letters):
    em, out = letters
    assert not [d for d in em.chronology if d.sort[:4] in ("1866", "1945")]
    chronology = text_of(parse(out / "html" / "chronology.html").find(".//main"))
    assert "1866" not in chronology and "1945" not in chronology
    for doc in em.documents:
        years = [s.text for s in parse(out / "html" / doc.path).iter("span")
                 if s.get("data-pagefind-filter") == "year"]
        assert "1866" not in years and "1945" not in years


@needs_pdftotext
def test_register_attachments_are_register_files(letters):
    from pypdf import PdfReader

    em, out = letters
    for doc in em.documents:
        attached = set(PdfReader(out / doc.paths.pdf).attachments)
        # the source and an extract of each register (outputs/register_extract.py)
        assert attached == {doc.file.rel} | {r.replace(".xml", "-extract.xml") for r in doc.register_files}
        assert set(doc.register_files) <= {"people.xml"}  # never another letter
    assert em.edition.file("people.xml").kind == "register"


def test_entries_of_one_file_or_of_other_names_stay_apart(tmp_path):
    """Two entries of one file are two, even with one GND (the editors kept them apart); one id
    in two files naming two persons is two persons (ids are unique per file only)."""
    people = PEOPLE.replace('<person xml:id="zoe"><persName>Zoe Unnamed</persName></person>',
                            '<person xml:id="zoe"><persName>Zoe Unnamed</persName><idno type="gnd">118508393</idno></person>')
    back = '<listPerson><person xml:id="hofer"><persName>Hanna Other</persName></person></listPerson>'
    root = write_edition(tmp_path / "e", {
        "a.xml": letter("a", "A", '<persName ref="#hofer">Hanna</persName> and <persName ref="people.xml#zoe">Zoe</persName>', back),
        "people.xml": people})
    em = model_of(root)
    persons = next(r for r in em.registers if r.kind == "person")
    assert sorted(e.name for e in persons.entries) == ["Hanna Other", "Richard Hofer", "Zoe Unnamed"]
    assert len({e.anchor for e in persons.entries}) == 3


def test_a_register_in_standoff_is_used_and_never_printed(tmp_path):
    doc = letter("a", "A letter", 'Hello <persName ref="#p1">Paula</persName>.', "").replace(
        "<text>", '<standOff><listPerson><person xml:id="p1"><persName>Paula Standoff</persName>'
                  '<birth when="1801"/></person></listPerson></standOff><text>')
    root = write_edition(tmp_path / "e", {"a.xml": doc})
    out = root / "build"
    build_edition(root, out)
    em = model_of(root)
    persons = next(r for r in em.registers if r.kind == "person")
    assert [(e.name, len(e.occurrences)) for e in persons.entries] == [("Paula Standoff", 1)]
    text = text_of(parse(out / "html" / "documents" / "a.html").find(".//div[@class='tp-text']"))
    assert "Hello Paula" in text and "Standoff" not in text
    assert not em.chronology


# -- what a file is: register, document, or a corpus of documents -------------------------------

def tei(title: str, body: str, ident: str = "") -> str:
    xid = f' xml:id="{ident}"' if ident else ""
    return f"""<TEI xmlns="{TEI_NS}"{xid}><teiHeader><fileDesc><titleStmt><title>{title}</title></titleStmt>
  <publicationStmt><p>test</p></publicationStmt><sourceDesc><p>made up</p></sourceDesc></fileDesc></teiHeader>
  <text><body>{body}</body></text></TEI>"""


def test_a_bibliography_or_an_unreferred_list_is_a_document_a_referred_list_a_register(tmp_path):
    bibliography = tei("Works cited", '<listBibl><bibl>Goethe, <title>Faust</title>, 1808.</bibl></listBibl>')
    cast = tei("Persons of the drama", '<listPerson><person xml:id="x"><persName>Xaver</persName></person></listPerson>')
    places = tei("Places", '<listPlace><place xml:id="rome"><placeName>Rome</placeName></place></listPlace>')
    orgs = tei("Organisations", '<listOrg><org xml:id="un"><orgName>United Nations</orgName></org></listOrg>')
    root = write_edition(tmp_path / "e", {
        "bibliography.xml": bibliography, "cast.xml": cast, "places.xml": places, "orgs.xml": orgs,
        "letter.xml": tei("A letter", '<p>From <placeName ref="places.xml#rome">Rome</placeName>.</p>')},
        'registers = ["orgs.xml"]\n')
    ed = edition_mod.load(root)
    kinds = {f.rel: f.kind for f in ed.files}
    assert kinds == {"bibliography.xml": "document", "cast.xml": "document", "places.xml": "register",
                     "orgs.xml": "register", "letter.xml": "document"}
    out = root / "build"
    build_edition(root, out)
    em = model_of(root)
    assert sorted(d.title for d in em.documents) == ["A letter", "Persons of the drama", "Works cited"]
    works = next(d for d in em.documents if d.title == "Works cited")
    assert "Faust" in text_of(parse(out / "html" / works.path).find(".//main//article"))
    assert (out / works.paths.pdf).is_file()
    (root / "edition.toml").write_text('registers = ["nowhere.xml"]\n', encoding="utf-8")
    with pytest.raises(config_mod.ConfigError, match="'registers' names 'nowhere.xml', but tei/ has no such file"):
        edition_mod.load(root)


CORPUS = f"""<?xml version="1.0" encoding="UTF-8"?>
<teiCorpus xmlns="{TEI_NS}">
  <teiHeader><fileDesc><titleStmt><title>Letters of a year</title><author>Ann Author</author></titleStmt>
    <publicationStmt><publisher>The corpus press</publisher></publicationStmt><sourceDesc><p>made up</p></sourceDesc></fileDesc></teiHeader>
  {tei("The first letter", '<p>Words alphaone of the first letter, <date when="1900-01-02">2 January 1900</date>, to <persName ref="#ann">Ann</persName>.</p>', "first")}
  <teiCorpus>
    <teiHeader><fileDesc><titleStmt><title>Replies</title></titleStmt>
      <publicationStmt><p>test</p></publicationStmt><sourceDesc><p>made up</p></sourceDesc></fileDesc></teiHeader>
    {tei("The second letter", '<p>Words alphatwo of the second letter.</p>')}
    <TEI><text><body><p>Words alphathree of a text without a header.</p></body></text></TEI>
  </teiCorpus>
  <TEI><standOff><listPerson><person xml:id="ann"><persName>Ann Author</persName></person></listPerson></standOff>
    <text><body><p>Words alphafour.</p></body></text></TEI>
</teiCorpus>"""


@needs_pdftotext
def test_a_tei_corpus_gives_one_document_per_tei(tmp_path):
    root = write_edition(tmp_path / "e", {"corpus.xml": CORPUS})
    out = root / "build"
    build_edition(root, out)  # the PDF stage too, without an internal error
    em = model_of(root)
    assert [d.file.key for d in sorted(em.documents, key=lambda d: d.file.n)] == [
        "corpus.xml#1", "corpus.xml#2", "corpus.xml#3", "corpus.xml#4"]
    titles = {d.file.n: d.title for d in em.documents}
    # its own title, else the nearest corpus header's (with its ordinal: no two alike)
    assert titles == {1: "The first letter", 2: "The second letter", 3: "Replies, text 3",
                      4: "Letters of a year, text 4"}
    assert {d.info.publisher for d in em.documents} == {"The corpus press"}  # facts fall back too
    for n, word in ((1, "alphaone"), (2, "alphatwo"), (3, "alphathree"), (4, "alphafour")):
        doc = next(d for d in em.documents if d.file.n == n)
        page = text_of(parse(out / "html" / doc.path).find(".//main//article"))
        assert word in page and all(w not in page for w in ("alphaone", "alphatwo", "alphathree", "alphafour")
                                    if w != word)
        assert word in pdftext(out / doc.paths.pdf)
    first = next(d for d in em.documents if d.file.n == 1)
    assert [e.name for e in first.entries("person")] == ["Ann Author"]  # a pointer to a sibling TEI's standOff
    assert [d.sort for d in em.chronology] == ["1900-01-02"]


def test_a_file_of_several_tei_under_another_root_gives_one_document_each(tmp_path):
    both = f'<?xml version="1.0"?><collection>{tei("One", "<p>One.</p>")}{tei("Two", "<p>Two.</p>")}</collection>'
    empty = (f'<teiCorpus xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>Nothing yet</title></titleStmt>'
             '<publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader></teiCorpus>')
    root = write_edition(tmp_path / "e", {"both.xml": both, "empty.xml": empty})
    em = model_of(root)
    # a corpus with no TEI in it yet is one document, titled by its header
    assert sorted(d.title for d in em.documents) == ["Nothing yet", "One", "Two"]
    assert len({d.id for d in em.documents}) == 3


# -- whole folders of other projects' TEI ------------------------------------------------------

@pytest.mark.parametrize("folders", [
    ("letters/schnitzler-briefe",), ("letters/escher-briefe",), ("editorial/dta-soldatenbriefe",),
    ("dracor/gerdracor", "dracor/rusdracor"), ("eltec/eng", "eltec/fra"),
], ids=lambda f: f[0].split("/")[-1])
def test_every_document_of_a_corpus_has_its_own_title(shared, tmp_path, folders):
    em = model_of(corpus_edition(tmp_path, shared, *folders))
    titles = [d.title for d in em.documents]
    assert len(em.documents) >= 3 and len(set(titles)) == len(titles), titles
    for doc in em.documents:
        analytic = doc.file.root.find(f"{{{TEI_NS}}}teiHeader//{{{TEI_NS}}}titleStmt/{{{TEI_NS}}}title[@level='a']")
        if analytic is not None:
            assert doc.title == " ".join("".join(analytic.itertext()).split())


@pytest.fixture(scope="module")
def schnitzler(shared, tmp_path_factory):
    root = corpus_edition(tmp_path_factory.mktemp("schnitzler"), shared, "letters/schnitzler-briefe")
    out = root / "build"
    build_edition(root, out)
    return model_of(root), out


@needs_pdftotext
def test_schnitzler_letters_print_no_back_list(schnitzler):
    em, out = schnitzler
    assert len(em.documents) == 9
    for doc in em.documents:
        page = text_of(parse(out / "html" / doc.path).find(".//main//article"))
        pdf = pdftext(out / doc.paths.pdf)
        for leak in ("48,208333", "d-nb.info/gnd", "wikidata.org", "Schriftsteller/Schriftstellerin"):
            assert leak not in page and leak not in pdf, (doc.id, leak)
    # a letter's unheaded div type="writingSession" n="1" is labelled as what it is, not "1"
    labels = [div.get("label") for d in em.documents for div in d.model.iter("{urn:teipress:model}block")
              if div.get("type") == "writingSession"]
    assert len(labels) == 9 and set(labels) == {"Writing session 1"}


def test_schnitzler_persons_register_has_each_person_once(schnitzler):
    em, out = schnitzler
    persons = next(r for r in em.registers if r.kind == "person")
    names = [e.name for e in persons.entries]
    assert len(names) == len(set(names)) == 15  # 32 descriptions in nine back lists
    beer = next(e for e in persons.entries if e.name == "Richard Beer-Hofmann")
    assert len(beer.members) == 6  # described in six letters' back lists
    flegmann = next(e for e in persons.entries if e.name == "Bertha Flegmann")
    assert len({o.doc.id for o in flegmann.occurrences}) == 3
    page = text_of(parse(out / "html" / "persons.html").find(".//main"))
    assert page.count("Richard Beer-Hofmann (1866–1945)") == 1


def test_schnitzler_life_dates_are_not_dates_of_the_letters(schnitzler):
    em, out = schnitzler
    assert all(d.sort[:4] in ("1892", "1893") for d in em.chronology), [d.sort for d in em.chronology]
    # the year filter holds each letter's own year (its date of sending), never a life date
    for d in em.documents:
        assert d.years == [d.date_value[:4]], (d.id, d.years)
    assert not re.search(r"\b18[3-7]\d\b", text_of(parse(out / "html" / "chronology.html").find(".//main")))


def test_escher_register_keeps_its_entries_and_is_found_by_key(shared, tmp_path):
    em = model_of(corpus_edition(tmp_path, shared, "letters/escher-briefe"))
    assert em.edition.file("people.xml").kind == "register"  # referred to by @key (person/@n)
    persons = next(r for r in em.registers if r.kind == "person")
    assert len(persons.entries) == len(em.edition.entries)  # one file: nothing merged away
    named = [e for e in persons.entries if e.occurrences]
    assert len(named) >= 10 and len({e.name for e in named}) == len(named)


def test_schnitzler_header_rows_read_as_an_editor_wrote_them(schnitzler):
    """Two editors in one <editor> are two names; a funder is its name, not its address."""
    em, out = schnitzler
    doc = next(d for d in em.documents if d.id == "L00147")
    meta = [text_of(x) for x in parse(out / "html" / doc.path).find(".//dl[@class='tp-meta']")]
    rows = dict(zip(meta[::2], meta[1::2]))
    assert rows["Editor"] == "Müller, Martin Anton; Susen, Gerd-Hermann"
    assert rows["Funder"] == "Österreichischer Wissenschaftsfonds FWF"
    assert rows["Series"] == "Arthur Schnitzler: Briefwechsel mit Autorinnen und Autoren"
    assert not any("iso-date" in k for k in rows)


def test_a_plays_cast_is_its_register_and_casts_stay_apart(shared, tmp_path):
    """DraCor keeps the cast in particDesc; sp/@who points there.  Two plays' casts are never
    merged by id (a 'wirt' of one play is not the other's): only an authority would merge them."""
    (tmp_path / "tei").mkdir()
    for rel in ("dracor/gerdracor/buechner-leonce-und-lena.xml", "dracor/gerdracor/hofmannsthal-der-tor-und-der-tod.xml",
                "dracor/rusdracor/chekhov-medved.xml"):  # the first two both have a cast entry 'diener' 
        shutil.copy(shared / "corpora" / rel, tmp_path / "tei" / Path(rel).name)
    em = model_of(tmp_path)
    persons = next(r for r in em.registers if r.kind == "person")
    cast = [p for d in em.documents
            for p in d.file.root.iterfind(f".//{{{TEI_NS}}}particDesc//{{{TEI_NS}}}person[@{{http://www.w3.org/XML/1998/namespace}}id]")]
    assert len(persons.entries) == len(cast)
    assert len([e for e in persons.entries if e.entry.id == "diener"]) == 2
    anchors = {e.anchor: e for e in persons.entries}
    for doc in em.documents:  # the speeches link to their own play's cast
        speakers = {a for sp in doc.model.iter("{urn:teipress:model}speech") for a in (sp.get("ref") or "").split()}
        assert speakers and speakers <= set(anchors), doc.id
        assert {anchors[a].entry.file.rel for a in speakers} == {doc.file.rel}


def test_collection_pages_pass_the_nu_html_checker(letters):
    """The letters' pages (a series row, merged register entries) are valid HTML."""
    from checkers import nu_errors

    em, out = letters
    errors = nu_errors([out / "html" / d.path for d in em.documents] + [out / "html" / "persons.html"])
    assert not errors, "\n".join(errors)


def test_a_url_every_entry_carries_merges_nothing(tmp_path):
    """A project URL in every entry (or a bare site address) is no authority record."""
    def back(*people):
        return "<listPerson>" + "".join(
            f'<person xml:id="{i}"><persName>{n}</persName><idno type="URL">https://project.example/about</idno>'
            f'<idno type="URL">https://project.example/</idno></person>' for i, n in people) + "</listPerson>"
    root = write_edition(tmp_path / "e", {
        "a.xml": letter("a", "A", '<persName ref="#p1">P</persName> <persName ref="#p2">Q</persName>',
                        back(("p1", "Paul"), ("p2", "Quentin"))),
        "b.xml": letter("b", "B", '<persName ref="#x1">R</persName>', back(("x1", "Rosa")))})
    persons = next(r for r in model_of(root).registers if r.kind == "person")
    assert sorted(e.name for e in persons.entries) == ["Paul", "Quentin", "Rosa"]

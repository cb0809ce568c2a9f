"""Parallel texts (teipress.model.parallel, teipress.outputs.parallel): an original beside its
translation, aligned by @corresp, by links or by a shared citation structure; the units of the
two texts match one to one and every word of each text is in exactly one unit."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree, html as lxml_html
from pypdf import PdfReader

from conftest import PROLOG, SCHEMA, edition_model
from sitebuild import build_edition
from teipress import config, edition
from teipress.model import parallel, text as model_text

MT = "{urn:teipress:model}"
PERSEUS = "corpora/editorial/perseus-translations"
LAT, ENG = "phi0119.phi004.perseus-lat2", "phi0119.phi004.perseus-eng2"


def doc(xml_id: str, lang: str, title: str, body: str, header_extra: str = "") -> str:
    return PROLOG + f"""<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{xml_id}" xml:lang="{lang}">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>{title}</title></titleStmt>
      <publicationStmt><publisher>teipress tests</publisher><date when="2026">2026</date></publicationStmt>
      <sourceDesc><bibl>Born digital.{header_extra}</bibl></sourceDesc>
    </fileDesc>
  </teiHeader>
  <text><body>{body}</body></text>
</TEI>
"""


# An original of four paragraphs; its translation points to them with @corresp, merges the
# third into the second and has a paragraph of its own (a translator's addition).
ORIGINAL = doc("letter-ru", "ru", "Письмо", """
  <div xml:id="d1"><head>Письмо</head>
    <p xml:id="o1">Дорогой друг, пишу тебе из Москвы.<note xml:id="on1">Note of the original.</note></p>
    <p xml:id="o2">Погода хорошая.</p>
    <p xml:id="o3">Мы гуляли по набережной.</p>
    <p xml:id="o4">Твой Иван.</p>
  </div>""")
TRANSLATION = doc("letter-en", "en", "A letter", """
  <div xml:id="e-d1" corresp="letter-ru.xml#d1"><head>A letter</head>
    <p corresp="letter-ru.xml#o1">Dear friend, I write to you from Moscow.<note xml:id="en1">Note of the translation.</note></p>
    <p corresp="letter-ru.xml#o2">The weather is fine, and we walked along the embankment.</p>
    <p>[A sentence only the translator wrote.]</p>
    <p corresp="letter-ru.xml#o4">Yours, Ivan.</p>
  </div>""", header_extra='<relatedItem type="original" target="letter-ru.xml"/>')


def make(tmp_path: Path, files: dict[str, str], toml: str | None = None) -> Path:
    root = tmp_path / "edition"
    (root / "tei" / "schema").mkdir(parents=True)
    shutil.copy(SCHEMA, root / "tei" / "schema" / "teipress.xsd")
    for name, content in files.items():
        (root / "tei" / name).write_text(content, encoding="utf-8")
    if toml is not None:
        (root / "edition.toml").write_text(toml, encoding="utf-8")
    return root


def words(el) -> list[str]:
    return model_text.plain(el).split() if el is not None else []


def whole(document) -> list[str]:
    return model_text.plain(document.model.getroot().find(MT + "text")).split()


def check_partition(pair) -> None:
    """Every word of both texts in exactly one unit, in order; units one to one."""
    for role in ("original", "translation"):
        got = [w for u in pair.units for w in words(getattr(u, role))]
        assert got == whole(getattr(pair, role)), role
    anchors = [u.anchor for u in pair.units]
    assert len(set(anchors)) == len(anchors)


@pytest.fixture
def plautus(shared, tmp_path):
    root = tmp_path / "plautus"
    (root / "tei").mkdir(parents=True)
    for name in (LAT, ENG):
        shutil.copy(shared / PERSEUS / f"{name}.xml", root / "tei" / f"{name}.xml")
    return root


def test_plautus_latin_and_english_align_verse_by_verse(plautus):
    em = edition_model(edition.load(plautus))
    (pair,) = parallel.pairs(em)  # found in the TEI: two CTS texts of one work
    assert (pair.original.id, pair.translation.id, pair.method) == (LAT, ENG, "citation")
    check_partition(pair)
    units = pair.units
    assert len(units) > 800
    # The English front matter and prologue have no Latin: one unit before the first verse.
    assert units[0].key == "" and units[0].original is None and "Dramatis Personae" in model_text.plain(units[0].translation)
    for u in units[1:]:
        assert u.original is not None and u.translation is not None, u.key
        # each unit starts, in both texts, with the verse its reference names, or with the
        # scene ('1.1') where the texts' first verses differ (35 in Latin, 35a in English), or
        # with the card where a stage direction comes before the verse ('card 1')
        if u.key.startswith("card "):
            assert all(u.key in " ".join(model_text.plain(c).split()[:4]) for c in (u.original, u.translation))
            continue
        for cut in (u.original, u.translation):
            first_line = next(cut.iter(MT + "line"), None)
            if first_line is not None and first_line.get("n") == u.key:
                continue
            first = next(el for el in cut.iter(MT + "block") if el.get("division") == "true")
            path = [a.get("n") for a in (*reversed(list(first.iterancestors(MT + "block"))), first)
                    if a.get("n") and not a.get("n").startswith("urn:")]
            assert ".".join(path) == u.key, u.key
    # the English prose runs over several Latin verses: verses 9-11 are one English line
    u9 = next(u for u in units if u.key == "9")
    assert [ln.get("n") for ln in u9.original.iter(MT + "line")] == ["9", "10", "11"]
    assert [ln.get("n") for ln in u9.translation.iter(MT + "line")] == ["9"]
    # a scene that opens with a speech: the unit begins at the scene (its card), with the speaker
    u = next(u for u in units if u.key == "1.1")
    for cut in (u.original, u.translation):
        assert model_text.plain(cut).split()[:2] == ["card", "35"]
        assert next(cut.iter(MT + "speaker")).text.strip() in ("Bacchis", "2nd BACCHIS")
    # a verse the translation leaves empty (990a: rendered with 990c) is no unit of its own
    assert "990a" not in [u.key for u in units]


def test_paragraphs_aligned_by_corresp(tmp_path):
    root = make(tmp_path, {"letter-ru.xml": ORIGINAL, "letter-en.xml": TRANSLATION})
    em = edition_model(edition.load(root))
    (pair,) = parallel.pairs(em)
    assert (pair.original.id, pair.translation.id, pair.method) == ("letter-ru", "letter-en", "corresp")
    check_partition(pair)
    got = [(u.key, " ".join(words(u.original)), " ".join(words(u.translation))) for u in pair.units]
    assert got == [
        # the division and its first paragraph start at the same place: the paragraph names the unit
        ("o1", "Письмо Дорогой друг, пишу тебе из Москвы.", "A letter Dear friend, I write to you from Moscow."),
        # the translation merges o2 and o3 and adds a sentence: one unit on each side
        ("o2", "Погода хорошая. Мы гуляли по набережной.",
         "The weather is fine, and we walked along the embankment. [A sentence only the translator wrote.]"),
        ("o4", "Твой Иван.", "Yours, Ivan."),
    ]


def test_pointers_that_cross_are_kept_in_order(tmp_path):
    """A translation that moves a paragraph before another: the longest run in the order of
    both texts is kept, the moved paragraph joins its neighbour's unit, no word is lost."""
    moved = TRANSLATION.replace('<p corresp="letter-ru.xml#o4">Yours, Ivan.</p>', "").replace(
        '<p corresp="letter-ru.xml#o1">', '<p corresp="letter-ru.xml#o4">Yours, Ivan.</p>\n<p corresp="letter-ru.xml#o1">')
    root = make(tmp_path, {"letter-ru.xml": ORIGINAL, "letter-en.xml": moved})
    (pair,) = parallel.pairs(edition_model(edition.load(root)))
    check_partition(pair)
    assert [u.key for u in pair.units] == ["d1", "o2"]  # the moved o4 opens the division


def test_links_align_and_config_chooses_the_pair(tmp_path):
    original = ORIGINAL
    translation = doc("letter-en", "en", "A letter", """
      <div><head>A letter</head>
        <p xml:id="t1">Dear friend.</p>
        <p xml:id="t2">The weather.</p>
        <p xml:id="t4">Yours.</p>
        <linkGrp type="translation">
          <link target="letter-ru.xml#o1 #t1"/><link target="#t2 letter-ru.xml#o2"/><link target="letter-ru.xml#o4 #t4"/>
        </linkGrp>
      </div>""")
    toml = '[[parallel]]\noriginal = "letter-ru"\ntranslation = "letter-en"\n'
    root = make(tmp_path, {"letter-ru.xml": original, "letter-en.xml": translation}, toml)
    (pair,) = parallel.pairs(edition_model(edition.load(root)))
    assert pair.method == "links"
    check_partition(pair)
    assert [(u.key, " ".join(words(u.translation))) for u in pair.units] == [
        ("o1", "A letter Dear friend."), ("o2", "The weather."), ("o4", "Yours.")]
    assert [" ".join(words(u.original)) for u in pair.units][:2] == [
        "Письмо Дорогой друг, пишу тебе из Москвы.", "Погода хорошая. Мы гуляли по набережной."]


def test_citation_structure_of_divisions_and_paragraphs(tmp_path):
    """Two documents numbered alike (div/@n, p/@n), declared a pair in edition.toml."""
    body = "\n".join(f'<div n="{c}"><head>{{h}} {c}</head>\n' + "\n".join(
        f'<p n="{i}">{{w}} {c}.{i}</p>' for i in (1, 2)) + "</div>" for c in (1, 2))
    a = doc("a", "de", "Urtext", body.replace("{h}", "Kapitel").replace("{w}", "Absatz"))
    b = doc("b", "en", "Translation", body.replace("{h}", "Chapter").replace("{w}", "Paragraph"))
    toml = '[[parallel]]\noriginal = "a"\ntranslation = "b"\nalign = "citation"\n'
    root = make(tmp_path, {"a.xml": a, "b.xml": b}, toml)
    (pair,) = parallel.pairs(edition_model(edition.load(root)))
    check_partition(pair)
    # p/@n repeats in each chapter, so a paragraph is cited by its chapter and its own number
    assert [u.key for u in pair.units] == ["1.1", "1.2", "2.1", "2.2"]
    assert " ".join(words(pair.units[0].translation)) == "Chapter 1 Paragraph 1.1"


def test_no_pair_without_a_declaration_and_parallel_false(tmp_path):
    plain = TRANSLATION.replace('<relatedItem type="original" target="letter-ru.xml"/>', "")
    root = make(tmp_path, {"letter-ru.xml": ORIGINAL, "letter-en.xml": plain}, "parallel = false\n")
    assert parallel.pairs(edition_model(edition.load(root))) == []
    (root / "edition.toml").unlink()  # the @corresp pointers alone declare the pair
    assert [p.method for p in parallel.pairs(edition_model(edition.load(root)))] == ["corresp"]


def test_default_edition_declares_its_russian_original():
    """The default edition is a translation; its header names the original (not yet encoded),
    so no parallel page is made until the original is added to tei/."""
    repo = Path(__file__).resolve().parent.parent
    ed = edition.load(repo)
    root = ed.documents[0].root
    ns = {"tei": "http://www.tei-c.org/ns/1.0"}
    item = root.find(".//tei:sourceDesc//tei:relatedItem[@type='original']", ns)
    target = ed.resolve(ed.documents[0], item.get("target"))
    assert target is not None and etree.QName(target[1]).localname == "bibl"
    assert "Koreiskii poluostrov" in "".join(target[1].itertext())
    langs = {el.get("ident"): el.text for el in root.iterfind(".//tei:langUsage/tei:language", ns)}
    assert "original" in langs["ru"]
    assert parallel.pairs(edition_model(ed)) == []


@pytest.mark.parametrize("toml, message", [
    ('parallel = "yes"\n', "'parallel' must be true, false or tables"),
    ('[[parallel]]\noriginal = "a"\n', "'translation' must name a document"),
    ('[[parallel]]\noriginal = "a"\ntranslation = "b"\nalign = "words"\n', "align = 'words'"),
    ('[[parallel]]\noriginal = "a"\ntranslation = "b"\nby = "x"\n', "unknown key(s) by"),
    ('[[parallel]]\noriginal = "a"\ntranslation = "a"\n', "the same document"),
])
def test_config_errors_name_the_line(tmp_path, toml, message):
    (tmp_path / "edition.toml").write_text("title = \"T\"\n" + toml, encoding="utf-8")
    with pytest.raises(config.ConfigError) as exc:
        config.load(tmp_path)
    assert message in exc.value.message
    assert exc.value.line == 2


def test_config_names_an_unknown_document(tmp_path):
    root = make(tmp_path, {"letter-ru.xml": ORIGINAL, "letter-en.xml": TRANSLATION},
                '[[parallel]]\noriginal = "letter-ru"\ntranslation = "letter-fr"\n')
    with pytest.raises(parallel.ParallelError, match="letter-fr"):
        parallel.pairs(edition_model(edition.load(root)))


# -- the HTML page ----------------------------------------------------------------------------
@pytest.fixture
def corresp_site(tmp_path):
    root = make(tmp_path, {"letter-ru.xml": ORIGINAL, "letter-en.xml": TRANSLATION})
    build_edition(root, tmp_path / "build", only={"html"})
    return tmp_path / "build" / "html"


def test_parallel_page_rows_ids_and_notes(corresp_site):
    page = corresp_site / "parallel" / "letter-en--letter-ru.html"
    tree = lxml_html.parse(str(page))
    rows = tree.findall(".//section[@class='tp-parallel-row']")
    assert [r.get("id") for r in rows] == ["u-o1", "u-o2", "u-o4"]
    ids = [el.get("id") for el in tree.iter() if isinstance(el.tag, str) and el.get("id")]
    assert len(ids) == len(set(ids)), "ids must be unique on the page"
    row = rows[0]
    orig, trans = row.find("div[@class='tp-parallel-cell tp-original']"), row.find("div[@class='tp-parallel-cell tp-translation']")
    assert orig.get("lang") == "ru" and trans.get("lang") == "en"
    assert "Дорогой друг" in orig.text_content() and "Dear friend" in trans.text_content()
    # each text's note mark leads to its own notes list, and back
    mark_o = orig.find(".//a[@class='tp-noteref']")
    mark_t = trans.find(".//a[@class='tp-noteref']")
    assert mark_o.get("href") == "#o-on1" and mark_t.get("href") == "#t-en1"
    note_o = tree.find(".//li[@id='o-on1']")
    assert "Note of the original" in note_o.text_content()
    assert note_o.find(".//a[@class='tp-backref']").get("href") == "#" + mark_o.get("id")
    assert "Note of the translation" in tree.find(".//li[@id='t-en1']").text_content()
    # every in-page link lands on an element of the page
    for a in tree.iter("a"):
        href = a.get("href") or ""
        if href.startswith("#"):
            assert href[1:] in ids, href
    # both documents' pages link the parallel page; the parallel page is not in the search index
    for d in ("letter-ru", "letter-en"):
        doc_page = (corresp_site / "documents" / f"{d}.html").read_text(encoding="utf-8")
        assert "../parallel/letter-en--letter-ru.html" in doc_page
    assert "data-pagefind-body" not in page.read_text(encoding="utf-8")
    assert "parallel/letter-en--letter-ru.html" in (corresp_site / "index.html").read_text(encoding="utf-8")


def test_parallel_page_of_plautus(plautus, tmp_path):
    build_edition(plautus, tmp_path / "build", only={"html"})
    page = tmp_path / "build" / "html" / "parallel" / f"{ENG}--{LAT}.html"
    tree = lxml_html.parse(str(page))
    rows = tree.findall(".//section[@class='tp-parallel-row']")
    em = edition_model(edition.load(plautus))
    assert len(rows) == len(parallel.pairs(em)[0].units)
    row = tree.find(".//section[@id='u-9']")
    assert "folles taurini" in row.find("div[@class='tp-parallel-cell tp-original']").text_content()
    assert "bellows of bull" in row.find("div[@class='tp-parallel-cell tp-translation']").text_content()


# -- facing pages ---------------------------------------------------------------------------
MM = 72 / 25.4


def margin_keys(pdf: Path) -> list[list[str]]:
    """Per page, the words in the outer margin (the units' references): the left margin of a
    verso (even page), the right margin of a recto, between the running head and the folio."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = etree.fromstring(out.encode(), etree.HTMLParser()).findall(".//page")
    keys = []
    for number, page in enumerate(pages, 1):
        width, found = float(page.get("width")), []
        for w in page.findall("word"):
            x0, x1, y0 = float(w.get("xmin")), float(w.get("xmax")), float(w.get("ymin"))
            if 20 * MM < y0 < (234 - 24) * MM and ((number % 2 == 0 and x1 < 30 * MM)
                                                   or (number % 2 == 1 and x0 > width - 30 * MM)):
                found.append(w.text)
        keys.append(found)
    return keys


def check_spreads(pdf: Path, pair) -> None:
    """Every spread carries the same units on both pages, and every unit is on one spread."""
    keys = margin_keys(pdf)
    while keys and not keys[-1]:  # back matter after the spreads (the source's spellings)
        keys.pop()
    assert len(keys) % 2 == 1  # a title page, then whole spreads
    shown = []
    for verso, recto in zip(keys[1::2], keys[2::2]):
        assert verso == recto, (verso, recto)
        shown += verso
    assert shown == [w for u in pair.units if u.key and u.original is not None for w in u.key.split()]


needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing (make system-deps)")


@needs_poppler
def test_facing_pages_of_corresp_paragraphs(tmp_path):
    root = make(tmp_path, {"letter-ru.xml": ORIGINAL, "letter-en.xml": TRANSLATION})
    build_edition(root, tmp_path / "build", only={"pdf", "html"})
    pdf = tmp_path / "build" / "pdf" / "letter-en--letter-ru.pdf"
    (pair,) = parallel.pairs(edition_model(edition.load(root)))
    check_spreads(pdf, pair)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = text.split("\f")
    assert "Дорогой друг" in pages[1] and "Dear friend" not in pages[1]  # the original on the verso
    assert "Dear friend" in pages[2] and "Дорогой" not in pages[2]  # the translation on the recto
    assert "Note of the original" in pages[1] and "Note of the translation" in pages[2]
    reader = PdfReader(str(pdf))
    assert set(reader.attachments) == {"letter-ru.xml", "letter-en.xml"}
    raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part[>=\"]+3", raw) and re.search(r"pdfuaid:part[>=\"]+1", raw)
    # the parallel page links it, from beside the pages
    page = (tmp_path / "build" / "html" / "parallel" / "letter-en--letter-ru.html").read_text(encoding="utf-8")
    assert 'href="../downloads/letter-en--letter-ru.pdf"' in page
    assert (tmp_path / "build" / "html" / "downloads" / "letter-en--letter-ru.pdf").read_bytes() == pdf.read_bytes()


@needs_poppler
def test_facing_pages_of_plautus_keep_in_step(plautus, tmp_path):
    build_edition(plautus, tmp_path / "build", only={"pdf"})
    pdf = tmp_path / "build" / "pdf" / f"{ENG}--{LAT}.pdf"
    (pair,) = parallel.pairs(edition_model(edition.load(plautus)))
    check_spreads(pdf, pair)


def test_two_builds_of_a_pair_are_identical(tmp_path):
    root = make(tmp_path, {"letter-ru.xml": ORIGINAL, "letter-en.xml": TRANSLATION})
    for out in ("a", "b"):
        build_edition(root, tmp_path / out, only={"pdf", "html"})
    for rel in ("pdf/letter-en--letter-ru.pdf", "html/parallel/letter-en--letter-ru.html"):
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_citation_by_the_documents_cite_structure(tmp_path):
    """Two texts without @n that declare how they are cited (refsDecl/citeStructure): chapters
    and their paragraphs by position; the translation adds a preface the original lacks, so only
    the declared structure, not document order, tells which paragraph is which."""
    decl = """<encodingDesc><refsDecl>
        <citeStructure unit="chapter" match="//body/div[@type='chapter']" use="position()">
          <citeStructure unit="paragraph" match="p" use="position()" delim="."/>
        </citeStructure></refsDecl></encodingDesc>"""

    def text(lang, words, preface=""):
        chapters = "\n".join(f'<div type="chapter"><head>{words[0]} {c}</head>\n' + "\n".join(
            f"<p>{words[1]} {c}.{i}</p>" for i in (1, 2, 3)) + "</div>" for c in (1, 2))
        return doc(f"t-{lang}", lang, f"T {lang}", preface + chapters).replace("</fileDesc>", "</fileDesc>" + decl)

    a = text("de", ("Kapitel", "Absatz"))
    b = text("en", ("Chapter", "Paragraph"), '<div type="preface"><p>A preface of the translator.</p></div>\n')
    toml = '[[parallel]]\noriginal = "t-de"\ntranslation = "t-en"\nalign = "citation"\n'
    root = make(tmp_path, {"a.xml": a, "b.xml": b}, toml)
    (pair,) = parallel.pairs(edition_model(edition.load(root)))
    check_partition(pair)
    assert [u.key for u in pair.units] == ["", "1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]
    assert pair.units[0].original is None and "preface" in model_text.plain(pair.units[0].translation)
    u = pair.units[5]
    assert (" ".join(words(u.original)), " ".join(words(u.translation))) == ("Absatz 2.2", "Paragraph 2.2")
    assert " ".join(words(pair.units[4].translation)) == "Chapter 2 Paragraph 2.1"


def test_cite_structure_xpath_names_tei_elements():
    assert parallel.tei_xpath("//body/div[@type='edition']/div") == "//tei:body/tei:div[@type='edition']/tei:div"
    assert parallel.tei_xpath(".//l[not(@part='F') and head]") == ".//tei:l[not(@part='F') and tei:head]"
    assert parallel.tei_xpath("tei:div/child::p") == "tei:div/child::tei:p"
    assert parallel.tei_xpath("position()") == "position()"


def test_milestones_cut_inside_paragraphs(tmp_path):
    """Sections marked by numbered milestones, paragraphed differently in the two texts: a
    unit begins at its milestone, inside a paragraph or between paragraphs."""
    a = doc("ms-la", "la", "Textus", """<div>
      <p>Praefatio brevis. <milestone unit="section" n="1"/>Prima sententia. Altera sententia.
         <milestone unit="section" n="2"/>Tertia sententia.</p>
      <p>Quarta sententia.</p></div>""")
    b = doc("ms-en", "en", "Text", """<div>
      <p>A short preface.</p>
      <p><milestone unit="section" n="1"/>The first sentence.</p>
      <p>The second sentence. <milestone unit="section" n="2"/>The third sentence. The fourth sentence.</p></div>""")
    toml = '[[parallel]]\noriginal = "ms-la"\ntranslation = "ms-en"\nalign = "citation"\n'
    root = make(tmp_path, {"a.xml": a, "b.xml": b}, toml)
    (pair,) = parallel.pairs(edition_model(edition.load(root)))
    check_partition(pair)
    got = [(u.key, " ".join(words(u.original)), " ".join(words(u.translation))) for u in pair.units]
    assert got == [
        ("", "Praefatio brevis.", "A short preface."),
        ("section 1", "section 1Prima sententia. Altera sententia.", "section 1The first sentence. The second sentence."),
        ("section 2", "section 2Tertia sententia. Quarta sententia.", "section 2The third sentence. The fourth sentence."),
    ]
    # the paragraph the milestone cuts continues under an id of its own (no id twice)
    for role in ("original", "translation"):
        ids = [el.get("id") for u in pair.units for el in getattr(u, role).iter() if el.get("id")]
        assert len(ids) == len(set(ids)), role
    assert pair.units[1].original.find(f".//{MT}paragraph").get("id") == "t.body1.div1.p1.part2"


def test_the_encoded_pair_is_valid(tmp_path):
    """The encoding the guide shows (@corresp into the original, relatedItem type="original")
    passes the project's schema and rules."""
    import sys

    root = make(tmp_path, {"letter-ru.xml": ORIGINAL, "letter-en.xml": TRANSLATION})
    proc = subprocess.run([sys.executable, "-m", "teipress", "validate", str(root)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 errors, 0 warnings" in proc.stdout + proc.stderr


@needs_poppler
def test_facing_pages_keep_endnotes_after_the_spreads(tmp_path):
    """A note the source prints at the end (note place="end") is printed after the spreads, as
    after a document's own text, not lost."""
    original = ORIGINAL.replace("</p>", '<note place="end">Endnoteoriginal words.</note></p>', 1)
    assert original != ORIGINAL
    root = make(tmp_path, {"letter-ru.xml": original, "letter-en.xml": TRANSLATION})
    build_edition(root, tmp_path / "build", only={"pdf"})
    text = subprocess.run(["pdftotext", str(tmp_path / "build" / "pdf" / "letter-en--letter-ru.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    assert "Endnoteoriginal words." in text


def test_pairs_kept_in_an_incremental_build_follow_every_file(tmp_path, monkeypatch):
    # Whether a document may declare a pair is kept under its file's bytes
    # (parallel.found_pairs_kept): after an edit that keeps or removes the pair the output is
    # what a clean build makes, and only the edited file's facts are looked through again.
    from test_incremental import build, same_tree

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    unpaired = TRANSLATION.replace('<relatedItem type="original" target="letter-ru.xml"/>', "").replace(
        'corresp="letter-ru.xml#', 'n="')
    root = make(tmp_path, {"letter-ru.xml": ORIGINAL, "letter-en.xml": TRANSLATION})
    out = tmp_path / "out"
    looked = []
    real = parallel._may_point
    monkeypatch.setattr(parallel, "_may_point", lambda ed, d, local, attr: looked.append(d.id) or real(ed, d, local, attr))

    def check(n: int, looked_again: set, paired: bool) -> None:
        looked.clear()
        build(root, out)
        assert set(looked) == looked_again
        assert bool(list((out / "html").glob("parallel*"))) == paired
        clean = tmp_path / f"clean-{n}"
        build(root, clean, incremental=False)
        assert same_tree(out, clean) == []

    both = {"letter-ru", "letter-en"}
    check(0, both, True)
    (root / "tei" / "letter-ru.xml").write_text(ORIGINAL.replace("Твой Иван.", "Твой Иван!"), encoding="utf-8")
    check(1, {"letter-ru"}, True)
    (root / "tei" / "letter-en.xml").write_text(unpaired, encoding="utf-8")
    check(2, {"letter-en"}, False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")  # (every page again, the same files)
    check(3, set(), False)
    (root / "tei" / "letter-en.xml").write_text(TRANSLATION, encoding="utf-8")
    check(4, {"letter-en"}, True)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767398400")
    check(5, set(), True)  # (the kept facts: the pair's pages as a clean build makes them)
    (root / "tei" / "extra.xml").write_text(doc("extra", "en", "Extra", "<p>Another text.</p>"), encoding="utf-8")
    check(6, both | {"extra"}, True)  # (another set of files: a pointer may now reach one)

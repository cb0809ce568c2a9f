"""Constructs found in TEI of other projects (not in ../shared/corpora) that lost words or ran
them together: each a small synthetic document in one edition of several, built once, its words
measured with tests/retention.py and its visible rendering checked in HTML and PDF."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

import retention
from teipress.cli import main

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")

HEAD = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>{title}</title>
</titleStmt><publicationStmt><p>Test.</p></publicationStmt><sourceDesc>{source}</sourceDesc>
</fileDesc></teiHeader><text><body>{body}</body></text></TEI>"""

DOCS = {
    # Perseus: a milestone's label right before the line's first word, no space between
    "milestone": ("<p>Born digital.</p>", """<lg><l n="10">et tristis animi levare curas!</l>
      <l n="11"><milestone unit="alt_poem_line" n="2a_1"/>Tam gratum est mihi quam ferunt puellae</l></lg>"""),
    # PTA: a page break inside a word, the encoder's new lines around it
    "pagebreak": ("<p>Born digital.</p>", """<p>Τούτου τοῦ εὐαγγε
         <pb n="399" break="no"/>
         λίου εἰκὼν τὰ δίκτυα Πέτρου, and a Latin word cut by a page, concor<pb n="12" break="no"/>dia, ends.</p>"""),
    # Bullinger: every sentence an <s>
    "sentences": ("<p>Born digital.</p>", """<p><s n="1" xml:lang="la">Vale.</s> <s n="2" xml:lang="de">In eyl
      zuͦ S. Gallen.</s></p><lg><l>half a line <caesura/> and the other half</l></lg>"""),
    # Racine (ekdosis): readings whose witnesses the file does not list
    "witnesses": ("<p>Born digital.</p>", """<lg><l n="1"><app><lem wit="#A #B">OUY, </lem><rdg wit="#C">OVY, </rdg></app>
      <app><lem wit="#A #B">je </lem><rdg wit="#C">ie </rdg></app> retrouve</l>
      <l n="2"><app><lem wit="#A">une </lem><rdg wit="#B #C">vne </rdg><rdg wit="#D">Vne </rdg></app> face</l></lg>"""),
    # ekdosis, Bullinger: a line or paragraph that opens with the encoder's indentation and an element
    "edges": ("<p>Born digital.</p>", """<lg><l>
            <hi>Indentedword</hi> opens this line</l><l>Plainword opens this one</l></lg>
      <p>
         <s>Sentenceword opens this paragraph.</s></p>"""),
    # PTA, FRUS: a quotation and its source with no space between them
    "cit": ("<p>Born digital.</p>", """<p>As the poet says <cit><quote>sing, goddess, the wrath</quote><bibl>Homer,
      Iliad 1.1</bibl></cit> and so on.</p>"""),
    # an omission the encoder describes
    "gapdesc": ("<p>Born digital.</p>", """<p>Before <gap reason="damage"><desc>a damaged passage</desc></gap>
      after.</p><listBibl><bibl>Entry one</bibl><bibl>Entry two</bibl></listBibl>"""),
    # ekdosis: each reading carries its own trailing space, and the source has new lines between
    "spaces": ("<p>Born digital.</p>", """<lg><l>
      <app><lem wit="#A">Alpha, </lem><rdg wit="#B">Alfa, </rdg></app>
      <app><lem wit="#A">beta </lem><rdg wit="#B">betta </rdg></app>
      gamma delta</l></lg>"""),
    # a choice of three: an abbreviation with two expansions, an original with a regularisation
    # and a correction
    "choice3": ("<p>Born digital.</p>", """<p>Die <choice><abbr>Hl.</abbr><expan>Heilige</expan><expan>Heiliger</expan></choice>
      und <choice><orig>vnd</orig><reg>und</reg><corr>unt</corr></choice>.</p>"""),
    # Bodleian: a manuscript description with its administrative part
    "msdesc": ("""<msDesc><msIdentifier><settlement>Oxford</settlement><repository>Bodleian Library</repository>
      <idno>MS. Add. A. 10</idno></msIdentifier><physDesc><p>On <material>parchment</material>.</p></physDesc>
      <additional><adminInfo><recordHist><source>Summary description.</source></recordHist></adminInfo>
      <surrogates><p>Microfilm.</p></surrogates></additional></msDesc>""", "<p>Medical treatises.</p>"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("constructs-unseen")
    (root / "tei").mkdir()
    (root / "edition.toml").write_text('id = "unseen"\ntitle = "Unseen constructs"\n', encoding="utf-8")
    for name, (source, body) in DOCS.items():
        (root / "tei" / f"{name}.xml").write_text(HEAD.format(title=name.capitalize(), source=source, body=body),
                                                 encoding="utf-8")
    # a collection in one file: texts in a <group> (the HTML gives each inner text the class tp-text)
    (root / "tei" / "group.xml").write_text(HEAD.format(title="Group", source="<p>Born digital.</p>", body="").replace(
        "<text><body></body></text>", """<text><group><text><body><p>First grouped text words.</p></body></text>
        <text><body><div><head>Second head</head><p>Second grouped words.</p></div></body></text></group></text>"""),
        encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        r = CliRunner().invoke(main, ["build", str(root), "--no-validate", "--only", "html", "--only", "pdf"],
                               catch_exceptions=False)
    assert r.exit_code == 0, r.output[-3000:]
    return root


def page(root, name: str):
    return root / "build" / "html" / "documents" / f"{name}.html"


def pdf(root, name: str):
    return root / "build" / "pdf" / f"{name}.pdf"


def html_text(root, name: str) -> str:
    tree = lxml_html.parse(str(page(root, name))).getroot()
    return re.sub(r"\s+", " ", "".join(tree.xpath("//*[contains(@class, 'tp-text')]")[0].itertext()))


def pdf_text(root, name: str) -> str:
    first, last = retention.text_pages(pdf(root, name))
    out = subprocess.run(["pdftotext", "-f", str(first + 1), "-l", str(last), str(pdf(root, name)), "-"],
                         capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", out)


@pytest.mark.parametrize("name", ["milestone", "pagebreak", "cit", "gapdesc", "group", "choice3"])
def test_every_word_once_in_both_outputs(built, name):
    m = retention.Measure(built / "tei" / f"{name}.xml")
    for read, path in ((m.html, page(built, name)), (m.pdf, pdf(built, name))):
        ratio, missing, doubled = m.score(read(path))
        assert ratio == 1.0, (path.name, missing)
        assert doubled == []


def test_a_milestone_label_is_bracketed_text_apart_from_the_word(built):
    text = html_text(built, "milestone")
    assert re.search(r"\[alt poem line 2a_1\]\s*Tam gratum", text)   # the brackets are text, not CSS
    assert re.search(r"\[alt poem line 2a_1\]\s*Tam gratum", pdf_text(built, "milestone"))


def test_a_page_break_inside_a_word_leaves_the_word_whole(built):
    text = html_text(built, "pagebreak")
    assert "εὐαγγελίου[p. 399] εἰκὼν" in text           # the word, then its page's mark
    assert "concordia,[p. 12] ends" in text              # after the punctuation that ends the word
    printed = pdf_text(built, "pagebreak")
    assert "εὐαγγελίου" in printed and "concordia" in printed
    assert "[p. 399]" in printed and "[p. 12]" in printed  # the marks are still in the margin


def test_a_manuscript_description_validates_with_its_administrative_part(tmp_path):
    (tmp_path / "tei").mkdir()
    (tmp_path / "edition.toml").write_text('id = "ms"\ntitle = "Manuscripts"\n', encoding="utf-8")
    for name in ("msdesc", "milestone", "sentences"):
        source, body = DOCS[name]
        (tmp_path / "tei" / f"{name}.xml").write_text(HEAD.format(title=name, source=source, body=body),
                                                     encoding="utf-8")
    r = CliRunner().invoke(main, ["validate", str(tmp_path)], catch_exceptions=False)
    assert "[schema]" not in r.output, r.output
    assert r.exit_code == 0, r.output


def test_a_missing_witness_is_one_error_however_often_it_is_cited(tmp_path):
    (tmp_path / "tei").mkdir()
    (tmp_path / "edition.toml").write_text('id = "app"\ntitle = "Readings"\n', encoding="utf-8")
    source, body = DOCS["witnesses"]
    (tmp_path / "tei" / "witnesses.xml").write_text(HEAD.format(title="W", source=source, body=body), encoding="utf-8")
    r = CliRunner().invoke(main, ["validate", str(tmp_path)], catch_exceptions=False)
    errors = [line for line in r.output.splitlines() if line.endswith("[pointer-resolves]")]
    assert len(errors) == 4, r.output                    # #A, #B, #C, #D: one line each
    by_id = {re.search(r"xml:id '(\w)'", e).group(1): e for e in errors}
    assert "(and 2 more pointers to it in this file)" in by_id["A"]   # cited three times
    assert "more pointers" not in by_id["D"]                          # cited once
    assert re.match(r".*witnesses\.xml:\d+:\d+: error: @wit of <lem> points to '#A'", by_id["A"])


def test_a_year_before_the_common_era_is_a_valid_date(tmp_path):
    # DraCor dates an ancient play's premiere <event notBefore="-0497" notAfter="-0405">
    (tmp_path / "tei").mkdir()
    (tmp_path / "edition.toml").write_text('id = "bce"\ntitle = "Ancient"\n', encoding="utf-8")
    body = """<p>Premiered between <date notBefore="-0497" notAfter="-0405">497 and 405 BC</date>,
      revised <date when="20211026">in 2021</date>.</p>"""
    (tmp_path / "tei" / "play.xml").write_text(HEAD.format(title="Play", source="<p>Born digital.</p>", body=body),
                                               encoding="utf-8")
    r = CliRunner().invoke(main, ["validate", str(tmp_path)], catch_exceptions=False)
    dates = [line for line in r.output.splitlines() if line.endswith("[date-iso]")]
    assert len(dates) == 1 and "'20211026'" in dates[0], r.output   # the basic format is not TEI's


def test_the_encoders_indentation_is_no_space_before_the_first_word(built):
    """The first word of a verse line stands where every line's first word stands."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf(built, "edges")), "-"], capture_output=True, text=True,
                         check=True).stdout
    x = {m.group(2): float(m.group(1)) for m in re.finditer(r'<word xMin="([\d.]+)"[^>]*>(\w+)</word>', out)}
    assert abs(x["Indentedword"] - x["Plainword"]) < 0.5, x


def test_a_quotation_and_its_source_are_apart(built):
    assert "sing, goddess, the wrath Homer, Iliad" in html_text(built, "cit")
    assert re.search(r"wrath”\s+Homer, Iliad", pdf_text(built, "cit"))
    # the measure reads them as two parts too
    words = retention.tokens(retention.tei_text(built / "tei" / "cit.xml"))
    assert "wrath" in words and "homer" in words


def test_the_description_of_an_omission_is_printed(built):
    assert "Before [… a damaged passage][omission: Omitted (damage): a damaged passage] after" in html_text(built, "gapdesc")
    assert "Before [… a damaged passage] after" in pdf_text(built, "gapdesc")


def test_one_space_between_readings_that_carry_their_own(built):
    out = subprocess.run(["pdftotext", "-bbox", str(pdf(built, "spaces")), "-"], capture_output=True, text=True,
                         check=True).stdout
    words = [(m.group(3), float(m.group(1)), float(m.group(2))) for m in re.finditer(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', out)]
    at: dict[str, int] = {}
    for i, (w, _, _) in enumerate(words):  # the first: the running text, not the apparatus below
        at.setdefault(re.sub(r"\d+$", "", w), i)  # "beta2": its note mark

    def gap_before(word):
        i = at[word]
        return words[i][1] - words[i - 1][2]
    normal = gap_before("delta")          # "gamma delta": one space
    assert gap_before("beta") < 1.5 * normal, words
    assert gap_before("gamma") < 1.5 * normal, words


def test_every_reading_of_a_choice_of_three(built):
    assert "Die Heilige / Heiliger und und / unt." in pdf_text(built, "choice3")
    page_ = lxml_html.parse(str(page(built, "choice3"))).getroot()
    shown = ["".join(s.itertext()) for s in page_.xpath("//span[@class='tp-alt'][1]/span[@class='tp-corrected']")]
    assert shown == ["Heilige", " / ", "Heiliger"]

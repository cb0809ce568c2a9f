"""Every word of <text> reaches both outputs, in its place, exactly once (issue 10, part A).

One test per construct (a small edition of several generated documents, built once: HTML read
with lxml, PDF with pdftotext), and the retention measure (tests/retention.py) over every
document of ../shared/corpora: ≥ 0.999 of the words in HTML and in PDF, no passage twice.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

import retention
import sitebuild
from teipress.cli import main


def build_html_pdf(root, *options) -> str:
    """Build the HTML and PDF of *root* (SOURCE_DATE_EPOCH fixed, unvalidated: other projects'
    TEI); returns what the build printed."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        r = CliRunner().invoke(main, ["build", str(root), "--no-validate", *options, "--only", "html",
                                      "--only", "pdf"], catch_exceptions=False)
    assert r.exit_code == 0, r.output[-3000:]
    return r.output

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")

HEAD = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>{title}</title>
</titleStmt><publicationStmt><p>Test.</p></publicationStmt><sourceDesc><p>Born digital.</p></sourceDesc>
</fileDesc>{encoding}</teiHeader><text><body>{body}</body></text></TEI>"""

DOCS = {
    "blocks": ("", """<p>Before the quotation <quote><p>quoted paragraph words</p></quote> after it, then
      a list <list><item>listed alpha</item><item>listed beta</item></list> and a table
      <table><row><cell>tabled gamma</cell><cell>tabled delta</cell></row></table> closing words.</p>
      <lg><l>a verse with <list><item>verselisted epsilon</item></list> inside</l></lg>"""),
    "choices": ("", """<p>Der <choice><abbr>Lb.</abbr><expan>Landbote</expan></choice> und die
      <choice><orig>Sprache</orig><reg>Spraache</reg></choice> sowie <choice><sic>teh</sic><corr>the</corr></choice>.</p>"""),
    "transcr": ("", """<p>der <del>so</del> <add>mir</add> so viele <unclear>vielleicht</unclear> und die
      schwier<add>i</add>ge Sache lie<unclear>b</unclear>ens<unclear>würd</unclear>; na<lb break="no"/>
         mentlich <hi rend="underline">unter <del>weg</del> strichen</hi> <del rend="overstrike">doppelt</del>.</p>"""),
    "pointers": ("", """<p>Ich muß meinen gestrigen Brief<ref type="letter" target="K_1568"/> ergänzen,
      siehe <ptr target="https://example.org/x"/> und <milestone unit="section" n="7"/>hier.</p>"""),
    "notes": ("", """<p>Alpha<note n="a">first lettered note</note> beta<note>plain second note</note>
      gamma<note n="*">third starred note</note>.</p>"""),
    "verse": ("", """<lg><l part="I">To be or not</l><l part="F">that is the question</l></lg>
      <p>He said <q>“already quoted”</q> and <q>plain</q>.</p>"""),
    "code": ("", """<p>The energy <formula notation="MathML"><math xmlns="http://www.w3.org/1998/Math/MathML">
      <mi>κ</mi><mo>=</mo><mfrac><mi>ξ</mi><msub><mi>E</mi><mtext>max</mtext></msub></mfrac></math></formula>
      matters.</p>
      <p>Example: <egXML xmlns="http://www.tei-c.org/ns/Examples"><p>an <hi rend="x">example</hi></p></egXML></p>
      <figure><graphic url="pic.png"><desc>a described harbour</desc></graphic>
        <binaryObject mimeType="image/png">iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk</binaryObject></figure>
      <figure><figDesc>an imageless drawing of a lighthouse</figDesc></figure>"""),
    "looks": ("""<encodingDesc><tagsDecl><rendition xml:id="it" scheme="css">font-style: italic;</rendition>
      <rendition xml:id="sp" scheme="css">letter-spacing: 0.2em</rendition></tagsDecl></encodingDesc>""",
              """<p><hi>bare</hi> <hi rend="strong">strong</hi> <hi rend="italics">italics</hi>
      <hi rendition="#it">css</hi> <hi rendition="#aq">antiqua</hi> <hi rend="latintype">latin</hi>
      <hi rendition="#sp">spaced</hi> <hi rend="spaced-out">gesperrt</hi> <hi rend="capitals">caps</hi>
      <hi rend="sup">high</hi> <hi rend="sub">low</hi> <hi rend="wobbly">wobbly</hi> <hi rend="wobbly">again</hi>
      <hi rend="color(red)">red</hi>.</p>"""),
    "looks2": ("", """<p>Another <hi rend="wobbly">wobbly</hi> word.</p>"""),
    "alternatives": ("", """<p>Er kam <choice><seg>gestern</seg><seg>heute</seg></choice> zurück.</p>"""),
    "emphasis": ("", """<p>Plain words and <emph>stressedword</emph> then plain again.</p>"""),
    "apparatus": ("", """<lg><l n="29"><app><lem source="#Heyworth">nam prius e</lem><rdg wit="#O">multa prius</rdg>
      <rdg wit="#S">nulla prius</rdg><rdg wit="#P"/></app> labentur flumina ponto,</l></lg>"""),
}


@pytest.fixture(scope="module")
def constructs(tmp_path_factory):
    root = tmp_path_factory.mktemp("constructs")
    (root / "tei").mkdir()
    for name, (encoding, body) in DOCS.items():
        (root / "tei" / f"{name}.xml").write_text(
            HEAD.format(title=name.capitalize(), encoding=encoding, body=body), encoding="utf-8")
    return root, build_html_pdf(root)


def pdf_of(built, name: str, *args: str) -> str:
    root, _ = built
    pdf = root / "build" / "pdf" / f"{name}.pdf"
    first, last = retention.text_pages(pdf)
    return subprocess.run(["pdftotext", *args, "-f", str(first + 1), "-l", str(last), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def page_of(built, name: str):
    root, _ = built
    return lxml_html.parse(str(root / "build" / "html" / "documents" / f"{name}.html")).getroot()


def text_of(built, name: str) -> str:
    return " ".join(page_of(built, name).xpath("//*[contains(@class, 'tp-text')]")[0].itertext())


def flat(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def test_blocks_inside_a_paragraph_or_line_reach_the_pdf(constructs):
    text = flat(pdf_of(constructs, "blocks"))
    for words in ("quoted paragraph words", "listed alpha", "listed beta", "tabled gamma", "tabled delta",
                  "closing words", "verselisted epsilon"):
        assert words in text, words


def test_both_readings_of_a_choice_in_the_pdf(constructs):
    text = flat(pdf_of(constructs, "choices"))
    assert "Der Landbote und die Spraache" in text
    # the source's abbreviation and spelling, listed after the text; the error in a note as before
    assert "Abbreviations and spellings of the source" in text
    assert re.search(r"\b1 Landbote\] Lb\.", text) and re.search(r"\b1 Spraache\] Sprache", text)
    assert "The source reads “teh”" in text


def test_both_readings_of_a_choice_in_the_html(constructs):
    page = page_of(constructs, "choices")
    assert page.xpath("//*[@class='tp-published' and normalize-space()='Lb.']")
    assert page.xpath("//*[@class='tp-corrected' and normalize-space()='Landbote']")


def test_transcription_marks_in_the_pdf(constructs):
    text = flat(pdf_of(constructs, "transcr"))
    # a deletion struck through (its text kept), an addition in ⟨ ⟩, an unclear reading with (?)
    assert "der so ⟨mir⟩ so viele vielleicht (?)" in text
    # letters added inside a word, and a word broken over a line (break="no"), stay one word
    assert "schwierige" in text and "namentlich" in text and "na mentlich" not in text
    # unclear letters inside a word: dotted underneath, no "(?)" splitting the word
    assert "liebenswürd;" in text
    # a deletion inside an underlined passage: ⟦ ⟧ (PDF/UA-1 forbids nested lines), still built
    assert "⟦weg⟧" in text and "doppelt" in text


def test_transcription_marks_in_the_html(constructs):
    page = page_of(constructs, "transcr")
    assert page.xpath("//del[normalize-space()='so']") and page.xpath("//ins[normalize-space()='mir']")
    assert page.xpath("//*[contains(@class, 'tp-unclear') and normalize-space()='vielleicht']")
    assert "namentlich" in text_of(constructs, "transcr")
    assert page.xpath("//*[contains(@class, 'tp-unclear') and @data-in-word and .='würd']")
    css = (Path(__file__).parent.parent / "teipress" / "static" / "teipress.css").read_text()
    assert ".tp-unclear::after" in css


def test_an_empty_pointer_prints_no_raw_target(constructs):
    pdf = flat(pdf_of(constructs, "pointers"))
    html = flat(text_of(constructs, "pointers"))
    for text in (pdf, html):
        assert "K_1568" not in text and "BriefK" not in text
        assert "gestrigen Brief ergänzen" in text
        assert "https://example.org/x" in text   # a web address is its own label


def test_a_dead_pointer_is_reported(constructs):
    _, output = constructs
    assert "link target 'K_1568' is neither http(s), mailto nor in the edition; it is not shown" in output


def test_a_numbered_milestone_is_a_marker(constructs):
    assert "[section 7]" in flat(pdf_of(constructs, "pointers"))
    page = page_of(constructs, "pointers")
    assert page.xpath("//*[contains(@class, 'tp-milestone') and normalize-space()='[section 7]']")


def test_note_marks_follow_the_notes_own_numbers(constructs):
    text = pdf_of(constructs, "notes")
    assert re.search(r"Alphaa beta2 gamma\*", flat(text))
    assert re.search(r"^a first lettered note", text, re.M)
    assert re.search(r"^\*\s*third starred note", text, re.M)
    page = page_of(constructs, "notes")
    marks = [flat("".join(a.itertext())).strip() for a in page.xpath("//a[@class='tp-noteref']/sup")]
    assert marks == ["a", "2", "*"]
    listed = {li.get("data-label"): flat("".join(li.itertext())) for li in page.xpath("//li[contains(@class, 'tp-note')]")}
    assert "first lettered note" in listed["a"] and "third starred note" in listed["*"]
    assert page.xpath("//li[@data-label='a']/span[@class='tp-note-mark' and .='a']")


def test_half_lines_are_indented(constructs):
    lines = pdf_of(constructs, "verse", "-layout").splitlines()
    first = next(x for x in lines if "To be or not" in x)
    final = next(x for x in lines if "that is the question" in x)
    indent = lambda s: len(s) - len(s.lstrip())  # noqa: E731
    assert indent(final) > indent(first) + 5
    page = page_of(constructs, "verse")
    assert page.xpath("//div[@data-part='F' and contains(., 'that is the question')]")


def test_quotation_marks_are_not_doubled(constructs):
    for text in (flat(pdf_of(constructs, "verse")), flat(text_of(constructs, "verse"))):
        assert "““" not in text and "””" not in text and "“already quoted”" in text
    assert "“plain”" in flat(pdf_of(constructs, "verse"))


def constructs_math(page) -> bool:
    """The page shows the formula as MathML: κ = ξ over E with max below."""
    return bool(page.xpath("//math[mi='κ' and mo='=']/mfrac[mi='ξ']/msub[mi='E' and mtext='max']"))


def test_mathml_egxml_and_binary_objects(constructs):
    pdf = flat(pdf_of(constructs, "code"))
    html = flat(text_of(constructs, "code"))
    import unicodedata
    for token in ("κ", "ξ", "max"):  # MathML: typeset (the PDF's math letters are italic forms of them)
        assert token in unicodedata.normalize("NFKC", pdf), token
    assert constructs_math(page_of(constructs, "code"))
    for text in (pdf, html):
        assert '<p>an <hi rend="x">example</hi></p>' in text  # egXML: the markup as code
        assert "iVBORw0KGgo" not in text      # binaryObject: never printed
        assert "a described harbour" in text or text is html  # graphic/desc: the PDF's figure mark
        assert "an imageless drawing of a lighthouse" in text
    page = page_of(constructs, "code")
    assert page.xpath("//pre[contains(@class, 'tp-egXML')]/code")
    assert page.xpath("//img[@alt='a described harbour'] | //*[contains(., 'a described harbour')]")


def test_rend_and_rendition_are_visible_in_html(constructs):
    page = page_of(constructs, "looks")
    looks = {flat("".join(e.itertext())).strip(): e.get("data-looks") for e in page.xpath("//*[@data-looks]")}
    assert looks["bare"] == "italic" and looks["strong"] == "bold" and looks["italics"] == "italic"
    assert looks["css"] == "italic" and looks["spaced"] == "spaced" and looks["gesperrt"] == "spaced"
    assert looks["antiqua"] == "latintype" and looks["latin"] == "latintype"
    assert looks["caps"] == "capitals" and looks["high"] == "sup" and looks["low"] == "sub"
    assert looks["wobbly"] == "other" and looks["red"] == "other"
    css = (Path(__file__).parent.parent / "teipress" / "static" / "teipress.css").read_text()
    for look in ("italic", "bold", "sup", "sub", "smallcaps", "capitals", "spaced", "latintype", "underline",
                 "strike", "other"):
        assert f'[data-looks~="{look}"]' in css


def test_rend_and_rendition_are_visible_in_pdf(constructs):
    root, _ = constructs
    pdf = root / "build" / "pdf" / "looks.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "LibertinusSerif-Bold" in fonts and "LibertinusSerif-Italic" in fonts
    assert "NotoSans-Regular" in fonts  # latintype: a sans face, as in the HTML
    text = flat(pdf_of(constructs, "looks"))
    # every word kept; spaced-out letters still read as one word; capitals as capitals
    for word in ("bare", "strong", "italics", "css", "antiqua", "spaced", "gesperrt", "CAPS", "wobbly", "red"):
        assert word in text, word


def test_an_unknown_rend_value_is_warned_once(constructs):
    _, output = constructs
    assert output.count("rend value 'wobbly' is not in the rend vocabulary") == 1
    assert output.count("rend value 'color(red)' is not in the rend vocabulary") == 1


def test_a_basic_apparatus(constructs):
    """The lemma is the text; the readings with their sigla are the apparatus (tests/test_apparatus.py
    has the rest)."""
    text = flat(pdf_of(constructs, "apparatus"))
    assert re.search(r"nam prius e labentur flumina ponto", text)
    assert re.search(r"29 nam prius e Heyworth\] multa prius O; nulla prius S; om\. P", text)
    html = flat(text_of(constructs, "apparatus"))
    entry = flat("".join(page_of(constructs, "apparatus").xpath("//*[contains(@class, 'tp-apparatus-section')]")[0].itertext()))
    assert "nam prius e labentur" in html and "multa prius" not in html
    assert "29 nam prius e Heyworth] multa prius O; nulla prius S; om. P" in entry


def test_the_measure_counts_what_is_lost():
    """The measure itself: a lost word lowers retention; a doubled passage is found."""
    tei = Counter("a b c d".split())
    assert retention.retention(tei, Counter("a b c".split())) == 0.75
    seq = "one two three four five six seven eight nine".split()
    assert retention.doubled(seq, seq + seq[:8]) == ["one two three four five six seven eight"]
    assert retention.doubled(seq, seq) == []
    assert retention.dehyphenate("schwie-\nrige Sache", {"schwierige"}) == "schwierige Sache"
    assert retention.dehyphenate("well-\nknown", {"well", "known"}) == "well-\nknown"
    assert retention.output_tokens("Briefes12 nicht", {"briefes", "nicht"}) == ["briefes", "nicht"]


def test_the_measure_reads_tei_as_the_edition_prints_it(tmp_path):
    tei = tmp_path / "t.xml"
    tei.write_text(HEAD.format(title="T", encoding="", body="""<p>na<lb break="no"/>
        mentlich <choice><abbr>u.</abbr><expan>und</expan></choice><note>eine Anmerkung</note>
        Wann<space/>sehn <binaryObject>AAAA</binaryObject></p>""").replace(
        "</body>", "</body><back><listPerson><person><persName>Register Name</persName></person></listPerson></back>"),
        encoding="utf-8")
    words = retention.tokens(retention.tei_text(tei))
    assert words == ["namentlich", "u", "und", "wann", "sehn", "eine", "anmerkung"]


# ---- every document of ../shared/corpora

@pytest.fixture(scope="module")
def corpora(shared):
    return sitebuild.corpora_build()  # the same build test_corpora_build.py reads


def test_every_corpus_document_keeps_its_words_once(corpora):
    from teipress.edition import load

    problems = []
    docs = load(corpora).documents
    assert len(docs) >= 40
    for doc in docs:
        m = retention.Measure(corpora / "tei" / doc.rel)
        if not m.tei:
            continue
        outputs = {"HTML": m.html(corpora / "build" / "html" / "documents" / f"{doc.id}.html"),
                   "PDF": m.pdf(corpora / "build" / "pdf" / f"{doc.id}.pdf")}
        for kind, seq in outputs.items():
            ratio, gaps, twice = m.score(seq)
            if ratio < 0.999:
                problems.append(f"{doc.rel} {kind}: {ratio:.4f}, lacks {gaps}")
            if twice:
                problems.append(f"{doc.rel} {kind}: printed twice: {twice[:3]}")
    assert not problems, "\n".join(problems)


def test_emph_is_italic_in_both_outputs(constructs):
    from pypdf import PdfReader

    page = page_of(constructs, "emphasis")
    assert [e.text for e in page.iter("em")] == ["stressedword"]
    root, _ = constructs
    fonts = {}

    def seen(text, cm, tm, font, size):
        if text.strip():
            fonts[text.strip()] = (font or {}).get("/BaseFont", "")

    for pdf_page in PdfReader(str(root / "build" / "pdf" / "emphasis.pdf")).pages:
        pdf_page.extract_text(visitor_text=seen)
    italic = [t for t, f in fonts.items() if "stressedword" in t]
    assert italic and all("Italic" in fonts[t] for t in italic), {t: fonts[t] for t in italic}
    plain = [t for t in fonts if "Plain words" in t]
    assert plain and "Italic" not in fonts[plain[0]]


def test_both_of_two_equal_readings_are_in_the_pdf(constructs):
    """A choice of two plain readings (no sic, orig, abbr): the text shows one, the list of
    readings after the text the other, so neither is lost."""
    text = flat(pdf_of(constructs, "alternatives"))
    assert "heute" in text and "gestern" in text
    root, _ = constructs
    whole = subprocess.run(["pdftotext", str(root / "build" / "pdf" / "alternatives.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    assert "Alternative readings" in whole or "ALTERNATIVE READINGS" in whole.upper()

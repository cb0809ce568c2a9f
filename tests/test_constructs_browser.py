"""What a reader sees of each construct (issue 10), asserted in a real browser (chromium) for the
HTML and on the PDF's pages (word positions from `pdftotext -bbox`, fonts from `pdffonts`, and
pixels of the rendered page) for the PDF.  The DOM tests elsewhere say which element a construct
becomes; these say that it looks different from the text around it, where an edition prints it."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import MINI_PERSONS, PROLOG, SCHEMA
from lxml import etree
from sitebuild import build_edition

from browser import serve_dir

DOC = PROLOG + """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="mini" xml:lang="en">
<teiHeader><fileDesc><titleStmt><title>Constructs</title></titleStmt>
<publicationStmt><publisher>teipress tests</publisher></publicationStmt>
<sourceDesc><p>Born digital.</p></sourceDesc></fileDesc></teiHeader>
<text><body><div xml:id="d1"><head>Constructs</head>
<p xml:id="p1">Plain words then <hi rend="italic">slanted</hi>, <hi rend="bold">heavy</hi>,
 <hi rend="smallcaps">small capitals</hi>, <hi rend="spaced">spaced out</hi>,
 <hi rend="latintype">Antiqua</hi>, <hi rend="capitals">upper</hi>, <hi rend="sup">raised</hi>,
 <hi rend="wobbly">unknown</hi>.</p>
<p xml:id="p2">The writer <del>struckword</del> <add>addedword</add> and <unclear>doubtful</unclear> and
 <supplied>supplied</supplied> and <gap reason="illegible"/> then <gap reason="damage"><desc>tornaway corner</desc></gap> and<pb n="7" xml:id="pb7"/> a new page
 with <fw type="catch">Catchword</fw> in it and more words to fill the line of text here.</p>
<p xml:id="p3">Margin here<note place="margin" xml:id="nm">glossmargin</note> and a line
 note<note place="inline" xml:id="ni">saidinline</note> and a footnote<note xml:id="nf">atthefoot</note>
 and an end<note place="end" xml:id="ne">endnoteword</note> here: words to fill the line out further.</p>
<p xml:id="p4">Energy <formula notation="MathML" rend="display"><math xmlns="http://www.w3.org/1998/Math/MathML"><mi>κ</mi><mo>=</mo><mfrac><mi>ξ</mi><msub><mi>E</mi><mtext>max</mtext></msub></mfrac></math></formula> and
 <formula notation="MathML"><math xmlns="http://www.w3.org/1998/Math/MathML"><msup><mi>β</mi><mn>2</mn></msup><mo>-</mo><mn>1</mn></math></formula> inline.</p>
<lg><l xml:id="l1" part="I">First half</l><l xml:id="l2" part="F">second half</l><l xml:id="l3">A whole line</l></lg>
<closer xml:id="cl">Greetings<lb/>Yours<lb/><signed>Karl</signed></closer>
</div>
<div xml:id="d2"><castList><castItem><role>Claudio</role>, <roleDesc>ein Edelmann</roleDesc>.</castItem>
  <castGroup><castItem>Die Mutter,</castItem><castItem>Eine Geliebte,</castItem><roleDesc>Tote.</roleDesc></castGroup></castList>
<msDesc><msIdentifier><settlement>Cambridge</settlement><idno>B 55</idno></msIdentifier>
  <physDesc><p>Schwarze Tinte.</p></physDesc></msDesc>
<figure xml:id="fig"><graphic url="img/shape.svg"/><figDesc>A grey shape</figDesc></figure>
</div></body></text></TEI>
"""
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#888"/></svg>'



@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("constructs") / "edition"
    (root / "tei" / "schema").mkdir(parents=True)
    shutil.copy(SCHEMA, root / "tei" / "schema" / "teipress.xsd")
    (root / "tei" / "mini.xml").write_text(DOC, encoding="utf-8")
    (root / "tei" / "persons.xml").write_text(MINI_PERSONS, encoding="utf-8")
    (root / "tei" / "img").mkdir()
    (root / "tei" / "img" / "shape.svg").write_text(SVG, encoding="utf-8")
    out = root.parent / "out"
    build_edition(root, out, only={"html", "pdf"})
    return out


# ---- HTML, in chromium

@pytest.fixture(scope="module")
def doc(built, browser):
    with serve_dir(built / "html") as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(url + "/documents/mini.html")
        yield page
        context.close()


def style(page, selector: str, prop: str, pseudo: str | None = None) -> str:
    return page.eval_on_selector(selector, f"(e, p) => getComputedStyle(e, {pseudo!r} || null)[p]"
                                 if pseudo else "(e, p) => getComputedStyle(e)[p]", prop)


def box(page, selector: str) -> dict:
    return page.eval_on_selector(selector, "e => { const r = e.getBoundingClientRect(); "
                                 "return {x: r.x, y: r.y, w: r.width, h: r.height}; }")


def test_hi_renditions_are_visible(doc):
    hi = '#p1 .tp-hi[data-rend="{}"]'.format
    assert style(doc, hi("italic"), "fontStyle") == "italic"
    assert int(style(doc, hi("bold"), "fontWeight")) >= 600
    assert style(doc, hi("smallcaps"), "fontVariantCaps") == "small-caps"
    assert style(doc, hi("spaced"), "letterSpacing") not in ("normal", "0px")
    assert style(doc, hi("capitals"), "textTransform") == "uppercase"
    assert style(doc, hi("sup"), "verticalAlign") == "super"
    # Antiqua in a Fraktur print: another face than the text's
    assert "sans" in style(doc, hi("latintype"), "fontFamily")
    assert style(doc, "#p1", "fontFamily") != style(doc, hi("latintype"), "fontFamily")
    # an unknown rend value is marked neutrally, not dropped
    assert "underline" in style(doc, hi("wobbly"), "textDecorationLine")


def test_transcription_marks_are_visible(doc):
    assert "line-through" in style(doc, "#p2 .tp-del", "textDecorationLine")
    assert "underline" in style(doc, "#p2 .tp-add", "textDecorationLine")
    assert "(?)" in style(doc, "#p2 .tp-unclear", "content", "::after")
    assert doc.inner_text("#p2 .tp-supplied") == "[supplied]"
    assert doc.inner_text("#p2 .tp-gap [aria-hidden] >> nth=0") == "[…]"
    # the editors' description of what is missing, after the mark, in italics
    described = doc.locator("#p2 .tp-gap [aria-hidden]").nth(1)
    assert described.inner_text() == "[… tornaway corner]"
    assert described.locator("i").evaluate("e => getComputedStyle(e).fontStyle") == "italic"


def test_page_break_stands_in_the_left_margin(doc):
    pb, text = box(doc, "#pb7"), box(doc, "#p2")
    assert doc.inner_text("#pb7") == "[p. 7]"
    assert pb["x"] + pb["w"] <= text["x"] + 1, (pb, text)


def test_forme_work_is_a_smaller_label(doc):
    assert float(style(doc, "#p2 .tp-fw", "fontSize").rstrip("px")) < float(style(doc, "#p2", "fontSize").rstrip("px"))


def test_margin_note_beside_the_text_inline_note_in_brackets_in_the_line(doc):
    para, margin = box(doc, "#p3"), box(doc, "#nm")
    # beside the paragraph, at its right, level with the line it belongs to
    assert margin["x"] > para["x"] + para["w"] / 2, (margin, para)
    assert abs(margin["y"] - para["y"]) < 30
    inline = box(doc, "#ni")
    assert para["y"] <= inline["y"] < para["y"] + para["h"]
    assert doc.inner_text("#ni").startswith("[") and doc.inner_text("#ni").endswith("]")
    # neither is in the notes list; the footnote and the endnote are
    notes = doc.inner_text("ol.tp-notes")
    assert "atthefoot" in notes and "endnoteword" in notes
    assert "glossmargin" not in notes and "saidinline" not in notes


def test_half_lines_continue_where_the_first_half_ended(doc):
    second, whole = box(doc, "#l2"), box(doc, "#l3")
    assert second["x"] > whole["x"] + 20, (second, whole)


def test_closer_keeps_its_lines(doc):
    lines = doc.eval_on_selector("#cl", "e => e.innerText")
    assert [s.strip() for s in lines.splitlines() if s.strip()][:3] == ["Greetings", "Yours", "Karl"]


def test_mathml_is_typeset_as_mathematics(doc):
    display, inline = doc.locator("#p4 math").nth(0), doc.locator("#p4 math").nth(1)
    assert display.get_attribute("display") == "block" and inline.get_attribute("display") == "inline"
    over, under = (doc.locator("#p4 mfrac > *").nth(i).bounding_box() for i in (0, 1))
    assert over["y"] + over["height"] <= under["y"] + 1  # a fraction: ξ above E_max
    base, sub = (doc.locator("#p4 msub > *").nth(i).bounding_box() for i in (0, 1))
    assert sub["x"] >= base["x"] + base["width"] - 1 and sub["y"] > base["y"]  # "max" lowered after E
    assert style(doc, "#p4 mi", "textTransform") == "math-auto"  # one letter: italic


def test_cast_group_members_left_of_their_shared_description(doc):
    members, shared = box(doc, ".tp-cast-members"), box(doc, ".tp-cast-shared")
    assert members["x"] + members["w"] <= shared["x"] and shared["y"] >= members["y"] - 1
    assert doc.inner_text(".tp-cast-shared").strip() == "Tote."
    assert style(doc, ".tp-cast-members", "borderRightStyle") == "solid"  # the brace


def test_manuscript_description_labels_beside_their_values(doc):
    field = doc.locator(".tp-ms-desc .tp-field").first
    label, value = field.locator(".tp-field-label").bounding_box(), field.locator(".tp-field-value").bounding_box()
    assert label["x"] + label["width"] <= value["x"] and abs(label["y"] - value["y"]) < 8


def test_image_is_shown_with_its_description(doc):
    img = doc.locator("figure img").first
    assert img.evaluate("i => i.complete && i.naturalWidth") == 40
    assert img.get_attribute("alt") == "A grey shape"


def test_narrow_screen_margin_note_is_a_block_in_the_text(built, browser):
    with serve_dir(built / "html") as url:
        context = browser.new_context(viewport={"width": 375, "height": 800})
        page = context.new_page()
        page.goto(url + "/documents/mini.html")
        para, margin = box(page, "#p3"), box(page, "#nm")
        assert style(page, "#nm", "float") == "none"
        assert margin["x"] >= para["x"] and margin["x"] + margin["w"] <= para["x"] + para["w"] + 1
        context.close()


# ---- PDF: positions, fonts, pixels

def words(pdf: Path) -> list[dict]:
    """Every word of the PDF with its page and box (pdftotext -bbox)."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True).stdout
    root = etree.fromstring(xml, etree.XMLParser(recover=True))
    out = []
    for n, page in enumerate(root.iter("{*}page"), 1):
        for w in page.iter("{*}word"):
            out.append({"page": n, "text": w.text or "", "width": float(page.get("width")),
                        **{k: float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")}})
    return out


def word(ws: list[dict], text: str) -> dict:
    found = [w for w in ws if w["text"] == text]
    assert found, f"{text!r} is not on any page"
    return found[0]


@pytest.fixture(scope="module")
def pdf_words(built):
    return words(built / "pdf" / "mini.pdf")


def text_block(ws: list[dict], page: int) -> tuple[float, float]:
    """Left and right edge of the running text on *page* (the paragraphs' words)."""
    body = [w for w in ws if w["page"] == page and w["text"] in ("Plain", "words", "writer", "Margin", "fill")]
    return min(w["xMin"] for w in body), max(w["xMax"] for w in body)


def test_pdf_margin_note_in_the_margin_inline_note_in_the_line(pdf_words):
    gloss, here = word(pdf_words, "glossmargin"), word(pdf_words, "here")
    left, right = text_block(pdf_words, here["page"])
    assert gloss["page"] == here["page"]
    assert gloss["xMin"] > right or gloss["xMax"] < left, (gloss, left, right)
    inline, note = word(pdf_words, "note[saidinline]"), word(pdf_words, "Margin")
    assert inline["page"] == note["page"] and abs(inline["yMin"] - note["yMin"]) < 2  # in the line


def test_pdf_footnote_at_the_foot_endnote_after_the_text(pdf_words):
    foot, end, last = word(pdf_words, "atthefoot"), word(pdf_words, "endnoteword"), word(pdf_words, "Karl")
    assert foot["yMin"] > last["yMin"]  # the page's foot, below the text's last line
    assert (end["page"], end["yMin"]) > (last["page"], last["yMin"])  # after the text


def test_pdf_page_break_in_the_margin(pdf_words):
    mark = word(pdf_words, "7]")
    left, right = text_block(pdf_words, mark["page"])
    assert mark["xMin"] > right or mark["xMax"] < left


def test_pdf_gap_with_its_description(built):
    text = subprocess.run(["pdftotext", str(built / "pdf" / "mini.pdf"), "-"], check=True, capture_output=True, text=True).stdout
    assert "[… tornaway corner]" in " ".join(text.split())


def test_pdf_latintype_in_a_sans_face(built):
    fonts = subprocess.run(["pdffonts", str(built / "pdf" / "mini.pdf")], check=True, capture_output=True, text=True).stdout
    assert "NotoSans-Regular" in fonts, fonts


def gray_page(pdf: Path, page: int, dpi: int, tmp: Path) -> tuple[int, int, bytes]:
    """One page rendered by pdftoppm as an 8-bit grey image (PGM): width, height, pixels."""
    base = tmp / f"page{page}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-gray", "-singlefile",
                    str(pdf), str(base)], check=True)
    data = base.with_suffix(".pgm").read_bytes()
    magic, w, h, maxval, pixels = data.split(maxsplit=4)
    assert magic == b"P5" and maxval == b"255"
    return int(w), int(h), pixels


def test_pdf_deletion_is_struck_through(built, pdf_words, tmp_path):
    """Pixels: one unbroken dark run crosses the whole struck word; in a plain word every row
    is broken between the letters."""
    dpi = 200
    s = dpi / 72

    def widest_ink_row(w: dict) -> float:
        width, _h, px = gray_page(built / "pdf" / "mini.pdf", w["page"], dpi, tmp_path)
        x0, x1 = int(w["xMin"] * s), int(w["xMax"] * s)
        rows = range(int(w["yMin"] * s), int(w["yMax"] * s))
        def longest_run(y: int) -> int:
            best = run = 0
            for x in range(x0, x1):
                run = run + 1 if px[y * width + x] < 128 else 0
                best = max(best, run)
            return best
        return max(longest_run(y) for y in rows) / (x1 - x0)

    assert widest_ink_row(word(pdf_words, "struckword")) > 0.9
    assert widest_ink_row(word(pdf_words, "writer")) < 0.5


def test_pdf_mathml_is_typeset(built, pdf_words):
    """The formula's tokens are on the page, the fraction's numerator above its denominator."""
    import unicodedata
    text = unicodedata.normalize("NFKC", subprocess.run(["pdftotext", str(built / "pdf" / "mini.pdf"), "-"],
                                                        check=True, capture_output=True, text=True).stdout)
    for token in ("κ", "ξ", "max", "β", "2", "−"):
        assert token in text, token
    norm = [{**w, "text": unicodedata.normalize("NFKC", w["text"])} for w in pdf_words]
    xi = next(w for w in norm if w["text"] == "ξ")
    e_max = next(w for w in norm if w["text"].endswith("max"))
    assert xi["yMax"] <= e_max["yMin"] + 1


def test_constructs_page_passes_nu_and_axe(built, doc):
    """The page with every construct above (MathML, margin notes …) is valid HTML and accessible."""
    from checkers import axe, nu_errors

    errors = nu_errors([built / "html" / "documents" / "mini.html"])
    assert not errors, "\n".join(errors)
    problems = axe(doc, "constructs")
    assert not problems, "\n".join(problems)

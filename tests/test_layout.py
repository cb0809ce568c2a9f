"""Layout of structured constructs (issue 10 B): letters, cast lists, manuscript descriptions,
forme work, images, and the scripts the PDF sets (Hangul, Hebrew, Arabic, Devanagari, emoji)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import MINI_DOC, MINI_PERSONS, SCHEMA, line_of
from lxml import html as lxml_html
from sitebuild import build_edition

from teipress import edition
from teipress.commands import build
from teipress.outputs import fonts

P1 = '<p xml:id="p1"><persName ref="persons.xml#anna">Anna</persName> wrote from'


def with_text(body: str) -> str:
    """MINI_DOC with *body* after its first paragraph."""
    return MINI_DOC.replace("</div>\n    </body>", body + "\n      </div>\n    </body>")


def pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def page(out: Path):
    return lxml_html.parse(str(out / "html" / "mini.html")).getroot()


# ---- scripts

SCRIPTS = {"Hangul": "한국어 조선", "Hebrew": "שלום עולם", "Arabic": "السلام عليكم",
           "Devanagari": "नमस्ते दुनिया", "emoji": "\N{GRINNING FACE}\N{PARTY POPPER}"}


def test_pdf_sets_hangul_hebrew_arabic_devanagari_and_emoji(make_edition, tmp_path):
    paras = "".join(f'<p xml:lang="und">{name}: {s}</p>' for name, s in SCRIPTS.items())
    root = make_edition(doc=with_text(paras))
    build_edition(root, tmp_path / "out", only={"pdf"})
    pdf = tmp_path / "out" / "pdf" / "mini.pdf"
    text = pdftotext(pdf)
    for word in ("한국어", "조선", "नमस्ते"):
        assert word in text, word
    # right-to-left words come out of pdftotext in either order; the letters must be there
    for word in ("שלום", "עולם"):
        assert word in text or word[::-1] in text, word
    assert "عليكم" in text or "السلام" in text
    assert "\N{GRINNING FACE}" in text
    used = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    for face in ("NotoSansCJK", "NotoSansArabic", "NotoSansDevanagari", "NotoEmoji"):
        assert face in used, used
    for line in used.splitlines()[2:]:
        assert line.split()[-5] == "yes", line  # every font embedded


def test_font_packages_are_installed_with_make():
    dirs = fonts.font_dirs()
    assert len(dirs) == 2 and all(d.is_dir() for d in dirs)
    have = fonts.covered()
    for ch in "한ש ع न\N{GRINNING FACE}" + fonts.REPLACEMENT:
        assert ch == " " or ord(ch) in have, ch
    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text()
    lock = (Path(__file__).resolve().parent.parent / "requirements.lock").read_text()
    for pkg in ("manimgx-fonts==", "manimgx-fonts-cjk=="):
        assert pkg in pyproject and pkg in lock


def test_a_character_no_font_covers_is_a_warning_and_a_box(make_edition, tmp_path):
    linear_a = "\U00010600"
    assert fonts.uncovered("a" + linear_a) == [linear_a]
    doc = with_text(f"<p>Before {linear_a} after.</p>")
    root = make_edition(doc=doc)
    logged = []
    build.run(edition.load(root), tmp_path / "out", only={"pdf"}, log=logged.append)
    warns = [m for m in logged if "U+10600" in m]
    line = line_of(doc, linear_a)
    assert len(warns) == 1 and f"mini.xml:{line}: warning:" in warns[0], logged
    text = " ".join(pdftotext(tmp_path / "out" / "pdf" / "mini.pdf").split())
    assert f"Before {fonts.REPLACEMENT} after." in text


# ---- letters, cast lists, manuscript descriptions, forme work, images: one edition, built once

def png(width: int, height: int) -> bytes:
    """A small grey PNG made here (no image library needed)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#888"/></svg>'

STRUCTURES = """
<div type="letter" xml:id="lt">
  <opener><dateline>Wien, 31. Dezember 1892</dateline>
    <salute>Lieber Freund,</salute></opener>
  <p>ich schreibe Ihnen <fw type="catch">Catchword</fw> heute noch einmal.</p>
  <closer>Herzlichste Grüße!<lb/>Prost Neujahr!<lb/>Ihr sehr ergeb.<lb/><signed>Karl Kraus</signed></closer>
  <postscript><p>Meine Adresse ist neu.</p></postscript>
  <postscript><p>P.S. Noch etwas.</p></postscript>
  <address><addrLine>Maximilianstraße 13</addrLine><addrLine>1010 Wien</addrLine></address>
</div>
<div type="cast" xml:id="cl">
  <castList><head>Personen.</head>
    <castItem><role>Claudio</role>, <roleDesc>ein Edelmann</roleDesc>.</castItem>
    <castGroup>
      <castItem>Claudios Mutter,</castItem>
      <castItem>Eine Geliebte,</castItem>
      <roleDesc>Tote.</roleDesc>
    </castGroup>
  </castList>
</div>
<div type="ms" xml:id="ms">
  <msDesc><msIdentifier><settlement>Cambridge</settlement><repository>University Library</repository>
    <idno>Schnitzler B 55</idno></msIdentifier>
    <msContents><p>Eine Karte.</p></msContents><physDesc><p>Schwarze Tinte.</p></physDesc>
    <history><p>Aus dem Nachlass.</p></history></msDesc>
</div>
<div type="figures" xml:id="fg">
  <figure><graphic url="img/grey.png" width="200px"/><figDesc>A grey square</figDesc></figure>
  <figure><graphic url="img/shape.svg"/><figDesc>A grey shape</figDesc></figure>
  <figure><graphic url="img/gone.png"/><figDesc>A lost drawing</figDesc></figure>
  <figure><graphic url="img/notes.txt"/><figDesc>Not an image</figDesc></figure>
  <figure><graphic url="https://example.org/remote.png"/><figDesc>A remote picture</figDesc></figure>
  <p>Text with <graphic url="img/grey.png"/> an image.</p>
</div>"""


@pytest.fixture(scope="module")
def structures(tmp_path_factory):
    """The mini edition with every construct above, built (HTML and PDF) once; the log kept."""
    root = tmp_path_factory.mktemp("layout") / "edition"
    (root / "tei" / "schema").mkdir(parents=True)
    (root / "tei" / "img").mkdir()
    shutil.copy(SCHEMA, root / "tei" / "schema" / "teipress.xsd")
    doc = with_text(STRUCTURES)
    (root / "tei" / "mini.xml").write_text(doc, encoding="utf-8")
    (root / "tei" / "persons.xml").write_text(MINI_PERSONS, encoding="utf-8")
    (root / "tei" / "img" / "grey.png").write_bytes(png(30, 20))
    (root / "tei" / "img" / "shape.svg").write_bytes(SVG)
    (root / "tei" / "img" / "notes.txt").write_text("not an image")
    out = root.parent / "out"
    logged: list[str] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1767225600")
        build.run(edition.load(root), out, log=logged.append)
    return {"out": out, "log": logged, "doc": doc, "html": lxml_html.parse(str(out / "html" / "documents" / "mini.html")).getroot(),
            "pdf": out / "pdf" / "mini.pdf"}


def flat(s: str) -> str:
    return " ".join(s.split())


def pdf_text(structures, *args) -> str:
    return pdftotext(structures["pdf"], *args)


def test_letter_html(structures):
    h = structures["html"]
    assert h.xpath("//div[contains(@class,'tp-dateline')]")[0].text_content().startswith("Wien")
    assert h.xpath("//div[contains(@class,'tp-opener')]/div[contains(@class,'tp-salute')]")
    closer = h.xpath("//div[contains(@class,'tp-closer')]")[0]
    assert len(closer.xpath("br")) == 3  # the source's lines stay lines, not spaces
    assert closer.xpath("div[contains(@class,'tp-signed')]")[0].text_content() == "Karl Kraus"
    ps = h.xpath("//div[contains(@class,'tp-postscript')]")
    assert [p.xpath("string(span[@class='tp-supplied-label'])") for p in ps] == ["P.S.", ""]
    assert [a.text_content() for a in h.xpath("//div[contains(@class,'tp-address-line')]")] == [
        "Maximilianstraße 13", "1010 Wien"]
    css = (structures["out"] / "html" / "static" / "teipress.css").read_text()
    assert ".tp-dateline { text-align: right; }" in css and ".tp-signed { text-align: right; }" in css


def test_letter_pdf(structures):
    text = pdf_text(structures, "-layout")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    # the closer's lines are lines, the dateline and signature stand to the right
    for want in ("Herzlichste Grüße!", "Prost Neujahr!", "Ihr sehr ergeb."):
        assert any(ln.strip() == want for ln in lines), want
    date = next(ln for ln in lines if "Wien, 31. Dezember 1892" in ln)
    salute = next(ln for ln in lines if "Lieber Freund," in ln)
    signed = next(ln for ln in lines if "Karl Kraus" in ln)
    assert date.index("Wien") > 20 and signed.index("Karl") > 20 and salute.index("Lieber") < 12
    assert "P.S. Meine Adresse ist neu." in flat(text) and "P.S. P.S." not in flat(text)
    assert any(ln.strip() == "1010 Wien" for ln in lines)


def test_cast_list_html_and_pdf(structures):
    h = structures["html"]
    cast = h.xpath("//div[contains(@class,'tp-cast-list')]")[0]
    assert cast.xpath("string(.//span[@class='tp-role'])") == "Claudio"
    assert cast.xpath("string(.//span[@class='tp-roleDesc'])") == "ein Edelmann"
    group = cast.xpath(".//div[contains(@class,'tp-cast-group')]")[0]
    members = group.xpath("div[@class='tp-cast-members']//div[contains(@class,'tp-cast-item')]")
    assert [m.text_content() for m in members] == ["Claudios Mutter,", "Eine Geliebte,"]
    assert group.xpath("string(div[@class='tp-cast-shared'])").strip() == "Tote."
    text = pdf_text(structures, "-layout")
    # the shared description beside the group (on a line of a member), not below it
    assert any("Tote." in ln and ("Mutter" in ln or "Geliebte" in ln) for ln in text.splitlines()), text
    assert "Claudio, ein Edelmann." in flat(pdf_text(structures)) or "CLAUDIO, ein Edelmann." in flat(pdf_text(structures))


def test_ms_desc_labelled_fields(structures):
    h = structures["html"]
    fields = h.xpath("//div[contains(@class,'tp-ms-desc')]/div[contains(@class,'tp-field')]")
    got = [(f.xpath("string(span[@class='tp-field-label'])"), flat(f.xpath("string(div[@class='tp-field-value'])").replace("Permalink to this passage¶", "")))
           for f in fields]
    assert got[:3] == [("Place", "Cambridge"), ("Repository", "University Library"), ("Shelfmark", "Schnitzler B 55")]
    assert ("Physical description", "Schwarze Tinte.") in got and ("History", "Aus dem Nachlass.") in got
    text = pdf_text(structures, "-layout")
    assert any("Repository" in ln and "University Library" in ln for ln in text.splitlines())
    assert any("Physical description" in ln and "Schwarze Tinte." in ln for ln in text.splitlines())


def test_fw_is_a_label_beside_the_sentence(structures):
    h = structures["html"]
    fw = h.xpath("//span[@class='tp-fw']")[0]
    assert fw.text_content() == "Catchword" and fw.get("data-type") == "catch"
    # in the PDF the sentence runs on without it; the catchword stands in the margin
    text = pdf_text(structures, "-layout")
    line = next(ln for ln in text.splitlines() if "ich schreibe Ihnen" in ln)
    assert "Ihnen heute noch einmal." in " ".join(line.replace("Catchword", " ").split())
    assert line.index("Catchword") > line.index("einmal.")


def test_images_html(structures):
    h, out = structures["html"], structures["out"]
    imgs = h.xpath("//img[contains(@src,'img/')]")
    srcs = [i.get("src") for i in imgs]
    assert srcs.count("../tei/img/grey.png") == 2 and "../tei/img/shape.svg" in srcs
    grey = next(i for i in imgs if i.get("alt") == "A grey square")
    assert grey.get("width") == "200"
    assert (out / "html" / "tei" / "img" / "grey.png").read_bytes() == png(30, 20)
    missing = h.xpath("//span[contains(@class,'tp-image-missing')]")
    assert [flat(m.text_content()) for m in missing] == [
        "[image img/gone.png not shown: A lost drawing]", "[image img/notes.txt not shown: Not an image]"]
    assert h.xpath("//a[@href='https://example.org/remote.png']")
    # the description of a shown image is visible words as well as its alt text
    assert h.xpath("//p[@class='tp-figdesc'][.='A grey square']")
    assert not (out / "html" / "tei" / "img" / "gone.png").exists()
    # one warning each, naming file:line
    doc = structures["doc"]
    for name, why in (("gone.png", "is missing"), ("notes.txt", "is not PNG, JPEG, GIF or SVG")):
        warns = [m for m in structures["log"] if name in m]
        assert len(warns) == 1 and f"mini.xml:{line_of(doc, name)}: image 'img/{name}' {why}" in warns[0], warns


def test_images_pdf(structures):
    listing = subprocess.run(["pdfimages", "-list", str(structures["pdf"])], check=True,
                             capture_output=True, text=True).stdout.splitlines()[2:]
    assert sum(1 for ln in listing if ln.split()[3:5] == ["30", "20"]) >= 1, listing  # the PNG, embedded
    text = flat(pdf_text(structures))
    for alt in ("A lost drawing", "Not an image", "A remote picture"):
        assert f"[Figure: {alt}]" in text
    assert "A grey square" in text and "A grey shape" in text  # printed under the image
    assert "example.org" not in text or "remote.png" not in text.replace("https://example.org/remote.png", "")


def test_ms_desc_in_the_source_description_is_labelled_fields(make_edition, tmp_path):
    root = make_edition(replace=[("<sourceDesc><p>Born digital.</p></sourceDesc>", """<sourceDesc><msDesc>
      <msIdentifier><settlement>Cambridge</settlement><repository>University Library</repository><idno>Schnitzler, B 55</idno></msIdentifier>
      <physDesc><p>One card, black ink.</p></physDesc><history/></msDesc></sourceDesc>""")])
    build_edition(root, tmp_path / "out", only={"html"})
    h = lxml_html.parse(str(tmp_path / "out" / "html" / "documents" / "mini.html")).getroot()
    dd = h.xpath("//dt[.='Source']/following-sibling::dd[1]")[0]
    got = [(f.xpath("string(span[@class='tp-field-label'])"), flat(f.xpath("string(div[@class='tp-field-value'])")))
           for f in dd.xpath(".//div[contains(concat(' ', @class, ' '), ' tp-field ')]")]
    assert got == [("Place", "Cambridge"), ("Repository", "University Library"), ("Shelfmark", "Schnitzler, B 55"),
                   ("Physical description", "One card, black ink.")]

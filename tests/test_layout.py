"""Layout of structured constructs (issue 10 B): letters, cast lists, manuscript descriptions,
forme work, images, and the scripts the PDF sets (Hangul, Hebrew, Arabic, Devanagari, emoji)."""
from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import MINI_DOC, line_of
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

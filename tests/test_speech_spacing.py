"""Even spacing between speech turns (issue 13, defect 23), measured where the reader sees it:
text boxes in chromium for the HTML, word boxes from `pdftotext -bbox-layout` for the PDF.

Every turn is set off from the one before by the same space, whatever the turn before ends
with (one paragraph, several, a paragraph holding a list, verse) and whatever page it is on;
a turn after a heading stands where any first turn after a heading stands, a heading the
editors supply for a division the source prints without one included.  Checked on an edition
of two documents built for it and on the default edition."""
from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from conftest import MINI_PERSONS, PROLOG, SCHEMA
from lxml import etree
from sitebuild import build_edition, default_build

from browser import serve_dir

WORDS = ("The delegation discussed the reduction of the army and the treaty to be signed during the visit, "
         "and the date of the visit was left open until the autumn of that year. ")


def turn(who: str, *paras: str) -> str:
    return f"<sp><speaker>{who}.</speaker>" + "".join(f"<p>{p}</p>" for p in paras) + "</sp>"


TALKS = PROLOG + f"""<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="talks" xml:lang="en">
<teiHeader><fileDesc><titleStmt><title>Talks</title></titleStmt>
<publicationStmt><publisher>teipress tests</publisher></publicationStmt>
<sourceDesc><p>Born digital.</p></sourceDesc></fileDesc>
<encodingDesc><classDecl><taxonomy xml:id="note-types">
  <category xml:id="editorial"><catDesc>Editors' note</catDesc></category></taxonomy></classDecl></encodingDesc>
</teiHeader>
<text><body>
<div type="excerpt" xml:id="e1"><head>[Talks of <date when="1960-05-01">1 May 1960</date>]</head>
{turn("Alpha", "Short.")}
{turn("Beta", WORDS * 3, WORDS * 2)}
{turn("Alpha", "A footnote here.<note type='editorial' xml:id='n1'>An editors' note.</note> " + WORDS)}
{turn("Beta", "Three points: <list><item>the army;</item><item>the treaty;</item><item>the visit.</item></list> And so on.")}
{turn("Gamma", WORDS)}
{turn("Alpha", WORDS * 4)}
{turn("Beta", "Yes.")}
{turn("Gamma", WORDS * 2, WORDS, WORDS * 3)}
{turn("Alpha", WORDS * 5)}
{turn("Beta", WORDS)}
</div>
<div type="excerpt" xml:id="e2"><note type="editorial" xml:id="n2">Dated by the editors to
 <date when="1960-05-02" cert="medium">2 May 1960</date>.</note>
{turn("Gamma", WORDS)}
{turn("Alpha", "No.")}
{turn("Beta", WORDS * 2)}
</div>
<div type="excerpt" xml:id="e3"><head>[A note of <date when="1960-05-03">3 May 1960</date>]</head>
<p>{WORDS * 2}</p>
{turn("Gamma", WORDS)}
{turn("Alpha", WORDS * 3)}
</div>
</body></text></TEI>
"""

PLAY = PROLOG + f"""<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="play" xml:lang="en">
<teiHeader><fileDesc><titleStmt><title>A scene</title></titleStmt>
<publicationStmt><publisher>teipress tests</publisher></publicationStmt>
<sourceDesc><p>Born digital.</p></sourceDesc></fileDesc></teiHeader>
<text><body><div type="scene" xml:id="s1"><head>Scene one</head>
<sp><speaker>Delta.</speaker><l>The first line of verse that Delta speaks</l><l>and a second line of it</l></sp>
<sp><speaker>Epsilon.</speaker><l>One line only</l></sp>
<sp><speaker>Delta.</speaker><p>{WORDS}</p></sp>
<sp><speaker>Epsilon.</speaker><l>Verse after prose</l><l>and more of it</l><l>and a third line</l></sp>
<sp><speaker>Delta.</speaker><l>The last line</l></sp>
</div></body></text></TEI>
"""

SPEAKERS = ("Alpha.", "Beta.", "Gamma.", "Delta.", "Epsilon.")
# the speaker labels of the default edition, as printed (corrected reading)
DEFAULT_SPEAKERS = ("Kim Il Sung.", "N. S. Khrushchev.", "Kim Gwang-hyeop [Kim Kwang Hyop].", "L. I. Brezhnev.",
                    "Pak Seong-cheol.", "[Pak Seong-cheol]")
# how the last line of each heading of the default edition ends (the p. 26 excerpt's: the editors')
DEFAULT_HEADINGS = ("the first time]:", "[March 1961]", "(Pak Song Chol)]", "c. 8 October 1971",
                    "Soviet note to the DPRK]", "on 9 December 1969]")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("spacing") / "edition"
    (root / "tei" / "schema").mkdir(parents=True)
    shutil.copy(SCHEMA, root / "tei" / "schema" / "teipress.xsd")
    (root / "tei" / "talks.xml").write_text(TALKS, encoding="utf-8")
    (root / "tei" / "play.xml").write_text(PLAY, encoding="utf-8")
    (root / "tei" / "persons.xml").write_text(MINI_PERSONS, encoding="utf-8")
    out = root.parent / "out"
    build_edition(root, out, only={"html", "pdf"})
    return out


def spread(values) -> float:
    return max(values) - min(values)


# ---- HTML: the space between the last line of one turn and the speaker of the next

GAPS_JS = """() => {
  const textBottom = el => { const r = document.createRange(); r.selectNodeContents(el);
    return Math.max(...Array.from(r.getClientRects()).filter(b => b.height > 0).map(b => b.bottom)); };
  const textTop = el => { const r = document.createRange(); r.selectNodeContents(el);
    return Math.min(...Array.from(r.getClientRects()).filter(b => b.height > 0).map(b => b.top)); };
  return Array.from(document.querySelectorAll('.tp-text .tp-sp')).map(sp => {
    const prev = sp.previousElementSibling, speaker = sp.querySelector('.tp-speaker');
    const kind = !prev ? 'first' : prev.classList.contains('tp-sp') ? 'turn'
      : prev.classList.contains('tp-head') ? 'heading' : 'other';
    return {id: sp.id, kind: kind, gap: prev ? textTop(speaker) - textBottom(prev) : null,
            head: sp.parentElement.querySelector(':scope > .tp-head') ? 1 : 0};
  });
}"""

HEAD_GAP_JS = """() => Array.from(document.querySelectorAll('.tp-text .tp-div > .tp-head')).map(h => {
  const next = h.nextElementSibling;
  if (!next || !(next.classList.contains('tp-sp') || next.classList.contains('tp-p'))) return null;
  const first = next.classList.contains('tp-sp') ? next.querySelector('.tp-speaker') : next;
  const r = document.createRange(); r.selectNodeContents(first);
  const top = Math.min(...Array.from(r.getClientRects()).filter(b => b.height > 0).map(b => b.top));
  return top - h.getBoundingClientRect().bottom;
}).filter(x => x !== null)"""


def html_gaps(browser, root: Path, doc: str, width: int) -> tuple[list[dict], list[float]]:
    with serve_dir(root) as url:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(f"{url}/documents/{doc}.html")
        gaps, heads = page.evaluate(GAPS_JS), page.evaluate(HEAD_GAP_JS)
        page.close()
    return gaps, heads


@pytest.mark.parametrize("width", [1280, 375])
def test_html_turns_evenly_spaced(built, browser, width):
    between, after_head = [], []
    for doc in ("talks", "play"):
        gaps, heads = html_gaps(browser, built / "html", doc, width)
        between += [g["gap"] for g in gaps if g["kind"] == "turn"]
        after_head += heads
    assert len(between) >= 15
    assert spread(between) < 0.5, sorted(between)
    # a division's first line stands as far below its heading whether it opens with a turn or
    # a paragraph, and whether the heading is the source's or the editors' (talks e2)
    assert len(after_head) == 4 and spread(after_head) < 0.5, after_head
    assert min(between) > 8  # the turns are set off, not run together


@pytest.mark.parametrize("width", [1280, 375])
def test_html_default_edition_turns_evenly_spaced(browser, width):
    gaps, heads = html_gaps(browser, default_build() / "html", "nkidp-114978", width)
    between = [g["gap"] for g in gaps if g["kind"] == "turn"]
    assert len(gaps) == 13 and len(between) == 9
    assert spread(between) < 0.5, sorted(between)
    # every turn opening an excerpt follows a heading (the p. 26 excerpt's is the editors')
    assert [g["kind"] for g in gaps].count("heading") == 4
    assert spread(heads) < 0.5, heads


# ---- PDF: the white space between a speaker's line and the line above it

def pdf_lines(pdf: Path) -> list[dict]:
    """The text lines of every page, top to bottom: page, top, bottom, left, text."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True).stdout
    root = etree.fromstring(xml, etree.XMLParser(recover=True))
    out = []
    for n, page in enumerate(root.iter("{*}page"), 1):
        lines = [{"page": n, "top": float(ln.get("yMin")), "bottom": float(ln.get("yMax")),
                  "left": float(ln.get("xMin")), "text": " ".join(w.text or "" for w in ln.iter("{*}word"))}
                 for ln in page.iter("{*}line")]
        out += sorted(lines, key=lambda ln: ln["top"])
    return out


BACK_MATTER = ("Abbreviations and terms", "List of emendations", "Editorial principles", "Notes")


def is_heading(text: str, headings: tuple[str, ...]) -> bool:
    """A heading's (last) line: one ending as one of *headings* does (a note mark after it
    left out)."""
    return re.sub(r"(?<=[]:A-Za-z.])\d+$", "", text).endswith(headings)


def pdf_gaps(pdf: Path, speakers: tuple[str, ...], headings: tuple[str, ...] = ()):
    """(gaps between turns, gaps under headings, speakers' lines found).  A gap is the white
    space from the nearest line above in the text column (margin references and the running
    head left out) to a speaker's line; under a heading, to the first line after it, a turn's
    or a paragraph's.  Lines at the head of a page have no gap."""
    lines = pdf_lines(pdf)
    # the text: from the page of the first speaker's line to the back matter
    first = next(ln["page"] for ln in lines if re.sub(r"(?<=[A-Za-z\].])\d+", "", ln["text"]).startswith(speakers))
    lines = [ln for ln in lines if ln["page"] >= first]
    end = next((i for i, ln in enumerate(lines) if ln["text"] in BACK_MATTER), len(lines))
    # the text column of each page: its lines start at its left edge or a paragraph's indent
    # (margin references, the centred "[…]", running heads and folios start elsewhere)
    lefts: dict[int, Counter] = {}
    for ln in lines[:end]:
        lefts.setdefault(ln["page"], Counter())[round(ln["left"])] += 1
    left = {page: c.most_common(1)[0][0] for page, c in lefts.items()}
    lines = [ln for ln in lines[:end] if -1 < ln["left"] - left[ln["page"]] < 20]
    found, turns, heads = 0, [], []
    for i, ln in enumerate(lines):
        label = re.sub(r"(?<=[A-Za-z\].])\d+", "", ln["text"])  # a note mark after the name
        speaker = label.startswith(speakers)
        found += speaker
        above = [o for o in lines[:i] if o["page"] == ln["page"] and o["top"] < ln["top"] - 1]
        if not above or is_heading(ln["text"], headings):
            continue
        prev = max(above, key=lambda o: o["top"])
        gap = round(ln["top"] - prev["bottom"], 2)
        if is_heading(prev["text"], headings):
            heads.append(gap)
        elif speaker:
            turns.append(gap)
    return turns, heads, found


# Typst spaces blocks from baseline to baseline; a line's box in pdftotext reaches down to its
# font's descent, 0.9 pt deeper for a 12.5 pt heading than for the editors' 9 pt date (and a
# speaker's line of small capitals alone, before verse, sits 0.15 pt lower):
# boxes under headings may differ by that much while the baselines are evenly spaced.
HEAD_TOLERANCE = 1.2


def test_pdf_turns_evenly_spaced(built):
    turns, heads, found = pdf_gaps(built / "pdf" / "talks.pdf", SPEAKERS,
                                   ("[Talks of 1 May 1960]", "c. 2 May 1960", "[A note of 3 May 1960]"))
    turns2, heads2, found2 = pdf_gaps(built / "pdf" / "play.pdf", SPEAKERS, ("Scene one",))
    assert (found, found2) == (15, 5)
    turns += turns2
    assert len(turns) >= 14 and spread(turns) < 0.6, sorted(turns)
    # under the source's heading, the editors' supplied date and a scene's head alike
    heads += heads2
    assert len(heads) == 4 and spread(heads) < HEAD_TOLERANCE, heads
    assert min(turns) > 2  # the turns are set off, not run together


def test_pdf_default_edition_turns_evenly_spaced():
    turns, heads, found = pdf_gaps(default_build() / "pdf" / "nkidp-114978.pdf", DEFAULT_SPEAKERS,
                                   DEFAULT_HEADINGS)
    assert found == 13
    assert len(turns) >= 7 and spread(turns) < 0.6, sorted(turns)
    assert len(heads) == 6 and spread(heads) < HEAD_TOLERANCE, heads

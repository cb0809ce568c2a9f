"""Text retention: do the words of a TEI document's <text> reach the HTML page and the PDF?

Independent of teipress (only lxml, pypdf and poppler's pdftotext), so that it measures the
outputs from outside.  Used by tests/test_retention.py and scripts/retention.py.

The measure (issue 10): the multiset of word tokens — `\\w+` after Unicode normalisation,
lower-cased — of what the edition means to print, against the tokens of an output.

* TEI side: the outermost `<text>` of the document, without what the edition omits on
  purpose: `teiHeader` (outside `<text>`), the register lists an editor keeps in `back`
  (`listPerson`, `listPlace`, `listOrg`, `listBibl`, `listEvent`, `listNym`, `listRelation`),
  `binaryObject` (data, not words), `interpGrp`/`interp`, `linkGrp`/`link`, `join`, `alt`,
  `altGrp`, `span`, `spanGrp`, `timeline`, `index`, `fs` and comments/processing instructions,
  and MathML (a formula is not words: the outputs typeset it, "E_max" as E with max below, and
  tests/test_constructs_browser.py checks that each of its tokens is there).
  A markup example (`egXML`) counts with a word boundary at each of its tags (it is printed
  as code, tags and all).  Both readings of every `choice` count (the running text shows one, a note or the list of
  interventions the other); an `app`'s lemma counts in its place as text and its readings
  (with its notes) after the text, as the apparatus (the lemma of an `app` with `@from`
  repeats the text it points to: not counted again); every `note` counts (a multiset: where
  a note is placed does not matter) and attribute-borne text never (`@n`, `@target` …) — except
  the web address of a `ref`/`ptr` without words, which the outputs print.
* Normalisation is NFKC (a superset of NFC) so that ligatures the PDF may keep (ﬁ), the long s
  and superscript digits read the same on both sides.
* `lb break="no"` joins the word around it (the white space next to it is dropped).
* HTML: the document's text (`.tp-text`), its critical apparatus (`.tp-apparatus-section`) and
  its notes (`.tp-notes-section`).
* PDF: `pdftotext` of the pages of the text only — from the page numbered 1 up to the back
  matter (the first bookmark "Editorial principles" / "Index of …"), cropped to the type area
  (running heads and page numbers left out) — with words hyphenated at a line end joined again
  when the joined word is a word of the TEI, a word pdftotext joined at a hyphen ("wooden-legged"
  → "woodenlegged") read as its two words, and a footnote mark glued to a word ("word12") read as
  the word.

`retention(tei, out)` = Σ min(out[w], tei[w]) / Σ tei[w]; `doubled(tei_seq, out_seq)` lists the
8-word shingles an output prints more often than the TEI has them (a passage printed twice).
"""
from __future__ import annotations

import re
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

TEI = "http://www.tei-c.org/ns/1.0"
EXAMPLES = "http://www.tei-c.org/ns/Examples"
MATHML = "http://www.w3.org/1998/Math/MathML"
WORD = re.compile(r"\w+")

# Left out of the words the edition means to print (see the module docstring).
OMITTED = {"teiHeader", "binaryObject", "interpGrp", "interp", "linkGrp", "link", "join", "alt",
           "altGrp", "span", "spanGrp", "timeline", "index", "fs", "fLib", "fvLib", "standOff",
           "facsimile", "sourceDoc"}
REGISTER_LISTS = {"listPerson", "listPlace", "listOrg", "listBibl", "listEvent", "listNym",
                  "listRelation"}
# Elements that may sit inside a word: no word boundary at their start or end.  Everything
# else (paragraphs, lines, cells, the readings of a choice …) separates words.
WORD_INTERNAL = {"hi", "emph", "persName", "placeName", "orgName", "name", "rs", "date", "time",
                 "foreign", "term", "title", "q", "quote", "said", "seg", "w", "c", "pc", "g",
                 "add", "del", "subst", "unclear", "damage", "ex", "am", "surplus",
                 "restore", "mod", "num", "measure", "ref", "ptr", "surname", "forename",
                 "roleName", "addName", "genName", "nameLink", "geogName", "settlement",
                 "country", "region", "bloc", "district", "mentioned", "soCalled", "gloss",
                 "distinct", "choice", "orig", "reg", "sic", "corr", "abbr", "expan", "idno",
                 "anchor", "handShift", "pb", "milestone", "cb", "metamark",
                 "secl", "subst", "retrace", "damageSpan", "addSpan", "delSpan", "lem", "rdg",
                 "app", "rdgGrp", "bibl", "author", "affiliation", "email", "address",
                 "street", "postCode", "unit", "stamp", "sound", "kinesic", "vocal", "incident",
                 "writing", "formula", "code", "ident", "att", "gi", "val", "tag"}
# (not `space`: it stands for white space; not `supplied` and `gap`: the outputs bracket them,
# "H[ofmann]", "axt[…]š" — an output that runs them into the word is read by output_tokens)
# Inside these, a child element is a separate reading (or part: a quotation and its source in
# a cit or an epigraph, the entries of a listBibl): a boundary between them.
READINGS = {"choice", "app", "rdgGrp", "subst", "cit", "epigraph", "listBibl"}


def tokens(text: str) -> list[str]:
    return WORD.findall(unicodedata.normalize("NFKC", text).lower())


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def tei_text(path: Path) -> str:
    """The printable text of a TEI file's outermost <text>, with word boundaries as spaces."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.parse(str(path), parser).getroot()
    texts = root.xpath("//*[local-name()='text' and not(ancestor::*[local-name()='text'])]")
    parts: list[str] = []
    notes: list[str] = []  # a note's words follow the text (as footnotes and endnotes do)

    def aside(el, in_back: bool, name: str, content) -> None:
        """*content* (el's text and children, or a reading) out of the running text: its words
        go after the text, with the notes."""
        nonlocal parts
        outer = parts
        parts = notes
        parts.append(" ")
        content(el, in_back, name)
        parts.append(" ")
        parts = outer

    def own_words(el, in_back: bool, _name: str) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child, in_back, _local(el))

    def walk(el, in_back: bool, parent: str) -> None:
        name = _local(el)
        if name == "app" and isinstance(el.tag, str):
            # the lemma is the text, in its place; the readings (and notes, witnesses) are the
            # apparatus: after the text, like notes
            parts.append(" ")
            located = bool(el.get("from"))  # double end-point: the lemma repeats text elsewhere
            for child in el:
                if _local(child) == "lem" and located:
                    continue
                if _local(child) == "lem":
                    walk(child, in_back, name)
                    parts.append(" ")
                else:
                    aside(child, in_back, name, walk)
            if el.tail:
                parts.append(el.tail)
            return
        if name == "note" and isinstance(el.tag, str):
            # out of the running text: its words go after the text, its tail stays in place
            aside(el, in_back, name, own_words)
            if el.tail:
                parts.append(el.tail)
            return
        if not isinstance(el.tag, str) or name in OMITTED or (in_back and name in REGISTER_LISTS) \
                or etree.QName(el).namespace == MATHML:
            parts.append(" ")  # left out, but it still separates the words around it (its tail: below)
        elif name in ("ref", "ptr") and not "".join(el.itertext()).strip() and re.fullmatch(
                r"(?i)(https?://|mailto:)\S+", (el.get("target") or "").strip()):
            # a pointer without words shows its web address: the edition prints it
            parts.append(" " + el.get("target").strip() + " ")
        elif name == "lb" and el.get("break") == "no":
            parts.append("\x00")  # joins: white space around it is dropped below
        else:
            # a markup example (egXML) is printed as code: its tags stand between its words
            in_example = etree.QName(el).namespace == EXAMPLES
            boundary = name not in WORD_INTERNAL or parent in READINGS or name == "lb" or in_example
            if boundary:
                parts.append(" ")
            if in_example:  # code shows its attributes' values too
                parts.append(" " + " ".join(el.attrib.values()) + " ")
            if el.text:
                parts.append(el.text)
            for child in el:
                walk(child, in_back or name == "back", name)
            if boundary:
                parts.append(" ")
        if el.tail:
            parts.append(el.tail)

    for t in texts:
        parts.append(" ")
        if t.text:
            parts.append(t.text)
        for child in t:
            walk(child, False, "text")
        parts.append(" ")
    text = "".join(parts) + " " + "".join(notes)
    return re.sub(r"\s*\x00\s*", "", text)


BLOCK_TAGS = {"p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "br",
              "section", "dd", "dt", "blockquote", "ol", "ul", "table", "figure", "figcaption",
              "aside", "pre", "hr", "dl", "article", "header", "footer", "nav", "tbody", "thead"}


# Our labels: a note's mark, the words only a screen reader hears, and in the critical
# apparatus the line key, the sigla and the lemma repeated before its bracket (its words are
# the text's, counted there).
UI_CLASSES = {"tp-noteref", "tp-vh", "tp-app-key", "tp-siglum", "tp-app-lem"}
# The two readings of a choice stand side by side in the page (CSS shows one): separate words.
READING_CLASSES = {"tp-published", "tp-corrected"}


def html_text(page: Path) -> str:
    """The document's text and notes on its HTML page (our interface labels are outside them)."""
    root = lxml_html.parse(str(page)).getroot()
    parts: list[str] = []

    def walk(el) -> None:
        if not isinstance(el.tag, str):
            if el.tail:
                parts.append(el.tail)
            return
        classes = set((el.get("class") or "").split())
        if el.tag in ("script", "style", "template", "math") or classes & UI_CLASSES:
            parts.append(el.tail or "")
            return
        block = el.tag in BLOCK_TAGS or bool(classes & READING_CLASSES)
        if block:
            parts.append(" ")
        if el.tag == "img" and el.get("alt"):
            parts.append(" " + el.get("alt") + " ")
        if el.text:
            parts.append(el.text)
        for c in el:
            walk(c)
        if block:
            parts.append(" ")
        if el.tail:
            parts.append(el.tail)

    for sel in ("tp-text", "tp-apparatus-section", "tp-notes-section"):
        # the outermost only: a TEI <text> inside a <group> is a block of class tp-text too
        has = f"contains(concat(' ', normalize-space(@class), ' '), ' {sel} ')"
        for el in root.xpath(f"//*[{has}][not(ancestor::*[{has}])]"):
            walk(el)
            parts.append(" ")
    return "".join(parts)


MM = 72 / 25.4
BACK_MATTER = ("Editorial principles", "Index of persons", "Index of places and organisations")


def text_pages(pdf: Path) -> tuple[int, int]:
    """0-based [first, last) pages of the text: from the page numbered 1 to the back matter."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    labels = list(reader.page_labels)
    first = labels.index("1") if "1" in labels else 0
    last = len(reader.pages)

    def visit(items):
        nonlocal last
        for it in items:
            if isinstance(it, list):
                visit(it)
            elif getattr(it, "title", None) in BACK_MATTER:
                p = reader.get_destination_page_number(it)
                if p is not None and p >= first:
                    last = min(last, p)

    visit(reader.outline)
    return first, last


def pdf_text(pdf: Path, page_height_mm: float = 234, margin_mm: float = 24) -> str:
    """pdftotext of the text's pages, cropped to the type area (no running heads, no folios)."""
    first, last = text_pages(pdf)
    if last <= first:
        return ""
    y = (margin_mm - 1) * MM
    height = (page_height_mm - 2 * margin_mm + 2) * MM
    out = subprocess.run(["pdftotext", "-q", "-raw", "-r", "72", "-x", "0", "-y", f"{y:.0f}", "-W", "2000",
                          "-H", f"{height:.0f}", "-f", str(first + 1), "-l", str(last), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return out


def dehyphenate(text: str, vocabulary: set[str]) -> str:
    """Join a word hyphenated at a line end when the joined word is a word of the TEI."""
    def join(m: re.Match) -> str:
        a, b = m.group(1), m.group(2)
        joined = unicodedata.normalize("NFKC", a + b).lower()
        return a + b if joined in vocabulary else m.group(0)
    return re.sub(r"(\w+)[-‐­]\n\f?(\w+)", join, text)  # \f: the word goes on over a page


def output_tokens(text: str, vocabulary: set[str]) -> list[str]:
    """Tokens of an output, read as the TEI's words where the output ran two together: a word
    pdftotext joined at a hyphen at a line end ("wooden-⏎legged" → "woodenlegged"), a bracketed
    or marked piece run into its word ("2te" for "2" + "te"), a footnote mark glued to a word
    ("word12", "12word")."""
    out = []
    for t in tokens(text):
        if t not in vocabulary:
            halves = next(((t[:i], t[i:]) for i in range(1, len(t))
                           if t[:i] in vocabulary and t[i:] in vocabulary), None)
            if halves:
                out.extend(halves)
                continue
            m = re.fullmatch(r"(\D\w*?)(\d+)", t) or re.fullmatch(r"(\d+)(\D\w*)", t)
            if m:
                a, b = m.groups()
                if a in vocabulary and b.isdigit():
                    out.append(a)
                    continue
                if b in vocabulary and a.isdigit():
                    out.append(b)
                    continue
        out.append(t)
    return out


def retention(tei: Counter, out: Counter) -> float:
    total = sum(tei.values())
    if total == 0:
        return 1.0
    return sum(min(n, out[w]) for w, n in tei.items()) / total


def missing(tei: Counter, out: Counter, k: int = 8) -> list[tuple[str, int]]:
    """The words the output lacks most, with how many of each."""
    gaps = Counter({w: n - out[w] for w, n in tei.items() if out[w] < n})
    return gaps.most_common(k)


def shingles(seq: list[str], n: int = 8) -> Counter:
    return Counter(tuple(seq[i:i + n]) for i in range(len(seq) - n + 1))


def doubled(tei_seq: list[str], out_seq: list[str], n: int = 8) -> list[str]:
    """8-word passages printed more often than the TEI has them."""
    want = shingles(tei_seq, n)
    have = shingles(out_seq, n)
    return [" ".join(s) for s, c in have.items() if s in want and c > want[s]]


class Measure:
    """One document's TEI words, measured against its HTML page and its PDF."""

    def __init__(self, tei: Path):
        self.tei_seq = tokens(tei_text(tei))
        self.tei = Counter(self.tei_seq)
        self.vocabulary = set(self.tei)

    def html(self, page: Path) -> list[str]:
        return output_tokens(html_text(page), self.vocabulary)

    def pdf(self, pdf: Path) -> list[str]:
        return output_tokens(dehyphenate(pdf_text(pdf), self.vocabulary), self.vocabulary)

    def score(self, out_seq: list[str]) -> tuple[float, list[tuple[str, int]], list[str]]:
        out = Counter(out_seq)
        return retention(self.tei, out), missing(self.tei, out), doubled(self.tei_seq, out_seq)

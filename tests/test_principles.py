"""The editorial principles as a reader gets them (issue 13, defect 24): every heading once on the
principles page and in the PDF, whatever the header calls its sections, and the default
edition's principles in the words of the page, not of the markup."""
from __future__ import annotations

import re

from lxml import html as lxml_html
from pypdf import PdfReader
from sitebuild import build_edition, default_build, parse

# an editorialDecl with prose and parts, a taxonomy described as the page is headed, and two
# taxonomies described alike: headings that would each repeat another
HEADER = """<encodingDesc>
      <projectDesc><p>A project of letters.</p></projectDesc>
      <editorialDecl>
        <p>Prose of the editorialDecl itself.</p>
        <correction><p>Errors are corrected.</p></correction>
      </editorialDecl>
      <classDecl>
        <taxonomy xml:id="note-types"><desc>Editorial  principles</desc>
          <category xml:id="editorial"><catDesc>Editors' note</catDesc></category>
        </taxonomy>
        <taxonomy xml:id="hands"><desc>Kinds of things</desc>
          <category xml:id="h1"><catDesc>First hand</catDesc></category>
        </taxonomy>
        <taxonomy xml:id="inks"><desc>Kinds of things</desc>
          <category xml:id="i1"><catDesc>Black ink</catDesc></category>
        </taxonomy>
      </classDecl>
    </encodingDesc>"""

OLD_HEADER = """<encodingDesc>
      <classDecl>
        <taxonomy xml:id="note-types">
          <category xml:id="editorial"><catDesc>Editors' note</catDesc></category>
        </taxonomy>
      </classDecl>
    </encodingDesc>"""


def headings(page) -> list[str]:
    return [" ".join(h.text_content().split()) for h in page.iter("h1", "h2", "h3")]


def principle_bookmarks(pdf) -> list[str]:
    """The PDF's bookmark "Editorial principles" and the bookmarks of its sections (running
    heads repeat the heading on every page, so the outline, not the page text, is counted)."""
    reader = PdfReader(pdf)

    def flat(items, depth=0):
        for it in items:
            if isinstance(it, list):
                yield from flat(it, depth + 1)
            else:
                yield depth, " ".join(it.title.split())

    marks = list(flat(reader.outline))
    top = [i for i, (d, t) in enumerate(marks) if d == 0 and t == "Editorial principles"]
    assert len(top) == 1, marks
    below = []
    for d, t in marks[top[0] + 1:]:
        if d == 0:
            break
        below.append(t)
    return ["Editorial principles"] + below


def test_no_heading_twice_on_the_principles_page_or_in_the_pdf(make_edition, tmp_path):
    root = make_edition(replace=[(OLD_HEADER, HEADER)])
    build_edition(root, tmp_path / "out", only={"html", "pdf"})
    page = parse(tmp_path / "out" / "html" / "principles.html")
    heads = headings(page)
    assert len(heads) == len(set(h.lower() for h in heads)), heads
    assert heads[0] == "Editorial principles" and "General principles" in heads
    # the sections headed alike are one section: both taxonomies' categories under one heading
    section = next(s for s in page.iter("section") if " ".join(s.find("h2").text_content().split()) == "Kinds of things")
    assert "First hand" in section.text_content() and "Black ink" in section.text_content()
    # the prose of editorialDecl and the taxonomy described as the page is headed: both kept
    text = page.text_content()
    assert "Prose of the editorialDecl itself." in text and "Editors' note" in text
    # the PDF heads its back matter the same way: "Editorial principles" once, each section once
    assert principle_bookmarks(tmp_path / "out" / "pdf" / "mini.pdf") == heads


# The markup's vocabulary, which the principles a reader gets must not use (the encoding is
# documented in README.md and in a comment of the header).
MARKUP = re.compile(r"@\w|\b(?:sic|corr|choice|gap|pb|div|sp|rs|persName|placeName|orgName|xml:id|"
                    r"ISO 8601|notBefore|notAfter|cert)\b|\bof type\b")


def test_default_principles_speak_the_readers_language():
    out = default_build()
    page = parse(out / "html" / "principles.html")
    prose = " ".join(lxml_html.tostring(s, method="text", encoding="unicode")
                     for s in page.iter("section") if (s.get("id") or "").startswith("principle-"))
    assert "Kim II Sung" in prose and "McCune–Reischauer" in prose  # the substance is kept
    assert not MARKUP.findall(prose), sorted(set(MARKUP.findall(prose)))
    heads = headings(page)
    assert len(heads) == len(set(heads)) and heads.count("Editorial principles") == 1
    assert principle_bookmarks(out / "pdf" / "nkidp-114978.pdf") == heads

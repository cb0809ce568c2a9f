"""Plain text of behaviour-model nodes: the one rule every output uses.

The corrected reading (a published error or original spelling is left out), notes
left out, an omission as "[…]", supplied text in square brackets, quotation marks
where the model says the output supplies them, line breaks as spaces unless the
word runs on.  Titles, labels, citations, records and contexts all read text
through here, so a ``<choice>`` in a title reads the same everywhere.
"""
from __future__ import annotations

from lxml import etree

MODEL_NS = "urn:teipress:model"
MT = "{%s}" % MODEL_NS


def _skipped(el, top, published: bool = False) -> bool:
    if el.tag == MT + "reading":  # the other reading of a choice
        return el.get("role") == ("corrected" if published else "published")
    if published and el.tag == MT + "supplied" and el.get("published") == "false":
        return True  # the editors' restoration: not in the source
    return el.tag == MT + "note" and el is not top


TARGET = ""  # the key of spans()'s *target* in its result: no model id is empty


def spans(container: etree._Element, target: etree._Element | None = None,
          published: bool = False) -> tuple[str, dict[str, tuple[int, int]]]:
    """The raw text of *container*, and where the text of each element with an id inside it
    (and of *target*, under TARGET) starts and ends, its brackets and quotation marks
    included: one walk serves every occurrence in a passage.  *published*: the reading of the
    source instead (sic, orig, abbr; the editors' restorations left out)."""
    out: list[str] = []
    length = 0
    where: dict[str, tuple[int, int]] = {}

    def put(s: str) -> None:
        nonlocal length
        out.append(s)
        length += len(s)

    def walk(el):
        start = length
        tag = el.tag
        marks = tag == MT + "quote" and el.get("marks") == "add"
        gap_desc = tag == MT + "gap" and "".join(el.itertext()).strip() != ""
        if tag == MT + "gap":
            put("[… " if gap_desc else "[…]")  # with its description: "[… a torn corner]"
        elif tag == MT + "supplied":
            put("[")
        elif marks:
            put("“")
        elif tag == MT + "line-break" and el.get("break") != "no":
            put(" ")
        elif tag == MT + "math":  # a formula's tokens, spaced (its tree is for typesetting)
            put(" " + (el.get("alt") or "") + " ")
            return  # (its tail: the parent's loop)
        elif tag == MT + "reading" and el.get("more"):
            put(" / ")  # a further reading of a choice of three, as the outputs print it
        if el.text:
            put(el.text)
        for c in el:
            if isinstance(c.tag, str) and not _skipped(c, container, published):
                walk(c)
            if c.tail:
                put(c.tail)
        if tag == MT + "supplied" or gap_desc:
            put("]")
        elif marks:
            put("”")
        if el.get("id"):
            where[el.get("id")] = (start, length)
        if el is target:
            where[TARGET] = (start, length)

    walk(container)
    return "".join(out), where


def pieces(container: etree._Element, target: etree._Element | None = None) -> tuple[str, str, str]:
    """The raw text of *container* split around *target*: (before, target, after); all of it
    before when the target is not read (in a note, a published error)."""
    text, where = spans(container, target)
    hit = where.get(TARGET)
    return (text, "", "") if hit is None else (text[:hit[0]], text[hit[0]:hit[1]], text[hit[1]:])


def split(text: str, where: dict[str, tuple[int, int]], target) -> tuple[str, str, str]:
    """(before, target, after) of a text made by spans(), for a *target* with an id."""
    hit = where.get(target.get("id")) if target is not None and target.get("id") else None
    if hit is None:
        return text, "", ""
    a, b = hit
    return text[:a], text[a:b], text[b:]


def plain(node: etree._Element | None) -> str:
    """The node's text in the corrected reading, whitespace normalised ('' for None)."""
    if node is None:
        return ""
    return " ".join(spans(node)[0].split())


def as_published(node: etree._Element | None) -> str:
    """The node's text as the source gives it (a transcription quoted as such: the archive's
    citation of itself, its staging address and misprints included), whitespace normalised."""
    if node is None:
        return ""
    return " ".join(spans(node, published=True)[0].split())


def plains(nodes) -> list[str]:
    """plain() of each node, empty ones left out."""
    return [t for t in (plain(n) for n in nodes) if t]

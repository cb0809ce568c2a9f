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


def _skipped(el, top) -> bool:
    if el.tag == MT + "reading" and el.get("role") == "published":
        return True
    return el.tag == MT + "note" and el is not top


def pieces(container: etree._Element, target: etree._Element | None = None) -> tuple[str, str, str]:
    """The raw text of *container* split around *target*: (before, target, after)."""
    buckets: list[list[str]] = [[], [], []]
    state = [0]

    def walk(el):
        if el is target:
            state[0] = 1
        out = buckets[state[0]]
        tag = el.tag
        if tag == MT + "gap":
            out.append("[…]")
        elif tag == MT + "supplied":
            out.append("[")
        elif tag == MT + "quote" and el.get("marks") == "add":
            out.append("“")
        elif tag == MT + "line-break" and el.get("break") != "no":
            out.append(" ")
        if el.text:
            out.append(el.text)
        for c in el:
            if isinstance(c.tag, str) and not _skipped(c, container):
                walk(c)
            if c.tail:
                buckets[state[0]].append(c.tail)
        out = buckets[state[0]]
        if tag == MT + "supplied":
            out.append("]")
        elif tag == MT + "quote" and el.get("marks") == "add":
            out.append("”")
        if el is target:
            state[0] = 2

    walk(container)
    return tuple("".join(b) for b in buckets)  # type: ignore[return-value]


def plain(node: etree._Element | None) -> str:
    """The node's text in the corrected reading, whitespace normalised ('' for None)."""
    if node is None:
        return ""
    return " ".join(pieces(node)[0].split())


def plains(nodes) -> list[str]:
    """plain() of each node, empty ones left out."""
    return [t for t in (plain(n) for n in nodes) if t]

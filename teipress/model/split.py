"""One page per division of a large TEI document (``split`` in edition.toml).

The rule: a split document gets a page for every *innermost identified
division* — a ``div`` (or ``div1``–``div7``) that carries an ``xml:id`` and holds
no other division with one.  In a FRUS volume these are the documents
(``div type="document"``) and the front matter's sections.  Each page is
``documents/<document>/<xml:id>.html``, so its address is as stable as the id.
Everything outside those divisions (the heads of chapters and compilations,
text between divisions, page breaks) stays on the document's own page, which
becomes its contents page: each split division is replaced there by an entry
linking to its page, with its head and date.

This module only decides and cuts behaviour models (xslt/MODEL.md); the HTML
is made from the cut models by the same stylesheet as any other page.
"""
from __future__ import annotations

import copy

from lxml import etree

MT = "{urn:teipress:model}"


class SplitError(Exception):
    pass


def selected(config_value, doc_ids: list[str]) -> set[str]:
    """The document ids to split: ``true`` = all, a list = those (each must exist)."""
    if config_value is None or config_value is False:
        return set()
    if config_value is True:
        return set(doc_ids)
    unknown = [x for x in config_value if x not in doc_ids]
    if unknown:
        raise SplitError(f"edition.toml: split names {', '.join(repr(x) for x in unknown)}, but the edition "
                         f"has no such document; its documents are: {', '.join(sorted(doc_ids))}")
    return set(config_value)


def points(tree: etree._ElementTree, ids: set[str]) -> list[etree._Element]:
    """The divisions of the model that get pages, in document order; *ids*: the document's
    own xml:ids (a model id made from the structure does not make a stable address)."""
    text = tree.getroot().find(MT + "text")
    if text is None:
        return []

    def identified(b) -> bool:
        return b.get("division") == "true" and b.get("id") in ids and not any(
            a.tag == MT + "note" for a in b.iterancestors())

    out = []
    for b in text.iter(MT + "block"):
        if identified(b) and not any(identified(d) for d in b.iterdescendants(MT + "block")):
            out.append(b)
    return out


def _renumber_notes(root: etree._Element) -> None:
    """Footnotes are numbered per page (a TEI @n, kept as @label, still wins as the mark)."""
    for i, note in enumerate((n for n in root.iter(MT + "note") if n.get("n")), 1):
        note.set("n", str(i))


def _shell(tree: etree._ElementTree) -> etree._Element:
    doc = tree.getroot()
    shell = etree.Element(doc.tag, dict(doc.attrib), nsmap=doc.nsmap)
    return shell


def part_model(tree: etree._ElementTree, div: etree._Element) -> etree._ElementTree:
    """The model of one division's page: the division alone, its head at level 1."""
    shell = _shell(tree)
    text = tree.getroot().find(MT + "text")
    new_text = etree.SubElement(shell, MT + "text", dict(text.attrib))
    part = copy.deepcopy(div)
    part.tail = None
    # The page has its own h1; the division's head becomes the page's first section heading.
    lang = next((a.get("lang") for a in div.iterancestors() if a.get("lang")), None)
    if lang and not part.get("lang"):
        part.set("lang", lang)
    delta = int(div.get("level") or 1) - 1
    for el in part.iter(MT + "block", MT + "heading"):
        if el.get("level") and el.get("level").isdigit():
            el.set("level", str(max(1, int(el.get("level")) - delta)))
    new_text.append(part)
    _renumber_notes(new_text)
    return etree.ElementTree(shell)


def contents_model(tree: etree._ElementTree, divs: list[etree._Element], pages: list[str],
                   dates: list[tuple[str, str]]) -> etree._ElementTree:
    """The document's own page: all of it, each split division replaced by an entry
    (``m:block division="true" page=… date=… date-label=…``, no content)."""
    root = copy.deepcopy(tree.getroot())
    by_id = {d.get("id"): (page, date) for d, page, date in zip(divs, pages, dates)}
    for b in list(root.iter(MT + "block")):
        hit = by_id.get(b.get("id")) if b.get("division") == "true" else None
        if hit is None:
            continue
        page, (value, label) = hit
        entry = etree.Element(MT + "block", {k: b.get(k) for k in ("division", "tei", "level", "id", "label", "n", "type")
                                              if b.get(k) is not None})
        entry.set("page", page)
        if value:
            entry.set("date", value)
            entry.set("date-label", label)
        entry.tail = b.tail
        b.getparent().replace(b, entry)
    _renumber_notes(root.find(MT + "text"))
    return etree.ElementTree(root)


def page_of_ids(divs: list[etree._Element], pages: list[str]) -> dict[str, str]:
    """Every model id inside a split division → the page it is on."""
    out = {}
    for d, page in zip(divs, pages):
        for el in d.iter():
            if isinstance(el.tag, str) and el.get("id"):
                out[el.get("id")] = page
    return out

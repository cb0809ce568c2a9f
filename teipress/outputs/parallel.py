"""The parallel pages of the HTML edition: an original beside its translation, unit by unit.

teipress.model.parallel aligns and cuts the two texts; this module renders each text's units
with the same stylesheet as every page (xslt/html.xsl) and sets them in rows, one row per
unit, so that the two columns stay in step without JavaScript.  Each text keeps its own notes
(listed under the rows, per text) and its names link to the registers; ids of one text are
prefixed (``o-`` original, ``t-`` translation) so that the two never collide on one page.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from html import escape

from lxml import etree, html as lxml_html
from markupsafe import Markup

from ..model import parallel as parallel_mod

MT = "{urn:teipress:model}"
SIDES = (("original", "o-"), ("translation", "t-"))
# Attributes that hold one id of the page (or several, space-separated).
ID_REFS = ("aria-describedby", "aria-labelledby", "aria-controls", "for")


@dataclass
class Row:
    unit: parallel_mod.Unit
    original: Markup
    translation: Markup

    @property
    def anchor(self) -> str:
        return self.unit.anchor

    @property
    def key(self) -> str:
        return self.unit.key


@dataclass
class Side:
    doc: object  # the document's Page (teipress.outputs.html), for title, language, links
    role: str  # original, translation
    prefix: str
    notes: Markup


@dataclass
class ParallelPage:
    pair: parallel_mod.Pair
    rows: list[Row]
    sides: list[Side]
    pdf: str = ""  # the facing-pages PDF (html/), when the PDF stage made it

    @property
    def path(self) -> str:
        return self.pair.path

    @property
    def title(self) -> str:
        return f"{self.pair.translation.title} · beside the original"

    def entries(self) -> list:
        """Both texts' register entries, each once (the side panel: one description per entry)."""
        seen, out = set(), []
        for side in self.sides:
            for kind, items in side.doc.people.items():
                for e in items:
                    if e.desc_id not in seen:
                        seen.add(e.desc_id)
                        out.append((kind, e))
        return out


def side_model(doc, units: list[parallel_mod.Unit], role: str) -> etree._ElementTree:
    """A behaviour model of one text holding its units in order, each a container block with
    the unit's anchor as id (an empty one where the text has nothing there)."""
    src = doc.model.getroot()
    root = etree.Element(src.tag, dict(src.attrib), nsmap=src.nsmap)
    text_src = src.find(MT + "text")
    text = etree.SubElement(root, MT + "text", dict(text_src.attrib) if text_src is not None else {})
    for u in units:
        block = etree.SubElement(text, MT + "block", {"tei": "parallel-unit", "style": "container",
                                                     "id": u.anchor})
        cut = getattr(u, role)
        if cut is not None:
            block.extend(list(copy.deepcopy(cut)))
    return etree.ElementTree(root)


def _ids(*fragments: etree._Element) -> set[str]:
    return {el.get("id") for f in fragments for el in f.iter() if isinstance(el.tag, str) and el.get("id")}


def _prefix_ids(fragment: etree._Element, prefix: str, ids: set[str]) -> None:
    """Prefix every id of one text's HTML (*ids*: those of its text and notes), and every
    in-page reference to one."""
    for el in fragment.iter():
        if not isinstance(el.tag, str):
            continue
        if el.get("id"):
            el.set("id", prefix + el.get("id"))
        href = el.get("href")
        if href and href.startswith("#") and href[1:] in ids:
            el.set("href", "#" + prefix + href[1:])
        for attr in ID_REFS:
            v = el.get(attr)
            if v:
                el.set(attr, " ".join(prefix + t if t in ids else t for t in v.split()))


def _html(el: etree._Element | None) -> Markup:
    """The content of an HTML element, serialised (text escaped by lxml)."""
    if el is None:
        return Markup("")
    return Markup(escape(el.text or "", quote=False)
                  + "".join(etree.tostring(c, method="html", encoding="unicode", with_tail=True) for c in el))


class _Fragments:
    """What xslt/html.xsl gives one text of the page (the HTML stage fills it)."""

    def __init__(self, path: str):
        self.path = path
        self.fields: list = []
        self.text = self.notes = self.toc = Markup("")


HEADINGS = ("h2", "h3", "h4", "h5", "h6")


def _heading_levels(blocks: list) -> None:
    """Headings in page order never skip a level (h1 is the page's title): a division deep in
    its text that opens a unit would otherwise follow the title as an h4.  Each heading keeps
    its level or rises to one below the heading before it."""
    before = 1
    for block in blocks:
        if block is None:
            continue
        for el in block.iter(*HEADINGS):
            level = min(int(el.tag[1]), before + 1)
            el.tag = f"h{level}"
            before = level


def render(pair: parallel_mod.Pair, pages: dict, html_xsl, fragments) -> ParallelPage:
    """The parallel page of *pair*; *pages*: document id → its Page; *fragments*: the HTML
    stage's function that fills a Page from a model (teipress.outputs.html.fragments)."""
    blocks: dict[str, dict] = {}
    sides = []
    for role, prefix in SIDES:
        doc = getattr(pair, role)
        page = pages[doc.id]
        holder = _Fragments(pair.path)
        fragments(html_xsl, holder, side_model(doc, pair.units, role), "../")
        text = lxml_html.fragment_fromstring(str(holder.text), create_parent="div")
        notes_html = lxml_html.fragment_fromstring(str(holder.notes), create_parent="div")
        ids = _ids(text, notes_html)
        _prefix_ids(text, prefix, ids)
        _prefix_ids(notes_html, prefix, ids)
        found = {el.get("id"): el for el in text.iter() if isinstance(el.tag, str) and el.get("id")}
        blocks[role] = {}
        for u in pair.units:
            block = found.get(prefix + u.anchor)
            if block is not None:
                block.attrib.pop("id")  # the row carries the unit's id
            blocks[role][u.anchor] = block
        sides.append(Side(page, role, prefix, _html(notes_html) if len(notes_html) else Markup("")))
    _heading_levels([blocks[role][u.anchor] for u in pair.units for role, _ in SIDES])
    rows = [Row(u, _html(blocks["original"][u.anchor]), _html(blocks["translation"][u.anchor]))
            for u in pair.units]
    return ParallelPage(pair, rows, sides)

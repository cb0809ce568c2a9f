"""What the HTML edition shows, computed once from the behaviour models.

Documents with their HTML fragments and metadata, the registers with every
occurrence (document, section, short context, exact id), the chronology.  The
page shells (teipress/templates/) only lay this out.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from lxml import etree
from markupsafe import Markup

from . import model, split as split_mod
from .model import header
from .edition import Edition, Entry, TeiFile, norm
from .isodate import human
from .xmlparse import NS

M = model.M
MT = "{%s}" % model.MODEL_NS
KIND_PAGES = {"person": ("persons", "Persons"), "place": ("places", "Places"),
              "org": ("organisations", "Organisations")}
# The side panel's groups: register kinds, and terms from a document's own list of abbreviations.
PANEL_KINDS = [(k, label) for k, (_page, label) in KIND_PAGES.items()] + [("term", "Terms")]
# Model elements whose text is a self-contained passage: the context of an occurrence.
PASSAGES = {MT + n for n in ("paragraph", "heading", "line", "item", "cell", "note", "speaker", "label", "quote")}
CONTEXT = 70  # characters of context either side of an occurrence


class SiteError(Exception):
    pass


# -- dates ------------------------------------------------------------------------
def date_label(value: str) -> str:
    """'1960-06-17' → '17 June 1960'; '1961-02-28/1961-03-30' → '28 February 1961 – 30 March 1961'."""
    if not value:
        return ""
    if "/" in value:
        a, b = value.split("/", 1)
        if a and b:
            return f"{human(a)} – {human(b)}"
        return f"after {human(a)}" if a else f"before {human(b)}"
    return human(value)


PRECISION_LABELS = {"day": "day", "month": "month", "year": "year", "range": "between"}


# -- data ---------------------------------------------------------------------------
@dataclass
class Occurrence:
    doc: "DocPage"
    id: str
    section: str
    before: str
    text: str
    after: str
    anchors: list[str] = field(default_factory=list)
    position: int = 0
    page: str = ""  # the page holding it, when its document is split
    where: str = ""  # short location: source page and shortened division head ("p. 26 · March 1961")
    where_full: str = ""  # the division's full head, when `where` shortens it

    def __post_init__(self):
        self.where = self.where or self.section

    @property
    def href(self) -> str:
        return f"{self.page or self.doc.path}#{self.id}"


@dataclass
class DateRef(Occurrence):
    value: str = ""
    sort: str = ""
    precision: str = ""
    cert: str = ""


class Attrs(dict):
    """Attributes of a metadata field; a missing one reads as ''."""

    def __missing__(self, key):
        return ""


@dataclass
class Field:
    name: str
    attrs: dict
    html: Markup

    @property
    def text(self) -> str:
        return norm(re.sub(r"<[^>]+>", " ", str(self.html)).replace("&amp;", "&")
                    .replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&#39;", "'"))


@dataclass
class DocPage:
    file: TeiFile
    id: str
    path: str
    model: etree._ElementTree
    text: Markup = Markup("")
    notes: Markup = Markup("")
    toc: Markup = Markup("")
    fields: list[Field] = field(default_factory=list)
    meta: header.EditionMetadata | None = None
    info: header.DocumentInfo | None = None  # the document's header facts (teipress.model.header)
    occurrences: list[Occurrence] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    pdf: str = ""
    tei: str = ""
    _entries: dict = field(default_factory=dict)
    # A page of a split document (teipress.split): its division's id, head and date, the
    # document it belongs to, its neighbours.  A split document lists its pages in `parts`.
    anchor: str = ""
    label: str = ""
    part_date: str = ""
    parent: "DocPage | None" = None
    parts: list["DocPage"] = field(default_factory=list)
    prev: "DocPage | None" = None
    next: "DocPage | None" = None

    def field(self, name: str, **attrs) -> list[Field]:
        return [f for f in self.fields if f.name == name and all(f.attrs.get(k) == v for k, v in attrs.items())]

    def first(self, name: str, **attrs) -> Field | None:
        hits = self.field(name, **attrs)
        return hits[0] if hits else None

    @property
    def title(self) -> str:
        if self.parent is not None:
            return self.label or self.anchor
        return self.info.title if self.info is not None else self.id

    @property
    def date_value(self) -> str:
        """When the document was made: profileDesc/creation date, else the source's date."""
        if self.parent is not None:
            return self.part_date
        creation = self.model.find("m:metadata/m:creation//m:date", M)
        if creation is not None and creation.get("value"):
            return creation.get("value")
        for src in self.model.iterfind("m:metadata/m:source", M):
            if src.get("when") and src.get("type") != "book":
                return src.get("when")
        corr = self.model.find("m:metadata/m:correspondence[@type='sent']//m:date", M)
        if corr is not None and corr.get("value"):
            return corr.get("value")
        return ""

    @property
    def date_sort(self) -> str:
        return self.date_value.split("/")[0]

    def entries(self, kind: str) -> list["RegisterEntry"]:
        return self._entries.get(kind, [])

    @property
    def people(self) -> dict[str, list["RegisterEntry"]]:
        return {k: v for k, v in self._entries.items() if v}

    @property
    def years(self) -> list[str]:
        return sorted({d.sort[:4] for d in self.dates if d.sort[:4].isdigit()})


@dataclass
class RegisterEntry:
    entry: Entry
    anchor: str
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def href(self) -> str:
        return f"{KIND_PAGES[self.kind][0]}.html#{self.anchor}"

    @property
    def desc_id(self) -> str:
        return f"tp-desc-{self.anchor}"

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def variants(self) -> list[str]:
        seen, out = set(), []
        for v in self.entry.variants:
            if v not in seen:
                seen.add(v)
                out.append(v)
        return out

    @property
    def description(self) -> str:
        return self.entry.description

    @property
    def dates(self) -> str:
        return model.entry_dates(self.entry)

    @property
    def details(self) -> list[str]:
        """Occupations, types and other facts of the entry, as short plain sentences."""
        out = []
        el = self.entry.element
        for occ in el.findall("tei:occupation", NS):
            span = "–".join(x for x in (occ.get("from", "")[:4], occ.get("to", "")[:4]) if x)
            out.append(norm("".join(occ.itertext())) + (f" ({span})" if span else ""))
        for tag in ("tei:affiliation", "tei:nationality", "tei:faith", "tei:residence"):
            for x in el.findall(tag, NS):
                if norm("".join(x.itertext())):
                    out.append(norm("".join(x.itertext())))
        if el.get("type") and self.kind in ("place", "org"):
            out.insert(0, el.get("type").replace("-", " ").capitalize())
        return out

    @property
    def sort_key(self) -> tuple:
        el = self.entry.element
        surname = el.find(".//tei:surname", NS)
        key = norm("".join(surname.itertext())) if surname is not None else self.name
        return (key.casefold(), self.name.casefold(), self.anchor)

    def by_document(self) -> list[tuple["DocPage", list[Occurrence]]]:
        out: dict[str, tuple[DocPage, list[Occurrence]]] = {}
        for o in self.occurrences:
            out.setdefault(o.doc.id, (o.doc, []))[1].append(o)
        return list(out.values())


@dataclass
class ListEntry:
    """An entry of a list inside a document (FRUS's List of Persons / Abbreviations), met through
    the name-links pointing to it.  It has no register page: the document's own list is its
    register, so the side panel and the links go to the entry there (xslt/MODEL.md)."""
    doc: str
    target: str
    kind: str
    name: str
    description: str
    href: str
    occurrences: list[Occurrence] = field(default_factory=list)
    dates: str = ""

    @property
    def anchor(self) -> str:
        return f"{self.doc}#{self.target}"

    @property
    def desc_id(self) -> str:
        return f"tp-desc-{self.doc}.{self.target}"  # as xslt/html/phrases.xsl points to it

    @property
    def sort_key(self) -> tuple:
        return (self.name.casefold(), self.anchor)


@dataclass
class Register:
    kind: str
    page: str
    label: str
    entries: list[RegisterEntry]
    files: list[str]

    @property
    def path(self) -> str:
        return f"{self.page}.html"


# -- the site -----------------------------------------------------------------------
@dataclass
class Site:
    edition: Edition
    meta: header.EditionMetadata
    version: str
    build_date: str
    tool_version: str
    documents: list[DocPage]
    registers: list[Register]
    chronology: list[DateRef]
    warnings: list[str]
    images: list[str]
    base_url: str = ""

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def nav(self) -> list[tuple[str, str]]:
        return ([("index.html", "Home")] + [(r.path, r.label) for r in self.registers]
                + [("chronology.html", "Chronology"), ("principles.html", "Editorial principles"),
                   ("about.html", "About"), ("search.html", "Search")])

    @property
    def panel_kinds(self) -> list[tuple[str, str]]:
        return PANEL_KINDS

    def register(self, kind: str) -> Register | None:
        return next((r for r in self.registers if r.kind == kind), None)

    @property
    def principles(self) -> list[tuple[DocPage, Field]]:
        out, seen = [], set()
        for d in self.documents:
            f = d.first("principles")
            if f is not None and str(f.html) not in seen:
                seen.add(str(f.html))
                out.append((d, f))
        return out

    @property
    def register_files(self) -> list[TeiFile]:
        return self.edition.registers

    @classmethod
    def from_context(cls, ctx) -> "Site":
        ed = ctx.edition
        if not ed.documents:
            raise SiteError(f"the edition in {ed.root} has no TEI document (only registers); "
                            "add a document to tei/")
        warnings: list[str] = []
        html_xsl = model.stylesheet(str(model.XSLT_DIR / "html.xsl"), (("page", _page_fn),))
        anchors = model.anchors(ed)
        reg_entries: dict[str, RegisterEntry] = {}
        for key, entry in sorted(ed.entries.items()):
            reg_entries[anchors[key]] = RegisterEntry(entry, anchors[key])

        docs: list[DocPage] = []
        infos: dict[str, header.DocumentInfo] = {}
        folder = header.folder_name(ed)
        used_ids: set[str] = set()
        images: set[str] = set()
        for f in sorted(ed.documents, key=lambda f: f.rel):
            doc_id = model.document_id(f)
            if doc_id in used_ids:  # two files with the same xml:id on <TEI>
                doc_id = f"{doc_id}-{len(used_ids)}"
            used_ids.add(doc_id)
            path = f"documents/{doc_id}.html"
            try:
                tree = model.behaviour(ed, f)
            except etree.XSLTApplyError as exc:
                raise SiteError(f"{f.rel}: the behaviour model failed: {exc}") from None
            warnings += [f"{f.rel}: {w}" for w in model.warnings(tree)]
            for g in tree.iterfind(".//m:graphic[@src]", M):
                images.add(str(PurePosixPath(f.rel).parent / g.get("src")))
            doc = DocPage(file=f, id=doc_id, path=path, model=tree, tei=f"tei/{f.rel}")
            doc.info = infos[f.rel] = header.read(tree)
            # a document's own metadata: the edition's rules applied to that document alone
            doc.meta = header.edition_metadata(ed.config, [doc.info], folder)
            docs.append(doc)

        # Split documents first: every page must know where each id of the edition is.
        try:
            to_split = split_mod.selected(ed.config.get("split"), [d.id for d in docs])
        except split_mod.SplitError as exc:
            raise SiteError(str(exc)) from None
        where: dict[tuple[str, str], str] = {}
        views: dict[str, etree._ElementTree] = {}
        for doc in docs:
            if doc.id in to_split:
                warnings += split(doc, where, views)

        _local.pages = where
        try:
            for doc in docs:
                render(html_xsl, doc, views.get(doc.id, doc.model), "../")
                for part in doc.parts:
                    part.fields, part.meta, part.info = doc.fields, doc.meta, doc.info
                    render(html_xsl, part, part.model, "../../")
                    if part.model.find(".//m:block[@division='true']//m:block[@division='true']", M) is None:
                        part.toc = Markup("")  # a contents list holding only the page's own head
        finally:
            _local.pages = {}
        list_entries: dict[str, ListEntry] = {}
        for doc in docs:
            collect(doc, reg_entries, {i: p for (d, i), p in where.items() if d == doc.id},
                    lambda el: list_entry(el, list_entries, where))
            for part in doc.parts:
                part.occurrences = [o for o in doc.occurrences if o.page == part.path]
                part.dates = [o for o in doc.dates if o.page == part.path]
        docs.sort(key=lambda d: (d.date_sort or "9999", d.title.casefold(), d.id))

        for d in docs + [p for d in docs for p in d.parts]:
            kinds: dict[str, list[RegisterEntry]] = {}
            seen = set()
            for o in d.occurrences:
                for a in o.anchors:
                    e = reg_entries.get(a) or list_entries.get(a)
                    if e is not None and a not in seen:
                        seen.add(a)
                        kinds.setdefault(e.kind, []).append(e)
            d._entries = {k: sorted(v, key=lambda e: e.sort_key) for k, v in sorted(kinds.items())}

        registers = []
        for kind, (page, label) in KIND_PAGES.items():
            entries = sorted((e for e in reg_entries.values() if e.kind == kind), key=lambda e: e.sort_key)
            if entries:
                files = sorted({e.entry.file.rel for e in entries})
                registers.append(Register(kind, page, label, entries, files))
        chronology = sorted((dr for d in docs for dr in d.dates if dr.sort),
                            key=lambda dr: (dr.sort, dr.precision != "day", dr.doc.date_sort, dr.doc.id,
                                            dr.position))
        return cls(
            edition=ed, meta=header.edition_metadata(ed.config, [infos[f.rel] for f in ed.documents], folder),
            version=ctx.edition_version,
            build_date=ctx.build_time.strftime("%Y-%m-%d"), tool_version=ctx.tool_version,
            documents=docs, registers=registers, chronology=chronology, warnings=warnings,
            images=sorted(images), base_url=(ed.config.get("base_url") or "").rstrip("/") + "/"
            if ed.config.get("base_url") else "",
        )


# -- pages ----------------------------------------------------------------------------
_local = threading.local()


def _page_fn(_context, doc: str, target: str) -> str:
    """tpf:page(doc, id): the page holding an element (html.xsl, for links into the edition)."""
    return getattr(_local, "pages", {}).get((doc, target)) or f"documents/{doc}.html"


def split(doc: DocPage, where: dict, views: dict) -> list[str]:
    """Give a document one page per division (teipress.split); its own page becomes the contents."""
    divs = split_mod.points(doc.model, doc.file)
    if not divs:
        return [f"{doc.file.rel}: split: no division carries an xml:id, so the document stays one page"]
    paths = [f"documents/{doc.id}/{name}.html" for name in split_mod.file_names(divs)]
    dates = [split_mod.first_date(d) for d in divs]
    for div, path, date in zip(divs, paths, dates):
        doc.parts.append(DocPage(file=doc.file, id=path[len("documents/"):-len(".html")], path=path,
                                 model=split_mod.part_model(doc.model, div), tei=doc.tei,
                                 anchor=div.get("id"), label=div.get("label") or div.get("id"),
                                 part_date=date, parent=doc))
    for a, b in zip(doc.parts, doc.parts[1:]):
        a.next, b.prev = b, a
    for xid, path in split_mod.page_of_ids(divs, paths).items():
        where[(doc.id, xid)] = path
    views[doc.id] = split_mod.contents_model(doc.model, divs, paths, [(d, date_label(d)) for d in dates])
    return []


def render(html_xsl, doc: DocPage, tree: etree._ElementTree, root: str) -> None:
    """The HTML fragments of a page (text, notes, contents, metadata fields) from its model."""
    parts = html_xsl(tree, root=etree.XSLT.strparam(root), page=etree.XSLT.strparam(doc.path))
    for part in parts.getroot():
        name = part.get("name")
        html = Markup(serialise(part))
        if name == "field":
            attrs = Attrs((k, v) for k, v in part.attrib.items() if k not in ("name", "field"))
            doc.fields.append(Field(part.get("field"), attrs, html))
        else:
            setattr(doc, name, html)


def serialise(part: etree._Element) -> str:
    """The children of an XSLT result part as an HTML string (text escaped by lxml)."""
    from html import escape

    out = [escape(part.text, quote=False) if part.text else ""]
    for child in part:
        out.append(etree.tostring(child, method="html", encoding="unicode", with_tail=True))
    return "".join(out)


# -- occurrences and dates ------------------------------------------------------------
def list_entry(el, entries: dict[str, ListEntry], where: dict) -> ListEntry:
    """The in-document list entry a model name points to (@doc, @target), made on first use."""
    doc, target = el.get("doc"), el.get("target")
    key = f"{doc}#{target}"
    if key not in entries:
        page = where.get((doc, target)) or f"documents/{doc}.html"
        desc = el.get("desc") or ""
        label = el.get("label") or target
        entries[key] = ListEntry(doc, target, el.get("kind"), label,
                                 desc[len(label) + 2:] if desc.startswith(label + ": ") else "",
                                 f"{page}#{target}")
    return entries[key]


def collect(doc: DocPage, reg_entries: dict[str, RegisterEntry], pages: dict[str, str] | None = None,
            in_document=None) -> None:
    """Occurrences and dates of a document; *pages*: id → page, for a split document;
    *in_document*: model name → its ListEntry (names pointing into a list in a document)."""
    pages = pages or {}
    text = doc.model.find("m:text", M)
    if text is None:
        return
    position = 0
    source_page = ""  # the printed page of the last page break before here
    labels: dict[str, tuple[str, str]] = {}
    for el in text.iter(MT + "name", MT + "date", MT + "page-break"):
        if el.tag == MT + "page-break":
            if el.get("n") and not any(a.tag == MT + "note" for a in el.iterancestors()):
                source_page = el.get("n")
            continue
        position += 1
        el_id = el.get("id")
        if not el_id:
            continue
        before, inside, after = context(el)
        section = section_of(el) or doc.title
        short, full = location(el, doc, labels)
        where = " · ".join(x for x in (page_label(source_page), short) if x)
        common = dict(position=position, page=pages.get(el_id, ""), where=where,
                      where_full=full if short.endswith("…") else "")
        if el.tag == MT + "name":
            entries = [reg_entries[a] for a in (el.get("ref") or "").split() if a in reg_entries]
            if not entries and el.get("target") and el.get("doc") and el.get("kind") and in_document:
                entries = [in_document(el)]
            if not entries:
                continue
            occ = Occurrence(doc, el_id, section, before, inside, after, [e.anchor for e in entries], **common)
            doc.occurrences.append(occ)
            for e in entries:
                e.occurrences.append(occ)
        else:
            if el.get("precision") in (None, "none"):
                continue
            dr = DateRef(doc, el_id, section, before, inside, after, **common,
                         value=el.get("value", ""),
                         sort=el.get("sort", ""), precision=el.get("precision", ""), cert=el.get("cert", ""))
            doc.dates.append(dr)


# -- location labels ------------------------------------------------------------------
LABEL = 50  # characters of a division's head in a location label


def page_label(n: str) -> str:
    """'26' → 'p. 26'; '19-20' → 'pp. 19–20' (as the page-break markers print them)."""
    if not n:
        return ""
    return f"pp. {n.replace('-', '–')}" if ("-" in n or "–" in n) else f"p. {n}"


def shorten(text: str, limit: int = LABEL) -> str:
    """A head as a compact label: outer brackets and a trailing colon dropped (they frame
    the whole head in print), cut at a word boundary with '…'."""
    text = norm(text).rstrip(":;,").strip()
    if text.startswith("[") and text.endswith("]") and "]" not in text[1:-1]:
        text = text[1:-1].strip()
    if len(text) <= limit:
        return text
    cut = text[:limit + 1]
    cut = cut[:cut.rfind(" ")] if " " in cut else text[:limit]
    cut = re.sub(r"(\s+[A-Z]\.)+$", "", cut)  # not "between L…": initials go with their name
    return cut.rstrip(" ,;:.–-") + "…"


def location(el, doc: DocPage, cache: dict) -> tuple[str, str]:
    """(short, full) label of the division holding *el*: its head, shortened; a division
    without a head is named by its date, else by its ordinal ('Excerpt 4')."""
    div = next((a for a in el.iterancestors(MT + "block") if a.get("division") == "true"), None)
    if div is None:
        return shorten(doc.title), doc.title
    key = div.get("id") or div.getroottree().getpath(div)  # not id(): lxml proxies are short-lived
    if key not in cache:
        label = div.get("label") or ""
        if div.find(MT + "heading") is not None:
            cache[key] = (shorten(label), label)
        else:
            date = split_mod.first_date(div)
            short = date_label(date) if date else label[:1].upper() + label[1:]
            cache[key] = (short, short)
    return cache[key]


def section_of(el) -> str:
    for anc in el.iterancestors(MT + "block"):
        if anc.get("division") == "true":
            return anc.get("label") or ""
    return ""


def _text(container, target=None) -> tuple[str, str, str]:
    """Plain text of *container* in the corrected reading, notes skipped, split around *target*."""
    buckets: list[list[str]] = [[], [], []]
    state = [0]

    def skip(el) -> bool:
        if el.tag == MT + "reading" and el.get("role") == "published":
            return True
        return el.tag == MT + "note" and el is not container

    def walk(el):
        if el is target:
            state[0] = 1
        if el.tag == MT + "gap":
            buckets[state[0]].append("[…]")
        if el.tag == MT + "supplied":
            buckets[state[0]].append("[")
        if el.tag == MT + "line-break" and el.get("break") != "no":
            buckets[state[0]].append(" ")
        if el.text:
            buckets[state[0]].append(el.text)
        for c in el:
            if isinstance(c.tag, str) and not skip(c):
                walk(c)
            if c.tail:
                buckets[state[0]].append(c.tail)
        if el.tag == MT + "supplied":
            buckets[state[0]].append("]")
        if el is target:
            state[0] = 2

    walk(container)
    return tuple("".join(b) for b in buckets)


def _clip_end(text: str) -> str:
    if len(text) <= CONTEXT:
        return text
    cut = text[:CONTEXT]
    return (cut[:cut.rfind(" ")] if " " in cut.strip() else cut) + "…"


def context(target) -> tuple[str, str, str]:
    """(before, text, after) of an occurrence in its passage, in the corrected reading."""
    container = next((a for a in target.iterancestors() if a.tag in PASSAGES), target.getparent())
    raw = _text(container, target)
    before, inside, after = (" ".join(x.split()) for x in raw)
    if raw[0][-1:].isspace() and before:
        before += " "
    if raw[2][:1].isspace() and after:
        after = " " + after
    if container.tag == MT + "speaker" and container.getparent() is not None:
        # A speaker label alone says nothing: add the opening words of what was said.
        after = _turn(container, after)
    if len(before) > CONTEXT:
        cut = before[-CONTEXT:]
        before = "…" + cut[cut.find(" "):] if " " in cut else "…" + cut
    if container.tag != MT + "speaker":
        after = _clip_end(after)
    return before, inside, after


def _turn(speaker, after: str) -> str:
    """'L. I. Brezhnev.' → 'L. I. Brezhnev: In the form in which the treaty exists…'."""
    said = next((" ".join(_text(b)[0].split()) for b in speaker.itersiblings()
                 if isinstance(b.tag, str) and b.tag != MT + "note" and " ".join(_text(b)[0].split())), "")
    if not said:
        return after
    after = after.rstrip()
    # the label's closing full stop or colon gives way to ours (an initial's full stop stays)
    if after.endswith(":") or (after.endswith(".") and not re.search(r"(^|\W)[A-Z]\.$", after)):
        after = after[:-1]
    return f"{after}: {_clip_end(said)}"

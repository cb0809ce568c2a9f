"""Occurrences of register entries and dates in the documents, the chronology, and the
labels and dates of divisions — read off the behaviour models, decided once.

An occurrence knows its document, its exact model id, its division, a short context
in the corrected reading and a location label ("p. 26 · March 1961"); the HTML
registers and chronology, the side panels and the PDF all read these.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import NamedTuple

from . import dates, text

MT = "{urn:teipress:model}"
# Model elements whose text is a self-contained passage: the context of an occurrence.
PASSAGES = {MT + n for n in ("paragraph", "heading", "line", "item", "cell", "note", "speaker", "label", "quote")}
CONTEXT = 70  # characters of context either side of an occurrence
LABEL = 50  # characters of a division's head in a location label


@dataclass(slots=True)  # (slots: a build holds every occurrence of the edition, no __dict__ each)
class Occurrence:
    doc: object  # the teipress.model.Document it is in
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
    editorial: bool = False  # in a note of the editors (not printed in the source): the "n" of an index
    dated: str = ""  # ISO date of its division (the conversation, letter, entry), for offices held then

    def __post_init__(self):
        self.where = self.where or self.section

    @property
    def href(self) -> str:
        return f"{self.page or self.doc.path}#{self.id}"


@dataclass(slots=True)
class DateRef(Occurrence):
    value: str = ""
    sort: str = ""
    precision: str = ""
    cert: str = ""


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


# -- divisions ---------------------------------------------------------------------
def _outside_notes(el) -> bool:
    return not any(a.tag == MT + "note" for a in el.iterancestors())


def _dated(container, *, notes_too: bool = False):
    for d in container.iter(MT + "date"):
        if d.get("value") and d.get("precision") not in (None, "none") and (notes_too or _outside_notes(d)):
            return d
    return None


def division_date(div) -> tuple[str, str]:
    """(ISO value, cert) that dates a division: a date in its heading, else in its dateline;
    a division printed without heading may be dated in an editors' note of its own; last, its
    first date outside notes (a FRUS document's dateline inside an opener)."""
    head = div.find(MT + "heading")
    d = _dated(head) if head is not None else None
    if d is None:
        d = next((x for b in div.iter(MT + "block") if b.get("tei") == "dateline"
                  for x in [_dated(b)] if x is not None), None)
    if d is None and head is None:
        notes = [n for n in div.iterfind(MT + "note") if n.get("type") == "editorial"]
        notes += [n for c in div for n in c.iterfind(MT + "note") if n.get("type") == "editorial"]
        d = next((x for n in notes for x in [_dated(n, notes_too=True)] if x is not None), None)
    if d is None:
        d = _dated(div)
    if d is None:
        return "", ""
    return re.sub(r"T[^/]*", "", d.get("value")), d.get("cert") or ""


def division_date_label(div) -> str:
    value, cert = division_date(div)
    return dates.heading_label(value, cert)


def page_label(n: str) -> str:
    """'26' → 'p. 26'; '19-20' → 'pp. 19–20' (as the page-break markers print them)."""
    if not n:
        return ""
    return f"pp. {n.replace('-', '–')}" if ("-" in n or "–" in n) else f"p. {n}"


def shorten(label: str, limit: int = LABEL) -> str:
    """A head as a compact label: outer brackets and a trailing colon dropped (they frame
    the whole head in print), cut at a word boundary with '…'."""
    label = " ".join(label.split()).rstrip(":;,").strip()
    if label.startswith("[") and label.endswith("]") and "]" not in label[1:-1]:
        label = label[1:-1].strip()
    if len(label) <= limit:
        return label
    cut = label[:limit + 1]
    cut = cut[:cut.rfind(" ")] if " " in cut else label[:limit]
    cut = re.sub(r"(\s+[A-Z]\.)+$", "", cut)  # not "between L…": initials go with their name
    return cut.rstrip(" ,;:.–-") + "…"


def location(el, doc_title: str, cache: dict) -> tuple[str, str]:
    """(short, full) label of the division holding *el*: its head, shortened; a division
    without a head is named by its date, else by its ordinal ('Excerpt 4')."""
    div = next((a for a in el.iterancestors(MT + "block") if a.get("division") == "true"), None)
    if div is None:
        return shorten(doc_title), doc_title
    key = div.get("id") or div.getroottree().getpath(div)  # not id(): lxml proxies are short-lived
    if key not in cache:
        label = div.get("label") or ""
        if div.find(MT + "heading") is not None:
            cache[key] = (shorten(label), label)
        else:
            short = division_date_label(div) or label[:1].upper() + label[1:]
            cache[key] = (short, short)
    return cache[key]


def in_editors_note(el) -> bool:
    """Whether *el* stands in a note the source does not print (the editors' own): a mention
    there is the editors', not the document's, and registers and indexes say so."""
    return any(a.tag == MT + "note" and a.get("published") != "true" for a in el.iterancestors())


def division_of(el):
    return next((a for a in el.iterancestors(MT + "block") if a.get("division") == "true"), None)


def section_of(el) -> str:
    for anc in el.iterancestors(MT + "block"):
        if anc.get("division") == "true":
            return anc.get("label") or ""
    return ""


# -- contexts ----------------------------------------------------------------------
def _clip_end(s: str) -> str:
    if len(s) <= CONTEXT:
        return s
    cut = s[:CONTEXT]
    return (cut[:cut.rfind(" ")] if " " in cut.strip() else cut) + "…"


def context(target, cache: dict | None = None) -> tuple[str, str, str]:
    """(before, text, after) of an occurrence in its passage, in the corrected reading;
    *cache*: passage → its text (text.spans), shared by the occurrences of one document."""
    container = next((a for a in target.iterancestors() if a.tag in PASSAGES), target.getparent())
    if cache is None:
        cache = {}
    key = container.getroottree().getpath(container)
    if key not in cache:
        cache[key] = text.spans(container)
    raw = text.split(*cache[key], target)
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
    said = next((text.plain(b) for b in speaker.itersiblings()
                 if isinstance(b.tag, str) and b.tag != MT + "note" and text.plain(b)), "")
    if not said:
        return after
    after = after.rstrip()
    # the label's closing full stop or colon gives way to ours (an initial's full stop stays)
    if after.endswith(":") or (after.endswith(".") and not re.search(r"(^|\W)[A-Z]\.$", after)):
        after = after[:-1]
    return f"{after}: {_clip_end(said)}"


# -- collecting --------------------------------------------------------------------
def list_entry(el, entries: dict[str, ListEntry], where: dict, doc_page) -> ListEntry:
    """The in-document list entry a model name points to (@doc, @target), made on first use;
    *doc_page*: document id → its page."""
    doc, target = el.get("doc"), el.get("target")
    key = f"{doc}#{target}"
    if key not in entries:
        page = where.get((doc, target)) or doc_page(doc)
        desc = el.get("desc") or ""
        label = el.get("label") or target
        entries[key] = ListEntry(doc, target, el.get("kind"), label,
                                 desc[len(label) + 2:] if desc.startswith(label + ": ") else "",
                                 f"{page}#{target}")
    return entries[key]


class Mention(NamedTuple):
    """A name or date of a document's text as its behaviour model alone has it (read once, in
    the worker that made the model, and cached with it: teipress.model.edition_model.own_facts);
    what the edition adds (its registers, its split pages, the document's title and date) is
    resolved by attach.  *section*, *short*, *dated*: '' (None for *short*) where the mention
    stands outside any division, for the document's title or date to stand in.  A named tuple
    that pickles as a plain one (__reduce__): a one-letter build of 5,000 letters reads some
    200,000 from the cache, and a named tuple's unpickling calls its __new__, in Python, for each
    (0.2-0.4 s of CPU), a plain tuple's none.  So attach reads either, by position."""
    id: str
    position: int
    section: str
    before: str
    text: str
    after: str
    source_page: str
    short: str | None
    full: str | None
    editorial: bool
    dated: str
    refs: tuple[str, ...] = ()  # a name's register anchors (@ref)
    in_list: tuple[str, str, str, str, str] | None = None  # a name's list entry: doc, target, kind, label, desc
    date: tuple[str, str, str, str] | None = None  # a date's value, sort, precision, cert

    def __reduce__(self):
        return tuple, (tuple(self),)


def without_context(found: list) -> list[tuple]:
    """A document's mentions (Mentions or plain tuples) without the text around each (before,
    text, after): what the pages of other documents read of them (the list entries they name,
    which entries they are), the text itself being shown by its own page, the registers and the
    chronology alone."""
    return [m[:3] + m[6:] for m in found]


def extract(model) -> list[Mention]:
    """The mentions of a document's behaviour model (*model*: its tree or root): every name
    that may point to an entry and every date of the text, in document order."""
    root = model.getroot() if hasattr(model, "getroot") else model
    body = root.find(MT + "text")
    if body is None:
        return []
    out = []
    position = 0
    source_page = ""  # the printed page of the last page break before here
    labels: dict[str, tuple[str, str]] = {}
    passages: dict = {}
    div_dates: dict = {}  # division → its date (division_date), computed once
    for el in body.iter(MT + "name", MT + "date", MT + "page-break"):
        if el.tag == MT + "page-break":
            if el.get("n") and _outside_notes(el):
                source_page = el.get("n")
            continue
        position += 1
        el_id = el.get("id")
        if not el_id:
            continue
        extra: dict = {}
        if el.tag == MT + "name":
            extra["refs"] = tuple((el.get("ref") or "").split())
            if el.get("target") and el.get("doc") and el.get("kind"):
                extra["in_list"] = (el.get("doc"), el.get("target"), el.get("kind"), el.get("label") or "",
                                    el.get("desc") or "")
            if not extra["refs"] and "in_list" not in extra:
                continue  # it can name no entry
        else:
            if el.get("precision") in (None, "none") or el.get("life") == "true":
                continue  # undated, or a life date of a list of persons: no date of the text
            extra["date"] = (el.get("value", ""), el.get("sort", ""), el.get("precision", ""), el.get("cert", ""))
        before, inside, after = context(el, passages)
        div = division_of(el)
        if div is None:
            short = full = None
        else:
            short, full = location(el, "", labels)
        div_key = div.getroottree().getpath(div) if div is not None else ""
        if div_key not in div_dates:
            div_dates[div_key] = division_date(div)[0] if div is not None else ""
        out.append(Mention(el_id, position, section_of(el), before, inside, after, source_page, short, full,
                           in_editors_note(el), div_dates[div_key], **extra))
    return out


def attach(doc, found: list[Mention], reg_entries: dict, pages: dict[str, str] | None = None,
           in_document=None) -> None:
    """Give *doc* its occurrences and dates from its mentions *found* (extract: Mentions, or the
    plain tuples they unpickle as), and each register entry its occurrences; *pages*: id →
    page, for a split document; *in_document*: the ListEntry of a name pointing into a list in
    a document (list_entry)."""
    pages = pages or {}
    title = doc.title
    short_title = None
    own_date = None  # the document's date: the date of a mention outside any dated division
    intern = sys.intern
    occurrences, dates = doc.occurrences, doc.dates
    for (m_id, m_position, m_section, m_before, m_text, m_after, m_source_page, m_short, m_full,
         m_editorial, m_dated, m_refs, m_in_list, m_date) in found:
        if m_date is None:  # a name: an occurrence of the entries it names, if any
            entries = [reg_entries[a] for a in m_refs if a in reg_entries]
            if not entries and m_in_list is not None and in_document:
                entries = [in_document(_ListName(*m_in_list))]
            if not entries:
                continue
        if m_short is None:
            if short_title is None:
                short_title = shorten(title)
            short, full = short_title, title
        else:
            short, full = m_short, m_full
        label = page_label(m_source_page)
        where = f"{label} · {short}" if label and short else (label or short)
        dated = m_dated
        if not dated:
            if own_date is None:
                own_date = doc_date(doc)
            dated = own_date
        # The labels a document repeats for each of its mentions (its division's head and date,
        # its page), and ids that letters repeat, are held once: a build holds every occurrence.
        # (all strings here: sys.intern itself, not held_once.interned's test of the type)
        section, where, dated, ident = intern(m_section or title), intern(where), intern(dated), intern(m_id)
        full = intern(full) if short.endswith("…") else ""
        page = intern(pages[m_id]) if m_id in pages else ""
        if m_date is None:
            occ = Occurrence(doc, ident, section, m_before, m_text, m_after, [e.anchor for e in entries],
                             m_position, page, where, full, m_editorial, dated)
            occurrences.append(occ)
            for e in entries:
                e.occurrences.append(occ)
        else:
            value, sort, precision, cert = m_date
            dates.append(DateRef(doc, ident, section, m_before, m_text, m_after, [], m_position,
                                 page, where, full, m_editorial, dated, value, sort, intern(precision),
                                 intern(cert)))


class _ListName:
    """A name's list attributes as list_entry reads them off a model element."""

    def __init__(self, doc, target, kind, label, desc):
        self._attrs = {"doc": doc, "target": target, "kind": kind, "label": label, "desc": desc}

    def get(self, name, default=None):
        return self._attrs.get(name) or default


def doc_date(doc) -> str:
    """The document's own date (its header's), for a mention outside any dated division."""
    return (getattr(doc, "date_value", "") or "").split("/")[0]


@dataclass(slots=True)
class Record:
    """A dated division of a document — a conversation, a note, a letter, a diary entry: the
    chronology's dates of the records, told apart from the dates the records mention."""
    doc: object
    id: str
    value: str
    cert: str
    label: str  # source page and head, shortened ('p. 26 · no heading in the source')
    label_full: str
    href: str

    @property
    def date_label(self) -> str:
        return dates.heading_label(self.value, self.cert)

    @property
    def sort(self) -> str:
        return self.value.split("/")[0]


def division_records(model) -> list[tuple[str, str, str, str, str]]:
    """(id, value, cert, label, full head) of every dated division of a document's behaviour
    model (the innermost dated ones), in document order: its records (Record), before the
    edition says which page holds each."""
    root = model.getroot() if hasattr(model, "getroot") else model
    body = root.find(MT + "text")
    if body is None:
        return []
    out = []
    divs = [d for d in body.iter(MT + "block") if d.get("division") == "true" and d.get("id")]
    for div in divs:
        if any(c is not div and c.get("division") == "true" and division_date(c)[0]
               for c in div.iter(MT + "block")):
            continue  # a division of dated divisions: its parts are the records
        value, cert = division_date(div)
        if not value:
            continue
        full = (div.get("label") or "") if div.find(MT + "heading") is not None else ""
        short = shorten(full, 90) if full else "no heading in the source"
        pb = next((b.get("n") for b in div.iter(MT + "page-break") if b.get("n") and _outside_notes(b)), "")
        if pb:
            short = f"{page_label(pb)} · {short}"
        out.append((div.get("id"), value, cert, short, full))
    return out


def records(docs, page_of) -> list[Record]:
    """Every dated division of the documents (the innermost dated ones), in date order;
    *page_of*: (document id, model id) → the page holding it.  A document's rows are those
    its model's worker read (Document.division_records), else read off its model."""
    out = []
    for doc in docs:
        rows = getattr(doc, "division_records", None)
        if rows is None:
            rows = division_records(doc.model)
        out += [Record(doc, i, value, cert, short, full, f"{page_of(doc.id, i)}#{i}")
                for i, value, cert, short, full in rows]
    return in_order(out)


def in_order(records: list[Record]) -> list[Record]:
    """The chronology's order of records: by date, then document, then division."""
    return sorted(records, key=lambda r: (r.sort, r.doc.id, r.id))


def chronology(docs) -> list[DateRef]:
    return sorted((dr for d in docs for dr in d.dates if dr.sort),
                  key=lambda dr: (dr.sort, dr.precision != "day", dr.doc.date_sort, dr.doc.id, dr.position))

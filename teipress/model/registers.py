"""Register entries (persons, places, organisations) and their facts, decided once.

Display name, variants, inverted index label, sort key, life dates, description and
details of an entry are computed here from the register's TEI; the HTML register
pages, the name tooltips, the side panels and the PDF indexes all read them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..edition import Edition, Entry, norm
from ..xmlparse import NS
from . import dates

# Register kind → (page name, heading).  The page's file name is decided in teipress.model.paths.
KINDS = {"person": "Persons", "place": "Places", "org": "Organisations"}
NAME_TAGS = {"person": "persName", "place": "placeName", "org": "orgName"}


def anchors(ed: Edition) -> dict[tuple[str, str], str]:
    """Register entry (file, xml:id) → its anchor on the register page: the xml:id, or
    file-stem-prefixed when two register files reuse an id."""
    counts: dict[str, int] = {}
    for (_rel, xid) in ed.entries:
        counts[xid] = counts.get(xid, 0) + 1
    out = {}
    for (rel, xid) in sorted(ed.entries):
        stem = re.sub(r"[^A-Za-z0-9_-]", "-", Path(rel).stem)
        out[(rel, xid)] = xid if counts[xid] == 1 else f"{stem}-{xid}"
    return out


def _when(el) -> str:
    if el is None:
        return ""
    for attr in ("when", "notBefore", "from", "notAfter", "to"):
        if el.get(attr):
            return el.get(attr)
    return ""


def life_dates(entry: Entry) -> str:
    """Life (or existence) dates of an entry: '1912–1994', '1906–', 'd. 1998'."""
    el = entry.element
    return dates.life_dates(_when(el.find("tei:birth", NS)), _when(el.find("tei:death", NS)))


def _text(el) -> str:
    return norm("".join(el.itertext())) if el is not None else ""


def index_label(entry: Entry) -> tuple[str, str]:
    """(label, sort text) for a back-of-book index: 'Brezhnev, Leonid' for a person whose name
    has a surname and forename (surname-first names such as Korean ones stay in their order)."""
    label = entry.name
    if entry.kind == "person":
        names = entry.element.findall(f"tei:{NAME_TAGS['person']}", NS)
        main = [n for n in names if n.get("type") in (None, "main", "reg")] or names
        if main:
            sur, fore = main[0].find("tei:surname", NS), main[0].find("tei:forename", NS)
            if sur is not None and fore is not None:
                kids = [c for c in main[0] if isinstance(c.tag, str)]
                s, f = _text(sur), _text(fore)
                return (f"{s} {f}" if kids.index(sur) < kids.index(fore) else f"{s}, {f}"), f"{s} {f}"
    return label, label


@dataclass
class RegisterEntry:
    """One entry with its facts; `occurrences` are filled by teipress.model.mentions."""

    entry: Entry
    anchor: str
    page: str  # the register page, e.g. "persons.html" (teipress.model.paths)
    occurrences: list = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def href(self) -> str:
        return f"{self.page}#{self.anchor}"

    @property
    def desc_id(self) -> str:
        return f"tp-desc-{self.anchor}"

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def variants(self) -> list[str]:
        return list(dict.fromkeys(self.entry.variants))

    @property
    def description(self) -> str:
        return self.entry.description

    @property
    def dates(self) -> str:
        return life_dates(self.entry)

    @property
    def index_label(self) -> str:
        return index_label(self.entry)[0]

    @property
    def details(self) -> list[str]:
        """Occupations, types and other facts of the entry, as short plain sentences."""
        out = []
        el = self.entry.element
        for occ in el.findall("tei:occupation", NS):
            span = "–".join(x for x in (occ.get("from", "")[:4], occ.get("to", "")[:4]) if x)
            out.append(_text(occ) + (f" ({span})" if span else ""))
        for tag in ("tei:affiliation", "tei:nationality", "tei:faith", "tei:residence"):
            out += [_text(x) for x in el.findall(tag, NS) if _text(x)]
        if el.get("type") and self.kind in ("place", "org"):
            out.insert(0, el.get("type").replace("-", " ").capitalize())
        return out

    @property
    def sort_key(self) -> tuple:
        surname = self.entry.element.find(".//tei:surname", NS)
        key = _text(surname) if surname is not None else self.name
        return (key.casefold(), self.name.casefold(), self.anchor)

    def by_document(self) -> list[tuple]:
        out: dict[str, tuple] = {}
        for o in self.occurrences:
            out.setdefault(o.doc.id, (o.doc, []))[1].append(o)
        return list(out.values())


@dataclass
class Register:
    kind: str
    page: str  # file name of its page, e.g. "persons.html"
    label: str
    entries: list[RegisterEntry]
    files: list[str]

    @property
    def path(self) -> str:
        return self.page


def entries(ed: Edition, pages: dict[str, str]) -> dict[str, RegisterEntry]:
    """Every register entry of the edition by anchor; *pages*: kind → register page."""
    ids = anchors(ed)
    return {ids[key]: RegisterEntry(entry, ids[key], pages[entry.kind])
            for key, entry in sorted(ed.entries.items())}


def registers(all_entries: dict[str, RegisterEntry], pages: dict[str, str]) -> list[Register]:
    out = []
    for kind, label in KINDS.items():
        es = sorted((e for e in all_entries.values() if e.kind == kind), key=lambda e: e.sort_key)
        if es:
            out.append(Register(kind, pages[kind], label, es, sorted({e.entry.file.rel for e in es})))
    return out

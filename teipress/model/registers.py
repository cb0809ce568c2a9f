"""Register entries (persons, places, organisations) and their facts, decided once.

Editors keep registers in many places: register files, a document's ``standOff`` or
``back`` (each Schnitzler letter lists the persons it names), a play's ``particDesc``.
The entries that describe one person (place, organisation) are merged into ONE register
entry (:func:`identities`): by the same xml:id in several files (with the same name), the
same ``@key``, the same ``idno`` or authority URI (GND, Wikidata, VIAF, GeoNames …); a
play's cast list merges only by authority, its ids being the play's own.  Display name,
variants, inverted index label, sort key, life dates, description and details of an entry
are computed here from the TEI of its fullest description; the HTML register pages, the
name tooltips, the side panels and the PDF indexes all read them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..edition import Edition, Entry, norm
from ..xmlparse import NS
from . import authority, dates

# Register kind → (page name, heading).  The page's file name is decided in teipress.model.paths.
KINDS = {"person": "Persons", "place": "Places", "org": "Organisations"}
NAME_TAGS = {"person": "persName", "place": "placeName", "org": "orgName"}


def authority_keys(entry: Entry) -> set[str]:
    """The identity keys of an entry's own idnos (and @sameAs, @key): 'gnd:118609807' for
    <idno type="gnd">118609807</idno> and for https://d-nb.info/gnd/118609807/ alike."""
    el = entry.element
    values = [("", el.get("key") or "")] + [("", u) for u in (el.get("sameAs") or "").split()]
    values += [((i.get("type") or "").casefold(), _text(i)) for i in el.findall("tei:idno", NS)]
    out = set()
    for kind, value in values:
        value = value.strip()
        if not value:
            continue
        hit = authority.record(value, kind)
        if hit:
            out.add(f"{hit[0]}:{hit[1]}")
        elif re.match(r"(?i)https?://", value):
            uri = re.sub(r"(?i)^https?://(www\.)?", "", value).rstrip("/").casefold()
            if "/" in uri:  # a site's home page names no record
                out.add("uri:" + uri)
        elif kind and kind not in ("uri", "url"):
            out.add(f"{authority.ALIASES.get(kind, kind)}:{value}")
        elif el.get("key") == value:
            out.add(f"key:{norm(value)}")
    return out


def _richness(entry: Entry) -> int:
    return sum(1 for _ in entry.element.iter())


def identities(ed: Edition) -> dict[tuple[str, str], list[Entry]]:
    """Register entry (file, xml:id) → every entry describing the same person, place or
    organisation, the fullest description first (a register file's before a copy in a
    document).  Same kind, and: the same xml:id in two files (not a play's cast) whose
    names agree (or one has none); or a shared authority key (:func:`authority_keys`).
    Two entries of one file are never merged: there the editors chose to keep them apart
    (two persons given one GND number by mistake stay two)."""
    keys = sorted(ed.entries)
    parent = {k: k for k in keys}
    files = {k: {k[0]} for k in keys}  # root → the files its identity is described in

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb and not files[ra] & files[rb]:
            lo, hi = min(ra, rb), max(ra, rb)
            parent[hi] = lo
            files[lo] |= files.pop(hi)

    # A key two entries of one file share names no one record (a project's own URL in every
    # entry, a GND number given twice by mistake): it merges nothing.
    akeys = {k: authority_keys(ed.entries[k]) for k in keys}
    per_file: dict[tuple, int] = {}
    for k in keys:
        for a in akeys[k]:
            per_file[(ed.entries[k].kind, a, k[0])] = per_file.get((ed.entries[k].kind, a, k[0]), 0) + 1
    shared = {(kind, a) for (kind, a, _rel), n in per_file.items() if n > 1}
    by_key: dict[tuple[str, str], tuple[str, str]] = {}
    by_id: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for k in keys:
        e = ed.entries[k]
        for a in sorted(akeys[k]):
            if (e.kind, a) not in shared:
                union(by_key.setdefault((e.kind, a), k), k)
        if e.where != "particDesc":
            by_id.setdefault((e.kind, e.id), []).append(k)
    for same in by_id.values():
        for k in same[1:]:
            a, b = ed.entries[same[0]], ed.entries[k]
            if not a.names() or not b.names() or a.name == b.name:
                union(same[0], k)
    groups: dict[tuple[str, str], list[Entry]] = {}
    for k in keys:
        groups.setdefault(find(k), []).append(ed.entries[k])
    out = {}
    for members in groups.values():
        members.sort(key=lambda e: (e.file.kind != "register", -_richness(e), e.file.rel, e.id))
        for e in members:
            out[(e.file.rel, e.id)] = members
    return out


def anchors(ed: Edition, groups: dict | None = None) -> dict[tuple[str, str], str]:
    """Register entry (file, xml:id) → its anchor on the register page, the same for every
    entry of one identity (:func:`identities`): the xml:id of its fullest description, or
    file-stem-prefixed when two identities would share an id."""
    groups = groups if groups is not None else identities(ed)
    heads = {id(m[0]): m[0] for m in groups.values()}
    counts: dict[str, int] = {}
    for e in heads.values():
        counts[e.id] = counts.get(e.id, 0) + 1
    out = {}
    for key in sorted(ed.entries):
        head = groups[key][0]
        stem = re.sub(r"[^A-Za-z0-9_-]", "-", Path(head.file.rel).stem)
        out[key] = head.id if counts[head.id] == 1 else f"{stem}-{head.id}"
    return out


def _when(el) -> str:
    """The date of a birth or death: its own attributes, else those of its date (the
    Schnitzler registers: <birth><date when="1866-07-11"/> <settlement …/></birth>)."""
    if el is None:
        return ""
    for node in (el, el.find("tei:date", NS)):
        for attr in ("when", "when-iso", "notBefore", "from", "notAfter", "to"):
            if node is not None and node.get(attr):
                return node.get(attr)
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

    entry: Entry  # its fullest description (identities)
    anchor: str
    page: str  # the register page, e.g. "persons.html" (teipress.model.paths)
    occurrences: list = field(default_factory=list)
    members: list = field(default_factory=list)  # every Entry describing it, in every file

    @property
    def files(self) -> list[str]:
        """The files describing it (rel paths), in path order."""
        return sorted({m.file.rel for m in self.members or [self.entry]})

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
        names = [v for m in (self.members or [self.entry]) for v in m.names()]
        return [v for v in dict.fromkeys(names) if v != self.name]

    # description and dates are read on every page naming the entry: worked out once
    @cached_property
    def description(self) -> str:
        return next((d for m in (self.members or [self.entry]) for d in [m.description] if d), "")

    @cached_property
    def dates(self) -> str:
        """Life dates of its fullest description, else of the first description giving them."""
        return next((d for m in (self.members or [self.entry]) for d in [life_dates(m)] if d), "")

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
    """Every register entry of the edition by anchor, one per identity (:func:`identities`);
    *pages*: kind → register page."""
    groups = identities(ed)
    ids = anchors(ed, groups)
    out: dict[str, RegisterEntry] = {}
    for key in sorted(ed.entries):
        members = groups[key]
        if ids[key] not in out:
            out[ids[key]] = RegisterEntry(members[0], ids[key], pages[members[0].kind], members=members)
    return out


def registers(all_entries: dict[str, RegisterEntry], pages: dict[str, str]) -> list[Register]:
    out = []
    for kind, label in KINDS.items():
        es = sorted((e for e in all_entries.values() if e.kind == kind), key=lambda e: e.sort_key)
        if es:
            out.append(Register(kind, pages[kind], label, es, sorted({f for e in es for f in e.files})))
    return out

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

What an entry's TEI says is read once, with its file's facts (:func:`describe`, called by
teipress.validation.facts, in the workers and under the file's bytes in an incremental build's
cache): merging (:func:`identities`) and showing an entry read those plain records, never the
tree again, and a :class:`RegisterEntry` holds no element.
"""
from __future__ import annotations

import json
import re
import weakref
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from lxml import etree

from ..edition import ENTRY_NAME_TAGS, Edition, Entry, norm, part_of
from ..validation import facts as facts_mod
from ..xmlparse import NS
from . import authority, dates
from .quick_setstate import quick_setstate

# Register kind → (page name, heading).  The page's file name is decided in teipress.model.paths.
KINDS = {"person": "Persons", "place": "Places", "org": "Organisations", "event": "Events and treaties"}
NAME_TAGS = ENTRY_NAME_TAGS
SCHEMA_TYPES = {"person": "Person", "place": "Place", "org": "Organization", "event": "Event"}


def authority_keys(entry: Entry) -> set[str]:
    """The identity keys of an entry's own idnos (and @sameAs, @key): 'gnd:118609807' for
    <idno type="gnd">118609807</idno> and for https://d-nb.info/gnd/118609807/ alike."""
    return set(facts_of(entry).keys)


def _authority_keys(el, idnos: list[tuple[str, str]]) -> set[str]:
    """*idnos*: (@type case-folded, text) of each idno child of *el*."""
    values = [("", el.get("key") or "")] + [("", u) for u in (el.get("sameAs") or "").split()] + idnos
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


def identities(ed: Edition) -> dict[tuple[str, str], list[Entry]]:
    """Register entry (file, xml:id) → every entry describing the same person, place or
    organisation (:func:`merged`); an incremental build's from its cache when the edition's
    entries are those of a build before (teipress.model.identity_cache)."""
    from . import identity_cache

    return identity_cache.identities(ed, merged)


def merged(ed: Edition) -> dict[tuple[str, str], list[Entry]]:
    """Register entry (file, xml:id) → every entry describing the same person, place or
    organisation, the fullest description first (a register file's before a copy in a
    document).  Same kind, and: the same xml:id in two files (not a play's cast) whose
    names agree (or one has none); or a shared authority key (:func:`authority_keys`).
    Two entries of one file are never merged: there the editors chose to keep them apart
    (two persons given one GND number by mistake stay two)."""
    keys = sorted(ed.entries)
    parent = {k: k for k in keys}
    files = {k: {k[0]} for k in keys}  # root → the files its identity is described in
    facts = {k: facts_of(ed.entries[k]) for k in keys}

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
    per_file: dict[tuple, int] = {}
    for k in keys:
        for a in facts[k].keys:
            per_file[(ed.entries[k].kind, a, k[0])] = per_file.get((ed.entries[k].kind, a, k[0]), 0) + 1
    shared = {(kind, a) for (kind, a, _rel), n in per_file.items() if n > 1}
    by_key: dict[tuple[str, str], tuple[str, str]] = {}
    by_id: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for k in keys:
        e = ed.entries[k]
        for a in facts[k].keys:  # (sorted)
            if (e.kind, a) not in shared:
                union(by_key.setdefault((e.kind, a), k), k)
        if e.file.kind == "register" or facts[k].where != "particDesc":
            by_id.setdefault((e.kind, e.id), []).append(k)
    for same in by_id.values():
        for k in same[1:]:
            a, b = facts[same[0]], facts[k]
            if not a.names or not b.names or a.name == b.name:
                union(same[0], k)
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for k in keys:
        groups.setdefault(find(k), []).append(k)
    out = {}
    for members in groups.values():
        members.sort(key=lambda k: (ed.entries[k].file.kind != "register", -facts[k].richness, k[0], k[1]))
        entries = [ed.entries[k] for k in members]
        for e in entries:
            out[(e.file.rel, e.id)] = entries
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
    stems: dict[str, str] = {}  # (one per file, not per entry: thousands of entries share one)
    for key in sorted(ed.entries):
        head = groups[key][0]
        if counts[head.id] == 1:
            out[key] = head.id
            continue
        rel = head.file.rel
        if rel not in stems:
            stems[rel] = re.sub(r"[^A-Za-z0-9_-]", "-", Path(rel).stem)
        out[key] = f"{stems[rel]}-{head.id}"
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


def _uncertain(el) -> bool:
    return el is not None and any(n is not None and n.get("cert") in ("low", "medium", "unknown")
                                  for n in (el, el.find("tei:date", NS)))


def event_date(entry: Entry) -> str:
    """The ISO date of an event (its @when, else '@from/@to' or '@notBefore/@notAfter');
    '' for other entries."""
    return facts_of(entry).about.event_date


def _event_date(kind: str, el) -> str:
    if kind != "event":
        return ""
    if el.get("when"):
        return el.get("when")
    lo, hi = el.get("from") or el.get("notBefore") or "", el.get("to") or el.get("notAfter") or ""
    return f"{lo}/{hi}" if (lo or hi) else ""


def life_dates(entry: Entry) -> str:
    """Life (or existence) dates of an entry: '1912–1994', '1906–', 'd. 1998'; a year the
    editors are unsure of (@cert low or medium) carries a query: '1915?–1970?'.  An event: its
    date, '6 July 1961', '3–4 June 1961'."""
    return facts_of(entry).about.dates


def description(entry: Entry) -> str:
    """The entry's description (teipress.edition.Entry.description), from its record."""
    return facts_of(entry).about.description


def _life_dates(kind: str, el, birth, death, born: str, died: str) -> str:
    """*birth*, *death*: its first birth and death (or None), *born*, *died* their dates (_when)."""
    if kind == "event":
        return dates.heading_label(_event_date(kind, el), el.get("cert") or "")
    text = dates.life_dates(born, died)
    for node, when in ((birth, born), (death, died)):
        y = dates.year(when)
        if y and _uncertain(node):
            text = re.sub(rf"(?<![0-9]){re.escape(y)}(?![0-9?])", y + "?", text, count=1)
    return text


# Languages of names in their original script, as a reader is told them.
SCRIPT_LABELS = {"ko": "Korean", "ko-Hang": "Korean", "ko-Kore": "Korean", "ko-Hani": "Korean, Hanja",
                 "ru": "Russian", "ru-Cyrl": "Russian", "zh": "Chinese", "zh-Hant": "Chinese",
                 "zh-Hans": "Chinese", "ja": "Japanese", "uk": "Ukrainian", "el": "Greek",
                 "he": "Hebrew", "ar": "Arabic", "yi": "Yiddish", "be": "Belarusian", "bg": "Bulgarian",
                 "sr": "Serbian", "mn": "Mongolian"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


# Characters outside Latin (to Latin Extended-B, and Latin Extended Additional).
_OUTSIDE_LATIN = re.compile("[^\u0000-\u024f\u1e00-\u1eff]")


def _latin(text: str) -> bool:
    """No letter of *text* is outside the Latin script (a search, not a loop over every
    character: every name of every register entry is asked)."""
    return not any(ch.isalpha() for ch in _OUTSIDE_LATIN.findall(text))


def original_names(entry: Entry) -> list[tuple[str, str, str]]:
    """(name, language tag, language label) of the entry's names in a script other than the
    Latin: 'Ким Ир Сен', 'ru', 'Russian'.  A name of @type 'original', or any name in a
    non-Latin script; its language from @xml:lang."""
    return list(facts_of(entry).about.originals)


def _original_names(names: list, texts: list[str]) -> list[tuple[str, str, str]]:
    """*names*: the entry's name elements, *texts* their texts."""
    out = []
    for n, text in zip(names, texts):
        if not text or (n.get("type") != "original" and _latin(text)):
            continue
        lang = n.get(XML_LANG) or ""
        label = SCRIPT_LABELS.get(lang) or SCRIPT_LABELS.get(lang.split("-")[0], "")
        out.append((text, lang, label))
    return out


@dataclass(frozen=True, slots=True)  # (one per record of every entry: kept small)
class Identifier:
    """An authority record an entry names: 'wikidata', 'Q855', 'http://www.wikidata.org/entity/Q855'."""

    authority: str
    value: str
    uri: str

    @property
    def label(self) -> str:
        return AUTHORITY_LABELS.get(self.authority, self.authority.upper())

    @property
    def href(self) -> str:
        """The record's page for a reader (https)."""
        return re.sub(r"^http://", "https://", self.uri)


AUTHORITY_LABELS = {"wikidata": "Wikidata", "viaf": "VIAF", "gnd": "GND", "geonames": "GeoNames",
                    "orcid": "ORCID", "lc": "Library of Congress", "bnf": "BnF", "ndl": "NDL"}


def identifiers(entry: Entry) -> list[Identifier]:
    """The authority records the entry's idnos (and @sameAs) name, each once, in the order given."""
    return list(facts_of(entry).about.identifiers)


def _identifiers(el, idnos: list[tuple[str, str]]) -> list[Identifier]:
    values = [("", u) for u in (el.get("sameAs") or "").split()] + idnos
    out: dict[tuple[str, str], Identifier] = {}
    for kind, value in values:
        hit = authority.record(value, kind)
        if hit and hit not in out:
            out[hit] = Identifier(hit[0], hit[1], authority.uri(value, kind))
    return list(out.values())


@dataclass(frozen=True, slots=True)  # (one per record of every entry: kept small)
class Source:
    """A work the editors cite as a source of an entry: its text as they wrote it, and the
    address (ref/ptr @target, or a bare URL in @source) where a reader finds it."""

    text: str
    url: str = ""

    @property
    def parts(self) -> tuple[str, str, str]:
        """(before, address, after): the address inside the text is the link; an address the
        text does not give is linked after it."""
        if not self.url:
            return self.text, "", ""
        i = self.text.find(self.url)
        if i < 0:
            return (self.text + " ").lstrip() if self.text else "", self.url, ""
        return self.text[:i], self.url, self.text[i + len(self.url):]


_BIBL_TAGS = ("bibl", "biblStruct", "biblFull")


def _source_of(b) -> Source:
    url = next((t for r in b.iter(f"{{{NS['tei']}}}ref", f"{{{NS['tei']}}}ptr")
                for t in (r.get("target") or "").split() if re.match(r"https?://", t)), "")
    return Source(_text(b), url)


def sources(entry: Entry) -> list[Source]:
    """The works the entry cites: its bibl children (and those of its listBibl), then what its
    @source and ptr children point to: a bibl of the same file by #id, or an address."""
    return list(facts_of(entry).about.sources)


def _sources(entry: Entry) -> list[Source]:
    el = entry.element
    found = [b for b in el if isinstance(b.tag, str) and etree.QName(b).localname in _BIBL_TAGS]
    for lb in el.findall("tei:listBibl", NS):  # (a comment among them is no source)
        found += [b for b in lb.iter() if isinstance(b.tag, str) and etree.QName(b).localname in _BIBL_TAGS
                  and etree.QName(b.getparent()).localname == "listBibl"]
    out = [_source_of(b) for b in found]
    # @source (places, events …) and ptr children (a person may hold no bibl, but a ptr)
    tokens = (el.get("source") or "").split() + [t for ptr in el.findall("tei:ptr", NS)
                                                 for t in (ptr.get("target") or "").split()]
    for token in tokens:
        if re.match(r"https?://", token):
            out.append(Source(token, token))
        elif token.startswith("#"):
            hit = entry.file.root.xpath("//*[@xml:id=$i]", i=token[1:])
            if hit:
                out.append(_source_of(hit[0]))
    return [x for x in dict.fromkeys(out) if x.text or x.url]


def offices_at(entry: Entry, when: str) -> list[str]:
    """The entry's occupations held at *when* (an ISO date): those whose dated span includes it,
    each bound read at its own precision ('1970' holds all of 1970; Rhee's presidency 'to
    1960-04-26' no longer holds on 1960-06-17).  Undated occupations say nothing about a time
    and are left out."""
    when = (when or "").split("/")[0]
    if not when[:4].isdigit():
        return []
    out = []
    for text, lo, hi, _cert in facts_of(entry).about.occupations:
        if not (lo or hi) or (lo and when[:len(lo)] < lo[:len(when)]) or (hi and when[:len(hi)] > hi[:len(when)]):
            continue
        out.append(text)
    return out


def _occupations(occupations) -> tuple[tuple[str, str, str, str], ...]:
    """(text, start, end, @cert) of each occupation: the span its dates give, each bound as written."""
    return tuple((_text(occ), occ.get("from") or occ.get("notBefore") or occ.get("when") or "",
                  occ.get("to") or occ.get("notAfter") or occ.get("when") or "", occ.get("cert") or "")
                 for occ in occupations)


def _text(el) -> str:
    return norm("".join(el.itertext())) if el is not None else ""


# "22nd Congress of the Communist Party …", "XXII Congress of …": filed under the body it belongs to.
_ORDINAL_OF = re.compile(r"^((?:[0-9]+(?:st|nd|rd|th)|[IVXLC]+)\s+\S+)\s+of\s+(?:the\s+)?(.+)$")


def index_label(entry: Entry) -> tuple[str, str]:
    """(label, sort text) for a back-of-book index: 'Brezhnev, Leonid' for a person whose name
    has a surname and forename (surname-first names such as Korean ones stay in their order);
    a numbered meeting of a body under the body: 'Communist Party of the Soviet Union, 22nd
    Congress', never among the digits."""
    facts = facts_of(entry)
    return facts.about.label or (facts.name, facts.name)


def _index_label(kind: str, label: str, main: list) -> tuple[str, str]:
    """*label*: the entry's name; *main*: its main names (teipress.edition.Entry.name)."""
    m = _ORDINAL_OF.match(label) if kind != "person" else None
    if m:
        inverted = f"{m.group(2)}, {m.group(1)}"
        return inverted, inverted
    if kind == "person":
        if main:
            sur, fore = main[0].find("tei:surname", NS), main[0].find("tei:forename", NS)
            if sur is not None and fore is not None:
                kids = [c for c in main[0] if isinstance(c.tag, str)]
                s, f = _text(sur), _text(fore)
                return (f"{s} {f}" if kids.index(sur) < kids.index(fore) else f"{s}, {f}"), f"{s} {f}"
    return label, label


# -- an entry's record: what the registers read of its TEI, read once ---------------------------

@dataclass(frozen=True, slots=True)
class About:
    """What a register entry shows of one description of it, in plain strings (kept with its
    file's facts, so it is picklable and made once per file's content): see :func:`describe`."""

    originals: tuple = ()  # original_names
    identifiers: tuple = ()  # identifiers: Identifier …
    cmif: tuple = ()  # its authority URIs as the CMIF cites them (teipress.model.correspondence.authority_uris)
    sources: tuple = ()  # sources: Source …
    description: str = ""  # teipress.edition.Entry.description
    dates: str = ""  # life_dates
    event_date: str = ""
    born: str = ""  # the date of its birth and of its death as written (_when)
    died: str = ""
    occupations: tuple = ()  # (text, start, end, @cert) of each occupation (_occupations)
    facts: tuple = ()  # the text of its affiliations, nationalities, faiths, residences
    type: str = ""  # its @type
    label: tuple = ()  # index_label: (label, sort text); () when both are its name
    sort_name: str = ""  # its first surname's text, else its name: what a register is sorted by


_TEI = f"{{{NS['tei']}}}"
_FACT_TAGS = ("affiliation", "nationality", "faith", "residence")
_SURNAME = _TEI + "surname"
# Children that may name a source of the entry (_sources reads them in any namespace)
_SOURCE_CHILDREN = frozenset(_BIBL_TAGS + ("listBibl", "ptr"))


def describe(entry: Entry) -> dict:
    """What the registers read of *entry* (which holds its element), as the fields of its
    teipress.validation.facts.EntryFacts: its names, authority keys, richness and place (which
    :func:`identities` merges by), and its :class:`About`.  Its children are sorted once: every
    entry of every file is described (a person in each letter's back), so no path is searched
    twice."""
    el, kind = entry.element, entry.kind
    kids: dict[str, list] = {}
    for c in el:
        if isinstance(c.tag, str):
            kids.setdefault(c.tag, []).append(c)

    def of(local: str) -> list:  # its TEI children of one name, in order (findall("tei:…"))
        return kids.get(_TEI + local, [])

    richness, surname = 0, None
    for n in el.iter():
        richness += 1
        if surname is None and n.tag == _SURNAME:
            surname = n
    names = of(NAME_TAGS[kind])
    texts = [_text(n) for n in names]
    main = [n for n in names if n.get("type") in (None, "main", "reg")] or names
    name = _text(main[0]) if main else entry.id  # teipress.edition.Entry.name
    idnos = [((i.get("type") or "").casefold(), _text(i)) for i in of("idno")]
    notes = of("note")
    desc = next((n for n in notes if n.get("type") == "description"), None)
    desc = desc if desc is not None else (of("desc") or notes or [None])[0]
    birth, death = (of("birth") or [None])[0], (of("death") or [None])[0]
    born, died = _when(birth), _when(death)
    cites = el.get("source") or any(tag.rpartition("}")[2] in _SOURCE_CHILDREN for tag in kids)
    from .correspondence import authority_uris  # (the letters read the same record)

    about = About(originals=tuple(_original_names(names, texts)), identifiers=tuple(_identifiers(el, idnos)),
                  cmif=authority_uris(el), sources=tuple(_sources(entry)) if cites else (),
                  description=_text(desc), dates=_life_dates(kind, el, birth, death, born, died),
                  event_date=_event_date(kind, el), born=born, died=died,
                  occupations=_occupations(of("occupation")),
                  facts=tuple(x for local in _FACT_TAGS for x in map(_text, of(local)) if x),
                  type=el.get("type") or "", label=_label_if_not(name, _index_label(kind, name, main)),
                  sort_name=_text(surname) if surname is not None else name)
    return dict(names=texts, keys=sorted(_authority_keys(el, idnos)), richness=richness,
                where=part_of(el), about=about)


def _label_if_not(name: str, label: tuple[str, str]) -> tuple:
    return () if label == (name, name) else label  # (most are: a record per entry is kept small)


# FileFacts → its entries with an xml:id by id, made when first asked, gone with the facts.
_BY_ID: dict[int, dict] = {}


def _entries_of(file_facts) -> dict:
    found = _BY_ID.get(id(file_facts))
    if found is None:
        # the last of a repeated id, as teipress.edition.Edition.index keeps it
        found = _BY_ID[id(file_facts)] = {e.id: e for e in file_facts.entries if e.id}
        weakref.finalize(file_facts, _BY_ID.pop, id(file_facts), None)
    return found


def facts_of(entry) -> "facts_mod.EntryFacts":
    """The facts of a register entry (teipress.validation.facts.EntryFacts, with its record):
    those its file's facts hold, else (an entry made without a file) read from its element."""
    own = getattr(entry, "facts", None) or getattr(entry, "_facts", None)  # (a Member's; an Entry's)
    if isinstance(own, facts_mod.EntryFacts) and own.about is not None and own.kind == entry.kind:
        return own
    f = getattr(entry, "file", None)
    if f is not None and getattr(f, "path", None) is not None:
        hit = _entries_of(facts_mod.of(f)).get(entry.id)
        if hit is not None and hit.kind == entry.kind and hit.about is not None:
            return hit
    return facts_mod.EntryFacts(entry.id, entry.kind, "", [], 0, entry.name, **describe(entry))


@dataclass(frozen=True, slots=True)
class FileRef:
    """The file a description is kept in: its path under tei/, its kind ('register', 'document'),
    its ordinal in a corpus file and the digest of its bytes (what an incremental build keys the
    register page's JSON-LD by: teipress.outputs.edition_cache.json_ld_key)."""

    rel: str
    kind: str
    n: int = 0
    digest: str = ""


@dataclass(frozen=True, slots=True)
class Member:
    """One description of a register entry, as a plain record: no element, no tree."""

    id: str
    kind: str
    file: FileRef
    facts: object  # teipress.validation.facts.EntryFacts

    @classmethod
    def of(cls, entry) -> "Member":
        if isinstance(entry, Member):
            return entry
        f = entry.file
        return cls(entry.id, entry.kind, (FileRef(f.rel, f.kind, f.n, f.digest) if f is not None
                                             else FileRef("", "")),
                   facts_of(entry))

    @property
    def about(self) -> About:
        return self.facts.about

    @property
    def name(self) -> str:
        return self.facts.name

    def names(self) -> list[str]:
        return list(self.facts.names)

    @property
    def where(self) -> str:
        return "register" if self.file.kind == "register" else self.facts.where

    @property
    def description(self) -> str:
        return self.about.description


@dataclass
class RegisterEntry:
    """One entry with its facts; `occurrences` are filled by teipress.model.mentions.  It holds
    the records of its descriptions (:class:`Member`), never their elements."""

    entry: Member  # its fullest description (identities); an Entry given is made a Member
    anchor: str
    page: str  # the register page, e.g. "persons.html" (teipress.model.paths)
    occurrences: list = field(default_factory=list)
    members: list = field(default_factory=list)  # every description of it, in every file

    def __post_init__(self):
        self.entry = Member.of(self.entry)
        self.members = [self.entry if m is self.entry else Member.of(m) for m in self.members]

    @property
    def _all(self) -> list[Member]:
        return self.members or [self.entry]

    @property
    def _about(self) -> About:
        return self.entry.about

    @property
    def files(self) -> list[str]:
        """The files describing it (rel paths), in path order."""
        return sorted({m.file.rel for m in self._all})

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

    @cached_property  # an identity may be described in every letter: its members are many
    def variants(self) -> list[str]:
        """Other names in the Latin script (the original-script names: :attr:`originals`)."""
        names = [v for m in self._all for v in m.facts.names]
        orig = {n for n, _l, _lab in self.originals}
        return [v for v in dict.fromkeys(names) if v != self.name and v not in orig]

    @cached_property
    def originals(self) -> list[tuple[str, str, str]]:
        """Names in their original script: (name, xml:lang, language label), of every description."""
        seen = {}
        for m in self._all:
            for o in m.about.originals:
                seen.setdefault(o[0], o)
        return list(seen.values())

    @property
    def identifiers(self) -> list[Identifier]:
        """Authority records (Wikidata, VIAF, GND …) of every description of it, each once."""
        seen: dict[tuple[str, str], Identifier] = {}
        for m in self._all:
            for i in m.about.identifiers:
                seen.setdefault((i.authority, i.value), i)
        return list(seen.values())

    @cached_property
    def sources(self) -> list[Source]:
        """The works cited as its sources by every description of it, each once."""
        return list(dict.fromkeys(x for m in self._all for x in m.about.sources))

    @property
    def same_as(self) -> list[str]:
        """The URIs of its authority records, for JSON-LD sameAs."""
        return [i.uri for i in self.identifiers]

    @property
    def authority_uris(self) -> tuple[str, ...]:
        """The authority URIs of its fullest description as the CMIF cites them
        (teipress.model.correspondence.authority_uris)."""
        return self._about.cmif

    def offices_at(self, when: str) -> list[str]:
        return offices_at(self.entry, when)

    def json_ld_data(self, base_url: str = "") -> dict:
        """The entry as a schema.org thing: @id its anchor on the register page (absolute with the
        edition's base_url), names, life dates, description, and sameAs its authority records."""
        about = self._about
        data = {"@type": SCHEMA_TYPES[self.kind], "@id": f"{base_url}{self.href}", "name": self.name,
                "alternateName": [n for n, _l, _lab in self.originals] + self.variants or None,
                "description": self.description or None,
                "sameAs": self.same_as or None}
        if self.kind == "event":
            when = about.event_date
            data["startDate"] = when.split("/")[0] or None
            data["endDate"] = when.split("/")[-1] or None
        if self.kind == "person":
            data["birthDate"] = about.born or None
            data["deathDate"] = about.died or None
            data["jobTitle"] = [text for text, _lo, _hi, _cert in about.occupations] or None
        return {k: v for k, v in data.items() if v is not None}

    def offices_by_date(self, doc_id: str = "") -> list[tuple[list[str], list[str]]]:
        """(dates, offices) at the dates of the divisions that name it (the conversations, letters
        …; of document *doc_id* only, if given), in date order; dates with the same offices as
        the one before are folded into it (its dates list grows)."""
        out: list[tuple[list[str], list[str]]] = []
        for when in sorted({o.dated for o in self.occurrences
                            if o.dated and not o.editorial and (not doc_id or o.doc.id == doc_id)}):
            offices = self.offices_at(when)
            if not offices:
                continue
            if out and out[-1][1] == offices:
                out[-1][0].append(when)
                continue
            out.append(([when], offices))
        return out

    # description and dates are read on every page naming the entry: worked out once
    @cached_property
    def description(self) -> str:
        return next((d for m in self._all for d in [m.about.description] if d), "")

    @cached_property
    def dates(self) -> str:
        """Life dates of its fullest description, else of the first description giving them."""
        return next((d for m in self._all for d in [m.about.dates] if d), "")

    @property
    def index_label(self) -> str:
        return index_label(self.entry)[0]

    @property
    def date_value(self) -> str:
        """An event's ISO date ('1961-07-06', '1959-09-15/1959-09-27'); '' for other entries."""
        return self._about.event_date

    @property
    def details(self) -> list[str]:
        """Occupations, types and other facts of the entry, as short plain sentences."""
        out = []
        about = self._about
        for text, lo, hi, cert in about.occupations:
            lo, hi = lo[:4], hi[:4]
            span = f"{lo}–{hi}" if lo and hi and lo != hi else (lo or (f"until {hi}" if hi else ""))
            if lo and not hi:
                span = f"from {lo}"
            if span and cert in ("low", "medium"):
                span += "?"
            out.append(text + (f" ({span})" if span else ""))
        out += about.facts
        if about.type and self.kind in ("place", "org", "event"):
            out.insert(0, about.type.replace("-", " ").capitalize())
        return out

    @property
    def sort_key(self) -> tuple:
        if self.kind == "event":  # events in the order of time
            return (self.date_value or "9999", self.name.casefold(), self.anchor)
        return (self._about.sort_name.casefold(), self.name.casefold(), self.anchor)

    def by_place(self) -> list[tuple]:
        """(first occurrence, how many) per location label ('pp. 21–22 · March 1961'), in text
        order, the editors' notes apart: a compact 'named in' list (the chronology of events)."""
        out: dict[tuple, list] = {}
        for o in self.occurrences:
            out.setdefault((o.doc.id, o.where, o.editorial), [o, 0])[1] += 1
        return [tuple(v) for v in out.values()]

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

    def json_ld(self, base_url: str = "") -> str:
        """schema.org JSON-LD of the register page: one Person, Place or Organization per entry,
        with its original-script names and its authority records as sameAs; text safe inside
        <script> ('<', '>' and '&' escaped in the JSON)."""
        data = {"@context": "https://schema.org", "@type": "ItemList", "name": self.label,
                "itemListElement": [e.json_ld_data(base_url) for e in self.entries]}
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def entries(ed: Edition, pages: dict[str, str], groups: dict | None = None,
            ids: dict | None = None) -> dict[str, RegisterEntry]:
    """Every register entry of the edition by anchor, one per identity (:func:`identities`);
    *pages*: kind → register page; *groups*, *ids*: the identities and their anchors when
    worked out already (behaviour.Names)."""
    groups = groups if groups is not None else identities(ed)
    ids = ids if ids is not None else anchors(ed, groups)
    out: dict[str, RegisterEntry] = {}
    for key in sorted(ed.entries):
        members = groups[key]
        if ids[key] not in out:
            out[ids[key]] = RegisterEntry(members[0], ids[key], pages[members[0].kind], members=members)
    return out


def events(all_entries: dict[str, RegisterEntry]) -> list[RegisterEntry]:
    """The edition's events and treaties that have a date, in date order: the chronology of
    events (chronology.html), beside the dates printed in the text."""
    dated = [e for e in all_entries.values() if e.kind == "event" and e.date_value]
    return sorted(dated, key=lambda e: (e.date_value, e.sort_key))


def registers(all_entries: dict[str, RegisterEntry], pages: dict[str, str]) -> list[Register]:
    out = []
    for kind, label in KINDS.items():
        es = sorted((e for e in all_entries.values() if e.kind == kind), key=lambda e: e.sort_key)
        if es:
            out.append(Register(kind, pages[kind], label, es, sorted({f for e in es for f in e.files})))
    return out


_ABBREVIATION = re.compile(r"^[A-Z][A-Z.]*[A-Z](?:\s+[A-Z][A-Za-z.]*)*$")


def _words(text: str) -> list[str]:
    return [w.casefold() for w in re.findall(r"[^\W_]+(?:['’-][^\W_]+)*", text)]


def cross_references(entries: list[RegisterEntry]) -> list[dict]:
    """The index's cross-references ('CPSU, see Communist Party of the Soviet Union'): for each
    entry, the other names a reader may look it up by that would be filed elsewhere — its
    abbreviations, and variants whose first word differs from the heading's first word, leaving
    out a person's variants made only of words of the heading ('Nikita Sergeyevich') or with the
    heading's surname ('L. I. Brezhnev'), and names without a capital letter ('the North').  One line per form, naming every entry it stands for."""
    labels = {e.index_label.casefold() for e in entries}
    found: dict[str, dict] = {}
    for e in entries:
        label = e.index_label
        head_words = set(_words(label)) | set(_words(e.name))
        first = (_words(label) or [""])[0]
        for v in e.variants:
            words = _words(v)
            if not words or not v[:1].isupper() or v.casefold() in labels:
                continue
            if not _ABBREVIATION.match(v) and words[0] == first:
                continue
            # a person's forenames alone ('Nikita Sergeyevich'), or a form with the heading's
            # surname ('L. I. Brezhnev'), is found under the heading anyway
            if e.kind == "person" and (first in words or set(words) <= head_words):
                continue
            ref = found.setdefault(v.casefold(), {"label": v, "sort": v.casefold(), "see": []})
            if label not in ref["see"]:
                ref["see"].append(label)
    return sorted(found.values(), key=lambda r: (r["sort"], r["label"]))


for _cls in (Identifier, Source, About, FileRef, Member):
    quick_setstate(_cls)  # (read from the cache by the thousand)

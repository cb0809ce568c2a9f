"""Letters: who wrote to whom, where and when, and which letter comes before and after.

``xslt/model-header.xsl`` reads each ``profileDesc/correspDesc`` into ``m:letter`` (names
linked like names in the text, dates and context references as written); this module is the
one place that decides what those facts mean:

- who is a sender and who a recipient (:func:`role`): a name's own ``@type`` (``sender``,
  ``addressee`` …) where the editors gave one, else its ``correspAction``'s type;
- which ``correspContext`` reference points back and which forward (:func:`direction`), and
  whether it is the collection's sequence or the correspondence with one partner
  (:func:`scope`) — the Guidelines' ``type="prev"/"next"`` and the common project forms
  (``previous``, ``previous_letter``, ``withinCorrespondence``, ``next-in-corresp`` …);
- which letter a target names (:func:`Sequence.find`): a file name, an ``xml:id`` or the
  edition's own URL of a letter of this edition — anything else is not linked;
- the previous and next letter of each letter: the editors' (collection sequence) when its
  target is in the edition, else the neighbour by date (:func:`attach`);
- the authority URIs of a register entry (GND, VIAF, GeoNames …) for the CMIF file
  (:func:`authority_uris`).

Names read as the register has them (its main name) when ``@ref``/``@key`` resolves, else as
written; dates are ISO (``teipress.isodate``) with labels from ``teipress.model.dates``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..held_once import once
from ..isodate import DateError, parse as parse_iso
from ..xmlparse import NS
from . import authority, dates, paths
from .text import MODEL_NS, plain

MT = "{%s}" % MODEL_NS

# A name's own @type → its part in the letter (projects mark names inside one correspAction).
_SENDER_TYPES = {"sender", "author", "from", "sent"}
_RECIPIENT_TYPES = {"addressee", "recipient", "receiver", "to", "received"}
_PREV_WORDS = {"prev", "previous", "preceding", "before"}
_NEXT_WORDS = {"next", "following", "after", "subsequent"}


def role(action_type: str, name_type: str) -> str:
    """'sender', 'recipient' or '' (a name of a forwarding or other action)."""
    t = (name_type or "").strip().lower()
    if t in _SENDER_TYPES:
        return "sender"
    if t in _RECIPIENT_TYPES:
        return "recipient"
    return {"sent": "sender", "received": "recipient"}.get((action_type or "").strip().lower(), "")


def _words(*values: str) -> list[str]:
    # 'previous_letter', 'previous-in-corresp', 'withinCorrespondence' → words
    text = " ".join(re.sub(r"([a-z])([A-Z])", r"\1 \2", v or "") for v in values).lower()
    return [w for w in re.split(r"[^a-z]+", text) if w]


def direction(type_: str, subtype: str = "") -> str:
    """'prev', 'next' or '' for a correspContext reference's @type and @subtype."""
    words = set(_words(type_, subtype))
    if words & _PREV_WORDS:
        return "prev"
    if words & _NEXT_WORDS:
        return "next"
    return ""


def scope(type_: str, subtype: str = "") -> str:
    """'correspondence' (the letters exchanged with one partner) or 'collection' (the edition's
    sequence: the Guidelines' plain prev/next)."""
    return "correspondence" if any(w.startswith("corresp") for w in _words(type_, subtype)) else "collection"


# -- authority files ------------------------------------------------------------------------

# The authorities correspSearch takes in a CMIF @ref (its documentation's list).
CMIF_AUTHORITIES = ("gnd", "viaf", "geonames", "lc", "bnf", "ndl")


def authority_uri(value: str, kind: str = "") -> str:
    """*value* (a URL, or a bare id in an idno of type *kind*) as an authority URI correspSearch
    knows, else '' (teipress.model.authority reads it)."""
    found = authority.record(value, kind)
    return authority.uri(value, kind) if found and found[0] in CMIF_AUTHORITIES else ""


def authority_uris(element) -> tuple[str, ...]:
    """The authority URIs of a register entry (TEI person/place/org): its idno children and its
    own @ref/@sameAs, in document order, each once."""
    found: list[str] = []
    if element is None:
        return ()
    for attr in ("ref", "sameAs"):
        found += [authority_uri(v) for v in (element.get(attr) or "").split()]
    for idno in element.findall("tei:idno", NS):
        found.append(authority_uri("".join(idno.itertext()), idno.get("type", "")))
    return tuple(dict.fromkeys(u for u in found if u))


# -- the facts of one letter --------------------------------------------------------------------

@dataclass(frozen=True, slots=True)  # (slots: one per letter's party, no __dict__ each)
class Name:
    """A sender, recipient or place: the register's name when the name resolves, else as written."""

    name: str
    written: str
    kind: str  # "person", "org", "place"
    anchor: str = ""  # its register anchor (teipress.model.registers), '' when it resolves to none
    href: str = ""  # its register page and anchor, '' when none
    authority: tuple[str, ...] = ()  # authority URIs (register entry's, or the name's own @ref)
    sort: tuple = ()
    entry_id: str = ""  # the register entry's xml:id

    @property
    def key(self) -> tuple:
        """Identity within the edition before merging (teipress.model.correspondence.correspondents)."""
        return ("entry", self.anchor) if self.anchor else ("name", self.kind, self.name.casefold())


@dataclass(frozen=True)  # (no slots: every letter's dates are read from the cache at every build, and
class When:              # a record with a __dict__ unpickles in C, one with slots field by field in Python)
    """A date of sending or receipt; ISO values only (anything else is kept as text alone)."""

    text: str = ""  # as written
    when: str = ""
    not_before: str = ""
    not_after: str = ""
    from_: str = ""
    to: str = ""
    cert: str = ""
    n: str = ""  # the editors' order of letters of one day (date/@n)

    @property
    def value(self) -> str:
        """'1892-12-28', or a span '1892-12-28/1892-12-30' ('a/' after a, '/b' before b)."""
        if self.when:
            return self.when
        lo, hi = self.not_before or self.from_, self.not_after or self.to
        return f"{lo}/{hi}" if (lo or hi) else ""

    @property
    def sort(self) -> str:
        """The earliest known day, for ordering."""
        v = self.value
        return v.split("/")[0] or v.split("/")[-1] if v else ""

    @property
    def label(self) -> str:
        """'28 December 1892', '28–30 December 1892', 'before 2 January 1893'; the text as
        written when it has no ISO date."""
        return dates.heading_label(self.value, self.cert) if self.value else self.text


@dataclass(slots=True)
class Letter:
    """The correspondence facts of one document (teipress.model.Document.correspondence)."""

    senders: tuple[Name, ...] = ()
    recipients: tuple[Name, ...] = ()
    sent_places: tuple[Name, ...] = ()
    received_places: tuple[Name, ...] = ()
    sent: When | None = None
    received: When | None = None
    # (direction, scope, target, text) of every correspContext reference with a direction
    context: tuple[tuple[str, str, str, str], ...] = ()
    # set by attach(): the documents before and after in the edition, and in the correspondence
    prev: object = None
    next: object = None
    prev_in_correspondence: object = None
    next_in_correspondence: object = None
    sequence: str = ""  # 'editors' when prev/next come from correspContext, else 'date'

    @property
    def date(self) -> When | None:
        """When the letter was sent, else when it was received."""
        return self.sent if self.sent is not None and self.sent.value else (self.received or self.sent)

    @property
    def sort(self) -> str:
        d = self.date
        return d.sort if d is not None else ""

    @property
    def year(self) -> str:
        y = self.sort[:4]
        return y if y.isdigit() else ""

    @property
    def date_label(self) -> str:
        d = self.date
        return d.label if d is not None else ""

    @property
    def correspondents(self) -> tuple[Name, ...]:
        return self.senders + self.recipients

    @staticmethod
    def names(names: tuple[Name, ...]) -> str:
        return " and ".join(n.name for n in names) if len(names) <= 2 else \
            ", ".join(n.name for n in names[:-1]) + " and " + names[-1].name

    @property
    def summary(self) -> str:
        """'Arthur Schnitzler to Richard Beer-Hofmann' (plain text, for link titles and the PDF)."""
        s, r = self.names(self.senders), self.names(self.recipients)
        if s and r:
            return f"{s} to {r}"
        return s or (f"To {r}" if r else "")

    @property
    def sent_line(self) -> str:
        """'Vienna, 27 December 1892'."""
        return ", ".join(x for x in (self.names(self.sent_places), self.sent.label if self.sent else "") if x)

    @property
    def received_line(self) -> str:
        return ", ".join(x for x in (self.names(self.received_places),
                                     self.received.label if self.received else "") if x)


def _iso(value: str | None) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        parse_iso(value)
    except DateError:
        return ""
    return value


def _when(el) -> When:
    return When(text=plain(el), when=_iso(el.get("when")), not_before=_iso(el.get("not-before")),
                not_after=_iso(el.get("not-after")), from_=_iso(el.get("from")), to=_iso(el.get("to")),
                cert=el.get("cert", ""), n=el.get("n", ""))


# A name as a letter's model has it, before the registers resolve it:
# (written, its register anchors, the authority URIs of its own @ref, kind).
RawName = tuple[str, tuple[str, ...], tuple[str, ...], str]


@dataclass(frozen=True)
class LetterFacts:
    """A document's correspDesc as its behaviour model alone has it (read once, in the worker
    that made the model, and cached with it); resolve() makes its Letter with the edition's
    register entries.  *parties*: (part, name) with part 'sender', 'recipient' or ''."""

    parties: tuple[tuple[str, RawName], ...] = ()
    places: tuple[tuple[str, RawName], ...] = ()
    when: tuple[tuple[str, When], ...] = ()
    context: tuple[tuple[str, str, str, str], ...] = ()


def _raw_name(el, kind: str) -> RawName:
    """A name of the model (the m:name a correspAction's name became, inside its wrapper)."""
    inner = el.find(MT + "name")
    anchors = tuple((inner.get("ref") or "").split()) if inner is not None else ()
    own = tuple(u for u in (authority_uri(v) for v in (el.get("ref") or "").split()) if u)
    return plain(el), anchors, own, kind


def _name(raw: RawName, entries: dict, memo: dict) -> Name:
    """*memo*: id of a register entry → what a Name takes of it, read once per build (a
    correspondent names thousands of letters), and each Name made, held once."""
    known = memo.get(raw)  # (a name as written in many letters: worked out once)
    if known is not None:
        return known
    name = memo[raw] = _resolved(raw, entries, memo)
    return name


def _resolved(raw: RawName, entries: dict, memo: dict) -> Name:
    written, anchors, own, kind = raw
    entry = next((entries[a] for a in anchors if a in entries), None)
    if entry is None:
        return once(Name(written, written, kind, authority=own, sort=(written.casefold(),)), memo)
    facts = memo.get(id(entry))
    if facts is None:
        facts = memo[id(entry)] = (entry.name, entry.kind, entry.anchor, entry.href,
                                   entry.authority_uris, entry.sort_key, entry.entry.id)
    name, entry_kind, anchor, href, uris, sort, entry_id = facts
    # (a correspondent's Name, equal in each of their thousands of letters, is held once: the
    # memo keeps it under itself, beside the entries' facts under their ids)
    return once(Name(name or written, written, entry_kind if kind != "place" else "place",
                     anchor, href, tuple(dict.fromkeys(own + uris)), sort, entry_id), memo)


def facts(model_root) -> LetterFacts | None:
    """The LetterFacts of a document's behaviour model; None when its header has no correspDesc."""
    root = model_root.getroot() if hasattr(model_root, "getroot") else model_root
    letters = root.findall(f"{MT}metadata/{MT}letter")
    if not letters:
        return None
    parties, places, when, context = [], [], [], []
    for letter in letters:
        for action in letter.iterfind(MT + "letter-action"):
            a_type = action.get("type", "")
            for party in action.iterfind(MT + "letter-party"):
                parties.append((role(a_type, party.get("type", "")), _raw_name(party, party.get("kind", "person"))))
            part = role(a_type, "")
            for place in action.iterfind(MT + "letter-place"):
                places.append((part, _raw_name(place, "place")))
            date = action.find(MT + "letter-date")
            if part and date is not None:
                when.append((part, _when(date)))
        for ref in letter.iterfind(MT + "letter-context"):
            d = direction(ref.get("type", ""), ref.get("subtype", ""))
            if d and (ref.get("target") or "").strip():
                context.append((d, scope(ref.get("type", ""), ref.get("subtype", "")),
                                ref.get("target").strip(), plain(ref)))
    return LetterFacts(tuple(parties), tuple(places), tuple(when), tuple(context))


def resolve(found: LetterFacts | None, entries: dict, memo: dict | None = None) -> Letter | None:
    """The Letter of a document's LetterFacts, its names read as the register entries
    *entries* (by anchor: teipress.model.registers.entries) have them; *memo*: shared by the
    letters of one build (_name)."""
    if found is None:
        return None
    memo = {} if memo is None else memo
    senders: list[Name] = []
    recipients: list[Name] = []
    places = {"sender": [], "recipient": []}
    when: dict[str, When] = {}
    for part, raw in found.parties:
        name = _name(raw, entries, memo)
        if not name.name:
            continue
        target = senders if part == "sender" else recipients if part == "recipient" else None
        if target is not None and name.key not in {n.key for n in target}:
            target.append(name)
    for part, raw in found.places:
        name = _name(raw, entries, memo)
        if part and name.name and name.key not in {n.key for n in places[part]}:
            places[part].append(name)
    for part, date in found.when:
        when.setdefault(part, date)
    return Letter(tuple(senders), tuple(recipients), tuple(places["sender"]), tuple(places["recipient"]),
                  when.get("sender"), when.get("recipient"), found.context)


# -- the letters of an edition -------------------------------------------------------------------

class Sequence:
    """The edition's letters, and the names a correspContext target may call one by."""

    def __init__(self, docs: list, base_url: str = ""):
        self.base_url = base_url.rstrip("/") + "/" if base_url else ""
        self.by_name: dict[str, object] = {}
        for doc in docs:
            for key in (doc.id, doc.file.own_id, *_names_of(doc.file.rel)):
                if key:
                    self.by_name.setdefault(key, doc)

    def find(self, target: str):
        """The document a target names, or None: 'L00147', 'L00147.xml', '#L00147',
        'letters/L00147.xml#d1', or the edition's own URL of its page ('…/documents/L00147.html')."""
        first = target.split()[0] if target.split() else ""
        if re.match(r"^[a-z][a-z0-9+.-]*:", first, re.I):
            if not (self.base_url and first.startswith(self.base_url)):
                return None  # a letter elsewhere: not linked
            first = PurePosixPath(first[len(self.base_url):].split("#")[0]).stem
        elif first.startswith("#"):
            first = first[1:]
        else:
            first = first.split("#")[0]
        return self.by_name.get(first) or (self.by_name.get(PurePosixPath(first).name) if first else None)


def _names_of(rel: str) -> tuple[str, str, str]:
    """(stem, name, path) of a file's rel path, as PurePosixPath gives them: worked out by hand
    for a plain path (a one-letter build names 5,000 letters; PurePosixPath took 0.1 s)."""
    if rel and "//" not in rel and not rel.endswith("/") and "/./" not in rel and not rel.startswith("./") \
            and rel != ".":
        name = rel.rsplit("/", 1)[-1]
        i = name.rfind(".")
        stem = name[:i] if 0 < i < len(name) - 1 else name
        if name not in (".", ".."):
            return stem, name, rel
    path = PurePosixPath(rel)
    return path.stem, path.name, str(path)


def order_key(doc) -> tuple:
    """Letters by date: the sending date (else receipt), the editors' order within a day
    (date/@n), then the edition's order of documents."""
    letter = doc.correspondence
    d = letter.date
    n = d.n if d is not None else ""
    return (letter.sort or "9999", int(n) if n.isascii() and n.isdigit() else 0)


def attach(docs: list, entries: dict, base_url: str = "", found: dict | None = None) -> list:
    """Give every document its Letter (``doc.correspondence``) and every letter its neighbours;
    returns the letters' documents in date order.  *docs*: the edition's documents, in its order;
    *found*: document → its LetterFacts, where its model's worker read them (else read here)."""
    memo: dict = {}
    for doc in docs:
        doc.correspondence = resolve(found[doc] if found is not None and doc in found else facts(doc.model),
                                     entries, memo)
    letters = sorted((d for d in docs if d.correspondence is not None), key=order_key)
    seq = Sequence(letters, base_url)
    for i, doc in enumerate(letters):
        letter = doc.correspondence
        found: dict[tuple[str, str], object] = {}
        for d, sc, target, _text in letter.context:
            hit = seq.find(target)
            if hit is not None and hit is not doc:
                found.setdefault((d, sc), hit)
        by_date = (letters[i - 1] if i > 0 else None, letters[i + 1] if i + 1 < len(letters) else None)
        letter.prev = found.get(("prev", "collection")) or by_date[0]
        letter.next = found.get(("next", "collection")) or by_date[1]
        letter.sequence = "editors" if (("prev", "collection") in found or ("next", "collection") in found) else "date"
        letter.prev_in_correspondence = found.get(("prev", "correspondence"))
        letter.next_in_correspondence = found.get(("next", "correspondence"))
    return letters


@dataclass
class Correspondent:
    """A person or organisation who wrote or received letters of the edition."""

    name: Name
    sent: list = field(default_factory=list)  # documents
    received: list = field(default_factory=list)
    id: str = ""  # its anchor on the letters page: from its register anchor, else its name

    @property
    def letters(self) -> int:
        return len(self.sent) + len(self.received)


def correspondents(letters: list) -> list[Correspondent]:
    """Everyone who wrote or received a letter, each once: names that share a register entry
    (or an entry's xml:id in another register file, as the edition's registers merge them), an
    authority URI, or (unresolved) the same written name and kind are one correspondent.
    Sorted by name; each one's letters in date order."""
    parent: dict = {}

    def find(k):
        while parent.setdefault(k, k) != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    def keys(n: Name) -> list:
        out = [n.key] + [("uri", u) for u in n.authority]
        if n.entry_id:  # one register id in several files (each letter's own list of persons)
            out.append(("entry-id", n.kind, n.entry_id))
        return out

    occurrences = []
    for doc in letters:
        letter = doc.correspondence
        for part, names in (("sent", letter.senders), ("received", letter.recipients)):
            for n in names:
                ks = keys(n)
                for k in ks[1:]:
                    union(ks[0], k)
                occurrences.append((part, n, doc))
    groups: dict = {}
    for part, n, doc in occurrences:
        c = groups.setdefault(find(n.key), Correspondent(n))
        target = c.sent if part == "sent" else c.received
        if doc not in target:
            target.append(doc)
    out = sorted(groups.values(), key=lambda c: (c.name.sort or (c.name.name.casefold(),), c.name.name))
    # Anchors that outlive new letters and new correspondents (never a running number).
    for c, name in zip(out, paths.unique([paths.safe_name(c.name.anchor or c.name.name, "correspondent")
                                          for c in out])):
        c.id = f"from-to-{name}"
    return out


def by_year(letters: list) -> list[tuple[str, list]]:
    """(year, letters of that year in date order); undated letters last, under ''."""
    years: dict[str, list] = {}
    for doc in letters:
        years.setdefault(doc.correspondence.year, []).append(doc)
    return sorted(years.items(), key=lambda kv: (kv[0] == "", kv[0]))

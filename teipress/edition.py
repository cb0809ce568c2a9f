"""The Edition model: an edition folder's TEI files, each read once for its facts.

An edition folder holds ``tei/`` (documents and registers; ``tei/schema/`` is
skipped) and optionally ``edition.toml``.  A *register* is a file whose purpose is
the register: its ``text/body`` (or, with no text, its ``standOff``) holds only
lists of persons, places, organisations, events or names, and another file refers
to it (by a pointer or a ``@key``) or ``edition.toml`` names it in ``registers``.
Every other TEI file is a *document* -- a bibliography (``listBibl``) too.  A file
whose root is ``teiCorpus`` (or that holds several ``TEI`` elements) gives one
document per ``TEI`` in it (:attr:`Edition.documents`).  Loading parses each file once
(in worker processes), for its facts (teipress.validation.facts) and its schema check, and
keeps no tree: the lookups here (documents, register entries, @key) are made from the facts,
and a stage that reads a file's tree has it parsed then, in a bounded cache (:class:`Trees`).
"""
from __future__ import annotations

import copy
import os
import posixpath
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from lxml import etree

from . import config as config_mod
from . import safepath
from .xmlparse import NS, TEI_NS, XML_ID, XmlError, parse

# The lists a register file is made of (a bibliography is a document: it is read, not looked up).
REGISTER_LISTS = {"listPerson": "person", "listPlace": "place", "listOrg": "org", "listEvent": "event",
                  "listNym": "nym"}
# Attributes whose values point at other files: what makes a register "referred to".
POINTER_ATTRS = ("ref", "who", "resp", "target", "corresp", "key", "sameAs", "source")
# The element that names a register entry of each kind (an event: TEI's eventName).
ENTRY_NAME_TAGS = {"person": "persName", "place": "placeName", "org": "orgName", "event": "eventName"}
# Which register kind each naming element should point to.
NAME_KIND = {"persName": "person", "placeName": "place", "orgName": "org"}
# Names that may point into a register by @key instead of @ref (xslt/MODEL.md, "Names by @key").
KEYED_NAMES = ("persName", "placeName", "orgName", "rs", "name")


def t(local: str) -> str:
    return f"{{{TEI_NS}}}{local}"


def norm(text: str) -> str:
    return " ".join(text.split())


# How many files' trees a process keeps parsed at once (the most recently used; registers are
# kept apart, see Trees).  TEIPRESS_TREES sets it; 0 keeps every tree.
TREES_KEPT = 64


class Parsed:
    """One parse of a file: its tree and what is looked up in it (ids, register entries, the
    TEIs of a corpus).  What is looked up is kept with the parse it came from, so an element of
    one parse is never taken for, or compared with, an element of another."""

    __slots__ = ("tree", "_ids", "_entries", "_texts")

    def __init__(self, tree: etree._ElementTree):
        self.tree = tree
        self._ids = self._entries = self._texts = None

    def by_id(self, xid: str) -> etree._Element | None:
        ids = self._ids
        if ids is None:
            # Filled, then published whole: a PDF stage in threads asks the same register from
            # several threads at once, and a half-filled map would answer "no such id".
            ids = {}
            for el in self.tree.getroot().xpath("descendant-or-self::*[@xml:id]"):
                ids.setdefault(el.get(XML_ID), el)  # the first of a repeated id, as TEI readers do
            self._ids = ids
        return ids.get(xid)

    def entries(self) -> list[etree._Element]:
        """The person, place, org and event elements, in document order (teipress.validation.facts's
        FileFacts.entries are in the same order)."""
        if self._entries is None:
            self._entries = list(self.tree.getroot().iter(t("person"), t("place"), t("org"), t("event")))
        return self._entries

    def texts(self) -> list[etree._Element]:
        if self._texts is None:
            self._texts = tei_texts(self.tree.getroot())
        return self._texts


class Trees:
    """The trees of an edition's files, parsed when first read and kept while they are among the
    *size* most recently read: an edition of thousands of letters is never in memory at once.

    A register is kept parsed for as long as its file is loaded: there are few, and every
    document that names a person reads one.  A file made with its tree in hand (a bare header,
    a lone file) keeps that tree."""

    def __init__(self, size: int | None = None):
        if size is None:
            size = int(os.environ.get("TEIPRESS_TREES") or TREES_KEPT)
        self.size = size
        self.held: "OrderedDict[int, TeiFile]" = OrderedDict()
        self.parses = 0  # how many times a file was parsed here (the tests count them)
        self._lock = threading.Lock()  # `serve` reads trees from several threads

    def parsed(self, f: "TeiFile") -> Parsed:
        with self._lock:
            p = f._parsed
            if p is not None:
                if id(f) in self.held:
                    self.held.move_to_end(id(f))
                return p
            p = f._parsed = Parsed(parse(f.path))
            self.parses += 1
            if f.kind != "register" and self.size > 0:
                self.held[id(f)] = f
                while len(self.held) > self.size:
                    _, old = self.held.popitem(last=False)
                    old._parsed = None
            return p


TREES = Trees()


class TeiFile:
    """A TEI file of the edition (or, with *container*, one TEI of a corpus file).

    Its tree is parsed when first read (:data:`TREES`), not when the edition is loaded: what
    the edition-wide steps need is in its facts.  Hold an element of it only while using it:
    a later read may be of another parse."""

    def __init__(self, path: Path, rel: str, tree: etree._ElementTree | None = None, kind: str = "document",
                 container: "TeiFile | None" = None, n: int = 0, facts: "object | None" = None,
                 digest: str = ""):
        self.path = path
        self.rel = rel  # POSIX path relative to tei/, e.g. "persons.xml"
        self.kind = kind  # "document" | "register"
        # One TEI of a teiCorpus (or of a file holding several TEI): its file and its ordinal (1 …).
        self.container = container
        self.n = n
        # What the edition-wide steps need from the file (teipress.validation.facts), and the
        # digest of its bytes, under which an incremental build keeps them.
        self._facts = facts
        self._load_facts = None  # how to get them when first read (an incremental build's cache)
        self.digest = digest
        # What the last build found in a file of the same bytes (teipress.validation.recall),
        # when its facts are left in the cache until read.
        self.recalled = None
        # What the pass that read its facts also found (its schema check, see
        # teipress.commands.validate.loading_check), or None.
        self.checked = None
        self._parsed = Parsed(tree) if tree is not None else None
        self._own_tree = tree is not None
        self._entries: list | None = None  # (element, where) of each entry, kept (entry())

    def __repr__(self) -> str:
        return f"TeiFile({self.key!r}, {self.kind})"

    @property
    def facts(self):
        """Its facts (teipress.validation.facts.FileFacts): those loading read, or, for a file an
        incremental build knows unchanged, those of its cache, read when first asked for."""
        if self._facts is None and self._load_facts is not None:
            load, self._load_facts = self._load_facts, None
            self._facts = load()
        return self._facts

    @facts.setter
    def facts(self, value) -> None:
        self._facts, self._load_facts = value, None

    def facts_later(self, load) -> None:
        """Read its facts with *load()* when first asked for (an incremental build's cache holds
        them): a build in which a few files changed need not read every file's."""
        self._facts, self._load_facts = None, load

    def with_tree(self, tree: etree._ElementTree) -> "TeiFile":
        """The same file with another tree (a cut copy of it, say), which it keeps."""
        out = copy.copy(self)
        out._parsed, out._own_tree, out._entries = Parsed(tree), True, None
        return out

    def parsed(self) -> Parsed:
        return TREES.parsed(self.container or self)

    def entry(self, ordinal: int) -> tuple[etree._Element, str]:
        """The *ordinal*-th person, place, org or event element of the file (FileFacts.entries
        are in the same order), and where in the file it stands (Entry.where).

        The element is the same every time it is asked for, whatever parse the file's tree is
        of by then: a register's tree stays parsed, and so does a tree the file was made with;
        a document's entries are copied out of it once (with a letter's persons in its <back>,
        the register's pages read every entry of thousands of letters, which would otherwise
        parse them again and again)."""
        if self._entries is None:
            els = self.parsed().entries()
            if self.kind == "register" or self._own_tree:
                self._entries = [(el, part_of(el)) for el in els]
            else:  # copies, in one small tree for the file (a tree of its own each costs more)
                holder = etree.Element("entries")
                for el in els:
                    holder.append(copy.deepcopy(el))
                self._entries = [(kept, part_of(el)) for kept, el in zip(holder, els)]
        return self._entries[ordinal]

    @property
    def tree(self) -> etree._ElementTree:
        if self.container is not None and self._parsed is None:
            return etree.ElementTree(self.container.parsed().texts()[self.n - 1])
        return TREES.parsed(self).tree

    @property
    def root(self) -> etree._Element:
        return self.tree.getroot()

    @property
    def id(self) -> str:
        own = self._own_id()
        if own:
            return own
        stem = PurePosixPath(self.rel).stem
        return f"{stem}-{self.n}" if self.container is not None else stem

    @property
    def own_id(self) -> str:
        """Its root's xml:id ('' without one), from its facts when it has them (no parse)."""
        return self._own_id()

    def _own_id(self) -> str:
        holder = self.container or self
        facts = holder.recalled if holder._facts is None and holder.recalled is not None else holder.facts
        ids = getattr(facts, "texts", None)
        if self._parsed is None and ids:  # from the facts: no parse
            return ids[self.n - 1 if self.container is not None else 0]
        return self.root.get(XML_ID) or ""

    @property
    def key(self) -> str:
        """What tells one document from another: its path, and for a TEI of a corpus file
        the path and the TEI's ordinal ('corpus.xml#2')."""
        return f"{self.rel}#{self.n}" if self.container is not None else self.rel

    @property
    def corpus_headers(self) -> list[etree._Element]:
        """The teiHeaders of the teiCorpus elements around a TEI of a corpus, nearest first:
        where its header facts fall back to."""
        return [h for a in self.root.iterancestors(t("teiCorpus"))
                for h in a.findall("tei:teiHeader", NS)]


def part_of(el: etree._Element) -> str:
    """The part of a document around an entry element (Entry.where, for a document): 'particDesc',
    'back', 'standOff', 'header' or 'text'."""
    for a in el.iterancestors():
        local = etree.QName(a).localname
        if local in ("particDesc", "back", "standOff"):
            return local
        if local == "teiHeader":
            return "header"
    return "text"


class Entry:
    """A register entry: a person, place or organisation.

    Made from its file's facts (*ordinal*: its place among the file's entry elements, *facts*:
    its EntryFacts); its element is found when first asked for (TeiFile.entry) and kept.  One
    made with its element in hand keeps that."""

    def __init__(self, id: str, kind: str, file: TeiFile | None, element: etree._Element | None = None,
                 ordinal: int = -1, facts: "object | None" = None):
        self.id, self.kind, self.file = id, kind, file
        self._element, self._ordinal, self._facts = element, ordinal, facts

    def __repr__(self) -> str:
        return f"Entry({self.id!r}, {self.kind!r}, {getattr(self.file, 'rel', None)!r})"

    @property
    def element(self) -> etree._Element:
        """Its element: the same one each time (TeiFile.entry), so it may be kept and compared."""
        if self._element is None:
            self._element = self.file.entry(self._ordinal)[0]
        return self._element

    @property
    def where(self) -> str:
        """Where the editors keep it: 'register' (a register file), else the part of the
        document around it: 'particDesc' (a play's cast), 'back', 'standOff', 'header', 'text'."""
        if self.file.kind == "register":
            return "register"
        if self._ordinal >= 0:
            return self.file.entry(self._ordinal)[1]
        return part_of(self.element)

    def names(self) -> list[str]:
        tag = ENTRY_NAME_TAGS[self.kind]
        return [norm("".join(n.itertext())) for n in self.element.findall(f"tei:{tag}", NS)]

    @property
    def name(self) -> str:
        if self._facts is not None:
            return self._facts.name  # read from the element by the code below, once per file's bytes
        tag = ENTRY_NAME_TAGS[self.kind]
        names = self.element.findall(f"tei:{tag}", NS)
        main = [n for n in names if n.get("type") in (None, "main", "reg")] or names
        return norm("".join(main[0].itertext())) if main else self.id

    @property
    def variants(self) -> list[str]:
        return [n for n in self.names() if n != self.name]

    @property
    def description(self) -> str:
        for path in ("tei:note[@type='description']", "tei:desc", "tei:note"):
            el = self.element.find(path, NS)
            if el is not None:
                return norm("".join(el.itertext()))
        return ""


@dataclass
class Edition:
    root: Path
    config: config_mod.Config
    files: list[TeiFile] = field(default_factory=list)
    errors: list[XmlError] = field(default_factory=list)
    # An incremental build's loading (teipress.validation.recall.Loading), which validation reads.
    recall: object = None

    @property
    def tei_dir(self) -> Path:
        return self.root / "tei"

    @property
    def documents(self) -> list[TeiFile]:
        """Every document: a document file, or each TEI of a corpus file (teiCorpus)."""
        return [p for f in self.files if f.kind == "document" for p in self._parts.get(f.rel, [f])]

    def document_of(self, f: TeiFile, el: etree._Element | None = None) -> TeiFile:
        """The document holding *el* of file *f*: for a corpus file, the TEI around it (the
        first TEI when *el* is in the corpus header or is None)."""
        parts = self._parts.get(f.rel)
        if not parts:
            return f
        if el is not None:
            # Found among the TEIs of el's own tree, not of f's current parse: el may be of an
            # earlier parse, whose elements are not those of a later one.
            tei = el if el.tag == t("TEI") else next(el.iterancestors(t("TEI")), None)
            texts = tei_texts(el.getroottree().getroot()) if tei is not None else []
            for i, top in enumerate(texts):
                if tei is top or any(a is top for a in tei.iterancestors(t("TEI"))):
                    return parts[i] if i < len(parts) else parts[0]
        return parts[0]

    @property
    def registers(self) -> list[TeiFile]:
        return [f for f in self.files if f.kind == "register"]

    def file(self, rel: str) -> TeiFile | None:
        return self._by_rel.get(rel)

    # -- indexes, built once ------------------------------------------------
    def __post_init__(self):
        self._by_rel: dict[str, TeiFile] = {}
        self._entries: dict[tuple[str, str], Entry] | None = {}
        self._keys: tuple[dict[str, list[Entry]], ...] | None = ({}, {}, {})
        self._parts: dict[str, list[TeiFile]] = {}

    def index(self) -> None:
        """The edition's lookups, from its files' facts (teipress.validation.facts): no tree is read.
        The register entries and their keys are gathered when first asked for: they need every
        file's facts, which an incremental build in which a few files changed need not read."""
        from .validation import facts as facts_mod

        self._by_rel = {f.rel: f for f in self.files}
        # A corpus file's TEIs, each a document (its tree is the TEI in the file's tree: no
        # copy, so ids, pointers and line numbers stay those of the file).
        self._parts = {}
        for f in self.files:
            if f.kind != "document":
                continue
            count = facts_mod.light(f).corpus
            if count:
                self._parts[f.rel] = [TeiFile(f.path, f.rel, None, "document", container=f, n=i)
                                      for i in range(1, count + 1)]
        self._entries = self._keys = None

    @property
    def entries(self) -> dict[tuple[str, str], Entry]:
        """(file, xml:id) → its register entry, for every person, place, org and event with an id."""
        if self._entries is None:
            from .validation import recall

            entries: dict[tuple[str, str], Entry] = {}
            seen: dict = {}  # (recall.entries_of: an About described in many files read once)
            for f in self.files:  # (an incremental build's unchanged files: from its memo, not their facts)
                for i, e in enumerate(recall.entries_of(f, seen)):
                    if e.id:  # the last element of a repeated id, as before
                        entries[(f.rel, e.id)] = Entry(e.id, e.kind, f, ordinal=i, facts=e)
            self._entries = entries
        return self._entries

    @entries.setter
    def entries(self, value: dict) -> None:
        self._entries, self._keys = value, None

    def _key_tiers(self) -> tuple[dict[str, list[Entry]], ...]:
        # @key → entries, by xml:id, then @n, then idno text: the editors' key may be any of them
        # (Escher's letters key by person/@n).  Sorted, so ambiguity is judged the same every run.
        if self._keys is None:
            keys: tuple[dict[str, list[Entry]], ...] = ({}, {}, {})
            for _k, entry in sorted(self.entries.items()):
                values = ([entry.id], [entry._facts.n], entry._facts.idnos)
                for tier, vals in zip(keys, values):
                    for v in dict.fromkeys(norm(v) for v in vals):
                        if v:
                            tier.setdefault(v, []).append(entry)
            self._keys = keys
        return self._keys

    def resolve(self, source: TeiFile, pointer: str) -> tuple[TeiFile, etree._Element | None] | None:
        """Resolve a TEI pointer written in *source*.

        Returns (file, element) — element None when the pointer names a whole
        file — or None when it does not resolve.  Raises ValueError for pointers
        that leave the edition or use an unsupported scheme; absolute URLs are
        the caller's business (see :func:`is_external`).
        """
        target_rel, fragment = pointer_target(source.rel, pointer)
        target = self._by_rel.get(target_rel)
        if target is None:
            return None
        if not fragment:
            return (target, None)
        el = self.element_by_id(target_rel, fragment)
        return (target, el) if el is not None else None

    def entry_for(self, source: TeiFile, pointer: str) -> Entry | None:
        try:
            hit = self.resolve(source, pointer)
        except ValueError:
            return None
        if not hit or hit[1] is None:
            return None
        return self.entries.get((hit[0].rel, hit[1].get(XML_ID)))

    def entry_for_key(self, key: str) -> Entry | None:
        """The register entry a name's @key names: the one whose xml:id is the key, else whose
        @n is, else whose idno is.  None when the first tier with a match has several (an
        ambiguous key) or none has any (a key into an outside authority): the name stays text."""
        key = norm(key or "")
        for tier in self._key_tiers():
            hits = tier.get(key)
            if hits:
                return hits[0] if len(hits) == 1 else None
        return None

    def element_by_id(self, rel: str, xid: str):
        """The element of file *rel* whose xml:id is *xid* (the first of a repeated id), in the
        file's current parse."""
        f = self._by_rel.get(rel)
        return f.parsed().by_id(xid) if f is not None else None


def pointer_target(source_rel: str, pointer: str) -> tuple[str, str]:
    """(file, fragment) a TEI pointer written in file *source_rel* names: the file as a
    tei/-relative path (*source_rel* itself for '#id'), the fragment '' for a whole file.
    Raises ValueError for a pointer that leaves the edition or is an absolute URI."""
    # The pointers editions are made of ('#n1', 'persons.xml#anna'): read at once; the general
    # reading below gives the same answer for them, slower (an edition has tens of thousands).
    path, _, fragment = pointer.partition("#")
    if (pointer.isprintable() and not any(c in pointer for c in ":/%?\\ ")
            and path not in (".", "..")):
        return (posixpath.join(posixpath.dirname(source_rel), path) if path else source_rel), fragment
    parts = urlsplit(pointer)
    if parts.scheme or parts.netloc:
        raise ValueError(f"'{pointer}' is an external URI")
    target_rel = source_rel
    if parts.path:
        joined = PurePosixPath(source_rel).parent / unquote(parts.path)
        norm_parts: list[str] = []
        for part in joined.parts:
            if part == "..":
                if not norm_parts:
                    raise ValueError(f"'{pointer}' points outside the edition's tei/ folder")
                norm_parts.pop()
            elif part != ".":
                norm_parts.append(part)
        target_rel = "/".join(norm_parts)
    return target_rel, parts.fragment


_KEYED_TAGS = frozenset(t(n) for n in KEYED_NAMES)


def name_key(el: etree._Element) -> str:
    """The normalised @key of a name-like element (persName, placeName, orgName, rs, name), else ''."""
    if el.tag not in _KEYED_TAGS:
        return ""
    return norm(el.get("key") or "")


def is_external(pointer: str) -> bool:
    parts = urlsplit(pointer)
    return bool(parts.scheme or parts.netloc)


def tei_texts(root: etree._Element) -> list[etree._Element]:
    """The TEI elements of a file: the root itself, or those of a teiCorpus (nested corpora
    too) or of any other root holding TEIs, in document order."""
    if root.tag == t("TEI"):
        return [root]
    return [el for el in root.iter(t("TEI")) if next(el.iterancestors(t("TEI")), None) is None]


def classify(root: etree._Element) -> str:
    """The shape of a register: a TEI whose text/body (or, with no text at all, standOff)
    holds only register lists (persons, places, organisations, events, names), with perhaps the
    listBibl its entries cite.  A register
    must also be referred to (:func:`settle_kinds`); a teiCorpus is a document."""
    if root.tag != t("TEI"):
        return "document"
    body = root.find("tei:text/tei:body", NS)
    if body is None:
        if root.find("tei:text", NS) is not None:
            return "document"
        body = root.find("tei:standOff", NS)
        if body is None:
            return "document"
    kids = [etree.QName(c).localname for c in body if isinstance(c.tag, str)]
    lists = [k for k in kids if k in REGISTER_LISTS]
    # a listBibl beside the lists is the register's own bibliography (the works its entries cite)
    if lists and all(k in REGISTER_LISTS or k in ("head", "listBibl") for k in kids):
        return "register"
    return "document"


def referred_files(files: list[TeiFile]) -> set[str]:
    """The files (rel paths) other files point into (``persons.xml#x``, by any pointer
    attribute), or whose entries another file names by ``@key`` (teipress.edition.KEYED_NAMES).
    Read off each file's facts (teipress.validation.facts), not its tree."""
    rels = {f.rel for f in files}
    owners = key_owners(files)
    out: set[str] = set()
    for f in files:
        out |= refers_of(f, rels, owners)
    return out


def key_owners(files: list[TeiFile]) -> dict[str, frozenset]:
    """@key value → the files shaped like a register with an entry it may name (by its xml:id,
    @n or an idno)."""
    from .validation import facts as facts_mod

    owners: dict[str, set] = {}
    for f in files:
        facts = facts_mod.of(f)
        if facts.shape != "register":
            continue
        for e in facts.entries:
            for v in [e.id, e.n] + e.idnos:
                if v.strip():
                    owners.setdefault(norm(v), set()).add(f.rel)
    return {k: frozenset(v) for k, v in owners.items()}


def refers_of(f: TeiFile, rels: set[str], owners: dict[str, frozenset]) -> frozenset:
    """The other files of *rels* file *f* refers to: those its pointers name, and the
    register-shaped files with an entry one of its @key values may name (*owners*: key_owners)."""
    from .validation import facts as facts_mod

    facts = facts_mod.of(f)
    out = set()
    base = _parent(f.rel)
    for path in facts.targets:
        rel = _joined(base, path)
        if rel != f.rel and rel in rels:
            out.add(rel)
    for key in facts.keys:
        for rel in owners.get(key, ()):
            if rel != f.rel:
                out.add(rel)
    return frozenset(out)


_JOINED: dict[tuple[str, str], str] = {}


def _parent(rel: str) -> str:
    return rel.rpartition("/")[0] or "."


def _joined(base: str, path: str) -> str:
    """PurePosixPath(base) / path, as a string (an edition's letters name the same few files)."""
    key = (base, path)
    got = _JOINED.get(key)
    if got is None:
        if len(_JOINED) > 100_000:
            _JOINED.clear()
        got = _JOINED[key] = (PurePosixPath(base) / path).as_posix()
    return got


def settle_kinds(files: list[TeiFile], named: list[str]) -> None:
    """A file shaped like a register is one only when another file refers to it or
    edition.toml's ``registers`` names it (*named*); else it is a document, shown as such
    (a list of persons nobody points to is read, not looked up)."""
    referred = referred_files(files)
    for f in files:
        if f.rel in named:
            f.kind = "register"
        elif f.kind == "register" and f.rel not in referred:
            f.kind = "document"


def tei_files(tei_dir: Path) -> list[Path]:
    """Every XML file under tei/, in a stable order, except the schema folder."""
    return [p for p, _rel in _tei_files(tei_dir)]


def _tei_files(tei_dir: Path) -> list[tuple[Path, str]]:
    """tei_files, each with its path relative to tei/ (POSIX), worked out as text: an edition
    of thousands of files."""
    out = []
    top = str(tei_dir)
    # In the order of their parts, as paths sort (compared as text on POSIX: a path's
    # comparison is slow, and an edition has thousands).
    found = tei_dir.rglob("*.xml")
    for p in (sorted(found, key=lambda p: str(p).split("/")) if os.name == "posix" else sorted(found)):
        text = str(p)
        if text.startswith(top + os.sep):
            rel = text[len(top) + 1:].replace(os.sep, "/")
        else:
            rel = p.relative_to(tei_dir).as_posix()
        if rel.split("/", 1)[0] == "schema":
            continue
        out.append((p, rel))
    return out


def outside_edition(root: Path, p: Path, follow_symlinks: bool) -> XmlError | None:
    """Why *p* (found in tei/) is not read, or None.  A symlink (or a file in a symlinked
    folder) that leads outside the edition folder is read only with follow_symlinks = true
    in edition.toml: otherwise its target would be published in the site and the deposit."""
    if follow_symlinks or safepath.inside(root, p):
        return None
    return XmlError(p, 1, 1, f"{p.relative_to(root).as_posix()} is a symbolic link (or lies in a linked "
                             "folder) to a file outside the edition folder; teipress does not read it, so "
                             "nothing from outside the edition is published. Copy the file into tei/, or "
                             "set follow_symlinks = true in edition.toml", "symlink")


def load(edition_dir: Path | str, cache=None, check=None) -> Edition:
    """Read every TEI file of an edition: its facts, and the schemas it names; parse failures
    are collected, not raised.  No tree is kept (TeiFile parses its own when read).
    *cache*: an incremental build's (teipress.commands.cache), which keeps each file's facts
    (teipress.validation.facts) under its bytes: a file whose bytes it knows is not parsed, and
    one the last build found with the same bytes has its facts read only when asked for
    (teipress.validation.recall: Edition.recall).
    *check*: check(root, config, files to parse), what else to do with each file in the pass
    that parses it (teipress.validation.facts.attach)."""
    from .validation import facts as facts_mod, recall

    root = Path(edition_dir)
    ed = Edition(root=root, config=config_mod.load(root))
    follow = ed.config.get("follow_symlinks") is True
    found: list = []  # TeiFile or XmlError, in the order of the files
    tei = root / "tei"
    real_dirs: dict[str, bool] = {}  # a folder of tei/ → whether it lies inside the edition, links resolved
    for p, rel in _tei_files(tei):
        if not follow:
            # A file that is no link, in a folder inside the edition, is inside it: only links
            # are resolved one by one (an edition of thousands of files).
            folder = os.path.dirname(str(p))
            inside = real_dirs.get(folder)
            if inside is None:
                inside = real_dirs[folder] = safepath.inside(root, folder)
            refused = None if inside and not os.path.islink(p) else outside_edition(root, p, follow)
            if refused is not None:
                found.append(refused)
                continue
        found.append(TeiFile(p, rel))
    named = list(ed.config.get("registers") or [])
    for rel in named:
        if not (root / "tei" / rel).is_file():
            raise config_mod.ConfigError(ed.config.path, 1, f"'registers' names '{rel}', but tei/ has no such "
                                         f"file (paths are relative to tei/, e.g. registers = [\"persons.xml\"])")
    files = [f for f in found if isinstance(f, TeiFile)]
    loading = None
    if cache is not None:
        loading = recall.Loading(recall.previous(cache, root), cache)
        loading.digests(files)
    failed = facts_mod.attach([f for f in files if f.recalled is None], cache,
                              check and (lambda todo: check(root, ed.config, todo)))
    for f in found:
        if isinstance(f, XmlError):
            ed.errors.append(f)
        elif f.rel in failed:
            ed.errors.append(failed[f.rel])
        else:
            f.kind = facts_mod.light(f).shape
            ed.files.append(f)
    if loading is None or not loading.settle(ed, named, len(files) != len(found)):
        settle_kinds(ed.files, named)
    ed.recall = loading
    ed.index()
    return ed
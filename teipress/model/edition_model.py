"""The EditionModel: built once per build, read by every output.

For every document: its behaviour tree, header facts, paths, mentions, division
labels and dates (and its pages, when split); for the edition: registers with
their occurrences, the chronology and the metadata.  Outputs (HTML, PDF, search,
deposit records) read this and never the TEI, nor another output's files.
"""
from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
import threading
import zlib
from collections.abc import Mapping
from functools import cached_property, lru_cache
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from .. import __version__, workers
from ..edition import Edition, TeiFile
from ..commands import progress
from ..xmlparse import XML_ID
from . import (correspondence as correspondence_mod, mentions, model_cache, own_cache, paths, registers, resolution,
               split as split_mod)
from .behaviour import (M, MODEL_NS, Names, behaviour_bytes, header_only, parse_model, pointers, warnings as model_warnings,
                        unknown_rends)
from . import header as header_mod
from . import images as images_mod

MT = "{%s}" % MODEL_NS


class ModelError(Exception):
    """The model could not be made; the message is for the editor."""


@dataclass(eq=False)  # one document is itself only (its trees compare by identity anyway)
class Document:
    """A document of the edition, or one page of a split document (then `parent` is set)."""

    file: TeiFile
    id: str
    path: str  # its HTML page (teipress.model.paths)
    model: etree._ElementTree
    paths: paths.DocumentPaths
    info: header_mod.DocumentInfo | None = None
    # The document's own record (its header alone): worked out when first read (`meta`), as
    # only the pages rendered and the records written read it, from edition.toml and the
    # edition folder's name (set by the model: _own_record).
    _meta: header_mod.EditionMetadata | None = None
    _own_record: tuple | None = None
    edition_language: str = ""  # the edition's main language (teipress.model.header.main_language)
    occurrences: list[mentions.Occurrence] = field(default_factory=list)
    dates: list[mentions.DateRef] = field(default_factory=list)
    tei: str = ""
    _entries: dict = field(default_factory=dict)
    # A page of a split document: its division's id, head and date, its document, neighbours.
    anchor: str = ""
    label: str = ""
    part_date: str = ""
    parent: "Document | None" = None
    parts: list["Document"] = field(default_factory=list)
    prev: "Document | None" = None
    next: "Document | None" = None
    contents: etree._ElementTree | None = None  # a split document's own page: its contents
    # The register files (rel paths) it refers to by any pointer style (@ref, @who, @key …),
    # read off the resolved names of its model.
    register_files: list[str] = field(default_factory=list)
    register_entries: dict[str, list[str]] = field(default_factory=dict)  # register file → ids referred to
    # A letter's sender, recipient, places, dates and neighbours (teipress.model.correspondence);
    # None for a document without correspDesc and for the pages of a split document.
    correspondence: "correspondence_mod.Letter | None" = None
    # Its dated divisions (teipress.model.mentions.division_records), as its model's worker read
    # them; None: read off the model when asked (mentions.records).
    division_records: list | None = None

    @property
    def title(self) -> str:
        """The main title in the corrected reading (a page of a split document: its head)."""
        if self.parent is not None:
            return self.label or self.anchor
        return self.info.title if self.info and self.info.title else self.file.id

    @property
    def meta(self) -> header_mod.EditionMetadata | None:
        if self._meta is None and self._own_record is not None:
            config, folder = self._own_record
            self._meta = header_mod.edition_metadata(config, [self.info], folder)
        return self._meta

    @property
    def language(self) -> str:
        """The document's language: its own TEI/@xml:lang, else the edition's (edition.toml
        `language`, else the main document's), else English."""
        own = self.info.lang if self.info else ""
        return own or (self.edition_language or "en")

    @property
    def citation_files(self) -> dict[str, str]:
        """Format (bibtex, ris, csl_json) → this page's citation file (in html/)."""
        return paths.citation_files(self.id)

    @property
    def pdf(self) -> str:
        """The PDF beside the pages (in html/): every document has one."""
        return self.paths.download

    @property
    def date_value(self) -> str:
        """When the document was made (teipress.model.header.DocumentInfo.date); a page of a
        split document: its division's date."""
        if self.parent is not None:
            return self.part_date
        return self.info.date if self.info else ""

    @property
    def date_sort(self) -> str:
        return self.date_value.split("/")[0]

    def entries(self, kind: str) -> list:
        return self._entries.get(kind, [])

    @property
    def people(self) -> dict[str, list]:
        return {k: v for k, v in self._entries.items() if v}

    @property
    def years(self) -> list[str]:
        """The years the document is about: of the dates in its text and of its own date (a
        letter's date of sending is in its header, often its only date)."""
        own = {part[:4] for part in self.date_value.split("/") if part[:4].isdigit()}
        return sorted(own | {d.sort[:4] for d in self.dates if d.sort[:4].isdigit()})

    def division_dates(self) -> dict[str, str]:
        """Division id → the date label that heads it in contents, bookmarks and running heads
        (teipress.model.mentions.division_date: one rule for every output)."""
        body = self.model.getroot().find(MT + "text")
        return {div.get("id"): mentions.division_date_label(div)
                for div in (body.iter(MT + "block") if body is not None else ())
                if div.get("division") == "true" and div.get("id")}


class Spill:
    """An unnamed scratch file holding the bytes of one build's stored models (Stored): an
    edition of 20,000 letters has about 500 MB of them, which need not stay in memory.  Forked
    workers read it through the descriptor they inherit (pread: no shared file position); the
    system removes it when the last stored model of the build is gone."""

    def __init__(self):
        self.file = tempfile.TemporaryFile(prefix="teipress-models-")
        self.size = 0
        self.lock = threading.Lock()

    def put(self, data: bytes) -> int:
        """Keep *data*; returns where it starts."""
        with self.lock:
            offset = self.size
            self.size += len(data)
            os.pwrite(self.file.fileno(), data, offset)
        return offset

    def read(self, offset: int, size: int) -> bytes:
        return os.pread(self.file.fileno(), size, offset)


class Stored:
    """A behaviour model kept as its serialised bytes, in the build's Spill: a tree takes about
    ten times the memory of its text, and an edition of thousands of documents must not hold
    every one at once.  Each read parses it again (see stored_tree)."""

    __slots__ = ("spill", "offset", "size", "__weakref__")

    def __init__(self, data: bytes, spill: Spill):
        self.spill, self.offset, self.size = spill, spill.put(data), len(data)

    @property
    def data(self) -> bytes:
        return self.spill.read(self.offset, self.size)


class Packs:
    """Open descriptors of the cache packs a build's Cached models are in: opened once, in the
    main process (forked workers inherit them), and kept open, so that a pack the cache
    replaces at the end of the build (Cache.finish) stays readable while the model is."""

    def __init__(self):
        self.fds: dict = {}
        self.lock = threading.Lock()

    def fd(self, pack) -> int | None:
        with self.lock:
            if pack not in self.fds:
                try:
                    self.fds[pack] = os.open(pack, os.O_RDONLY)
                except OSError:
                    self.fds[pack] = None
            return self.fds[pack]

    def __del__(self, close=os.close):  # (os may be gone when the interpreter exits)
        for fd in self.fds.values():
            if fd is not None:
                try:
                    close(fd)
                except OSError:
                    pass


class Cached:
    """A behaviour model left where an incremental build's cache keeps it (teipress.model.
    model_cache): its place in a pack, read when a page is rendered.  Bytes that are not what
    the cache wrote (a damaged or torn pack: the length or CRC-32 differs) are never used: the
    model is made again (*remake*), so a damaged cache only costs time."""

    __slots__ = ("packs", "fd", "offset", "size", "crc", "remake", "key", "__weakref__")

    def __init__(self, packs: Packs, pack, offset: int, size: int, crc: int, remake, key: str | None = None):
        self.packs, self.fd = packs, packs.fd(pack)  # (the descriptors stay open while it is held)
        self.offset, self.size, self.crc, self.remake = offset, size, crc, remake
        # its cache key, which names these bytes (the page cache keys pages by it: page_cache.Models)
        self.key = key

    @property
    def data(self) -> bytes:
        try:
            data = os.pread(self.fd, self.size, self.offset) if self.fd is not None else b""
        except OSError:
            data = b""
        if len(data) == self.size and zlib.crc32(data) == self.crc:
            return data
        return self.remake()


@lru_cache(maxsize=8)
def stored_tree(stored: "Stored | Cached") -> etree._ElementTree:
    """The tree of a stored model.  The few read last are kept, so that a stage reading one
    document's model several times in a row parses it once; outputs only read models."""
    return parse_model(stored.data)


def _tree_property(name: str) -> property:
    """A Document's model tree (or contents tree): the tree itself while the model is being
    made, a Stored or Cached one after EditionModel.build (Document.store)."""
    def get(self):
        value = self.__dict__.get(name)
        return stored_tree(value) if isinstance(value, (Stored, Cached)) else value

    def put(self, value) -> None:
        self.__dict__[name] = value

    return property(get, put)


Document.model = _tree_property("_model")
Document.contents = _tree_property("_contents")


def store(doc: Document, spill: Spill) -> None:
    """Keep *doc*'s trees as their bytes in *spill* from now on (see Stored)."""
    for name in ("_model", "_contents"):
        value = doc.__dict__.get(name)
        if isinstance(value, etree._ElementTree):
            doc.__dict__[name] = Stored(etree.tostring(value.getroot(), encoding="utf-8"), spill)


@dataclass(frozen=True)
class RegisterFile:
    """A register file of the edition: where it is and what its header calls it."""

    rel: str
    title: str
    tei: str  # its copy beside the pages (teipress.model.paths)


@dataclass
class EditionModel:
    edition: Edition
    metadata: header_mod.EditionMetadata
    version: str
    build_time: datetime
    documents: list[Document]
    registers: list[registers.Register]
    entries: dict[str, registers.RegisterEntry]
    chronology: list[mentions.DateRef]
    warnings: list[str]
    images: list[str]
    tool_version: str = __version__
    base_url: str = ""
    where: dict = field(default_factory=dict)  # (document id, model id) → page, for split documents
    register_files: list[RegisterFile] = field(default_factory=list)
    # The documents with correspDesc, in date order (teipress.model.correspondence.attach).
    letters: list[Document] = field(default_factory=list)
    # The digest of everything the edition-wide steps read (teipress.model.resolution), and of all
    # but the text around the names and dates, which only a document's own page, the registers and
    # the chronology show; None without an incremental build's cache.
    resolution: str | None = None
    resolution_no_context: str | None = None

    @property
    def title(self) -> str:
        return self.metadata.title

    @property
    def meta(self) -> header_mod.EditionMetadata:
        return self.metadata

    @property
    def build_date(self) -> str:
        return self.build_time.strftime("%Y-%m-%d")

    @property
    def pages(self) -> list[Document]:
        """Every page: documents and the pages of split documents."""
        return [p for d in self.documents for p in (d, *d.parts)]

    @classmethod
    def build(cls, ed: Edition, build_time: datetime | None = None, cache=None,
              begun: "Begun | None" = None) -> "EditionModel":
        """The model of *ed*; *cache*: an incremental build's (teipress.commands.cache), from
        which a document's behaviour model is taken when its inputs are unchanged.  *begun*:
        its documents' models begun before (begin(), for this *ed* and *cache*)."""
        # The collector would walk the loaded edition's records and the model's (hundreds of
        # thousands, none garbage) again and again while the model's records are made: it waits
        # until the model is made (the workers making models run it: models()).
        enabled = gc.isenabled()
        gc.disable()
        try:
            return cls._build(ed, build_time, cache, begun)
        finally:
            if enabled:
                gc.enable()

    @classmethod
    def _build(cls, ed: Edition, build_time: datetime | None, cache, begun: "Begun | None" = None) -> "EditionModel":
        if not ed.documents:
            raise ModelError(f"the edition in {ed.root} has no TEI document (only registers); "
                             "add a document to tei/")
        if begun is None:
            names = Names.of(ed)
            made = models(ed, in_model_order(ed), names, cache)
        else:
            names, made = begun.names, begun.made
        warnings: list[str] = []
        images: set[str] = set()
        rends_seen: set[str] = set()
        docs: list[Document] = []
        # What each model says, as its worker read it (OwnFacts): resolved below against the
        # edition's registers, pages and letters, then let go.  Its mentions and letter are held
        # pickled until then (a fifth of their size as objects): every document's are held at
        # once, and an edition of 20,000 letters has a few hundred MB of them.
        found: dict[Document, tuple] = {}
        spill = Spill()
        infos_seen: dict = {}  # (header_mod.shared: the facts the documents' headers repeat, once)
        inputs = resolution.Inputs()
        for n, (f, data, own, placed, image_warnings) in enumerate(made, 1):
            if n % TRIM_EVERY == 0:
                # (the models' bytes read so far are in the spill now, and the models begun while
                # the edition was validated waited here: what they held goes back to the system,
                # not kept for this process's next allocations, scattered over its heap)
                workers.give_back_memory()
            doc_id = names.doc_ids[f.key]
            inputs.document(f, doc_id, own, placed, image_warnings)
            warnings += [f"{f.rel}: {w}" for w in own.warnings]
            for value in own.rends:  # one warning per value for the whole edition
                if value not in rends_seen:
                    rends_seen.add(value)
                    warnings.append(f"{f.rel}: rend value '{value}' is not in the rend vocabulary "
                                    "(docs/elements.md); shown in a neutral style")
            warnings += image_warnings
            images.update(placed)
            dp = paths.DocumentPaths(doc_id)
            # the model is kept as its bytes (or left in the cache) and parsed by whoever reads it
            doc = Document(file=f, id=doc_id, path=dp.page,
                           model=data if isinstance(data, Cached) else Stored(data, spill), paths=dp,
                           info=header_mod.shared(header_mod.with_corpus(ed, f, names, own.info), infos_seen),
                           tei=paths.tei_copy(f), division_records=own.records)
            docs.append(doc)
            found[doc] = (own.refs, _held(own.mentions), _held(own.letter))
        folder = header_mod.folder_name(ed)
        infos = [d.info for d in docs]
        metadata = header_mod.edition_metadata(ed.config, infos, folder)
        for d in docs:
            d._own_record = (ed.config, folder)
            d.edition_language = metadata.language
        if build_time is None:
            try:
                build_time = header_mod.build_date(os.environ, infos)
            except header_mod.HeaderError as exc:
                raise ModelError(str(exc)) from None

        # Split documents first: every page must know where each id of the edition is.
        try:
            to_split = split_mod.selected(ed.config.get("split"), [d.id for d in docs])
        except split_mod.SplitError as exc:
            raise ModelError(str(exc)) from None
        where: dict[tuple[str, str], str] = {}
        for doc in docs:
            if doc.id in to_split:
                warnings += _split(doc, where)
        resolved = inputs.keys(ed, build_time, [(d.id, _model_name(d.__dict__["_model"])) for d in docs if d.id in to_split])

        reg_entries = registers.entries(ed, paths.REGISTER_PAGES, names.identities, names.anchors)
        list_entries: dict[str, mentions.ListEntry] = {}
        # register files only: a person described in another letter's back is not a register
        # (worked out once per entry: an identity may be described in every letter)
        in_registers = {a: [(m.file.rel, m.id) for m in e.members if m.file.kind == "register"]
                        for a, e in reg_entries.items()}
        for doc in docs:  # the register files and entries it refers to (its PDF attaches their extracts)
            chosen: dict[str, set[str]] = {}
            for a in found[doc][0]:
                for rel, xid in in_registers.get(a, ()):
                    chosen.setdefault(rel, set()).update([xid] if xid else [])
            doc.register_files = sorted(chosen)
            doc.register_entries = {rel: sorted(ids) for rel, ids in sorted(chosen.items()) if ids}
        page_of = {d.id: d.path for d in docs}
        pages_of: dict[str, dict[str, str]] = {}  # split document → its ids' pages
        for (d, i), p in where.items():
            pages_of.setdefault(d, {})[i] = p
        for doc in docs:
            mentions.attach(doc, pickle.loads(found[doc][1]), reg_entries, pages_of.get(doc.id, {}),
                            lambda el: mentions.list_entry(el, list_entries, where,
                                                           lambda d: page_of.get(d, f"documents/{d}.html")))
            for part in doc.parts:
                part.occurrences = [o for o in doc.occurrences if o.page == part.path]
                part.dates = [o for o in doc.dates if o.page == part.path]
        docs.sort(key=lambda d: (d.date_sort or "9999", d.title.casefold(), d.id))
        sort_keys: dict[int, tuple] = {}  # entry → its sort key, worked out once (an entry is on many pages)

        def sort_key(e) -> tuple:
            key = sort_keys.get(id(e))
            if key is None:
                key = sort_keys[id(e)] = e.sort_key
            return key

        for d in (p for doc in docs for p in (doc, *doc.parts)):
            kinds: dict[str, list] = {}
            seen = set()
            for o in d.occurrences:
                for a in o.anchors:
                    e = reg_entries.get(a) or list_entries.get(a)
                    if e is not None and a not in seen:
                        seen.add(a)
                        kinds.setdefault(e.kind, []).append(e)
            d._entries = {k: sorted(v, key=sort_key) for k, v in sorted(kinds.items())}
        base_url = ed.config.get("base_url") or ""
        letters = correspondence_mod.attach(docs, reg_entries, base_url, _Unpickled((d, own[2]) for d, own in found.items()))
        del found
        for d in (p for doc in docs for p in (doc, *doc.parts)):
            store(d, spill)  # the model is made: from here on it is only read
        workers.give_back_memory()
        return cls(edition=ed, metadata=metadata, version=metadata.version, build_time=build_time,
                   documents=docs, registers=registers.registers(reg_entries, paths.REGISTER_PAGES),
                   entries=reg_entries, chronology=mentions.chronology(docs), warnings=warnings,
                   images=sorted(images), base_url=base_url.rstrip("/") + "/" if base_url else "",
                   where=where, letters=letters, resolution=resolved[0], resolution_no_context=resolved[1],
                   register_files=[RegisterFile(f.rel, header_mod.document_info(ed, f, names, header_only(ed, f, names)).title, paths.tei_copy(f))
                                   for f in ed.registers])

    @property
    def events(self) -> list[registers.RegisterEntry]:
        """The dated events and treaties of the registers, in date order (the chronology of events)."""
        return registers.events(self.entries)

    @cached_property  # read by more than one page; the model does not change once built
    def records(self) -> list[mentions.Record]:
        """The dated divisions of the documents (conversations, letters …), in date order."""
        return mentions.records([d for d in self.documents if d.parent is None], self.page_of)

    def page_of(self, doc_id: str, target: str) -> str:
        """The page holding model id *target* of document *doc_id* (split documents)."""
        return self.where.get((doc_id, target)) or f"documents/{doc_id}.html"


def _model_name(model) -> str:
    """What names a document's behaviour model's bytes: its cache key, else their digest."""
    key = getattr(model, "key", None)
    return key or hashlib.sha256(model.data).hexdigest()


def _dumps(value) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _held(value) -> bytes:
    """*value* pickled; as it is when it is so already (OwnFacts read with own_cache.get(held=True))."""
    return value if value.__class__ is bytes else _dumps(value)


class _Unpickled(Mapping):
    """A mapping whose values are held pickled, each read (unpickled) whenever it is asked for
    (by key, get() or items() alike: a Mapping's are all made of __getitem__)."""

    def __init__(self, pairs):
        self._held = dict(pairs)

    def __getitem__(self, key):
        return pickle.loads(self._held[key])

    def __contains__(self, key) -> bool:  # (without reading the value, as Mapping's would)
        return key in self._held

    def __iter__(self):
        return iter(self._held)

    def __len__(self) -> int:
        return len(self._held)


# From this many documents on, their behaviour models are made on every core.
PARALLEL_FROM = 16
# How many documents' models are read between two returns of freed memory (EditionModel._build).
TRIM_EVERY = 500


def in_model_order(ed: Edition) -> list[TeiFile]:
    """The documents in the order their models are made and the model lists them (by file,
    then by place in a corpus file): begin() and EditionModel.build alike."""
    return sorted(ed.documents, key=lambda f: (f.rel, f.n))


class Begun:
    """The behaviour models of an edition's documents at work in forked workers (begin())."""

    def __init__(self, names: Names, made):
        self.names, self._made = names, made
        self.made = workers.started(made)

    def close(self) -> None:
        """Not wanted after all: the workers end (their work is lost)."""
        self._made.close()


def begin(ed: Edition, cache=None) -> Begun | None:
    """The behaviour models of *ed*'s documents begun in forked workers (EditionModel.build
    reads them with begun=), so that this process can do other work meanwhile (validate the
    edition they are made of: commands/build.py); None when they would not be made in workers
    (few documents, or no fork: see teipress.workers), where beginning early gains nothing.
    What the workers put in *cache* is counted as used only when the models are read."""
    if not workers.forks(len(ed.documents), PARALLEL_FROM):
        return None
    names = Names.of(ed)
    return Begun(names, models(ed, in_model_order(ed), names, cache))


@dataclass
class OwnFacts:
    """What a document's behaviour model alone says, read once per model in the worker that
    made it (and kept in an incremental build's cache under the model's bytes), so that the
    edition-wide steps never parse or walk the model:

    - its own header's facts (a TEI of a corpus adds its corpora's: header.with_corpus);
    - the warnings about what the model dropped, and its @rend values outside the vocabulary;
    - the @src of its images (placed by place_images);
    - every register anchor any element points to (@ref: the register files it refers to);
    - its mentions: names and dates of the text (mentions.extract, resolved by mentions.attach);
    - its correspDesc (correspondence.facts, resolved by correspondence.resolve);
    - its dated divisions (mentions.division_records: the chronology's records)."""

    info: header_mod.DocumentInfo
    warnings: list[str]
    rends: list[str]
    graphics: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()
    # (its mentions and letter: pickled, as bytes, when read from the cache by the model stage,
    # which holds them so until it resolves them: own_cache.get(held=True))
    mentions: list = field(default_factory=list)
    letter: "correspondence_mod.LetterFacts | None" = None
    records: list = field(default_factory=list)
    # The digest of all the above, as an incremental build's cache keeps them (own_cache), and of
    # all but the text around its names and dates (mentions.without_context); "" when not kept.
    digest: str = field(default="", compare=False)
    digest_no_context: str = field(default="", compare=False)


# Bump when OwnFacts or what fills it changes shape (the key also holds teipress's digest).
OWN_FACTS_VERSION = 5


def read_own_facts(tree: etree._ElementTree, title_order) -> OwnFacts:
    """The OwnFacts of a behaviour model *tree*; *title_order*: edition.toml's (picks the title)."""
    return OwnFacts(header_mod.read(tree, title_order), model_warnings(tree), unknown_rends(tree),
                    tuple(g.get("src") for g in tree.iterfind(".//m:graphic[@src]", M)),
                    tuple(sorted({a for v in tree.xpath("//@ref") for a in v.split()})),
                    mentions.extract(tree), correspondence_mod.facts(tree), mentions.division_records(tree))


def own_facts_key(ed: Edition, data: bytes) -> str:
    """The cache key of the OwnFacts of behaviour model *data*: the model and edition.toml's
    title_order (which picks the title) are all they are read from."""
    from ..commands import cache as cache_mod

    return cache_mod.digest("own-facts", OWN_FACTS_VERSION, cache_mod.tool_fingerprint(), data,
                            ed.config.get("title_order"))


def own_facts(ed: Edition, f: TeiFile, data: bytes, cache=None, keys: dict | None = None,
              tree: etree._ElementTree | None = None) -> OwnFacts:
    """The OwnFacts of *f*'s behaviour model *data*, from *cache* when it holds those of the
    same model (own_facts_key); *keys*: given, gets that key as ``keys["own"]``; *tree*: the
    stylesheet's result tree *data* was serialised from, read instead of parsing *data*."""
    key = None
    if cache is not None:
        key = own_facts_key(ed, data)
        if keys is not None:
            keys["own"] = key
        hit = own_cache.get(cache, key, of=OwnFacts)
        if hit is not None:
            return hit
    own = read_own_facts(tree if tree is not None else parse_model(data), ed.config.get("title_order"))
    if key is not None:
        own_cache.put(cache, key, own)
    return own


def place_images(ed: Edition, f: TeiFile, data: bytes, srcs: tuple[str, ...]) -> tuple[bytes, list[str], list[str]]:
    """The model *data* with its images (@src, *srcs*) named from tei/ (the document may be in a
    sub-folder, and the HTML and the PDF must find the same file) and a missing or unreadable
    one marked (@missing: both outputs show its description in its place); with the images to
    publish and the warnings.  Asked of the files on every build, never cached."""
    if not srcs:
        return data, [], []
    tree = parse_model(data)
    placed: list[str] = []
    warnings: list[str] = []
    for g in tree.iterfind(".//m:graphic[@src]", M):
        src = g.get("src")
        img = paths.image(f, src)
        if img is None:  # outside the edition, or an encoded '..': never copied
            warnings.append(f"{f.rel}: image '{src}' is not inside the edition folder; not published")
            continue
        g.set("src", img)
        why = images_mod.problem(ed.tei_dir / img)
        if why:
            g.set("missing", why)
            line = images_mod.line_of(f, src)
            warnings.append(f"{f.rel}{f':{line}' if line else ''}: image '{src}' {why}; "
                            "its description is shown instead")
        else:
            placed.append(img)
    return etree.tostring(tree.getroot(), encoding="utf-8"), placed, warnings


def models(ed: Edition, files: list[TeiFile], names: Names, cache=None):
    """(file, behaviour model's bytes, its OwnFacts, its images to publish, warnings about its
    images) of each of *files*, in order.  With *cache*, a document whose model the cache
    holds for the same inputs (model_cache) is found here, its model left in the cache
    (Cached, not read) and its OwnFacts read from it; the others are made side by side in
    forked workers for a large edition (teipress.workers: forked once Names is known, so they
    share it), one by one in this process otherwise.  This process never parses a model."""
    found: dict[int, tuple] = {}
    asked: dict[str, tuple] = {}  # document key → its pointers, when the cache had them
    seen: dict[str, model_cache.Seen] = {}  # this build's snapshot (model_cache.keep_snapshot)
    lookup = model_cache.Lookup(ed, names) if cache is not None else None
    if lookup is not None:
        packs = Packs()
        before = model_cache.previous_snapshot(cache, ed)
        lookup.compare(before)
        last = before.docs if before is not None else {}
        values: dict = {}  # (own_cache.get: each shared header value unpickled once)
        for i, f in enumerate(files):
            hit = _cached(ed, f, names, cache, lookup, packs, asked, last.get(f.key), seen, values)
            if hit is not None:
                found[i] = hit
        del before, last, values
    todo = [f for i, f in enumerate(files) if i not in found]
    forked = workers.forks(len(todo), PARALLEL_FROM)

    def one(f: TeiFile):
        if forked and not gc.isenabled():
            gc.enable()  # (a worker's garbage is its own: EditionModel.build)
        if forked and cache is not None:
            cache.used.clear()  # this worker's copy: what this document used goes back to the parent
        snap = None
        try:
            data, own, snap = _made(ed, f, names, cache, lookup, asked.get(f.key))
            data, placed, image_warnings = place_images(ed, f, data, own.graphics)
        except ModelError as exc:  # travels back as a value: the parent raises it
            data, own, placed, image_warnings = exc, None, [], []
        used = {k: set(v) for k, v in cache.used.items()} if forked and cache is not None else {}
        return data, own, placed, image_warnings, used, snap

    made = workers.forked_map(one, todo, PARALLEL_FROM)
    for i, f in enumerate(files):
        if i in found:
            yield f, *found.pop(i), [], []
            progress.advance()
            continue
        data, own, placed, image_warnings, used, found_now = next(made)
        if isinstance(data, ModelError):
            raise data
        if found_now is not None:
            seen[f.key] = found_now
        for kind, keys in used.items():  # what the workers used stays in the cache (Cache.finish)
            cache.used.setdefault(kind, set()).update(keys)
        yield f, data, own, placed, image_warnings
        progress.advance()
    if cache is not None:  # (every document's model made or found: the build goes on)
        model_cache.keep_snapshot(cache, ed, lookup, seen)


def _cached(ed: Edition, f: TeiFile, names: Names, cache, lookup, packs: Packs, asked: dict,
            last: "model_cache.Seen | None", seen: dict, values: dict | None = None):
    """(Cached model, OwnFacts) of *f* when the cache holds its model for the same inputs
    (model_cache), else None.  A model with images is not taken: its images are looked at
    on every build (place_images).  *last*: what the last build's snapshot says of *f*
    (model_cache.previous_snapshot), which stands for the ``pointers`` and ``model-of``
    entries it names when *f* has the same bytes and lookup key; what was found goes to
    *seen* (this build's snapshot); *values*: the header values its OwnFacts share with the
    other documents' (own_cache.get), kept over the build."""
    digest = model_cache.file_digest(f)
    if not digest:
        return None
    same = last is not None and last.digest == digest
    if same:  # (its pointers are a function of its bytes: the entry is kept, not read)
        pointers_key, mine = last.pointers_key, last.asked
        cache.keep(model_cache.POINTERS, pointers_key)
    else:
        pointers_key = model_cache.pointers_key(f, digest)
        mine = cache.get_object(model_cache.POINTERS, pointers_key)
    if not (isinstance(mine, tuple) and len(mine) == 2):
        return None
    asked[f.key] = mine
    key = lookup.reuse(f, digest, last) if same else None
    if key is not None:  # (every input of its lookup key is as the snapshot found it)
        targets, entries = last.targets, last.entries
    else:
        key, targets, entries = lookup.key_and_deps(f, digest, mine)
    if key is None:
        return None
    if same and last.lookup == key:  # (what model-of holds under the same key)
        record = (last.model_key, last.own_key)
        cache.keep(model_cache.MODEL_OF, key)
    else:
        record = cache.get_object(model_cache.MODEL_OF, key)
    if not (isinstance(record, tuple) and len(record) == 2):
        return None
    model_key, own_key = record
    loc = cache.locate("model", model_key)
    if loc is None:
        return None
    own = own_cache.get(cache, own_key, values, OwnFacts, held=True)
    if own is None or own.graphics:
        return None
    pack, offset, size, crc = loc
    seen[f.key] = model_cache.Seen(digest, pointers_key, mine, key, model_key, own_key, targets, entries)
    return Cached(packs, pack, offset, size, crc, lambda: _model_or_error(ed, f, names, None), model_key), own


def _made(ed: Edition, f: TeiFile, names: Names, cache, lookup, asked: tuple | None):
    """*f*'s behaviour model's bytes and OwnFacts, made (or its model found by its own key,
    behaviour_bytes), and what the snapshot keeps of it (model_cache.Seen, or None); with
    *cache*, what model_cache looks for next time is kept."""
    made: dict = {}  # the stylesheet's result tree, when made here: read, not parsed again
    if cache is None:
        data = _model_or_error(ed, f, names, None, made=made)
        return data, own_facts(ed, f, data, tree=made.get("tree")), None
    digest = model_cache.file_digest(f)
    if asked is None:
        asked = pointers(f)
        if digest:
            cache.put_object(model_cache.POINTERS, model_cache.pointers_key(f, digest), asked)
    keys: dict = {}
    data = _model_or_error(ed, f, names, cache, asked, keys, made)
    own = own_facts(ed, f, data, cache, keys, made.get("tree"))
    key, targets, entries = lookup.key_and_deps(f, digest, asked) if digest else (None, (), ())
    seen = None
    if key is not None and "model" in keys:
        cache.put_object(model_cache.MODEL_OF, key, (keys["model"], keys["own"]))
        seen = model_cache.Seen(digest, model_cache.pointers_key(f, digest), asked, key, keys["model"], keys["own"],
                                targets, entries)
    return data, own, seen


def _model_or_error(ed: Edition, f: TeiFile, names: Names, cache, asked: tuple | None = None,
                    keys: dict | None = None, made: dict | None = None) -> bytes:
    try:
        return behaviour_bytes(ed, f, names, cache, asked, keys, made)
    except etree.XSLTApplyError as exc:
        raise ModelError(f"{f.rel}: the behaviour model failed: {exc}") from None


def _split(doc: Document, where: dict) -> list[str]:
    """Give a document one page per division (teipress.model.split); its own page becomes the contents."""
    if doc.file.container is None:  # every xml:id of the file, from its facts (not its tree)
        from ..validation import facts as facts_mod

        ids = {i for i in facts_mod.of(doc.file).ids if i}
    else:  # (a corpus file's facts hold the ids of all its TEIs)
        ids = {el.get(XML_ID) for el in doc.file.root.iter() if isinstance(el.tag, str) and el.get(XML_ID)}
    model = doc.model  # parsed once here: its divisions are cut out of this tree
    divs = split_mod.points(model, ids)
    if not divs:
        return [f"{doc.file.rel}: split: no division carries an xml:id, so the document stays one page"]
    names = paths.part_names([d.get("id") for d in divs])
    pages = [doc.paths.part(name) for name in names]
    values = [mentions.division_date(d)[0] for d in divs]
    for div, name, path, value in zip(divs, names, pages, values):
        doc.parts.append(Document(file=doc.file, id=f"{doc.id}/{name}", path=path,
                                  model=split_mod.part_model(model, div), paths=doc.paths,
                                  info=doc.info, _meta=doc.meta, edition_language=doc.edition_language,
                                  tei=doc.tei, anchor=div.get("id"),
                                  label=div.get("label") or div.get("id"), part_date=value, parent=doc))
    for a, b in zip(doc.parts, doc.parts[1:]):
        a.next, b.prev = b, a
    for xid, path in split_mod.page_of_ids(divs, pages).items():
        where[(doc.id, xid)] = path
    doc.contents = split_mod.contents_model(model, divs, pages,
                                            [(v, mentions.division_date_label(d)) for d, v in zip(divs, values)])
    return []

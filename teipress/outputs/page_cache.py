"""The incremental build's page cache: each document's pages and citation files, kept under a
key made of everything they show (teipress.commands.cache).

A document's output files (its HTML page, its split pages, their BibTeX, RIS and CSL-JSON
citations) are a function of

- the document itself: its behaviour models (the text, the header, the resolved pointers: the
  model's own cache key reads them), its header facts, the register entries of its side panel,
  its letter facts and neighbours, its split pages' neighbours, its parallel views and PDFs;
- the edition: teipress and the edition's templates, edition.toml, the edition's metadata,
  version and build date, the registers the menu lists, where every id of a split document is,
  and which documents there are.

The first part is read off the document (page_key), the second once per build
(edition_digest).  Where reading the exact facts a page shows is hard, the key takes more
than it needs (all of the edition's metadata, the ids of all documents): a change there renders
every page again, but never leaves one stale.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import operator
import pickle

from lxml import etree

from .. import held_once
from ..commands import cache as cache_mod
from . import key_memo

KIND = "page"
BYTES = "page-bytes"  # (the bytes of the files an entry of KIND lists)


def edition_digest(ctx, em) -> str:
    """What every document page reads of the edition as a whole."""
    from ..model import header as header_mod

    held_once.forget_records()  # (_letter, letter_digest, _entry, edition_cache._about)
    ed = ctx.edition
    toml = ed.root / "edition.toml"
    return cache_mod.digest(
        cache_mod.tool_fingerprint(),
        cache_mod.folder_digest(ed.root / "templates"),  # the edition's own page shells
        toml.read_bytes() if toml.is_file() else b"",
        repr(sorted(ed.config.values.items(), key=lambda kv: kv[0])),
        em.title, em.version, em.tool_version, em.build_date, em.base_url,
        repr(em.metadata),
        # (a document's own record, Document.meta, is read from its header facts, edition.toml
        # and this name alone: page_key holds the facts, not the record)
        header_mod.folder_name(ed),
        [(r.path, r.label) for r in em.registers],  # the menu
        bool(em.letters),  # the menu's "Letters"
        sorted(em.where.items()),  # tpf:page: the page of every id of a split document
        sorted((p.id, p.path) for p in em.pages),  # which documents and pages there are
    )


MODELS = ("_model", "_contents")


def _model_digest(value) -> str:
    """The SHA-256 of a stored behaviour model's bytes (b"" for none), read and hashed."""
    if value is None:
        data = b""
    elif isinstance(value, etree._ElementTree):
        data = etree.tostring(value.getroot(), encoding="utf-8")
    else:  # edition_model.Stored or Cached
        data = value.data
    return hashlib.sha256(data).hexdigest()


def _model_bytes(doc) -> list[str]:
    """The digests of the document's behaviour models, each read and hashed (Models.of knows
    those of models kept in the cache without reading them)."""
    return [_model_digest(doc.__dict__.get(name)) for name in MODELS]


class Models:
    """The SHA-256 of each document's behaviour model bytes (its model, and a split document's
    contents), which its page key holds.  A model left in the cache (edition_model.Cached) is
    named by its cache key, which names its bytes: the digest of those bytes is kept under it
    from one build to the next (one entry for the edition), so that an unchanged document's
    model is neither read nor hashed.  A model made by this build is hashed: the same digest,
    so a page's key does not depend on where its model came from."""

    def __init__(self, cache):
        self.slot = cache_mod.digest(KIND, "model digests")
        kept = cache.get_object(KIND, self.slot) if cache is not None else None
        self.old: dict[str, str] = kept if isinstance(kept, dict) else {}
        self.new: dict[str, str] = {}
        self.hashed: dict[int, tuple] = {}  # id of a model hashed by this build → (it, its digest)
        # A document's header facts (Document.info) are read from its model's bytes alone
        # (edition_model.own_facts: with edition.toml's title_order, in the edition's key) unless
        # it is a TEI of a corpus, whose corpora's headers add to them: the digest of their repr
        # (a tenth of a millisecond each) is kept under the model's digest and the document id.
        self.info_slot = cache_mod.digest(KIND, "header facts digests")
        kept = cache.get_object(KIND, self.info_slot) if cache is not None else None
        self.old_infos: dict[str, str] = kept if isinstance(kept, dict) else {}
        self.new_infos: dict[str, str] = {}

    def of(self, doc) -> tuple[list[str], list[tuple[str, str]]]:
        """The digests of *doc*'s models, and the (cache key, digest) pairs worked out here
        (for learn(): a forked worker's dictionary is its own)."""
        out, learnt = [], []
        for name in MODELS:
            value = doc.__dict__.get(name)
            key = getattr(value, "key", None)  # (a Cached model's)
            digest = self.old.get(key) if key else None
            if digest is None:
                held = self.hashed.get(id(value))  # (page_inputs and page_key both ask)
                digest = held[1] if held is not None and held[0] is value else _model_digest(value)
                self.hashed[id(value)] = (value, digest)
            if key:
                learnt.append((key, digest))
            out.append(digest)
        return out, learnt

    def learn(self, learnt: list[tuple[str, str]]) -> None:
        self.new.update(learnt)

    def info(self, doc, model_digest: str) -> str:
        """The digest of *doc*'s header facts (its Document.info), *model_digest* being its
        model's (of): kept from the last build where the facts are its model's alone."""
        if getattr(doc.file, "container", None) is not None:  # (header.with_corpus)
            return cache_mod.digest(repr(doc.info))
        key = f"{model_digest} {doc.id}"
        got = self.old_infos.get(key)
        if got is None:
            got = cache_mod.digest(repr(doc.info))
        self.new_infos[key] = got
        return got

    def carry(self, doc, model_digest: str) -> None:
        """Keep the digest of *doc*'s header facts for the next build as the last build had it
        (its page key recalled by its inputs, key_memo: the facts were not read again)."""
        key = f"{model_digest} {doc.id}"
        got = self.old_infos.get(key)
        if got is not None:
            self.new_infos[key] = got

    def save(self, cache) -> None:
        """Keep the digests of this build's cached models for the next build."""
        for slot, new, old in ((self.slot, self.new, self.old), (self.info_slot, self.new_infos, self.old_infos)):
            if new == old:
                cache.keep(KIND, slot)
            else:
                cache.put_object(KIND, slot, new)


@held_once.ByRecord
def _entry(e) -> str:
    """A side panel's entry as _entries shows it (an entry is in the panels of many pages)."""
    return repr((e.href, e.name, e.dates, e.description, e.desc_id))


def _neighbour(doc) -> tuple:
    return (doc.path, doc.title) if doc is not None else ()


@held_once.ByRecord  # (its page's key and letters.html's both ask)
def _letter(letter) -> tuple:
    """A letter's facts as the page shows them: its names and dates, and of its neighbours
    only their page and title (a Document's repr would be the whole document)."""
    if letter is None:
        return ()
    out = []
    for name in _field_names(letter.__class__):
        value = getattr(letter, name)
        if name in ("prev", "next", "prev_in_correspondence", "next_in_correspondence"):
            value = _neighbour(value)
        elif value.__class__ is tuple:
            value = _plain_all(value)
        else:
            value = _plain(value)
        out.append((name, value))
    return tuple(out)


@functools.cache
def _field_names(cls) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


@functools.cache
def _fields_of(cls):
    """The values of an instance of dataclass *cls*'s fields, as a tuple (operator.attrgetter:
    read in C), or None for a class that is no dataclass."""
    if not dataclasses.is_dataclass(cls):
        return None
    names = _field_names(cls)
    get = operator.attrgetter(*names)
    return get if len(names) > 1 else (lambda v: (get(v),))


def _plain(value):
    """A letter's name or date (correspondence.Name, When: dataclasses of strings and tuples of
    strings) as its class's name and its fields' values, which repr() writes out in C: a
    dataclass's own repr, made in Python, cost a few microseconds a name."""
    get = _fields_of(value.__class__)
    return (value.__class__.__name__, get(value)) if get is not None else value


def _plain_all(values: tuple) -> tuple:
    """_plain of each of *values* (a letter's senders, recipients, places: of one class)."""
    if not values:
        return ()
    cls = values[0].__class__
    get = _fields_of(cls)
    if get is None or any(v.__class__ is not cls for v in values):
        return tuple(map(_plain, values))
    return (cls.__name__, tuple(map(get, values)))


@held_once.ByRecord  # (the cmif stage asks again after the html stage)
def letter_digest(letter) -> str:
    """The digest of _letter(letter): worked out beside each letter's page key (html._build) and
    read by the letters page's key (edition_cache.letters_key), which would else read every
    letter again."""
    return cache_mod.digest(_letter(letter))


def _entries(page, kinds) -> list:
    """The register entries of the page's side panel, as it shows and links them."""
    return [(kind, [_entry(e) for e in page.entries(kind)]) for kind, _label in kinds]


def _parallel(page) -> list:
    """The page's links to its facing pages, with how many units they align (the other
    text's alignment changes them, not only this document's)."""
    return [(v.path, v.pair.original.id, v.pair.translation.id, len(v.rows))
            for v in getattr(page, "parallel", [])]


def page_key(edition: str, page, kinds, models: Models) -> tuple[str, list]:
    """The key of a document's output files; *edition*: edition_digest; *page*: its
    teipress.outputs.html.Page (its split pages in page.parts); *kinds*: the side panel's;
    with what Models.of learnt of its models' digests (for Models.learn)."""
    parts, learnt = [], []
    info = None
    for p in (page, *page.parts):
        d = p.doc
        digests, new = models.of(d)
        learnt += new
        if info is None:  # (a split document's pages share its header facts: edition_model._split)
            info = models.info(d, digests[0])
        elif d.info is not page.doc.info:
            info = cache_mod.digest(repr(d.info))
        parts.append((
            p.id, p.path, p.title, p.tei, p.pdf, p.volumes, d.anchor, d.label, d.part_date,
            digests, info, d.edition_language, d.years,
            _neighbour(d.parent), _neighbour(d.prev), _neighbour(d.next),
            letter_digest(d.correspondence), _entries(p, kinds),  # (its digest: the facts written out once)
            _parallel(p),
        ))
    return cache_mod.digest(edition, "files with their digests", parts), learnt


def page_inputs(resolution: str | None, edition: str, page, models: Models) -> tuple[str | None, str]:
    """The digest of what a document's page key is made of (teipress.outputs.key_memo): the
    model's resolution without the text around names and dates (every document's header facts,
    register entries, letters and neighbours: teipress.model.resolution; the page shows the text
    of its own names and dates, which its models' digests hold), *edition* (edition_digest), and what
    the page adds: its models' digests (Models.of, learnt for the next build), its PDFs and its
    facing pages (None without a resolution key); with the digest of the document's model."""
    if resolution is None:
        return None, ""
    parts = []
    for p in (page, *page.parts):
        digests, learnt = models.of(p.doc)
        models.learn(learnt)
        parts.append((p.id, p.pdf, p.volumes, digests, _parallel(p)))
    return key_memo.inputs("page", resolution, edition, parts), parts[0][3][0]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def plain_fields(fields: list) -> list[tuple]:
    """Metadata fields (teipress.outputs.html.Field) as plain (name, attributes, HTML) tuples:
    what the cache keeps (unpickling thousands of Markup and dict subclasses costs more than
    making them again) and what fields_digest reads."""
    return [(f.name, dict(f.attrs), str(f.html)) for f in fields]


def fields_digest(plain: list[tuple]) -> str:
    """The digest of a document's fields as the edition's pages show them (about, principles)."""
    return cache_mod.digest([(name, sorted(attrs.items()), html) for name, attrs, html in plain])


# The index is kept in this many cache entries, a document's in the one its key's first digits
# choose: one letter changed rewrites the one or two shards its old and new keys are in, not the
# entries of all 5,000 documents (pickling them cost about 0.5 s a build).
SHARDS = 32


def shard_of(key: str) -> int:
    return int(key[:4], 16) % SHARDS


def shard_slot(n: int) -> str:
    return cache_mod.digest(KIND, "every document's entry", "shard", n, SHARDS)


class Index:
    """What the page cache keeps of every document of the edition (each page key → its files'
    paths and digests, its metadata fields and their digest), in SHARDS cache entries read once
    per build (a one-letter build of 5,000 letters once read 5,000 entries one by one), only
    those whose keys changed written again.  A document's fields are kept pickled apart inside
    its shard: they are unpickled only when a page reads them (the about and principles pages,
    when their own keys changed), not for every document at every build.  The files' bytes stay
    one entry per key (BYTES), read only when a file must be written.  A damaged shard is a miss
    (Cache: CRC-32), so its documents' pages are rendered again, never one taken wrongly."""

    def __init__(self, cache):
        self.cache = cache
        self.old: list[dict] = []
        for n in range(SHARDS):
            kept = cache.get_object(KIND, shard_slot(n))
            self.old.append(kept if isinstance(kept, dict) else {})
        self.new: list[dict] = [{} for _ in range(SHARDS)]

    def get(self, key: str):
        """(files, fields, digest, load) kept for *key*: files as (path in html/, SHA-256 of
        its bytes), fields() the metadata fields the edition's pages read (plain_fields) and
        digest their fields_digest, load() the files' bytes by path (read from the cache when
        first asked for: an incremental build writes an unchanged page's bytes only where the
        output lacks them); None when not kept."""
        n = shard_of(key)
        kept = self.old[n].get(key)
        if not (isinstance(kept, tuple) and len(kept) == 3 and isinstance(kept[2], bytes)
                and isinstance(kept[1], str) and all(isinstance(d, str) for _, d in kept[0])):
            return None
        self.cache.keep(BYTES, key)  # (kept by this build whether read or not)
        self.new[n][key] = kept
        files, digest, blob = kept
        got: dict = {}
        cache = self.cache

        def load() -> dict[str, bytes]:
            if not got:
                data = cache.get_object(BYTES, key)
                if not isinstance(data, list) or [p for p, _ in data] != [p for p, _ in files]:
                    raise OSError(f"the incremental build's cache lost the pages of entry {key}: "
                                  "remove the folder .teipress-cache and build again")
                got.update(data)
            return got

        return files, lambda: pickle.loads(blob), digest, load

    def add(self, key: str, record: tuple) -> None:
        """A document's entry, as put() made it (in this process or in a forked worker)."""
        self.new[shard_of(key)][key] = record

    def save(self) -> None:
        # (a key names its entry's content: the same keys, the same entries)
        for n in range(SHARDS):
            if self.new[n].keys() == self.old[n].keys():
                self.cache.keep(KIND, shard_slot(n))
            else:
                self.cache.put_object(KIND, shard_slot(n), self.new[n])


def put(cache, key: str, files: list[tuple[str, bytes]], digests: list[str], fields: list) -> tuple:
    """Keep a document's files (path in html/, bytes) under *key*; return what Index.add keeps
    of them (their paths and *digests*, the fields' digest and the fields pickled: read at every
    build), the bytes being kept apart (read only when written)."""
    plain = plain_fields(fields)
    cache.put(BYTES, key, pickle.dumps(files, protocol=pickle.HIGHEST_PROTOCOL))
    return ([(p, d) for (p, _), d in zip(files, digests)], fields_digest(plain),
            pickle.dumps(plain, protocol=pickle.HIGHEST_PROTOCOL))

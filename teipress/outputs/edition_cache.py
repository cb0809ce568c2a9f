"""The incremental build's cache of the edition's own pages: the registers, entry by entry, and
the pages made of the whole edition (home, letters, chronology …), each kept under a key made of
exactly what it shows (teipress.commands.cache; the documents' pages: page_cache.py).

A register page lists every entry with every place that names it, so one letter changed would
render it all again; instead each entry is rendered alone (templates/register_entry.html) and
kept under the key of its own facts, and the page is put together from the entries: only the
entries the change touched are rendered again.  All of a register's entries are kept in one
cache entry (a dict), so that thousands of entries cost one file, not thousands.

Each key begins with page_cache.edition_digest (teipress, the edition's templates,
edition.toml, the metadata, the build date …): what every page reads of the edition.
"""
from __future__ import annotations

import dataclasses
import pickle

from .. import held_once
from ..commands import cache as cache_mod
from . import key_memo

KIND = "edition-page"


def _facts(e) -> tuple:
    """What the entry says of itself: its names, dates, description, offices, records, sources."""
    return (e.anchor, e.name, e.dates, e.originals, e.variants, e.description, e.details,
            e.offices_by_date(), [(i.href, i.label, i.value) for i in e.identifiers],
            [s.parts for s in e.sources])


def _mentions(e) -> list:
    """Every place that names the entry, grouped by document, as the entry lists them."""
    return [(doc.path, doc.title, [(o.editorial, o.href, o.where_full, o.where, o.before, o.text, o.after)
                                   for o in occs])
            for doc, occs in e.by_document()]


def entry_key(edition: str, root: str, e) -> str:
    """The key of a register entry as register_entry.html shows it, at *root* (its page's way
    back to the site's top)."""
    return cache_mod.digest(edition, root, _facts(e), _mentions(e))


def entry_keys(cache, edition: str, root: str, reg, page_keys: dict[str, str]) -> dict[int, str]:
    """entry_key of every entry of the register page *reg* (by id() of the entry), each taken
    from the previous build where its inputs are unchanged: what an entry shows is a function of
    its descriptions (the bytes and ids of the files describing it: their facts are read from
    them alone, registers.About), its anchor, kind and page, and of the documents naming it, in
    order, each named by its page key (*page_keys*: document id → page_cache.page_key, which
    holds the document's models, header facts and title, which the occurrences are read from)
    with how often it is named.  So one letter changed works out anew only the keys of the
    entries it names (and of those described in it), not every entry's facts and mentions."""
    slot = entry_keys_slot(reg)
    got = cache.get_object(KIND, slot)
    old = got if isinstance(got, dict) else {}
    new, out = {}, {}
    for e in reg.entries:
        about = _about(e)
        named = _named(e, page_keys)
        if about is None or any(k is None for _d, k, _n in named):
            out[id(e)] = entry_key(edition, root, e)  # (no digest to name an input by)
            continue
        inputs = _quick(edition, "entry inputs", root, reg.path, e.anchor, e.kind, e.page, about, named)
        key = old.get(inputs)
        if not isinstance(key, str):
            key = entry_key(edition, root, e)
        new[inputs] = out[id(e)] = key
    if new != old:
        cache.put_object(KIND, slot, new)
    else:
        cache.keep(KIND, slot)
    return out


def entry_keys_slot(reg) -> str:
    return cache_mod.digest(KIND, "register entry keys", reg.path)


def keep_register(cache, reg, json_ld: str | None) -> None:
    """Keep what a register page was made of for the next build (its page taken whole, by a key
    recalled: key_memo): its JSON-LD (under key *json_ld*) and its parts, its entries' keys and
    their rendered HTML."""
    if json_ld is not None:
        cache.keep(KIND, json_ld)
    cache.keep(KIND, json_ld_slot(reg))
    cache.keep(KIND, entry_keys_slot(reg))
    Fragments.keep(cache, reg.path)


def _named(e, page_keys: dict[str, str]) -> list:
    """The documents naming the entry, in the order of its occurrences: (id, page key, how often)."""
    docs: dict[str, int] = {}
    for o in e.occurrences:
        docs[o.doc.id] = docs.get(o.doc.id, 0) + 1
    return [(d, page_keys.get(d), n) for d, n in docs.items()]


# (a digest of plain values by one repr(): for the thousands of entry keys of a register, where
# cache.digest's repr and length of each part cost as much again)
_quick = key_memo.inputs


@held_once.ByRecord  # (json_ld_key, json_ld and entry_keys each ask it of every entry of a register)
def _about(e) -> str | None:
    """The entry's descriptions (_descriptions) with their files' digests, written out; None
    when a file has no digest."""
    files: dict = {}
    described = _descriptions(e, files)
    return repr((described, sorted(files.items()))) if described is not None else None


def _descriptions(e, files: dict) -> list | None:
    """Every description of the entry, by its file and id, each file's bytes (TeiFile.digest)
    noted once in *files*: what the JSON-LD of the entry is read from; None when a file has no
    digest."""
    out = []
    for m in e.members or [e.entry]:
        f = m.file
        if not f.digest:
            return None
        files[f.rel, f.n] = f.digest
        out.append((f.rel, f.n, m.id))
    return [e.entry.file.rel, e.entry.file.n, e.entry.id, out]


def json_ld_key(edition: str, reg) -> str | None:
    """The key of a register page's JSON-LD (registers.Register.json_ld: read from the entries'
    descriptions, every entry of the page, at every build): their files' bytes and ids, the
    entries' anchors and kinds; None when it is not kept."""
    rows = []
    for e in reg.entries:
        about = _about(e)
        if about is None:
            return None
        rows.append((e.anchor, e.kind, about))
    return cache_mod.digest(edition, "json-ld", reg.path, reg.label, rows)


class _Described:
    """A register entry's JSON-LD data kept from an earlier build, in the entry's place."""

    def __init__(self, data: dict):
        self.data = data

    def json_ld_data(self, base_url: str = "") -> dict:
        return self.data


def json_ld_slot(reg) -> str:
    return cache_mod.digest(KIND, "register json-ld entries", reg.path)


def json_ld(cache, edition: str, reg, base_url: str = "") -> str:
    """reg.json_ld(base_url), each entry's part kept from the previous build when the
    descriptions it is read from are unchanged (the key of json_ld_key, entry by entry): when
    one letter describing a person changed, that person's part is read again, not the page's."""
    slot = json_ld_slot(reg)
    got = cache.get_object(KIND, slot)
    old = got if isinstance(got, dict) else {}
    new, items = {}, []
    for e in reg.entries:
        about = _about(e)
        key = _quick(edition, "json-ld entry", reg.path, e.anchor, e.kind, about) if about is not None else None
        data = old.get(key) if key else None
        if data is None:
            data = e.json_ld_data(base_url)
        if key:
            new[key] = data
        items.append(_Described(data))
    if new.keys() != old.keys():
        cache.put_object(KIND, slot, new)
    return dataclasses.replace(reg, entries=items).json_ld(base_url)


class Fragments:
    """The rendered entries of one register page: those of the previous build, read from the
    cache, and those of this build, written back by save()."""

    def __init__(self, cache, page: str):
        self.cache = cache
        self.page = page
        self.slot = cache_mod.digest(KIND, "register entries", page)
        kept = cache.get_object(KIND, self.slot) if cache is not None else None
        self.old: dict[str, bytes] = kept if isinstance(kept, dict) else {}
        # (each entry's HTML kept as UTF-8 until save(): as a str, a register of 20,000 letters'
        # entries takes two bytes a character, its dates' dashes being beyond Latin-1)
        self.new: dict[str, bytes] = {}
        self.rendered = 0  # entries rendered by this build (the rest came from the cache)

    def get(self, key: str, render) -> str:
        data = self.old.get(key)
        if data is None:
            data = self.new.get(key)
        if data is None:
            html = render()
            self.rendered += 1
            self.new[key] = html.encode("utf-8")
            return html
        self.new[key] = data = data.encode("utf-8") if isinstance(data, str) else data  # (a str: an older cache's)
        return data.decode("utf-8")

    @staticmethod
    def keep(cache, page: str) -> None:
        """Keep the page's entries for the next build without reading them (the page came whole
        from the cache)."""
        cache.keep(KIND, cache_mod.digest(KIND, "register entries", page))

    def save(self) -> None:
        # (the same entries as the previous build's: its cache entry, read above, is kept as it is)
        if self.cache is not None and (self.rendered or self.new.keys() != self.old.keys()):
            self.cache.put(KIND, self.slot, pickle.dumps(self.new, protocol=pickle.HIGHEST_PROTOCOL))


def register_key(edition: str, reg, json_ld: str, entries: list[str]) -> str:
    """The key of a whole register page: its label, files and JSON-LD, and the keys of its
    entries (entry_key) in their order."""
    return cache_mod.digest(edition, "register page", reg.path, reg.label, list(reg.files),
                            cache_mod.digest(json_ld.encode("utf-8")), entries)


# -- pages made of the whole edition: each key holds what its template shows ---------------
def _docs(site) -> list:
    """The documents as the home page lists them (title, date, sources, PDFs; their citation
    files are named by their ids: teipress.model.paths.citation_files)."""
    return [(d.id, d.path, title, d.doc.date_value, d.doc.tei, d.pdf, d.volumes)
            for d, title in zip(site.documents, _titles(site))]


def _titles(site) -> list[str]:
    """Every document's title, in the site's order: read once a build for the keys that show them."""
    known = site.__dict__.get("_key_titles")
    if known is None:
        known = site.__dict__["_key_titles"] = [d.doc.title for d in site.documents]
    return known


def home_key(site) -> list:
    """index.html: the documents, facing pages, registers, how many dates (the edition's title,
    metadata, version and build date are in every key: page_cache.edition_digest)."""
    return [_docs(site), [(v.path, v.pair.translation.title, v.pair.original.title) for v in site.parallel],
            [(r.path, r.label, len(r.entries)) for r in site.registers], len(site.chronology),
            [(f.title, f.tei) for f in site.register_files]]


def _fields(site) -> list:
    """Every document's metadata fields (licence, availability, changes …), as shown: the
    digest of each document's (page_cache.fields_digest, worked out once per document, kept
    with its pages in the cache)."""
    from . import page_cache

    return [d.__dict__.get("fields_digest") or page_cache.fields_digest(page_cache.plain_fields(d.fields))
            for d in site.documents]


def about_key(site) -> list:
    """about.html: the documents' licences and changes (the credits are the edition's metadata)."""
    return _fields(site)


def principles_key(site) -> list:
    """principles.html: the documents' principles (in their fields), each with the page and
    title of the first document stating it."""
    return [[(d.path, title) for d, title in zip(site.documents, _titles(site))], _fields(site)]


def letters_key(site) -> list:
    """letters.html: every letter's facts (names, dates, places) and title, in the edition's
    order of letters.  Its lists by correspondent and by year (correspondence.correspondents,
    by_year) are made of these alone: the letters' names (with their register anchors, entry
    ids and authority URIs) and dates, in this order; so they are not worked out for the key."""
    from . import page_cache

    known = site.letter_digests  # (worked out with the page keys: html._build)
    return [{d.id: (d.path, d.title, known.get(d.id) or page_cache.letter_digest(d.correspondence))
             for d in site.model.letters}]


def chronology_key(site) -> list:
    """chronology.html: the events with where they are named, the dated records, the dates in
    the text with their context, and the titles of the documents holding them."""
    return [[(e.date_value, e.dates, e.href, e.name, e.description,
              [(o.href, o.where_full, o.where, o.editorial, n) for o, n in e.by_place()]) for e in site.events],
            [(r.value, r.date_label, r.cert, r.href, r.label, r.label_full, r.doc.title) for r in site.records],
            len(site.documents) > 1,
            [(d.value, d.precision, d.cert, d.editorial, d.before, d.text, d.after, d.href, d.where_full,
              d.where, d.doc.title) for d in site.chronology]]


# template → what it shows beyond the edition's own facts
PAGE_KEYS = {"index.html": home_key, "about.html": about_key, "letters.html": letters_key,
             "chronology.html": chronology_key, "principles.html": principles_key}
# The pages whose keys read nothing but the model's resolution (teipress.model.resolution) beside
# the edition's digest: the same resolution, the same key (html._build recalls it: key_memo).
# (The home page shows the PDFs made, about and principles each document's fields.)
RESOLVED = frozenset({"letters.html", "chronology.html"})
SHOWS_CONTEXT = frozenset({"chronology.html"})  # (the text around the dates: EditionModel.resolution)


def page_key(edition: str, template: str, path: str, site) -> str | None:
    """The key of an edition page made from *template*; None for a page not kept."""
    shows = PAGE_KEYS.get(template)
    return cache_mod.digest(edition, template, path, shows(site)) if shows else None


def records(em, cache, edition: str) -> list:
    """em.records (the chronology's dates of the records).  Each document's are read in the
    worker that made its model and kept with it in the cache (teipress.model.edition_model
    OwnFacts), so an unchanged document's come from there: nothing more to keep here."""
    return em.records

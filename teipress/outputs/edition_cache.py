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

import pickle

from ..commands import cache as cache_mod

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


class Fragments:
    """The rendered entries of one register page: those of the previous build, read from the
    cache, and those of this build, written back by save()."""

    def __init__(self, cache, page: str):
        self.cache = cache
        self.page = page
        self.slot = cache_mod.digest(KIND, "register entries", page)
        kept = cache.get_object(KIND, self.slot) if cache is not None else None
        self.old: dict[str, str] = kept if isinstance(kept, dict) else {}
        self.new: dict[str, str] = {}
        self.rendered = 0  # entries rendered by this build (the rest came from the cache)

    def get(self, key: str, render) -> str:
        html = self.old.get(key)
        if html is None:
            html = self.new.get(key)
        if html is None:
            html = render()
            self.rendered += 1
        self.new[key] = html
        return html

    def save(self) -> None:
        if self.cache is not None:
            self.cache.put(KIND, self.slot, pickle.dumps(self.new, protocol=pickle.HIGHEST_PROTOCOL))

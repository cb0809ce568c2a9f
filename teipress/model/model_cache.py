"""Finding a document's behaviour model in an incremental build's cache without making it.

The model's own cache key (behaviour.behaviour_bytes) is a digest of the document's bytes and
of its registry, every pointer of the file resolved; working the registry out needs the
document's tree, so a build that only asked that key would parse every document again, in
workers, to learn that nothing changed.  What the registry is made of is known without the
tree, though:

- what the document asks of it (behaviour.pointers: its pointer tokens and name keys) is a
  function of its bytes alone, kept in the cache under them (kind ``pointers``);
- what each of them resolves to is read off the edition's records (``resolution``): a
  register entry as the text shows it (behaviour._entry_attrs, the very facts the registry
  writes), and any other target by its file's bytes, id and document ids (more than the
  registry takes of it, never less: a change there misses, it never finds a stale model).

Those make the document's *lookup key*, under which the worker that made the model kept
its model's key and its OwnFacts' key (kind ``model-of``).  A document whose lookup key is
found is neither parsed, nor sent to a worker, nor read: its model is left in the cache's
pack (edition_model.Cached) and read when a page is rendered.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from ..edition import Edition, TeiFile, pointer_target
from . import paths
from .behaviour import Names, _entry_attrs

# Bump when what the lookup key or the records below hold changes.
VERSION = 1
POINTERS = "pointers"
MODEL_OF = "model-of"
# What makes pointer_target read a pointer the long way (teipress.edition.pointer_target)
_SPECIAL = re.compile(r"[:/%?\\ ]")


def file_digest(f: TeiFile) -> str:
    """The SHA-256 of the bytes *f* was loaded from (of its corpus file for a TEI of a corpus)."""
    return (f.container or f).digest or ""


def pointers_key(f: TeiFile, digest: str) -> str:
    from ..commands import cache as cache_mod

    return cache_mod.digest(POINTERS, VERSION, cache_mod.tool_fingerprint(), f.key, digest)


class Lookup:
    """The lookup keys of an edition's documents (see the module's docstring)."""

    def __init__(self, ed: Edition, names: Names):
        self.ed, self.names = ed, names
        self.docs_of: dict[str, list[str]] = {}  # file rel → the ids of the documents it gives
        for d in ed.documents:
            self.docs_of.setdefault(d.rel, []).append(names.doc_ids.get(d.key, ""))
        self.shown: dict = {}  # entry → its _entry_attrs, as text (a register entry is named by thousands)
        self.targets: dict = {}  # (folder, pointer) → pointer_target's answer, or the ValueError

    def _shown(self, entry) -> str:
        key = (entry.file.rel, entry.id)
        text = self.shown.get(key)
        if text is None:
            text = self.shown[key] = repr(_entry_attrs(entry, self.names))
        return text

    def _target(self, source_rel: str, tok: str):
        """pointer_target(source_rel, tok), or None where it raises (the registry skips it)."""
        if tok[:1] == "#" and tok.isprintable() and not _SPECIAL.search(tok):
            return source_rel, tok[1:]  # (its quick reading of '#id')
        # A pointer with a path names the same file from every file of a folder
        key = (source_rel if tok[:1] in "#?" else source_rel.rpartition("/")[0], tok)
        if key not in self.targets:
            try:
                self.targets[key] = pointer_target(source_rel, tok)
            except ValueError:  # outside the edition, or a URI
                self.targets[key] = None
        return self.targets[key]

    def resolution(self, f: TeiFile, asked: tuple) -> list | None:
        """What *f*'s registry is made of besides its own bytes, *asked* being its pointers
        (behaviour.pointers); None when it cannot be told without trees (a target file whose
        bytes loading did not read)."""
        ed, names = self.ed, self.names
        tokens, keys = asked
        out: list = [names.doc_ids.get(f.key) or paths.safe_name(f.id), f.rel]
        for tok in tokens:
            found = self._target(f.rel, tok)
            if found is None:
                continue
            rel, fragment = found
            target = ed.file(rel)
            if target is None:
                continue
            # Edition.entry_for: an entry's file declares its id, so the element is found
            entry = ed.entries.get((rel, fragment)) if fragment else None
            if entry is not None:
                out.append((tok, self._shown(entry)))
                continue
            if not target.digest:
                return None
            # Its label, list entry kind and description are read off the target's element:
            # the target file's bytes (and the fragment) fix them, as its kind and documents
            # fix the link.
            out.append((tok, rel, fragment, target.kind, target.digest, self.docs_of.get(rel, [])))
        for k in keys:
            entry = ed.entry_for_key(k)
            out.append((k, self._shown(entry) if entry is not None else None))
        return out

    def key(self, f: TeiFile, digest: str, asked: tuple) -> str | None:
        """*f*'s lookup key (kind MODEL_OF), or None (see resolution)."""
        from ..commands import cache as cache_mod

        found = self.resolution(f, asked)
        if found is None:
            return None
        return cache_mod.digest(MODEL_OF, VERSION, cache_mod.tool_fingerprint(), f.key, digest,
                                self.ed.config.get("title_order"), found)


# -- the snapshot: every document's records in one read ------------------------------------
#
# At thousands of letters, reading each document's ``pointers`` and ``model-of`` entries one
# by one (and working out the key of each) is ten thousand cache reads per build.  The model
# stage of an incremental build therefore leaves one record of what it found, per edition
# (kind SNAPSHOT, rewritten by every build, like teipress.validation.recall's memo): for each
# document, its bytes' digest, its ``pointers`` key and pointers, its lookup key and what
# ``model-of`` holds under it.  Nothing in it is trusted blindly: its pointers stand only for
# a file of the same bytes (and teipress), and its model and OwnFacts keys only for the same
# lookup key, worked out afresh on every build.  Those two are what the cache's own entries
# would give for the same keys (pointers are a function of the bytes; ``model-of`` of the
# lookup key), so an old snapshot of any build is never wrong; a damaged or torn one is not
# read at all (the cache's CRC, then the checks of previous_snapshot), and a document it does
# not cover is looked up entry by entry, as before.

SNAPSHOT = "model-snapshot"
SNAPSHOT_VERSION = 1


class Seen(NamedTuple):
    """One document as the last build's model stage found it (see above)."""

    digest: str  # file_digest
    pointers_key: str
    asked: tuple  # behaviour.pointers
    lookup: str  # its lookup key (kind MODEL_OF)
    model_key: str
    own_key: str


def snapshot_slot(ed: Edition) -> str:
    """The cache key of an edition's snapshot (one per cache, rewritten by every build)."""
    import os

    from ..commands import cache as cache_mod

    return cache_mod.digest(SNAPSHOT, SNAPSHOT_VERSION, os.path.abspath(ed.root))


def previous_snapshot(cache, ed: Edition) -> dict[str, Seen]:
    """The last complete build's snapshot of *ed* (document key → Seen), or {} when there is
    none of this teipress and edition.toml's title_order (or it cannot be read)."""
    from ..commands import cache as cache_mod

    got = cache.get_object(SNAPSHOT, snapshot_slot(ed))
    if not (isinstance(got, tuple) and len(got) == 4 and got[0] == SNAPSHOT_VERSION
            and got[1] == cache_mod.tool_fingerprint() and got[2] == repr(ed.config.get("title_order"))
            and isinstance(got[3], dict)):
        return {}
    return got[3]


def keep_snapshot(cache, ed: Edition, seen: dict[str, Seen]) -> None:
    """Put this build's snapshot (document key → Seen) in the cache."""
    from ..commands import cache as cache_mod

    cache.put_object(SNAPSHOT, snapshot_slot(ed), (SNAPSHOT_VERSION, cache_mod.tool_fingerprint(),
                                                    repr(ed.config.get("title_order")), seen))

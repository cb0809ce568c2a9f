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

import hashlib
import pickle
import re
from typing import NamedTuple

from ..edition import Edition, TeiFile, pointer_target
from . import identity_cache, paths
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
        self.before: Snapshot | None = None  # the last build's snapshot, and (compare) the files
        self.changed: set[str] | None = None  # changed since; None: no lookup key is reused
        self.shown_digests: dict = {}  # register entry → shown_digest
        self.head_digests: dict = {}  # the head entry of an identity → a digest of its facts
        self.keyed_entries: dict = {}  # @key → the entry it names (keyed)
        # The key of the edition's register identities (identity_cache.current_key): the same as
        # the snapshot's, every entry is shown and every @key answered as the snapshot found them.
        self.entries_key = identity_cache.current_key(ed)
        self.same_entries = False

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

    def resolution(self, f: TeiFile, asked: tuple, deps: tuple[set, set] | None = None) -> list | None:
        """What *f*'s registry is made of besides its own bytes, *asked* being its pointers
        (behaviour.pointers); None when it cannot be told without trees (a target file whose
        bytes loading did not read).  *deps*: given, gets the files its pointers lead into and
        the register entries they resolve to (what the snapshot checks: Lookup.reuse)."""
        ed, names = self.ed, self.names
        tokens, keys = asked
        out: list = [names.doc_ids.get(f.key) or paths.safe_name(f.id), f.rel]
        for tok in tokens:
            found = self._target(f.rel, tok)
            if found is None:
                continue
            rel, fragment = found
            if deps is not None:
                deps[0].add(rel)
            target = ed.file(rel)
            if target is None:
                continue
            # Edition.entry_for: an entry's file declares its id, so the element is found
            entry = ed.entries.get((rel, fragment)) if fragment else None
            if entry is not None:
                out.append((tok, self._shown(entry)))
                if deps is not None:
                    deps[1].add((rel, fragment))
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
            if deps is not None and entry is not None:
                deps[1].add((entry.file.rel, entry.id))
        return out

    def key(self, f: TeiFile, digest: str, asked: tuple, deps: tuple[set, set] | None = None) -> str | None:
        """*f*'s lookup key (kind MODEL_OF), or None (see resolution)."""
        from ..commands import cache as cache_mod

        found = self.resolution(f, asked, deps)
        if found is None:
            return None
        return cache_mod.digest(MODEL_OF, VERSION, cache_mod.tool_fingerprint(), f.key, digest,
                                self.ed.config.get("title_order"), found)

    def key_and_deps(self, f: TeiFile, digest: str, asked: tuple) -> tuple[str | None, tuple, tuple]:
        """*f*'s lookup key, the files its pointers lead into and the entries they resolve to
        (sorted: Seen.targets, Seen.entries)."""
        deps: tuple[set, set] = (set(), set())
        key = self.key(f, digest, asked, deps)
        return key, tuple(sorted(deps[0])), tuple(sorted(deps[1]))

    # -- what the last build's snapshot says, checked against this build ------------------
    def compare(self, before: "Snapshot | None") -> None:
        """Make ready to tell which documents' lookup keys are the snapshot's (reuse): the
        files whose bytes or kind changed since, when the edition has the same files and
        document ids as then (else nothing is reused)."""
        self.before, self.changed, self.same_entries = before, None, False
        if before is None:
            return
        now = self.files()
        if now.keys() != before.files.keys() or self.names.doc_ids != before.doc_ids:
            return
        self.changed = {rel for rel, was in before.files.items() if now[rel] != was}
        self.same_entries = self.entries_key is not None and before.entries_key == self.entries_key

    def files(self) -> dict[str, tuple[str, str]]:
        """Every file of the edition → (the digest of its bytes, its kind)."""
        return {f.rel: (f.digest or "", f.kind) for f in self.ed.files}

    def shown_digest(self, key: tuple[str, str]) -> tuple | None:
        """How the texts show register entry *key* (what _shown writes out), or None: its
        kind, its anchor and a short digest of its identity's facts (worked out once per
        identity: thousands of entries of letters' backs share a register person's)."""
        got = self.shown_digests.get(key)
        if got is None:
            entry = self.ed.entries.get(key)
            if entry is None:
                return None
            names = self.names
            members = (names.identities or {}).get(key) or [entry]
            head = (members[0].file.rel, members[0].id)
            facts = self.head_digests.get(head)
            if facts is None:
                _entry_attrs(entry, names)  # (fills names.shown for its identity)
                facts = self.head_digests[head] = hashlib.blake2b(repr(names.shown[head]).encode("utf-8"),
                                                                  digest_size=16).digest()
            got = self.shown_digests[key] = (entry.kind, names.anchors[key], facts)
        return got

    def keyed(self, key: str) -> tuple[str, str] | None:
        """The register entry (file, xml:id) a name's @key *key* names (Edition.entry_for_key)."""
        if key not in self.keyed_entries:
            entry = self.ed.entry_for_key(key)
            self.keyed_entries[key] = (entry.file.rel, entry.id) if entry is not None else None
        return self.keyed_entries[key]

    def reuse(self, f: TeiFile, digest: str, last: "Seen") -> str | None:
        """*f*'s lookup key as the snapshot has it, when every input of it is as it was then,
        without working it out: the same bytes (so the same pointers), no @key asked (keyed
        names may be answered by any file), no file its pointers lead into changed (its
        entries, kind, bytes and documents are as they were: compare), every @key it asks
        naming the entry it named then (any file may hold the entry a key names), and every
        register entry they resolve to shown as it was (its identity may have gained a fuller
        description elsewhere).  The file set and every document id are the same (compare),
        and the snapshot is of this teipress and title_order (previous_snapshot); else None."""
        changed = self.changed
        if changed is None or last.digest != digest or f.rel in changed:
            return None
        if any(rel in changed for rel in last.targets):
            return None
        keyed = self.before.keyed
        if self.same_entries:  # (every entry and @key as the snapshot found them: see compare)
            if all(k in keyed for k in last.asked[1]) and all(key in self.before.shown for key in last.entries):
                return last.lookup
            return None
        for k in last.asked[1]:
            if k not in keyed or keyed[k] != self.keyed(k):
                return None
        was = self.before.shown
        for key in last.entries:
            d = self.shown_digest(key)
            if d is None or was.get(key) != d:
                return None
        return last.lookup


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
#
# The documents' records (most of its bytes) are kept in SHARDS entries of their own, each
# under a digest of its bytes, which the snapshot names: a build writes again only the shards
# whose records changed (a changed letter's), and keeps the others as they are.

SNAPSHOT = "model-snapshot"
SNAPSHOT_SHARD = "model-snapshot-docs"
SNAPSHOT_VERSION = 6
SHARDS = 64


class Seen(NamedTuple):
    """One document as the last build's model stage found it (see above)."""

    digest: str  # file_digest
    pointers_key: str
    asked: tuple  # behaviour.pointers
    lookup: str  # its lookup key (kind MODEL_OF)
    model_key: str
    own_key: str
    targets: tuple  # the files its pointers lead into (Lookup.key_and_deps)
    entries: tuple  # the register entries (file, xml:id) they and its @keys resolve to


class Snapshot(NamedTuple):
    """The last build's model stage: each document as it found it, and what the lookup keys
    it holds were worked out from (Lookup.reuse)."""

    docs: dict  # document key → Seen
    files: dict  # every file → (its digest, its kind) (Lookup.files)
    doc_ids: dict  # document key → its id (Names.doc_ids)
    shown: dict  # register entry (file, xml:id) a document resolves to → Lookup.shown_digest
    keyed: dict  # each @key a document asks → the entry it names (Lookup.keyed)
    entries_key: str | None  # the key of the identities then (Lookup.entries_key)
    shards: tuple = ()  # (cache key, its documents' records) of each shard of docs, as read


def _shard_of(key: str) -> int:
    import zlib

    return zlib.crc32(key.encode("utf-8", "surrogateescape")) % SHARDS


def snapshot_slot(ed: Edition) -> str:
    """The cache key of an edition's snapshot (one per cache, rewritten by every build)."""
    import os

    from ..commands import cache as cache_mod

    return cache_mod.digest(SNAPSHOT, SNAPSHOT_VERSION, os.path.abspath(ed.root))


def previous_snapshot(cache, ed: Edition) -> Snapshot | None:
    """The last complete build's snapshot of *ed*, or None when there is none of this
    teipress and edition.toml's title_order (or it, or one of its shards, cannot be read)."""
    from ..commands import cache as cache_mod

    got = cache.get_object(SNAPSHOT, snapshot_slot(ed))
    if not (isinstance(got, tuple) and len(got) == 4 and got[0] == SNAPSHOT_VERSION
            and got[1] == cache_mod.tool_fingerprint() and got[2] == repr(ed.config.get("title_order"))
            and isinstance(got[3], tuple) and len(got[3]) == len(Snapshot._fields)
            and isinstance(got[3][0], tuple) and len(got[3][0]) == SHARDS
            and all(isinstance(part, dict) for part in got[3][1:-2]) and isinstance(got[3][-2], (str, type(None)))):
        return None
    docs: dict = {}
    shards = []
    for key in got[3][0]:
        rows = cache.get_object(SNAPSHOT_SHARD, key)
        if not isinstance(rows, dict):
            return None
        try:  # (kept as plain tuples: pickling thousands of named tuples costs)
            part = {doc: Seen._make(row) for doc, row in rows.items()}
        except TypeError:
            return None
        docs.update(part)
        shards.append((key, part))
    return Snapshot(docs, *got[3][1:-1], tuple(shards))


def keep_snapshot(cache, ed: Edition, lookup: Lookup, seen: dict[str, Seen]) -> None:
    """Put this build's snapshot (document key → Seen) in the cache: a shard of its documents'
    records the same as the last build's is kept, not written again."""
    from ..commands import cache as cache_mod

    shown, keyed = {}, {}
    # With the identities of the last build, its answers stand (Lookup.compare): only an entry
    # or @key no document asked for then is worked out.
    before = lookup.before if lookup.same_entries else None
    for s in seen.values():
        for key in s.entries:
            if key not in shown:
                d = before.shown[key] if before is not None and key in before.shown else lookup.shown_digest(key)
                if d is not None:
                    shown[key] = d
        for k in s.asked[1]:
            if k not in keyed:
                keyed[k] = before.keyed[k] if before is not None and k in before.keyed else lookup.keyed(k)
    parts: list[dict] = [{} for _ in range(SHARDS)]
    for doc, s in seen.items():
        parts[_shard_of(doc)][doc] = s
    last = lookup.before.shards if lookup.before is not None else ()
    keys = []
    for i, part in enumerate(parts):
        if len(last) == SHARDS and last[i][1] == part:
            key = last[i][0]
            cache.keep(SNAPSHOT_SHARD, key)
        else:
            data = pickle.dumps({doc: tuple(s) for doc, s in part.items()}, protocol=pickle.HIGHEST_PROTOCOL)
            key = cache_mod.digest(SNAPSHOT_SHARD, SNAPSHOT_VERSION, hashlib.sha256(data).digest())
            cache.put(SNAPSHOT_SHARD, key, data)
        keys.append(key)
    snapshot = (tuple(keys), lookup.files(), dict(lookup.names.doc_ids), shown, keyed, lookup.entries_key, ())
    cache.put_object(SNAPSHOT, snapshot_slot(ed), (SNAPSHOT_VERSION, cache_mod.tool_fingerprint(),
                                                    repr(ed.config.get("title_order")), snapshot))

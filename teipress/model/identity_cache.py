"""The edition's register identities (teipress.model.registers.identities) kept by an
incremental build, so that a build in which a letter's text changed does not merge every
register entry of the edition again.

Which entries describe one person, place or organisation depends only on the entries
themselves: each file's register entries (its FileFacts.entries, read from its bytes) and
whether the file is a register.  So the groups are kept in the cache under a digest of, for
every file with entries, its name, its kind and its entries as the validation memo keeps
them (teipress.validation.recall.entries_blob).  A changed file whose entries are the same
(an edited sentence) leaves the digest as it was; a name added, an entry's surname edited,
a file added or removed gives another digest, and the identities are merged afresh.  A
damaged or foreign entry is a miss.
"""
from __future__ import annotations

import hashlib
from typing import Callable

VERSION = 1
KIND = "identities"


def key(ed) -> str:
    """The digest of what the identities of *ed* depend on (see the module's text)."""
    from ..commands import cache as cache_mod
    from ..validation import recall

    h = hashlib.sha256()
    for part in (KIND, str(VERSION), cache_mod.tool_fingerprint()):
        _update(h, part.encode("utf-8"))
    for f in sorted(ed.files, key=lambda f: f.rel):
        blob = recall.entries_blob(f)
        if blob == recall.EMPTY:
            continue  # a file without entries takes no part in any identity
        _update(h, f.rel.encode("utf-8"))
        _update(h, f.kind.encode("utf-8"))
        _update(h, blob)
    return h.hexdigest()


def _update(h, b: bytes) -> None:
    h.update(len(b).to_bytes(8, "little"))
    h.update(b)


def identities(ed, compute: Callable) -> dict:
    """compute(ed) (register entry → the entries of its identity), or what it gave a build of
    the same entries, when *ed* is loaded by an incremental build (Edition.recall)."""
    loading = getattr(ed, "recall", None)
    cache = getattr(loading, "cache", None)
    if cache is None:
        return compute(ed)
    k = loading.identities_key = key(ed)
    groups = cache.get_object(KIND, k)
    got = _rebuilt(ed, groups)
    if got is not None:
        return got
    out = compute(ed)
    cache.put_object(KIND, k, _groups(out))
    return out


def current_key(ed) -> str | None:
    """The key the identities of *ed* were found or kept under by this build (identities), or
    None.  Everything the texts show of a register entry (its identity, anchor, names,
    description, dates) and which entry a @key names are made from what this key is a digest of:
    two builds with the same key show every entry alike (teipress.model.model_cache.Lookup)."""
    return getattr(getattr(ed, "recall", None), "identities_key", None)


def _groups(out: dict) -> tuple:
    """The identities as the cache keeps them: each group's members' (file, xml:id), in the
    order compute() made them."""
    seen: set[int] = set()
    groups = []
    for members in out.values():
        if id(members) not in seen:
            seen.add(id(members))
            groups.append(tuple((e.file.rel, e.id) for e in members))
    return tuple(groups)


def _rebuilt(ed, groups) -> dict | None:
    """The identities from kept *groups*, or None unless they name every entry of *ed* once."""
    if not isinstance(groups, tuple):
        return None
    entries = ed.entries
    out: dict = {}
    count = 0
    for members in groups:
        if not isinstance(members, tuple) or not members:
            return None
        try:
            group = [entries[k] for k in members]
        except (KeyError, TypeError):
            return None
        for e in group:
            out[(e.file.rel, e.id)] = group
        count += len(group)
    if count != len(entries) or len(out) != len(entries):
        return None
    return out

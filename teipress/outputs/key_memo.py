"""Output keys recalled by the digest of their inputs (an incremental build's).

An output's cache key is a digest of what it shows (page_cache, edition_cache, cmif): worked
out from the model's records, every build, for every page; at thousands of letters that is
most of what a build in which one letter changed does.  What a page shows is itself made of a
few inputs: the edition-wide steps of the model (their digest: EditionModel.resolution), the
edition's own digest (page_cache.edition_digest) and what the page adds (its models' digests,
its PDFs).  So each key worked out is kept under the digest of those inputs; a later build with
the same inputs takes the key from here instead of reading the records again.  A key names
what it shows, so taking it where the inputs are the same is taking the same key; where they
differ, it is worked out as before.  Only the keys asked for by a build are kept for the next.
"""
from __future__ import annotations

import hashlib

from ..commands import cache as cache_mod

KIND = "key-memo"


def inputs(*parts) -> str:
    """The digest of *parts* (plain values: strings, numbers, tuples and lists of them)."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


class Memo:
    """The keys of one kind of output (*name*) by their inputs' digest, from the last build."""

    def __init__(self, cache, name: str):
        self.cache = cache
        self.slot = cache_mod.digest(KIND, name)
        kept = cache.get_object(KIND, self.slot) if cache is not None else None
        self.old: dict = kept if isinstance(kept, dict) else {}
        self.new: dict = {}

    def get(self, digest: str | None):
        """The key kept under *digest* (inputs()), or None; None for no digest."""
        if digest is None:
            return None
        got = self.old.get(digest)
        if got is not None:
            self.new[digest] = got
        return got

    def put(self, digest: str | None, key) -> None:
        if digest is not None:
            self.new[digest] = key

    def save(self) -> None:
        if self.cache is None:
            return
        if self.new == self.old:
            self.cache.keep(KIND, self.slot)
        else:
            self.cache.put_object(KIND, self.slot, self.new)

"""A document's OwnFacts (teipress.model.edition_model) as an incremental build's cache keeps
them: the facts of its header that are records of records (its editors, publisher, licence,
sources …: a tuple each) pickled apart inside its entry, so that a build reading every
document's OwnFacts unpickles each such value once, the first time its bytes are met, and the
documents repeating it (the letters of an edition share one publicationStmt, licence and
editors) are given that same object (what header.shared would make of them).  At 5,000
letters the same few licences and editors were unpickled 5,000 times each at every build.

Each entry also keeps the digest of what it holds (OwnFacts.digest): two models whose bytes
differ (a word of the text changed) may say the same of themselves, and the edition-wide steps
that read only OwnFacts then have nothing new to do (teipress.model.resolution); and the digest
of all but the text around its names and dates (a word changed beside a name), which other
documents' pages never show (OwnFacts.digest_no_context)."""
from __future__ import annotations

import copy
import dataclasses
import hashlib
import pickle

from . import mentions

KIND = "own"
FORMAT = "own/parts-4"  # (the entry's shape: another one is a miss)


def put(cache, key: str, own) -> None:
    """Keep *own* (OwnFacts) under *key*, and give it its digest (own.digest)."""
    info = own.info
    parts = {name: pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
             for name, value in info.__dict__.items() if value.__class__ is tuple and value}
    # (its mentions and letter pickled apart: the model stage holds them pickled until it
    # resolves them, so that they are handed over as kept, not unpickled and pickled again)
    kept = dataclasses.replace(own, digest="", digest_no_context="", mentions=_dumps(own.mentions),
                               letter=_dumps(own.letter))
    if parts:
        bare = copy.copy(info)
        bare.__dict__.update(dict.fromkeys(parts, ()))
        kept.info = bare
    # (the same facts pickle to the same bytes: a digest of them names the facts; facts that
    # pickled otherwise would only be taken as changed, never the reverse)
    own.digest = digest(kept, parts)
    # (and of all but the text around its names and dates, which other documents' pages never show)
    own.digest_no_context = digest(dataclasses.replace(kept, mentions=_dumps(mentions.without_context(own.mentions))),
                                   parts)
    cache.put_object(KIND, key, (FORMAT, kept, parts, own.digest, own.digest_no_context))


def _dumps(value) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def digest(own, parts: dict) -> str:
    """The digest of OwnFacts *own* (its digest field empty) with its header's *parts*."""
    data = pickle.dumps((own, sorted(parts.items())), protocol=pickle.HIGHEST_PROTOCOL)
    return hashlib.sha256(data).hexdigest()


def get(cache, key: str, seen: dict | None = None, of=None, held: bool = False):
    """The OwnFacts kept under *key*, or None (none, or not of this shape; *of*: their class,
    checked); *seen*: pickled value → the value, kept by the caller over the build; *held*:
    their mentions and letter left pickled (bytes), for the caller to read when it needs them."""
    got = cache.get_object(KIND, key)
    if not (isinstance(got, tuple) and len(got) == 5 and got[0] == FORMAT and isinstance(got[2], dict)
            and isinstance(got[3], str) and isinstance(got[4], str)):
        return None
    own, parts = got[1], got[2]
    if of is not None and not isinstance(own, of):
        return None
    if not (isinstance(own.mentions, bytes) and isinstance(own.letter, bytes)):
        return None
    if not held:
        try:
            own.mentions, own.letter = pickle.loads(own.mentions), pickle.loads(own.letter)
        except Exception:  # (damaged: a miss)
            return None
    if parts:
        seen = {} if seen is None else seen
        values = {}
        for name, blob in parts.items():
            value = seen.get(blob)
            if value is None:
                try:
                    value = seen[blob] = pickle.loads(blob)
                except Exception:  # (a damaged part: the whole entry is a miss)
                    return None
            values[name] = value
        own.info.__dict__.update(values)  # (its own copy, just unpickled: nothing else holds it)
    own.digest, own.digest_no_context = got[3], got[4]
    return own

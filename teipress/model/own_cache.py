"""A document's OwnFacts (teipress.model.edition_model) as an incremental build's cache keeps
them: the facts of its header that are records of records (its editors, publisher, licence,
sources …: a tuple each) pickled apart inside its entry, so that a build reading every
document's OwnFacts unpickles each such value once, the first time its bytes are met, and the
documents repeating it (the letters of an edition share one publicationStmt, licence and
editors) are given that same object (what header.shared would make of them).  At 5,000
letters the same few licences and editors were unpickled 5,000 times each at every build."""
from __future__ import annotations

import copy
import dataclasses
import pickle

KIND = "own"
FORMAT = "own/parts-1"  # (the entry's shape: another one is a miss)


def put(cache, key: str, own) -> None:
    """Keep *own* (OwnFacts) under *key*."""
    info = own.info
    parts = {name: pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
             for name, value in info.__dict__.items() if value.__class__ is tuple and value}
    if parts:
        bare = copy.copy(info)
        bare.__dict__.update(dict.fromkeys(parts, ()))
        own = dataclasses.replace(own, info=bare)
    cache.put_object(KIND, key, (FORMAT, own, parts))


def get(cache, key: str, seen: dict | None = None, of=None):
    """The OwnFacts kept under *key*, or None (none, or not of this shape; *of*: their class,
    checked); *seen*: pickled value → the value, kept by the caller over the build."""
    got = cache.get_object(KIND, key)
    if not (isinstance(got, tuple) and len(got) == 3 and got[0] == FORMAT and isinstance(got[2], dict)):
        return None
    own, parts = got[1], got[2]
    if of is not None and not isinstance(own, of):
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
    return own

"""Equal values held once: an edition of thousands of letters repeats the same strings (ids,
labels, severities) and the same header facts and metadata fields in every document, and a
build holds every document's records until it ends.  Only for values nothing changes once
made: what is shared is read, never written."""
from __future__ import annotations

import sys


def interned(value):
    """*value* held once in this process when it is a string; anything else as it is."""
    return sys.intern(value) if type(value) is str else value


def once(value, seen: dict, key=None):
    """The value met first (*seen*, kept by the caller over the edition) equal to *value* (by
    *key*, else by itself), or *value* when none was, or when it does not hash."""
    try:
        return seen.setdefault(value if key is None else key, value)
    except TypeError:  # (a value that does not hash: left as it is)
        return value

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


class ByRecord:
    """fn(record) worked out once a build for each record (a letter, a register entry: records
    of the build's model, read by several keys and pages), kept by the record itself (its id()
    and identity: records neither hash by value nor compare cheaply).  Every such memory is
    emptied at the start of a build's pages (forget_records), as the records are the build's."""

    _all: list["ByRecord"] = []

    def __init__(self, fn):
        self.fn = fn
        self.known: dict[int, tuple] = {}
        self.__doc__ = fn.__doc__
        ByRecord._all.append(self)

    def __call__(self, record):
        known = self.known.get(id(record))
        if known is not None and known[0] is record:
            return known[1]
        value = self.fn(record)
        self.known[id(record)] = (record, value)
        return value


def forget_records() -> None:
    """Empty every ByRecord memory: a new build's records are not the last one's."""
    for memory in ByRecord._all:
        memory.known.clear()

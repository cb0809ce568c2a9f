"""Frozen dataclasses with slots unpickled fast: dataclasses' own __setstate__ asks fields()
again for every record, and a build reads tens of thousands of them from its cache (every
register entry's About, identifiers and sources: teipress.model.registers)."""
from __future__ import annotations

import dataclasses


def quick_setstate(cls):
    """Give *cls* a __setstate__ that sets its fields by their names, worked out once.  The
    pickled form (the values in field order, dataclasses' __getstate__) is unchanged."""
    names = tuple(f.name for f in dataclasses.fields(cls))
    setter = object.__setattr__

    def __setstate__(self, state) -> None:
        for name, value in zip(names, state):
            setter(self, name, value)

    cls.__setstate__ = __setstate__
    return cls

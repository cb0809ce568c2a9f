"""Compiler-style diagnostics: ``path:line:col: severity: message [rule]``."""
from __future__ import annotations

import json
import os
import pickle
import zlib
from pathlib import Path
from typing import NamedTuple

from ..held_once import interned

ERROR = "error"
WARNING = "warning"
NOTE = "note"  # information, e.g. which schema was used: never fails a run


class Diagnostic(NamedTuple):
    """One problem found.  A named tuple (immutable, ordered by its fields in order, as a frozen
    dataclass with order=True was): an incremental build makes the last build's tens of
    thousands of warnings again from their rows every time, and a tuple is made from its row
    in C (Diagnostic._make) where a frozen dataclass set each field through object.__setattr__,
    ten times the cost."""

    path: str
    line: int
    col: int
    severity: str
    message: str
    rule: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message} [{self.rule}]"

    @property
    def row(self) -> tuple:
        """Its fields in order, as a plain tuple: how caches and packed reports keep it
        (Diagnostic._make(row) again)."""
        return tuple(self)


def renamed_items(items, named_from: str, report: "Report") -> list[Diagnostic]:
    """Diagnostics named from the folder *named_from*, named as *report* names files (renamed)."""
    return list(map(Diagnostic._make, renamed(list(map(tuple, items)), named_from, report)))


def renamed(rows, named_from: str, report: "Report") -> list[tuple]:
    """Diagnostics' rows (Report.rows) whose files are named from the folder *named_from* (a
    report's base: the folder a build ran in), named as *report* names files.  An incremental
    build keeps diagnostics as it printed them; run from another folder, it takes them over
    renamed rather than checking every file again."""
    names: dict[str, str] = {}
    out = []
    for row in rows:
        path = row[0]
        new = names.get(path)
        if new is None:
            new = names[path] = report._name(path if os.path.isabs(path) else os.path.join(named_from, path))
        out.append((new, *row[1:]))
    return out


def unpack_rows(packed: list[bytes]) -> list[tuple]:
    """The rows Report.packed holds: compressed parts of PACKED_AT_ONCE rows each (raises on
    what is not such: zlib checks its own)."""
    if not isinstance(packed, list):
        raise ValueError("not packed diagnostics")
    out: list[tuple] = []
    for part in packed:
        out += pickle.loads(zlib.decompress(part))
    return out


# Diagnostics packed together (Report.pack).
PACKED_AT_ONCE = 4096


class Report:
    """Collects every problem so an editor sees them all at once."""

    def __init__(self, base: Path | None = None):
        self.base = base
        self.items: list[Diagnostic] = []
        self._names: dict = {}  # path -> its name: resolving a path is slow, a file has many diagnostics

    @property
    def items(self) -> list[Diagnostic]:
        if self._packed is not None:  # (read again: made objects again, see pack)
            self._items = list(map(Diagnostic._make, self.rows()))
            self._packed = None
        return self._items

    @items.setter
    def items(self, value: list[Diagnostic]) -> None:
        self._items, self._packed = value, None

    _packed: list[bytes] | None = None

    def pack(self) -> None:
        """Hold the diagnostics as compressed bytes until they are read again (items, rows).

        A build shows its diagnostics before its first stage, and reads them again only when it
        is done (an incremental build's cache keeps them): an edition of 20,000 letters has a
        quarter of a million warnings, about 60 MB as objects, a couple as bytes (their messages
        repeat).  Packed PACKED_AT_ONCE at a time: the rows of all of them and their pickle,
        made at once, were 60 MB more at the end of validation, the build's peak then."""
        if self._packed is None and self._items:
            self._packed = self.packed()
            self._items = []

    def packed(self) -> list[bytes]:
        """The diagnostics as pack() holds them (zlib-compressed pickles of their rows, in parts), whether
        or not they are packed: what an incremental build keeps for a no-op build to print
        (unpack_rows), written as they are rather than unpacked and pickled again."""
        if self._packed is not None:
            return self._packed
        items = self._items
        return [zlib.compress(pickle.dumps([d.row for d in items[start:start + PACKED_AT_ONCE]],
                                           protocol=pickle.HIGHEST_PROTOCOL), 1)
                for start in range(0, len(items), PACKED_AT_ONCE)]

    def rows(self) -> list[tuple]:
        """Each diagnostic as the tuple of its fields, in order (without making the objects of
        packed ones)."""
        if self._packed is not None:
            return unpack_rows(self._packed)
        return [d.row for d in self._items]

    def _name(self, path: Path | str) -> str:
        key = (path, self.base)
        if key not in self._names:
            self._names[key] = self._resolve_name(path)
        return self._names[key]

    def _resolve_name(self, path: Path | str) -> str:
        p = Path(path)
        if self.base is not None:
            try:
                return str(p.resolve().relative_to(self.base.resolve()))
            except ValueError:
                pass
        return str(p)

    def add(self, path, line, col, severity, message, rule) -> None:
        # (severity and rule interned: an edition of thousands of letters has tens of thousands of
        # diagnostics for the build to hold, many of them unpickled from facts, each with its copies)
        self.items.append(
            Diagnostic(self._name(path), int(line or 1), int(col or 1), interned(severity), message, interned(rule))
        )

    def error(self, path, line, col, message, rule) -> None:
        self.add(path, line, col, ERROR, message, rule)

    def warning(self, path, line, col, message, rule) -> None:
        self.add(path, line, col, WARNING, message, rule)

    def extend(self, other: "Report") -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == WARNING]

    def sorted(self) -> list[Diagnostic]:
        # Stable, file-then-position order, like a compiler; each diagnostic once.  (Keyed by
        # the tuple it is sorted by, which holds every field: an edition of thousands of letters
        # has tens of thousands of warnings, and a dataclass's hash builds that tuple anyway.)
        # One file's at a time: the keys of a quarter of a million warnings (20,000 letters),
        # made at once while they were printed, were 30 MB more at the end of validation.
        by_path: dict = {}
        for d in self.items:
            by_path.setdefault(d.path, []).append(d)
        out = []
        for path in sorted(by_path):
            keyed = {(d.line, d.col, d.severity, d.rule, d.message): d for d in by_path[path]}
            out += [keyed[k] for k in sorted(keyed)]
        return out

    def summary(self, files: int) -> str:
        e, w = len(self.errors), len(self.warnings)
        plural = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"
        n = len([d for d in self.items if d.severity == NOTE])
        notes = f", {plural(n, 'note')}" if n else ""
        return f"{plural(files, 'file')} checked: {plural(e, 'error')}, {plural(w, 'warning')}{notes}"

    def to_json(self, files: int) -> str:
        return json.dumps(
            {
                "files": files,
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "diagnostics": [d._asdict() for d in self.sorted()],
            },
            indent=2,
            ensure_ascii=False,
        )

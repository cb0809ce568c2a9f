"""Compiler-style diagnostics: ``path:line:col: severity: message [rule]``."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ..held_once import interned

ERROR = "error"
WARNING = "warning"
NOTE = "note"  # information, e.g. which schema was used: never fails a run


@dataclass(frozen=True, order=True, slots=True)  # (slots: tens of thousands in a build, no __dict__ each)
class Diagnostic:
    path: str
    line: int
    col: int
    severity: str
    message: str
    rule: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message} [{self.rule}]"


class Report:
    """Collects every problem so an editor sees them all at once."""

    def __init__(self, base: Path | None = None):
        self.base = base
        self.items: list[Diagnostic] = []
        self._names: dict = {}  # path -> its name: resolving a path is slow, a file has many diagnostics

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
        keyed = {(d.path, d.line, d.col, d.severity, d.rule, d.message): d for d in self.items}
        return [keyed[k] for k in sorted(keyed)]

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
                "diagnostics": [asdict(d) for d in self.sorted()],
            },
            indent=2,
            ensure_ascii=False,
        )

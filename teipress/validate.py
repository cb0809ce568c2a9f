"""`teipress validate`: well-formedness, schema and integrity rules, all at once."""
from __future__ import annotations

from pathlib import Path

from . import edition as edition_mod
from . import rules, schema
from .config import ConfigError
from .diagnostics import Report
from .edition import Edition


def validate_edition(ed: Edition, report: Report) -> int:
    """Check a loaded edition; returns the number of files checked."""
    for err in ed.errors:
        report.error(err.path, err.line, err.col, err.message, err.rule)
    configured = ed.config.get("schema")
    fixed = (ed.root / configured) if configured else None
    if fixed is not None and not fixed.exists():
        report.error(ed.config.path, 1, 1, f"schema '{configured}' does not exist", "config")
        fixed = None
    warned = False
    for f in ed.files:
        xsd = fixed or schema.declared_schema(f.tree, f.path, ed.root)
        if xsd is None:
            if not warned:
                report.warning(
                    f.path, 1, 1,
                    "no XSD schema declared (edition.toml 'schema' or an <?xml-model?> pointing to an "
                    ".xsd in the edition): checking well-formedness and integrity rules only",
                    "schema-missing",
                )
                warned = True
            continue
        try:
            compiled = schema.load(xsd)
        except Exception as exc:  # a broken schema is the edition's error, not a crash
            report.error(xsd, 1, 1, f"cannot compile schema: {exc}".splitlines()[0], "schema-compile")
            fixed = None
            continue
        schema.validate(report, compiled, f.path, f.tree)
    rules.check(ed, report)
    _drop_shadowed(report)
    return len(ed.files) + len(ed.errors)


def _drop_shadowed(report: Report) -> None:
    """One problem, one message: a specific rule's error (e.g. [date-iso]) replaces
    the generic schema error reported at the same spot."""
    specific = {(d.path, d.line, d.col) for d in report.errors if d.rule not in ("schema",)}
    report.items = [d for d in report.items
                    if not (d.rule == "schema" and (d.path, d.line, d.col) in specific)]


def validate_paths(paths: list[Path]) -> tuple[Report, int]:
    """Validate edition folders or single files (a file is checked with its edition)."""
    report = Report(base=Path.cwd())
    count = 0
    for p in paths:
        p = Path(p)
        if p.is_dir():
            root = p if (p / "tei").is_dir() else (p.parent if p.name == "tei" else p)
            if not (root / "tei").is_dir():
                report.error(p, 1, 1, f"'{p}' is not an edition folder (no tei/ inside)", "usage")
                continue
            only = None
        else:
            root = _edition_of(p)
            only = p.resolve()
        try:
            ed = edition_mod.load(root) if root is not None else _single(p)
        except ConfigError as exc:
            report.error(exc.path, exc.line, 1, exc.message, "config")
            continue
        sub = Report(base=Path.cwd())
        n = validate_edition(ed, sub)
        if only is not None:
            sub.items = [d for d in sub.items if Path(d.path).resolve() == only]
            n = 1
        report.extend(sub)
        count += n
    return report, count


def _edition_of(path: Path) -> Path | None:
    for parent in path.resolve().parents:
        if parent.name == "tei" and parent.parent.is_dir():
            return parent.parent
    return None


def _single(path: Path) -> Edition:
    """A lone TEI file outside any edition folder: an edition of one."""
    from .config import Config
    from .xmlparse import XmlError, parse

    ed = Edition(root=path.parent, config=Config())
    try:
        tree = parse(path)
        ed.files.append(edition_mod.TeiFile(path, path.name, tree, edition_mod.classify(tree.getroot())))
    except XmlError as exc:
        ed.errors.append(exc)
    ed.index()
    return ed

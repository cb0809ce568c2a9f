"""`teipress validate`: well-formedness, schema and integrity rules, all at once."""
from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .. import edition as edition_mod
from ..config import ConfigError
from ..edition import Edition
from ..validation import rules, schema
from ..validation.diagnostics import Report


# Schema validation (pure Python) dominates for large editions; from this many
# files on it is spread over the cores.
PARALLEL_FROM = 8


def validate_edition(ed: Edition, report: Report, jobs: int | None = None) -> int:
    """Check a loaded edition; returns the number of files checked.

    jobs: worker processes for schema validation (default: the cores, or
    TEIPRESS_JOBS); 1 keeps everything in this process.  A process that runs
    threads (`teipress serve` rebuilding) never forks: it validates in-process.
    """
    for err in ed.errors:
        report.error(err.path, err.line, err.col, err.message, err.rule)
    configured = ed.config.get("schema")
    fixed = (ed.root / configured) if configured else None
    if fixed is not None and not fixed.exists():
        report.error(ed.config.path, 1, 1, f"schema '{configured}' does not exist", "config")
        fixed = None
    warned = False
    todo: list[tuple[Path, Path]] = []
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
            schema.load(xsd)  # compiled once here, before any worker is forked
        except Exception as exc:  # a broken schema is the edition's error, not a crash
            report.error(xsd, 1, 1, f"cannot compile schema: {exc}".splitlines()[0], "schema-compile")
            fixed = None
            continue
        todo.append((f, xsd))
    _validate_schemas(report, todo, _jobs(jobs))
    rules.check(ed, report)
    _drop_shadowed(report)
    return len(ed.files) + len(ed.errors)


def _jobs(jobs: int | None) -> int:
    if jobs is None:
        jobs = int(os.environ.get("TEIPRESS_JOBS") or 0) or os.cpu_count() or 1
    return max(1, jobs)


def _validate_schemas(report: Report, todo, jobs: int) -> None:
    # Forking while other threads run can copy a lock some thread holds and hang the worker.
    if (jobs == 1 or len(todo) < PARALLEL_FROM or threading.active_count() > 1
            or "fork" not in multiprocessing.get_all_start_methods()):
        for f, xsd in todo:
            schema.validate(report, schema.load(xsd), f.path, f.tree)
        return
    # Workers are forked after the schemas are compiled, so they inherit them;
    # each re-parses its file (lxml trees do not travel between processes).
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=ctx) as pool:
        for items in pool.map(_validate_file, [(f.path, xsd, report.base) for f, xsd in todo],
                              chunksize=max(1, len(todo) // (jobs * 4))):
            report.items.extend(items)


def _validate_file(job) -> list:
    path, xsd, base = job
    from ..xmlparse import parse

    sub = Report(base=base)
    schema.validate(sub, schema.load(xsd), path, parse(path))
    return sub.items


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
    from ..config import Config
    from ..xmlparse import XmlError, parse

    ed = Edition(root=path.parent, config=Config())
    try:
        tree = parse(path)
        ed.files.append(edition_mod.TeiFile(path, path.name, tree, edition_mod.classify(tree.getroot())))
    except XmlError as exc:
        ed.errors.append(exc)
    ed.index()
    return ed

"""`teipress build`: load, validate, then run every output stage into one folder, atomically.

`build()` is the one way an edition gets built: `teipress build`, `serve` and `deposit`
all call it, so they load, validate and refuse alike.  Stages write into a fresh
temporary folder beside the target; only when all of them succeed does it replace the
previous build, so a failed build never leaves half-written output behind.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from .. import edition as edition_mod
from ..edition import Edition
from ..model import EditionModel, ModelError
from ..validation.diagnostics import Report
from .validate import validate_edition


class UsageError(Exception):
    """The command was pointed at something it cannot work on (the command line exits 2)."""


class NotValid(Exception):
    """The edition has errors, so nothing may be made from it; the report holds every one."""

    def __init__(self, report: Report, files: int):
        super().__init__(report.summary(files))
        self.report, self.files = report, files


class BuildError(Exception):
    """A stage could not produce its output; the message is for the editor."""


@dataclass
class BuildContext:
    edition: Edition
    out: Path  # the temporary folder the stages write into
    model: EditionModel  # built once per build, before any output stage
    log: Callable[[str], None] = lambda msg: None
    previous: Path | None = None  # the build folder this build replaces (a partial build reads its PDFs)

    @property
    def build_time(self) -> datetime:
        """SOURCE_DATE_EPOCH, else the sources' newest date (teipress.model.header.build_date)."""
        return self.model.build_time

    @property
    def tool_version(self) -> str:
        return self.model.tool_version


def make_model(ed: Edition) -> EditionModel:
    """The EditionModel of a loaded edition; a problem with it is a BuildError for the editor."""
    try:
        return EditionModel.build(ed)
    except ModelError as exc:
        raise BuildError(str(exc)) from None


def stage_sources(ctx: BuildContext) -> None:
    """Copy the TEI sources (and schema) into the output: every page links its source."""
    src = ctx.edition.tei_dir
    dst = ctx.out / "tei"
    for p in sorted(src.rglob("*")):
        if p.is_file() and (p.suffix in (".xml", ".xsd", ".rng", ".sch")):
            target = dst / p.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, target)


def stages() -> list[tuple[str, Callable[[BuildContext], None]]]:
    """The output stages, in order. Later stages may read earlier stages' files."""
    from ..outputs import cmif, html, pdf, search  # here, not above: they import BuildContext from this module

    # PDF before HTML (the site carries the PDFs), search after HTML (it indexes the pages);
    # cmif writes html/cmif.xml (letters only).
    return [("sources", stage_sources), ("pdf", pdf.build), ("html", html.build), ("search", search.build),
            ("cmif", cmif.build)]


@dataclass
class Result:
    edition: Edition
    report: Report  # what validation found (the edition was usable all the same)
    files: int  # how many files were checked
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage built
    model: EditionModel | None = None  # what the build was made from


def edition_folder(path: Path) -> Path:
    if not (Path(path) / "tei").is_dir():
        raise UsageError(f"'{path}' is not an edition folder: it has no tei/ folder")
    return Path(path)


def load_and_validate(edition_dir: Path, allow_invalid: bool = False) -> Result:
    """Load EDITION and validate it; raises NotValid unless it may be built.

    Malformed files refuse even with allow_invalid: there is nothing to build from.
    A broken edition.toml raises ConfigError; a folder without tei/ raises UsageError.
    """
    ed = edition_mod.load(edition_folder(edition_dir))
    report = Report(base=Path.cwd())
    files = validate_edition(ed, report)
    if ed.errors or (report.errors and not allow_invalid):
        raise NotValid(report, files)
    return Result(ed, report, files)


def build(edition_dir: Path, out: Path, *, allow_invalid: bool = False, only: set[str] | None = None,
          check: Callable[[EditionModel], None] | None = None,
          log: Callable[[str], None] = lambda m: None,
          show: Callable[[Report, int], None] = lambda report, files: None) -> Result:
    """Load, validate and build EDITION into *out* (only the stages named in *only*, if given).

    show(report, files) receives the diagnostics of an edition that may be built (warnings,
    or errors with allow_invalid) before any stage runs; an edition that may not be built
    raises NotValid, which carries them.  check(model) is the calling command's own test
    of the valid edition's model (deposit: its metadata records), run before any stage.
    """
    known = {name for name, _ in stages()}
    unknown = set(only or ()) - known
    if unknown:
        raise UsageError(f"unknown stage(s) {', '.join(sorted(unknown))}; stages: {', '.join(sorted(known))}")
    result = load_and_validate(edition_dir, allow_invalid)
    if result.report.items:
        show(result.report, result.files)
    t0 = time.perf_counter()
    result.model = make_model(result.edition)
    seconds = time.perf_counter() - t0
    if check is not None:
        check(result.model)
    log(f"building {result.model.metadata.id} into {out}")
    log(f"  {'model':<10} {seconds:7.2f} s")
    result.timings = {"model": seconds, **run(result.edition, out, log=log, only=only, model=result.model)}
    return result


# The search index and the CMIF file live inside html/, which a build replaces whole: html brings
# them along, and cmif brings html.
NEEDS = {"html": {"search", "cmif"}, "cmif": {"html", "search"}}


def run(ed: Edition, out_dir: Path, log: Callable[[str], None] = lambda m: None,
        only: set[str] | None = None, model: EditionModel | None = None) -> dict[str, float]:
    """Build every stage (or those in *only*) of a loaded edition into *out_dir*, creating
    its parent folders; returns seconds per stage.  *model*: the edition's model, when the
    caller has made it already (it is made once per build)."""
    timings: dict[str, float] = {}
    if model is None:
        t0 = time.perf_counter()
        model = make_model(ed)
        timings["model"] = time.perf_counter() - t0
        log(f"  {'model':<10} {timings['model']:7.2f} s")
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    ctx = BuildContext(edition=ed, out=tmp, model=model, log=log, previous=out_dir)
    if only is not None:
        extra = set().union(*(NEEDS.get(n, set()) for n in only)) - set(only)
        if extra:
            log(f"  also building {', '.join(sorted(extra))} (part of html/)")
        only = set(only) | extra
    try:
        for name, stage in stages():
            if only is not None and name not in only:
                continue
            t0 = time.perf_counter()
            try:
                stage(ctx)
            except BuildError:
                raise
            except Exception as exc:
                # A bug or an unforeseen input: still a message, not a traceback
                # (TEIPRESS_DEBUG=1 shows the traceback for a bug report).
                if os.environ.get("TEIPRESS_DEBUG"):
                    raise
                raise BuildError(
                    f"the {name} stage failed: {type(exc).__name__}: {exc} "
                    "(set TEIPRESS_DEBUG=1 for the traceback)"
                ) from exc
            timings[name] = time.perf_counter() - t0
            log(f"  {name:<10} {timings[name]:7.2f} s")
        _swap(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return timings


def _swap(tmp: Path, out_dir: Path) -> None:
    """Move each finished output (tei/, pdf/, html/ …) into place with a rename.

    Entries of out_dir that this build does not make (screenshots, a deposit)
    are left alone; each output is replaced whole, never merged.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(tmp, 0o755)
    move_into_place([(entry, out_dir / entry.name) for entry in sorted(tmp.iterdir())], aside=out_dir)
    tmp.rmdir()


def move_into_place(moves: list[tuple[Path, Path]], aside: Path) -> None:
    """Rename each new path to its target.  A previous target is first renamed into the folder
    *aside* and removed only when every move is done: old and new are mixed for no longer
    than a few renames, and no target is ever half-written.

    Every path must be on one file system (only there is a rename atomic).
    """
    olds = []
    for new, target in moves:
        if target.exists() or target.is_symlink():
            old = aside / f".{target.name}.old-{os.getpid()}"
            target.rename(old)
            olds.append(old)
        new.rename(target)
    for old in olds:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)

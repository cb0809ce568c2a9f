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
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from .. import __version__
from .. import edition as edition_mod
from ..edition import Edition
from ..model import EditionModel, ModelError
from ..validation.diagnostics import Report
from ..xmlparse import NS
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
    build_time: datetime  # from SOURCE_DATE_EPOCH: never the wall clock
    tool_version: str = __version__
    log: Callable[[str], None] = lambda msg: None
    model: "EditionModel | None" = None  # built once per build, before any output stage
    previous: Path | None = None  # the build folder this build replaces (a partial build reads its PDFs)

    @property
    def edition_version(self) -> str:
        configured = self.edition.config.get("version")
        if configured:
            return configured
        for f in self.edition.documents:
            ed = f.root.find("tei:teiHeader/tei:fileDesc/tei:editionStmt/tei:edition", NS)
            if ed is not None and ed.get("n"):
                return ed.get("n")
        return "0"


def build_time(ed: Edition) -> datetime:
    """SOURCE_DATE_EPOCH if set; else the newest revisionDesc change of the edition.

    Both are properties of the sources, so two builds give the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except (ValueError, OverflowError):
            raise BuildError(f"SOURCE_DATE_EPOCH='{epoch}' is not a number of seconds") from None
    latest = None
    for f in ed.files:
        for ch in f.root.iterfind(".//tei:revisionDesc//tei:change[@when]", NS):
            when = ch.get("when")[:10]
            if latest is None or when > latest:
                latest = when
    if latest:
        try:
            parts = [int(x) for x in latest.split("-")] + [1, 1]
            return datetime(parts[0], parts[1], parts[2], tzinfo=timezone.utc)
        except ValueError:
            pass
    return datetime(1970, 1, 1, tzinfo=timezone.utc)


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
    from ..outputs import html, pdf, search  # here, not above: they import BuildContext from this module

    # PDF before HTML (the site carries the PDFs), search after HTML (it indexes the pages).
    return [("sources", stage_sources), ("pdf", pdf.build), ("html", html.build), ("search", search.build)]


@dataclass
class Result:
    edition: Edition
    report: Report  # what validation found (the edition was usable all the same)
    files: int  # how many files were checked
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage built


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
          check: Callable[[Edition], None] | None = None,
          log: Callable[[str], None] = lambda m: None,
          show: Callable[[Report, int], None] = lambda report, files: None) -> Result:
    """Load, validate and build EDITION into *out* (only the stages named in *only*, if given).

    show(report, files) receives the diagnostics of an edition that may be built (warnings,
    or errors with allow_invalid) before any stage runs; an edition that may not be built
    raises NotValid, which carries them.  check(edition) is the calling command's own test
    of the valid edition (deposit: its metadata records), also run before any stage.
    """
    known = {name for name, _ in stages()}
    unknown = set(only or ()) - known
    if unknown:
        raise UsageError(f"unknown stage(s) {', '.join(sorted(unknown))}; stages: {', '.join(sorted(known))}")
    result = load_and_validate(edition_dir, allow_invalid)
    if result.report.items:
        show(result.report, result.files)
    if check is not None:
        check(result.edition)
    log(f"building {result.edition.id} into {out}")
    result.timings = run(result.edition, out, log=log, only=only)
    return result


# The search index lives inside html/, which a build replaces whole: html brings search along.
NEEDS = {"html": {"search"}}


def run(ed: Edition, out_dir: Path, log: Callable[[str], None] = lambda m: None,
        only: set[str] | None = None) -> dict[str, float]:
    """Build every stage (or those in *only*) of a loaded edition into *out_dir*, creating
    its parent folders; returns seconds per stage."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    ctx = BuildContext(edition=ed, out=tmp, build_time=build_time(ed), log=log, previous=out_dir)
    timings: dict[str, float] = {}
    if only is not None:
        extra = set().union(*(NEEDS.get(n, set()) for n in only)) - set(only)
        if extra:
            log(f"  also building {', '.join(sorted(extra))} (part of html/)")
        only = set(only) | extra
    try:
        t0 = time.perf_counter()
        try:
            ctx.model = EditionModel.build(ed, ctx.build_time)
        except ModelError as exc:
            raise BuildError(str(exc)) from None
        timings["model"] = time.perf_counter() - t0
        log(f"  {'model':<10} {timings['model']:7.2f} s")
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

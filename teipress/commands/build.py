"""`teipress build`: validate, then run every output stage into one folder, atomically.

Stages write into a fresh temporary folder beside the target; only when all of
them succeed does it replace the previous build, so a failed build never leaves
half-written output behind.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from .. import __version__
from ..edition import Edition
from ..xmlparse import NS


class BuildError(Exception):
    """A stage could not produce its output; the message is for the editor."""


@dataclass
class BuildContext:
    edition: Edition
    out: Path  # the temporary folder the stages write into
    build_time: datetime  # from SOURCE_DATE_EPOCH: never the wall clock
    tool_version: str = __version__
    log: Callable[[str], None] = lambda msg: None

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
    import importlib
    import importlib.util

    out: list[tuple[str, Callable[[BuildContext], None]]] = [("sources", stage_sources)]
    # PDF before HTML (the site links the PDFs), search after HTML (it indexes the pages).
    for name in ("pdf", "html", "search"):
        if importlib.util.find_spec(f"teipress.{name}") is not None:
            out.append((name, importlib.import_module(f"teipress.{name}").build))
    return out


def run(ed: Edition, out_dir: Path, log: Callable[[str], None] = lambda m: None,
        only: set[str] | None = None) -> dict[str, float]:
    """Build every stage into *out_dir*; returns seconds per stage."""
    import time

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    ctx = BuildContext(edition=ed, out=tmp, build_time=build_time(ed), log=log)
    timings: dict[str, float] = {}
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
    olds = []
    for entry in sorted(tmp.iterdir()):
        target = out_dir / entry.name
        if target.exists() or target.is_symlink():
            old = out_dir / f".{entry.name}.old-{os.getpid()}"
            target.rename(old)
            olds.append(old)
        entry.rename(target)
    tmp.rmdir()
    for old in olds:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)

"""`teipress build`: load, validate, then run every output stage into one folder, atomically.

`build()` is the one way an edition gets built: `teipress build`, `serve` and `deposit`
all call it, so they load, validate and refuse alike.  Everything is validated before
anything is typeset.  Stages write into a fresh temporary folder beside the target; only
when all of them succeed does it take the place of the previous build, whole, in one step
(commands/output.py), so a failed, interrupted or killed build never leaves half-written
output behind.
"""
from __future__ import annotations

import contextlib
import copy
import functools
import gc
import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from .. import edition as edition_mod, workers
from ..edition import Edition
from ..model import EditionModel, ModelError
from ..validation import facts as facts_mod
from ..validation.diagnostics import Report
from . import cache as cache_mod, interrupt, output, progress, shadow
from .validate import loading_check, validate_edition


class UsageError(Exception):
    """The command was pointed at something it cannot work on (the command line exits 2)."""


class NotValid(Exception):
    """The edition has errors, so nothing may be made from it; the report holds every one."""

    def __init__(self, report: Report, files: int):
        super().__init__(report.summary(files))
        self.report, self.files = report, files


class BuildError(Exception):
    """A stage could not produce its output; the message is for the editor."""


class DocumentFailed(BuildError):
    """A stage could not make one document's output (BuildContext.document_failed)."""

    def __init__(self, item: "LeftOut"):
        super().__init__(str(item))
        self.item = item


@dataclass
class BuildContext:
    edition: Edition
    out: Path  # the temporary folder the stages write into
    model: EditionModel  # built once per build, before any output stage
    log: Callable[[str], None] = lambda msg: None
    previous: Path | None = None  # the build folder a partial build completes (it reads its PDFs)
    keep_going: bool = False  # a document a stage cannot make is noted in left_out, not fatal
    left_out: list["LeftOut"] = field(default_factory=list)
    scratch: Path | None = None  # a private temporary folder, removed after the build
    cache: "cache_mod.Cache | None" = None  # an incremental build's cache (commands/cache.py)
    before: Path | None = None  # the output this build replaces: its files of the same bytes are linked

    def document_failed(self, doc, message: str, at: tuple[int, int] | None = None) -> None:
        """A stage could not make *doc*'s output (*at*: the line and column in its file where it
        failed): DocumentFailed, or with keep_going noted and passed over."""
        item = LeftOut(where_of(doc.file.path) + (f":{at[0]}:{at[1]}" if at else ""), message)
        if not self.keep_going:
            raise DocumentFailed(item)
        self.left_out.append(item)

    @property
    def build_time(self) -> datetime:
        """SOURCE_DATE_EPOCH, else the sources' newest date (teipress.model.header.build_date)."""
        return self.model.build_time

    @property
    def tool_version(self) -> str:
        return self.model.tool_version


def where_of(path: Path) -> str:
    """A file as diagnostics name it: relative to the current folder when inside it."""
    return Report(base=Path.cwd())._name(path)


def make_model(ed: Edition, cache: "cache_mod.Cache | None" = None, begun=None) -> EditionModel:
    """The EditionModel of a loaded edition; a problem with it is a BuildError for the editor.
    *begun*: its documents' models begun while it was validated (load_and_validate)."""
    try:
        return EditionModel.build(ed, cache=cache, begun=begun)
    except ModelError as exc:
        raise BuildError(str(exc)) from None


def stage_sources(ctx: BuildContext) -> None:
    """Copy the TEI sources (and schema) into the output: every page links its source."""
    src = str(ctx.edition.tei_dir)
    dst = f"{ctx.out}{os.sep}tei"
    # The TEI files the build is made of (--keep-going leaves bad ones out), and the schemas.
    # (a file's digest, read when it was loaded: an unchanged file is not read again; the walk
    # is of strings, not Paths: at 5,000 letters a Path a file cost a fifth of a second)
    built = {str(f.path): f.digest for f in ctx.edition.files}
    for dirpath, dirnames, filenames in os.walk(src, followlinks=True):
        dirnames.sort()
        rel_dir = os.path.relpath(dirpath, src)
        in_schema = rel_dir.split(os.sep, 1)[0] == "schema"
        for name in sorted(filenames):
            if not name.endswith((".xml", ".xsd", ".rng", ".sch")):
                continue
            path = os.path.join(dirpath, name)
            digest = built.get(path, "")
            if not digest:
                if name.endswith(".xml") and path not in built and not in_schema:
                    continue
                if not os.path.isfile(path):
                    continue
            target = os.path.join(dst, name) if rel_dir == "." else os.path.join(dst, rel_dir, name)
            output.put_known(target, digest, functools.partial(_read, path), ctx.out, ctx.before)


def _read(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def stages() -> list[tuple[str, Callable[[BuildContext], None]]]:
    """The output stages, in order. Later stages may read earlier stages' files."""
    from ..outputs import cmif, html, search  # here, not above: they import BuildContext from this module

    # PDF before HTML (the site carries the PDFs), search after HTML (it indexes the pages);
    # cmif writes html/cmif.xml (letters only).
    return [("sources", stage_sources), ("pdf", stage_pdf), ("html", html.build), ("search", search.build),
            ("cmif", cmif.build)]


def stage_pdf(ctx: BuildContext) -> None:
    """The PDF stage (teipress.outputs.pdf), imported only by a build that makes PDFs: its
    modules (Typst's driver, volumes, fonts) are a tenth of what a build imports."""
    from ..outputs import pdf

    pdf.build(ctx)


@dataclass
class LeftOut:
    """A document a --keep-going build could not make (or not make whole), and why."""
    where: str  # file:line:col of the first error, or the file
    why: str

    def __str__(self) -> str:
        return f"{self.where}: error: {self.why}"


@dataclass
class Result:
    edition: Edition
    report: Report  # what validation found (the edition was usable all the same)
    files: int  # how many files were checked
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage built
    model: EditionModel | None = None  # what the build was made from
    left_out: list[LeftOut] = field(default_factory=list)  # --keep-going: the bad documents
    up_to_date: bool = False  # an incremental build found nothing to do (edition and model are None)
    begun: object = None  # the edition's models begun while it was validated (load_and_validate's ahead)


def edition_folder(path: Path) -> Path:
    if not (Path(path) / "tei").is_dir():
        raise UsageError(f"'{path}' is not an edition folder: it has no tei/ folder")
    return Path(path)


def load_and_validate(edition_dir: Path, allow_invalid: bool = False, keep_going: bool = False,
                      cache: "cache_mod.Cache | None" = None, ahead: bool = False) -> Result:
    """Load EDITION and validate it; raises NotValid unless it may be built.

    Malformed files refuse even with allow_invalid: there is nothing to build from.
    With keep_going the files with errors (malformed ones; invalid ones unless
    allow_invalid) are left out instead, and listed in Result.left_out, as long as
    every error is in a TEI file and a document remains.
    A broken edition.toml raises ConfigError; a folder without tei/ raises UsageError.
    ahead: the documents' models are begun in forked workers as soon as the edition is
    loaded, and made while this process validates it (the integrity rules and an incremental
    build's memo are work for one core): Result.begun, for make_model, when the edition
    loaded is the one to be built; when it may not be, or files are left out, they are
    stopped and nothing they made is kept.
    """
    ed = edition_mod.load(edition_folder(edition_dir), cache=cache,
                          check=lambda root, config, files: loading_check(root, config, files, cache))
    begun = model_ahead(ed, cache) if ahead else None
    try:
        report = Report(base=Path.cwd())
        files = validate_edition(ed, report, cache=cache)
        if not (ed.errors or (report.errors and not allow_invalid)):
            result, begun = Result(ed, report, files, begun=begun), None
            return result
        kept = leave_out_bad_files(ed, report, allow_invalid) if keep_going else None
        if kept is None:
            raise NotValid(report, files)
        return Result(kept[0], report, files, left_out=kept[1])
    finally:
        if begun is not None:  # (the edition loaded is not the one built: its models are not wanted)
            begun.close()


def model_ahead(ed: Edition, cache: "cache_mod.Cache | None"):
    """The models of a loaded edition begun before it is validated (teipress.model.edition_model.begin),
    or None: an edition with loading errors is never built whole, and one without documents
    has no model (make_model says so).  Nor when a file was not schema-checked while it was
    loaded: validation checks it on every core, which it does not fork for while the models'
    workers are at work (teipress.workers: a process running threads never forks)."""
    from ..model import edition_model

    if ed.errors or not ed.documents or any(f.checked is None for f in ed.files):
        return None
    try:
        return edition_model.begin(ed, cache)
    except Exception:  # (an edition not yet validated may fail anywhere: once it is known to be
        return None  # buildable, make_model meets the problem again and says what it is)


def leave_out_bad_files(ed: Edition, report: Report, allow_invalid: bool) -> tuple[Edition, list[LeftOut]] | None:
    """The edition without its files that have errors, and why each was left out; None when
    an error belongs to no TEI file (edition.toml, a schema) or no document would be left.

    Leaving a file out can break the pointers into it, so the integrity rules are run
    again on what is left until no further file fails (registers with errors take the
    documents that point into them along).
    """
    from ..validation import rules

    malformed = {Path(e.path).resolve() for e in ed.errors}
    by_path = {f.path.resolve(): f for f in ed.files}
    errors = [d for d in report.errors if not allow_invalid or Path(d.path).resolve() in malformed]
    bad: dict[Path, list] = {}
    current = ed
    while True:
        added = False
        for d in sorted(errors):
            p = Path(d.path).resolve()
            if p not in by_path and p not in malformed:
                return None
            added |= p not in bad
            bad.setdefault(p, []).append(d)
        if not added:
            break
        current = copy.copy(ed)  # whatever else loading found stays as it was
        current.files = [f for f in ed.files if f.path.resolve() not in bad]
        current.errors = []
        current.index()
        if allow_invalid or not current.documents:
            break
        again = Report(base=report.base)
        rules.check(current, again)
        errors = [d for d in again.errors if Path(d.path).resolve() not in bad]
    if not current.documents:
        return None
    left = []
    for diags in bad.values():
        d = min(diags)  # the diagnostics themselves are printed with the report
        left.append(LeftOut(f"{d.path}:{d.line}:{d.col}",
                            f"left out of the build: {len(diags)} error(s), the first [{d.rule}] here"))
    return current, sorted(left, key=lambda x: x.where)


def build(edition_dir: Path, out: Path, *, allow_invalid: bool = False, keep_going: bool = False,
          only: set[str] | None = None, lock: bool = True,
          check: Callable[[EditionModel], None] | None = None,
          log: Callable[[str], None] = lambda m: None,
          show: Callable[[Report, int], None] = lambda report, files: None,
          incremental: bool = False) -> Result:
    """Load, validate and build EDITION into *out* (only the stages named in *only*, if given).

    show(report, files) receives the diagnostics of an edition that may be built (warnings,
    or errors with allow_invalid or keep_going) before any stage runs; an edition that may
    not be built raises NotValid, which carries them.  check(model) is the calling command's
    own test of the valid edition's model (deposit: its metadata records), run before any
    stage.  keep_going: documents with errors are left out, a document a stage cannot make
    is passed over; Result.left_out lists both (the caller decides the exit status).
    Everything is validated before anything is typeset, and *out* is locked throughout:
    a second build into it raises output.Busy at once (lock=False: the caller holds the lock).
    incremental: keep what this build makes in a cache beside *out* (commands/cache.py) and
    take from it what an earlier build made of the same inputs; the output is the same bytes
    as a clean build's.  Unchanged sources and an untouched output: nothing is built again
    (Result.up_to_date).
    """
    known = {name for name, _ in stages()}
    unknown = set(only or ()) - known
    if unknown:
        raise UsageError(f"unknown stage(s) {', '.join(sorted(unknown))}; stages: {', '.join(sorted(known))}")
    edition_folder(edition_dir)
    log, show = progress_aware(log), progress_aware(show)
    out = output.prepare(out)
    output.check_target(out, Path(edition_dir), looks_built)
    with output.locked(*(lock_targets(out, Path(edition_dir)) if lock else [])):
        output.sweep(out)  # what killed builds left (their staging folders too), even before a no-op
        store = (cache_mod.Cache(cache_mod.cache_folder(edition_dir, out))
                 if incremental and check is None else None)
        finish = None
        if store is not None:
            options = {"allow_invalid": allow_invalid, "keep_going": keep_going, "only": sorted(only or ())}
            # (the sources' and teipress's digests, by their stat where the last build read them)
            digests = cache_mod.trust_stats(store.folder, edition_dir)
            stamp = cache_mod.input_stamp(edition_dir, out)  # (before the digest: see finish)
            fingerprint = cache_mod.edition_fingerprint(edition_dir, out, options)
            done = up_to_date(store, fingerprint, out)
            if done is not None:
                cache_mod.trust_stats_end()
                if done.report.items:
                    show(done.report, done.files)
                log(f"{out} is up to date")
                return done
            # What this build makes is kept apart until the build is complete (cache.py).
            store.staging = cache_mod.staging_folder(store.folder)
            if shadow_builds(only):  # (its shadow checked on the idle core meanwhile: shadow.walk_ahead)
                shadow.walk_ahead(shadow.shadow_folder(out), store.folder)

            def finish(folder: Path, result: Result) -> None:
                """The output in *folder* is whole: the entries this build used become the cache."""
                new = store.folder.with_name(store.folder.name + ".new")
                shutil.rmtree(new, ignore_errors=True)
                store.finish(new)
                writer = output._writer
                if writer is not None:  # the manifests of the new output and of the shadow to be
                    shadow.write_manifests(new, writer.manifests())
                # Sources edited during the build: its output is not theirs (the stamp says so
                # without reading every source again; if it changed, the digest decides).
                same = cache_mod.input_stamp(edition_dir, out) == stamp
                after = fingerprint if same else cache_mod.edition_fingerprint(edition_dir, out, options)
                if after == fingerprint and not result.left_out:  # else the next build starts afresh
                    known = writer.listing(cache_mod.BUILT) if writer is not None else None
                    store.record_build(new, {
                        "fingerprint": fingerprint, "listing": cache_mod.output_listing(folder, known),
                        "files": result.files, "left_out": [], "base": str(result.report.base)},
                        result.report.packed())
                digests.save(new)
                cache_mod.replace(store.folder, new)
        try:
            return _build(edition_dir, out, allow_invalid, keep_going, only, check, log, show, store, finish)
        finally:
            cache_mod.trust_stats_end()
            shadow.end_walk()
            if store is not None and store.staging != store.folder:
                shutil.rmtree(store.staging, ignore_errors=True)


def _build(edition_dir, out, allow_invalid, keep_going, only, check, log, show, store, finish) -> Result:
    """build() once the output is locked and the cache (if any) is ready."""
    progress.stage("validate")
    with records_kept():
        t0 = time.perf_counter()
        # (the models are made while the edition is validated: load_and_validate's ahead)
        result = load_and_validate(edition_dir, allow_invalid, keep_going, cache=store, ahead=True)
        begun, result.begun = result.begun, None
        try:
            validated = time.perf_counter() - t0  # loading (each file parsed, its facts read) and validation
            facts_mod.pack(result.edition.files)  # (validation is done with most of them)
            if result.report.items:
                show(result.report, result.files)
            result.report.pack()  # (read again only when the build is done)
            workers.give_back_memory()  # (what validation held, while the models' workers run)
            t0 = time.perf_counter()
            progress.stage("model", len(result.edition.documents))
            result.model = make_model(result.edition, store, begun)
            seconds = time.perf_counter() - t0
        except BaseException:
            if begun is not None:  # (an interrupt, or a problem with the model: the workers end)
                begun.close()
            raise
    if check is not None:
        check(result.model)
    log(f"building {result.model.metadata.id} into {out}")
    log(f"  {'validate':<10} {validated:7.2f} s")
    log(f"  {'model':<10} {seconds:7.2f} s")
    try:  # (the loaded edition and its model stay frozen until the build ends: records_kept)
        stages_run = run(result.edition, out, log=log, only=only, model=result.model, keep_going=keep_going,
                         left_out=result.left_out, lock=False, cache=store,
                         complete=finish and (lambda folder: finish(folder, result)))
    finally:
        workers.thawed()
    result.timings = {"validate": validated, "model": seconds, **stages_run}
    return result


@contextlib.contextmanager
def records_kept():
    """Load, validate and make the model with Python's cyclic collector paused, then set what
    they made aside from it (workers.frozen) until the build ends (workers.thawed in _build).

    Those records (every file's facts, diagnostics and model records: millions of objects at
    thousands of letters) live until the build ends and hold no garbage cycles worth the
    name (a couple of hundred objects at 5,000 letters), yet each full collection walks all
    of them, in the loading and again at every collection the output stages' allocations set
    off: paused, loading a cache's records costs a third less, and the full collection that
    followed the model stage (a second of CPU at 5,000 letters) never comes.  A load that
    fails freezes nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        workers.frozen()
    finally:
        if enabled:
            gc.enable()


def up_to_date(store: "cache_mod.Cache", fingerprint: str, out: Path) -> Result | None:
    """The last build's result when it was made of the same inputs and its output is as it left it."""
    last = store.last_build()
    if not last or last.get("fingerprint") != fingerprint or last.get("listing") != cache_mod.output_listing(out):
        return None
    items = store.last_report(last)
    if items is None:  # (its diagnostics are lost: built again, it prints them all)
        return None
    report = Report(base=Path.cwd())
    named_from = last.get("base")  # (the folder that build ran in: its report names files from there)
    if named_from not in (None, "None", str(report.base)):
        from ..validation.diagnostics import renamed_items

        items = renamed_items(items, named_from, report)
    report.items = items
    return Result(edition=None, report=report, files=last["files"], left_out=list(last["left_out"]),
                  up_to_date=True)


def progress_aware(say: Callable) -> Callable:
    """*say*, clearing the progress line first (commands/progress.py): lines print whole."""
    def said(*args):
        progress.clear()
        return say(*args)
    return said


def looks_built(folder: Path) -> bool:
    """An earlier build folder: it holds at least one of the folders a build makes."""
    return any((folder / name).is_dir() for name in ("html", "pdf", "tei"))


def lock_targets(out: Path, edition_dir: Path) -> list[Path]:
    """The output folders a build into *out* must hold: *out*, and when *out* lies deeper
    inside the edition folder (a deposit in build/deposit), the edition's folder that holds
    it, which a build replaces whole."""
    out = Path(os.path.abspath(out))
    root = Path(os.path.abspath(edition_dir))
    if out.is_relative_to(root) and len(out.relative_to(root).parts) > 1:
        return [root / out.relative_to(root).parts[0], out]
    return [out]




# The search index and the CMIF file live inside html/, which a build replaces whole: html brings
# them along, and cmif brings html.
NEEDS = {"html": {"search", "cmif"}, "cmif": {"html", "search"}}


def run(ed: Edition, out_dir: Path, log: Callable[[str], None] = lambda m: None,
        only: set[str] | None = None, model: EditionModel | None = None, keep_going: bool = False,
        left_out: list[LeftOut] | None = None, lock: bool = True,
        cache: "cache_mod.Cache | None" = None, complete: Callable[[Path], None] | None = None) -> dict[str, float]:
    """Build every stage (or those in *only*) of a loaded edition into *out_dir*, creating
    its parent folders; returns seconds per stage.  *model*: the edition's model, when the
    caller has made it already (it is made once per build).  *left_out* collects what
    keep_going passes over.  lock=False: the caller holds the lock of *out_dir*."""
    out_dir = output.prepare(out_dir)
    with output.locked(*([out_dir] if lock else [])):
        return _run(ed, out_dir, log, only, model, keep_going, left_out, cache, complete)


def shadow_builds(only: set[str] | None) -> bool:
    """Whether an incremental build of the stages *only* updates a shadow (commands/shadow.py):
    the PDF stage's files are written by Typst, not through the Writer, so a build making PDFs
    starts from a fresh folder."""
    return only is not None and "pdf" not in only


def _target(out_dir: Path, only: set[str] | None, cache: "cache_mod.Cache | None"):
    """The folder the stages write into, and the Writer that follows them (None without a
    cache): the shadow of an incremental build, renamed to a temporary name while it is
    brought up to date (a kill then leaves only a temporary folder, removed by the next
    build), or a fresh folder (commands/shadow.py)."""
    kept = shadow.shadow_folder(out_dir)
    if cache is None:
        output.remove(kept)  # (the shadow of an earlier incremental build: no longer followed)
        return output.temp_folder(out_dir), None
    manifests = shadow.read_manifests(cache.folder)
    usable = (shadow_builds(only) and kept.is_dir() and not kept.is_symlink()
              and shadow.folder_id(kept) in manifests)
    tmp = output.temp_folder(out_dir)
    if usable:
        with interrupt.deferred():
            tmp.rmdir()
            kept.rename(tmp)
    else:
        output.remove(kept)
    return tmp, shadow.Writer(tmp, out_dir, manifests, shadow=usable)


def _run(ed: Edition, out_dir: Path, log: Callable[[str], None], only: set[str] | None,
         model: EditionModel | None, keep_going: bool, left_out: list[LeftOut] | None,
         cache: "cache_mod.Cache | None" = None, complete: Callable[[Path], None] | None = None) -> dict[str, float]:
    timings: dict[str, float] = {}
    if model is None:
        t0 = time.perf_counter()
        model = make_model(ed)
        timings["model"] = time.perf_counter() - t0
        log(f"  {'model':<10} {timings['model']:7.2f} s")
    output.sweep(out_dir)
    if only is not None:
        extra = set().union(*(NEEDS.get(n, set()) for n in only)) - set(only)
        if extra:
            log(f"  also building {', '.join(sorted(extra))} (part of html/)")
        only = set(only) | extra
    tmp, writer = _target(out_dir, only, cache)
    scratch = None
    try:
        scratch = output.temp_folder(out_dir)
        output._writer = writer
        # A partial build without the PDF stage links the previous build's PDFs; a build that
        # makes PDFs must never fall back on them (a PDF that failed would come back stale).
        ctx = BuildContext(edition=ed, out=tmp, model=model, log=log, keep_going=keep_going,
                           previous=out_dir if only is not None and "pdf" not in only else None,
                           left_out=left_out if left_out is not None else [], scratch=scratch, cache=cache,
                           before=out_dir if looks_built(out_dir) else None)
        for name, stage in stages():
            if only is not None and name not in only:
                continue
            t0 = time.perf_counter()
            progress.stage(name, len(model.documents) if name == "pdf" else 0)
            try:
                stage(ctx)
            except (BuildError, output.OutputError):
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
            workers.give_back_memory()  # (what the stage freed: the next one's workers do not start with it)
            log(f"  {name:<10} {timings[name]:7.2f} s")
        t0 = time.perf_counter()
        output.remove(scratch)
        # Outputs this build did not make (screenshots, a deposit, the stages --only skipped)
        # come along into the new folder, which then takes the place of the previous one whole.
        if writer is not None:  # (and what an earlier build left in the shadow goes)
            writer.complete(output.carry_over, output._ours)
        else:
            output.carry_over(out_dir, tmp)
        if complete is not None:  # the output is whole: the incremental build records it
            complete(tmp)
        # The previous output becomes the next incremental build's shadow (commands/shadow.py),
        # when it has a manifest and this build could have used one (a build making PDFs,
        # which Typst writes anew each time, would only keep a second copy of them).
        output.replace(tmp, out_dir, keep=shadow.shadow_folder(out_dir)
                       if writer is not None and writer.other is not None and shadow_builds(only) else None)
        timings["finish"] = time.perf_counter() - t0
        log(f"  {'finish':<10} {timings['finish']:7.2f} s")
    except BaseException:
        output.remove(tmp)
        raise
    finally:
        output._writer = None
        if scratch is not None:
            output.remove(scratch)
    return timings

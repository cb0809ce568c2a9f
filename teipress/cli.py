"""The `teipress` command line: options in, a command of teipress/commands/ run, its
diagnostics printed, its exit status returned.  The work itself is in the commands."""
from __future__ import annotations

import os
import shlex
import sys

from .commands import interrupt

# First, before the slow imports below: a signal while `teipress` starts ends it quietly
# (only when this is the program, not a module imported by another).
_PROGRAM = os.path.basename(sys.argv[0]) == "teipress" or sys.argv[0].endswith(os.path.join("teipress", "__main__.py"))
if _PROGRAM:
    interrupt.install(starting=True)

import contextlib  # noqa: E402
from pathlib import Path
from typing import NoReturn

import click

from . import __version__
from .commands import build as build_mod
from .commands import output
from .commands.validate import rules_help, validate_paths
from .config import ConfigError
from .validation.diagnostics import Report


def _print_report(report: Report, files: int, fmt: str) -> None:
    if fmt == "json":
        click.echo(report.to_json(files))
        return
    # A few thousand lines a write: an edition of thousands of letters may have a quarter of a
    # million, which as one list, one text and its bytes held ~200 MB at once (20,000 letters).
    found = report.sorted()
    for start in range(0, len(found), PRINTED_AT_ONCE):
        click.echo("\n".join(str(d) for d in found[start:start + PRINTED_AT_ONCE]), err=False)
    del found
    click.echo(report.summary(files), err=True)


PRINTED_AT_ONCE = 4096


def _fail(*lines: str) -> NoReturn:
    for line in lines:
        click.echo(line, err=True)
    sys.exit(1)


@contextlib.contextmanager
def _refusals(refusal: str):
    """What a command refuses to work on, said as the command line says it."""
    try:
        yield
    except build_mod.UsageError as exc:
        raise click.UsageError(str(exc)) from None
    except ConfigError as exc:
        _fail(f"{exc.path}:{exc.line}:1: error: {exc.message} [config]")
    except build_mod.NotValid as exc:
        _print_report(exc.report, exc.files, "text")
        _fail(f"error: the edition is not valid; {refusal}")
    except output.OutputError as exc:  # a read-only or busy output folder, a file in its place
        _fail(f"error: {exc}")
    except interrupt.Interrupted as exc:
        click.echo(f"interrupted ({exc.name}): {refusal.split(' (')[0]}; temporary files removed", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:  # SIGINT before the handlers were installed
        click.echo(f"interrupted: {refusal.split(' (')[0]}", err=True)
        sys.exit(130)


def _log(quiet: bool):
    return (lambda m: None) if quiet else (lambda m: click.echo(m, err=True))


def _show(quiet: bool):
    """Diagnostics of an edition that may be used (warnings, or errors with --no-validate)."""
    return (lambda report, files: None) if quiet else (lambda report, files: _print_report(report, files, "text"))


class _Commands(click.Group):
    """Whatever a command did not foresee is still a message, never a traceback
    (TEIPRESS_DEBUG=1 shows the traceback for a bug report)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except interrupt.Interrupted as exc:
            click.echo(f"interrupted ({exc.name})", err=True)
            sys.exit(exc.exit_code)
        except Exception as exc:
            if os.environ.get("TEIPRESS_DEBUG"):
                raise
            if isinstance(exc, OSError) and exc.strerror:
                where = f"{exc.filename}: " if exc.filename else ""
                _fail(f"error: {where}{exc.strerror}")
            _fail(f"error: internal error: {type(exc).__name__}: {exc} (set TEIPRESS_DEBUG=1 for the traceback)")


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="teipress")
def main() -> None:
    """Turn hand-encoded TEI P5 into a validated source, a static HTML edition,
    an archival PDF edition and a deposit package.

    An edition folder holds tei/ (TEI documents and registers; tei/schema/ the
    project's XSD) and optionally edition.toml.
    """
    interrupt.install()  # SIGINT/SIGTERM: clean up, exit 130/143


@main.command(epilog=rules_help())
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format; json is for tools and editors' plug-ins.")
@click.option("--werror", is_flag=True, help="Treat warnings as errors.")
def validate(paths: tuple[Path, ...], fmt: str, werror: bool) -> None:
    """Check TEI files or edition folders: well-formedness, the schema, and the
    edition's integrity rules (unique ids, resolving pointers, ISO dates, typed
    notes).  Prints every problem as path:line:col: severity: message [rule].
    Schemas: those each file names in <?xml-model?> (RELAX NG, Schematron, XSD),
    else the project's own.  Change a rule's severity in edition.toml: [rules]
    then e.g. register-unused = "ignore" (error, warning, note or ignore).

    PATHS default to the current edition (the current folder).  Exit status: 0
    clean, 1 errors found, 2 usage error.
    """
    report, files = validate_paths(list(paths) or [Path(".")])
    _print_report(report, files, fmt)
    failed = report.errors or (werror and report.warnings)
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("edition", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder [default: EDITION/build].")
@click.option("--no-validate", is_flag=True, help="Build even if the edition does not validate.")
@click.option("-k", "--keep-going", is_flag=True,
              help="Build every good document; list the documents left out (exit 1 if any).")
@click.option("--only", multiple=True, help="Build only these stages (repeatable).")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@click.option("--incremental", is_flag=True,
              help="Keep a cache in EDITION/.teipress-cache and rebuild only what changed (serve always does).")
@click.option("--progress/--no-progress", default=None,
              help="Show the stage, documents done and time left [default: on a terminal, outside CI].")
def build(edition: Path, out: Path | None, no_validate: bool, keep_going: bool, only: tuple[str, ...],
          quiet: bool, incremental: bool, progress: bool | None) -> None:
    """Validate EDITION and build its outputs into EDITION/build (or --out).

    Everything is validated before anything is typeset; the first error stops the
    build.  Every PDF is tried: those Typst cannot typeset are all reported, at the TEI
    line it failed at, before the build stops.  With --keep-going, documents with errors
    (and documents a stage cannot make, such as a PDF Typst cannot typeset) are left
    out and listed, the others are built, and the exit status is 1.  The previous build is replaced whole, in one
    step, only when the build is complete; a second build into the same folder is
    refused while one runs.  Outputs are byte-identical for the same sources and
    SOURCE_DATE_EPOCH.
    """
    from .commands import progress as progress_mod

    if progress_mod.wanted(False if progress is None and quiet else progress):
        progress_mod.start()
    with _refusals("nothing was built (use --no-validate to force)"):
        try:
            result = build_mod.build(edition, out or edition / "build", allow_invalid=no_validate,
                                     keep_going=keep_going, only=set(only) or None, log=_log(quiet),
                                     show=_show(quiet), incremental=incremental)
        except build_mod.BuildError as exc:
            _fail(f"error: {exc}", "nothing was written; the previous build is unchanged")
        finally:
            progress_mod.stop()
    if result.left_out:
        for item in result.left_out:
            click.echo(str(item))
        _fail(f"error: {len(result.left_out)} file(s) left out or incomplete; "
              "the other documents were built")
    _log(quiet)("done")
    _end_now()


def _end_now() -> None:
    """A build that is done ends the program at once (when this is the program, not a module
    imported by another): its records (millions of objects at thousands of letters) are not
    freed one by one and walked by the collector at exit, seconds of one core; nothing is left
    to do (the output is in place, the cache written, the lock let go, every worker gone)."""
    if _PROGRAM:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


@main.command()
@click.argument("edition", default=".", type=click.Path(exists=True, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the bag and its zip [default: EDITION/build/deposit].")
@click.option("--check", "check", is_flag=True,
              help="Validate an existing bag (the argument) instead of making one.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
def deposit(edition: Path, out: Path | None, check: bool, quiet: bool) -> None:
    """Package EDITION for an archive: OUT/<id>-<version>/ as a BagIt 1.0 bag
    (TEI, PDF, HTML, DataCite/Dublin Core/CFF/Zenodo metadata, README) and a
    byte-reproducible OUT/<id>-<version>.zip beside it.

    With --check, EDITION is a bag folder: its completeness and checksums are
    verified and every missing, extra or altered file is named; exit 1 if any.
    """
    from .commands import deposit as deposit_mod

    if check:
        report = deposit_mod.check_bag(edition)
        for w in report.warnings:
            click.echo(f"warning: {w}", err=True)
        for p in report.problems:
            where = f"{edition / p.path}" + (f":{p.line}" if p.line else "")
            click.echo(f"{where}: error: {p.what}" + (f": {p.detail}" if p.detail else ""))
        if report.problems:
            click.echo(f"{edition}: the bag is NOT valid: {len(report.problems)} problem(s)", err=True)
            sys.exit(1)
        click.echo(f"{edition}: valid bag, {report.files} payload files, all checksums match", err=True)
        return
    log = _log(quiet)
    with _refusals("no deposit was made"):
        try:
            result = deposit_mod.make_deposit(edition, out or edition / "build" / "deposit", log=log,
                                              warn=lambda m: click.echo(f"warning: {m}", err=True),
                                              show=_show(quiet))
        except deposit_mod.DepositError as exc:
            _fail(f"error: {exc}", "nothing was written; any previous deposit is unchanged")
    log(f"bag: {result.bag} ({result.payload_files} payload files, {result.payload_bytes} bytes)")
    log(f"zip: {result.zip} ({result.zip_bytes} bytes) in {result.seconds:.1f} s")


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", required=True, help="The edition's title.")
@click.option("--id", "edition_id", help="Edition id (an xml:id; default: made from the title).")
@click.option("--editor", "editors", multiple=True,
              help="An editor's name (repeatable; default: the edition's editors as a team).")
@click.option("--language", default="en", show_default=True, help="Main language of the texts (BCP 47).")
def init(folder: Path, title: str, edition_id: str | None, editors: tuple[str, ...], language: str) -> None:
    """Start a new edition in FOLDER: the project's schema, a first document and a
    register that validate and build at once, and edition.toml.  Add documents with
    `teipress new`."""
    from .commands import init as init_mod

    try:
        written = init_mod.create(folder, title, edition_id, editors, language=language)
    except init_mod.InitError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    for p in written:
        click.echo(f"wrote {p}", err=True)
    where = shlex.quote(str(folder))
    click.echo(f"next: teipress new {where} <name> --title <title>  (add a document)\n"
               f"      teipress validate {where} && teipress build {where}", err=True)


@main.command()
@click.argument("edition", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("name")
@click.option("--title", required=True, help="The document's title.")
@click.option("--type", "kind", type=click.Choice(["document", "letter"]), default="document",
              show_default=True, help="A plain document, or a letter with correspDesc, opener and closer.")
@click.option("--date", "when", help="The document's date, ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--language", help="Language of the text (default: the edition's).")
def new(edition: Path, name: str, title: str, kind: str, when: str | None, language: str | None) -> None:
    """Add a document NAME (tei/NAME.xml) to EDITION: a header with the edition's
    responsibility, publication and schema lines, and a body to replace."""
    from .commands import new as new_mod

    try:
        path = new_mod.create(edition, name, title, kind=kind, when=when, language=language)
    except new_mod.NewError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"wrote {path}", err=True)


@main.command()
@click.argument("edition", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but a loopback address shows the edition to the network.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder [default: EDITION/build].")
@click.option("--no-validate", is_flag=True, help="Rebuild even if the edition does not validate.")
def serve(edition: Path, port: int, host: str, out: Path | None, no_validate: bool) -> None:
    """Build EDITION, serve its HTML edition on localhost, rebuild when a source changes
    and reload the open pages.  Stop with Ctrl-C.

    The previous build is served until the next one is complete.  Only requests
    addressed to localhost, an IP address or --host are answered."""
    import ipaddress

    from .commands.serve import Server

    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        click.echo(f"warning: listening on {host}: anyone who can reach this machine can read the "
                   "edition (and its drafts); use the default 127.0.0.1 for a private preview", err=True)
    try:  # an edition that does not build is reported, and served once it does
        server = Server(edition, out or edition / "build", port=port, allow_invalid=no_validate,
                        log=lambda m: click.echo(m, err=True), host=host)
    except build_mod.UsageError as exc:
        raise click.UsageError(str(exc)) from None
    except interrupt.Interrupted as exc:
        click.echo(f"interrupted ({exc.name}) while building; temporary files removed", err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:
        raise click.UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    code = 0
    try:  # from here on a signal always ends in server.stop()
        server.start()
        click.echo(f"serving {server.site} at {server.url} (Ctrl-C to stop)", err=True)
        # Waking twice a second lets a signal's handler run even if the wait itself was not
        # interrupted (seen once under load: a SIGTERM that never ended the wait).
        while not server.stop_event.wait(0.5):
            pass
    except interrupt.Interrupted as exc:
        code = 0 if exc.signum == 2 else exc.exit_code  # Ctrl-C is how serve is meant to stop
    except KeyboardInterrupt:
        pass
    finally:
        with interrupt.deferred():
            server.stop()
    click.echo("stopped", err=True)
    sys.exit(code)


if __name__ == "__main__":
    main()

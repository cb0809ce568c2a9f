"""The `teipress` command line: options in, a command of teipress/commands/ run, its
diagnostics printed, its exit status returned.  The work itself is in the commands."""
from __future__ import annotations

import contextlib
import shlex
import sys
from pathlib import Path
from typing import NoReturn

import click

from . import __version__
from .commands import build as build_mod
from .commands.validate import rules_help, validate_paths
from .config import ConfigError
from .validation.diagnostics import Report


def _print_report(report: Report, files: int, fmt: str) -> None:
    if fmt == "json":
        click.echo(report.to_json(files))
        return
    for d in report.sorted():
        click.echo(str(d), err=False)
    click.echo(report.summary(files), err=True)


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


def _log(quiet: bool):
    return (lambda m: None) if quiet else (lambda m: click.echo(m, err=True))


def _show(quiet: bool):
    """Diagnostics of an edition that may be used (warnings, or errors with --no-validate)."""
    return (lambda report, files: None) if quiet else (lambda report, files: _print_report(report, files, "text"))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="teipress")
def main() -> None:
    """Turn hand-encoded TEI P5 into a validated source, a static HTML edition,
    an archival PDF edition and a deposit package.

    An edition folder holds tei/ (TEI documents and registers; tei/schema/ the
    project's XSD) and optionally edition.toml.
    """


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
@click.option("--only", multiple=True, help="Build only these stages (repeatable).")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
def build(edition: Path, out: Path | None, no_validate: bool, only: tuple[str, ...], quiet: bool) -> None:
    """Validate EDITION and build its outputs into EDITION/build (or --out).

    The previous build is replaced only when every stage succeeds.  Outputs are
    byte-identical for the same sources and SOURCE_DATE_EPOCH.
    """
    with _refusals("nothing was built (use --no-validate to force)"):
        try:
            build_mod.build(edition, out or edition / "build", allow_invalid=no_validate,
                            only=set(only) or None, log=_log(quiet), show=_show(quiet))
        except build_mod.BuildError as exc:
            _fail(f"error: {exc}", "nothing was written; the previous build is unchanged")
    _log(quiet)("done")


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
            click.echo(f"{edition / p.path}: error: {p.what}" + (f": {p.detail}" if p.detail else ""))
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
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder [default: EDITION/build].")
@click.option("--no-validate", is_flag=True, help="Rebuild even if the edition does not validate.")
def serve(edition: Path, port: int, out: Path | None, no_validate: bool) -> None:
    """Build EDITION, serve its HTML edition on localhost, rebuild when a source changes
    and reload the open pages.  Stop with Ctrl-C."""
    from .commands.serve import Server

    try:  # an edition that does not build is reported, and served once it does
        server = Server(edition, out or edition / "build", port=port, allow_invalid=no_validate,
                        log=lambda m: click.echo(m, err=True))
    except build_mod.UsageError as exc:
        raise click.UsageError(str(exc)) from None
    except OSError as exc:
        raise click.UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from None
    server.start()
    click.echo(f"serving {server.site} at {server.url} (Ctrl-C to stop)", err=True)
    try:
        server.stop_event.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()

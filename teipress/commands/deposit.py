"""`teipress deposit`: the edition as a BagIt 1.0 bag (RFC 8493) and a reproducible zip.

The deposit validates and builds the edition afresh (commands/build.py, as `teipress
build` does) into its own staging folder, so a bag can never carry stale HTML or PDF.
Everything is written into a temporary folder beside the target and moved into place
only once the bag validates.

bagit-python computes the payload manifests and Payload-Oxum and validates the
result; teipress then rewrites the tag files it controls (bagit.txt as 1.0,
bag-info.txt in a fixed order with dates from SOURCE_DATE_EPOCH, manifests
sorted) so that two runs give the same bytes.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import textwrap
import time
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import bagit

from .. import __version__
from .. import config as config_mod
from ..edition import Edition
from ..outputs import records
from ..validation.diagnostics import Report
from . import build as build_mod
from . import output

ALGORITHMS = ("sha256", "sha512")
PAYLOAD_STAGES = ("tei", "pdf", "html")  # build folders that go into data/
ZIP_EPOCH_MIN = datetime(1980, 1, 1, tzinfo=timezone.utc)  # the zip format cannot say earlier


class DepositError(Exception):
    """The deposit could not be made; the message is for the editor."""


@dataclass
class DepositResult:
    bag: Path
    zip: Path
    payload_files: int
    payload_bytes: int
    zip_bytes: int
    seconds: float
    warnings: list[str] = field(default_factory=list)


# -- making a bag -------------------------------------------------------------------

def make_deposit(edition_dir: Path, out_dir: Path, log: Callable[[str], None] = lambda m: None,
                 warn: Callable[[str], None] = lambda m: None,
                 show: Callable[[Report, int], None] = lambda report, files: None) -> DepositResult:
    """Validate and build EDITION, bag it as OUT/<id>-<version>/ and zip it beside.

    Returns what was written.  Like build.build() it raises NotValid, ConfigError or
    UsageError for an edition it may not use, and show() gets the warnings of one it may;
    a failed build or an invalid record raises DepositError.  Nothing is written before the
    edition and its metadata records are found valid.
    """
    t0 = time.perf_counter()
    edition_dir = build_mod.edition_folder(edition_dir)
    config_mod.load(edition_dir)  # a bad edition.toml is said before any folder is made
    out_dir = output.prepare(out_dir)
    output.check_target(out_dir, edition_dir, _holds_deposits)
    md = warnings = None

    def check_records(model) -> None:  # before any stage: a bad record stops the build early
        nonlocal md, warnings
        md = model.metadata
        errors, warnings = records.check_records(md)
        if errors:
            raise DepositError("the metadata records derived from the TEI header are not valid:\n  "
                               + "\n  ".join(errors))

    # The deposit folder is replaced whole, like a build folder, and locked with the build
    # folder that holds it (build/deposit by default): a build would replace it under us.
    with output.locked(*build_mod.lock_targets(out_dir, edition_dir)):
        output.sweep(out_dir)
        staging = output.temp_folder(out_dir)  # removed whatever happens
        try:
            try:
                built = build_mod.build(edition_dir, staging / "build", check=check_records, show=show, log=log,
                                        lock=False)
            except build_mod.BuildError as exc:
                raise DepositError(f"the build failed: {exc}") from None
            when = built.model.build_time
            name = md.bag_name
            new_out = staging / "out"
            new_out.mkdir()
            bag_dir = new_out / name
            _stage_payload(built.edition, md, staging / "build", bag_dir, when, log)
            if not md.licence.url and not md.licence.text:
                warnings.append("the TEI header states no licence (publicationStmt/availability/licence): "
                                "archives usually require one")
            elif not md.licence.url:  # e.g. init's placeholder: words, but no licence an archive can record
                warnings.append("the TEI header's licence gives no licence address (licence/@target, e.g. "
                                "https://creativecommons.org/licenses/by/4.0/): archives usually require one")
            for w in warnings:
                warn(w)
            payload_files, payload_bytes = _make_bag(bag_dir, md, when)
            problems = check_bag(bag_dir).problems
            if problems:  # our own bag must pass our own check
                raise DepositError("the new bag does not validate: " + "; ".join(map(str, problems)))
            write_zip(bag_dir, new_out / f"{name}.zip", when)
            # Earlier deposits (other versions) in the folder stay; this version's bag and zip
            # replace their predecessors, both at once.
            output.carry_over(out_dir, new_out)
            output.replace(new_out, out_dir)
        finally:
            output.remove(staging)
    final_bag, final_zip = out_dir / name, out_dir / f"{name}.zip"
    return DepositResult(final_bag, final_zip, payload_files, payload_bytes, final_zip.stat().st_size,
                         time.perf_counter() - t0, warnings)


def _holds_deposits(folder: Path) -> bool:
    """An earlier deposit folder: bags (folders with bagit.txt) and zips."""
    return any(p.suffix == ".zip" or (p / "bagit.txt").is_file() for p in folder.iterdir())


def _stage_payload(ed: Edition, md, build_dir: Path, bag_dir: Path, when: datetime, log) -> None:
    """Lay out the built edition as the payload (still without data/: bagit moves it there)."""
    bag_dir.mkdir()
    for folder in PAYLOAD_STAGES:
        if not (build_dir / folder).is_dir():
            raise DepositError(f"the build made no {folder}/ folder")
        (build_dir / folder).rename(bag_dir / folder)
    for extra in sorted(p.name for p in build_dir.iterdir()):
        log(f"  not deposited: build/{extra}")
    shutil.rmtree(build_dir)
    records.write_records(md, bag_dir / "metadata")
    if (ed.root / "edition.toml").is_file():  # data/ is then an edition folder that rebuilds alike
        shutil.copyfile(ed.root / "edition.toml", bag_dir / "edition.toml")
    (bag_dir / "README.txt").write_text(readme(md, bag_dir, int(when.timestamp())), encoding="utf-8")


def _make_bag(bag_dir: Path, md, when: datetime) -> tuple[int, int]:
    """Turn the staged folder into a deterministic BagIt 1.0 bag; returns (files, bytes) of the payload."""
    files = sorted(p for p in bag_dir.rglob("*") if p.is_file())
    payload_bytes = sum(p.stat().st_size for p in files)
    _normalise_tree(bag_dir, None)
    info = bag_info(md, when, payload_bytes, len(files))
    cwd = os.getcwd()
    try:  # make_bag changes into the bag folder and back; keep ours whatever happens
        bag = bagit.make_bag(str(bag_dir), bag_info=dict(info), checksums=list(ALGORITHMS), processes=1)
    except (bagit.BagError, OSError, RuntimeError) as exc:
        raise DepositError(f"bagit could not make the bag: {exc}") from None
    finally:
        os.chdir(cwd)
    info["Payload-Oxum"] = bag.info["Payload-Oxum"]
    expected = f"{payload_bytes}.{len(files)}"
    if info["Payload-Oxum"] != expected:
        raise DepositError(f"Payload-Oxum {info['Payload-Oxum']} differs from the staged payload {expected}")
    # bagit writes version 0.97, today's date and unsorted tag manifests: rewrite them.
    (bag_dir / "bagit.txt").write_bytes(b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    (bag_dir / "bag-info.txt").write_text(_tag_file(info), encoding="utf-8")
    for alg in ALGORITHMS:
        manifest = bag_dir / f"manifest-{alg}.txt"
        lines = sorted(manifest.read_text(encoding="utf-8").splitlines(), key=lambda l: l.split(" ", 1)[1])
        manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tag_files = sorted(p.name for p in bag_dir.iterdir() if p.is_file() and not p.name.startswith("tagmanifest-"))
    for alg in ALGORITHMS:
        lines = [f"{_digest(bag_dir / n, alg)}  {n}" for n in tag_files]
        (bag_dir / f"tagmanifest-{alg}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _normalise_tree(bag_dir, when)
    try:
        bagit.Bag(str(bag_dir)).validate(processes=1)
    except bagit.BagError as exc:
        raise DepositError(f"bagit does not accept the new bag: {exc}") from None
    return len(files), payload_bytes


def bag_info(md, when: datetime, payload_bytes: int, payload_files: int) -> dict[str, str]:
    """bag-info.txt fields, in the order they are written (RFC 8493 §2.2.2 reserved names)."""
    contact = next((a.name for a in md.contributors if a.role in ("Editor", "DataCurator")), "") or (
        md.contributors[0].name if md.contributors else md.publisher)
    info = {
        "Source-Organization": md.publisher or md.id,
        "Contact-Name": contact or md.id,
    }
    if md.contacts:
        info["Contact-Email"] = md.contacts[0]
    info.update({
        "External-Description": md.abstract or md.title,
        "External-Identifier": (f"doi:{md.doi}" if md.doi else md.bag_name),
        "Bagging-Date": when.strftime("%Y-%m-%d"),
        "Bag-Group-Identifier": md.id,
        "Bag-Size": human_size(payload_bytes),
        "Payload-Oxum": f"{payload_bytes}.{payload_files}",
        "Bag-Software-Agent": f"teipress {__version__} with bagit.py {bagit.VERSION}",
    })
    return info


def _tag_file(info: dict[str, str]) -> str:
    """Tag lines folded at 79 columns, continuation lines indented (RFC 8493 §2.2.2)."""
    out = []
    for key, value in info.items():
        value = " ".join(str(value).split())
        lines = textwrap.wrap(f"{key}: {value}", width=79, subsequent_indent="  ",
                              break_long_words=False, break_on_hyphens=False)
        out.extend(lines or [f"{key}:"])
    return "\n".join(out) + "\n"


def human_size(n: int) -> str:
    """Bag-Size as the RFC's examples write it: '260 GB', '1.2 MB' (decimal units)."""
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            return f"{int(size)} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{n} bytes"


def _digest(path: Path, alg: str) -> str:
    h = hashlib.new(alg)
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _normalise_tree(root: Path, when: datetime | None) -> None:
    """Fixed permissions (and times): the bag on disk is as reproducible as its zip."""
    stamp = when.timestamp() if when else None
    for p in sorted(root.rglob("*"), reverse=True):
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
        if stamp is not None:
            os.utime(p, (stamp, stamp))
    os.chmod(root, 0o755)
    if stamp is not None:
        os.utime(root, (stamp, stamp))


def write_zip(bag_dir: Path, zip_path: Path, when: datetime) -> None:
    """A byte-reproducible zip: sorted entries under <bag name>/, fixed times and modes, no extras."""
    stamp = max(when, ZIP_EPOCH_MIN).astimezone(timezone.utc)
    date_time = (min(stamp.year, 2107),) + stamp.timetuple()[1:6]
    files = sorted(p.relative_to(bag_dir).as_posix() for p in bag_dir.rglob("*") if p.is_file())
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for rel in files:
            info = zipfile.ZipInfo(f"{bag_dir.name}/{rel}", date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so that the modes below mean what they say
            info.external_attr = (0o100644 << 16)
            with open(bag_dir / rel, "rb") as fh:
                zf.writestr(info, fh.read(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    os.chmod(zip_path, 0o644)


# -- README.txt ----------------------------------------------------------------------

def readme(md, bag_dir: Path, epoch: int) -> str:
    """data/README.txt: what the deposit holds and how to use it, from the metadata."""
    def count(folder: str, pattern: str = "*") -> int:
        return sum(1 for p in (bag_dir / folder).rglob(pattern) if p.is_file())

    def para(text: str, indent: str = "") -> str:
        return textwrap.fill(" ".join(text.split()), width=72, initial_indent=indent,
                             subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)

    title = f"{md.title} (version {md.version})"
    out = [title, "=" * min(len(title), 72), ""]
    out.append(para(f"Cite as: {md.citation(datetime.fromtimestamp(epoch, tz=timezone.utc).strftime('%Y-%m-%d'))}"))
    out.append("")
    if md.abstract:
        out += [para(md.abstract), ""]
    people = [f"{a.name} ({a.resp or a.role})" for a in md.contributors]
    if md.creators:
        out.append(para("Author: " + "; ".join(a.name for a in md.creators)))
    if people:
        out.append(para("Contributors: " + "; ".join(people)))
    if md.funders:
        out.append(para("Funded by: " + "; ".join(md.funders)))
    a = md.archival
    if a is not None and a.title:
        # where the text comes from, with the source's own credits (never the edition's)
        record = ", ".join(x for x in (a.archive, f"document {a.idno}" if a.idno else "", a.url) if x)
        out.append(para(f"Source: {a.title}" + (f" ({record})" if record else "")
                        + (f"; its record credits the support of {', '.join(a.funders)}" if a.funders else "")))
    if md.source is not None and md.source.title:
        out.append(para("Printed original: " + md.source.citation))
    if md.identifiers:
        out.append(para("Identifiers: " + "; ".join(f"{i.value} ({i.type})" for i in md.identifiers)))
    out += ["", "Contents", "--------", ""]

    def item(name: str, text: str) -> None:
        out.extend([name, para(text, "    "), ""])

    tei_docs = sorted(p.name for p in (bag_dir / "tei").glob("*.xml"))
    item("tei/", f"The TEI P5 sources as validated: {len(tei_docs)} XML files ({', '.join(tei_docs)}), "
         "with the project's XML Schema (XSD 1.1) in tei/schema/. This is the authoritative text of "
         "the edition; everything else in this deposit is generated from it.")
    if (bag_dir / "edition.toml").is_file():
        item("edition.toml", "The edition's settings for teipress (TOML).")
    pdfs = sorted((bag_dir / "pdf").rglob("*.pdf"))
    item("pdf/", f"The print edition: {len(pdfs)} PDF file(s), {_pdf_kind(pdfs)}.")
    item("html/", f"The static HTML5 edition ({count('html', '*.html')} pages, {count('html')} files). "
         "Open html/index.html in a web browser: it needs no server and no network.")
    from ..model.paths import CMIF_FILE
    if (bag_dir / "html" / CMIF_FILE).is_file():  # an edition of letters
        item(f"html/{CMIF_FILE}", "The letters' senders, recipients, places and dates in the Correspondence "
             "Metadata Interchange Format (CMIF: TEI XML, as correspSearch harvests it).")
    item("metadata/", "Descriptions of this edition, all derived from the TEI header: "
         f"datacite.xml (DataCite Metadata Schema {records.DATACITE_VERSION}, XML); "
         "dublin-core.xml (Dublin Core in the OAI-PMH oai_dc format); "
         f"CITATION.cff (Citation File Format {records.CFF_VERSION}, YAML); "
         "zenodo.json (Zenodo deposition metadata, JSON as the REST API takes it).")
    item("README.txt", "This file (UTF-8 plain text).")
    out += ["Rebuilding", "----------", ""]
    out.append(para(f"The HTML and PDF outputs can be rebuilt from tei/ with teipress {__version__} "
                    "(Python 3.11 or later): install it, then, in this data/ folder, run"))
    out += ["", f"    export SOURCE_DATE_EPOCH={epoch}", "    teipress validate .",
            "    teipress build . --out rebuilt", ""]
    out.append(para("With that SOURCE_DATE_EPOCH (the build time of this deposit) the rebuilt "
                    "files are byte-identical to those deposited here. The bag's manifests "
                    "(SHA-256 and SHA-512) let any BagIt tool verify that nothing has changed, "
                    "e.g. teipress deposit --check <bag folder>."))
    out += ["", "Licence", "-------", ""]
    if md.licence.text or md.licence.url:
        out.append(para(md.licence.text or md.licence.name))
        if md.licence.url:
            out.append(para(f"Licence: {md.licence.name or md.licence.url} <{md.licence.url}>"))
    else:
        out.append(para("The TEI header states no licence."))
    for note in md.source_rights + md.rights_notes:  # a reproduced source's own terms
        out += ["", para(note)]
    return "\n".join(out).rstrip() + "\n"


def _pdf_kind(pdfs: list[Path]) -> str:
    """'PDF/A-3b with the TEI source embedded', read from the files themselves."""
    import re

    if not pdfs:
        return "none"
    data = pdfs[0].read_bytes()
    part = re.search(rb"pdfaid:part(?:>|=\")(\d)", data)
    level = re.search(rb"pdfaid:conformance(?:>|=\")([ABUabu])", data)
    kind = f"PDF/A-{part.group(1).decode()}{level.group(1).decode().lower() if level else ''}" if part else "PDF"
    if b"/EmbeddedFiles" in data:
        kind += " with the TEI source embedded"
    return kind


# -- checking a bag --------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    path: str  # relative to the bag, POSIX
    what: str  # "missing", "extra", "altered", "invalid"
    detail: str = ""
    line: int = 0  # in a tag file, where one is known

    def __str__(self) -> str:
        return f"{self.path}: {self.what}" + (f" ({self.detail})" if self.detail else "")


@dataclass
class CheckReport:
    bag: Path
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: int = 0


def _undecodable(tag: Path) -> Problem | None:
    """A tag file that is not UTF-8 text (RFC 8493 §2.1.1: bagit.txt is UTF-8, the others
    as it declares; teipress and bagit read them all as UTF-8)."""
    try:
        data = tag.read_bytes()
    except OSError as exc:
        return Problem(tag.name, "invalid", f"cannot be read: {exc.strerror}")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return Problem(tag.name, "invalid", f"not UTF-8 text (byte {exc.start + 1}): a binary or damaged tag file",
                       line)
    if b"\x00" in data:
        return Problem(tag.name, "invalid", "contains NUL bytes: a binary or damaged tag file",
                       data.count(b"\n", 0, data.index(b"\x00")) + 1)
    return None


def check_bag(path: Path) -> CheckReport:
    """Completeness and fixity of a bag: every missing, extra or altered file, not just the first."""
    path = Path(path)
    report = CheckReport(path)
    if not path.is_dir():
        report.problems.append(Problem(".", "invalid", f"'{path}' is not a folder"))
        return report
    if not (path / "bagit.txt").is_file():
        report.problems.append(Problem("bagit.txt", "missing", "this folder is not a BagIt bag"))
        return report
    # bagit reads the tag files as UTF-8 and fails with a traceback on anything else
    for tag in sorted(p for p in path.iterdir() if p.is_file() and p.suffix == ".txt"):
        problem = _undecodable(tag)
        if problem is not None:
            report.problems.append(problem)
    if report.problems:
        return report
    try:
        bag = bagit.Bag(str(path))
    except (bagit.BagError, ValueError, OSError) as exc:
        report.problems.append(Problem("bagit.txt", "invalid", str(exc)))
        return report
    if not (path / "data").is_dir():
        report.problems.append(Problem("data", "missing", "a bag needs a data/ folder"))
        return report
    if bag.version_info != (1, 0):
        report.warnings.append(f"BagIt-Version is {bag.tags.get('BagIt-Version')}, not 1.0")
    if not bag.algorithms:
        report.problems.append(Problem("manifest-*.txt", "missing", "the bag has no payload manifest"))
    on_disk = {p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()}
    listed = {k.replace(os.sep, "/"): v for k, v in bag.entries.items()}
    report.files = len([p for p in on_disk if p.startswith("data/")])
    for rel in sorted(listed):
        if rel not in on_disk:
            report.problems.append(Problem(rel, "missing", "listed in the manifest but not in the bag"))
    manifests = {p for p in on_disk if "/" not in p and p.startswith(("manifest-", "tagmanifest-"))}
    for rel in sorted(on_disk - set(listed) - manifests - {"bagit.txt"}):
        if rel.startswith("data/"):
            report.problems.append(Problem(rel, "extra", "in the payload but in no manifest"))
        else:  # RFC 8493 allows tag files outside the tag manifests; say so all the same
            report.warnings.append(f"{rel}: a tag file that no tag manifest covers")
    for rel in sorted(set(listed) & on_disk):
        for alg, expected in sorted(listed[rel].items()):
            found = _digest(path / rel, alg)
            if found != expected.lower():
                report.problems.append(Problem(rel, "altered", f"{alg} differs from the manifest"))
                break
    oxum = bag.info.get("Payload-Oxum")
    if isinstance(oxum, str) and not report.problems:
        size = sum((path / p).stat().st_size for p in on_disk if p.startswith("data/"))
        if oxum != f"{size}.{report.files}":
            report.problems.append(Problem("bag-info.txt", "invalid",
                                           f"Payload-Oxum {oxum} but the payload is {size}.{report.files}"))
    if not report.problems:  # bagit has the last word on what we did not think of
        try:
            bag.validate(processes=1)
        except (ValueError, OSError) as exc:
            report.problems.append(Problem(".", "invalid", f"{type(exc).__name__}: {exc}"))
        except bagit.BagError as exc:
            details = getattr(exc, "details", None) or []
            report.problems += [Problem(".", "invalid", str(d)) for d in details] or [
                Problem(".", "invalid", str(exc))]
    return report

"""The PDF stage: one archival PDF/A-3 book per TEI document, typeset with Typst.

Typst never sees TEI as markup.  For each document a private folder is filled
with the template (``teipress/typst/``), the behaviour model of the text
(``model.xml``, read with Typst's ``xml()``), the front/back-matter data
(``data.json``) and the files to attach; Typst's root is that folder, so the
template can read nothing else, and system fonts are ignored so the output is
the same on every machine.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lxml import etree

from .commands.build import BuildContext, BuildError
from .edition import Edition, TeiFile
from . import pdfdata

TEMPLATE_DIR = Path(__file__).parent / "typst"
MAIN = "edition.typ"
# PDF/A-3a (tagged, accessible archival PDF; A-3 allows attachments) and PDF/UA-1.
STANDARDS = ["a-3a", "ua-1"]
# Typst's own fonts cover Latin, Greek and Cyrillic.  For anything else (CJK in
# other projects' TEI) the fallback font of Debian's fonts-droid-fallback, which
# scripts/install-system-deps.sh installs; PDF/A forbids missing glyphs.
FALLBACK_FONT_DIRS = [Path("/usr/share/fonts/truetype/droid")]


def font_paths() -> list[str]:
    return [str(d) for d in FALLBACK_FONT_DIRS if d.is_dir()]


def behaviour_root(ed: Edition, doc: TeiFile):
    """The behaviour model of *doc* (shared with the HTML edition), as an element."""
    from lxml import etree

    from . import model

    tree = model.behaviour(ed, doc)
    return tree.getroot() if isinstance(tree, etree._XSLTResultTree | etree._ElementTree) else tree


def attachments(ed: Edition, doc: TeiFile) -> list[tuple[Path, dict]]:
    """The document's TEI source, and the registers it points into, as associated files."""
    files = [(doc.path, {"name": Path(doc.rel).name, "relationship": "source",
                         "description": f"TEI P5 source of this edition ({doc.rel})"})]
    names = {Path(doc.rel).name}
    for reg in ed.registers:
        name = Path(reg.rel).name
        if name in names:
            continue
        if any(ptr.split("#")[0].endswith(name) for ptr in _pointers(doc)):
            names.add(name)
            files.append((reg.path, {"name": name, "relationship": "supplement",
                                     "description": f"TEI P5 register referred to by the source ({reg.rel})"}))
    return files


def _pointers(doc: TeiFile):
    for el in doc.root.iter():
        if isinstance(el.tag, str):
            for attr in ("ref", "who", "corresp"):
                val = el.get(attr)
                if val:
                    yield from val.split()


def prepare(ctx: BuildContext, doc: TeiFile, workdir: Path) -> None:
    """Fill *workdir* with exactly what the template needs, and nothing else."""
    for p in TEMPLATE_DIR.glob("*.typ"):
        shutil.copyfile(p, workdir / p.name)
    att = attachments(ctx.edition, doc)
    (workdir / "files").mkdir()
    for src, meta in att:
        shutil.copyfile(src, workdir / "files" / meta["name"])
    model_root = behaviour_root(ctx.edition, doc)
    data = pdfdata.document_data(ctx.edition, doc, model_root, ctx.edition_version, ctx.build_time,
                                 [m for _, m in att])
    data["tool_version"] = ctx.tool_version
    (workdir / "data.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    (workdir / "model.xml").write_bytes(etree.tostring(model_root, encoding="utf-8", xml_declaration=True))


def compile_pdf(workdir: Path, build_time, log=lambda m: None) -> bytes:
    import typst

    try:
        pdf, warnings = typst.compile_with_warnings(
            str(workdir / MAIN), root=str(workdir), format="pdf",
            font_paths=font_paths(), ignore_system_fonts=True,
            pdf_standards=STANDARDS, timestamp=int(build_time.timestamp()),
        )
    except typst.TypstError as exc:  # the message is Typst's, the hints say where
        hints = "; ".join(getattr(exc, "hints", []) or [])
        message = str(getattr(exc, "message", exc))
        if "could not be displayed" in message and not font_paths():
            hints = (hints + "; " if hints else "") + ("no font covers these characters: install "
                     "fonts-droid-fallback (make system-deps) for CJK")
        raise BuildError(f"Typst could not typeset the PDF: {message}"
                         + (f" ({hints})" if hints else "")) from None
    for w in warnings:  # e.g. a character no embedded font covers
        log(f"    pdf warning: {getattr(w, 'message', w)}")
    return pdf


def build_document(ctx: BuildContext, doc: TeiFile, target: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="teipress-pdf-") as tmp:
        work = Path(tmp)
        prepare(ctx, doc, work)
        try:
            pdf = compile_pdf(work, ctx.build_time, ctx.log)
        except BuildError as exc:
            raise BuildError(f"{doc.rel}: {exc}") from None
    partial = target.with_name(f".{target.name}.part")
    partial.write_bytes(pdf)
    os.replace(partial, target)  # never a half-written PDF under the final name


def build(ctx: BuildContext) -> None:
    out = ctx.out / "pdf"
    out.mkdir(parents=True, exist_ok=True)
    docs = ctx.edition.documents

    def one(doc: TeiFile) -> None:
        ctx.log(f"    pdf {doc.id}")
        build_document(ctx, doc, out / f"{doc.id}.pdf")

    # Typst runs outside the GIL, so documents typeset side by side on threads
    # (each in its own sandbox folder; the PDFs do not depend on the order).
    workers = min(len(docs), int(os.environ.get("TEIPRESS_JOBS") or 0) or os.cpu_count() or 1)
    if workers <= 1:
        for doc in docs:
            one(doc)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for _ in pool.map(one, docs):
            pass

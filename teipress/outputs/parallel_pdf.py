"""Facing pages: a PDF of an original beside its translation (teipress/typst/parallel.typ).

The original on the versos (left), the translation on the rectos (right), unit by unit as
teipress.model.parallel aligns them: each spread holds the same units on both pages, so the
two texts never drift apart.  Like every PDF of the edition, Typst reads the text as data
(``model.xml``: one ``m:unit`` per unit, holding each text's cut as an ``m:text``) and the
facts of the title page from ``data.json``; both TEI sources are attached.
"""
from __future__ import annotations

import copy
import json
import os
import tempfile
from pathlib import Path

from lxml import etree

from ..commands.build import BuildContext, BuildError
from ..model import MODEL_NS, citation, dates, parallel as parallel_model, text
from . import pdf, pdf_depth

MT = "{%s}" % MODEL_NS
MAIN = "parallel.typ"
# The book of one document: its driver and its front and back matter; facing pages have their own.
BOOK_ONLY = {"edition.typ", "front.typ", "back.typ"}


def model_xml(pair: parallel_model.Pair) -> str:
    root = etree.Element(MT + "parallel", nsmap={"m": MODEL_NS})
    for u in pair.units:
        unit = etree.SubElement(root, MT + "unit", key=u.key, anchor=u.anchor)
        for role in ("original", "translation"):
            doc = getattr(pair, role)
            side = etree.SubElement(unit, MT + "text", side=role, lang=doc.language)
            cut = getattr(u, role)
            if cut is not None:  # copies: the HTML stage reads the same cuts
                side.extend(copy.deepcopy(c) for c in cut)
    # nesting deeper than Typst's calls allow: runs of text, as in a document's own PDF (pdf_depth)
    root, _ = pdf_depth.shallow(root)
    return etree.tostring(root, encoding="unicode")


def data(ctx: BuildContext, pair: parallel_model.Pair, attached: list[dict]) -> dict:
    em = ctx.model
    sides = {}
    for role in ("original", "translation"):
        doc = getattr(pair, role)
        sides[role] = {"id": doc.id, "title": doc.title, "lang": doc.language,
                       "citation": citation.suggested(citation.record(em, doc)),
                       "divs": doc.division_dates(),
                       "heads": {h.get("id"): text.plain(h) for h in doc.model.getroot().iter(MT + "heading")
                                 if h.get("id")}}
    authors = [a.name for a in pair.translation.info.authors] or [a.name for a in pair.original.info.authors]
    return {"edition_title": em.title, "version": em.version, "build_date": em.build_date,
            "build_date_label": dates.label(em.build_date), "tool_version": ctx.tool_version,
            "units": len(pair.units), "method": pair.method, "authors": authors,
            "original": sides["original"], "translation": sides["translation"], "attachments": attached}


def prepare(ctx: BuildContext, pair: parallel_model.Pair, workdir: Path) -> None:
    for p in pdf.TEMPLATE_DIR.glob("*.typ"):
        if p.name not in BOOK_ONLY:
            pdf.place(p, workdir / p.name)
    (workdir / "files").mkdir()
    attached = []
    for role in ("original", "translation"):
        doc = getattr(pair, role)
        name = Path(doc.file.rel).name
        if name in {a["name"] for a in attached}:
            name = f"{role}-{name}"
        pdf.place(doc.file.path, workdir / "files" / name)
        attached.append({"name": name, "relationship": "source",
                         "description": f"TEI P5 source of the {role} ({doc.file.rel})"})
    facts = json.dumps(data(ctx, pair, attached), ensure_ascii=False, indent=1)
    model = model_xml(pair)
    swap = {}
    for doc in (pair.original, pair.translation):  # a character no font has: a white square, said once
        swap.update(pdf.replace_uncovered(ctx, doc, facts + model))
    (workdir / "data.json").write_text(facts.translate(swap), encoding="utf-8")
    (workdir / "model.xml").write_text('<?xml version="1.0" encoding="utf-8"?>\n' + model.translate(swap),
                                       encoding="utf-8")


def build_pair(ctx: BuildContext, pair: parallel_model.Pair) -> None:
    """Typeset one pair into build/pdf/; a failure is the translation's (its page links the PDF)."""
    target = ctx.out / pair.pdf
    with tempfile.TemporaryDirectory(prefix="teipress-pdf-", dir=ctx.scratch) as tmp:
        work = Path(tmp) / "root"
        work.mkdir()
        prepare(ctx, pair, work)
        try:
            out = pdf.compile_pdf(work, ctx.build_time, ctx.log, main=MAIN, cache=ctx.cache)
        except BuildError as exc:
            return ctx.document_failed(pair.translation, f"the facing-pages PDF: {exc}")
    partial = target.with_name(f".{target.name}.part")
    partial.write_bytes(out)
    os.replace(partial, target)


def pairs(ctx: BuildContext) -> list[parallel_model.Pair]:
    try:
        return parallel_model.pairs(ctx.model, ctx.cache)
    except parallel_model.ParallelError as exc:
        raise BuildError(str(exc)) from None

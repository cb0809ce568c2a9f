"""The PDF stage: one archival PDF/A-3 book per TEI document, typeset with Typst.

Typst never sees TEI as markup.  For each document a private folder is filled
with the template (``teipress/typst/``), the behaviour model of the text
(``model.xml``, read with Typst's ``xml()``), the front/back-matter data
(``data.json``, a serialisation of the EditionModel's facts about the document)
and the files to attach; Typst's root is that folder, so the template can read
nothing else, and system fonts are ignored so the output is the same on every
machine.  Nothing here reads TEI: titles, dates, principles, index entries and
file names are the model's.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import multiprocessing
import os
import re
import shutil
import tempfile
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from lxml import etree

from .. import workers
from ..commands import cache as cache_mod, progress
from ..commands.build import BuildContext, BuildError, DocumentFailed, LeftOut, where_of
from ..model import M, MODEL_NS, citation, dates, images, registers, text
from ..model import volumes as volume_plan
from . import fonts, parallel_pdf, pdf_depth, pdf_locate, pdf_schedule, pdf_timeline, register_extract, typeset, volumes

MT = "{%s}" % MODEL_NS
TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "typst"
MAIN = "edition.typ"
# PDF/A-3a (tagged, accessible archival PDF; A-3 allows attachments) and PDF/UA-1.
STANDARDS = ["a-3a", "ua-1"]


class TypstFailed(BuildError):
    """Typst stopped with an error of its own (not for want of memory): the document's text
    may be where it happened (outputs/pdf_locate.py finds the element)."""


def font_paths() -> list[str]:
    """Typst's own fonts cover Latin, Greek, Cyrillic and Hebrew; every other script is set in
    the Noto fonts of two pinned PyPI packages that `make` installs (teipress.outputs.fonts)."""
    return [str(d) for d in fonts.font_dirs()]


def attachments(em, doc) -> list[tuple[Path | bytes, dict]]:
    """The document's TEI source, and for each register it refers to (by any pointer style) an
    extract holding the entries it refers to (outputs/register_extract.py), as associated files:
    each a path to place in the sandbox, or the bytes to write there.  Not the whole register:
    Typst compressed a register of megabytes again for every letter naming one of its persons."""
    files: list[tuple[Path | bytes, dict]] = [
        (doc.file.path, {"name": Path(doc.file.rel).name, "relationship": "source",
                         "description": f"TEI P5 source of this edition ({doc.file.rel})"})]
    taken = {Path(doc.file.rel).name}
    for x in register_extract.extracts(em, doc, taken):
        files.append((x.data, {"name": x.name, "relationship": "supplement", "description": x.description}))
    return files


def index_entries(em, doc) -> dict:
    """Register entries the document's names link to, sorted, for the two back-matter
    indexes; keyed by the anchors the text's mentions carry, so index and pages agree."""
    seen: dict[str, dict] = {}
    body = doc.model.getroot().find(MT + "text")
    for name in (body.iter(MT + "name") if body is not None else ()):
        for anchor in (name.get("ref") or "").split():
            e = em.entries.get(anchor)
            if e is not None and anchor not in seen:
                label, sort = registers.index_label(e.entry)
                seen[anchor] = {"key": anchor, "kind": e.kind, "label": label, "sort": sort.casefold(),
                                "dates": e.dates if e.kind in ("person", "event") else "",
                                "description": e.description,
                                "sources": [x.text or x.url for x in e.sources],
                                # the offices held at the dates of this document's records
                                "then": [{"date": ", ".join(dates.label(x) for x in w), "offices": o}
                                         for w, o in e.offices_by_date(doc.id)] if e.kind == "person" else []}
    recs = sorted(seen.values(), key=lambda r: (r["sort"], r["key"]))
    out = {"persons": [r for r in recs if r["kind"] == "person"],
           "places": [r for r in recs if r["kind"] == "place"],
           "organisations": [r for r in recs if r["kind"] == "org"],
           "events": [r for r in recs if r["kind"] == "event"]}
    # "CPSU, see Communist Party of the Soviet Union": the other names of the entries indexed
    out["see"] = {k: registers.cross_references([em.entries[r["key"]] for r in v]) for k, v in out.items()}
    return out


def running_title(root, title: str) -> str:
    """A short title for the running heads: title[@type='short'], else the main title up to its colon."""
    short = text.plain(root.find("m:metadata/m:title[@type='short']", M))
    if short:
        return short
    head = title.split(":")[0].strip()
    return head if len(head) <= 90 else head[:88].rsplit(" ", 1)[0] + " …"


def title_runs(root, title: str) -> list[dict]:
    """The header's main title as runs of roman and italic text, a title within it (a book's) in
    italics as on the web page; [] when that title is not the document's title."""
    el = root.find("m:metadata/m:title[@type='main']", M)
    if el is None:
        return []
    runs = [{"text": el.text or "", "italic": False}]
    for kid in el:
        italic = kid.get("tei") in ("title", "foreign") or kid.get("style") in ("title", "italic")
        runs += [{"text": "".join(kid.itertext()), "italic": italic}, {"text": kid.tail or "", "italic": False}]
    runs = [r for r in runs if r["text"]]
    same = " ".join("".join(r["text"] for r in runs).split()) == " ".join(title.split())
    return runs if same and any(r["italic"] for r in runs) else []


def title_page(info) -> dict:
    """Title page and imprint facts of a document, from its header as the model read it."""
    licence_url, licence = info.licence
    resp = {}
    for cr in info.credited("resp"):
        resp.setdefault(cr.agent.resp, []).append(cr.agent.name)
    archival = next((s for s in info.sources if s.type == "archival"), None)
    book = next((s for s in info.sources if s.type == "book"), None)
    return {
        "title": info.title,
        "subtitle": info.subtitle,
        "authors": [a.name for a in info.authors],
        "editors": [cr.agent.name for cr in info.credited("editor")],
        "resp": [{"role": role, "names": names} for role, names in resp.items()],
        "funders": info.funders,
        "edition": info.edition,
        "publisher": info.publisher,
        "pub_date": info.pub_date_text,
        "idno": next((v for _t, v in info.idnos if v), ""),
        "licence": licence,
        "licence_url": licence_url,
        # rights per part: the sources' own terms after the edition's licence
        "availability": [text for _src, text in info.source_licences] + list(info.availability),
        "source": {"title": archival.titles[0].text if archival.titles else "", "date": archival.date_text,
                   "publisher": archival.publisher, "idno": archival.idnos[0][1] if archival.idnos else "",
                   "url": archival.urls[0] if archival.urls else "",
                   # the source's own funders: credited to the source, never as the edition's
                   "funders": archival.funders} if archival else {},
        # a transcription of the archive's own citation: as the source gives it (its staging
        # address and misprints included); the corrected address is the source record's
        "source_citation": info.citations_as_given[0] if info.citations_as_given else "",
        "book": book.citation if book else "",
        "source_plain": [] if (archival or book) else [s.citation for s in info.sources if s.citation],
        # the editors' summary (a source's own summary only when there is no other)
        "abstract": ([t for whose, t in info.abstracts if whose != "source"] or list(info.abstract))[:1],
        "creation": info.creation,
        "keywords": list(info.keywords),
    }


def foreign_phrases(root, language: str) -> list[dict]:
    """Phrases of the header in another language than the document's (a book's title in
    Russian, its transliteration): the title page and imprint print the header as plain strings,
    so these tell Typst which words to tag with their language (PDF /Lang)."""
    primary = (language or "").split("-")[0].lower()
    seen, out = set(), []
    for el in root.iterfind("m:metadata//*[@lang]", M):
        phrase, lang = text.plain(el), el.get("lang", "")
        if phrase and lang.split("-")[0].lower() != primary and phrase not in seen:
            seen.add(phrase)
            out.append({"text": phrase, "lang": lang})
    return out


def letter_head(doc) -> dict | None:
    """A letter's head line (who to whom, sent from where and when, received where and when),
    as the model reads its correspDesc (teipress.model.correspondence); None for other documents."""
    letter = doc.correspondence
    if letter is None:
        return None
    return {"summary": letter.summary, "sent": letter.sent_line, "received": letter.received_line}


def metadata_description(abstract: list[str], md) -> str:
    """The PDF's description (Info /Subject and XMP dc:description): the summary, then who
    translated the text and the rights of each part.  Typst's document metadata has no field
    for contributors or rights (0.15: title, author, description, keywords, date), so the one
    free-text field says them in words, as the imprint does; the deposit records give them as
    fields (DataCite contributor and rights, DC contributor and rights)."""
    parts = list(abstract[:1])
    translators = [a.name for a in md.contributors if a.role == "Translator"] if md is not None else []
    if translators:
        names = ", ".join(translators[:-1]) + " and " + translators[-1] if len(translators) > 1 else translators[0]
        parts.append(f"Translated by {names}.")
    if md is not None:
        parts += [md.licence.text] + list(md.source_rights) + list(md.rights_notes)
    seen: list[str] = []
    for p in (" ".join(p.split()) for p in parts):
        if p and p not in seen:
            seen.append(p)
    return " ".join(seen)


def document_data(ctx: BuildContext, doc, attached: list[dict]) -> dict:
    em = ctx.model
    root = doc.model.getroot()
    h = title_page(doc.info)
    h["title_runs"] = title_runs(root, h["title"])
    return {
        "id": doc.id,
        "lang": doc.language,
        "edition_title": em.title,
        "running_title": running_title(root, doc.title),
        "header": h,
        "foreign": foreign_phrases(root, doc.language),
        # who the PDF's metadata (XMP dc:creator) names: the authors, else the editors (never the
        # author of a printed source, who did not write the editors' title)
        "creators": [a.name for a in doc.meta.responsible],
        "description": metadata_description(h["abstract"], doc.meta),
        "version": em.version,
        "build_date": em.build_date,
        "build_date_label": dates.label(em.build_date),
        # the same suggested citation as the document's page (teipress.model.citation)
        "citation": citation.suggested(citation.record(em, doc)),
        # the editorial principles as the header reading gives them (headed as on the HTML page)
        "principles": [{"title": p.label or p.name, "paras": list(p.paragraphs)}
                       for p in doc.info.principles if p.paragraphs],
        "index": index_entries(em, doc),
        "divs": doc.division_dates(),
        # every heading's plain text, for the contents and the bookmarks
        "heads": {h.get("id"): text.plain(h) for h in root.iter(MT + "heading") if h.get("id")},
        "attachments": attached,
        "tool_version": ctx.tool_version,
        "letter": letter_head(doc),
    }


def prepare(ctx: BuildContext, doc, workdir: Path, model=None, volume: dict | None = None,
            attach: bool = True, shared: dict | None = None) -> None:
    """Fill *workdir* with exactly what the template needs, and nothing else.  For one volume of
    a long document (teipress.outputs.volumes): *model*, the volume's part of the behaviour
    model, *volume*, what the template needs to know of the other volumes, *attach*: whether
    this volume carries the attachments, and *shared*, a dictionary kept from one volume to the
    next for the facts of the whole document (made once, not once a volume)."""
    for p in TEMPLATE_DIR.glob("*.typ"):
        if p.name != parallel_pdf.MAIN:  # the facing pages' own template (outputs/parallel_pdf.py)
            place(p, workdir / p.name)
    att = attachments(ctx.model, doc) if attach else []
    (workdir / "files").mkdir()
    for src, meta in att:
        if isinstance(src, bytes):
            (workdir / "files" / meta["name"]).write_bytes(src)
        else:
            place(src, workdir / "files" / meta["name"])
    if shared is None:
        data = document_data(ctx, doc, [m for _, m in att])
    else:  # (a copy: the volume's own keys go into it below)
        if "data" not in shared:
            shared["data"] = document_data(ctx, doc, [])
        data = dict(shared["data"], attachments=[m for _, m in att])
    data["images"] = copy_images(ctx, doc, workdir)
    if volume is not None:
        data["volume"] = volume
    # whether the text has a critical apparatus: the template looks for its anchors in one walk
    # over every node of the model, which a text without one need not pay for
    data["apparatus"] = (doc.model.getroot() if model is None else model).find(".//m:app", M) is not None
    model, flattened = pdf_depth.shallow(doc.model.getroot() if model is None else model)
    if flattened:
        line, col = pdf_locate.position(doc.file, pdf_depth.first_deep(doc.file.root))
        ctx.log(f"  {where_of(doc.file.path)}:{line}:{col}: warning: elements nested more than "
                f"{pdf_depth.MAX_DEPTH} deep; in the PDF {flattened} of them are typeset as runs of text "
                "(phrases' formatting combined, structures dissolved into their words)")
    model, data["margin_chunks"] = number_page_breaks(model)
    data = json.dumps(data, ensure_ascii=False, indent=1)
    swap = replace_uncovered(ctx, doc, data + model)
    if swap:  # (str.translate walks the whole text even with nothing to replace: 0.2 s for a book)
        data, model = data.translate(swap), model.translate(swap)
    (workdir / "data.json").write_text(data, encoding="utf-8")
    (workdir / "model.xml").write_text('<?xml version="1.0" encoding="utf-8"?>\n' + model, encoding="utf-8")


# Source page breaks to a group of the margin's marks (margin.typ): each page's background looks
# up its page numbers among the groups around its page, not among all the marks of the text.
MARGIN_GROUP = 32
# A text keeps all its marks in one list when it has marks the margin places by themselves
# (margin.typ outer-label: they stack with the page numbers in the order of the text), or page
# breaks printed elsewhere than in the order of the text (in a note, a reading of the apparatus
# or of a correction, a heading the contents repeat): the groups hold marks in the text's order.
ONE_LIST = (".//m:note[@placement='margin'] | .//m:inline[@style='forme-work'] | .//m:page-break"
            "[ancestor::m:note or ancestor::m:app or ancestor::m:alternate or ancestor::m:heading]")


def number_page_breaks(root) -> tuple[str, int]:
    """The model serialised, each source page break given its group of MARGIN_GROUP in document
    order (group="0" …, and group-opens="true" on the first of each group), and the number of
    groups (0: none, all marks in one list).  Done on the way out, so the model itself, which
    the other outputs read, is not changed.  Why: each page's background found its page numbers
    in a list of every mark of the text, and Typst hashes the whole answer of a query each time
    it is asked, so a 900-page volume paid pages x marks, about a twentieth of its time."""
    out = etree.tostring(root, encoding="unicode")
    if root.xpath(ONE_LIST, namespaces=M):
        return out, 0
    prefix = root.prefix
    tag = f"<{prefix}:page-break" if prefix else "<page-break"
    count = 0

    def group(m: re.Match) -> str:
        nonlocal count
        n, count = count, count + 1
        return f'{m.group(0)} group="{n // MARGIN_GROUP}"' + (' group-opens="true"' if n % MARGIN_GROUP == 0 else "")

    out = re.sub(re.escape(tag) + r"(?=[\s/>])", group, out)
    return out, -(-count // MARGIN_GROUP)


def place(src: Path, dest: Path) -> None:
    """A file into the sandbox: hard-linked where the file system allows (the same bytes, not a
    copy: every letter naming a register of megabytes attaches it), else copied."""
    try:
        os.link(src, dest)
    except OSError:
        shutil.copyfile(src, dest)


def copy_images(ctx: BuildContext, doc, workdir: Path) -> dict[str, str]:
    """Copy the images the document shows into the sandbox (images/1.png …, named by order, so
    that no file name from the TEI reaches Typst); returns the model's src → the copy.  An image
    the model marked missing (teipress.model.edition_model said so once) is not copied: its
    description stands in."""
    copies: dict[str, str] = {}
    for g in doc.model.getroot().iter(MT + "graphic"):
        src = g.get("src")
        if not src or g.get("missing") or src in copies:
            continue
        path = ctx.edition.tei_dir / src
        fmt = images.image_format(path)
        if fmt is None:
            continue
        (workdir / "images").mkdir(exist_ok=True)
        name = f"images/{len(copies) + 1}.{fmt}"
        place(path, workdir / name)
        copies[src] = name
    return copies


def replace_uncovered(ctx: BuildContext, doc, text_: str) -> dict[int, str]:
    """A character no font of the PDF covers would stop Typst (PDF/A has no .notdef glyph):
    it is printed as a white square instead, and said once per document with where it stands."""
    swap = {}
    for ch in fonts.uncovered(text_):
        swap[ord(ch)] = fonts.REPLACEMENT
        line = fonts.first_line(doc.file.root, ch)
        where = where_of(doc.file.path) + (f":{line}" if line else "")
        ctx.log(f"  {where}: warning: no font of the PDF has U+{ord(ch):04X} "
                 f"{unicodedata.name(ch, '')}; printed as {fonts.REPLACEMENT}")
    return swap


def compile_pdf(workdir: Path, build_time, log=lambda m: None, main: str = MAIN, key: str | None = None,
                cache=None, facts: Path | None = None, alone: bool = False, keep: bool = True) -> bytes:
    """Typeset the prepared *workdir*, in a child process with a memory limit (outputs/typeset.py);
    *key* (the document's id; by default data.json's) sends it back to the worker whose caches hold it.
    With an incremental build's *cache* (commands/cache.py), a folder typeset before (the same
    template, model, data, attachments and images, the same Typst and fonts) is not typeset again.
    *facts* and *alone*: see typeset.compile_pdf (a volume of a long document); the facts are
    cached beside the PDF."""
    if cache is not None:
        entry = cache_mod.digest(cache_mod.tool_fingerprint(), cache_mod.package_version("typst"), main,
                                 int(build_time.timestamp()), STANDARDS, font_paths(), cache_mod.folder_digest(workdir))
        made = cache.get("pdf", entry)
        known = cache.get("pdf-facts", entry) if facts is not None else b""
        if made is None or known is None:
            made = compile_pdf(workdir, build_time, log, main=main, key=key, facts=facts, alone=alone, keep=keep)
            cache.put("pdf", entry, made)
            if facts is not None:
                cache.put("pdf-facts", entry, facts.read_bytes())
        elif facts is not None:
            facts.write_bytes(known)
        return made
    result = workdir.parent / f"{workdir.name}.pdf"
    if key is None:
        try:
            key = json.loads((workdir / "data.json").read_text(encoding="utf-8")).get("id")
        except (OSError, ValueError, AttributeError):
            key = None
    try:
        warnings = typeset.compile_pdf(workdir / main, workdir, result, font_paths=font_paths(),
                                       standards=STANDARDS, timestamp=int(build_time.timestamp()), key=key,
                                       facts=facts, alone=alone, keep=keep)
    except typeset.OutOfMemory as exc:
        raise BuildError(exc.message) from None
    except typeset.TypesetError as exc:  # the message is Typst's, the hints say where
        hints = "; ".join(exc.hints)
        if "could not be displayed" in exc.message and not font_paths():
            hints = (hints + "; " if hints else "") + ("no font covers these characters: the font packages "
                     "manimgx-fonts and manimgx-fonts-cjk are missing (make installs them)")
        raise TypstFailed(f"PDF: {exc.message}" + (f" ({hints})" if hints else "")) from None
    for w in warnings:  # e.g. a character no embedded font covers
        log(f"    pdf warning: {w}")
    try:
        return result.read_bytes()
    finally:
        result.unlink()


def typeset_document(ctx: BuildContext, doc, work: Path, cache=None, keep: bool = True) -> bytes:
    """Prepare *doc* in the empty folder *work* and typeset it (BuildError when it cannot be);
    keep=False: in a Typst worker that ends with it (typeset.compile_pdf)."""
    prepare(ctx, doc, work)
    return compile_pdf(work, ctx.build_time, ctx.log, key=doc.id, cache=cache, keep=keep)


def build_document(ctx: BuildContext, doc, target: Path) -> None:
    """Typeset one document into *target* (a long one into volumes beside it: outputs/volumes.py);
    a failure goes to ctx.document_failed, at the TEI element being typeset when Typst failed
    (pdf_locate) when that can be found."""
    parts = volume_plan.plan(doc.model.getroot(), volume_plan.characters_per_volume(ctx.edition.config))
    if len(parts) > 1:
        return volumes.build(ctx, doc, parts)
    with tempfile.TemporaryDirectory(prefix="teipress-pdf-", dir=ctx.scratch) as tmp:
        work = Path(tmp) / "root"
        work.mkdir()
        try:
            pdf = typeset_document(ctx, doc, work, cache=ctx.cache)
        except TypstFailed as exc:
            ctx.log(f"    pdf {doc.id}: looking for the element Typst failed at")
            # each beginning in a worker of its own: one worker's caches would pile up every
            # beginning typeset (2.9 GB for a 1.3 MB book)
            at = pdf_locate.locate(ctx, doc, str(exc), functools.partial(typeset_document, keep=False))
            return ctx.document_failed(doc, str(exc), at=at)
        except BuildError as exc:
            return ctx.document_failed(doc, str(exc))
    partial = target.with_name(f".{target.name}.part")
    partial.write_bytes(pdf)
    os.replace(partial, target)  # never a half-written PDF under the final name


# Below this many documents the stage stays in this process (on threads, Typst in its workers):
# a fork costs next to nothing beside typesetting one document.
PARALLEL_FROM = 2


def build(ctx: BuildContext) -> None:
    pdf_timeline.event("begin")
    out = ctx.out / "pdf"
    out.mkdir(parents=True, exist_ok=True)
    docs = ctx.model.documents + parallel_pdf.pairs(ctx)
    typeset.reset()
    try:
        typeset.memory_limit()  # a wrong setting is said once, before any work
    except typeset.TypesetError as exc:
        raise BuildError(exc.message) from None

    # Without --keep-going a document that cannot be typeset fails the build, but only once
    # every document has been tried: one run reports every failure (compiler-style, in order).
    failed: dict[int, LeftOut] = {}
    if workers.forks(len(docs), PARALLEL_FROM) and not typeset.kept_warm():
        in_workers(ctx, docs, failed)
    else:
        on_threads(ctx, docs, failed)
    pdf_timeline.event("end")
    if failed:
        raise BuildError(f"{len(failed)} PDF(s) could not be typeset (--keep-going builds the other "
                         "documents and lists these):\n" + "\n".join(str(failed[i]) for i in sorted(failed)))


def build_one(ctx: BuildContext, doc) -> None:
    """One document's PDF (or an original beside its translation: its facing pages)."""
    if isinstance(doc, parallel_pdf.parallel_model.Pair):
        ctx.log(f"    pdf {doc.name}")
        return parallel_pdf.build_pair(ctx, doc)
    ctx.log(f"    pdf {doc.id}")
    build_document(ctx, doc, ctx.out / doc.paths.pdf)


def build_timed(ctx: BuildContext, docs: list, i: int, **where) -> None:
    """build_one of docs[i], with its times in the stage's timeline when one is asked for
    (outputs/pdf_timeline.py); *where*: its lane in the workers' plan, and whether it was
    taken from another lane's stretch (pdf_schedule.take)."""
    if not pdf_timeline.path():
        return build_one(ctx, docs[i])
    t0, cpu0, typst0 = time.time(), pdf_timeline.own_cpu(), typeset.child_cpu()
    try:
        build_one(ctx, docs[i])
    finally:
        pdf_timeline.write({"event": "document", "index": i, "pid": os.getpid(), "start": t0, "end": time.time(),
                            "cpu": pdf_timeline.own_cpu() - cpu0, "typst": typeset.child_cpu() - typst0,
                            "cost": cost(docs[i]), **where})


# What a PDF costs, roughly, counted in bytes of TEI: its text, and a fixed part for what every
# document has (title page, contents, imprint, indexes: about what 5 kB of text cost Typst).
# Facing pages cost three times their two texts (each unit is laid out on both pages and the
# longer side decides where the next begins): 7.0 s of Typst's CPU for a Latin text and its
# translation, which alone took 0.8 and 1.4 s.
FIXED_COST = 5_000
PAIR_FACTOR = 3


def cost(doc) -> int:
    """What a document's PDF costs, roughly (FIXED_COST, PAIR_FACTOR): the bytes of its TEI."""
    pair = isinstance(doc, parallel_pdf.parallel_model.Pair)
    total = 0
    for f in [doc.original.file, doc.translation.file] if pair else [doc.file]:
        try:
            total += os.path.getsize(f.path)
        except OSError:
            pass
    return FIXED_COST + total * (PAIR_FACTOR if pair else 1)


def shared_bytes(doc):
    """What a document shares all of with another (pdf_schedule.units): its TEI's bytes (and its
    place in the file, for a TEI of a corpus file); None for facing pages or bytes not known."""
    if isinstance(doc, parallel_pdf.parallel_model.Pair) or not getattr(doc.file, "digest", ""):
        return None
    return doc.file.digest, doc.file.n


def schedule(docs: list, processes: int) -> pdf_schedule.Plan:
    """Which worker typesets which documents, and in what order (outputs/pdf_schedule.py)."""
    return pdf_schedule.plan([cost(doc) for doc in docs], [shared_bytes(doc) for doc in docs], processes)


def in_workers(ctx: BuildContext, docs: list, failed: dict[int, LeftOut]) -> None:
    """Each document's whole job, preparation (Python) and typesetting (its worker's Typst
    child), in forked worker processes, one per core: prepared on threads of this process, the
    preparation of every document shared one core (the GIL) with the Typst processes.  A
    worker's log lines, failure and use of the cache come back with its result and are
    applied here, so the build is the one a single process makes."""
    def one(i: int, **where):
        said: list[str] = []
        mine = dataclasses.replace(ctx, log=said.append, keep_going=True, left_out=[],
                                   cache=ctx.cache.branch() if ctx.cache is not None else None)
        build_timed(mine, docs, i, **where)
        used = (mine.cache.used, mine.cache.hits, mine.cache.misses) if mine.cache is not None else None
        return said, mine.left_out, used

    def job(_):
        """One document of the plan (each call takes one, so every document is taken once): the
        next of this worker's own stretch, or, when that is done, one from the far end of another's."""
        global _lane
        forked = os.getpid() != stage
        if forked:
            typst_ends_with_worker()
        with ends.get_lock():
            if _lane[0] != os.getpid():  # this worker's first job: it owns the next lane
                _lane = (os.getpid(), claimed.value)
                claimed.value += 1
            i, stolen = pdf_schedule.take(plan, ends, _lane[1])
        try:
            return i, one(i, lane=_lane[1], stolen=stolen)
        except BaseException:
            typeset.cancel_all()  # this worker's Typst children (an interruption)
            raise
        finally:
            if forked and pdf_schedule.done(ends):  # no document is left for this worker: its
                typeset.close()                      # Typst child ends now, while the others work
                pdf_timeline.event("closed")

    global _lane
    stage, _lane = os.getpid(), (0, 0)  # (each worker owns a lane from its first job)

    not_made: dict[int, LeftOut] = {}
    plan = schedule(docs, workers.jobs())
    fork = multiprocessing.get_context("fork")
    ends = fork.Array("i", plan.ends())  # each lane's front and back, moved by the workers
    claimed = fork.Value("i", 0, lock=False)  # lanes owned so far (under the lock of ends)
    pdf_timeline.event("fork")
    try:
        for i, (said, left_out, used) in workers.forked_map(job, range(len(docs)), PARALLEL_FROM, chunksize=1):
            for line in said:
                ctx.log(line)
            if used is not None:
                ctx.cache.absorb(*used)
            not_made.update((i, item) for item in left_out)
            progress.advance()  # documents done, for the progress display
        pdf_timeline.event("results")
    except BaseException:
        typeset.cancel_all()
        raise
    finally:
        typeset.shutdown()
    if ctx.keep_going:  # listed in the documents' order
        ctx.left_out.extend(not_made[i] for i in sorted(not_made))
    else:
        failed.update(not_made)


_lane = (0, 0)  # (the worker, the lane of the plan it owns): in_workers
_typst_owner = 0  # the process whose Typst workers end with it (typst_ends_with_worker)


def typst_ends_with_worker() -> None:
    """A forked worker keeps its Typst child from one document to the next (Typst's fonts and
    caches); when the pool ends the worker, the child is ended and waited for with it (so its
    CPU time counts as the build's, and no Typst outlives the stage), and when the worker is
    killed (an interrupted build), the child dies with it.  The child is started at the
    worker's first job, before the first document is prepared, so that it finds its fonts
    meanwhile."""
    global _typst_owner
    if _typst_owner != os.getpid():
        from multiprocessing import util

        _typst_owner = os.getpid()
        util.Finalize(None, typeset.close, exitpriority=10)
        typeset.die_with_this_process()
        typeset.start(font_paths())


def on_threads(ctx: BuildContext, docs: list, failed: dict[int, LeftOut]) -> None:
    """The stage in this process, where it cannot fork (`teipress serve` runs threads; one job) or
    where its Typst workers are to outlive it (typeset.keep_warm):
    Typst runs in child processes, so documents typeset side by side on threads (each in its own
    sandbox folder; the PDFs do not depend on the order)."""
    def one(i: int, doc) -> None:
        try:
            build_timed(ctx, docs, i)
        except DocumentFailed as exc:
            failed[i] = exc.item
        finally:
            progress.advance()  # documents done, for the progress display

    threads = min(len(docs), workers.jobs())
    if threads <= 1:
        try:
            for i, doc in enumerate(docs):
                one(i, doc)
        except BaseException:
            typeset.cancel_all()
            raise
        finally:
            typeset.shutdown()
    else:
        pool = ThreadPoolExecutor(max_workers=threads)
        try:
            futures = [pool.submit(one, i, doc) for i, doc in enumerate(docs)]
            for fut in as_completed(futures):
                fut.result()  # an interruption or a bug ends the stage at once
        except BaseException:
            typeset.cancel_all()  # also stops the running children of an interrupted build
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            typeset.shutdown()

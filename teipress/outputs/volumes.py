"""A long document typeset as volumes (where it is cut: teipress.model.volumes).

Each volume is one PDF/A-3a + PDF/UA-1 file, typeset by the same template in a Typst worker of
its own, so that the memory Typst needs is one volume's.  The volumes share one sequence of page
numbers and of note numbers, one contents and one set of indexes, so they are typeset in order,
each run telling the next where to start (the template's `<tp-volume>` facts, read with a query
of the same compilation):

volume 1, 2, … in turn, each starting at the page and note number after the one before (a volume
ends on a verso, so the next starts on a recto).  Each volume's front lists its own contents; the
last volume prints, before the indexes, the contents of all volumes (the divisions of the ones
before with the pages their runs gave them) and the indexes, with the pages of the mentions the
runs before it collected.  So every volume is typeset once: contents of all volumes in volume 1
would need every later run first, and then volume 1 a second time (a fifth more CPU time for a
book in five volumes).
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from ..commands.build import BuildContext, BuildError
from ..model import volumes as volume_plan
from . import pdf


def typeset(ctx: BuildContext, doc, part: volume_plan.Volume, volume: dict,
            shared: dict | None = None) -> tuple[bytes, dict]:
    """One volume: its PDF and its facts (last page and note number, divisions, mentions).
    *shared*: kept from one volume to the next (pdf.prepare)."""
    with tempfile.TemporaryDirectory(prefix="teipress-pdf-", dir=ctx.scratch) as tmp:
        work = Path(tmp) / "root"
        work.mkdir()
        pdf.prepare(ctx, doc, work, model=volume_plan.volume_model(doc.model.getroot(), part), volume=volume,
                    attach=part.n == part.of, shared=shared)
        facts = Path(tmp) / "facts.json"
        made = pdf.compile_pdf(work, ctx.build_time, ctx.log, cache=ctx.cache, facts=facts, alone=True)
        return made, json.loads(facts.read_text(encoding="utf-8"))


def build(ctx: BuildContext, doc, parts: list[volume_plan.Volume]) -> None:
    """Typeset *doc* as the volumes *parts* into pdf/<id>/volume-<n>.pdf; a failure goes to
    ctx.document_failed."""
    made: dict[int, bytes] = {}
    facts: list[dict] = []
    page, note = 1, 0
    shared: dict = {}
    source = attached_source(ctx, doc, parts[-1].n)
    try:
        for part in parts:
            ctx.log(f"    pdf {doc.id}: volume {part.n} of {part.of}")
            earlier = ranges = contents = None
            if part.n == part.of:  # the contents of all volumes, and the indexes
                earlier = mention_pages(facts)
                ranges = [{"n": p.n, "first": start, "last": f["last-page"]}
                          for p, f, start in zip(parts, facts, starts(facts))]
                contents = [dict(r, heads=f["heads"]) for r, f in zip(ranges, facts)]
            pdf_bytes, f = typeset(ctx, doc, part, volume_data(part, page, note, contents=contents, mentions=earlier,
                                                               ranges=ranges, source=source), shared)
            made[part.n] = pdf_bytes
            facts.append(f)
            page, note = f["last-page"] + 1, f["last-note"]
    except BuildError as exc:
        return ctx.document_failed(doc, str(exc))
    for n, data in sorted(made.items()):
        target = ctx.out / doc.paths.volume(n)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.part")
        partial.write_bytes(data)
        os.replace(partial, target)  # never a half-written PDF under the final name


def mention_pages(facts: list[dict]) -> dict[str, list[list]]:
    """Register key → [page, named there only in notes?] for the volumes' mentions: one per page,
    "in a note" only when every mention on that page is (the index prints "4n"), as back.typ's
    mention-pages() counts a volume's own."""
    pages: dict[str, dict[int, bool]] = {}
    for f in facts:
        for key, n, in_note in f["mentions"]:
            seen = pages.setdefault(key, {})
            seen[n] = seen.get(n, True) and bool(in_note)
    return {key: [[n, note] for n, note in sorted(seen.items())] for key, seen in pages.items()}


def starts(facts: list[dict]) -> list[int]:
    """The first page of each volume: 1, then the page after the last of the volume before."""
    return [1] + [f["last-page"] + 1 for f in facts[:-1]]


def attached_source(ctx: BuildContext, doc, last: int) -> dict:
    """Where the TEI source is, for the volumes that do not carry it: its file name, its SHA-256
    (so that a volume found alone can tell its source when it meets it) and the volume it is
    attached to.  Only the last volume attaches the source and the registers: attached to every
    volume, a 12 MB source was compressed again for each (a quarter of a second) and stored in
    each (4 MB a volume); the last is the volume that also holds the contents of all volumes and
    the indexes (docs/guide.md, Volumes)."""
    source = doc.file.container or doc.file
    # the digest loading read (TeiFile.digest); a file made without loading reads its bytes here
    sha256 = source.digest or hashlib.sha256(source.path.read_bytes()).hexdigest()
    return {"name": Path(doc.file.rel).name, "sha256": sha256, "volume": last}


def volume_data(part: volume_plan.Volume, first_page: int, first_note: int, contents=None, mentions=None,
                ranges=None, source: dict | None = None) -> dict:
    """What the template reads as data.volume (edition.typ): the volume's number and where its
    page and note numbers start; for the last, the divisions of the volumes before (the contents
    of all volumes), the pages of their mentions and the pages each of them holds; *source*:
    where the TEI source is attached (attached_source)."""
    return {"n": part.n, "of": part.of, "first_page": first_page, "first_note": first_note,
            "contents": contents, "mentions": mentions, "ranges": ranges, "source": source}

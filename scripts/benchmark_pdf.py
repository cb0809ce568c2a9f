"""PDF benchmark: seconds per document, and for a ~300-page volume made of N copies of it.

    .venv/bin/python scripts/benchmark_pdf.py [--edition .] [--pages 300] [--runs 3]

Prints a Markdown table (paste it into docs/benchmarks.md).  The volume repeats the
document's body N times (ids made unique) so the index, notes and margin numbers grow too.
"""
from __future__ import annotations

import argparse
import copy
import os
import shutil
import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from lxml import etree
from pypdf import PdfReader

from teipress import edition as edition_mod
from teipress.outputs import pdf
from teipress.commands.build import BuildContext
from teipress.xmlparse import NS, XML_ID

WHEN = datetime(2026, 1, 1, tzinfo=timezone.utc)


def time_pdf(ed, doc, out: Path, runs: int) -> tuple[float, int]:
    from teipress.model import EditionModel

    ctx = BuildContext(edition=ed, out=out, model=EditionModel.build(ed, WHEN))
    doc = next(d for d in ctx.model.documents if d.file.rel == doc.rel)
    target = out / f"{doc.id}.pdf"
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        pdf.build_document(ctx, doc, target)
        times.append(time.perf_counter() - t0)
    # the first run is what a build pays; later runs in one process reuse Typst's caches
    return times[0], statistics.median(times), len(PdfReader(target).pages)


def volume(edition_dir: Path, doc_rel: str, copies: int, into: Path) -> Path:
    """An edition whose document holds *copies* copies of the original body."""
    shutil.copytree(edition_dir / "tei", into / "tei")
    path = into / "tei" / doc_rel
    tree = etree.parse(str(path))
    body = tree.getroot().find("tei:text/tei:body", NS)
    original = list(body)
    for n in range(2, copies + 1):
        for el in original:
            dup = copy.deepcopy(el)
            for x in dup.iter():
                if isinstance(x.tag, str) and x.get(XML_ID):
                    x.set(XML_ID, f"{x.get(XML_ID)}-c{n}")
            body.append(dup)
    tree.write(str(path), encoding="utf-8", xml_declaration=True)
    return into


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edition", type=Path, default=Path("."))
    ap.add_argument("--pages", type=int, default=300, help="target length of the volume")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(WHEN.timestamp())))
    ed = edition_mod.load(args.edition)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for doc in ed.documents:
            cold, warm, pages = time_pdf(ed, doc, tmp, args.runs)
            rows.append((f"document `{doc.id}`", pages, cold, warm))
        doc = ed.documents[0]
        single = rows[0][1]

        def build_volume(copies: int, name: str):
            big = edition_mod.load(volume(args.edition, doc.rel, copies, tmp / name))
            bdoc = next(d for d in big.documents if d.rel == doc.rel)
            return time_pdf(big, bdoc, tmp, 1)

        _, _, three = build_volume(3, "calibrate")  # pages one more copy adds
        per_copy = max(1.0, (three - single) / 2)
        copies = max(1, round((args.pages - (single - per_copy)) / per_copy))
        cold, warm, pages = build_volume(copies, "volume")
        rows.append((f"volume: {copies} copies of `{doc.id}`", pages, cold, warm))
    print(f"PDF stage, {os.cpu_count()} cores, first run and median of {args.runs} runs (volume: 1 run)\n")
    print("| what | pages | seconds (first run) | seconds (warm) | seconds/page |")
    print("|---|---:|---:|---:|---:|")
    for what, pages, cold, warm in rows:
        print(f"| {what} | {pages} | {cold:.2f} | {warm:.2f} | {cold / pages:.3f} |")


if __name__ == "__main__":
    main()

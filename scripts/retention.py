"""Text retention per corpus folder: how many of each document's words reach the HTML and the PDF.

    .venv/bin/python scripts/retention.py [--corpora ../shared/corpora] [--work /tmp/retention]
                                          [--reuse] [--markdown]

Each folder of TEI files under --corpora is copied into an edition of its own in --work and
built (HTML and PDF, --no-validate: other projects' files follow other schemas); then every
document's words are measured with tests/retention.py (the measure is documented there).
Prints, per folder, a table: document, words, HTML %, PDF %, the words the outputs lack most,
and any passage printed twice.  --reuse measures builds already in --work.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _measure_module():
    """tests/retention.py, loaded by path (this script has the same name)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("tp_retention", ROOT / "tests" / "retention.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


Measure = _measure_module().Measure


def folders(corpora: Path) -> list[Path]:
    return sorted({p.parent for p in corpora.rglob("*.xml") if "negative" not in p.parts})


def build(folder: Path, work: Path, corpora: Path, reuse: bool) -> Path:
    ed = work / "__".join(folder.relative_to(corpora).parts)
    if reuse and (ed / "build").is_dir():
        return ed
    shutil.rmtree(ed, ignore_errors=True)
    (ed / "tei").mkdir(parents=True)
    for p in sorted(folder.glob("*.xml")):
        shutil.copy(p, ed / "tei" / p.name)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    r = subprocess.run([sys.executable, "-m", "teipress", "build", str(ed), "--no-validate", "-q", "-k",
                        "--only", "html", "--only", "pdf"], env=env, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        print(f"{folder}: build failed\n{r.stdout[-2000:]}{r.stderr[-2000:]}", file=sys.stderr)
    return ed


def measure(ed: Path) -> list[dict]:
    from teipress.edition import load

    rows = []
    for doc in load(ed).documents:
        m = Measure(ed / "tei" / doc.rel)
        pages = sorted((ed / "build" / "html").rglob(f"documents/{doc.id}.html"))
        pdf = ed / "build" / "pdf" / f"{doc.id}.pdf"
        row = {"document": doc.rel, "words": sum(m.tei.values())}
        lacks: dict[str, int] = {}
        twice = []
        for kind, path, read in (("html", pages[0] if pages else None, m.html), ("pdf", pdf, m.pdf)):
            if path is None or not path.exists():
                row[kind] = None
                continue
            ratio, gaps, doubled = m.score(read(path))
            row[kind] = ratio
            for w, n in gaps:
                lacks[f"{w}"] = max(lacks.get(w, 0), n)
            twice += [f"{kind}: {d}" for d in doubled[:2]]
        row["missing"] = ", ".join(f"{w}×{n}" for w, n in sorted(lacks.items(), key=lambda x: -x[1])[:6])
        row["twice"] = "; ".join(twice[:2])
        rows.append(row)
    return rows


def pct(x) -> str:
    return "—" if x is None else f"{100 * x:.2f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    ap.add_argument("--work", type=Path, default=Path("/tmp/teipress-retention"))
    ap.add_argument("--reuse", action="store_true", help="measure the builds already in --work")
    args = ap.parse_args()
    if not args.corpora.is_dir():
        print(f"{args.corpora}: no corpora here", file=sys.stderr)
        return 2
    args.work.mkdir(parents=True, exist_ok=True)
    below = total = 0
    for folder in folders(args.corpora):
        ed = build(folder, args.work, args.corpora, args.reuse)
        print(f"\n### {folder.relative_to(args.corpora)}\n")
        print("| document | words | HTML % | PDF % | lacking most | printed twice |")
        print("|---|---:|---:|---:|---|---|")
        for r in measure(ed):
            total += 1
            if min(r["html"] or 0, r["pdf"] or 0) < 0.999:
                below += 1
            print(f"| {r['document']} | {r['words']} | {pct(r['html'])} | {pct(r['pdf'])} | {r['missing']} | {r['twice']} |")
    print(f"\n{below} of {total} documents below 99.9 % in HTML or PDF")
    return 0


if __name__ == "__main__":
    sys.exit(main())

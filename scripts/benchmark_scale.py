"""Scale benchmark: editions of thousands of letters, built by the command line.

Usage:
    python scripts/benchmark_scale.py --sizes 1000,5000 [--pdf] [--keep DIR] [--write docs/benchmarks.md]
    python scripts/benchmark_scale.py --generate 1000 --into /tmp/letters-1000   # the edition only

The editions are made from the real letters in ../shared/corpora/letters: the Schnitzler
letters (persons, places and works in each letter's own back) and the Escher letters (persons
keyed into one shared register, people.xml, 3,710 persons).  Letter number i is a copy of one
of them with a new id and file name, its dates moved by a number of years and days (all its
dates alike, so its ranges stay ranges), and a sentence of words drawn from the corpus added to
its first paragraph (so that no two letters have the same text or search entry).

Each size is measured by running `teipress build` in a child process, as an editor would:

- full build without the PDF stage (`--only sources,html,search,cmif`), from an empty folder;
- full build with PDFs (with --pdf), from an empty folder;
- no-op rebuild: the same build again, nothing changed;
- one-letter rebuild: one word of one letter changed, then the build again.

Peak memory is the largest sum of the resident set sizes of the build's whole process tree
(teipress, its worker processes, Typst, Pagefind), sampled every 50 ms from /proc, and beside
it the largest sum of their proportional set sizes (PSS: a page forked workers share with
their parent is counted once, split between them, where the RSS sum counts it in each).
A child caught between vfork and its program (Pagefind, Typst) is its parent's memory seen
twice and is counted once (same_memory): earlier figures counted it twice.
Pages per second: the HTML pages of the site over the build's wall time.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
LETTERS = SHARED / "corpora" / "letters"
TEI = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
DATE_ATTRS = ("when", "notBefore", "notAfter", "from", "to", "when-iso")
ISO = re.compile(r"^(\d{4})(-(\d{2}))?(-(\d{2}))?$")
EPOCH = "1700000000"


# -- the edition ------------------------------------------------------------------------
def templates() -> list[Path]:
    """The real letters copies are made of (both corpora, in a stable order)."""
    return sorted((LETTERS / "schnitzler-briefe").glob("*.xml")) + \
        sorted(p for p in (LETTERS / "escher-briefe").glob("*.xml") if p.name != "people.xml")


def vocabulary(files: list[Path]) -> list[str]:
    words: set[str] = set()
    for f in files:
        body = etree.parse(str(f)).getroot().find(f"{{{TEI}}}text")
        if body is not None:
            words.update(w for w in re.findall(r"[^\W\d_]{4,}", " ".join(body.itertext())))
    return sorted(words)


def moved(value: str, years: int, days: int) -> str:
    """An ISO date (YYYY, YYYY-MM, YYYY-MM-DD) moved by whole years, a full date also by days."""
    m = ISO.match(value)
    if not m:
        return value
    year = int(m.group(1)) + years
    if m.group(5):
        d = dt.date(year, int(m.group(3)), min(int(m.group(5)), 28)) + dt.timedelta(days=days)
        return d.isoformat() if d.year == year else dt.date(year, 12, 31).isoformat()
    return f"{year:04d}{m.group(2) or ''}"


def letter(template: Path, i: int, words: list[str]) -> bytes:
    """Letter number *i*: a copy of *template* with a new id, moved dates and its own sentence."""
    tree = etree.parse(str(template))
    root = tree.getroot()
    new_id = f"{'S' if template.name.startswith('L') else 'E'}{i:05d}"
    root.set(XML_ID, new_id)
    rng = random.Random(i)
    years, days = rng.randrange(-40, 40), rng.randrange(0, 20)
    for el in root.iter():
        if isinstance(el.tag, str):
            for attr in DATE_ATTRS:
                if el.get(attr):
                    el.set(attr, moved(el.get(attr), years, days))
    title = root.find(f".//{{{TEI}}}titleStmt/{{{TEI}}}title")
    if title is not None:
        title.tail = (title.tail or "")
        title.text = f"{(title.text or '').strip()} ({new_id})"
    p = root.find(f".//{{{TEI}}}body//{{{TEI}}}p")
    if p is not None:
        sentence = " ".join(rng.choice(words) for _ in range(12))
        p.text = f"{sentence}. {p.text or ''}"
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def generate(n: int, folder: Path) -> Path:
    """An edition folder of *n* letters (and Escher's register) in *folder*."""
    files = templates()
    words = vocabulary(files)
    tei = folder / "tei"
    if folder.exists():
        shutil.rmtree(folder)
    tei.mkdir(parents=True)
    shutil.copyfile(LETTERS / "escher-briefe" / "people.xml", tei / "people.xml")
    for i in range(1, n + 1):
        template = files[(i - 1) % len(files)]
        prefix = "S" if template.name.startswith("L") else "E"
        (tei / f"{prefix}{i:05d}.xml").write_bytes(letter(template, i, words))
    (folder / "edition.toml").write_text(
        f'id = "letters-{n}"\ntitle = "Letters ({n})"\nregisters = ["people.xml"]\n', encoding="utf-8")
    return folder


def touch_one(folder: Path, round_: int) -> Path:
    """Change one word of one letter (the middle one): what an editor's correction does."""
    files = sorted((folder / "tei").glob("[SE]*.xml"))
    f = files[len(files) // 2]
    tree = etree.parse(str(f))
    p = tree.getroot().find(f".//{{{TEI}}}body//{{{TEI}}}p")
    p.text = f"Korrektur{round_} {p.text or ''}"
    f.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    return f


# -- measuring --------------------------------------------------------------------------
def tree_memory(pid: int) -> tuple[int, int]:
    """(resident set size, proportional set size) in bytes of a process and all its
    descendants, from /proc.  The RSS sum counts the pages forked workers share with their
    parent once per process (an upper bound); the PSS sum splits each shared page between
    the processes sharing it, so it counts every page of memory once.

    A child started with vfork (subprocess does so on Linux: Typst, Pagefind) runs in its
    parent's very memory until it executes its program; /proc then shows it with its parent's
    figures, pages not shared but the same pages, so it is counted with its parent, once."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(entry))
    total = pss = 0
    todo = [(pid, None)]
    while todo:
        p, parent = todo.pop()
        mine = rollup(p)
        if not same_memory(mine, parent):
            total += mine.get("Rss", 0)
            pss += mine.get("Pss", 0)
        todo += [(c, mine) for c in children.get(p, [])]
    return total, pss


def rollup(pid: int) -> dict[str, int]:
    """A process's memory figures (bytes) from /proc/PID/smaps_rollup: Rss, Pss, Private_Dirty …
    (empty when it is gone or the kernel cannot say)."""
    out = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                name, _, value = line.partition(":")
                if value.strip().endswith("kB"):
                    out[name] = int(value.split()[0]) * 1024
    except OSError:
        pass
    return out


def same_memory(child: dict[str, int], parent: dict[str, int] | None) -> bool:
    """Whether *child* is a vfork child not yet running its own program: its private pages
    are its parent's.  (A forked child shares its pages with the parent, so neither's are
    private: its Private_Dirty is its own, small, and never equals a large one's.)"""
    return (parent is not None and child.get("Private_Dirty", 0) > 1 << 20
            and child.get("Private_Dirty") == parent.get("Private_Dirty") and child.get("Rss") == parent.get("Rss"))


def run_build(edition: Path, out: Path, pdf: bool, progress: bool = False) -> dict:
    """One `teipress build` in a child process: wall time, peak memory of its process tree."""
    cmd = [sys.executable, "-m", "teipress", "build", str(edition), "--out", str(out), "-q", "--incremental"]
    if not pdf:
        cmd += ["--only", "sources", "--only", "html", "--only", "search", "--only", "cmif"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=REPO)
    peak = [0, 0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            rss, pss = tree_memory(proc.pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            done.wait(0.05)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    done.set()
    th.join()
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({proc.returncode}):\n{stderr.decode()[-3000:]}")
    html = out / "html"
    pages = sum(1 for _ in html.rglob("*.html")) if html.is_dir() else 0
    # CPU time of the whole tree (teipress, its workers, Typst, Pagefind): on a shared machine it
    # says more than wall time, which grows with the load of everything else running.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak[0] / 2**20, "pss_mb": peak[1] / 2**20, "pages": pages}


def measure(n: int, pdf: bool, keep: Path | None) -> dict:
    base = keep / f"letters-{n}" if keep else Path(tempfile.mkdtemp(prefix=f"teipress-scale-{n}-"))
    try:
        t0 = time.perf_counter()
        edition = generate(n, base / "edition")
        gen = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in (edition / "tei").iterdir())
        print(f"{n} letters: generated in {gen:.1f} s ({size / 2**20:.1f} MB of TEI)", flush=True)
        row: dict = {"letters": n, "tei_mb": size / 2**20}
        out = base / "build"
        for name, with_pdf in ([("full_pdf", True)] if pdf else []) + [("full", False)]:
            shutil.rmtree(out, ignore_errors=True)
            clean_cache(edition, out)
            row[name] = run_build(edition, out, with_pdf)
            print(f"  {name:<10} {row[name]['seconds']:8.1f} s  {row[name]['peak_mb']:7.0f} MB "
                  f"({row[name]['pss_mb']:.0f} MB PSS)  "
                  f"{row[name]['pages']} pages  {row[name]['cpu']:.1f} s CPU", flush=True)
        row["noop"] = run_build(edition, out, False)
        print(f"  {'no-op':<10} {row['noop']['seconds']:8.1f} s  {row['noop']['peak_mb']:7.0f} MB  "
              f"{row['noop']['cpu']:.1f} s CPU", flush=True)
        touch_one(edition, 1)
        row["one"] = run_build(edition, out, False)
        print(f"  {'one letter':<10} {row['one']['seconds']:8.1f} s  {row['one']['peak_mb']:7.0f} MB  "
              f"{row['one']['cpu']:.1f} s CPU", flush=True)
        if pdf:
            run_build(edition, out, True)  # the PDFs of the current sources, then one letter again
            touch_one(edition, 2)
            row["one_pdf"] = run_build(edition, out, True)
            print(f"  {'one + PDF':<10} {row['one_pdf']['seconds']:8.1f} s  {row['one_pdf']['peak_mb']:7.0f} MB  "
                  f"{row['one_pdf']['cpu']:.1f} s CPU", flush=True)
        return row
    finally:
        if keep is None:
            shutil.rmtree(base, ignore_errors=True)


def clean_cache(edition: Path, out: Path) -> None:
    """A full build starts from nothing: no output and no cache of an earlier build."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(edition / ".teipress-cache", ignore_errors=True)


def table(rows: list[dict]) -> str:
    head = ("| letters | TEI | full build, no PDF (CPU) | pages/s | peak memory, RSS (PSS) | with PDFs (CPU) | peak memory | "
            "no-op rebuild (CPU) | one letter changed (CPU) | one letter, with PDF (CPU) |\n"
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    lines = []
    for r in rows:
        f, p = r["full"], r.get("full_pdf")
        pdf_s = f"{p['seconds']:.0f} s ({p['cpu']:.0f} s)" if p else "–"
        pdf_mb = f"{p['peak_mb']:.0f} MB" if p else "–"
        one_pdf = f"{r['one_pdf']['seconds']:.1f} s ({r['one_pdf']['cpu']:.1f} s)" if "one_pdf" in r else "–"
        lines.append(
            f"| {r['letters']:,} | {r['tei_mb']:.0f} MB | {f['seconds']:.1f} s ({f['cpu']:.0f} s) | "
            f"{f['pages'] / f['seconds']:.1f} | {f['peak_mb']:.0f} MB ({f.get('pss_mb', 0):.0f} MB) | {pdf_s} | {pdf_mb} | "
            f"{r['noop']['seconds']:.1f} s ({r['noop']['cpu']:.1f} s) | {r['one']['seconds']:.1f} s "
            f"({r['one']['cpu']:.1f} s) | {one_pdf} |")
    return head + "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,5000")
    ap.add_argument("--pdf", action="store_true", help="also build with PDFs")
    ap.add_argument("--keep", type=Path, help="keep the editions and builds in this folder")
    ap.add_argument("--generate", type=int, help="only write an edition of this many letters (--into)")
    ap.add_argument("--into", type=Path)
    ap.add_argument("--write", type=Path, help="replace the scale section of this file (docs/benchmarks.md)")
    args = ap.parse_args()
    if not LETTERS.is_dir():
        raise SystemExit(f"{LETTERS} is absent: the benchmark is made from its letters")
    if args.generate:
        generate(args.generate, args.into or Path(f"letters-{args.generate}"))
        return
    rows = [measure(int(n), args.pdf, args.keep) for n in args.sizes.split(",")]
    text = table(rows)
    print(text)
    if args.write:
        write_section(args.write, text)


SECTION = "## Scale: editions of thousands of letters"


def write_section(path: Path, text: str) -> None:
    """Replace the table of the scale section, keeping the prose around it."""
    doc = path.read_text(encoding="utf-8")
    machine = f"{os.cpu_count()} cores, Python {platform.python_version()}"
    block = f"<!-- scale-table: scripts/benchmark_scale.py, {machine} -->\n{text}<!-- /scale-table -->\n"
    if "<!-- scale-table" in doc:
        doc = re.sub(r"<!-- scale-table.*?<!-- /scale-table -->\n", lambda m: block, doc, flags=re.S)
    else:
        doc = doc.rstrip("\n") + f"\n\n{SECTION}\n\n{block}"
    path.write_text(doc, encoding="utf-8")


if __name__ == "__main__":
    main()

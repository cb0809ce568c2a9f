"""Search at scale: the search stage alone, on sites of 5,000 to 50,000 letter pages.

Usage:
    python scripts/benchmark_search.py --sizes 5000,20000,50000 [--check 5000] [--keep DIR] [--write docs/benchmarks.md]

The search stage reads only the HTML pages, so the sites are made cheaply: a real edition of
60 generated letters (scripts/benchmark_scale.py: copies of the Schnitzler and Escher letters
with their dates moved and a sentence of corpus words of their own) is built once by teipress,
and its letter pages are copied to N pages under new names, each given a paragraph of 12
corpus words and a word of its own (``seiteNNNNN``), so that pages and words grow with N as in
an edition.  The site's other pages (index, registers, chronology …) are copied once.

For each size, two runs in child processes, on the same site, one after the other:

- *one run*: one Pagefind run over the whole site (what the search stage did before);
- *in runs*: the search stage (`teipress.outputs.search.index_site`): Pagefind over
  at most `PAGES_PER_RUN` pages at a time, the bundles merged into one;
- with --incremental, *one page changed*: the search stage with an incremental build's cache
  filled, after one word of one letter page changed (one run indexed again, all merged).

Wall time, CPU time (user + system of the whole process tree) and peak memory (the largest sum
of the resident sizes of the process tree, sampled every 50 ms from /proc).  With --check N,
the two bundles of size N are compared: their contents (every word's pages and positions,
every page, filter and chunk, pagefind_format.contents) must be equal.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
import benchmark_scale  # noqa: E402  (the letter generator and the process-tree sampler)

TEMPLATE_LETTERS = 60
BODY = re.compile(r"(<article\b[^>]*\bdata-pagefind-body[^>]*>)")


def template_site(folder: Path, letters: int = TEMPLATE_LETTERS) -> Path:
    """A real site of *letters* letters, built by teipress (HTML only)."""
    edition = benchmark_scale.generate(letters, folder / "edition")
    out = folder / "build"
    env = {**os.environ, "SOURCE_DATE_EPOCH": benchmark_scale.EPOCH}
    subprocess.run([sys.executable, "-m", "teipress", "build", str(edition), "--out", str(out), "-q",
                    "--only", "sources", "--only", "html"], check=True, env=env, cwd=REPO)
    return out / "html"


def make_site(template: Path, n: int, site: Path) -> None:
    """A site of *n* letter pages made from the template's letter pages."""
    if site.exists():
        shutil.rmtree(site)
    shutil.copytree(template, site, ignore=shutil.ignore_patterns("documents", "pagefind"))
    letters = [p.read_text(encoding="utf-8") for p in sorted((template / "documents").glob("*.html"))]
    letters = [t for t in letters if BODY.search(t)]
    words = sorted({w for t in letters for w in re.findall(r"(?<=[ >])([A-Za-zÄÖÜäöüß]{4,})(?=[ <.,])", t)})
    rng = random.Random(n)
    (site / "documents").mkdir()
    for i in range(n):
        sentence = " ".join(rng.choice(words) for _ in range(12)) + f" seite{i:05d}"
        page = BODY.sub(lambda m: f'{m.group(1)}<p id="bench">{sentence}.</p>', letters[i % len(letters)], count=1)
        (site / "documents" / f"L{i:05d}.html").write_text(page, encoding="utf-8")


def run(code: str) -> dict:
    """Python *code* in a child process: wall, CPU and peak memory of its process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], benchmark_scale.tree_rss(proc.pid))
            done.wait(0.05)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, stderr = proc.communicate()
    seconds = time.perf_counter() - t0
    done.set()
    th.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}):\n{stderr.decode()[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak[0] / 2**20}


def one_run(site: Path, bundle: Path) -> dict:
    return run("from pathlib import Path; from teipress.outputs import search; "
               f"search._pagefind(Path({str(site)!r}), Path({str(bundle)!r}), None, Path({str(bundle.parent)!r}))")


def in_runs(site: Path, per_run: int) -> dict:
    return run("from pathlib import Path; from teipress.outputs import search; "
               f"search.index_site(Path({str(site)!r}), pages_per_run={per_run})")


def with_cache(site: Path, cache: Path) -> dict:
    """The search stage with an incremental build's cache (teipress.commands.cache.Cache)."""
    return run("from pathlib import Path; from teipress.outputs import search; "
               "from teipress.commands.cache import Cache; "
               f"search.index_site(Path({str(site)!r}), cache=Cache(Path({str(cache)!r})))")


def one_page_changed(site: Path, work: Path) -> dict:
    """Fill a cache, change one word of the middle letter page, index again with the cache."""
    cache = work / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    with_cache(site, cache)
    pages = sorted((site / "documents").glob("L*.html"))
    page = pages[len(pages) // 2]
    page.write_text(page.read_text(encoding="utf-8").replace('<p id="bench">', '<p id="bench">korrigiert ', 1),
                    encoding="utf-8")
    result = with_cache(site, cache)
    shutil.rmtree(cache)
    return result


def table(rows: list[dict], per_run: int) -> str:
    lines = [f"| pages | one Pagefind run: wall (CPU) | peak memory | in runs of at most {per_run:,}: wall (CPU) "
             "| peak memory | one page changed, with the cache: wall (CPU) | index |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        a, b = r["one"], r["runs"]
        one = f"{a['seconds']:.0f} s ({a['cpu']:.0f} s) | {a['peak_mb']:,.0f} MB" if a else "not run | –"
        c = r.get("changed")
        changed = f"{c['seconds']:.0f} s ({c['cpu']:.0f} s)" if c else "–"
        lines.append(f"| {r['pages']:,} | {one} | "
                     f"{b['seconds']:.0f} s ({b['cpu']:.0f} s) | {b['peak_mb']:,.0f} MB | {changed} | {r['index_mb']:.0f} MB |")
    return "\n".join(lines)


def main() -> None:
    from teipress.outputs import pagefind_format, search

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="5000,20000,50000")
    ap.add_argument("--check", type=int, action="append", default=[],
                    help="compare the two bundles of this size (repeatable)")
    ap.add_argument("--per-run", type=int, help="pages per Pagefind run (default: search.PAGES_PER_RUN)")
    ap.add_argument("--one-run-max", type=int, default=20000,
                    help="measure one Pagefind run only up to this many pages (it needs about 0.2 MB a "
                         "page: 10 GB at 50,000 pages, more than a shared machine should be asked for)")
    ap.add_argument("--letters", type=int, default=TEMPLATE_LETTERS, help="real letters the pages are made of")
    ap.add_argument("--incremental", action="store_true",
                    help="also index with a cache, change one page, and index again")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    ap.add_argument("--write", type=Path, help="put the table into this file (docs/benchmarks.md)")
    args = ap.parse_args()
    per_run = args.per_run or search.PAGES_PER_RUN
    work = args.keep or Path(tempfile.mkdtemp(prefix="teipress-search-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        template = template_site(work / "template", args.letters)
        rows = []
        for n in (int(s) for s in args.sizes.split(",")):
            site = work / f"site-{n}"
            make_site(template, n, site)
            single = work / f"single-{n}"
            shutil.rmtree(single, ignore_errors=True)
            row = {"pages": n, "one": one_run(site, single) if n <= args.one_run_max else None,
                   "runs": in_runs(site, per_run)}
            row["index_mb"] = sum(f.stat().st_size for f in (site / "pagefind").rglob("*") if f.is_file()) / 2**20
            print(f"{n} pages: one run {row['one']}, in runs {row['runs']}", flush=True)
            if n in args.check and row["one"]:
                same = pagefind_format.contents(single) == pagefind_format.contents(site / "pagefind")
                print(f"{n} pages: the two bundles' contents are {'equal' if same else 'DIFFERENT'}", flush=True)
                if not same:
                    raise SystemExit(1)
            shutil.rmtree(single, ignore_errors=True)
            if args.incremental:
                row["changed"] = one_page_changed(site, work)
                print(f"{n} pages: one page changed, with the cache: {row['changed']}", flush=True)
            if not args.keep:
                shutil.rmtree(site)
            rows.append(row)
        text = table(rows, per_run)
        print(text)
        if args.write:
            write_table(args.write, text)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def write_table(path: Path, text: str) -> None:
    """Replace the table between the search-table markers of *path* (docs/benchmarks.md)."""
    doc = path.read_text(encoding="utf-8")
    block = f"<!-- search-table: scripts/benchmark_search.py -->\n{text}\n<!-- /search-table -->"
    if "<!-- search-table" not in doc:
        raise SystemExit(f"{path} has no <!-- search-table --> markers")
    doc = re.sub(r"<!-- search-table.*?<!-- /search-table -->", lambda m: block, doc, flags=re.S)
    path.write_text(doc, encoding="utf-8")


if __name__ == "__main__":
    main()

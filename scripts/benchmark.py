"""Build time per stage and peak memory, for the default edition and for N copies of its document.

Usage: python scripts/benchmark.py [--sizes 1,10,100] [--write docs/benchmarks.md]

Each configuration runs in a fresh Python process (so peak memory is its own): load the
edition, validate it, then every stage of teipress.commands.build.stages() (a new stage appears in
the table by itself).  Copies of the document get new xml:ids (suffix -cK) so the edition
stays valid.  Peak memory is the maximum resident set size (getrusage) of the Python
process, and beside it that of the largest child process: Typst runs in child processes
(teipress.outputs.typeset, under a memory limit), Pagefind is a separate program.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DOC = "nkidp-114978.xml"


def one(edition_dir: Path) -> dict:
    """Measure one build in this process; returns a JSON-able dict."""
    from teipress import edition
    from teipress.commands import build
    from teipress.commands.validate import validate_edition
    from teipress.validation.diagnostics import Report

    t0 = time.perf_counter()
    ed = edition.load(edition_dir)
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = Report(base=Path.cwd())
    validate_edition(ed, report)
    t_validate = time.perf_counter() - t0
    floor = lxml_floor(ed)
    out = Path(tempfile.mkdtemp(prefix="teipress-bench-out-"))
    cpu0 = cpu_seconds()
    try:
        timings = build.run(ed, out / "build")
        cpu = cpu_seconds() - cpu0
        pages = len(list((out / "build" / "html").rglob("*.html"))) if (out / "build" / "html").exists() else 0
    finally:
        shutil.rmtree(out, ignore_errors=True)
    kib = 1 if platform.system() == "Linux" else 1 / 1024  # ru_maxrss: KiB on Linux, bytes on macOS
    return {
        "documents": len(ed.documents),
        "errors": len(report.errors),
        "load": t_load,
        "validate": t_validate,
        "stages": timings,
        "html_pages": pages,
        "build_cpu": cpu,
        "floor": floor,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * kib / 1024,
        # Typst runs in child processes (teipress.outputs.typeset), Pagefind too: the largest of them
        "peak_child_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * kib / 1024,
    }


def cpu_seconds() -> float:
    """CPU time of this process (all its threads: Typst's too) and its finished children
    (Pagefind), user + system."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def lxml_floor(ed) -> float:
    """The floor measured in the same run: lxml parsing and serialising every TEI file."""
    from lxml import etree

    t0 = time.perf_counter()
    for f in ed.files:
        etree.tostring(etree.parse(str(f.path)), encoding="utf-8")
    return time.perf_counter() - t0


def copies(n: int, target: Path) -> Path:
    """An edition folder with the registers and n copies of the default document."""
    tei = target / "tei"
    shutil.copytree(REPO / "tei", tei)
    if (REPO / "edition.toml").exists():
        shutil.copy(REPO / "edition.toml", target / "edition.toml")
    src = (REPO / "tei" / DOC).read_text(encoding="utf-8")
    ids = set(re.findall(r'xml:id="([^"]+)"', src))
    for k in range(2, n + 1):
        suffix = f"-c{k}"
        text = re.sub(r'xml:id="([^"]+)"', lambda m: f'xml:id="{m.group(1)}{suffix}"', src)
        # same-document pointers follow their targets; pointers into the registers stay
        text = re.sub(r'"#([^"\s]+)"', lambda m: f'"#{m.group(1)}{suffix}"' if m.group(1) in ids else m.group(0), text)
        text = re.sub(r'(<idno type="edition">)([^<]+)', lambda m: m.group(1) + m.group(2) + suffix, text)
        (tei / DOC.replace(".xml", f"{suffix}.xml")).write_text(text, encoding="utf-8")
    return target


def run_child(edition_dir: Path) -> dict:
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1767225600")}
    proc = subprocess.run([sys.executable, __file__, "--one", str(edition_dir)], capture_output=True,
                          text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark of {edition_dir} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def table(rows: list[tuple[str, dict]]) -> str:
    stages: list[str] = []
    for _, r in rows:
        for s in r["stages"]:
            if s not in stages:
                stages.append(s)
    head = ["edition", "documents", "HTML pages", "load (s)", "validate (s)"] + [f"{s} (s)" for s in stages] + \
           ["build total (s)", "build CPU (s)", "lxml parse + serialise (s)", "peak RSS (MiB)",
            "largest child (MiB)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, r in rows:
        total = sum(r["stages"].values())
        cells = [name, str(r["documents"]), str(r["html_pages"]), f"{r['load']:.2f}", f"{r['validate']:.2f}"]
        cells += [f"{r['stages'][s]:.2f}" if s in r["stages"] else "–" for s in stages]
        cells += [f"{total:.2f}", f"{r['build_cpu']:.2f}", f"{r['floor']:.2f}", f"{r['peak_rss_mib']:.0f}",
                  f"{r['peak_child_mib']:.0f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores{', ' + cpu if cpu else ''}, Python {platform.python_version()}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,10,100", help="numbers of document copies (default 1,10,100)")
    ap.add_argument("--write", type=Path, help="also write the table into this markdown file")
    ap.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one)))
        return
    rows = [("default edition (tei/)", run_child(REPO))]
    with tempfile.TemporaryDirectory(prefix="teipress-bench-") as tmp:
        for n in [int(x) for x in args.sizes.split(",") if x.strip()]:
            ed_dir = copies(n, Path(tmp) / f"copies-{n}")
            rows.append((f"{n} × the document", run_child(ed_dir)))
            shutil.rmtree(ed_dir, ignore_errors=True)
    out = table(rows)
    print(out)
    if args.write:
        text = args.write.read_text(encoding="utf-8") if args.write.exists() else ""
        begin, end = "<!-- benchmark:begin -->", "<!-- benchmark:end -->"
        block = f"{begin}\nMeasured on {machine()}.\n\n{out}{end}"
        if begin in text and end in text:
            text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
        else:
            text = text + ("\n" if text else "") + block + "\n"
        args.write.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

"""PDF stage at book scale: a 2 MB document with about 1,000 notes, ten times that, and an
edition of 100+ documents, each beside the same text typeset as plain Typst (the floor).

    .venv/bin/python scripts/benchmark_book.py [--cases book,book10,edition,distinct,incremental]
                                               [--jobs 2] [--rounds 3]
                                               [--no-floor] [--one-file] [--write docs/benchmarks.md]

The book is made from ../shared/corpora: the FRUS excerpt's header, front matter (lists of
abbreviations and persons) and documents, then the chapters of the ELTeC novels, each as a
FRUS-style document (a numbered heading with a source note), with a footnote naming a person of
the FRUS list every few paragraphs, so the index of persons grows with the text.  The novels
keep their own <pb/>s, so footnotes and margin page numbers share paragraphs.  "book10" is the
same body ten times over (ids made unique); "edition" is every corpus file three times over
(copies renamed) as one edition; "distinct" is every corpus file once, so that no two documents
are copies (two copies typeset by different workers lose what Typst's cache would share between
them); "varied" is every corpus file three times over like "edition", but each copy's text changed
throughout (varied()), so that its 147 documents are all different bytes and lay out differently.

For "edition", "distinct" and "varied" with --jobs above 1, the stage is also run one document at a time,
--rounds times each way, alternately (one at a time, then --jobs workers, …), and the speed-up is
given per round, with the CPU time beside the wall time and the speed-up estimated from CPU
(estimated_speedup: what an idle machine would show), and the timeline of the run with workers
(TEIPRESS_PDF_TIMELINE, teipress/outputs/pdf_timeline.py): the main process's CPU and the wall time
before the first document and after the last (the serial parts), each lane's CPU (a forked worker
with its Typst child) and documents, and how long each lane stood idle at the end while another
worked; a chart of the lanes over the run is printed (not written).  Under load the wall times
stretch, so judge by the timeline and the CPU; the speed-up itself is a wall-clock figure for an
idle machine.

The floor is the same text as plain Typst markup (headings, paragraphs, footnotes; no model, no
index, no margin numbers), on the same page, font and PDF standards, typeset with the `typst`
package in a process of its own in the same run.  Each measurement runs in a fresh process:
wall time, CPU time (the process and its children: Typst's workers), pages, ms per page, and peak
memory (the largest resident set of the process or of any one child).  "incremental" typesets
the default edition (and the book, if measured) with the workers kept warm, then again after one
paragraph changed: what a rebuild costs in a long-lived `teipress serve`.

A document longer than `[pdf] volume_characters` is printed as volumes (book10 is), each typeset by
a worker of its own: the row then gives each volume's pages and the peak of each worker (read from
/proc while it runs); `--one-file` also typesets each book as one file (volume_characters = 0), as
before volumes, in the same run.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
TEI = "http://www.tei-c.org/ns/1.0"
T = "{%s}" % TEI
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
FRUS = "frus/frus1961-63v22-excerpt/frus1961-63v22-excerpt.xml"
NOVELS = ["eltec/eng/ENG18900_Doyle.xml", "eltec/eng/ENG18652_Carroll.xml", "eltec/eng/ENG18850_Rutherford.xml",
          "eltec/eng/ENG18910_Yeats.xml", "eltec/fra/FRA02001_Gilbert.xml"]
NOTE_EVERY = 3  # a footnote after every third paragraph of a novel chapter
EPOCH = "1767225600"


# -- the inputs -----------------------------------------------------------------------------

def _suffix_ids(el, suffix: str) -> None:
    for x in el.iter():
        if isinstance(x.tag, str) and x.get(XML_ID):
            x.set(XML_ID, x.get(XML_ID) + suffix)


def make_book(corpora: Path, rounds: int, passes: int, target: Path) -> Path:
    """An edition folder with one document: FRUS front and header, and *rounds* × (FRUS body +
    *passes* × every novel's chapters as documents)."""
    parser = etree.XMLParser(remove_comments=True, huge_tree=True)
    tree = etree.parse(str(corpora / FRUS), parser)
    root = tree.getroot()
    body = root.find(f"{T}text/{T}body")
    frus_divs = list(body)
    for el in frus_divs:
        body.remove(el)
    persons = [p.get(XML_ID) for p in root.iter(f"{T}persName") if p.get(XML_ID)]
    persons = [p for p in persons if p]
    chapters = []
    for rel in NOVELS:
        novel = etree.parse(str(corpora / rel), parser).getroot()
        for ch in novel.iterfind(f"{T}text/{T}body//{T}div[@type='chapter']"):
            chapters.append((rel, ch))
    number, k = 1000, 0
    for r in range(rounds):
        for el in frus_divs:
            dup = copy.deepcopy(el)
            _suffix_ids(dup, f"-r{r}")
            body.append(dup)
        comp = etree.SubElement(body, f"{T}div", {"type": "compilation", XML_ID: f"novels-r{r}"})
        etree.SubElement(comp, f"{T}head").text = f"Supplementary texts, part {r + 1}"
        for p_ in range(passes):
            for rel, ch in chapters:
                number += 1
                doc = etree.SubElement(comp, f"{T}div", {"type": "document", XML_ID: f"d{number}", "n": str(number)})
                head = etree.SubElement(doc, f"{T}head")
                old = ch.find(f"{T}head")
                head.text = f"{number}. " + (" ".join("".join(old.itertext()).split()) if old is not None else "Chapter")
                note = etree.SubElement(head, f"{T}note", {"n": "0", XML_ID: f"d{number}fn0"})
                note.text = f"Source: {rel.split('/')[-1]}, a chapter set here as document {number}. "
                person = etree.SubElement(note, f"{T}persName", {"corresp": "#" + persons[number % len(persons)]})
                person.text = "the Secretary"
                person.tail = " is named so that the index of persons grows with the text."
                paras = [c for c in ch if c.tag in (f"{T}p", f"{T}quote")]
                for c in ch:
                    if c.tag == f"{T}head" or not isinstance(c.tag, str):
                        continue
                    dup = copy.deepcopy(c)
                    for x in dup.iter():  # ELTeC's own attributes are not all TEI P5
                        for a in [a for a in x.attrib if a not in ("n", "rend", "unit", XML_ID)]:
                            del x.attrib[a]
                    _suffix_ids(dup, f"-{number}")
                    doc.append(dup)
                    if c in paras and paras.index(c) % NOTE_EVERY == NOTE_EVERY - 1 and dup.tag == f"{T}p":
                        k += 1
                        fn = etree.SubElement(dup, f"{T}note", {"n": str(k), XML_ID: f"d{number}fn{k}"})
                        fn.text = ("A note of the edition on this paragraph, as FRUS prints its sources and "
                                   "cross-references; compare the memorandum of ")
                        who = etree.SubElement(fn, f"{T}persName", {"corresp": "#" + persons[k * 7 % len(persons)]})
                        who.text = "the Ambassador"
                        who.tail = f" (file {k}, Central Files, 793.00/{k % 12 + 1}-{k % 28 + 1}61)."
    (target / "tei").mkdir(parents=True, exist_ok=True)
    tree.write(str(target / "tei" / "book.xml"), encoding="utf-8", xml_declaration=True)
    return target


def make_edition(corpora: Path, copies: int, target: Path, vary: bool = False) -> Path:
    """Every corpus file (the deliberately broken ones left out) *copies* times, as one edition;
    *vary*: each copy's text changed (vary()), so that no two documents are the same bytes or
    lay out a paragraph the same."""
    tei = target / "tei"
    tei.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in corpora.rglob("*.xml") if "negative" not in p.parts)
    for p in files:
        for c in range(copies):
            # registers keep their names: documents point at them by file name
            name = p.name if c == 0 or p.name == "people.xml" else f"{p.stem}-copy{c}{p.suffix}"
            if (tei / name).exists():
                continue
            if vary and c:
                (tei / name).write_bytes(varied(p, c))
            else:
                shutil.copy(p, tei / name)
    return target


# the elements whose text a varied copy changes: every paragraph, verse line, item, heading and note
VARIED = {f"{T}{name}" for name in ("p", "l", "ab", "item", "head", "note", "speaker", "stage")}


def varied(p: Path, copy_no: int) -> bytes:
    """A copy of the TEI file *p* whose text differs from it throughout (as
    scripts/benchmark_scale.py varies letters): a word of the document's own, chosen at random
    (seeded by the file and the copy), put at the start of the text of every paragraph, verse line,
    item, heading and note, and the copy's number in its title; markup, length and languages
    stay those of the original."""
    import random

    tree = etree.parse(str(p), etree.XMLParser(huge_tree=True))
    root = tree.getroot()
    text = root.find(f".//{T}text")
    words = sorted(set(re.findall(r"[^\W\d_]{4,}", " ".join(text.itertext())))) if text is not None else []
    rng = random.Random(f"{p.name}/{copy_no}")
    if words:
        for el in text.iter(*VARIED):
            if el.text and el.text.strip():
                el.text = f"{rng.choice(words)} {el.text.lstrip()}"
    title = root.find(f".//{T}titleStmt/{T}title")
    if title is not None:
        title.text = f"{(title.text or '').strip()} (copy {copy_no})"
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


# -- the floor: plain Typst -----------------------------------------------------------------

BLOCKS = {"p", "ab", "l", "item", "head", "stage", "speaker", "dateline", "salute", "signed", "trailer",
          "byline", "docAuthor", "label", "closer", "opener", "postscript", "bibl", "castItem", "lg"}
SKIP = {"teiHeader", "facsimile", "standOff"}


def _escape(s: str) -> str:
    s = " ".join(s.split())
    return re.sub(r"([\\#*_`$<>@\[\]~=+\-/:'\".])", r"\\\1", s)


def _inline(el, out: list[str]) -> None:
    """Text of *el* (no tail), footnotes as #footnote[]."""
    if el.text:
        out.append(_escape(el.text) + (" " if el.text[-1:].isspace() else ""))
    for c in el:
        if isinstance(c.tag, str):
            name = etree.QName(c).localname
            if name == "note":
                inner: list[str] = []
                _inline(c, inner)
                out.append("#footnote[" + "".join(inner).strip() + "]")
            elif name not in SKIP:
                _inline(c, out)
        if c.tail:
            out.append((" " if c.tail[:1].isspace() else "") + _escape(c.tail) + (" " if c.tail[-1:].isspace() else ""))


def plain_typst(tei_file: Path) -> str:
    """The text of a TEI file as plain Typst markup: headings, paragraphs, footnotes."""
    root = etree.parse(str(tei_file), etree.XMLParser(remove_comments=True, huge_tree=True)).getroot()
    title = " ".join("".join(root.find(f"{T}teiHeader//{T}title").itertext()).split()) \
        if root.find(f"{T}teiHeader//{T}title") is not None else "Untitled"
    out = [f'#set document(title: "{_escape(title)}")',
           '#set page(width: 156mm, height: 234mm, binding: left, margin: (inside: 20mm, outside: 30mm, '
           'top: 24mm, bottom: 24mm), numbering: "1")',
           '#set text(font: "Libertinus Serif", size: 10.5pt, lang: "en", hyphenate: true)',
           '#set par(justify: true, leading: 0.6em, spacing: 0.6em, first-line-indent: 1.2em)',
           '#set footnote.entry(separator: line(length: 25%, stroke: 0.4pt), gap: 0.5em, indent: 0pt)',
           '#show footnote.entry: set text(size: 8.5pt)',
           '#outline()', ""]

    # depth: the divisions with a heading around (PDF/UA forbids skipping a heading level)
    def walk(el, depth: int) -> None:
        for c in el:
            if not isinstance(c.tag, str):
                continue
            name = etree.QName(c).localname
            if name in SKIP:
                continue
            if name == "head":
                parts: list[str] = []
                _inline(c, parts)
                text = "".join(parts).strip()
                if text:
                    out.append("=" * min(6, max(1, depth)) + " " + text + "\n")
            elif name in BLOCKS:
                parts = []
                _inline(c, parts)
                text = "".join(parts).strip()
                if text:
                    out.append(text + "\n")
            elif name == "div" or len(c):
                headed = name == "div" and any(isinstance(x.tag, str) and etree.QName(x).localname == "head"
                                               for x in c)
                walk(c, depth + (1 if headed else 0))
            elif c.text and c.text.strip():
                out.append(_escape(c.text) + "\n")

    text = root.find(f"{T}text")
    walk(text if text is not None else root, 0)
    return "\n".join(out)


# -- measurements (each in a process of its own) --------------------------------------------

def _usage() -> dict:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"cpu": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime,
            "cpu_own": own.ru_utime + own.ru_stime,  # this process: the Python preparation of one document
            "rss_mib": own.ru_maxrss / 1024, "child_mib": kids.ru_maxrss / 1024}


def _pages(pdfs: list[Path]) -> int:
    from pypdf import PdfReader

    return sum(len(PdfReader(p).pages) for p in pdfs)


class WorkerPeaks:
    """The peak resident set (VmHWM) of each Typst worker this process starts, read from /proc
    while it runs: a document printed in volumes typesets each in a worker of its own, so these
    are the volumes' peaks, in the order they were typeset.  The Typst workers are children of the
    PDF stage's forked workers, so every descendant is looked at.  The sampling runs in a process
    of its own (this script with --watch): a thread here would keep the PDF stage from forking
    (teipress.workers forks only a process without other threads), and so measure another path."""

    # (every 50 ms the watcher took 3 % of a core, which two busy workers felt and one did not)
    def __init__(self, every: float = 0.25):
        self.every = every
        self.peaks: dict[int, float] = {}
        self._out = Path(tempfile.mkstemp(prefix="teipress-peaks-", suffix=".json")[1])

    def __enter__(self):
        self._proc = subprocess.Popen([sys.executable, __file__, "--watch", str(os.getpid()), str(self._out),
                                       str(self.every)], stdin=subprocess.PIPE)
        return self

    def __exit__(self, *exc):
        self._proc.stdin.close()  # the watcher's signal to write what it saw and end
        self._proc.wait()
        seen = json.loads(self._out.read_text() or "{}")
        self.peaks = {int(k): v for k, v in seen.get("peaks", {}).items()}
        self.lanes = sorted(seen.get("lanes", {}).values(), reverse=True)
        self._out.unlink()


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*"):
            try:
                kids = [int(x) for x in (task / "children").read_text().split()]
            except OSError:
                continue
            out += kids
            todo += kids
    return out


TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu(pid: int, reaped: bool = True) -> float:
    """Seconds of CPU of *pid* (user + system), and of its children it has waited for."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # after the command's name: state is field 3 of stat(5), utime 14, stime 15, cutime 16, cstime 17
    ticks = int(fields[11]) + int(fields[12]) + ((int(fields[13]) + int(fields[14])) if reaped else 0)
    return ticks / TICK


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids += [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            continue
    return kids


def _lanes(pid: int, lanes: dict[int, float]) -> None:
    """The CPU of each lane of the PDF stage so far: a forked worker (a child of *pid* running
    this script's measurement, not the watcher) with the Typst children it has ended and the
    one it has now.  The busiest lane is what the stage's wall time would be on idle cores."""
    for kid in _children(pid):
        try:
            if b"--measure" not in Path(f"/proc/{kid}/cmdline").read_bytes():
                continue
            total = _cpu(kid) + sum(_cpu(k, reaped=False) for k in _descendants(kid))
        except (OSError, ValueError, IndexError):
            continue
        lanes[kid] = max(lanes.get(kid, 0.0), total)


def watch(pid: int, out: Path, every: float) -> None:
    """--watch: the peaks of *pid*'s Typst workers (any depth below it), and the CPU of each of
    its forked workers with their Typst children (_lanes), until stdin closes."""
    peaks: dict[int, float] = {}
    lanes: dict[int, float] = {}
    done = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    while not done.is_set():
        _lanes(pid, lanes)
        for kid in _descendants(pid):
            try:
                if b"teipress.outputs.typeset" not in Path(f"/proc/{kid}/cmdline").read_bytes():
                    continue
                status = Path(f"/proc/{kid}/status").read_text()
            except OSError:
                continue
            m = re.search(r"VmHWM:\s+(\d+) kB", status)
            if m:
                peaks[kid] = max(peaks.get(kid, 0.0), int(m.group(1)) / 1024)
        done.wait(every)
    out.write_text(json.dumps({"peaks": peaks, "lanes": lanes}))


def measure_teipress(edition_dir: Path) -> dict:
    """The PDF stage of teipress for an edition (model built first, not timed)."""
    from teipress import edition
    from teipress.commands.build import BuildContext, make_model
    from teipress.outputs import pdf, pdf_timeline

    ed = edition.load(edition_dir)
    model = make_model(ed)
    out = Path(tempfile.mkdtemp(prefix="teipress-bench-"))
    ctx = BuildContext(edition=ed, out=out, model=model, keep_going=True, scratch=out)
    timeline = out / "timeline.jsonl"
    os.environ[pdf_timeline.ENV] = str(timeline)  # the workers inherit it
    before = _usage()
    t0 = time.perf_counter()
    with WorkerPeaks() as workers:
        pdf.build(ctx)
    wall = time.perf_counter() - t0
    after = _usage()
    del os.environ[pdf_timeline.ENV]
    records = pdf_timeline.read(timeline) if timeline.exists() else []  # (none: a teipress before timelines)
    pdfs = sorted((out / "pdf").rglob("*.pdf"))  # a document in volumes: pdf/<id>/volume-<n>.pdf
    volumes = sorted((out / "pdf").glob("*/volume-*.pdf"), key=lambda p: int(p.stem.split("-")[1]))
    result = {"wall": wall, "cpu": after["cpu"] - before["cpu"], "pages": _pages(pdfs),
              "cpu_own": after["cpu_own"] - before["cpu_own"],
              "rss_mib": after["rss_mib"], "child_mib": after["child_mib"], "documents": len(ed.documents),
              "pdfs": len(pdfs), "left_out": [str(x) for x in ctx.left_out],
              "volumes": [_pages([p]) for p in volumes],
              "worker_peaks": [round(workers.peaks[pid]) for pid in sorted(workers.peaks)],
              # the CPU of each forked worker with its Typst children, busiest first (none: one lane)
              "lanes": [round(x, 1) for x in workers.lanes],
              "timeline": pdf_timeline.summary(records) if records else None, "records": records}
    shutil.rmtree(out, ignore_errors=True)
    return result


def measure_floor(edition_dir: Path) -> dict:
    """Plain Typst of every document, typeset one after another in this process."""
    import typst

    from teipress import edition
    from teipress.outputs import pdf

    ed = edition.load(edition_dir)
    work = Path(tempfile.mkdtemp(prefix="teipress-floor-"))
    sources = []
    for i, doc in enumerate(ed.documents):
        src = work / f"{i}.typ"
        src.write_text(plain_typst(doc.path), encoding="utf-8")
        sources.append(src)
    before = _usage()
    t0 = time.perf_counter()
    outs = []
    failed = 0
    for src in sources:
        target = src.with_suffix(".pdf")
        try:
            target.write_bytes(typst.compile(str(src), root=str(work), font_paths=pdf.font_paths(),
                                             ignore_system_fonts=True, pdf_standards=pdf.STANDARDS,
                                             timestamp=int(EPOCH)))
        except typst.TypstError as exc:  # e.g. a character no font has: counted, not fatal
            failed += 1
            print(f"plain Typst refused {src.name}: {exc}", file=sys.stderr)
            continue
        outs.append(target)
    wall = time.perf_counter() - t0
    after = _usage()
    result = {"wall": wall, "cpu": after["cpu"] - before["cpu"], "pages": _pages(outs),
              "rss_mib": after["rss_mib"], "child_mib": 0.0, "documents": len(sources) - failed}
    shutil.rmtree(work, ignore_errors=True)
    return result


def measure_incremental(edition_dir: Path) -> dict:
    """The PDF stage twice with the workers kept warm (as `teipress serve` may keep them): once
    cold, then after one paragraph of the first document changed (model rebuilt, not timed)."""
    from teipress import edition
    from teipress.commands.build import BuildContext, make_model
    from teipress.outputs import pdf, typeset

    work = Path(tempfile.mkdtemp(prefix="teipress-incr-"))
    shutil.copytree(edition_dir / "tei", work / "tei")
    if (edition_dir / "edition.toml").exists():
        shutil.copy(edition_dir / "edition.toml", work / "edition.toml")
    typeset.keep_warm()
    times = []
    try:
        for round_ in range(2):
            if round_:
                first = edition.load(work).documents[0].path
                text = first.read_text(encoding="utf-8")
                at = text.index(">", text.index("<p", text.index("<body"))) + 1
                first.write_text(text[:at] + "A changed paragraph. " + text[at:], encoding="utf-8")
            ed = edition.load(work)
            ctx = BuildContext(edition=ed, out=work / f"out{round_}", model=make_model(ed), keep_going=True,
                               scratch=work)
            t0 = time.perf_counter()
            pdf.build(ctx)
            times.append(time.perf_counter() - t0)
    finally:
        typeset.keep_warm(False)
        shutil.rmtree(work, ignore_errors=True)
    return {"cold": times[0], "changed": times[1], "documents": len(ed.documents)}


def where_the_time_went(t: dict) -> str:
    """The timeline of a run (teipress.outputs.pdf_timeline.summary) in words: the serial parts
    (the main process alone before the first document and after the last), and each lane (a
    forked worker with its Typst child): its CPU, its documents and how long it stood idle at
    the end while another worked.  Under load the wall times stretch; the CPU does not."""
    if t is None:
        return "no timeline"
    lanes = t["lanes"]
    return (f"main process {t['main_cpu']:.2f} s of CPU, {t['before_first']:.2f} s before the first document, "
            f"{t['after_last']:.2f} s after the last; lanes "
            + " / ".join(f"{x['cpu']:.1f}" for x in lanes) + " s of CPU ("
            + " / ".join(str(x["documents"]) for x in lanes) + " documents), idle at the end "
            + " / ".join(f"{x['idle_at_end'] - t['after_last']:.2f}" for x in lanes) + " s, idle in all "
            + " / ".join(f"{x.get('idle', 0.0):.2f}" for x in lanes) + " s, taken from another lane "
            + " / ".join(str(x.get("stolen", 0)) for x in lanes))


def estimated_speedup(one: dict, t: dict | None) -> float | None:
    """What the speed-up of the workers would be on idle cores, from CPU alone: the CPU of the
    stage one document at a time over the longest lane's CPU and idle time (the main process's
    serial CPU added).  Under load, wall times stretch with other sessions' work; this does not."""
    if not t or not t["lanes"]:
        return None
    return one["cpu"] / (max(x["cpu"] + x.get("idle", 0.0) for x in t["lanes"]) + t["main_cpu"])


def _est(one: dict, tp: dict) -> str:
    e = estimated_speedup(one, tp["timeline"])
    return f"{e:.2f}×" if e else "–"


def chart(records: list[dict], width: int = 100) -> str:
    """Each lane of a run as a line of *width* columns over its wall time: '#' a document under
    way, 's' one it took from another lane's stretch, '.' idle; and the main process ('m':
    before the first document and after the last)."""
    from teipress.outputs import pdf_timeline

    begin = next(r["t"] for r in records if r.get("event") == "begin")
    end = next(r["t"] for r in records if r.get("event") == "end")
    step = max(end - begin, 1e-9) / width
    lanes = pdf_timeline.lanes(records)
    first = min((d[0]["start"] for d in lanes.values()), default=end)
    last = max((d[-1]["end"] for d in lanes.values()), default=begin)
    rows = ["main   " + "".join("m" if begin + (k + 0.5) * step < first or begin + (k + 0.5) * step > last
                                else " " for k in range(width))]
    for n, docs in enumerate(lanes.values(), 1):
        cols = []
        for k in range(width):
            t = begin + (k + 0.5) * step
            now = [d for d in docs if d["start"] <= t < d["end"]]
            cols.append(("s" if now[0].get("stolen") else "#") if now else ".")
        rows.append(f"lane {n} " + "".join(cols))
    return "\n".join(rows) + f"\n(one column: {step * 1000:.0f} ms)"


def child(what: str, edition_dir: Path, jobs: int) -> dict:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "TEIPRESS_JOBS": str(jobs)}
    proc = subprocess.run([sys.executable, __file__, "--measure", what, str(edition_dir)],
                          capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"{what} of {edition_dir} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def row(name: str, r: dict, floor: dict | None) -> str:
    peak = max(r["rss_mib"], r["child_mib"])
    ratio = f"{r['wall'] / floor['wall']:.2f}× / {r['cpu'] / floor['cpu']:.2f}×" if floor else "–"
    return (f"| {name} | {r['documents']} | {r['pages']} | {r['wall']:.1f} | {r['cpu']:.1f} | "
            f"{1000 * r['wall'] / max(1, r['pages']):.1f} | {1000 * r['cpu'] / max(1, r['pages']):.1f} | "
            f"{peak:.0f} | {ratio} |")


def machine() -> str:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores{', ' + cpu if cpu else ''}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=REPO.parent / "shared" / "corpora")
    ap.add_argument("--cases", default="book,book10,edition,incremental")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="TEIPRESS_JOBS for the PDF stage")
    ap.add_argument("--keep", type=Path, help="make the inputs in this folder and keep them")
    ap.add_argument("--write", type=Path, help="also write the table into this markdown file")
    ap.add_argument("--rounds", type=int, default=1,
                    help="edition, distinct: measure one at a time and --jobs workers this many times each")
    ap.add_argument("--no-floor", action="store_true", help="leave out plain Typst (book10's takes 10 minutes)")
    ap.add_argument("--one-file", action="store_true",
                    help="also typeset each book as one file ([pdf] volume_characters = 0), as before volumes")
    ap.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--watch", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.watch:
        watch(int(args.watch[0]), Path(args.watch[1]), float(args.watch[2]))
        return
    if args.measure:
        what, folder = args.measure
        measure = {"teipress": measure_teipress, "floor": measure_floor, "incremental": measure_incremental}[what]
        print(json.dumps(measure(Path(folder))))
        return
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    lines = ["| input | documents | pages | wall (s) | CPU (s) | wall ms/page | CPU ms/page | peak memory (MiB) "
             "| × plain Typst (wall / CPU) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="teipress-book-"))
    try:
        for case in cases:
            if case == "incremental":
                continue
            folder = tmp / case
            if not (folder / "tei").exists():
                if case == "book":
                    make_book(args.corpora, 1, 1, folder)
                elif case == "book10":
                    make_book(args.corpora, 10, 1, folder)
                elif case == "edition":
                    make_edition(args.corpora, 3, folder)
                elif case == "distinct":
                    make_edition(args.corpora, 1, folder)
                elif case == "varied":
                    make_edition(args.corpora, 3, folder, vary=True)
                else:
                    raise SystemExit(f"unknown case {case}")
            size = sum(p.stat().st_size for p in (folder / "tei").glob("*.xml")) / 1e6
            notes = sum(len(re.findall(r"<note[\s>]", p.read_text(encoding="utf-8")))
                        for p in (folder / "tei").glob("*.xml"))
            label = f"{case} ({size:.1f} MB, {notes} notes)"
            floor = None
            if not args.no_floor:
                floor = child("floor", folder, args.jobs)
                lines.append(row(f"{label}: plain Typst", floor, None))
                print(lines[-1], flush=True)
            if args.one_file and case.startswith("book"):
                single = folder.parent / f"{case}-one-file"
                if not (single / "tei").exists():
                    shutil.copytree(folder / "tei", single / "tei")
                    (single / "edition.toml").write_text("[pdf]\nvolume_characters = 0\n", encoding="utf-8")
                one = child("teipress", single, args.jobs)
                lines.append(row(f"{label}: teipress PDF stage, one file", one, floor))
                print(lines[-1], flush=True)
            tp = child("teipress", folder, args.jobs)
            lines.append(row(f"{label}: teipress PDF stage" + (f", {len(tp['volumes'])} volumes" if tp["volumes"] else ""),
                             tp, floor))
            print(lines[-1], flush=True)
            if tp["volumes"]:
                lines.append(f"| … per volume: pages {' + '.join(map(str, tp['volumes']))}; peak memory of each "
                             f"volume's worker (MiB), in the order typeset: {', '.join(map(str, tp['worker_peaks']))}; "
                             f"CPU of the Python preparation {tp['cpu_own']:.1f} s, of the Typst workers "
                             f"{tp['cpu'] - tp['cpu_own']:.1f} s | | | | | | | | |")
                print(lines[-1], flush=True)
            if tp["left_out"]:
                print("  left out: " + "; ".join(tp["left_out"]), flush=True)
            if case in ("edition", "distinct", "varied") and args.jobs > 1:
                for n in range(1, args.rounds + 1):
                    if n > 1:
                        tp = child("teipress", folder, args.jobs)
                        lines.append(row(f"{label}: teipress PDF stage, round {n}", tp, floor))
                        print(lines[-1], flush=True)
                    one = child("teipress", folder, 1)
                    lines.append(row(f"{label}: teipress PDF stage, one document at a time, round {n}", one, floor))
                    print(lines[-1], flush=True)
                    lines.append(f"| speed-up of {args.jobs} workers over one, round {n} (load {os.getloadavg()[0]:.1f}) "
                                 f"| | | {one['wall'] / tp['wall']:.2f}× (from CPU: {_est(one, tp)}) "
                                 f"| CPU {tp['cpu'] / one['cpu']:.2f}× of one's; "
                                 f"{where_the_time_went(tp['timeline'])} | | | | |")
                    print(lines[-1], flush=True)
                    if tp["records"]:
                        print(chart(tp["records"]), flush=True)
        if "incremental" in cases:
            lines += ["", "| PDF stage, workers kept warm (serve) | documents | first build (s) | "
                      "after a one-paragraph change (s) |", "|---|---:|---:|---:|"]
            for name, folder in [("default edition (tei/)", REPO)] + [
                    (case, tmp / case) for case in cases if case.startswith("book") and (tmp / case).exists()]:
                r = child("incremental", folder, args.jobs)
                lines.append(f"| {name} | {r['documents']} | {r['cold']:.2f} | {r['changed']:.2f} |")
                print(lines[-1], flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    out = f"Measured on {machine()}, TEIPRESS_JOBS={args.jobs}.\n\n" + "\n".join(lines) + "\n"
    print(out)
    if args.write:
        text = args.write.read_text(encoding="utf-8")
        begin, end = "<!-- book-run:begin -->", "<!-- book-run:end -->"
        block = f"{begin}\n{out}{end}"
        if begin in text and end in text:
            text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
        else:
            text += "\n" + block + "\n"
        args.write.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

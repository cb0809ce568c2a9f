"""A document Typst cannot typeset: reported at its TEI file, line and column (the element being
typeset when Typst failed, outputs/pdf_locate.py), every failure in one run; the other documents
are built with --keep-going, and nothing is written without it.

The real failure used here: Typst stops at a fixed depth of nested calls ("maximum function call
depth exceeded"), and the template's walk of the model is recursive, so phrases nested some 35
deep (valid TEI: <hi> inside <hi> …) cannot be typeset as they are.  The build flattens such
nesting for the PDF (outputs/pdf_depth.py), so no valid document fails that way; these tests
switch the flattening off (the fixture `unflattened`, a test double of a document Typst cannot
typeset) to get a genuine failure out of Typst itself."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from click.testing import CliRunner
from lxml import etree

from conftest import MINI_DOC, edition_model, line_of
from teipress import edition as edition_mod
from teipress.cli import main
from teipress.commands.build import BuildContext, BuildError
from teipress.outputs import pdf_depth, pdf_locate
from teipress.xmlparse import NS
from test_keep_going import other_doc

DEPTH = 60  # far past Typst's limit of nested calls, whatever the walk spends on each level
TYPST_SAYS = "PDF: maximum function call depth exceeded"


@pytest.fixture
def unflattened(monkeypatch):
    """The PDF's model handed to Typst as deep as it is: the test double of a document Typst
    cannot typeset (the build otherwise flattens nesting past pdf_depth.MAX_DEPTH)."""
    monkeypatch.setattr(pdf_depth, "shallow", lambda root: (root, 0))


def nested(word: str) -> str:
    return "".join(f'<hi rend="italic">{word}{i} ' for i in range(DEPTH)) + "core" + "</hi>" * DEPTH


def deep_doc(name: str, where: str) -> str:
    """A good document, but for phrases nested DEPTH deep in its paragraph (where='p') or in a
    note inside its paragraph (where='note')."""
    text = other_doc(name)
    if where == "p":
        return text.replace("wrote from", f"wrote\n          {nested('deep')} from")
    return text.replace("</placeName>.", f'</placeName>.<note>A note\n          {nested("deep")}</note>')


def run(*args, env=None):
    return CliRunner(env=env).invoke(main, [str(a) for a in args], catch_exceptions=False)


def hi_starts(text: str) -> tuple[int, list[int]]:
    """The line of the nested phrases and the columns where each of their <hi> starts."""
    line = line_of(text, "deep0")
    source = text.splitlines()[line - 1]
    return line, [m.start() + 1 for m in re.finditer("<hi", source)]


def reported(lines: list[str], name: str) -> tuple[int, int]:
    """(line, column) of *name*'s compiler-style report."""
    [hit] = [ln for ln in lines if re.search(rf"(^|/){re.escape(name)}:\d+:\d+: error: ", ln)]
    m = re.search(rf"{re.escape(name)}:(\d+):(\d+): error: (.*)$", hit)
    assert m.group(3) == TYPST_SAYS, hit
    return int(m.group(1)), int(m.group(2))


@pytest.fixture
def forked(monkeypatch):
    """The PDF stage in forked workers (pdf.in_workers) even after a test that left a thread idle."""
    from teipress import workers

    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)


def test_every_document_typst_cannot_typeset_is_reported_at_its_tei_line(make_edition, tmp_path, unflattened,
                                                                         forked):
    b, d = deep_doc("b", "p"), deep_doc("d", "note")
    root = make_edition(extra={"b.xml": b, "c.xml": other_doc("c"), "d.xml": d})
    out = tmp_path / "out"
    r = run("build", root, "--out", out, env={"SOURCE_DATE_EPOCH": "1700000000", "TEIPRESS_JOBS": "2"})
    assert r.exit_code == 1
    assert "error: 2 PDF(s) could not be typeset" in r.stderr
    lines = r.stderr.splitlines()
    for name, text in (("b.xml", b), ("d.xml", d)):
        line, col = reported(lines, name)
        hi_line, columns = hi_starts(text)
        # an element of the nested phrases, well inside them: where the depth ran out
        assert line == hi_line and col in columns[5:], (name, line, col, columns)
    assert "nothing was written" in r.stderr and not out.exists()
    assert "Traceback" not in r.output


def test_keep_going_builds_the_others_and_leaves_no_trace_of_the_failed_pdf(make_edition, tmp_path, unflattened,
                                                                           forked):
    b = deep_doc("b", "p")
    root = make_edition(extra={"b.xml": b, "c.xml": other_doc("c")})
    out = tmp_path / "out"
    # an earlier build had a b.pdf: it must not survive into the new build
    (out / "pdf").mkdir(parents=True)
    (out / "pdf" / "b.pdf").write_bytes(b"%PDF-1.7 stale")
    (out / "html").mkdir()
    r = run("build", root, "--out", out, "--keep-going", env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert r.exit_code == 1
    [listed] = [ln for ln in r.stdout.splitlines() if ": error: " in ln]
    assert reported([listed], "b.xml")[0] == hi_starts(b)[0]
    assert r.stderr.splitlines()[-1].startswith("error: 1 file(s) left out or incomplete")
    assert sorted(p.name for p in (out / "pdf").iterdir()) == ["c.pdf", "mini.pdf"]
    for doc_id in ("b", "c", "mini"):  # every page, the failed document's too (without its PDF link)
        assert (out / "html" / "documents" / f"{doc_id}.html").is_file()
    assert "b.pdf" not in (out / "html" / "documents" / "b.html").read_text(encoding="utf-8")
    leftovers = [p for p in out.parent.rglob("*") if p.name.startswith(".") or "teipress-" in p.name]
    assert leftovers == []


# -- the search itself, with a stand-in for Typst (a test double: it "fails" whenever the
#    typeset beginning holds the element with xml:id="bad") ---------------------------------

BAD_DOC = MINI_DOC.replace('<p xml:id="p1">', '<p xml:id="p1">Before <seg>one <hi rend="italic">two\n'
                           '   <seg>three</seg> <seg xml:id="bad">four</seg></hi></seg> after.</p>\n<p>')


def _context(make_edition, tmp_path, doc_text: str):
    ed = edition_mod.load(make_edition(doc=doc_text))
    model = edition_model(ed)
    [doc] = [d for d in model.documents if d.id == "mini"]
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    return BuildContext(edition=ed, out=tmp_path / "o", model=model, scratch=scratch), doc


def _fails_with_bad(message: str, seen: list[int]):
    def typeset(ctx, doc, work: Path):
        seen.append(len(list(doc.model.iter())))
        assert work.is_dir() and doc.model.getroot().get("id") == "mini"
        if doc.file.root.xpath("//tei:seg[@xml:id='bad']", namespaces=NS):
            raise BuildError(message)
        return b"%PDF"
    return typeset


def test_the_element_whose_beginning_fails_is_named(make_edition, tmp_path):
    ctx, doc = _context(make_edition, tmp_path, BAD_DOC)
    seen: list[int] = []
    at = pdf_locate.locate(ctx, doc, "PDF: stand-in", _fails_with_bad("PDF: stand-in", seen))
    line = line_of(BAD_DOC, 'xml:id="bad"')
    assert at == (line, BAD_DOC.splitlines()[line - 1].index('<seg xml:id="bad"') + 1)
    elements = len([e for e in doc.file.root.find(pdf_locate.TEI_TEXT).iter() if isinstance(e.tag, str)])
    assert len(seen) <= 2 + elements.bit_length()  # a bisection, not a walk through every element
    assert len(set(seen)) > 2  # and the models typeset were of different beginnings


def test_a_failure_that_is_not_in_the_text_names_no_element(make_edition, tmp_path):
    ctx, doc = _context(make_edition, tmp_path, BAD_DOC)

    def always(ctx, doc, work):
        raise BuildError("PDF: stand-in")

    assert pdf_locate.locate(ctx, doc, "PDF: stand-in", always) is None
    # another message than the build's is another failure: not this one
    assert pdf_locate.locate(ctx, doc, "PDF: stand-in", _fails_with_bad("PDF: other", [])) is None


def test_a_beginning_stops_before_its_element_at_every_level(make_edition, tmp_path):
    root = etree.fromstring(BAD_DOC.split("?>", 2)[-1].encode())
    text = root.find(pdf_locate.TEI_TEXT)
    elements = [e for e in text.iter() if isinstance(e.tag, str) and e is not text]
    k = next(i for i, e in enumerate(elements) if e.get("{http://www.w3.org/XML/1998/namespace}id") == "bad")
    cut = pdf_locate.beginning(root, k)
    words = " ".join("".join(cut.find(pdf_locate.TEI_TEXT).itertext()).split())
    assert words.endswith("Before one two three") and "four" not in words and "after" not in words
    assert "Anna" not in words  # the paragraph after it, too
    assert cut.find("{%s}teiHeader" % NS["tei"]) is not None  # the header stays whole
    assert " ".join("".join(pdf_locate.beginning(root, len(elements)).itertext()).split()) == \
        " ".join("".join(root.itertext()).split())
    assert root.find(".//{%s}seg[@{http://www.w3.org/XML/1998/namespace}id='bad']" % NS["tei"]) is not None


def test_each_beginning_is_typeset_in_a_worker_of_its_own(make_edition, tmp_path, monkeypatch, unflattened):
    """One worker's caches would pile up every beginning the search typesets (2.9 GB for a 1.3 MB
    book): each ends with its job."""
    from teipress.outputs import typeset
    from test_typeset import count_workers

    started = count_workers(monkeypatch)
    root = make_edition(doc=deep_doc("mini", "p"))
    r = run("build", root, "--out", tmp_path / "out", env={"SOURCE_DATE_EPOCH": "1700000000", "TEIPRESS_JOBS": "1"})
    assert r.exit_code == 1 and reported(r.stderr.splitlines(), "mini.xml")
    assert len(started) > 3 and all(w.done == 1 for w in started)
    assert not typeset._idle and all(w.proc.poll() is not None for w in started)

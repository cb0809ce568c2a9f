"""`teipress build` fails fast, and with --keep-going builds every good document, lists the
bad ones with file:line and exits 1."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from conftest import MINI_DOC, line_of
from teipress.cli import main
from teipress.commands.build import BuildError
from teipress.outputs import pdf

B_BROKEN_REF = 'persons.xml#nobody'


def other_doc(name: str) -> str:
    """MINI_DOC under other ids, without its note (and the note taxonomy)."""
    text = MINI_DOC.replace('xml:id="mini"', f'xml:id="{name}"')
    text = re.sub(r"<encodingDesc>.*</encodingDesc>|<note .*</note>", "", text, flags=re.S)
    for xid in ("ed", "d1", "p1"):
        text = text.replace(f'xml:id="{xid}"', f'xml:id="{xid}-{name}"').replace(f'"#{xid}"', f'"#{xid}-{name}"')
    return text


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_without_keep_going_an_invalid_document_stops_the_build(make_edition, tmp_path):
    root = make_edition(extra={"b.xml": other_doc("b").replace("persons.xml#anna", B_BROKEN_REF)})
    r = run("build", root, "--out", tmp_path / "out")
    assert r.exit_code == 1 and "nothing was built" in r.output
    assert not (tmp_path / "out").exists()


def test_keep_going_leaves_out_an_invalid_document(make_edition, tmp_path):
    bad = other_doc("b").replace("persons.xml#anna", B_BROKEN_REF)
    root = make_edition(extra={"b.xml": bad})
    out = tmp_path / "out"
    r = run("build", root, "--out", out, "--keep-going")
    assert r.exit_code == 1
    listed = [line for line in r.stdout.splitlines() if "left out of the build" in line]
    assert len(listed) == 1
    where, _, why = listed[0].partition(": error: ")
    assert where.endswith(f"b.xml:{line_of(bad, B_BROKEN_REF)}:{where.rsplit(':', 1)[1]}")
    assert why == "left out of the build: 1 error(s), the first [pointer-resolves] here"
    assert any("nobody" in line and line.endswith("[pointer-resolves]") for line in r.stdout.splitlines())
    assert r.stderr.splitlines()[-1].startswith("error: 1 file(s) left out")
    # the good document is built whole; the bad one is nowhere
    assert (out / "html" / "documents" / "mini.html").is_file() and (out / "pdf" / "mini.pdf").is_file()
    assert (out / "tei" / "mini.xml").is_file() and not (out / "tei" / "b.xml").exists()
    assert not list(out.rglob("b.*")) and "b.html" not in (out / "html" / "index.html").read_text()


def test_keep_going_leaves_out_a_malformed_document(make_edition, tmp_path):
    bad = other_doc("b").replace("</head>", "</hed>")
    root = make_edition(extra={"b.xml": bad})
    r = run("build", root, "--out", tmp_path / "out", "--keep-going", "--no-validate")
    assert r.exit_code == 1
    [listed] = [line for line in r.stdout.splitlines() if "left out of the build" in line]
    assert re.search(rf"b\.xml:{line_of(bad, '</hed>')}:\d+: error: left out of the build", listed)
    assert (tmp_path / "out" / "html" / "documents" / "mini.html").is_file()


def test_keep_going_with_a_broken_register_builds_nothing_it_cannot(make_edition, tmp_path):
    """A register with errors is left out, and with it every document that points into it:
    here that is every document, so nothing is built."""
    from conftest import MINI_PERSONS

    root = make_edition(persons=MINI_PERSONS.replace('<birth when="1900"/>', '<birth when="1900-13"/>'))
    r = run("build", root, "--out", tmp_path / "out", "--keep-going")
    assert r.exit_code == 1 and "nothing was built" in r.output
    assert not (tmp_path / "out").exists()


def _fail_pdf_of(doc_id: str, calls: Path):
    """A test double of pdf.compile_pdf failing for *doc_id*; the documents it is asked for are
    written to the file *calls* (the PDF stage typesets in forked workers)."""
    real = pdf.compile_pdf

    def compile_pdf(workdir, build_time, log=lambda m: None, **kwargs):
        this = json.loads((workdir / "data.json").read_text(encoding="utf-8"))["id"]
        with open(calls, "a", encoding="utf-8") as fh:
            fh.write(this + "\n")
        if this == doc_id:
            raise BuildError("Typst could not typeset the PDF: (a failure made by the test)")
        return real(workdir, build_time, log, **kwargs)

    return compile_pdf


def test_keep_going_passes_over_a_pdf_that_cannot_be_typeset(make_edition, tmp_path, monkeypatch):
    calls = tmp_path / "calls"
    monkeypatch.setattr(pdf, "compile_pdf", _fail_pdf_of("b", calls))
    root = make_edition(extra={"b.xml": other_doc("b"), "c.xml": other_doc("c")})
    out = tmp_path / "out"
    r = run("build", root, "--out", out, "--keep-going")
    assert r.exit_code == 1
    assert sorted(calls.read_text().split()) == ["b", "c", "mini"]
    [listed] = [line for line in r.stdout.splitlines() if ": error: " in line]
    assert listed.endswith("b.xml: error: Typst could not typeset the PDF: (a failure made by the test)")
    assert sorted(p.name for p in (out / "pdf").iterdir()) == ["c.pdf", "mini.pdf"]
    page = (out / "html" / "documents" / "b.html").read_text(encoding="utf-8")
    assert "b.pdf" not in page  # its page stays, without a PDF to link
    assert "c.pdf" in (out / "html" / "documents" / "c.html").read_text(encoding="utf-8")


def test_without_keep_going_every_failed_pdf_is_reported_and_nothing_written(make_edition, tmp_path, monkeypatch):
    """One run reports every document Typst cannot typeset; the build then writes nothing."""
    calls = tmp_path / "calls"
    monkeypatch.setattr(pdf, "compile_pdf", _fail_pdf_of("b", calls))
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    root = make_edition(extra={"b.xml": other_doc("b"), "c.xml": other_doc("c")})
    out = tmp_path / "out"
    r = run("build", root, "--out", out)
    assert r.exit_code == 1
    assert calls.read_text().split() == ["b", "c", "mini"]  # the documents after the failed one were still typeset
    assert "error: 1 PDF(s) could not be typeset" in r.stderr
    assert any(line.endswith("b.xml: error: Typst could not typeset the PDF: (a failure made by the test)")
               for line in r.stderr.splitlines())
    assert "nothing was written" in r.stderr and not out.exists()


def test_a_pdf_too_big_for_the_memory_limit_is_a_message(make_edition, tmp_path):
    """A real Typst failure: typesetting a 2 MB paragraph under a 300 MB limit aborts the
    Typst process; the build names the document instead of dying with it."""
    words = " ".join(f"word{i}" for i in range(250_000))
    root = make_edition(extra={"big.xml": other_doc("big").replace("wrote from", f"wrote {words} from")})
    env = {**os.environ, "TEIPRESS_PDF_MEMORY": "300M", "SOURCE_DATE_EPOCH": "1700000000"}
    r = subprocess.run([sys.executable, "-m", "teipress", "build", str(root), "--out", str(tmp_path / "out"),
                        "--keep-going"], env=env, capture_output=True, text=True)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    [listed] = [line for line in r.stdout.splitlines() if ": error: " in line]
    assert re.search(r"big\.xml: error: the PDF needs more memory than 300\.0 MB", listed), listed
    assert (tmp_path / "out" / "pdf" / "mini.pdf").is_file()
    assert not (tmp_path / "out" / "pdf" / "big.pdf").exists()
    r = subprocess.run([sys.executable, "-m", "teipress", "build", str(root), "--out", str(tmp_path / "o2")],
                       env={**env, "TEIPRESS_PDF_MEMORY": "lots"}, capture_output=True, text=True)
    assert r.returncode == 1 and "TEIPRESS_PDF_MEMORY='lots' is not a size" in r.stderr

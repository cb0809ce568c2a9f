"""Hostile input, generated: markup, '</script>', '{{ }}', Typst syntax, control characters
where XML allows them, bidirectional marks, zero-width and astral characters and very long
strings in every field an editor fills (titles, names, notes, text, dates, link targets, ids,
edition.toml title/id/base_url).  Whatever the input, the build succeeds or fails with a
message (never a traceback), no page carries active content, and nothing is written outside
the output folder.

Reproducible in CI: derandomized, a bounded number of examples, no example database.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from conftest import MINI_DOC, MINI_PERSONS, SCHEMA
from teipress.commands.init import toml_string  # the one TOML string writer
from teipress.cli import main

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

PAYLOADS = [
    '<img src=x onerror=alert(1)>', '"><script>alert(1)</script>', "</script><script>alert(2)</script>",
    "<!--", "]]>", "{{ 7*7 }}", "{% raw %}", "#emph[x]", '#eval("1")', "$x^2$", "]", "[", "*bold*", "_u_",
    "@label", "<label>", "\\", "`code`", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>",
    "vbscript:x", "\u202eevil\u202c", "\u200b\u200c\u200d\ufeff", "\U0001f600\U00010348", "&amp;", "&lt;b&gt;",
    "\t\n\r", "../../../etc/passwd", "%2e%2e/%2e%2e/x", "C:\\x", "NUL", "con", "' or 1=1 --", "${x}",
    "x" * 5000, "word " * 2000,
]

# Characters XML 1.0 allows (no surrogates, no C0 controls but tab/newline/CR, no U+FFFE/FFFF).
_XML_CHAR = st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff").filter(
    lambda c: c in "\t\n\r" or ord(c) >= 32)
HOSTILE = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(_XML_CHAR, min_size=1, max_size=30),
    st.tuples(st.sampled_from(PAYLOADS), st.text(_XML_CHAR, max_size=10), st.sampled_from(PAYLOADS)).map("".join),
)
# xml:id values: NCNames as the schema allows them, and some it does not (built with --no-validate)
IDS = st.one_of(st.from_regex(r"[A-Za-z_][A-Za-z0-9._-]{0,40}", fullmatch=True),
                st.sampled_from(["../../../X", "/abs", "a/b", "..", "NUL", "con.txt", "x" * 300, "a b"]))
BASE_URLS = st.one_of(st.just(None), st.sampled_from(
    ["https://example.org/ed/", "javascript:alert(1)", 'https://x.org/"><script>', "https://u:p@x.org/",
     "http://localhost:8000", "data:,x"]), HOSTILE)


def attr(s: str) -> str:
    return escape(s, {'"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})


def text(s: str) -> str:
    return escape(s).replace("\r", "&#13;")


@st.composite
def editions(draw):
    f = {k: draw(HOSTILE) for k in ("title", "person", "place", "para", "note", "date_text", "head", "target")}
    f["doc_id"] = draw(IDS)
    f["toml"] = draw(st.one_of(st.just(None), st.fixed_dictionaries(
        {"title": st.one_of(HOSTILE, st.sampled_from(["a\x01b", "\x7f", "x\x1b[31mY"])),
         "id": st.one_of(st.just(None), IDS, HOSTILE), "base_url": BASE_URLS})))
    return f


def write(root: Path, f: dict) -> None:
    (root / "tei").mkdir(parents=True)
    doc = (MINI_DOC.replace('xml:id="mini"', f'xml:id="{attr(f["doc_id"])}"')
           .replace("A mini edition", text(f["title"]))
           .replace("Letter of <date", f"{text(f['head'])} <date")
           .replace(">5 March 1961<", f">{text(f['date_text'])}<")
           .replace("wrote from", f"wrote {text(f['para'])} <ref target=\"{attr(f['target'])}\">{text(f['target'])}</ref> from")
           .replace("A note.", text(f["note"])))
    persons = (MINI_PERSONS.replace("Anna Example", text(f["person"]))
               .replace('<placeName type="main">Vienna</placeName>', f'<placeName type="main">{text(f["place"])}</placeName>'))
    (root / "tei" / "doc.xml").write_text(doc, encoding="utf-8")
    (root / "tei" / "persons.xml").write_text(persons, encoding="utf-8")
    if f["toml"]:
        lines = [f"{k} = {toml_string(v)}" for k, v in f["toml"].items() if v is not None]
        (root / "edition.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def snapshot(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:", "file:")
URL_ATTRS = ("href", "src", "action", "formaction", "poster", "srcset", "xlink:href", "background", "cite")
ACTIVE_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "form", "svg", "math"}


def active_content(page: Path) -> list[str]:
    """What in *page* could run or navigate on its own; [] for a page that is only data."""
    problems = []
    root = lxml_html.parse(str(page)).getroot()
    for script in root.iter("script"):
        if script.get("type") == "application/ld+json":
            try:
                json.loads(script.text or "")  # a '</script>' in a title would have cut it short
            except ValueError as exc:
                problems.append(f"JSON-LD is not intact: {exc}")
        elif not (script.get("src") or "").endswith("static/teipress.js") or (script.text or "").strip():
            problems.append(f"script element: {lxml_html.tostring(script)[:120]!r}")
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in ACTIVE_TAGS and not (el.tag == "form" and el.get("id") == "tp-search"):
            problems.append(f"<{el.tag}> element")
        if el.tag == "meta" and el.get("http-equiv"):
            problems.append("meta http-equiv")
        for name, value in el.attrib.items():
            if name.lower().startswith("on"):
                problems.append(f"{name} attribute on <{el.tag}>")
            if name.lower() in URL_ATTRS:
                v = "".join(c for c in value if c > " ").lower()
                if v.startswith(UNSAFE_SCHEMES):
                    problems.append(f"{name}={value[:60]!r} on <{el.tag}>")
    return problems


def build(root: Path, out: Path, stages: list[str]):
    args = ["build", str(root), "--out", str(out), "--no-validate", "-q"]
    for s in stages:
        args += ["--only", s]
    return CliRunner().invoke(main, args)


def check(f: dict, stages: list[str]) -> Path | None:
    with tempfile.TemporaryDirectory(prefix="teipress-hostile-") as tmp:
        sandbox = Path(tmp) / "sandbox"
        root = sandbox / "edition"
        write(root, f)
        out = root / "build"
        before = snapshot(Path(tmp))
        r = build(root, out, stages)
        # a message, never a traceback
        assert r.exception is None or isinstance(r.exception, SystemExit), (r.exception, r.output[-2000:])
        assert "Traceback" not in r.output
        assert r.exit_code in (0, 1), r.output[-2000:]
        if r.exit_code == 1:
            assert "error" in r.output.lower(), r.output[-2000:]
        # nothing written outside the output folder
        new = snapshot(Path(tmp)) - before
        assert all(p.startswith("sandbox/edition/build") for p in new), sorted(new)[:10]
        if r.exit_code == 0 and "html" in stages:
            pages = [p for p in (out / "html").rglob("*.html") if "pagefind" not in p.parts]
            assert pages
            problems = {p.name: active_content(p) for p in pages}
            assert not any(problems.values()), problems
        if r.exit_code == 0 and "pdf" in stages:
            for pdf in (out / "pdf").glob("*.pdf"):
                assert not pdf_actions(pdf), pdf_actions(pdf)
    return None


def pdf_actions(path: Path) -> list[str]:
    """JavaScript, launch actions and unsafe links in a PDF."""
    import pypdf

    reader = pypdf.PdfReader(str(path))
    problems = []
    names = reader.trailer["/Root"].get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        problems.append("document JavaScript")
    if "/OpenAction" in reader.trailer["/Root"] or "/AA" in reader.trailer["/Root"]:
        problems.append("open action")
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            a = annot.get_object().get("/A")
            if a is None:
                continue
            a = a.get_object()
            if a.get("/S") in ("/JavaScript", "/Launch", "/ImportData", "/SubmitForm"):
                problems.append(f"action {a.get('/S')}")
            uri = str(a.get("/URI") or "")
            if uri and not uri.lower().startswith(("http://", "https://", "mailto:")):
                problems.append(f"link {uri[:60]!r}")
    return problems


COMMON = dict(derandomize=True, deadline=None, database=None, print_blob=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@settings(max_examples=20, **COMMON)
@given(editions())
def test_hostile_fields_build_to_pages_without_active_content(f):
    check(f, ["html", "search"])


@settings(max_examples=3, **COMMON)
@given(editions())
def test_hostile_fields_in_the_pdf(f):
    pytest.importorskip("pypdf")
    check(f, ["pdf"])


@pytest.mark.parametrize("payload", PAYLOADS[:24])
def test_every_payload_in_every_field_once(payload):
    """The fixed payloads, each in all fields at once (Hypothesis mixes them; this is the floor)."""
    f = {k: payload for k in ("title", "person", "place", "para", "note", "date_text", "head", "target")}
    f["doc_id"] = "doc"
    f["toml"] = {"title": payload, "id": None, "base_url": None}
    check(f, ["html"])


@pytest.mark.parametrize("title", ['</script><x a="1">&amp; {{ x }} #emph[y] \u202eevil', "a\x01b"])
def test_hostile_metadata_in_the_deposit_records(title):
    """DataCite and Dublin Core are XML: a title is element text there, or a message when XML
    cannot carry it (a control character from edition.toml)."""
    from lxml import etree

    with tempfile.TemporaryDirectory(prefix="teipress-hostile-") as tmp:
        root = Path(tmp) / "sandbox" / "edition"
        f = {k: "plain" for k in ("person", "place", "para", "note", "date_text", "head")}
        f.update(title=title.replace("\x01", ""), target="https://example.org/", doc_id="doc",
                 toml={"title": title, "id": "ed", "base_url": "https://example.org/ed/"})
        write(root, f)
        (root / "tei" / "schema").mkdir()
        shutil.copy(SCHEMA, root / "tei" / "schema" / "teipress.xsd")  # the schema the files name
        before = snapshot(Path(tmp))
        r = CliRunner().invoke(main, ["deposit", str(root), "-q"])
        assert r.exception is None or isinstance(r.exception, SystemExit), r.output[-2000:]
        assert all(p.startswith("sandbox/edition/build") for p in snapshot(Path(tmp)) - before)
        if "\x01" in title:
            assert r.exit_code == 1 and "control character" in r.output
            return
        assert r.exit_code == 0, r.output[-2000:]
        bag = next(p for p in (root / "build" / "deposit").iterdir() if p.is_dir())
        datacite = etree.parse(str(bag / "data" / "metadata" / "datacite.xml"))
        titles = [t.text for t in datacite.iter("{*}title")]
        assert title in titles
        dc = etree.parse(str(bag / "data" / "metadata" / "dublin-core.xml"))
        assert title in [t.text for t in dc.iter("{*}title")]


def test_mathml_carries_no_active_content(make_edition, tmp_path):
    """A formula keeps MathML's presentation vocabulary only: no link, handler, script or HTML
    from an annotation reaches the page, and the PDF builds."""
    from sitebuild import build_edition

    math = ('<formula><math xmlns="http://www.w3.org/1998/Math/MathML" onload="alert(1)">'
            '<maction actiontype="toggle" href="javascript:alert(2)"><mi onclick="alert(3)" style="x">x</mi></maction>'
            '<semantics><mi>y</mi><annotation-xml encoding="application/xhtml+xml">'
            '<script xmlns="http://www.w3.org/1999/xhtml">alert(4)</script></annotation-xml></semantics>'
            '<mtext><![CDATA[<img src=x onerror=alert(5)>]]></mtext></math></formula>')
    root = make_edition(replace=[("wrote from", "wrote " + math + " from")])
    build_edition(root, tmp_path / "out", only={"html", "pdf"})
    page = (tmp_path / "out" / "html" / "documents" / "mini.html").read_text(encoding="utf-8")
    formula = page[page.index("<math"):page.index("</math>")]
    text = "&lt;img src=x onerror=alert(5)&gt;"  # the mtext's words, as text
    assert text in formula
    for bad in ("alert", "onload", "onclick", "href", "style=", "<script", "maction", "<img"):
        assert bad not in formula.replace(text, ""), bad
    assert "<mi>x</mi>" in formula and "<mi>y</mi>" in formula
    assert (tmp_path / "out" / "pdf" / "mini.pdf").stat().st_size > 0

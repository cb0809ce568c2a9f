"""Shared fixtures: the repository, ../shared, and throw-away editions."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SCHEMA = REPO / "tei" / "schema" / "teipress.xsd"

PROLOG = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<?xml-model href="schema/teipress.xsd" type="application/xml" '
    'schematypens="http://www.w3.org/2001/XMLSchema"?>\n'
)

# A small document valid against the project schema; tests break one thing at a time.
MINI_DOC = PROLOG + """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="mini" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title>A mini edition</title>
        <respStmt><resp>Encoding</resp><persName xml:id="ed">An Editor</persName></respStmt>
      </titleStmt>
      <publicationStmt><publisher>teipress tests</publisher><date when="2026">2026</date></publicationStmt>
      <sourceDesc><p>Born digital.</p></sourceDesc>
    </fileDesc>
    <encodingDesc>
      <classDecl>
        <taxonomy xml:id="note-types">
          <category xml:id="editorial"><catDesc>Editors' note</catDesc></category>
        </taxonomy>
      </classDecl>
    </encodingDesc>
    <revisionDesc><change when="2026-11-01" who="#ed">Created.</change></revisionDesc>
  </teiHeader>
  <text>
    <body>
      <div type="letter" xml:id="d1">
        <head>Letter of <date when="1961-03-05">5 March 1961</date></head>
        <p xml:id="p1"><persName ref="persons.xml#anna">Anna</persName> wrote from
          <placeName ref="persons.xml#vienna">Vienna</placeName>.<note type="editorial" resp="#ed" xml:id="n1">A note.</note></p>
      </div>
    </body>
  </text>
</TEI>
"""

MINI_PERSONS = PROLOG + """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="register" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Register</title></titleStmt>
      <publicationStmt><publisher>teipress tests</publisher></publicationStmt>
      <sourceDesc><p>Born digital.</p></sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body>
      <listPerson>
        <person xml:id="anna"><persName type="main">Anna Example</persName><birth when="1900"/></person>
      </listPerson>
      <listPlace>
        <place xml:id="vienna" type="city"><placeName type="main">Vienna</placeName></place>
      </listPlace>
    </body>
  </text>
</TEI>
"""


@pytest.fixture
def make_edition(tmp_path):
    """Write a mini edition (document + register + the real project schema).

    Call with replacements for the document text: make_edition(doc=...) or
    make_edition(replace=[(old, new)]).
    """

    def make(doc: str | None = None, persons: str | None = None, replace=(), extra: dict | None = None):
        root = tmp_path / "edition"
        (root / "tei" / "schema").mkdir(parents=True, exist_ok=True)
        shutil.copy(SCHEMA, root / "tei" / "schema" / "teipress.xsd")
        text = doc if doc is not None else MINI_DOC
        for old, new in replace:
            assert old in text, f"fixture does not contain {old!r}"
            text = text.replace(old, new, 1)
        (root / "tei" / "mini.xml").write_text(text, encoding="utf-8")
        (root / "tei" / "persons.xml").write_text(persons or MINI_PERSONS, encoding="utf-8")
        for name, content in (extra or {}).items():
            path = root / "tei" / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return make


def line_of(text: str, needle: str) -> int:
    """1-based line of the first occurrence of needle in text."""
    idx = text.index(needle)
    return text.count("\n", 0, idx) + 1


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is absent (it holds the TEI P5 schema and third-party corpora)")
    return SHARED


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, driven by Playwright (no browser download), shared by the browser tests."""
    playwright = pytest.importorskip("playwright.sync_api")
    from browser import CHROMIUM, CHROMIUM_ARGS

    if not shutil.which(CHROMIUM):
        pytest.skip("chromium is not installed (scripts/install-system-deps.sh)")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def back_register_list(el) -> bool:
    """A register list an editor keeps in a document's back (xslt/model/namesdates.xsl): it
    feeds the registers and is omitted from the text on purpose."""
    from lxml import etree as _et

    local = _et.QName(el).localname
    in_back = any(_et.QName(a).localname == "back" for a in el.iterancestors())
    if local in ("listPerson", "listPlace", "listOrg", "listEvent", "listNym"):
        return in_back
    parent = el.getparent()
    if local != "listBibl" or parent is None or _et.QName(parent).localname != "back":
        return False
    kids = [c for c in el if isinstance(c.tag, str)]
    siblings = {_et.QName(c).localname for c in parent if isinstance(c.tag, str)}
    return not any(_et.QName(c).localname == "head" for c in kids) and (
        bool(siblings & {"listPerson", "listPlace", "listOrg"}) or all(c.get("{http://www.w3.org/XML/1998/namespace}id") for c in kids))


def tei_plain(el) -> str:
    """Readable text of a TEI fragment, for expectations: corrections over sics, quotes
    supplied, notes left out (the outputs' own text comes from teipress.model.text)."""
    from lxml import etree as _et

    parts: list[str] = []

    def local(n):
        return _et.QName(n).localname if isinstance(n.tag, str) else ""

    def walk(node):
        name = local(node)
        if name in ("note", "sic", "orig", "del", "fw"):
            return
        if name == "gap":
            parts.append("[…]")
            return
        open_, close = {"q": ("“", "”"), "quote": ("“", "”"), "supplied": ("[", "]")}.get(name, ("", ""))
        parts.append(open_)
        if name == "choice":  # a choice without corr/reg falls back to its first child
            kids = [c for c in node if local(c) in ("corr", "reg")] or [c for c in node if isinstance(c.tag, str)][:1]
            for k in kids:
                walk(k)
        else:
            parts.append(node.text or "" if isinstance(node.tag, str) else "")
            for child in node:
                walk(child)
                parts.append(child.tail or "")
        parts.append(close)

    walk(el)
    return " ".join("".join(parts).split())


def edition_model(ed):
    """The EditionModel of a loaded edition, dated 2026-01-01."""
    from datetime import datetime, timezone

    from teipress.model import EditionModel

    return EditionModel.build(ed, datetime(2026, 1, 1, tzinfo=timezone.utc))


def pytest_collection_modifyitems(config, items):
    """The browser tests run last.  The session's browser (Playwright) keeps threads running
    until the session ends, and a process running threads never forks workers
    (teipress.workers.forks): the tests of the forked paths must run before them."""
    items.sort(key=lambda item: "browser" in getattr(item, "fixturenames", ()))

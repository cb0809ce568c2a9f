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

"""`teipress init`: a new edition folder that validates and builds from the first minute.

It writes the project's schema, a document and a register that show the
conventions (pointers into registers, typed notes with @resp, ISO dates), and
edition.toml.  Text given on the command line is XML-escaped by lxml.

Its defaults are fit to publish or visibly placeholders: version 0.1.0, the editors as
an organisation unless persons are named, and a licence statement that says it is still
to be chosen (deposit warns about it until it names a licence).
"""
from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

from lxml import etree

from .. import resources
from ..model import paths
from ..xmlparse import TEI_NS, XML_ID, XML_LANG

PROLOG = ('<?xml-model href="schema/teipress.xsd" type="application/xml" '
          'schematypens="http://www.w3.org/2001/XMLSchema"?>')


class InitError(Exception):
    pass


def _el(parent, tag, text=None, **attrs):
    el = etree.SubElement(parent, f"{{{TEI_NS}}}{tag}")
    for k, v in attrs.items():
        el.set({"xml_id": XML_ID, "xml_lang": XML_LANG}.get(k, k), v)
    if text is not None:
        el.text = text
    return el


LICENCE_PLACEHOLDER = ("Licence to be chosen: name the licence of the encoding and notes here, with its "
                      "address in @target (e.g. https://creativecommons.org/licenses/by/4.0/).")


def _responsible(parent, editors: list[str], title: str, with_ids: bool):
    """The editors as named persons, or, when none is named, as the edition's team (an
    organisation: citations and DataCite must not read "The editors" as a person)."""
    rs = _el(parent, "respStmt")
    _el(rs, "resp", "TEI encoding and editorial notes")
    if not editors:
        _el(rs, "orgName", f"Editors of {title}", **({"xml_id": "editor"} if with_ids else {}))
    for i, name in enumerate(editors):
        ident = "editor" if i == 0 else f"editor-{i + 1}"
        _el(rs, "persName", name, **({"xml_id": ident} if with_ids else {}))
    return rs


def _header(root, title: str, doc_title: str, editors: list[str], today: str, register: bool):
    header = _el(root, "teiHeader")
    fd = _el(header, "fileDesc")
    ts = _el(fd, "titleStmt")
    _el(ts, "title", doc_title, type="main")
    _responsible(ts, editors, title, with_ids=not register)
    if not register:
        es = _el(fd, "editionStmt")
        _el(es, "edition", f"{title}, version 0.1.0", n="0.1.0")
    ps = _el(fd, "publicationStmt")
    _el(ps, "publisher", editors[0] if len(editors) == 1 else f"Editors of {title}")
    _el(ps, "date", today[:4], when=today[:4])
    if not register:
        _el(_el(ps, "availability", status="unknown"), "licence", LICENCE_PLACEHOLDER)
    sd = _el(fd, "sourceDesc")
    _el(sd, "p", "Describe the source of the text here (archive, shelfmark, printed edition).")
    if not register:
        ed = _el(header, "encodingDesc")
        decl = _el(ed, "editorialDecl")
        _el(decl, "p", "State the editorial principles here: what is corrected, normalised and tagged.")
        cd = _el(ed, "classDecl")
        tax = _el(cd, "taxonomy", xml_id="note-types")
        cat = _el(tax, "category", xml_id="editorial")
        _el(cat, "catDesc", "Note of the editors")
        rd = _el(header, "revisionDesc")
        _el(rd, "change", "Edition created with teipress init.", when=today, who="#editor")
    return header


def make_id(title: str, fallback: str = "edition") -> str:
    """An xml:id from a title: transliterated, lower case, words joined by '-', never
    starting with a digit (an XML name cannot)."""
    ident = re.sub(r"[^a-z0-9]+", "-", paths.transliterate(title).lower()).strip("-")
    if not ident:
        return fallback
    return ident if ident[0].isalpha() else f"{fallback}-{ident}"


def _write(path: Path, root) -> None:
    body = etree.tostring(root, encoding="unicode", pretty_print=True)
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n{PROLOG}\n{body}', encoding="utf-8")


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def create(target: Path, title: str, edition_id: str | None = None, editors: list[str] | tuple = (),
           today: str | None = None, language: str = "en") -> list[Path]:
    """Write a new edition into *target*; refuses to touch an existing tei/ folder."""
    tei = target / "tei"
    if tei.exists() and any(tei.iterdir()):
        raise InitError(f"'{tei}' already exists and is not empty; nothing was written")
    edition_id = edition_id or make_id(title)
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9._-]*", edition_id):
        raise InitError(f"'{edition_id}' cannot be an xml:id (it must start with a letter or '_' and "
                        "hold only letters, digits, '-', '_' and '.'): give another with --id")
    if not re.fullmatch(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", language):
        raise InitError(f"'{language}' is not a language tag (BCP 47, e.g. en, de, ru, ko-Latn)")
    editors = [e.strip() for e in editors if e.strip()]
    today = today or date.today().isoformat()
    (tei / "schema").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(resources.schema_file(), tei / "schema" / "teipress.xsd")

    doc = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
    doc.set(XML_ID, edition_id)
    doc.set(XML_LANG, language)
    # The first document is a document of the edition, not the edition: its own title,
    # so the home page does not list the edition inside itself.
    _header(doc, title, "A first document", editors, today, register=False)
    ps = doc.find(f"{{{TEI_NS}}}teiHeader/{{{TEI_NS}}}fileDesc/{{{TEI_NS}}}publicationStmt")
    ps.find(f"{{{TEI_NS}}}availability").addprevious(etree.Element(f"{{{TEI_NS}}}idno", type="edition"))
    ps.find(f"{{{TEI_NS}}}idno").text = edition_id
    body = _el(_el(doc, "text"), "body")
    div = _el(body, "div", type="document", xml_id="d1")
    head = _el(div, "head", "A first document, ")
    _el(head, "date", "1 January 1900", when="1900-01-01")
    p = _el(div, "p", xml_id="p1")
    p.text = "Replace this paragraph with your text. Names point into the registers: "
    name = _el(p, "persName", "Jane Doe", ref="persons.xml#jane-doe")
    name.tail = "."
    note = _el(p, "note", "Notes say who wrote them.", type="editorial", resp="#editor", xml_id="n1")
    note.tail = ""

    reg = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
    reg.set(XML_ID, "persons")
    reg.set(XML_LANG, language)
    _header(reg, title, f"{title}: persons", editors, today, register=True)
    lp = _el(_el(_el(reg, "text"), "body"), "listPerson")
    person = _el(lp, "person", xml_id="jane-doe")
    _el(person, "persName", "Jane Doe", type="main")
    _el(person, "note", "A one-line description.", type="description")

    written = [tei / "schema" / "teipress.xsd", tei / f"{edition_id}.xml", tei / "persons.xml"]
    _write(written[1], doc)
    _write(written[2], reg)
    toml = target / "edition.toml"
    if not toml.exists():
        toml.write_text(f"id = {toml_string(edition_id)}\ntitle = {toml_string(title)}\n"
                        f"language = {toml_string(language)}\n", encoding="utf-8")
        written.append(toml)
    return written

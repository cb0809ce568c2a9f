"""`teipress init`: a new edition folder that validates and builds from the first minute.

It writes the project's schema, a document and a register that show the
conventions (pointers into registers, typed notes with @resp, ISO dates), and
edition.toml.  Text given on the command line is XML-escaped by lxml.
"""
from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

from lxml import etree

from .. import resources
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


def _header(root, title: str, editor: str, today: str, register: bool):
    header = _el(root, "teiHeader")
    fd = _el(header, "fileDesc")
    ts = _el(fd, "titleStmt")
    _el(ts, "title", title + (": register of persons" if register else ""), type="main")
    rs = _el(ts, "respStmt")
    _el(rs, "resp", "TEI encoding and editorial notes")
    _el(rs, "persName", editor, **({} if register else {"xml_id": "editor"}))
    ps = _el(fd, "publicationStmt")
    _el(ps, "publisher", editor)
    _el(ps, "date", today[:4], when=today[:4])
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


def _write(path: Path, root) -> None:
    body = etree.tostring(root, encoding="unicode", pretty_print=True)
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n{PROLOG}\n{body}', encoding="utf-8")


def create(target: Path, title: str, edition_id: str | None = None, editor: str = "The editors",
           today: str | None = None) -> list[Path]:
    """Write a new edition into *target*; refuses to touch an existing tei/ folder."""
    tei = target / "tei"
    if tei.exists() and any(tei.iterdir()):
        raise InitError(f"'{tei}' already exists and is not empty; nothing was written")
    edition_id = edition_id or re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "edition"
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9._-]*", edition_id):
        raise InitError(f"'{edition_id}' cannot be an xml:id: use letters, digits, '-', '_' and '.'")
    today = today or date.today().isoformat()
    (tei / "schema").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(resources.schema_file(), tei / "schema" / "teipress.xsd")

    doc = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
    doc.set(XML_ID, edition_id)
    doc.set(XML_LANG, "en")
    _header(doc, title, editor, today, register=False)
    ps = doc.find(f"{{{TEI_NS}}}teiHeader/{{{TEI_NS}}}fileDesc/{{{TEI_NS}}}publicationStmt")
    _el(ps, "idno", edition_id, type="edition")
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
    reg.set(XML_LANG, "en")
    _header(reg, title, editor, today, register=True)
    lp = _el(_el(_el(reg, "text"), "body"), "listPerson")
    person = _el(lp, "person", xml_id="jane-doe")
    _el(person, "persName", "Jane Doe", type="main")
    _el(person, "note", "A one-line description.", type="description")

    written = [tei / "schema" / "teipress.xsd", tei / f"{edition_id}.xml", tei / "persons.xml"]
    _write(written[1], doc)
    _write(written[2], reg)
    toml = target / "edition.toml"
    if not toml.exists():
        esc = lambda s: s.replace("\\", "\\\\").replace('"', '\\"')
        toml.write_text(f'id = "{esc(edition_id)}"\ntitle = "{esc(title)}"\n', encoding="utf-8")
        written.append(toml)
    return written

"""`teipress new`: add a document to an edition, shaped like the edition's own documents.

The header repeats what every document of the edition shares, taken from the edition's
first document: its schema line (`<?xml-model?>`), its responsibility statements, edition
statement and publication statement (rights, publisher).  What belongs to the new
document (title, date, source, correspondents) is written as a visible placeholder or from
the command line.  Text given on the command line is XML-escaped by lxml.
"""
from __future__ import annotations

import copy
import os
import posixpath
import re
from datetime import date
from pathlib import Path

from lxml import etree

from .. import isodate
from ..xmlparse import TEI_NS, XML_ID, XML_LANG
from .init import _el

T = f"{{{TEI_NS}}}"


class NewError(Exception):
    pass


def _template(edition_dir: Path):
    """The edition's first document (the one whose header the edition's metadata comes from)."""
    from .. import edition
    from ..config import ConfigError

    try:
        ed = edition.load(edition_dir)
    except ConfigError as exc:
        raise NewError(f"{exc.path}:{exc.line}: {exc.message}") from None
    for f in ed.documents:
        if f.tree is not None:
            return ed, f
    return ed, None


def _schema_lines(template, tei_dir: Path) -> list[etree._Element]:
    """The template's <?xml-model?> lines, their hrefs rewritten for a file in tei/."""
    out = []
    node = template.tree.getroot().getprevious()
    while node is not None:
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model":
            pi = copy.copy(node)
            href = node.get("href") or ""
            if href and "://" not in href and not href.startswith("/"):
                here = template.path.parent.relative_to(tei_dir).as_posix()
                target = posixpath.normpath(posixpath.join(here, href))
                pi = etree.ProcessingInstruction("xml-model", node.text.replace(f'"{href}"', f'"{target}"', 1))
            out.insert(0, pi)
        node = node.getprevious()
    return out


def _first_id(elements, *names) -> str | None:
    for el in elements:
        for name in el.iter(*(T + n for n in names)):
            if name.get(XML_ID):
                return name.get(XML_ID)
    return None


def create(edition_dir: Path, name: str, title: str, *, kind: str = "document", when: str | None = None,
           language: str | None = None, today: str | None = None) -> Path:
    tei_dir = edition_dir / "tei"
    if not tei_dir.is_dir():
        raise NewError(f"'{edition_dir}' is not an edition folder: it has no tei/ folder "
                       "(start one with teipress init)")
    stem = name[:-4] if name.endswith(".xml") else name
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9._-]*", stem):
        raise NewError(f"'{name}' cannot name a document: use letters, digits, '-', '_' and '.', "
                       "starting with a letter (it becomes the file name and the document's xml:id)")
    path = tei_dir / f"{stem}.xml"
    if path.exists():
        raise NewError(f"'{path}' already exists; nothing was written")
    if when is not None:
        try:
            isodate.parse(when)
        except ValueError as exc:
            raise NewError(f"--date {when!r}: {exc}") from None
    ed, template = _template(edition_dir)
    today = today or date.today().isoformat()
    tpl_header = template.tree.getroot().find(f"{T}teiHeader") if template is not None else None
    tpl = (lambda p: tpl_header.find(p) if tpl_header is not None else None)

    root = etree.Element(f"{T}TEI", nsmap={None: TEI_NS})
    root.set(XML_ID, stem)
    root.set(XML_LANG, language or (template.tree.getroot().get(XML_LANG) if template is not None else None) or "en")
    header = _el(root, "teiHeader")
    fd = _el(header, "fileDesc")
    ts = _el(fd, "titleStmt")
    _el(ts, "title", title, type="main")
    shared = [copy.deepcopy(el) for el in (tpl(f"{T}fileDesc/{T}titleStmt") if tpl_header is not None else [])
              if el.tag in (f"{T}editor", f"{T}respStmt", f"{T}funder", f"{T}sponsor")]
    for el in shared:
        ts.append(el)
    for part in ("editionStmt", "publicationStmt"):
        el = tpl(f"{T}fileDesc/{T}{part}")
        if el is not None:
            el = copy.deepcopy(el)
            for idno in el.findall(f"{T}idno"):  # a document's own identifiers are not the new one's
                if idno.get("type") != "edition":
                    el.remove(idno)
            fd.append(el)
    if fd.find(f"{T}publicationStmt") is None:
        _el(_el(fd, "publicationStmt"), "p", "Unpublished.")
    _el(_el(fd, "sourceDesc"), "p", "Describe the source of this document here (archive, shelfmark, "
                                    "printed edition).")
    editor = _first_id(shared, "persName", "orgName", "name")

    if kind == "letter":
        cd = _el(_el(header, "profileDesc"), "correspDesc")
        sent = _el(cd, "correspAction", type="sent")
        _el(sent, "persName", "Sender's name")
        _el(sent, "placeName", "Place of writing")
        if when:
            _el(sent, "date", when, when=when)
        received = _el(cd, "correspAction", type="received")
        _el(received, "persName", "Recipient's name")
    if editor:
        _el(_el(header, "revisionDesc"), "change", "Created with teipress new.", when=today, who=f"#{editor}")

    body = _el(_el(root, "text"), "body")
    div = _el(body, "div", type=kind, xml_id="d1")
    if kind == "letter":
        opener = _el(div, "opener")
        dateline = _el(opener, "dateline")
        _el(dateline, "placeName", "Place").tail = ", "
        _el(dateline, "date", when or "date", **({"when": when} if when else {}))
        _el(opener, "salute", "Dear …,")
    else:
        head = _el(div, "head", title)
        if when:
            head.text = f"{title}, "
            _el(head, "date", when, when=when)
    _el(div, "p", "Replace this paragraph with the text of the document.", xml_id="p1")
    if kind == "letter":
        closer = _el(div, "closer")
        _el(closer, "salute", "Yours, …")
        _el(closer, "signed", "Signature")

    for el in header.iter():  # copied parts keep their old indentation; let lxml indent afresh
        if el.text is not None and not el.text.strip() and len(el):
            el.text = None
        if el.tail is not None and not el.tail.strip():
            el.tail = None
    pis = _schema_lines(template, tei_dir) if template is not None else []
    body_xml = etree.tostring(root, encoding="unicode", pretty_print=True)
    prolog = "".join(etree.tostring(pi, encoding="unicode") + "\n" for pi in pis)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}{body_xml}', encoding="utf-8")
    os.replace(tmp, path)
    return path

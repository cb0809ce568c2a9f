"""Interim bridge to the old header readers (replaced by teipress.model.header)."""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .. import metadata as md
from ..xmlparse import NS
from ..edition import Edition
from . import text

EditionMetadata = md.EditionMetadata
M = {"m": "urn:teipress:model"}


@dataclass
class DocumentInfo:
    title: str


def read(root) -> DocumentInfo:
    titles = root.findall("m:metadata/m:title", M)
    main = [t for t in titles if t.get("type") == "main"] or titles
    return DocumentInfo(text.plain(main[0]) if main else "")


def edition_metadata(ed: Edition, docs):
    return md.from_edition(ed)


def document_metadata(ed: Edition, f):
    import dataclasses
    return md.from_edition(dataclasses.replace(ed, files=[f]))


# -- the PDF's old header reader (TEI), until DocumentInfo carries these facts ----------
def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def plain(el) -> str:
    """Readable text of a TEI fragment: corrections over sics, quotes supplied, notes left out."""
    parts: list[str] = []

    def walk(node):
        name = _local(node)
        if name in ("note", "sic", "orig", "del", "fw"):
            pass
        elif name == "gap":
            parts.append("[…]")
        else:
            open_, close = {"q": ("“", "”"), "quote": ("“", "”"), "supplied": ("[", "]")}.get(name, ("", ""))
            if name == "choice":  # a choice without corr/reg falls back to its first child
                kids = [c for c in node if _local(c) in ("corr", "reg")] or [c for c in node if isinstance(c.tag, str)][:1]
                parts.append(open_)
                for k in kids:
                    walk(k)
                parts.append(close)
            else:
                parts.append(open_)
                parts.append(node.text or "" if isinstance(node.tag, str) else "")
                for child in node:
                    walk(child)
                    parts.append(child.tail or "")
                parts.append(close)

    walk(el)
    return " ".join("".join(parts).split())


def _texts(root, path: str) -> list[str]:
    return [plain(e) for e in root.iterfind(path, NS) if plain(e)]


def _first(root, path: str) -> str:
    found = _texts(root, path)
    return found[0] if found else ""


def header(doc: TeiFile) -> dict:
    """Title page and imprint data from the teiHeader, with fallbacks for sparse headers."""
    root = doc.root
    fd = "tei:teiHeader/tei:fileDesc/"
    ts = fd + "tei:titleStmt/"
    resp = []
    for rs in root.iterfind(ts + "tei:respStmt", NS):
        role = _first(rs, "tei:resp")
        names = [plain(n) for n in rs if _local(n) in ("persName", "orgName", "name") and plain(n)]
        if role or names:
            resp.append({"role": role, "names": names})
    titles = root.findall(ts + "tei:title", NS)
    sub = [plain(t) for t in titles if t.get("type") == "sub"]
    licence_el = root.find(fd + "tei:publicationStmt/tei:availability/tei:licence", NS)
    archival = root.find(fd + "tei:sourceDesc//tei:bibl[@type='archival']", NS)
    source = {}
    if archival is not None:
        source = {
            "title": _first(archival, "tei:title"),
            "date": _first(archival, "tei:date"),
            "publisher": _first(archival, "tei:publisher"),
            "idno": _first(archival, "tei:idno"),
            "url": next((r.get("target") for r in archival.iterfind("tei:ref[@target]", NS)), ""),
        }
    book = root.find(fd + "tei:sourceDesc//tei:bibl[@type='book']", NS)
    source_plain = [plain(p) for p in root.iterfind(fd + "tei:sourceDesc/*", NS)
                    if _local(p) in ("p", "bibl", "biblStruct", "msDesc")]
    return {
        "title": "",
        "subtitle": " ".join(sub),
        "authors": _texts(root, ts + "tei:author"),
        "editors": _texts(root, ts + "tei:editor"),
        "resp": resp,
        "funders": _texts(root, ts + "tei:funder"),
        "edition": _first(root, fd + "tei:editionStmt/tei:edition"),
        "publisher": _first(root, fd + "tei:publicationStmt/tei:publisher")
        or _first(root, fd + "tei:publicationStmt/tei:authority"),
        "pub_date": _first(root, fd + "tei:publicationStmt/tei:date"),
        "idno": _first(root, fd + "tei:publicationStmt/tei:idno"),
        "licence": plain(licence_el) if licence_el is not None else "",
        "licence_url": licence_el.get("target", "") if licence_el is not None else "",
        "availability": _texts(root, fd + "tei:publicationStmt/tei:availability/tei:p"),
        "source": source,
        "source_citation": _first(root, fd + "tei:sourceDesc//tei:bibl[@type='citation']"),
        "book": plain(book) if book is not None else "",
        "source_plain": [] if (archival is not None or book is not None) else source_plain,
        "abstract": _texts(root, "tei:teiHeader/tei:profileDesc/tei:abstract/tei:p")
        or _texts(root, "tei:teiHeader/tei:profileDesc/tei:abstract"),
        "creation": _first(root, "tei:teiHeader/tei:profileDesc/tei:creation"),
        "keywords": _texts(root, "tei:teiHeader/tei:profileDesc/tei:textClass/tei:keywords/tei:term"),
    }




def pdf_header(f):
    return header(f)


def suggested_citation(h: dict, version: str, year: str) -> str:
    who = "; ".join(h["authors"])
    tr = [", ".join(r["names"]) for r in h["resp"] if "transl" in r["role"].lower()]
    bits = [b for b in (who, f"“{h['title']}”") if b]
    if tr:
        bits.append(f"translated by {' and '.join(tr)}")
    ed = h["publisher"] or "teipress"
    bits.append(f"{ed} digital edition, version {version} ({year})")
    if h["idno"]:
        bits.append(h["idno"])
    return ", ".join(bits) + "."

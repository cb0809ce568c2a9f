"""What the PDF template needs besides the text: front matter, principles, indexes.

Everything here is plain data (strings, lists, dicts) read from the Edition
model and written as JSON beside the Typst template, which reads it with
``json()``.  No TEI text is ever turned into Typst markup.
"""
from __future__ import annotations

from datetime import datetime

from lxml import etree

from .edition import Edition, TeiFile, norm
from .isodate import human
from .xmlparse import NS, XML_ID

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Headings for the parts of encodingDesc, in the order they are printed.
PRINCIPLE_TITLES = {
    "projectDesc": "The project", "samplingDecl": "Selection", "editorialDecl": "Editorial principles",
    "correction": "Corrections", "normalization": "Normalisation", "quotation": "Quotation marks",
    "hyphenation": "Hyphenation", "segmentation": "Segmentation", "interpretation": "Interpretation",
    "stdVals": "Standard values", "punctuation": "Punctuation",
}


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
    return norm("".join(parts))


def date_label(el) -> str:
    """A normalised label for a dated element: '17 June 1960', '1–15 September 1960', 'c. …'."""
    when = el.get("when")
    if when:
        label = human(when)
    else:
        lo, hi = el.get("notBefore") or el.get("from"), el.get("notAfter") or el.get("to")
        if lo and hi:
            a, b = human(lo), human(hi)
            la, lb = a.split(" "), b.split(" ")
            if len(la) == len(lb) == 3 and la[1:] == lb[1:]:
                label = f"{la[0]}–{b}"
            elif len(la) == len(lb) == 3 and la[2] == lb[2]:
                label = f"{' '.join(la[:2])} – {b}"
            else:
                label = f"{a} – {b}"
        elif lo:
            label = f"after {human(lo)}"
        elif hi:
            label = f"before {human(hi)}"
        else:
            return ""
    if el.get("cert") in ("low", "medium"):
        label = f"c. {label}"
    return label


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
        "title": doc.title(),
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


def principles(doc: TeiFile) -> list[dict]:
    """The prose of encodingDesc as sections of paragraphs, for the back matter."""
    enc = doc.root.find("tei:teiHeader/tei:encodingDesc", NS)
    out: list[dict] = []
    if enc is None:
        return out

    def add(el, title: str):
        paras = [plain(p) for p in el.iterfind("tei:p", NS) if plain(p)]
        if paras:
            out.append({"title": title, "paras": paras})

    for child in enc:
        name = _local(child)
        if name == "editorialDecl":
            add(child, PRINCIPLE_TITLES[name])
            for sub in child:
                if _local(sub) != "p":
                    add(sub, PRINCIPLE_TITLES.get(_local(sub), _local(sub)))
        elif name == "classDecl":
            for tax in child.iterfind("tei:taxonomy", NS):
                items = [plain(c.find("tei:catDesc", NS)) for c in tax.iterfind("tei:category", NS)
                         if c.find("tei:catDesc", NS) is not None]
                if items:
                    title = {"note-types": "Notes", "supplied-reasons": "Supplied text",
                             "gap-reasons": "Omissions"}.get(tax.get(XML_ID, ""), "Categories")
                    out.append({"title": title, "paras": items})
        elif name in PRINCIPLE_TITLES:
            add(child, PRINCIPLE_TITLES[name])
    return out


def _entry_record(entry, key: str) -> dict:
    """One index entry: inverted name for sorting, life dates, short description."""
    tag = {"person": "persName", "place": "placeName", "org": "orgName"}[entry.kind]
    names = entry.element.findall(f"tei:{tag}", NS)
    main = [n for n in names if n.get("type") in (None, "main", "reg")] or names
    label, sort = entry.name, entry.name
    if main and entry.kind == "person":
        sur = main[0].find("tei:surname", NS)
        fore = main[0].find("tei:forename", NS)
        if sur is not None and fore is not None:
            s, f = plain(sur), plain(fore)
            kids = [c for c in main[0] if isinstance(c.tag, str)]
            surname_first = kids.index(sur) < kids.index(fore)
            label = f"{s} {f}" if surname_first else f"{s}, {f}"
            sort = f"{s} {f}"
    dates = ""
    if entry.kind == "person":
        b = entry.element.find("tei:birth", NS)
        d = entry.element.find("tei:death", NS)
        by = (b.get("when") or "")[:4] if b is not None else ""
        dy = (d.get("when") or "")[:4] if d is not None else ""
        if by or dy:
            dates = f"{by}–{dy}" if by else f"d. {dy}"
    return {
        "key": key,
        "kind": entry.kind,
        "label": label,
        "sort": sort.casefold(),
        "dates": dates,
        "description": entry.description,
    }


def index_entries(ed: Edition, model_root: etree._Element) -> dict:
    """Register entries the document's names link to, sorted, for the two back-matter indexes.

    Read off the behaviour model, where names are resolved once (by @ref, else @key), and
    keyed by the same anchors the text's mentions carry, so index and pages always agree.
    """
    from .model import MODEL_NS, anchors

    by_anchor = {anchor: ed.entries[k] for k, anchor in anchors(ed).items()}
    seen: dict[str, dict] = {}
    text = model_root.find(f"{{{MODEL_NS}}}text")
    for name in (text.iter(f"{{{MODEL_NS}}}name") if text is not None else ()):
        for anchor in (name.get("ref") or "").split():
            entry = by_anchor.get(anchor)
            if entry is not None:
                seen.setdefault(anchor, _entry_record(entry, anchor))
    recs = sorted(seen.values(), key=lambda r: (r["sort"], r["key"]))
    return {
        "persons": [r for r in recs if r["kind"] == "person"],
        "places": [r for r in recs if r["kind"] in ("place", "org")],
    }


def divisions(doc: TeiFile) -> dict:
    """Normalised date and running-head label of every div with an xml:id."""
    out = {}
    n = 0
    for div in doc.root.iterfind(".//tei:text//tei:div", NS):
        xid = div.get(XML_ID)
        top = _local(div.getparent()) in ("body", "front", "back")
        if top:
            n += 1
        if not xid:
            continue
        head = div.find("tei:head", NS)
        date = None
        if head is not None:
            date = head.find(".//tei:date", NS)
        if date is None:
            date = div.find(".//tei:dateline//tei:date", NS)
        if date is None and head is None:
            # No printed heading: the editors may date the division in a note of their own.
            date = next((d for note in div.findall("tei:note[@type='editorial']", NS)
                         for d in note.iterfind(".//tei:date", NS)), None)
            if date is None:
                date = next((d for note in div.iterfind("tei:*/tei:note[@type='editorial']", NS)
                             for d in note.iterfind(".//tei:date", NS)), None)
        out[xid] = {
            "n": n if top else 0,
            "type": div.get("type", ""),
            "date": date_label(date) if date is not None else "",
            "head": plain(head) if head is not None else "",
        }
    return out


def language(ed: Edition, doc: TeiFile) -> str:
    return doc.root.get(XML_LANG) or ed.config.get("language") or "en"


def running_title(doc: TeiFile, title: str) -> str:
    """A short title for the running heads: title[@type='short'], else the main title up to its colon."""
    short = doc.root.find("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title[@type='short']", NS)
    if short is not None and plain(short):
        return plain(short)
    head = title.split(":")[0].strip()
    return head if len(head) <= 90 else head[:88].rsplit(" ", 1)[0] + " …"


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


def document_data(ed: Edition, doc: TeiFile, model_root: etree._Element, version: str,
                  build_time: datetime, attachments: list[dict]) -> dict:
    h = header(doc)
    build_date = build_time.strftime("%Y-%m-%d")
    return {
        "id": doc.id,
        "lang": language(ed, doc),
        "edition_title": ed.config.get("title") or h["title"],
        "running_title": running_title(doc, h["title"]),
        "header": h,
        "version": version,
        "build_date": build_date,
        "build_date_label": human(build_date),
        "citation": suggested_citation(h, version, build_date[:4]),
        "principles": principles(doc),
        "index": index_entries(ed, model_root),
        "divs": divisions(doc),
        "attachments": attachments,
    }

"""A register extract: the entries of one register file that a document refers to, as a TEI file
of their own, attached to the document's PDF instead of the whole register.

Why: a letter naming three persons of a 2.7 MB register carried the whole register, and Typst
compressed it again for every letter (25-29 ms of CPU and 413 KB a letter, docs/benchmarks.md).
The extract keeps the PDF self-contained for archival use: each entry the document points to
is there with its full content, copied as encoded in the register (the register's own elements,
not the behaviour model's), and the extract's header names the register it comes from, by file
name and SHA-256, and the edition.

The bytes depend only on the register's bytes, the entries referred to and the edition's title
and version: the same inputs give the same file (entries in the register's order, lxml's
serialisation, nothing from the clock).  Pointers inside an entry stay as encoded: they are
relative to the register named in the header, which holds the entries they may point to.
"""
from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..xmlparse import TEI_NS, XML_ID, XML_NS

T = "{%s}" % TEI_NS
# An entry's kind (teipress.edition.Entry.kind) → the list that holds it, and its noun.
LISTS = {"person": "listPerson", "place": "listPlace", "org": "listOrg", "event": "listEvent"}
NOUNS = {"person": ("person", "persons"), "place": ("place", "places"),
         "org": ("organisation", "organisations"), "event": ("event", "events")}


@dataclass(frozen=True)
class Extract:
    """One register's extract for one document: the attachment's file name, its description
    (the PDF's associated-file /Desc) and its bytes."""

    name: str
    description: str
    data: bytes


def referred(em, doc) -> dict[str, list[str]]:
    """Register file (rel) → the xml:ids of its entries *doc* refers to, by any pointer style,
    sorted: decided once, where the model chose doc.register_files (edition_model)."""
    return doc.register_entries


def sha256_of(reg) -> str:
    """The SHA-256 of the register's file, as loading read it (TeiFile.digest); a file made
    without loading is read here."""
    source = reg.container or reg
    return source.digest or hashlib.sha256(source.path.read_bytes()).hexdigest()


def count_label(kinds: dict[str, int]) -> str:
    """'the 12 persons and 1 place'."""
    parts = [f"{n} {NOUNS[k][n != 1]}" for k, n in ((k, kinds[k]) for k in LISTS if kinds.get(k))]
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return "the " + text


def make(reg, ids: list[str], *, doc_id: str, register_title: str, edition_title: str,
         version: str) -> tuple[bytes, dict[str, int]] | None:
    """The extract of register file *reg* (a TeiFile) holding its entries *ids*, in the register's
    order; and how many of each kind it holds.  None when none of them is found."""
    parsed = reg.parsed()
    found = [el for el in (parsed.by_id(i) for i in ids) if el is not None and el.tag[len(T):] in LISTS
             and el.tag.startswith(T)]
    if not found:
        return None
    order = entry_order(reg)
    found.sort(key=lambda el: order.get(el.get(XML_ID), len(order)))
    kinds: dict[str, int] = {}
    for el in found:
        kinds[el.tag[len(T):]] = kinds.get(el.tag[len(T):], 0) + 1
    name = Path(reg.rel).name
    digest = sha256_of(reg)

    root = etree.Element(T + "TEI", nsmap={None: TEI_NS})
    lang = parsed.tree.getroot().get(f"{{{XML_NS}}}lang")
    if lang:  # the register's language, which its entries inherit where they are
        root.set(f"{{{XML_NS}}}lang", lang)
    header = sub(root, "teiHeader", level=1)
    file_desc = sub(header, "fileDesc", level=2)
    title_stmt = sub(file_desc, "titleStmt", level=3)
    sub(title_stmt, "title", level=4, text=f"Extract of {name}: {count_label(kinds)} that {doc_id} refers to")
    publication = sub(file_desc, "publicationStmt", level=3)
    made_for = f"the PDF of {doc_id} in {edition_title}" + (f", version {version}" if version else "")
    sub(publication, "p", level=4, text=f"Made by teipress for {made_for}, and attached to it.")
    notes = sub(file_desc, "notesStmt", level=3)
    sub(notes, "note", level=4,
        text=(f"The entries of {name} that {doc_id} refers to, copied as they are encoded there, in its "
              f"order; its other entries are not here. Pointers within them are as encoded, relative "
              f"to {name}."))
    source_desc = sub(file_desc, "sourceDesc", level=3)
    bibl = sub(source_desc, "bibl", level=4)
    sub(bibl, "title", level=5, text=register_title or name)
    ref = sub(bibl, "ref", level=5, text=name)
    ref.set("target", name)
    idno = sub(bibl, "idno", level=5, text=digest)
    idno.set("type", "SHA-256")
    bibl[-1].tail = "\n" + "  " * 4
    stand_off = sub(root, "standOff", level=1)
    for kind, list_name in LISTS.items():
        els = [el for el in found if el.tag == T + kind]
        if not els:
            continue
        holder = sub(stand_off, list_name, level=2)
        for el in els:
            kept = copy.deepcopy(el)
            kept.tail = None
            last_child_tail(holder, level=3)
            holder.append(kept)
        holder[-1].tail = "\n" + "  " * 2
    root[-1].tail = "\n"
    etree.cleanup_namespaces(root, top_nsmap={None: TEI_NS})
    data = etree.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"
    return data, kinds


# (rel, digest) → xml:id → its place among the register's entries: read once per process, not
# once per letter (a register of thousands of persons)
_ORDER: dict[tuple[str, str], dict[str, int]] = {}


def entry_order(reg) -> dict[str, int]:
    key = (reg.rel, sha256_of(reg))
    if key not in _ORDER:
        order: dict[str, int] = {}
        for n, el in enumerate(reg.parsed().entries()):
            order.setdefault(el.get(XML_ID), n)
        _ORDER[key] = order
    return _ORDER[key]


def sub(parent, local: str, level: int, text: str | None = None):
    """A child of *parent*, indented (text content, never mixed: the entries keep their own)."""
    last_child_tail(parent, level)
    el = etree.SubElement(parent, T + local)
    if text is not None:
        el.text = text
    # the closing tag of parent one level up
    el.tail = "\n" + "  " * (level - 1)
    return el


def last_child_tail(parent, level: int) -> None:
    if len(parent):
        parent[-1].tail = "\n" + "  " * level
    else:
        parent.text = "\n" + "  " * level


def extracts(em, doc, taken: set[str]) -> list[Extract]:
    """The extracts of every register *doc* refers to, in the order of their paths; *taken*: the
    attachment names already used (the source's), extended with these."""
    titles = {f.rel: f.title for f in em.register_files}
    out = []
    for rel, ids in referred(em, doc).items():
        reg = em.edition.file(rel)
        if reg is None:
            continue
        made = make(reg, ids, doc_id=doc.id, register_title=titles.get(rel, ""),
                    edition_title=em.title, version=em.version)
        if made is None:
            continue
        data, kinds = made
        name = attachment_name(rel, taken)
        taken.add(name)
        out.append(Extract(name, f"TEI P5 extract of the register {rel}: {count_label(kinds)} this document "
                                 f"refers to (the register's SHA-256: {sha256_of(reg)})", data))
    return out


def attachment_name(rel: str, taken: set[str]) -> str:
    """people.xml → people-extract.xml; two registers of one name in different folders are told
    apart by their folders (a/people.xml → a-people-extract.xml)."""
    stem = Path(rel).stem
    name = f"{stem}-extract.xml"
    if name in taken:
        name = Path(rel).with_suffix("").as_posix().replace("/", "-") + "-extract.xml"
    n = 2
    base = name
    while name in taken:
        name, n = base.replace("-extract.xml", f"-extract-{n}.xml"), n + 1
    return name

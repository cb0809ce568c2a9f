"""The behaviour model: one TEI document → the small XML vocabulary of xslt/MODEL.md.

Both the HTML and the PDF edition render this model, never TEI directly, so
what a TEI element means is decided once (xslt/model.xsl).  Python's part is
what XSLT 1.0 cannot do well: resolving pointers across the edition's files
into a *registry* that the stylesheet reads through ``tpf:registry()``.
"""
from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree

from .. import resources
from ..edition import Edition, Entry, TeiFile, name_key, norm
from ..xmlparse import NS, XML_ID
from . import paths, registers

MODEL_NS = "urn:teipress:model"
M = {"m": MODEL_NS}
FN_NS = "urn:teipress:functions"


XSLT_DIR = resources.xslt_dir()

# Attributes whose values are (lists of) pointers worth resolving for the model.
POINTER_ATTRS = ("ref", "who", "resp", "target", "corresp", "url")
_ASKED = frozenset(POINTER_ATTRS) | {"key"}  # what pointers() reads (name_key: @key)
# A name or term with an xml:id inside a list item is an entry of an in-document list (FRUS's
# "List of Persons" / "List of Abbreviations"): pointers to it are name-links like register ones.
LIST_ENTRY_KINDS = {"persName": "person", "placeName": "place", "orgName": "org", "term": "term"}

_local = threading.local()


def _registry_fn(_context):
    return [_local.registry]


def _access() -> etree.XSLTAccessControl:
    # The stylesheet reads nothing but its own includes; TEI data cannot make it fetch anything.
    return etree.XSLTAccessControl(read_file=True, write_file=False, create_dir=False,
                                   read_network=False, write_network=False)


@lru_cache(maxsize=None)
def stylesheet(path: str, extensions: tuple = ()) -> etree.XSLT:
    """Compile an XSLT file once per process; *extensions*: more ``(name, function)`` in tpf:."""
    doc = etree.parse(path, etree.XMLParser(no_network=True, resolve_entities=False))
    return etree.XSLT(doc, access_control=_access(),
                      extensions={(FN_NS, "registry"): _registry_fn, **{(FN_NS, n): fn for n, fn in extensions}})


@dataclass(frozen=True)
class Names:
    """What the registry needs from the rest of the model: register anchors and pages,
    document ids (teipress.model.registers, teipress.model.paths), computed once per edition."""

    anchors: dict
    doc_ids: dict  # document key (TeiFile.key: its rel path) → its safe, unique id
    # register entry (file, xml:id) → every entry of its identity, the fullest first (registers.identities)
    identities: dict | None = None
    # the fullest entry (file, xml:id) of an identity → what the text's names show of it (_entry_attrs)
    shown: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, ed: Edition) -> "Names":
        groups = registers.identities(ed)
        return cls(registers.anchors(ed, groups), paths.document_ids(ed), groups)


def pointers(f: TeiFile) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What *f* asks the registry for: every pointer token of its POINTER_ATTRS, and every
    @key of its names (name_key), each sorted and once.  A function of the file's bytes alone
    (teipress.model.model_cache keeps it under them)."""
    tokens: set[str] = set()
    keys: set[str] = set()
    for el in f.root.iter():
        if not isinstance(el.tag, str) or _ASKED.isdisjoint(el.keys()):
            continue  # (most elements carry none of the attributes read here)
        for attr in POINTER_ATTRS:
            v = el.get(attr)
            if v:
                tokens.update(v.split())
        k = name_key(el)
        if k:
            keys.add(k)
    return tuple(sorted(tokens)), tuple(sorted(keys))


def registry(ed: Edition, f: TeiFile, names: Names, asked: tuple | None = None) -> etree._Element:
    """Every pointer written in *f*, resolved: register entries, labels, links; *asked*: its
    pointers(f), when known."""
    doc_id = names.doc_ids.get(f.key) or paths.safe_name(f.id)  # a register has no document id
    root = etree.Element(f"{{{MODEL_NS}}}registry", doc=doc_id, file=f.rel)
    tokens, keys = asked if asked is not None else pointers(f)
    for tok in tokens:
        attrs = {"key": tok}
        entry = ed.entry_for(f, tok)
        if entry is not None:
            attrs.update(_entry_attrs(entry, names))
        else:
            try:
                hit = ed.resolve(f, tok)
            except ValueError:
                hit = None
            if hit is None:
                continue
            target_file, el = hit
            if target_file.kind == "document":
                attrs["doc"] = names.doc_ids[ed.document_of(target_file, el).key]
                if el is not None:
                    attrs["target"] = el.get(XML_ID)
            if el is not None:
                attrs["label"] = norm("".join(el.itertext()))
                kind = list_entry_kind(el)
                if kind and target_file.kind == "document":
                    attrs.update(list="true", kind=kind, name=attrs["label"], desc=list_entry_desc(el))
        etree.SubElement(root, f"{{{MODEL_NS}}}pointer", attrs)
    # Names keyed into a register (@key, whole value: keys may hold spaces); the stylesheet uses
    # one only when the name's pointers reach no register entry.
    for k in keys:
        entry = ed.entry_for_key(k)
        if entry is not None:
            etree.SubElement(root, f"{{{MODEL_NS}}}keyed", {"key": k, **_entry_attrs(entry, names)})
    return root


def _entry_attrs(entry: Entry, names: Names) -> dict[str, str]:
    """A register entry as the text's names show it: the anchor and facts of its identity (the
    same person described in several files reads the same everywhere)."""
    key = (entry.file.rel, entry.id)
    members = (names.identities or {}).get(key) or [entry]
    head = members[0]
    # One identity is described in many files (a person in every letter's back): its facts are
    # the same for each, so they are worked out once per identity, not once per file and document.
    facts = names.shown.get((head.file.rel, head.id))
    if facts is None:
        facts = names.shown[(head.file.rel, head.id)] = dict(
            register=head.file.rel, name=head.name,
            desc=next((d for m in members for d in [registers.description(m)] if d), ""),
            dates=next((d for m in members for d in [registers.life_dates(m)] if d), ""))
    return dict(kind=entry.kind, anchor=names.anchors[key], **facts)


def list_entry_kind(el) -> str:
    """'person', 'place', 'org' or 'term' when *el* is an entry of an in-document list: a name
    or term (rs/name by @type) with an xml:id inside a list item; else ''."""
    local = etree.QName(el).localname
    kind = LIST_ENTRY_KINDS.get(local) or (el.get("type") if local in ("rs", "name") else None)
    if kind not in ("person", "place", "org", "term") or not el.get(XML_ID):
        return ""
    item = next((a for a in el.iterancestors(f"{{{NS['tei']}}}item")), None)
    return kind if item is not None and item.getparent() is not None and \
        etree.QName(item.getparent()).localname == "list" else ""


def list_entry_desc(el) -> str:
    """The rest of the entry's list item after the name: 'Ainsworth, Thomas W., Officer in Charge
    …' → 'Officer in Charge …'; 'ACW, anti-aircraft warfare' → 'anti-aircraft warfare'."""
    item = next(el.iterancestors(f"{{{NS['tei']}}}item"))
    out: list[str] = []
    state = [False]  # past the entry's name yet?

    def walk(node):
        if node is el:
            state[0] = True
            return
        if etree.QName(node).localname == "note":
            return  # a footnote is not part of the description
        if state[0] and node.text:
            out.append(node.text)
        for c in node:
            if isinstance(c.tag, str):
                walk(c)
            if state[0] and c.tail:
                out.append(c.tail)

    walk(item)
    return norm("".join(out)).lstrip(",;:–—- ").strip()


def behaviour(ed: Edition, f: TeiFile, names: Names | None = None) -> etree._ElementTree:
    """The behaviour model of one TEI document (an lxml tree; see xslt/MODEL.md).
    Build *names* once per edition (Names.of) when modelling many documents."""
    transform = stylesheet(str(XSLT_DIR / "model.xsl"))
    _local.registry = registry(ed, f, names or Names.of(ed))
    try:
        result = transform(f.tree)
    finally:
        _local.registry = None
    return result


def behaviour_bytes(ed: Edition, f: TeiFile, names: Names, cache=None, asked: tuple | None = None,
                    keys: dict | None = None, made: dict | None = None) -> bytes:
    """The behaviour model of *f* serialised, from *cache* (teipress.commands.cache) when it
    holds the model of the same inputs.  The stylesheet reads only the document and its
    registry (every pointer of the file, resolved), so those, the file's place and teipress
    itself make the key: an edited register entry changes the registry of every document
    naming it, and only theirs.  *asked*: pointers(f), when known; *keys*: given, gets the
    model's cache key as ``keys["model"]``; *made*: given, gets the stylesheet's result tree as
    ``made["tree"]`` when the model was made here (its reader need not parse the bytes again)."""
    from ..commands import cache as cache_mod

    reg = registry(ed, f, names, asked)
    key = None
    if cache is not None:
        key = cache_mod.digest(cache_mod.tool_fingerprint(), f.key, f.path.read_bytes(),
                               etree.tostring(reg, encoding="utf-8"))
        if keys is not None:
            keys["model"] = key
        hit = cache.get("model", key)
        if hit is not None:
            return hit
    transform = stylesheet(str(XSLT_DIR / "model.xsl"))
    _local.registry = reg
    try:
        result = transform(f.tree)
    finally:
        _local.registry = None
    data = etree.tostring(result, encoding="utf-8")
    if made is not None:
        made["tree"] = result
    if key is not None:
        cache.put("model", key, data)
    return data


def parse_model(data: bytes) -> etree._ElementTree:
    """A behaviour model from behaviour_bytes (its text as the stylesheet made it)."""
    parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True, remove_blank_text=False)
    return etree.ElementTree(etree.fromstring(data, parser))


def header_only(ed: Edition, f: TeiFile, names: Names) -> etree._ElementTree:
    """The model of a file's teiHeader alone (a register's title and facts), so that the
    header is read by the stylesheet even where the text is not modelled."""
    root = f.root
    bare = etree.Element(root.tag, dict(root.attrib), nsmap=root.nsmap)
    head = root.find("tei:teiHeader", NS)
    if head is not None:
        bare.append(copy.deepcopy(head))
    return behaviour(ed, TeiFile(f.path, f.rel, etree.ElementTree(bare), f.kind), names)


def corpus_header_models(ed: Edition, f: TeiFile, names: Names) -> list[etree._ElementTree]:
    """The models of the teiHeaders of the teiCorpus elements around a TEI of a corpus file,
    nearest first (what its own header lacks is read from them: teipress.model.header.inherit)."""
    out = []
    for head in f.corpus_headers:
        bare = etree.Element(f"{{{NS['tei']}}}TEI", nsmap=f.root.nsmap)
        bare.append(copy.deepcopy(head))
        out.append(behaviour(ed, TeiFile(f.path, f.rel, etree.ElementTree(bare), f.kind), names))
    return out


def warnings(model: etree._ElementTree) -> list[str]:
    """Editor-readable warnings about things the model dropped (unsafe link targets)."""
    out = []
    # m:agent and m:bibl repeat header text as structured facts: its links are reported once, in the fields
    copies = "[not(ancestor::m:agent or ancestor::m:bibl)]"
    for link in model.xpath(f"//m:link[@scope='dropped']{copies}", namespaces=M):
        shown = "it is not shown" if link.get("shows") == "nothing" else "it is shown as text"
        out.append(f"link target '{link.get('target')}' is neither http(s), mailto nor in the edition; {shown}")
    for g in model.xpath(f"//m:graphic[@dropped]{copies}", namespaces=M):
        out.append(f"image '{g.get('dropped')}' is outside the edition; it is not shown")
    return out


def unknown_rends(model: etree._ElementTree) -> list[str]:
    """The @rend values of a document outside the rend vocabulary (xslt/model/rend.xsl), in
    document order, each once: the outputs show them in a neutral style."""
    seen: dict[str, None] = {}
    for v in model.xpath("//m:text//@unknown-rend", namespaces=M):
        for value in v.split():
            seen.setdefault(value, None)
    return list(seen)


def dump(edition_dir: str | Path, doc_id: str | None = None) -> str:
    """The model of one document as a string (for editors and the PDF template's authors)."""
    from ..edition import load

    ed = load(edition_dir)
    names = Names.of(ed)
    docs = [d for d in ed.documents if doc_id in (None, d.id, names.doc_ids[d.key])]
    if not docs:
        raise LookupError(f"no document '{doc_id}' in {edition_dir}")
    return etree.tostring(behaviour(ed, docs[0], names), encoding="unicode", pretty_print=True)

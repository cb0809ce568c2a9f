"""The Edition model: an edition folder's TEI files, parsed once.

An edition folder holds ``tei/`` (documents and registers; ``tei/schema/`` is
skipped) and optionally ``edition.toml``.  A file whose ``text/body`` holds only
lists of persons, places, organisations or bibliography is a *register*;
every other TEI file is a *document*.  Later stages (validation, HTML, PDF,
deposit) read this model and never re-parse the sources.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from lxml import etree

from . import config as config_mod
from . import safepath
from .xmlparse import NS, TEI_NS, XML_ID, XmlError, parse

REGISTER_LISTS = {"listPerson": "person", "listPlace": "place", "listOrg": "org", "listBibl": "bibl"}
# Which register kind each naming element should point to.
NAME_KIND = {"persName": "person", "placeName": "place", "orgName": "org"}
# Names that may point into a register by @key instead of @ref (xslt/MODEL.md, "Names by @key").
KEYED_NAMES = ("persName", "placeName", "orgName", "rs", "name")


def t(local: str) -> str:
    return f"{{{TEI_NS}}}{local}"


def norm(text: str) -> str:
    return " ".join(text.split())


@dataclass
class TeiFile:
    path: Path
    rel: str  # POSIX path relative to tei/, e.g. "persons.xml"
    tree: etree._ElementTree
    kind: str  # "document" | "register"

    @property
    def root(self) -> etree._Element:
        return self.tree.getroot()

    @property
    def id(self) -> str:
        return self.root.get(XML_ID) or PurePosixPath(self.rel).stem


@dataclass
class Entry:
    """A register entry: a person, place or organisation."""

    id: str
    kind: str
    file: TeiFile
    element: etree._Element

    def names(self) -> list[str]:
        tag = {"person": "persName", "place": "placeName", "org": "orgName"}[self.kind]
        return [norm("".join(n.itertext())) for n in self.element.findall(f"tei:{tag}", NS)]

    @property
    def name(self) -> str:
        tag = {"person": "persName", "place": "placeName", "org": "orgName"}[self.kind]
        names = self.element.findall(f"tei:{tag}", NS)
        main = [n for n in names if n.get("type") in (None, "main", "reg")] or names
        return norm("".join(main[0].itertext())) if main else self.id

    @property
    def variants(self) -> list[str]:
        return [n for n in self.names() if n != self.name]

    @property
    def description(self) -> str:
        for path in ("tei:note[@type='description']", "tei:desc", "tei:note"):
            el = self.element.find(path, NS)
            if el is not None:
                return norm("".join(el.itertext()))
        return ""


@dataclass
class Edition:
    root: Path
    config: config_mod.Config
    files: list[TeiFile] = field(default_factory=list)
    errors: list[XmlError] = field(default_factory=list)

    @property
    def tei_dir(self) -> Path:
        return self.root / "tei"

    @property
    def documents(self) -> list[TeiFile]:
        return [f for f in self.files if f.kind == "document"]

    @property
    def registers(self) -> list[TeiFile]:
        return [f for f in self.files if f.kind == "register"]

    def file(self, rel: str) -> TeiFile | None:
        return self._by_rel.get(rel)

    # -- indexes, built once ------------------------------------------------
    def __post_init__(self):
        self._by_rel: dict[str, TeiFile] = {}
        self._ids: dict[tuple[str, str], etree._Element] = {}
        self._keys: tuple[dict[str, list[Entry]], ...] = ({}, {}, {})

    def index(self) -> None:
        self._by_rel = {f.rel: f for f in self.files}
        self._ids = {}
        for f in self.files:
            for el in f.root.iter():
                if isinstance(el.tag, str) and el.get(XML_ID) is not None:
                    self._ids.setdefault((f.rel, el.get(XML_ID)), el)
        self.entries: dict[tuple[str, str], Entry] = {}
        for f in self.files:
            for el in f.root.iter(t("person"), t("place"), t("org")):
                xid = el.get(XML_ID)
                if xid:
                    kind = etree.QName(el).localname
                    self.entries[(f.rel, xid)] = Entry(xid, kind, f, el)
        # @key → entries, by xml:id, then @n, then idno text: the editors' key may be any of them
        # (Escher's letters key by person/@n).  Sorted, so ambiguity is judged the same every run.
        self._keys: tuple[dict[str, list[Entry]], ...] = ({}, {}, {})
        for _k, entry in sorted(self.entries.items()):
            values = ([entry.id], [entry.element.get("n") or ""],
                      ["".join(i.itertext()) for i in entry.element.findall("tei:idno", NS)])
            for tier, vals in zip(self._keys, values):
                for v in dict.fromkeys(norm(v) for v in vals):
                    if v:
                        tier.setdefault(v, []).append(entry)

    def resolve(self, source: TeiFile, pointer: str) -> tuple[TeiFile, etree._Element | None] | None:
        """Resolve a TEI pointer written in *source*.

        Returns (file, element) — element None when the pointer names a whole
        file — or None when it does not resolve.  Raises ValueError for pointers
        that leave the edition or use an unsupported scheme; absolute URLs are
        the caller's business (see :func:`is_external`).
        """
        parts = urlsplit(pointer)
        if parts.scheme or parts.netloc:
            raise ValueError(f"'{pointer}' is an external URI")
        target_rel = source.rel
        if parts.path:
            joined = PurePosixPath(source.rel).parent / unquote(parts.path)
            norm_parts: list[str] = []
            for part in joined.parts:
                if part == "..":
                    if not norm_parts:
                        raise ValueError(f"'{pointer}' points outside the edition's tei/ folder")
                    norm_parts.pop()
                elif part != ".":
                    norm_parts.append(part)
            target_rel = "/".join(norm_parts)
        target = self._by_rel.get(target_rel)
        if target is None:
            return None
        if not parts.fragment:
            return (target, None)
        el = self._ids.get((target_rel, parts.fragment))
        return (target, el) if el is not None else None

    def entry_for(self, source: TeiFile, pointer: str) -> Entry | None:
        try:
            hit = self.resolve(source, pointer)
        except ValueError:
            return None
        if not hit or hit[1] is None:
            return None
        return self.entries.get((hit[0].rel, hit[1].get(XML_ID)))

    def entry_for_key(self, key: str) -> Entry | None:
        """The register entry a name's @key names: the one whose xml:id is the key, else whose
        @n is, else whose idno is.  None when the first tier with a match has several (an
        ambiguous key) or none has any (a key into an outside authority): the name stays text."""
        key = norm(key or "")
        for tier in self._keys:
            hits = tier.get(key)
            if hits:
                return hits[0] if len(hits) == 1 else None
        return None

    def element_by_id(self, rel: str, xid: str):
        return self._ids.get((rel, xid))


_KEYED_TAGS = frozenset(t(n) for n in KEYED_NAMES)


def name_key(el: etree._Element) -> str:
    """The normalised @key of a name-like element (persName, placeName, orgName, rs, name), else ''."""
    if el.tag not in _KEYED_TAGS:
        return ""
    return norm(el.get("key") or "")


def is_external(pointer: str) -> bool:
    parts = urlsplit(pointer)
    return bool(parts.scheme or parts.netloc)


def classify(root: etree._Element) -> str:
    """A register holds only lists: in text/body or, with no text at all, in standOff."""
    body = root.find("tei:text/tei:body", NS)
    if body is None:
        if root.find("tei:text", NS) is not None:
            return "document"
        body = root.find("tei:standOff", NS)
        if body is None:
            return "document"
    kids = [etree.QName(c).localname for c in body if isinstance(c.tag, str)]
    lists = [k for k in kids if k in REGISTER_LISTS]
    if lists and all(k in REGISTER_LISTS or k == "head" for k in kids):
        return "register"
    return "document"


def tei_files(tei_dir: Path) -> list[Path]:
    """Every XML file under tei/, in a stable order, except the schema folder."""
    out = []
    for p in sorted(tei_dir.rglob("*.xml")):
        rel = p.relative_to(tei_dir)
        if rel.parts and rel.parts[0] == "schema":
            continue
        out.append(p)
    return out


def outside_edition(root: Path, p: Path, follow_symlinks: bool) -> XmlError | None:
    """Why *p* (found in tei/) is not read, or None.  A symlink (or a file in a symlinked
    folder) that leads outside the edition folder is read only with follow_symlinks = true
    in edition.toml: otherwise its target would be published in the site and the deposit."""
    if follow_symlinks or safepath.inside(root, p):
        return None
    return XmlError(p, 1, 1, f"{p.relative_to(root).as_posix()} is a symbolic link (or lies in a linked "
                             "folder) to a file outside the edition folder; teipress does not read it, so "
                             "nothing from outside the edition is published. Copy the file into tei/, or "
                             "set follow_symlinks = true in edition.toml", "symlink")


def load(edition_dir: Path | str) -> Edition:
    """Parse every TEI file of an edition; parse failures are collected, not raised."""
    root = Path(edition_dir)
    ed = Edition(root=root, config=config_mod.load(root))
    follow = ed.config.get("follow_symlinks") is True
    for p in tei_files(root / "tei"):
        refused = outside_edition(root, p, follow)
        if refused is not None:
            ed.errors.append(refused)
            continue
        try:
            tree = parse(p)
        except XmlError as exc:
            ed.errors.append(exc)
            continue
        rel = p.relative_to(root / "tei").as_posix()
        ed.files.append(TeiFile(p, rel, tree, classify(tree.getroot())))
    ed.index()
    return ed

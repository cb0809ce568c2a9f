"""The one reading of the teiHeader: ``m:metadata`` of the behaviour model → plain facts.

``xslt/model-header.xsl`` is the only code that reads a TEI header; Python reads the
``m:metadata`` it makes, here and nowhere else.  :func:`read` turns one document's
model into a :class:`DocumentInfo`; :func:`edition_metadata` combines ``edition.toml``
with the documents' infos into the :class:`EditionMetadata` that the records, the
deposit, the site and the citations use — with ONE precedence rule per fact
(:func:`edition_id`, :func:`edition_version`, :func:`main_language`,
:func:`edition_title`, :func:`build_date`).  Text is always the corrected reading,
notes left out (``teipress.model.text.plain``).
"""
from __future__ import annotations

import copy
import dataclasses
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterable, Mapping

from ..held_once import once
from . import paths
from .agent import Agent
from .text import MODEL_NS, as_published, pieces, plain

MT = "{%s}" % MODEL_NS
# Model elements that stand as blocks: their texts are joined with a space, never glued.
BLOCKS = {MT + n for n in ("paragraph", "list", "item", "table", "row", "block", "figure", "heading", "line")}

# Licences an archive recognises by identifier: URL stem -> (SPDX id, name).
_CC_NAMES = {"by": "Attribution", "by-sa": "Attribution-ShareAlike", "by-nd": "Attribution-NoDerivatives",
             "by-nc": "Attribution-NonCommercial", "by-nc-sa": "Attribution-NonCommercial-ShareAlike",
             "by-nc-nd": "Attribution-NonCommercial-NoDerivatives"}
_CC_VERSIONS = {"4.0": "International", "3.0": "Unported", "2.5": "Generic", "2.0": "Generic"}

# resp text -> DataCite contributorType; first match wins, so order matters.
_ROLE_WORDS = [("transl", "Translator"), ("edit", "Editor"), ("encod", "DataCurator"),
               ("transcri", "DataCurator"), ("markup", "DataCurator"), ("mark-up", "DataCurator")]

# Which titleStmt/title is a document's title (edition.toml `title_order`, teipress/config.py):
# each selector a TEI @level, a TEI @type, or "untyped" (neither); the first title matching the
# earliest selector wins.  An analytic title (a letter's, an article's) or one typed main comes
# before the title of the work it is part of (a monograph, journal or series) and untyped ones.
DEFAULT_TITLE_ORDER = ("a", "main", "m", "j", "untyped", "u", "s")
TITLE_LEVELS = frozenset("amjsu")

# titleStmt/title/@type -> DataCite titleType (anything else is an AlternativeTitle).
_TITLE_TYPES = {"main": "", "sub": "Subtitle", "subtitle": "Subtitle", "translated": "TranslatedTitle"}


class HeaderError(ValueError):
    """A fact of the edition cannot be determined; the message is for the editor."""


# -- the records' vocabulary ----------------------------------------------------------

@dataclass(frozen=True)
class Identifier:
    value: str
    type: str  # DataCite-style: "DOI", "URL", or the TEI idno/@type as written
    relation: str = ""  # for related identifiers: "IsDerivedFrom", ...


@dataclass(frozen=True)
class Licence:
    url: str = ""
    text: str = ""  # the licence statement of the header
    spdx: str = ""  # "CC-BY-4.0" when the URL is a known licence
    name: str = ""  # "Creative Commons Attribution 4.0 International"


@dataclass(frozen=True)
class Title:
    text: str
    # In EditionMetadata the DataCite titleType ("", "Subtitle", "AlternativeTitle",
    # "TranslatedTitle"); in DocumentInfo and Source the TEI @type as written.
    type: str = ""
    lang: str = ""
    level: str = ""  # TEI @level as written (a document's titles)
    untyped: bool = False  # written without @type (a document's titles: `type` then reads "main")

    def matches(self, selector: str) -> bool:
        """Whether a title_order selector (a @level, a @type or 'untyped') names this title."""
        if selector == "untyped":
            return self.untyped and not self.level
        if selector in TITLE_LEVELS:
            return self.level == selector
        return not self.untyped and self.type == selector


def title_first(titles, order=None) -> tuple:
    """The titles with the document's title first (the first matching the earliest selector of
    *order*, default DEFAULT_TITLE_ORDER), the others in document order."""
    titles = tuple(titles)
    for selector in (order or DEFAULT_TITLE_ORDER):
        hit = next((i for i, t in enumerate(titles) if t.matches(selector)), None)
        if hit is not None:
            return (titles[hit],) + titles[:hit] + titles[hit + 1:]
    return titles


@dataclass
class SourceItem:
    """The printed source the edition is taken from (sourceDesc bibl type="book")."""

    titles: list[Title] = field(default_factory=list)
    authors: list[Agent] = field(default_factory=list)
    publisher: str = ""
    place: str = ""
    year: str = ""
    first_page: str = ""
    last_page: str = ""
    relation: str = "IsDerivedFrom"
    citation: str = ""  # the bibl as plain text
    lang: str = ""  # textLang/@mainLang, else the language of its original title

    @property
    def title(self) -> str:
        return self.titles[0].text if self.titles else ""

    @property
    def latin_title(self) -> str:
        """The title a Latin-script citation prints: the transliterated one where the original
        is in another script (title type="transliterated"), else the original."""
        return next((t.text for t in self.titles if t.type == "AlternativeTitle" and t.lang.endswith("-Latn")),
                    self.title)

    @property
    def translated_title(self) -> str:
        return next((t.text for t in self.titles if t.type == "TranslatedTitle"), "")


@dataclass
class ArchivalRecord:
    """The record the edited text is taken from (sourceDesc bibl type="archival"): the archive's
    title for it, the archive, its number and canonical address, who funded and who translated it,
    and the rights under which it is reproduced (a licence of the edition pointing to it)."""

    title: str = ""
    archive: str = ""  # the bibl's publisher: "Wilson Center Digital Archive"
    idno: str = ""
    url: str = ""
    funders: list[str] = field(default_factory=list)
    translators: list[Agent] = field(default_factory=list)
    rights: list[str] = field(default_factory=list)


@dataclass
class EditionMetadata:
    id: str
    version: str
    title: str
    titles: list[Title] = field(default_factory=list)  # every title, the main one first
    creators: list[Agent] = field(default_factory=list)
    contributors: list[Agent] = field(default_factory=list)
    publisher: str = ""
    publication_date: str = ""  # as in publicationStmt/date/@when: YYYY, YYYY-MM or YYYY-MM-DD
    languages: list[str] = field(default_factory=list)  # BCP 47, the main language first
    abstract: str = ""  # the edition's own summary; a source's only when there is no other
    other_abstracts: list[str] = field(default_factory=list)  # the sources' summaries beside it
    keywords: list[str] = field(default_factory=list)
    licence: Licence = field(default_factory=Licence)
    rights_notes: list[str] = field(default_factory=list)  # availability/p beside the licence
    identifiers: list[Identifier] = field(default_factory=list)  # publicationStmt/idno
    related: list[Identifier] = field(default_factory=list)  # sourceDesc idno and URLs
    # profileDesc/creation/date: when the documents were made, "1960-06-17/1971-11-17".  DataCite
    # takes it both as Created (which may be "a timeframe in ancient history") and as Coverage.
    coverage: str = ""
    updated: str = ""  # the last revisionDesc change
    funders: list[str] = field(default_factory=list)  # of the edition (titleStmt), not of its sources
    source: SourceItem | None = None
    archival: ArchivalRecord | None = None
    sources: list[str] = field(default_factory=list)  # every sourceDesc bibl as a citation
    base_url: str = ""
    contacts: list[str] = field(default_factory=list)  # e-mail addresses in the header

    @property
    def publication_year(self) -> str:
        return self.publication_date[:4]

    @property
    def editors(self) -> list[Agent]:
        return [a for a in self.contributors if a.role == "Editor"]

    @property
    def responsible(self) -> list[Agent]:
        """Who a record names as the edition's creators: its authors; an edition without
        authors (the editors wrote its title) under its editors; else its publisher."""
        if self.creators:
            return list(self.creators)
        if self.editors:
            return self.editors
        return [Agent(self.publisher or self.id, "org")]

    @property
    def source_rights(self) -> list[str]:
        """Rights statements of reproduced sources (not covered by the edition's licence)."""
        return list(self.archival.rights) if self.archival is not None else []

    @property
    def rights_split(self) -> bool:
        """Whether part of the edition is not under its licence (a source's own rights)."""
        return bool(self.source_rights)

    @property
    def language(self) -> str:
        return self.languages[0] if self.languages else ""

    @property
    def doi(self) -> str:
        return next((i.value for i in self.identifiers if i.type == "DOI"), "")

    @property
    def url(self) -> str:
        found = next((i.value for i in self.identifiers if i.type == "URL"), "")
        return found or self.base_url

    @property
    def bag_name(self) -> str:
        """The deposit's folder and zip name: never a path, whatever the id or version say."""
        return f"{paths.safe_name(self.id, 'edition')}-{paths.safe_name(self.version, '0')}"

    def citation(self, build_date: str) -> str:
        """The edition's suggested citation (teipress.model.citation: one form everywhere)."""
        from . import citation

        return citation.suggested(citation.edition_record_of(self, build_date))


# -- one document's header --------------------------------------------------------------

@dataclass(frozen=True)
class Credit:
    """A name of the header with its part: an author, editor, respStmt name, funder or sponsor."""

    part: str  # the TEI element: "author" | "editor" | "resp" | "funder" | "sponsor"
    agent: Agent  # role and resp as the records want them (see _credit)
    ids: tuple[str, ...] = ()  # xml:ids the name carries (a source's author may point to one)
    ref: str = ""  # the name's @ref, as written


@dataclass(frozen=True)
class Source:
    """A bibliographic description of sourceDesc (a bibl or biblStruct not inside another bibl)."""

    tei: str  # "bibl" | "biblStruct"
    type: str = ""  # its @type: "archival", "book", "citation" …
    titles: tuple[Title, ...] = ()  # Title.type: the TEI @type ("" when none)
    credits: tuple[Credit, ...] = ()  # its authors and editors
    publisher: str = ""
    place: str = ""
    date: str = ""  # ISO: @when, else "notBefore-or-from/notAfter-or-to"
    date_text: str = ""
    idnos: tuple[tuple[str, str], ...] = ()  # (type, value)
    urls: tuple[str, ...] = ()  # http(s) targets of its ref and ptr
    ranges: tuple[tuple[str, str], ...] = ()  # citedRange (from, to)
    citation: str = ""  # the whole description as plain text, nested bibls and notes left out
    id: str = ""  # its xml:id
    lang: str = ""  # textLang/@mainLang

    @property
    def authors(self) -> list[Credit]:
        return [c for c in self.credits if c.part == "author"]

    @property
    def funders(self) -> list[str]:
        return [c.agent.name for c in self.credits if c.part == "funder"]


@dataclass(frozen=True)
class Principle:
    """A section of encodingDesc as the model names it (the same heading in HTML and PDF)."""

    name: str  # the TEI element: "projectDesc", "correction", "taxonomy" …
    key: str  # a taxonomy's xml:id, else ""
    label: str  # the heading: "About the project", "Categories: note types" …
    paragraphs: tuple[str, ...] = ()  # plain text; a taxonomy: one per category


@dataclass(frozen=True)
class DocumentInfo:
    """Every header fact of one document, read from its behaviour model (plain text throughout)."""

    id: str  # the document's id in the outputs (m:document/@id)
    lang: str = ""  # TEI/@xml:lang
    # titleStmt/title, the document's title first (title_first); Title.type = TEI @type ("main"
    # when none); machine titles (m:title/@machine: an ISO date to sort by) left out
    titles: tuple[Title, ...] = ()
    credits: tuple[Credit, ...] = ()  # titleStmt, in document order
    edition: str = ""  # editionStmt/edition as text
    version: str = ""  # editionStmt/edition/@n (the first that has one)
    publishers: tuple[tuple[str, str], ...] = ()  # ("publisher" | "distributor" | "authority", name)
    pub_places: tuple[str, ...] = ()
    pub_date: str = ""  # publicationStmt/date/@when
    pub_date_text: str = ""
    idnos: tuple[tuple[str, str], ...] = ()  # publicationStmt/idno: (type, value)
    licences: tuple[tuple[str, str], ...] = ()  # availability/licence: (@target, text), the edition's own
    # licences that point (@corresp) to a source: (the source's xml:id, text) -- its rights
    source_licences: tuple[tuple[str, str], ...] = ()
    availability: tuple[str, ...] = ()  # the other paragraphs of availability
    publication_notes: tuple[str, ...] = ()  # publicationStmt/p
    sources: tuple[Source, ...] = ()
    citations: tuple[str, ...] = ()  # bibl[@type='citation']: the archive's suggested citation
    # the same as the source gives it (its sic, not the editors' corr): what a transcription of
    # the archive's citation prints ("the source cites itself as")
    citations_as_given: tuple[str, ...] = ()
    source_notes: tuple[tuple[str, str], ...] = ()  # notes of a source bibl: (type, text)
    abstract: tuple[str, ...] = ()  # paragraphs, of every abstract
    # each abstract as one text: (whose: "source" for a source's own summary (@source), else "",
    # text), in document order
    abstracts: tuple[tuple[str, str], ...] = ()
    creation: str = ""
    creation_date: str = ""  # ISO value of the first date of profileDesc/creation
    source_date: str = ""  # @when of a source description's own date (not a printed book's)
    sent_date: str = ""  # ISO value of the first date of correspDesc/correspAction[@type='sent']
    languages: tuple[tuple[str, str], ...] = ()  # langUsage: (ident, text)
    keywords: tuple[str, ...] = ()
    changes: tuple[tuple[str, str, str], ...] = ()  # revisionDesc: (when, who, text)
    emails: tuple[str, ...] = ()
    principles: tuple[Principle, ...] = ()

    @property
    def title(self) -> str:
        """The document's title (the first of `titles`: see title_first), else its id."""
        return self.titles[0].text if self.titles else self.id

    @property
    def date(self) -> str:
        """When the document was made: its profileDesc/creation date, else the date of its
        source description (an archival record's, not a printed book's; not a date nested in
        an imprint), else when the letter was sent."""
        return self.creation_date or self.source_date or self.sent_date

    @property
    def subtitle(self) -> str:
        return " ".join(t.text for t in self.titles if t.type == "sub")

    @property
    def short_title(self) -> str:
        return next((t.text for t in self.titles if t.type == "short"), "")

    def credited(self, *parts: str) -> list[Credit]:
        return [c for c in self.credits if c.part in parts]

    @property
    def authors(self) -> list[Agent]:
        return [c.agent for c in self.credited("author")]

    @property
    def funders(self) -> list[str]:
        return [c.agent.name for c in self.credited("funder")]

    @property
    def publisher(self) -> str:
        """publisher, else distributor, else authority."""
        for kind in ("publisher", "distributor", "authority"):
            hit = next((name for k, name in self.publishers if k == kind and name), "")
            if hit:
                return hit
        return ""

    @property
    def licence(self) -> tuple[str, str]:
        return self.licences[0] if self.licences else ("", "")

    @property
    def edition_idno(self) -> str:
        return next((v for t, v in self.idnos if t == "edition" and v), "")

    @property
    def last_change(self) -> str:
        dates = sorted(when[:10] for when, _who, _text in self.changes if when)
        return dates[-1] if dates else ""


def _fields(meta, local: str, **attrs) -> list:
    return [el for el in meta.iterfind(f"m:{local}", {"m": MODEL_NS})
            if all(el.get(k) == v for k, v in attrs.items())]


def block_text(el) -> str:
    """Plain text of a field that may hold paragraphs: one space between blocks, never glued."""
    if el is None:
        return ""
    blocks = [c for c in el if c.tag in BLOCKS]
    if not blocks:
        return plain(el)
    return " ".join(t for t in (plain(b) for b in blocks) if t)


def _name_parts(name: str, given: str, family: str) -> tuple[str, str]:
    """(given, family): as marked up (forename/surname), else 'Family, Given', else the last
    word is the family name."""
    if given or family:
        return given, family
    if "," in name:
        fam, _, giv = name.partition(",")
        if fam.strip() and giv.strip():
            return giv.strip(), fam.strip()
    words = name.split()
    if len(words) < 2:
        return "", ""
    return " ".join(words[:-1]), words[-1]


def _orcid(*values: str) -> str:
    """The bare ORCID iD in an @ref ('https://orcid.org/…') or an idno[@type='ORCID']."""
    for value in (tok for v in values for tok in v.split()):
        m = re.search(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", value)
        if m and ("orcid" in value.lower() or value == m.group(1)):
            return m.group(1)
    return ""


def _role_for(resp: str) -> str:
    low = resp.lower()
    for word, role in _ROLE_WORDS:
        if word in low:
            return role
    return "Other"


def _credit(el) -> Credit | None:
    """An m:agent as a Credit; authors have no role, the others the DataCite contributorType."""
    name = plain(el)
    if not name:
        return None
    part, kind = el.get("role", ""), el.get("kind", "person")
    given, family = _name_parts(name, el.get("given", ""), el.get("family", "")) if kind == "person" else ("", "")
    role, resp = {
        "author": ("", ""),
        "editor": ("Editor", el.get("resp") or "editor"),
        "resp": (_role_for(el.get("resp", "")), el.get("resp", "")),
        "sponsor": ("Sponsor", "sponsor"),
        "funder": ("", "funder"),
    }.get(part, ("Other", el.get("resp", "")))
    agent = Agent(name, kind, given, family, role, resp, _orcid(el.get("ref", ""), el.get("orcid", "")))
    return Credit(part, agent, tuple((el.get("ids") or "").split()), el.get("ref", ""))


def _source(el) -> Source:
    def texts(local):
        return [t for t in (plain(x) for x in _fields(el, local)) if t]

    date = next(iter(_fields(el, "pub-date")), None)
    value = ""
    if date is not None:
        lo = date.get("not-before") or date.get("from") or ""
        hi = date.get("not-after") or date.get("to") or ""
        value = date.get("when") or (f"{lo}/{hi}" if (lo or hi) else "")
    citation = plain(next(iter(_fields(el, "citation")), None))
    return Source(
        tei=el.get("tei", ""), type=el.get("type", ""),
        titles=tuple(Title(plain(t), t.get("type", ""), t.get("lang", "")) for t in _fields(el, "title") if plain(t)),
        credits=tuple(c for c in (_credit(a) for a in _fields(el, "agent")) if c),
        publisher=next(iter(texts("publisher")), ""), place=next(iter(texts("pub-place")), ""),
        date=value, date_text=plain(date),
        idnos=tuple((i.get("type", ""), plain(i)) for i in _fields(el, "idno") if plain(i)),
        urls=tuple(u.get("href") for u in _fields(el, "url")),
        ranges=tuple((r.get("from", ""), r.get("to", "")) for r in _fields(el, "range")),
        # a space before punctuation is an artefact of the markup's line breaks
        citation=re.sub(r"\s+([,.;:\]\)])", r"\1", citation),
        id=el.get("id", ""),
        lang=next((t.get("main") for t in _fields(el, "text-lang") if t.get("main")), ""),
    )


def _principle(section) -> Principle:
    paragraphs: list[str] = []
    for block in section:
        if block.tag == MT + "list" and block.get("tei") == "taxonomy":
            for item in block.iter(MT + "item"):  # a category: its description after its label
                label = item.find(MT + "label")
                text = " ".join(pieces(item, label)[2].split()) if label is not None else plain(item)
                if text:
                    paragraphs.append(text)
        elif plain(block):
            paragraphs.append(plain(block))
    return Principle(section.get("name", ""), section.get("key", ""), section.get("label", ""), tuple(paragraphs))


def read(model_root, title_order=None) -> DocumentInfo:
    """The header facts of one document from its behaviour model (tree or root element);
    *title_order*: edition.toml's `title_order` (default DEFAULT_TITLE_ORDER)."""
    root = model_root.getroot() if hasattr(model_root, "getroot") else model_root
    meta = root.find(MT + "metadata")
    if meta is None:
        return DocumentInfo(id=root.get("id", ""), lang=root.get("lang", ""))
    creation = next(iter(_fields(meta, "creation")), None)
    first_date = creation.find(".//" + MT + "date") if creation is not None else None
    sent = next((d.get("value") for c in _fields(meta, "correspondence", type="sent")
                 for d in c.iter(MT + "date") if d.get("value")), "")
    pub_date = next(iter(_fields(meta, "pub-date")), None)
    principles = meta.find(MT + "principles")
    return DocumentInfo(
        id=root.get("id", ""),
        lang=root.get("lang", ""),
        titles=title_first((Title(plain(t), t.get("type", "main"), t.get("lang", ""), t.get("level", ""),
                                  t.get("untyped") == "true")
                            for t in _fields(meta, "title") if plain(t) and t.get("machine") != "true"),
                           title_order),
        credits=tuple(c for c in (_credit(a) for a in _fields(meta, "agent")) if c),
        edition=plain(next(iter(_fields(meta, "edition")), None)),
        version=next((e.get("n") for e in _fields(meta, "edition") if e.get("n")), ""),
        publishers=tuple((p.get("tei", "publisher"), plain(p)) for p in _fields(meta, "publisher")),
        pub_places=tuple(plain(p) for p in _fields(meta, "pub-place") if plain(p)),
        pub_date=pub_date.get("when", "") if pub_date is not None else "",
        pub_date_text=plain(pub_date),
        idnos=tuple((i.get("type", ""), plain(i)) for i in _fields(meta, "idno") if plain(i)),
        licences=tuple((lic.get("target", ""), block_text(lic)) for lic in _fields(meta, "licence")
                       if not lic.get("source")),
        source_licences=tuple((lic.get("source"), block_text(lic)) for lic in _fields(meta, "licence")
                              if lic.get("source")),
        availability=tuple(t for a in _fields(meta, "availability") if a.get("tei") != "p"
                           for t in (plain(b) for b in a) if t),
        publication_notes=tuple(block_text(a) for a in _fields(meta, "availability", tei="p") if block_text(a)),
        sources=tuple(_source(b) for b in _fields(meta, "bibl")),
        citations=tuple(plain(c) for c in _fields(meta, "citation") if plain(c)),
        citations_as_given=tuple(as_published(c) for c in _fields(meta, "citation") if plain(c)),
        source_notes=tuple((n.get("type", ""), plain(n)) for n in _fields(meta, "source-note") if plain(n)),
        abstract=tuple(t for a in _fields(meta, "abstract") for t in (plain(b) for b in a) if t),
        abstracts=tuple(("source" if a.get("source") else "", block_text(a)) for a in _fields(meta, "abstract")
                        if block_text(a)),
        creation=block_text(creation),
        creation_date=first_date.get("value", "") if first_date is not None else "",
        source_date=next((src.get("when") for src in _fields(meta, "source")
                          if src.get("when") and src.get("type") != "book"), ""),
        sent_date=sent,
        languages=tuple((lang.get("ident", ""), plain(lang)) for lang in _fields(meta, "language")),
        keywords=tuple(plain(k) for k in _fields(meta, "keyword") if plain(k)),
        changes=tuple((c.get("when", ""), c.get("who", ""), plain(c)) for c in _fields(meta, "change")),
        emails=tuple(plain(e) for e in _fields(meta, "email") if plain(e)),
        principles=tuple(_principle(s) for s in principles.iterfind(MT + "section")) if principles is not None else (),
    )


# -- the edition: one precedence rule per fact -------------------------------------------

# Documents are named in the outputs by their xml:id made file-safe (teipress.model.paths):
# an edition id is compared in that form.


def main_document(config, infos: list[DocumentInfo], folder: str) -> DocumentInfo | None:
    """The document whose TEI/@xml:id is the edition's id (edition.toml 'id', else the first
    publicationStmt/idno[@type='edition'], else the folder name), else the first document."""
    wanted = config.get("id") or next((i.edition_idno for i in infos if i.edition_idno), "") or folder
    wanted = paths.safe_name(wanted)  # as document ids are made (teipress.model.paths)
    return next((i for i in infos if i.id == wanted), infos[0] if infos else None)


def edition_id(config, infos: list[DocumentInfo], folder: str) -> str:
    """edition.toml 'id' > the main document's publicationStmt/idno[@type='edition'] made
    file-safe > the edition folder's name (last: a clone of a repository may have any name)."""
    if config.get("id"):
        return config.get("id")
    main = main_document(config, infos, folder)
    return paths.safe_name(main.edition_idno) if main is not None and main.edition_idno else folder


def edition_version(config, infos: list[DocumentInfo], folder: str) -> str:
    """edition.toml 'version' > editionStmt/edition/@n of the main document > of the first
    document that has one > '0'."""
    if config.get("version"):
        return config.get("version")
    main = main_document(config, infos, folder)
    for info in ([main] if main is not None else []) + list(infos):
        if info.version:
            return info.version
    return "0"


def main_language(config, infos: list[DocumentInfo], folder: str) -> str:
    """edition.toml 'language' > TEI/@xml:lang of the main document > ''."""
    if config.get("language"):
        return config.get("language")
    main = main_document(config, infos, folder)
    return main.lang if main is not None else ""


def edition_title(config, infos: list[DocumentInfo], folder: str) -> str:
    """edition.toml 'title' > the main title of the main document, in the corrected reading."""
    if config.get("title"):
        return config.get("title")
    main = main_document(config, infos, folder)
    return main.title if main is not None else edition_id(config, infos, folder)


def _iso_day(value: str) -> datetime | None:
    try:
        parts = [int(x) for x in value[:10].split("-")] + [1, 1]
        return datetime(parts[0], parts[1], parts[2], tzinfo=timezone.utc)
    except (ValueError, IndexError):
        return None


def build_date(env: Mapping[str, str], infos: Iterable[DocumentInfo]) -> datetime:
    """When the edition was made, from its sources only, so two builds give the same bytes:
    SOURCE_DATE_EPOCH if set, else the newest revisionDesc change, else the newest publication
    date, else today (in UTC, at midnight: builds of the same day still agree) -- never a made-up
    date such as 1 January 1970.  *infos*: every TEI file's (a register's revision counts too)."""
    epoch = (env.get("SOURCE_DATE_EPOCH") or "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise HeaderError(f"SOURCE_DATE_EPOCH='{epoch}' is not a number of seconds since 1970") from None
    infos = list(infos)
    for dates in ([w for i in infos for w, _who, _t in i.changes if w],
                  [i.pub_date or _year(i.pub_date_text) for i in infos]):
        for value in sorted((d[:10] for d in dates if d), reverse=True):
            day = _iso_day(value)
            if day is not None:
                return day
    today = datetime.now(timezone.utc)
    return datetime(today.year, today.month, today.day, tzinfo=timezone.utc)


def _year(text: str) -> str:
    m = re.search(r"\b(\d{4})\b", text)
    return m.group(1) if m else ""


def known_licence(url: str) -> tuple[str, str]:
    """(SPDX id, name) of a licence URL archives recognise; ('', '') for others."""
    m = re.match(r"https?://creativecommons\.org/licenses/([a-z-]+)/(\d\.\d)/?$", url)
    if m and m.group(1) in _CC_NAMES:
        kind, ver = m.groups()
        return (f"CC-{kind.upper()}-{ver}",
                f"Creative Commons {_CC_NAMES[kind]} {ver} {_CC_VERSIONS.get(ver, '')}".strip())
    if re.match(r"https?://creativecommons\.org/publicdomain/zero/1\.0/?$", url):
        return "CC0-1.0", "Creative Commons Zero v1.0 Universal"
    m = re.match(r"https?://spdx\.org/licenses/([A-Za-z0-9.+-]+?)(\.html)?$", url)
    if m:
        return m.group(1), m.group(1)
    return "", ""


def _identifier(kind: str, value: str, relation: str = "") -> Identifier:
    kind = kind.strip()
    if kind.lower() == "doi" or value.lower().startswith(("doi:", "https://doi.org/")):
        return Identifier(re.sub(r"^(doi:|https://doi\.org/)", "", value, flags=re.I), "DOI", relation)
    if kind.lower() in ("url", "uri") or value.startswith(("http://", "https://")):
        return Identifier(value, "URL", relation)
    return Identifier(value, kind or "local", relation)


def _base_lang(tag: str) -> str:
    return tag.split("-")[0].lower()


def _edition_titles(config, main: DocumentInfo, lang: str) -> list[Title]:
    """Every title for the records, the main one first, as DataCite title types."""
    # the title of the series, volume or journal the document belongs to is another title, never
    # the main one nor its subtitle (the document's own title is first: title_first)
    titles = [Title(t.text, "AlternativeTitle" if (i and t.level in ("s", "m", "j")) else
                    _TITLE_TYPES.get(t.type, "AlternativeTitle"), t.lang) for i, t in enumerate(main.titles)]
    titles.sort(key=lambda t: t.type != "")
    if titles and any(t.type == "" for t in titles[1:]):  # two untyped titles: the second is a subtitle
        titles = [titles[0]] + [Title(t.text, t.type or "Subtitle", t.lang) for t in titles[1:]]
    configured = config.get("title")
    if configured:
        titles = [Title(configured, "", lang)] + [Title(t.text, t.type or "AlternativeTitle", t.lang)
                                                 for t in titles if t.text != configured]
    return titles


# a source's title/@type -> DataCite titleType; a transliteration is another form of the title
_SOURCE_TITLE_TYPES = {"translated": "TranslatedTitle", "sub": "Subtitle", "subtitle": "Subtitle",
                       "transliterated": "AlternativeTitle", "alt": "AlternativeTitle"}


def _source_item(src: Source, header_agents: dict[str, Agent]) -> SourceItem:
    titles = [Title(t.text, _SOURCE_TITLE_TYPES.get(t.type, ""), t.lang) for t in src.titles]
    titles.sort(key=lambda t: t.type != "")  # the original title first
    authors = []
    for c in src.authors:  # a pointer to a name of the titleStmt: that agent, with its ORCID
        ref = c.ref.split()[0] if c.ref else ""
        a = header_agents.get(ref[1:]) if ref.startswith("#") else None
        a = a or c.agent
        authors.append(Agent(a.name, a.kind, a.given, a.family, orcid=a.orcid))
    froms = [int(f) for f, _t in src.ranges if f.isdigit()]
    tos = [int(t) for _f, t in src.ranges if t.isdigit()]
    return SourceItem(titles=titles, authors=authors, publisher=src.publisher, place=src.place,
                      year=(src.date or src.date_text)[:4],
                      first_page=str(min(froms)) if froms else "", last_page=str(max(tos)) if tos else "",
                      citation=src.citation,
                      lang=src.lang or next((t.lang for t in titles if t.type == "" and t.lang), ""))


def _archival_record(src: Source, info: DocumentInfo, header_agents: dict[str, Agent]) -> ArchivalRecord:
    """The archive's record of the text: its title (titleStmt title type="archival", else the
    bibl's), the archive, number, address, funders, translators (its respStmt names pointing to
    the header's) and the rights a licence of the edition states for it."""
    title = next((t.text for t in info.titles if t.type == "archival"), "") or (
        src.titles[0].text if src.titles else "")
    translators = [a for a in header_agents.values() if a.role == "Translator"]
    return ArchivalRecord(
        title=title, archive=src.publisher, idno=src.idnos[0][1] if src.idnos else "",
        url=src.urls[0] if src.urls else "", funders=src.funders, translators=translators,
        rights=[text for ident, text in info.source_licences if ident and ident == src.id and text])


def _merged(agents: list[Agent]) -> list[Agent]:
    """One agent per name and role: an editor named in <editor> and again in a respStmt that
    says what the editors did is one contributor, with that statement as its resp."""
    import dataclasses

    out: list[Agent] = []
    for a in agents:
        same = next((i for i, b in enumerate(out) if (b.name, b.kind, b.role) == (a.name, a.kind, a.role)), None)
        if same is None:
            out.append(a)
            continue
        b = out[same]
        resps = [r for r in (b.resp, a.resp) if r and r.lower() != (a.role or "").lower()]
        out[same] = dataclasses.replace(b, resp="; ".join(dict.fromkeys(resps)) or b.resp,
                                        orcid=b.orcid or a.orcid, given=b.given or a.given,
                                        family=b.family or a.family)
    return out


def edition_metadata(config, infos: list[DocumentInfo], folder: str) -> EditionMetadata:
    """The edition's metadata: edition.toml, then the header of its main document.

    *infos*: the documents' DocumentInfo in the edition's order; *folder*: the edition
    folder's name (the last resort for its id).  For one document's own metadata pass
    ``[info]``: the same rules then read that document.
    """
    ident = edition_id(config, infos, folder)
    version = edition_version(config, infos, folder)
    base_url = config.get("base_url") or ""
    main = main_document(config, infos, folder)
    if main is None:
        return EditionMetadata(id=ident, version=version, title=config.get("title") or ident, base_url=base_url)
    lang = main_language(config, infos, folder)
    titles = _edition_titles(config, main, lang)

    # People: authors are creators; editors, respStmts, sponsors are contributors.
    creators = [c.agent for c in main.credited("author")]
    contributors = _merged([c.agent for part in ("editor", "resp", "sponsor") for c in main.credited(part)])
    by_id = {i: c.agent for c in main.credits for i in c.ids}

    # Publication.
    url, text = main.licence
    spdx, name = known_licence(url)
    licence = Licence(url, text, spdx, name or text) if main.licences else Licence()

    # Sources: archival identifiers and URLs become related identifiers; the book a related item.
    related: list[Identifier] = []
    source = None
    archival = None
    for src in main.sources:
        if src.type == "book" and source is None:
            source = _source_item(src, by_id)
            continue
        if src.type == "archival" and archival is None:
            archival = _archival_record(src, main, by_id)
        related += [_identifier(t, v, "IsDerivedFrom") for t, v in src.idnos]
        related += [Identifier(u, "URL", "IsDerivedFrom") for u in src.urls]
    if source is not None and any(a.role == "Translator" for a in contributors):
        src_lang = source.lang
        if src_lang and lang and _base_lang(src_lang) != _base_lang(lang):
            source.relation = "IsTranslationOf"

    # The edition's summary: its editors' (an abstract not marked as a source's), else the first.
    own = [text for whose, text in main.abstracts if whose != "source"]
    abstract = own[0] if own else (main.abstracts[0][1] if main.abstracts else " ".join(main.abstract))
    others = [text for _whose, text in main.abstracts if text != abstract]

    languages = [lang] if lang else []
    for tag, _name in main.languages:
        if tag and tag not in languages:
            languages.append(tag)
    return EditionMetadata(
        id=ident, version=version, title=edition_title(config, infos, folder), titles=titles,
        creators=creators, contributors=contributors, publisher=main.publisher,
        publication_date=main.pub_date or _year(main.pub_date_text),
        languages=languages, abstract=abstract, other_abstracts=others, keywords=list(main.keywords),
        licence=licence, rights_notes=list(main.availability),
        identifiers=[_identifier(t, v) for t, v in main.idnos],
        related=related, coverage=main.creation_date, updated=main.last_change,
        funders=main.funders, source=source, archival=archival, sources=[s.citation for s in main.sources],
        base_url=base_url, contacts=sorted(set(main.emails)),
    )


def edition_metadata_from(ed, infos: list[DocumentInfo] | None = None) -> EditionMetadata:
    """The EditionMetadata of a loaded edition, without building its EditionModel: each
    document's header alone is modelled (teipress.model.behaviour.header_only)."""
    if infos is None:
        from .behaviour import Names, header_only

        names = Names.of(ed)
        infos = [document_info(ed, f, names, header_only(ed, f, names)) for f in ed.documents]
    return edition_metadata(ed.config, infos, folder_name(ed))


def document_info(ed, f, names, model) -> DocumentInfo:
    """The header facts of document *f* (a TeiFile) from its *model*, the title chosen by
    edition.toml's `title_order`; a TEI of a teiCorpus falls back, fact by fact, to the
    headers of the corpora around it (teipress.model.behaviour.corpus_header_models)."""
    return with_corpus(ed, f, names, read(model, ed.config.get("title_order")))


def with_corpus(ed, f, names, info: DocumentInfo) -> DocumentInfo:
    """*info*, read off document *f*'s own header (read), with what it lacks taken from the
    corpora around it when *f* is a TEI of a teiCorpus (document_info)."""
    if getattr(f, "container", None) is not None:
        from .behaviour import corpus_header_models

        order = ed.config.get("title_order")
        for corpus in corpus_header_models(ed, f, names):
            info = inherit(info, read(corpus, order), f.n)
    return info


_HELD = object()  # (shared: in *seen*, id → each value kept, to know it again without hashing it)


def shared(info: DocumentInfo, seen: dict) -> DocumentInfo:
    """*info* with each of its facts that an earlier document's info had equal (*seen*: kept
    by the caller over the edition) being that same object: the letters of an edition repeat
    one publicationStmt, licence, editors and sources in every header, and a build holds every
    document's info until it ends.  Equal values, so nothing read from it changes."""
    same = {}
    held = seen.get(_HELD)
    if held is None:
        held = seen[_HELD] = {}
    for f, value in info.__dict__.items():
        if value.__class__ is tuple and value:
            if held.get(id(value)) is value:
                continue  # (the very value kept: read from the cache, shared already: own_cache)
            kept = once(value, seen)
            if kept is value:
                held[id(value)] = value
            else:
                same[f] = kept
    if not same:
        return info
    # (a copy with those fields, as dataclasses.replace makes it: DocumentInfo has no
    # __post_init__ nor fields outside __init__, so its __init__ would only set them again)
    out = copy.copy(info)
    out.__dict__.update(same)
    return out


def inherit(info: DocumentInfo, corpus: DocumentInfo, n: int) -> DocumentInfo:
    """*info* with each fact it lacks taken from its corpus's header; a TEI without a title of
    its own is called after the corpus, with its ordinal ('Letters, text 2'), so that no two
    documents of the corpus share a title."""
    import dataclasses

    missing = {f.name: getattr(corpus, f.name) for f in dataclasses.fields(DocumentInfo)
               if f.name not in ("id", "titles") and not getattr(info, f.name) and getattr(corpus, f.name)}
    if not info.titles and corpus.titles:
        first = corpus.titles[0]
        missing["titles"] = (dataclasses.replace(first, text=f"{first.text}, text {n}"),)
    return dataclasses.replace(info, **missing)


def folder_name(ed) -> str:
    """The edition folder's name: the last resort for the edition's id."""
    return ed.root.resolve().name



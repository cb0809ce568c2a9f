"""How to cite a document of the edition: Chicago and MLA, BibTeX, RIS, citation_* meta tags
(Zotero, Google Scholar) and schema.org JSON-LD.  All from the TEI header (teipress.metadata)."""
from __future__ import annotations

import json
import re

from markupsafe import Markup


def _people(doc) -> tuple[list, list]:
    md = doc.meta
    authors = list(md.creators)
    translators = [a for a in md.contributors if a.role == "Translator"]
    return authors, translators


def url(site, doc) -> str:
    """The permalink: absolute when the edition's base_url is configured, else site-relative."""
    return f"{site.base_url}{doc.path}" if site.base_url else doc.path


def _names(agents) -> str:
    names = [a.name for a in agents]
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _lead(authors) -> str:
    if not authors:
        return ""
    first = authors[0]
    inv = first.inverted if first.family else _invert(first.name, first.kind)
    rest = [a.name for a in authors[1:]]
    return inv + (", and " + ", ".join(rest) if rest else "")


def _invert(name: str, kind: str) -> str:
    parts = name.split()
    if kind != "person" or len(parts) < 2:
        return name
    return f"{parts[-1]}, {' '.join(parts[:-1])}"


def _year(site, doc) -> str:
    return doc.meta.publication_year or site.meta.publication_year or site.build_date[:4]


def _publisher(site, doc) -> str:
    return doc.meta.publisher or site.meta.publisher


def _end(s: str) -> str:
    return s if s.endswith((".", "?", "!")) else s + "."


def chicago(site, doc) -> str:
    authors, translators = _people(doc)
    parts = []
    if authors:
        parts.append(_end(_lead(authors)))
    parts.append(f"“{_end(doc.title)}”")
    if translators:
        parts.append(f"Translated by {_end(_names(translators))}")
    if site.title != doc.title:
        parts.append(f"In {_end(site.title)}")
    parts.append(f"Version {site.version}.")
    parts.append(", ".join(x for x in (_publisher(site, doc), _year(site, doc)) if x) + ".")
    parts.append(url(site, doc) + ".")
    return " ".join(parts)


def mla(site, doc) -> str:
    authors, translators = _people(doc)
    parts = []
    if authors:
        parts.append(_end(_lead(authors)))
    parts.append(f"“{_end(doc.title)}”")
    tail = []
    if translators:
        tail.append(f"translated by {_names(translators)}")
    if site.title != doc.title:
        tail.append(site.title)
    tail += [f"version {site.version}", _publisher(site, doc), _year(site, doc), url(site, doc)]
    rest = ", ".join(x for x in tail if x)
    parts.append(rest[:1].upper() + rest[1:] + ".")
    return " ".join(parts)


_BIB_ESCAPE = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$",
               "#": r"\#", "_": r"\_", "^": r"\^{}", "~": r"\~{}"}


def _bib(s: str) -> str:
    return "".join(_BIB_ESCAPE.get(c, c) for c in s)


def bibtex(site, doc) -> str:
    authors, translators = _people(doc)
    key = re.sub(r"[^A-Za-z0-9_-]", "", doc.id) or "document"
    fields = [("title", doc.title)]
    if authors:
        fields.append(("author", " and ".join(a.inverted if a.family else _invert(a.name, a.kind)
                                              for a in authors)))
    if translators:
        fields.append(("translator", " and ".join(_invert(a.name, a.kind) for a in translators)))
    if site.title != doc.title:
        fields.append(("booktitle", site.title))
    fields += [("publisher", _publisher(site, doc)), ("year", _year(site, doc)),
               ("version", site.version), ("url", url(site, doc)),
               ("note", f"TEI source: {doc.tei}")]
    body = ",\n".join(f"  {k} = {{{_bib(v)}}}" for k, v in fields if v)
    return f"@misc{{{key},\n{body}\n}}\n"


def ris(site, doc) -> str:
    authors, translators = _people(doc)
    lines = [("TY", "ELEC"), ("TI", doc.title)]
    lines += [("AU", a.inverted if a.family else _invert(a.name, a.kind)) for a in authors]
    lines += [("A4", _invert(a.name, a.kind)) for a in translators]
    if site.title != doc.title:
        lines.append(("T2", site.title))
    lines += [("PB", _publisher(site, doc)), ("PY", _year(site, doc)), ("ET", site.version),
              ("UR", url(site, doc))]
    if doc.meta.abstract:
        lines.append(("AB", doc.meta.abstract))
    lines.append(("ER", ""))
    return "".join(f"{k}  - {' '.join(v.split())}\r\n" for k, v in lines if v or k == "ER")


def meta_tags(site, doc) -> list[tuple[str, str]]:
    """Highwire Press tags, read by Zotero and Google Scholar."""
    authors, _ = _people(doc)
    tags = [("citation_title", doc.title)]
    tags += [("citation_author", a.inverted if a.family else _invert(a.name, a.kind)) for a in authors]
    date = doc.meta.publication_date or _year(site, doc)
    tags += [("citation_publication_date", date.replace("-", "/")),
             ("citation_publisher", _publisher(site, doc))]
    if site.title != doc.title:
        tags.append(("citation_inbook_title", site.title))
    if doc.meta.language:
        tags.append(("citation_language", doc.meta.language))
    if site.base_url:
        tags.append(("citation_public_url", url(site, doc)))
        if doc.pdf:
            tags.append(("citation_pdf_url", f"{site.base_url}{doc.pdf}"))
    tags += [("citation_keywords", k) for k in doc.meta.keywords]
    tags.append(("dc.identifier", doc.id))
    return [(k, v) for k, v in tags if v]


def json_ld(site, doc) -> Markup:
    """schema.org JSON-LD, safe inside <script>: '<', '>' and '&' are escaped in the JSON."""
    authors, translators = _people(doc)

    def agent(a):
        return {"@type": "Person" if a.kind == "person" else "Organization", "name": a.name}

    data = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "name": doc.title,
        "identifier": doc.id,
        "version": site.version,
        "datePublished": doc.meta.publication_date or _year(site, doc),
        "dateModified": site.build_date,
        "publisher": {"@type": "Organization", "name": _publisher(site, doc)} if _publisher(site, doc) else None,
        "author": [agent(a) for a in authors] or None,
        "translator": [agent(a) for a in translators] or None,
        "inLanguage": doc.meta.language or None,
        "abstract": doc.meta.abstract or None,
        "keywords": doc.meta.keywords or None,
        "license": doc.meta.licence.url or None,
        "temporalCoverage": doc.meta.coverage or None,
        "isPartOf": {"@type": "CreativeWork", "name": site.title} if site.title != doc.title else None,
        "url": url(site, doc) if site.base_url else None,
        "encoding": {"@type": "MediaObject", "encodingFormat": "application/tei+xml", "contentUrl": doc.tei},
    }
    data = {k: v for k, v in data.items() if v is not None}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def edition_citation(site) -> str:
    """The edition as a whole (home page)."""
    return site.meta.citation()

"""The HTML pages' citations: build a ``Citation`` from the page objects, format it with
``teipress.model.citation``.  An adapter only; the forms themselves live in the model."""
from __future__ import annotations

from markupsafe import Markup

from .model import M, citation as c
from .model.text import plain


def url(site, doc) -> str:
    """The permalink: absolute when the edition's base_url is configured, else site-relative."""
    return f"{site.base_url}{doc.path}" if site.base_url else doc.path


def _address(site, path: str) -> str:
    return f"{site.base_url}{path}" if site.base_url and path else path


def _with_role(md, role: str) -> list:
    return [a for a in md.contributors if a.role == role]


def record(site, doc) -> c.Citation:
    """The citation of a document page (a whole document, or a division page of a split one)."""
    md = doc.meta
    part = doc.parent is not None
    return c.Citation(
        id=doc.id,
        title=doc.title,
        authors=md.creators,
        editors=_with_role(md, "Editor"),
        translators=_with_role(md, "Translator"),
        # A document that is the whole edition (same title) is a work of its own.
        container_title=site.title if site.title != doc.title else "",
        version=site.version,
        publisher=md.publisher or site.meta.publisher,
        date=(c.iso_date(md.publication_date) or c.iso_date(site.meta.publication_date)
              or site.build_date[:4]),
        url=url(site, doc),
        pdf_url=_address(site, doc.pdf),
        tei_url=_address(site, doc.tei),
        doi="" if part else md.doi,  # the DOI names the document, not one of its division pages
        language=md.language,
        abstract=md.abstract,
        keywords=md.keywords,
        licence=md.licence.url,
        coverage=md.coverage,
        modified=site.build_date,
        source=archival_source(doc),
    )


def archival_source(doc) -> c.ArchivalSource | None:
    """The archive's record of the document (sourceDesc bibl type="archival"): the archive's title
    for it (titleStmt title type="archival", else the bibl's title) and its address."""
    src = (doc.parent or doc).model.find("m:metadata/m:source[@type='archival']", M)
    if src is None:
        return None
    title = doc.first("title", type="archival")
    text = title.text if title else plain(src.find("m:inline[@tei='title']", M))
    return c.ArchivalSource(text, src.get("url", "")) if text else None


def edition_record(site) -> c.Citation:
    """The citation of the edition as a whole (home page)."""
    md = site.meta
    return c.Citation(
        id=md.id, title=md.title, authors=md.creators,
        editors=_with_role(md, "Editor"), translators=_with_role(md, "Translator"),
        version=site.version, publisher=md.publisher,
        date=c.iso_date(md.publication_date) or site.build_date[:4],
        url=md.url, doi=md.doi, language=md.language, abstract=md.abstract, keywords=md.keywords,
        licence=md.licence.url, coverage=md.coverage, modified=site.build_date,
    )


def chicago(site, doc) -> str:
    return c.chicago(record(site, doc))


def mla(site, doc) -> str:
    return c.mla(record(site, doc))


def bibtex(site, doc) -> str:
    return c.bibtex(record(site, doc))


def ris(site, doc) -> str:
    return c.ris(record(site, doc))


def meta_tags(site, doc) -> list[tuple[str, str]]:
    return c.meta_tags(record(site, doc))


def json_ld(site, doc) -> Markup:
    return Markup(c.json_ld(record(site, doc)))  # escaped for <script> by the formatter


def edition_citation(site) -> str:
    """The edition as a whole (home page)."""
    return c.suggested(edition_record(site))

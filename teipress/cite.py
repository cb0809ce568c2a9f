"""The HTML pages' citations: the model's Citation record of a page, in each form of
``teipress.model.citation``.  An adapter for the page shells only."""
from __future__ import annotations

from markupsafe import Markup

from .model import citation as c
from .model.citation import edition_record, record, url  # noqa: F401  (the page shells use url)


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

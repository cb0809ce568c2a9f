"""Authority records (GND, VIAF, GeoNames, Wikidata …) named by a register entry.

One reading of an identifier, however it is written — an URL with http or https, www or
not, the record's page or its entity URI, or a bare number in an ``idno`` of the
authority's type — for the registers (entries of one person merge by it,
teipress.model.registers) and for the letters (the CMIF's @ref, teipress.model.correspondence).
"""
from __future__ import annotations

import re

# name → (the identifier in a URL of the authority, the URI the record is cited by)
AUTHORITIES = {
    "gnd": (r"d-nb\.info/gnd/([0-9]+[0-9X-]*)", "http://d-nb.info/gnd/{}"),
    "viaf": (r"viaf\.org/viaf/([0-9]+)", "http://viaf.org/viaf/{}"),
    "geonames": (r"geonames\.org/([0-9]+)", "http://www.geonames.org/{}"),
    "wikidata": (r"wikidata\.org/(?:entity|wiki)/(Q[0-9]+)", "http://www.wikidata.org/entity/{}"),
    "orcid": (r"orcid\.org/([0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X])", "https://orcid.org/{}"),
    "lc": (r"id\.loc\.gov/authorities/names/([a-z]+[0-9]+)", "http://id.loc.gov/authorities/names/{}"),
    "bnf": (r"data\.bnf\.fr/(?:ark:/12148/)?(cb[0-9]+[0-9a-z]?)", "http://data.bnf.fr/ark:/12148/{}"),
    "ndl": (r"id\.ndl\.go\.jp/auth/ndlna/([0-9]+)", "http://id.ndl.go.jp/auth/ndlna/{}"),
}
_URL = [(name, re.compile(r"^https?://(?:www\.|sws\.)?" + rx + r"(?:[/.#?].*)?$", re.I))
        for name, (rx, _form) in AUTHORITIES.items()]
# idno/@type values editors use for these authorities
ALIASES = {"pnd": "gnd", "gnd-id": "gnd", "wikidata-id": "wikidata", "qid": "wikidata", "lcnaf": "lc"}
_BARE_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]*$")


def record(value: str, kind: str = "") -> tuple[str, str] | None:
    """(authority, identifier) of *value*: an URL of a known authority, or a bare identifier in
    an idno whose @type (*kind*) names one; else None."""
    value = (value or "").strip()
    for name, rx in _URL:
        m = rx.match(value)
        if m:
            return name, _normal(name, m.group(1))
    name = ALIASES.get(kind.strip().casefold(), kind.strip().casefold())
    if name in AUTHORITIES and _BARE_ID.match(value):
        return name, _normal(name, value)
    return None


def _normal(name: str, ident: str) -> str:
    return ident.upper() if name == "wikidata" else ident


def uri(value: str, kind: str = "") -> str:
    """*value* as the URI its authority cites the record by, else ''."""
    found = record(value, kind)
    return AUTHORITIES[found[0]][1].format(found[1]) if found else ""

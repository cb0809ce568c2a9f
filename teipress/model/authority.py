"""Authority records (GND, VIAF, GeoNames, Wikidata …) named by a register entry.

One reading of an identifier, however it is written — an URL with http or https, www or
not, the record's page or its entity URI, or a bare number in an ``idno`` of the
authority's type — for the registers (entries of one person merge by it,
teipress.model.registers) and for the letters (the CMIF's @ref, teipress.model.correspondence).
"""
from __future__ import annotations

import re
from functools import lru_cache

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


# The same identifier is read again and again (a person described in every letter's back, the
# registers, the CMIF): its reading is kept.
@lru_cache(maxsize=1 << 16)
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


# The syntax of each authority's identifiers (Wikidata's format constraints on the properties
# P214, P227, P244, P268, P349, P496, P1566 and its own item ids), for the rule idno-syntax.
SYNTAX = {
    "gnd": re.compile(r"^(?:1[012]?[0-9]{7}[0-9X]|[47][0-9]{6}-[0-9]|[1-9][0-9]{0,7}-[0-9X]|3[0-9]{7}[0-9X])$"),
    "viaf": re.compile(r"^[1-9][0-9]{0,21}$"),
    "geonames": re.compile(r"^[1-9][0-9]{0,9}$"),
    "wikidata": re.compile(r"^Q[1-9][0-9]*$"),
    "orcid": re.compile(r"^0000-000[1-9]-[0-9]{4}-[0-9]{3}[0-9X]$"),
    "lc": re.compile(r"^(?:n|nb|nr|no|ns|sh|sj|sn|sp)(?:[4-9][0-9]|00|20[0-9]{2})[0-9]{6}$"),
    "bnf": re.compile(r"^cb[1-4][0-9]{7}[0-9bcdfghjkmnpqrstvwxz]$"),
    "ndl": re.compile(r"^(?:0[0-9]{7,8}|[1-9][0-9]{7,8})$"),
}


# The address of each authority's records, to tell a malformed record address from another site's.
RECORD_PATHS = {"gnd": r"d-nb\.info/gnd/", "viaf": r"viaf\.org/viaf/", "geonames": r"geonames\.org/",
                "wikidata": r"wikidata\.org/(?:entity|wiki)/", "orcid": r"orcid\.org/",
                "lc": r"id\.loc\.gov/authorities/names/", "bnf": r"data\.bnf\.fr/", "ndl": r"id\.ndl\.go\.jp/auth/"}
_RECORD_PATH = [(name, re.compile(r"^https?://(?:www\.|sws\.)?" + rx, re.I)) for name, rx in RECORD_PATHS.items()]


def authority_of(kind: str) -> str:
    """The authority an idno/@type names ('GND', 'pnd', 'qid' …), else ''."""
    name = ALIASES.get((kind or "").strip().casefold(), (kind or "").strip().casefold())
    return name if name in AUTHORITIES else ""


def _orcid_checksum(ident: str) -> bool:
    digits = ident.replace("-", "")
    total = 0
    for ch in digits[:-1]:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    return digits[-1] == ("X" if check == 10 else str(check))


def syntax_error(value: str, kind: str = "") -> str:
    """Why *value* (an idno of @type *kind*, or an authority URL) is no well-formed identifier
    of its authority; '' when it is, or when no known authority is named."""
    value = (value or "").strip()
    named = authority_of(kind)
    url_authority = next((name for name, rx in _URL if rx.match(value)), "")
    looks_like_url = re.match(r"(?i)^https?://", value) is not None
    site = next((name for name, rx in _RECORD_PATH if rx.match(value)), "")
    if site and not url_authority:
        return f"'{value}' is not the address of a {site} record"
    if named and looks_like_url and not url_authority:
        return f"'{value}' is not an address of a {named} record"
    if named and url_authority and url_authority != named:
        return f"'{value}' is a {url_authority} address, but the idno says {named}"
    authority = url_authority or named
    if not authority:
        return ""
    ident = record(value, kind)
    ident = ident[1] if ident else value
    if not SYNTAX[authority].match(ident):
        return f"'{ident}' is not a well-formed {authority} identifier"
    if authority == "orcid" and not _orcid_checksum(ident):
        return f"'{ident}' is not an ORCID iD (its check digit is wrong)"
    return ""

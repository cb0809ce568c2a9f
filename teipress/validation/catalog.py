"""Every rule `teipress validate` reports, by its stable name, and how severe it is.

An edition may change a rule's severity in edition.toml::

    [rules]
    register-unused = "ignore"
    date-iso = "warning"

Rules that guard the build itself (a file that cannot be read, a pointer that
leaves the edition, a schema outside it) cannot be lowered: nothing sound can be
made from an edition that breaks them.
"""
from __future__ import annotations

SEVERITIES = ("error", "warning", "note", "ignore")

# name: (default severity, adjustable, what it checks)
RULES: dict[str, tuple[str, bool, str]] = {
    "xml-wellformed": ("error", False, "the file is well-formed XML"),
    "xml-read": ("error", False, "the file can be read"),
    "xml-size": ("error", False, "the file is within the size limit"),
    "xml-doctype": ("error", False, "no DOCTYPE declaration (no DTDs, no entities)"),
    "xml-entity": ("error", False, "no undeclared or external entity references"),
    "tei-root": ("error", True, "the root is <TEI> or <teiCorpus> in the TEI namespace"),
    "schema": ("error", True, "the file is valid against its schema (RELAX NG, XSD or the project's own)"),
    "schematron": ("error", True, "the file passes the Schematron rules named in <?xml-model?>"),
    "schema-missing": ("error", True, "a schema named in <?xml-model?> or edition.toml exists"),
    "schema-remote": ("note", True, "a schema named by URL is not fetched: the project's schema is used instead"),
    "schema-default": ("note", True, "a file names no schema: the project's schema is used"),
    "schema-compile": ("error", True, "a named schema can be compiled"),
    "schema-unsupported": ("warning", True, "a named schema is in a form teipress cannot run "
                                            "(RELAX NG compact syntax, XSLT 2 Schematron)"),
    "schema-absent": ("warning", True, "a schema named beside tei/ (the editors' repository layout, e.g. "
                                       "../meta/x.sch) is at hand; when it is not, the project's schema stands in"),
    "schema-outside": ("warning", True, "a named schema lies inside the edition folder"),
    "id-unique": ("error", True, "xml:id values are unique within each file"),
    "pointer-resolves": ("error", True, "a pointer (file.xml#id, #id) names an element that exists"),
    "pointer-file": ("error", True, "a pointer names a file of the edition"),
    "pointer-resp": ("warning", True, "an attribution (@resp, a change's @who) names an xml:id that exists"),
    "pointer-bare": ("warning", True, "a pointer written as a bare id ('pmb50') where '#pmb50' is meant"),
    "pointer-kind": ("error", True, "persName/@ref points to a person, placeName/@ref to a place, …"),
    "pointer-prefix": ("warning", True, "a pointer's prefix is a URI scheme the edition links or one it "
                                        "declares (prefixDef)"),
    "pointer-outside": ("error", False, "a pointer stays inside the edition's tei/ folder"),
    "pointer-scheme": ("error", False, "no link runs code or reads local files (javascript:, data:, file:, …)"),
    "date-iso": ("error", True, "dates are ISO 8601 (YYYY, YYYY-MM, YYYY-MM-DD) and exist"),
    "date-range": ("error", True, "@notBefore/@from is not after @notAfter/@to"),
    "date-when-range": ("warning", True, "@when is not combined with a range (TEI: use either)"),
    "date-consistent": ("error", True, "@when lies inside the element's own range"),
    "idno-syntax": ("error", True, "an identifier of a known authority (Wikidata, VIAF, GND, GeoNames, ORCID, "
                                   "LC, BnF, NDL) is well formed, in an idno or @sameAs"),
    "note-type": ("error", True, "a note's @type is declared in a taxonomy 'note-types', when the edition "
                                 "declares one"),
    "note-resp": ("warning", True, "a note says who wrote it (@resp), when the edition declares 'note-types'"),
    "type-declared": ("error", True, "an element's @type is declared in the taxonomy '<element>-types', when "
                                     "the edition declares one"),
    "register-unused": ("warning", True, "every register entry is referred to somewhere"),
    "config": ("error", False, "edition.toml is valid"),
    "usage": ("error", False, "the command was given an edition folder or TEI files"),
}

# Other names an editor may reach for; they mean the rule they name.
ALIASES = {"unused-entry": "register-unused", "date-format": "date-iso"}


def canonical(name: str) -> str | None:
    name = ALIASES.get(name, name)
    return name if name in RULES else None

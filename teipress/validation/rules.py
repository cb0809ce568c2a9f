"""Integrity rules across the whole edition, beyond what a schema can say.

Each rule has an id shown in brackets after its message, so an editor can look
it up in the README's table of rules.
"""
from __future__ import annotations

from lxml import etree

from .. import isodate
from ..edition import NAME_KIND, Edition, TeiFile, is_external, name_key, t
from ..xmlparse import NS, XML_ID, position
from .diagnostics import Report

POINTER_ATTRS = ("ref", "who", "resp", "corresp", "target")
DATE_ATTRS = ("when", "notBefore", "notAfter", "from", "to")
SAFE_SCHEMES = {"http", "https", "mailto", "urn", "doi", "info", "hdl"}


def _elements(f: TeiFile):
    return (el for el in f.root.iter() if isinstance(el.tag, str))


def _local(el) -> str:
    return etree.QName(el).localname


def check_ids(ed: Edition, report: Report) -> None:
    """[id-unique] xml:id unique across every file of the edition."""
    first: dict[str, tuple[TeiFile, etree._Element]] = {}
    for f in ed.files:
        for el in _elements(f):
            xid = el.get(XML_ID)
            if xid is None:
                continue
            if xid in first:
                of, oel = first[xid]
                line, col = position(f.path, el, XML_ID)
                report.error(
                    f.path, line, col,
                    f"xml:id '{xid}' is already used at {of.rel}:{oel.sourceline}; ids must be unique "
                    "across the edition",
                    "id-unique",
                )
            else:
                first[xid] = (f, el)


def check_pointers(ed: Edition, report: Report) -> set[tuple[str, str]]:
    """[pointer-resolves] every pointer resolves; returns the register entries used."""
    used: set[tuple[str, str]] = set()
    for f in ed.files:
        for el in _elements(f):
            for attr in POINTER_ATTRS:
                value = el.get(attr)
                if value is None:
                    continue
                for ptr in value.split():
                    _check_pointer(ed, report, f, el, attr, ptr, used)
            # @key is no pointer (it may name an outside authority): never an error, but an
            # entry it names is used.
            entry = ed.entry_for_key(name_key(el)) if name_key(el) else None
            if entry is not None:
                used.add((entry.file.rel, entry.id))
    return used


def _check_pointer(ed, report, f, el, attr, ptr, used) -> None:
    line, col = position(f.path, el, attr)
    where = f"@{attr} of <{_local(el)}>"
    if is_external(ptr):
        scheme = ptr.split(":", 1)[0].lower()
        if scheme not in SAFE_SCHEMES:
            report.error(
                f.path, line, col,
                f"{where} uses the URI scheme '{scheme}:' ('{ptr}'), which the edition will not link; "
                "use http(s), mailto, doi, urn or a pointer inside the edition",
                "pointer-scheme",
            )
        return
    try:
        hit = ed.resolve(f, ptr)
    except ValueError as exc:
        report.error(f.path, line, col, f"{where}: {exc}", "pointer-outside")
        return
    if hit is None:
        target = ptr.split("#")[0] or f.rel
        if ed.file(target if ptr.split("#")[0] else f.rel) is None:
            msg = f"{where} points to '{ptr}', but there is no file '{target}' in the edition"
        else:
            frag = ptr.split("#", 1)[1] if "#" in ptr else ""
            msg = f"{where} points to '{ptr}', but {target} has no element with xml:id '{frag}'"
        report.error(f.path, line, col, msg, "pointer-resolves")
        return
    target_file, target_el = hit
    if target_el is None:
        return
    key = (target_file.rel, target_el.get(XML_ID))
    if key in ed.entries:
        used.add(key)
        entry = ed.entries[key]
        want = NAME_KIND.get(_local(el)) if attr == "ref" else ("person" if attr == "who" else None)
        if want and entry.kind != want:
            report.error(
                f.path, line, col,
                f"{where} points to '{ptr}', which is a {entry.kind}, not a {want}",
                "pointer-kind",
            )


def check_dates(ed: Edition, report: Report) -> None:
    """[date-iso] ISO 8601 values; [date-range] ranges in order; [date-consistent] when within range."""
    for f in ed.files:
        for el in _elements(f):
            if _local(el) in ("biblScope", "citedRange"):  # @from/@to are page numbers there
                continue
            parsed = {}
            for attr in DATE_ATTRS:
                value = el.get(attr)
                if value is None:
                    continue
                try:
                    parsed[attr] = isodate.parse(value)
                except isodate.DateError as exc:
                    line, col = position(f.path, el, attr)
                    report.error(f.path, line, col, f"@{attr} of <{_local(el)}>: {exc}", "date-iso")
            for lo, hi in (("notBefore", "notAfter"), ("from", "to")):
                if lo in parsed and hi in parsed and parsed[lo][0] > parsed[hi][1]:
                    line, col = position(f.path, el, lo)
                    report.error(
                        f.path, line, col,
                        f"<{_local(el)}> has @{lo}='{el.get(lo)}' after @{hi}='{el.get(hi)}'",
                        "date-range",
                    )
            if "when" in parsed:
                w0, w1, _ = parsed["when"]
                lo = parsed.get("notBefore") or parsed.get("from")
                hi = parsed.get("notAfter") or parsed.get("to")
                if (lo and w1 < lo[0]) or (hi and w0 > hi[1]):
                    line, col = position(f.path, el, "when")
                    report.error(
                        f.path, line, col,
                        f"<{_local(el)}> @when='{el.get('when')}' lies outside its own range",
                        "date-consistent",
                    )


def declared_note_types(f: TeiFile) -> set[str] | None:
    """Categories of a taxonomy named 'note-types' in the header, if declared."""
    tax = next((x for x in f.root.iterfind(".//tei:classDecl/tei:taxonomy", NS)
                if x.get(XML_ID) == "note-types"), None)
    if tax is None:
        return None
    return {c.get(XML_ID) for c in tax.iter(t("category")) if c.get(XML_ID)}


def check_notes(ed: Edition, report: Report) -> None:
    """[note-type] text notes have a declared type; [note-resp] and say who wrote them."""
    for f in ed.documents:
        declared = declared_note_types(f)
        text = f.root.find("tei:text", NS)
        if text is None:
            continue
        for note in text.iter(t("note")):
            ntype = note.get("type")
            line, col = position(f.path, note)
            if not ntype:
                known = f" (declared: {', '.join(sorted(declared))})" if declared else ""
                report.error(f.path, line, col, f"<note> has no @type{known}", "note-type")
            elif declared is not None and ntype not in declared:
                report.error(
                    f.path, line, col,
                    f"<note type='{ntype}'>: type not declared in the taxonomy 'note-types' "
                    f"(declared: {', '.join(sorted(declared))})",
                    "note-type",
                )
            if not note.get("resp"):
                report.error(
                    f.path, line, col,
                    "<note> has no @resp: say who wrote it (e.g. resp=\"#translator-id\")",
                    "note-resp",
                )


def check_unused(ed: Edition, report: Report, used: set[tuple[str, str]]) -> None:
    """[register-unused] register entries no document refers to (a warning)."""
    for key, entry in sorted(ed.entries.items()):
        if entry.file.kind != "register" or key in used:
            continue
        line, col = position(entry.file.path, entry.element)
        report.warning(
            entry.file.path, line, col,
            f"{entry.kind} '{entry.id}' ({entry.name}) is never referred to by the edition",
            "register-unused",
        )


def check_root(ed: Edition, report: Report) -> None:
    """[tei-root] the root is <TEI> in the TEI namespace (catches TEI P4 and typos)."""
    for f in ed.files:
        root = f.root
        if root.tag == t("TEI"):
            continue
        ns = etree.QName(root).namespace
        where = f"in namespace '{ns}'" if ns else "in no namespace"
        hint = " (TEI P4 documents must be converted to P5)" if not ns and _local(root) in ("TEI.2", "TEI") else ""
        report.error(
            f.path, root.sourceline or 1, position(f.path, root)[1],
            f"root element <{_local(root)}> {where}; a TEI P5 document's root is <TEI> in the "
            f"namespace http://www.tei-c.org/ns/1.0{hint}",
            "tei-root",
        )


def check(ed: Edition, report: Report) -> None:
    check_root(ed, report)
    check_ids(ed, report)
    used = check_pointers(ed, report)
    check_dates(ed, report)
    check_notes(ed, report)
    check_unused(ed, report, used)

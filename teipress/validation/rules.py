"""Integrity rules across the whole edition, beyond what a schema can say.

Each rule has an id shown in brackets after its message, so an editor can look
it up in the README's table of rules.
"""
from __future__ import annotations

import posixpath
import re
from collections import OrderedDict
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from .. import isodate
from ..edition import NAME_KIND, Edition, TeiFile, is_external, norm, pointer_target, t
from ..xmlparse import XML_ID, column_of, position
from . import facts as facts_mod
from .diagnostics import Report

POINTER_ATTRS = ("ref", "who", "resp", "corresp", "target", "wit")
DATE_ATTRS = ("when", "notBefore", "notAfter", "from", "to")
_DATE_SET = frozenset(DATE_ATTRS)
# Elements whose @from/@to are pages or pointers, not dates.
NOT_DATES = {"biblScope", "citedRange", "app", "span", "locus", "locusGrp", "join", "alt", "link"}
# xs:gYear, xs:gYearMonth, xs:date before year 1 (DraCor's ancient plays date their premieres so);
# not compared with other dates (Python's calendar starts at year 1)
BCE = re.compile(r"^-\d{4,}(-\d{2}(-\d{2})?)?$")
DATE_TIME = re.compile(r"(?<=^\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$")
# Schemes that run code or read the reader's machine: never a link, whatever is declared.
UNSAFE_SCHEMES = {"javascript", "vbscript", "data", "file", "blob"}
SAFE_SCHEMES = {"http", "https", "mailto", "urn", "doi", "info", "hdl"}


def _elements(f: TeiFile):
    return (el for el in f.root.iter() if isinstance(el.tag, str))


def _local(el) -> str:
    return etree.QName(el).localname


def check_ids(ed: Edition, report: Report) -> None:
    """[id-unique] xml:id unique within each file, as TEI requires; two files may share
    an id (pointers between files name the file: persons.xml#anna)."""
    _replay(ed, report, "ids")


def _ids_of(f: TeiFile, report: Report) -> None:
    first: dict[str, etree._Element] = {}
    for el in _elements(f):
        xid = el.get(XML_ID)
        if xid is None:
            continue
        if xid in first:
            line, col = position(f.path, el, XML_ID)
            report.error(
                f.path, line, col,
                f"xml:id '{xid}' is already used at line {first[xid].sourceline} of this file; ids must "
                "be unique within a file",
                "id-unique",
            )
        else:
            first[xid] = el


def _replay(ed: Edition, report: Report, group: str) -> None:
    """The diagnostics of a rule that reads one file at a time, from each file's facts."""
    for f in ed.files:
        for line, col, severity, message, rule in facts_mod.of(f).local[group]:
            report.add(f.path, line, col, severity, message, rule)


class Index:
    """The edition's ids, register entries and keys, from its files' facts: what a pointer
    is resolved against (the same answers as teipress.edition.Edition.resolve and
    entry_for_key, without the trees).

    A file's ids are read off its facts when a pointer first names the file, and kept while
    the file is among the IDS_KEPT most recently named (its own file's, for the pointers of a
    letter, and the registers, which every letter names): an edition of 20,000 letters has
    two million ids, which as one set of (file, id) pairs took a few hundred MB."""

    def __init__(self, ed: Edition):
        self.files = {f.rel: f for f in ed.files}
        self._ids: OrderedDict[str, frozenset] = OrderedDict()
        # (file, xml:id) -> its entry's facts; the last element of an id, as Edition.index
        self.entries: dict[tuple[str, str], facts_mod.EntryFacts] = {}
        for f in ed.files:
            for e in facts_mod.of(f).entries:
                if e.id:
                    self.entries[(f.rel, e.id)] = e
        self.keys: tuple[dict[str, list], ...] = key_tiers(self.entries)

    def has(self, rel: str, xid: str) -> bool:
        ids = self._ids.get(rel)
        if ids is None:
            f = self.files.get(rel)
            ids = self._ids[rel] = frozenset(facts_mod.of(f).ids) if f is not None else frozenset()
            if len(self._ids) > IDS_KEPT:
                self._ids.popitem(last=False)
        else:
            self._ids.move_to_end(rel)
        return xid in ids

    def entry(self, key: tuple[str, str]) -> "facts_mod.EntryFacts | None":
        return self.entries.get(key)

    def resolve(self, source: TeiFile, pointer: str) -> tuple[str, str] | None:
        """(file, xml:id) a pointer in *source* names ('' for a whole file), None when it does
        not resolve; ValueError as Edition.resolve."""
        target_rel, fragment = pointer_target(source.rel, pointer)
        if target_rel not in self.files:
            return None
        if not fragment:
            return (target_rel, "")
        return (target_rel, fragment) if self.has(target_rel, fragment) else None

    def entry_for_key(self, key: str) -> tuple[str, str] | None:
        for tier in self.keys:
            hits = tier.get(key)
            if hits:
                return hits[0] if len(hits) == 1 else None
        return None


# How many files' ids an Index keeps read (the most recently named).
IDS_KEPT = 64


def key_tiers(entries: dict) -> tuple[dict[str, list], ...]:
    """@key value → the entries it may name: by xml:id, by @n, by idno (Index.entry_for_key)."""
    keys: tuple[dict[str, list], ...] = ({}, {}, {})
    for k, e in sorted(entries.items()):
        for tier, vals in zip(keys, ([e.id], [e.n], e.idnos)):
            for v in dict.fromkeys(norm(v) for v in vals):
                if v:
                    tier.setdefault(v, []).append(k)
    return keys


class NearIndex(Index):
    """Index's answers for the pointers of a few files, reading only the facts of the files they
    point into; what depends on every file (the files, the @key lookups) is given, from the last
    build, whose edition-wide facts are known unchanged (teipress.validation.recall)."""

    def __init__(self, ed: Edition, keys: dict[str, tuple[str, str] | None]):
        self.files = {f.rel: f for f in ed.files}
        self._ed = ed
        self._known_keys = keys
        self._ids: dict[str, set[str]] = {}
        self._entries: dict[str, dict] = {}
        self._full: Index | None = None

    def has(self, rel: str, xid: str) -> bool:
        if rel not in self._ids:
            self._ids[rel] = set(facts_mod.of(self.files[rel]).ids)
        return xid in self._ids[rel]

    def entry(self, key: tuple[str, str]) -> "facts_mod.EntryFacts | None":
        rel = key[0]
        if rel not in self._entries:
            self._entries[rel] = {e.id: e for e in facts_mod.of(self.files[rel]).entries if e.id} \
                if rel in self.files else {}
        return self._entries[rel].get(key[1])

    def entry_for_key(self, key: str) -> tuple[str, str] | None:
        if key in self._known_keys:
            return self._known_keys[key]
        if self._full is None:  # a key no file used before: every entry is read
            self._full = Index(self._ed)
        return self._full.entry_for_key(key)


def check_pointers(ed: Edition, report: Report, index: "Index | None" = None) -> set[tuple[str, str]]:
    """[pointer-*] every pointer resolves; returns the register entries used."""
    used: set[tuple[str, str]] = set()
    unreadable = _unreadable(ed)
    index = index or Index(ed)
    prefixes = _prefixes(ed)
    for f in ed.files:
        used |= pointers_of(index, f, report, unreadable, prefixes)
    return used


def pointers_of(index: Index, f: TeiFile, report: Report, unreadable: set[str], prefixes: set[str]) -> set:
    """[pointer-*] the pointers of file *f*; returns the register entries they use."""
    used: set[tuple[str, str]] = set()
    facts = facts_mod.of(f)
    bare: dict[tuple[str, str], list] = {}
    dangling: dict[tuple[str, str], list] = {}
    for attr, ptr, local, line, col in facts.pointers:
        _check_pointer(prefixes, index, report, f, local, attr, ptr, line, col, used, unreadable, bare, dangling)
    # @key is no pointer (it may name an outside authority): never an error, but an
    # entry it names is used.
    for key in facts.keys:
        entry = index.entry_for_key(key)
        if entry is not None:
            used.add(entry)
    for (attr, ptr), hits in bare.items():
        _report_bare(index, report, f, attr, ptr, hits)
    # one error for each missing id a file points to, however often (a critical edition's
    # hundreds of @wit="#A" without a listWit are one problem, not hundreds)
    for hits in dangling.values():
        line, col, msg = hits[0]
        more = f" (and {len(hits) - 1} more pointers to it in this file)" if len(hits) > 1 else ""
        report.error(f.path, line, col, msg + more, "pointer-resolves")
    return used


def _unreadable(ed: Edition) -> set[str]:
    """tei/-relative names of the files that could not be parsed (each has its own error)."""
    out = set()
    for err in ed.errors:
        try:
            out.add(Path(err.path).resolve().relative_to(ed.tei_dir.resolve()).as_posix())
        except ValueError:
            pass
    return out


def _is_bare(ptr: str) -> bool:
    """'pmb50', 'L00148': a relative URI with no fragment and no file suffix, which editors
    write for '#pmb50' (or for another document) more often than they mean a file so named."""
    return "#" not in ptr and "/" not in ptr and not ptr.lower().endswith(".xml")


def _check_pointer(prefixes, index, report, f, local, attr, ptr, line, col, used, unreadable, bare, dangling) -> None:
    where = f"@{attr} of <{local}>"
    if is_external(ptr):
        scheme = ptr.split(":", 1)[0].lower()
        if scheme not in UNSAFE_SCHEMES and scheme not in SAFE_SCHEMES:
            if scheme not in prefixes:
                report.warning(
                    f.path, line, col,
                    f"{where} uses '{scheme}:' ('{ptr}'), neither a URI scheme the edition links nor a "
                    f"prefix the edition declares (<prefixDef ident=\"{scheme}\">): it is shown as text",
                    "pointer-prefix",
                )
        elif scheme in UNSAFE_SCHEMES:
            report.error(
                f.path, line, col,
                f"{where} uses the URI scheme '{scheme}:' ('{ptr}'), which the edition will not link; "
                "use http(s), mailto, doi, urn or a pointer inside the edition",
                "pointer-scheme",
            )
        return
    try:
        hit = index.resolve(f, ptr)
    except ValueError as exc:
        report.error(f.path, line, col, f"{where}: {exc}", "pointer-outside")
        return
    if hit is None:
        path, _, frag = ptr.partition("#")
        target_rel = _target_rel(f, path)
        if target_rel in unreadable:
            return  # the file has its own error; saying it is missing would mislead
        if _is_bare(ptr) and ptr:
            bare.setdefault((attr, ptr), []).append((local, line, col))
            return
        if path and target_rel not in index.files:
            report.error(f.path, line, col, f"{where} points to '{ptr}', but there is no file '{path}' in the "
                         "edition", "pointer-file")
            return
        target = path or f.rel
        msg = f"{where} points to '{ptr}', but {target} has no element with xml:id '{frag}'"
        if _attribution(local, attr):
            report.warning(f.path, line, col, msg + ": who is meant cannot be shown", "pointer-resp")
        else:
            dangling.setdefault((attr, ptr), []).append((line, col, msg))
        return
    if not hit[1]:
        return
    entry = index.entry(hit)
    if entry is not None:
        used.add(hit)
        want = NAME_KIND.get(local) if attr == "ref" else ("person" if attr == "who" else None)
        if want and entry.kind != want:
            report.error(
                f.path, line, col,
                f"{where} points to '{ptr}', which is a {entry.kind}, not a {want}",
                "pointer-kind",
            )


def _prefixes(ed: Edition) -> set[str]:
    """Private URI schemes the edition declares (TEI prefixDef), edition-wide."""
    if not hasattr(ed, "_teipress_prefixes"):
        ed._teipress_prefixes = {p for f in ed.files for p in facts_mod.of(f).prefixes}
    return ed._teipress_prefixes


def _attribution(local: str, attr: str) -> bool:
    """@resp (and a change's @who) say who did something: a project-wide list the edition
    may not include is common, and nothing the reader follows breaks."""
    return attr == "resp" or (attr == "who" and local == "change")


def _target_rel(f: TeiFile, path: str) -> str:
    if not path:
        return f.rel
    return posixpath.normpath(posixpath.join(posixpath.dirname(f.rel), unquote(path)))


def _report_bare(index, report, f, attr, ptr, hits) -> None:
    local, line, col = hits[0]
    where = f"@{attr} of <{local}>"
    more = f" (and {len(hits) - 1} more like it in this file)" if len(hits) > 1 else ""
    if index.has(f.rel, ptr):
        hint = f"this file has xml:id '{ptr}': write '#{ptr}'"
    elif _target_rel(f, ptr + ".xml") in index.files:
        hint = f"the edition has the file '{ptr}.xml': write '{ptr}.xml'"
    else:
        hint = "it is neither an xml:id of this file ('#id') nor a file of the edition"
    report.warning(f.path, line, col, f"{where} points to '{ptr}', a bare name: {hint}{more}", "pointer-bare")


def check_dates(ed: Edition, report: Report) -> None:
    """[date-iso] ISO 8601 values; [date-range] ranges in order; [date-consistent] when within range."""
    _replay(ed, report, "dates")


def _dates_of(f: TeiFile, report: Report) -> None:
    for el in _elements(f):
        if _DATE_SET.isdisjoint(el.keys()) or _local(el) in NOT_DATES:
            continue  # (no date attribute: nothing below would look at it)
        parsed = {}
        for attr in DATE_ATTRS:
            value = el.get(attr)
            if value is None or BCE.match(value):
                continue  # a year before the common era ("-0497", as XML Schema writes it) is valid
            try:
                # TEI's dates may carry a time (xs:dateTime): the day is what is checked
                parsed[attr] = isodate.parse(DATE_TIME.sub("", value))
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
        if "when" in parsed and any(a in parsed for a in ("notBefore", "notAfter", "from", "to")):
            line, col = position(f.path, el, "when")
            report.warning(
                f.path, line, col,
                f"<{_local(el)}> has @when and a range: TEI says to use either (att.datable.w3c)",
                "date-when-range",
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


def declared_types(ed: Edition) -> dict[str, set[str]]:
    """Edition-wide: element name → the @type values its taxonomy declares.

    A taxonomy whose xml:id is '<element>-types' (e.g. 'note-types', 'div-types'),
    declared in any file's classDecl, closes that element's @type for the whole
    edition; several files may declare (parts of) the same taxonomy.
    """
    out: dict[str, set[str]] = {}
    for f in ed.files:
        for xid, categories in facts_mod.of(f).taxonomies:
            if not xid.endswith("-types") or len(xid) <= len("-types"):
                continue
            out.setdefault(xid[: -len("-types")], set()).update(categories)
    return out


def check_types(ed: Edition, report: Report) -> None:
    """[note-type], [type-declared] @type values the edition's taxonomies declare; [note-resp]
    notes say who wrote them.  Conventions an edition opts into by declaring the taxonomy:
    an edition without one is not held to them."""
    declared = declared_types(ed)
    for f in ed.documents:
        types_of(f, declared, report)


def types_of(f: TeiFile, declared: dict[str, set[str]], report: Report) -> None:
    """check_types for one document (a TEI of a corpus: its own text, the n-th of its file's)."""
    if not declared:
        return
    for name, etype, has_resp, line in facts_mod.of(f).typed[f.n - 1 if f.container is not None else 0]:
        cats = declared.get(name)
        if cats is None:
            continue
        rule = "note-type" if name == "note" else "type-declared"
        col = column_of(f.path, line, "type=" if etype else f"<{name}")
        if etype is None:
            if name == "note":
                report.warning(f.path, line, col,
                               f"<note> has no @type (declared: {', '.join(sorted(cats))})", rule)
        elif not set(etype.split()) <= cats:
            report.error(
                f.path, line, col,
                f"<{name} type='{etype}'>: type not declared in the taxonomy '{name}-types' "
                f"(declared: {', '.join(sorted(cats))})",
                rule,
            )
        if name == "note" and not has_resp:
            report.warning(
                f.path, line, column_of(f.path, line, "<note"),
                "<note> has no @resp: say who wrote it (e.g. resp=\"#editor-id\")",
                "note-resp",
            )


def check_unused(ed: Edition, report: Report, used: set[tuple[str, str]], index: "Index | None" = None) -> None:
    """[register-unused] register entries no document refers to (a warning); a big shared
    register (thousands of persons, a few in this edition) gets one line, not thousands."""
    if ed.errors:
        return  # an unreadable file may hold the references: no verdict
    by_file: dict[str, list] = {}
    totals: dict[str, int] = {}
    for f in ed.files:
        if f.kind != "register":
            continue
        entries = {e.id: e for e in facts_mod.of(f).entries if e.id}  # the last of a repeated id
        totals[f.rel] = len(entries)
        for xid, entry in sorted(entries.items()):
            if (f.rel, xid) not in used:
                by_file.setdefault(f.rel, []).append(entry)
    files = {f.rel: f for f in ed.files}
    for rel, entries in sorted(by_file.items()):
        f = files[rel]
        if len(entries) > UNUSED_ONE_BY_ONE:
            first = entries[0]
            report.warning(
                f.path, first.line, column_of(f.path, first.line, f"<{first.kind}"),
                f"{len(entries)} of the {totals[rel]} entries of {rel} are never referred to by the "
                f"edition (the first: {first.kind} '{first.id}')",
                "register-unused",
            )
            continue
        for entry in entries:
            report.warning(
                f.path, entry.line, column_of(f.path, entry.line, f"<{entry.kind}"),
                f"{entry.kind} '{entry.id}' ({entry.name}) is never referred to by the edition",
                "register-unused",
            )


UNUSED_ONE_BY_ONE = 20


def check_identifiers(ed: Edition, report: Report) -> None:
    """[idno-syntax] an identifier of a known authority (idno/@type 'wikidata', 'viaf', 'gnd',
    'geonames', 'orcid', 'lc' …, or an URL of one of them in an idno or @sameAs) is well formed,
    so that the register's links and JSON-LD sameAs lead to a record (teipress.model.authority)."""
    _replay(ed, report, "identifiers")


def _identifiers_of(f: TeiFile, report: Report) -> None:
    from ..model import authority

    for el in _elements(f):
        tag = el.tag
        if el.get("sameAs") is None and not (tag == "idno" or tag.endswith("}idno")):
            continue  # (neither an idno nor an element with @sameAs: nothing to check)
        local = _local(el)
        checks = []
        if local == "idno":
            checks.append((None, "".join(el.itertext()), el.get("type") or ""))
        for uri in (el.get("sameAs") or "").split():
            checks.append(("sameAs", uri, ""))
        for attr, value, kind in checks:
            why = authority.syntax_error(value, kind)
            if why:
                line, col = position(f.path, el, attr)
                where = f"@sameAs of <{local}>" if attr else f"<idno type=\"{kind}\">" if kind else "<idno>"
                report.error(f.path, line, col, f"{where}: {why}", "idno-syntax")


def check_root(ed: Edition, report: Report) -> None:
    """[tei-root] the root is <TEI> in the TEI namespace (catches TEI P4 and typos)."""
    _replay(ed, report, "root")


def _root_of(f: TeiFile, report: Report) -> None:
    root = f.root
    if root.tag in (t("TEI"), t("teiCorpus")):
        return
    ns = etree.QName(root).namespace
    where = f"in namespace '{ns}'" if ns else "in no namespace"
    hint = " (TEI P4 documents must be converted to P5)" if not ns and _local(root) in ("TEI.2", "TEI") else ""
    report.error(
        f.path, root.sourceline or 1, position(f.path, root)[1],
        f"root element <{_local(root)}> {where}; a TEI P5 document's root is <TEI> in the "
        f"namespace http://www.tei-c.org/ns/1.0{hint}",
        "tei-root",
    )


# The rules that read one file alone: run once per file's content (teipress.validation.facts).
LOCAL = {"root": _root_of, "ids": _ids_of, "dates": _dates_of, "identifiers": _identifiers_of}


# The rules of one file, in the order a report gives them (check_unused comes last, edition-wide).
GROUPS = ("root", "ids", "pointers", "dates", "identifiers", "types")


def check(ed: Edition, report: Report) -> dict[str, tuple[dict[str, list], set]]:
    """Every rule, over the files' facts (teipress.validation.facts): no tree is read here.
    Returns what each file gave (file_rules), for an incremental build to keep."""
    index = Index(ed)
    unreadable, prefixes, declared = _unreadable(ed), _prefixes(ed), declared_types(ed)
    found = {f.rel: file_rules(ed, f, index, report, unreadable, prefixes, declared) for f in ed.files}
    put_together(ed, report, found)
    check_unused(ed, report, set().union(*(used for _, used in found.values())))
    return found


def file_rules(ed: Edition, f: TeiFile, index: Index, report: Report, unreadable: set[str], prefixes: set[str],
               declared: dict[str, set[str]]) -> tuple[dict[str, list], set]:
    """What the rules (but check_unused) say of file *f*: rule group → its diagnostics, and the
    register entries the file uses.  They depend on the file's own facts and on what *index*,
    *unreadable*, *prefixes* and *declared* hold of the edition (teipress.validation.recall)."""
    sub = Report(base=report.base)
    sub._names = report._names  # (a file's name is resolved once per report)
    out: dict[str, list] = {}
    used: set = set()
    local = facts_mod.of(f).local
    for group in GROUPS:
        if group == "pointers":
            used = pointers_of(index, f, sub, unreadable, prefixes)
        elif group == "types":
            if f.kind == "document":
                for doc in ed._parts.get(f.rel, [f]):
                    types_of(doc, declared, sub)
        else:
            for line, col, severity, message, rule in local[group]:
                sub.add(f.path, line, col, severity, message, rule)
        out[group], sub.items = sub.items, []
    return out, used


def put_together(ed: Edition, report: Report, found: dict[str, tuple[dict[str, list], set]]) -> None:
    """The files' diagnostics (file_rules) into *report*, rule group by rule group, in the order of
    the files: as the rules said them one after another over the whole edition."""
    for group in GROUPS:
        for f in ed.files:
            report.items.extend(found[f.rel][0][group])

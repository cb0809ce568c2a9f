"""Validation against the schemas an editor names: RELAX NG, Schematron, XSD.

Which schemas a file is checked against:

* ``schema`` in edition.toml, if set, for every file (a .rng, .sch or .xsd);
* else every ``<?xml-model?>`` of the file whose href is a local file, relative
  to the document as the W3C's xml-model note says (RELAX NG, also the
  Schematron embedded in an ODD-generated RELAX NG; ISO Schematron; XSD 1.1);
* when none of these gives a grammar (no xml-model, a remote one, a missing
  one), the project's own XSD (tei/schema/teipress.xsd), so that no href can
  silently turn validation off.

A local schema that is named but absent is an error; a remote one is never
fetched (a note says the project's schema was used instead).  Each schema is
compiled once per process, keyed by path and mtime: tei_all.rng takes seconds.

XSD is checked by xmlschema (XSD 1.1, pure Python, 20-30 ms a letter), behind a
fast path (schema_fast.py): an XSD 1.0 form of the schema, generated from it at run
time, that libxml2 runs in C, plus checks in Python for what XSD 1.0 cannot say.  It
accepts a file only where xmlschema would; every file it does not accept goes to
xmlschema, which gives the verdict and the messages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree, isoschematron

from .. import resources
from ..xmlparse import TEI_NS, position
from .diagnostics import Report

XSD_NS = "http://www.w3.org/2001/XMLSchema"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
OLD_SCH_NS = "http://www.ascc.net/xml/schematron"
TEI_ROOTS = (f"{{{TEI_NS}}}TEI", f"{{{TEI_NS}}}teiCorpus")


@dataclass(frozen=True)
class Model:
    """One schema a file names (or the edition configures)."""

    href: str
    kind: str  # "rng" | "sch" | "xsd" | "rnc" | "?"
    line: int  # where the <?xml-model?> is (1 for edition.toml)
    path: Path | None  # resolved local file, None when remote

    @property
    def remote(self) -> bool:
        return self.path is None


def _kind(href: str, schematypens: str, mime: str) -> str:
    if schematypens == RNG_NS:
        return "rng"
    if schematypens in (SCH_NS, OLD_SCH_NS):
        return "sch"
    if schematypens == XSD_NS:
        return "xsd"
    if "compact" in mime:
        return "rnc"
    ext = href.rsplit(".", 1)[-1].lower().split("#")[0]
    return {"rng": "rng", "rnc": "rnc", "sch": "sch", "xsd": "xsd"}.get(ext, "?")


def _is_remote(href: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", href)) and not href.lower().startswith("file:")


_PSEUDO_ATTR = re.compile(r'([\w:.-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')


def declared_models(tree: etree._ElementTree, file_path: Path) -> list[Model]:
    """The schemas the file's ``<?xml-model?>`` instructions name, in document order."""
    return models_of(declarations(tree), file_path)


def declarations(tree: etree._ElementTree) -> list[tuple[str, str, int, bool]]:
    """What the file's ``<?xml-model?>`` instructions say, apart from where the file is:
    (href, kind, line, remote), in document order (teipress.validation.facts keeps them)."""
    out = []
    node = tree.getroot().getprevious()
    pis = []
    while node is not None:
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model":
            pis.append(node)
        node = node.getprevious()
    for pi in reversed(pis):
        attrs = {m[0]: m[1] or m[2] for m in _PSEUDO_ATTR.findall(pi.text or "")}
        href = attrs.get("href", "").strip()
        if not href:
            continue
        kind = _kind(href, attrs.get("schematypens", ""), attrs.get("type", ""))
        out.append((href, kind, pi.sourceline or 1, _is_remote(href)))
    return out


_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")


def prolog_models(path: Path, size: int = 16384) -> list[Model]:
    """The schemas the ``<?xml-model?>`` instructions before a file's root element name, read
    from its first bytes without parsing it: a guess (what a comment holds, or a prolog longer
    than *size*, can mislead it), for deciding what to compile ahead."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(size)
    except OSError:
        return []
    first = _FIRST_ELEMENT.search(head)
    head = head[:first.start()] if first else head
    text = head.decode("utf-8", errors="replace")
    out = []
    for pi in re.findall(r"<\?xml-model\s(.*?)\?>", text, re.S):
        attrs = {m[0]: m[1] or m[2] for m in _PSEUDO_ATTR.findall(pi)}
        href = attrs.get("href", "").strip()
        if href:
            out.append((href, _kind(href, attrs.get("schematypens", ""), attrs.get("type", "")), 1, _is_remote(href)))
    return models_of(out, path)


def models_of(declared: list[tuple[str, str, int, bool]], file_path: Path) -> list[Model]:
    """The schemas of :func:`declarations`, found from the file at *file_path*."""
    out = []
    for href, kind, line, remote in declared:
        if remote:
            out.append(Model(href, kind, line, None))
        else:
            local = href[5:] if href.lower().startswith("file:") else href
            out.append(Model(href, kind, line, (file_path.parent / local.split("#")[0]).resolve()))
    return out


# The TEI Consortium's own schemas, which editors name by URL or keep beside their files.
_TEI_SCHEMA = re.compile(r"(^|/)(tei_[A-Za-z]+|teilite)\.(rng|rnc|xsd|odd)$", re.I)


def is_tei_schema(href: str) -> bool:
    """True for a schema the TEI publishes (tei_all.rng, tei_lite.rnc …), which the
    project's own schema can stand in for when it is not at hand."""
    return bool(_TEI_SCHEMA.search(href.split("#")[0].split("?")[0]))


def configured_model(value: str, edition_root: Path) -> Model:
    path = (edition_root / value).resolve()
    return Model(value, _kind(value, "", ""), 1, path)


def fallback_model() -> Model:
    path = resources.schema_file()
    return Model(path.name, "xsd-open", 1, path)


def _open_xsd(path: Path) -> xmlschema.XMLSchema11:
    """The project's XSD read openly, for TEI whose own schema is out of reach: any TEI
    element it declares is accepted anywhere (and checked by its own declaration), any
    attribute beyond the typed ones, and other namespaces' elements (an ELTeC or MathML
    extension) go unchecked.  Undeclared TEI elements are caught by :func:`_undeclared`."""
    import xmlschema  # here: it takes a second to import, and a build that is up to date needs none
    doc = _safe_parse(path)
    root = doc.getroot()
    xs = f"{{{XSD_NS}}}"
    open_content = etree.Element(xs + "defaultOpenContent", mode="interleave")
    etree.SubElement(open_content, xs + "any", namespace="##any", processContents="lax",
                     notQName="##definedSibling")  # a declared child is matched as itself
    first = next(el for el in root if isinstance(el.tag, str) and el.tag != xs + "annotation"
                 and el.tag not in (xs + "import", xs + "include"))
    first.addprevious(open_content)
    for group in root.iterfind(f"{xs}attributeGroup[@name='att.global']"):
        if group.find(xs + "anyAttribute") is None:
            etree.SubElement(group, xs + "anyAttribute", processContents="lax")
    return xmlschema.XMLSchema11(etree.tostring(root, encoding="unicode"), base_url=str(path.parent),
                                 allow="local", defuse="always")


# -- compiling, once per process ---------------------------------------------

class SchemaUnsupported(Exception):
    """A schema teipress cannot run (a warning, not the editor's error)."""


def _safe_parse(path: Path) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.parse(str(path), parser)


# (kind, path, mtime) -> (compiled schema, fast path): XSDs compiled by an earlier build, from
# an incremental build's cache (from_cache).
_ready: dict = {}


def from_cache(model: Model, cache) -> None:
    """Have *model*'s compiled XSD and its fast path from *cache* (an incremental build's,
    teipress.commands.cache) when it holds them for the same schema files, xmlschema, lxml and
    teipress; else compile them now and put them there.  Compiling teipress's schema takes
    about two seconds, unpickling it a fraction of that: what a build that checks one changed
    file would otherwise spend on it."""
    import os
    import pickle
    import sys

    from ..commands import cache as cache_mod

    if cache is None or model.kind not in ("xsd", "xsd-open") or model.path is None or not model.path.is_file():
        return
    path = model.path
    ready_key = (model.kind, path, path.stat().st_mtime)
    if ready_key in _ready:
        return
    key = _compiled_key(model)
    data = cache.get("schema", key)
    if data is not None:
        try:
            _ready[ready_key] = pickle.loads(data)
            return
        except Exception:  # another Python's, or damaged: compiled again
            pass
    load(model)  # raises for a broken schema: nothing is kept
    compiled = (_compile(*ready_key), _fast(*ready_key))
    _ready[ready_key] = compiled
    try:
        cache.put("schema", key, pickle.dumps(compiled, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # a schema that does not pickle is compiled each time
        pass


def _compiled_key(model: Model) -> str:
    """Where an incremental build's cache keeps *model*'s compiled XSD (from_cache)."""
    import os
    import sys

    from ..commands import cache as cache_mod

    return cache_mod.digest("compiled-schema", 1, cache_mod.tool_fingerprint(), _version("xmlschema"),
                            _version("lxml"), sys.version,
                            os.environ.get("TEIPRESS_SCHEMA_FASTPATH", "1"), model.kind, str(model.path),
                            cache_mod.folder_digest(model.path.parent))


@lru_cache(maxsize=4)
def _version(package: str) -> str:
    """An installed package's version, asked once per process (reading the metadata is slow)."""
    from ..commands import cache as cache_mod

    return cache_mod.package_version(package)


def keep_compiled(model: Model, cache) -> None:
    """Keep *model*'s compiled XSD in *cache* for a later build, when this one compiles nothing
    (no file of it was parsed): else the next build that checks one file compiles it again."""
    if cache is not None and model.kind in ("xsd", "xsd-open") and model.path is not None and model.path.is_file():
        cache.keep("schema", _compiled_key(model))


@lru_cache(maxsize=16)
def _compile(kind: str, path: Path, mtime: float):
    import xmlschema  # lazily, as in _open_xsd
    if (kind, path, mtime) in _ready:
        return _ready[(kind, path, mtime)][0]
    # mtime is in the key so `teipress serve` picks up an edited schema.
    if kind == "xsd-open":
        return _open_xsd(path)
    if kind == "xsd":
        # "local": the schema may include local files only; never the network.
        return xmlschema.XMLSchema11(str(path), allow="local", defuse="always")
    if kind == "rng":
        doc = _safe_parse(path)
        grammar = etree.RelaxNG(doc)
        return grammar, (_embedded_schematron(doc) if _has_schematron(doc) else None)
    if kind == "sch":
        doc = _safe_parse(path)
        if doc.getroot().tag == f"{{{OLD_SCH_NS}}}schema":
            raise SchemaUnsupported("Schematron 1.5 (namespace http://www.ascc.net/xml/schematron) is not "
                                    "supported; use ISO Schematron")
        if doc.getroot().tag == f"{{{RNG_NS}}}grammar":  # an ODD's RELAX NG named for its Schematron
            return None, _embedded_schematron(doc)
        return None, _schematron(doc)
    if kind == "rnc":
        raise SchemaUnsupported("RELAX NG compact syntax (.rnc) cannot be read; name the XML syntax "
                                "(.rng, e.g. converted with trang) instead")
    raise SchemaUnsupported("not a RELAX NG, Schematron or XSD schema (say which with @schematypens)")


def _has_schematron(doc: etree._ElementTree) -> bool:
    return next(doc.iter(f"{{{SCH_NS}}}rule"), None) is not None


class Partial:
    """Schematron rules of which only some could be compiled: ``skipped`` patterns were not."""

    def __init__(self, rules, skipped: int, total: int):
        self.rules, self.skipped, self.total = rules, skipped, total


def _embedded_schematron(doc: etree._ElementTree):
    """The Schematron an ODD embeds in its RELAX NG (TEI's own constraints among them).

    TEI writes some constraints in XPath 2, which lxml (XSLT 1.0) cannot compile; one such
    pattern would sink them all, so the patterns that fail are left out and counted."""
    try:
        return _schematron(doc)
    except (etree.XSLTParseError, etree.SchematronParseError, SchemaUnsupported):
        pass
    ns = [el for el in doc.iter(f"{{{SCH_NS}}}ns")]
    patterns = [el for el in doc.iter(f"{{{SCH_NS}}}pattern")]
    good = []
    for pattern in patterns:
        try:
            _schematron(_schema_of(ns, [pattern]))
            good.append(pattern)
        except (etree.XSLTParseError, etree.SchematronParseError, SchemaUnsupported):
            continue
    rules = _schematron(_schema_of(ns, good)) if good else None
    return Partial(rules, len(patterns) - len(good), len(patterns))


def _schema_of(ns, patterns) -> etree._ElementTree:
    from copy import deepcopy

    root = etree.Element(f"{{{SCH_NS}}}schema", queryBinding="xslt", nsmap={"sch": SCH_NS})
    seen = set()
    for el in ns:
        key = (el.get("prefix"), el.get("uri"))
        if key not in seen:
            seen.add(key)
            root.append(deepcopy(el))
    for el in patterns:
        root.append(deepcopy(el))
    return etree.ElementTree(root)


def _schematron(doc: etree._ElementTree):
    root = doc.getroot()
    sch = root if root.tag == f"{{{SCH_NS}}}schema" else next(doc.iter(f"{{{SCH_NS}}}schema"), None)
    binding = (sch.get("queryBinding") if sch is not None else None) or "xslt"
    if binding.lower() not in ("xslt", "xslt1", "xpath", "exslt"):
        raise SchemaUnsupported(f"Schematron with queryBinding='{binding}' cannot be run (lxml runs "
                                "XSLT 1.0 Schematron); its rules were not checked")
    return isoschematron.Schematron(doc, store_report=True,
                                    error_finder=isoschematron.Schematron.ASSERTS_AND_REPORTS)


def load(model: Model):
    """The compiled schema of *model* (cached). Raises OSError, SchemaUnsupported or a parse error."""
    path = model.path
    compiled = _compile(model.kind, path, path.stat().st_mtime)
    if model.kind in ("xsd", "xsd-open"):
        _fast(model.kind, path, path.stat().st_mtime)  # made here too: before any worker is forked
    return compiled


@lru_cache(maxsize=16)
def _fast(kind: str, path: Path, mtime: float):
    """The C fast path for an XSD (see schema_fast.py), or None where it cannot be made.
    TEIPRESS_SCHEMA_FASTPATH=0 turns it off (every file then goes through xmlschema)."""
    import os

    from . import schema_fast

    if os.environ.get("TEIPRESS_SCHEMA_FASTPATH", "1") == "0":
        return None
    if (kind, path, mtime) in _ready:
        return _ready[(kind, path, mtime)][1]
    try:
        return schema_fast.build(_compile(kind, path, mtime))
    except schema_fast.Unsupported:
        return None


# -- validating ---------------------------------------------------------------

# From this many files to check on, the XSD fast path is used (see validate).
FAST_FROM = 8


def fast_path_for(count: int) -> bool:
    """Whether checking *count* files goes through the fast path: compiling libxml2's form of
    teipress's schema (about 0.3 s, when the compiled schema comes from the cache) costs more
    than xmlschema alone takes for a few letters (20-30 ms each)."""
    return count >= FAST_FROM


def prepare(model: Model) -> None:
    """Have *model*'s fast path compiled now (before workers are forked: each would compile its
    own); for a schema without one, nothing."""
    if model.kind in ("xsd", "xsd-open") and model.path is not None:
        fast = _fast(model.kind, model.path, model.path.stat().st_mtime)
        if fast is not None:
            fast.ready()


def validate(report: Report, model: Model, file_path: Path, tree: etree._ElementTree, fast_path: bool = True) -> None:
    """Check *tree* (of *file_path*) against *model*, into *report*.  fast_path=False: xmlschema
    alone decides an XSD (the fast path accepts only what xmlschema would, and leaves everything
    else to it, so the diagnostics are the same either way)."""
    if tree.getroot().tag not in TEI_ROOTS:
        return  # reported once, by the rule [tei-root]
    compiled = load(model)
    if model.kind in ("xsd", "xsd-open"):
        fast = _fast(model.kind, model.path, model.path.stat().st_mtime) if fast_path else None
        # the fast path accepts only what xmlschema would; anything else xmlschema decides
        # and words, so the messages are the same with and without it
        if fast is None or not fast.accepts(tree):
            _validate_xsd(report, compiled, file_path, tree)
        if model.kind == "xsd-open":
            _undeclared(report, compiled, file_path, tree)
        return
    grammar, rules = compiled
    if grammar is not None:
        _validate_rng(report, grammar, file_path, tree)
    if isinstance(rules, Partial):
        rules = rules.rules
    if rules is not None:
        _validate_schematron(report, rules, file_path, tree)


def skipped_rules(model: Model) -> tuple[int, int]:
    """(patterns left out, patterns in all) of the Schematron a RELAX NG schema embeds."""
    compiled = load(model)
    rules = compiled[1] if isinstance(compiled, tuple) else None
    return (rules.skipped, rules.total) if isinstance(rules, Partial) else (0, 0)


def _validate_rng(report: Report, grammar: etree.RelaxNG, file_path: Path, tree) -> None:
    if grammar.validate(tree):
        return
    entries = list(grammar.error_log)
    # libxml2 follows a specific message with "failed to validate content" for every
    # ancestor; those say nothing new.
    specific = [e for e in entries if "failed to validate" not in e.message] or entries
    # "has extra content" repeats, on the parent, what a more precise message said on that line
    precise = {e.line for e in specific if "extra content" not in e.message}
    seen = set()
    for e in specific:
        line = e.line or 1
        if "extra content" in e.message and e.line in precise:
            continue
        msg = _rng_message(e.message)
        if line in seen:
            continue  # one message per line: the first is the cause
        seen.add(line)
        m = re.search(r"<(\w+)>", msg)
        col = _column(file_path, line, m.group(1) if m else None)
        report.error(file_path, line, col, msg, "schema")


def _column(file_path: Path, line: int, name: str | None) -> int:
    from ..xmlparse import column_of

    return column_of(file_path, line, f"<{name}" if name else None)


def _rng_message(raw: str) -> str:
    msg = raw.strip().replace(f"{{{TEI_NS}}}", "")
    m = re.match(r"Did not expect element (\S+) there", msg)
    if m:
        return f"<{m.group(1)}> is not allowed here (RELAX NG)"
    m = re.match(r"Element (\S+): (.*)", msg, re.S)
    if m:
        return f"<{m.group(1)}>: {m.group(2)} (RELAX NG)"
    return f"{msg} (RELAX NG)"


_SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}


def _validate_schematron(report: Report, rules, file_path: Path, tree) -> None:
    rules.validate(tree)
    svrl = rules.validation_report
    if svrl is None:
        return
    for node in svrl.xpath("//svrl:failed-assert | //svrl:successful-report", namespaces=_SVRL):
        text = " ".join("".join(node.xpath("svrl:text//text()", namespaces=_SVRL)).split())
        role = (node.get("role") or "").lower()
        el = None
        try:
            hit = tree.xpath(node.get("location") or "/*")
            el = hit[0] if hit and isinstance(hit[0], etree._Element) else None
        except etree.XPathError:
            pass
        line, col = position(file_path, el) if el is not None else (1, 1)
        if role in ("info", "information", "note"):
            report.add(file_path, line, col, "note", text, "schematron")
        elif role in ("warning", "warn"):
            report.warning(file_path, line, col, text, "schematron")
        else:
            report.error(file_path, line, col, text, "schematron")


@lru_cache(maxsize=16)
def _declared(xsd) -> frozenset[str]:
    """The local names of the elements a compiled schema declares (once per schema, not per file)."""
    return frozenset(_local(name) for name in xsd.elements)


@lru_cache(maxsize=16)
def _declared_tags(xsd) -> frozenset[str]:
    """_declared's names as TEI-namespace tags ('{http://www.tei-c.org/ns/1.0}p')."""
    return frozenset(f"{{{TEI_NS}}}{name}" for name in _declared(xsd))


def _undeclared(report: Report, xsd: xmlschema.XMLSchema11, file_path: Path, tree) -> None:
    """[schema] a TEI-namespace element the schema does not know: a typo or an invented name."""
    from ..xmlparse import _lines

    known = _declared(xsd)
    tags = _declared_tags(xsd)
    nth: dict[tuple[int, str], int] = {}
    for el in tree.getroot().iter(f"{{{TEI_NS}}}*"):
        if el.tag in tags:
            continue  # (by the whole tag: no name to cut out of each known element's)
        name = _local(el.tag)
        if name not in known:
            parent = el.getparent()
            inside = f" inside <{_local(parent.tag)}>" if parent is not None else ""
            line, col = position(file_path, el)
            # two unknown elements of one name on a line: the second's own column
            seen = nth[(line, name)] = nth.get((line, name), 0) + 1
            if seen > 1:
                text = _lines(file_path)[line - 1] if line <= len(_lines(file_path)) else ""
                idx = -1
                for _ in range(seen):
                    idx = text.find(f"<{name}", idx + 1)
                col = idx + 1 if idx >= 0 else col
            report.error(file_path, line, col, f"<{name}>{inside} is not a TEI element teipress knows", "schema")


# -- XSD (xmlschema) messages -------------------------------------------------

def _local(tag: str) -> str:
    return tag.split("}")[-1] if isinstance(tag, str) else str(tag)


def _element_names(particle) -> list[str]:
    """Names an expected particle stands for: a class head (abstract) stands for its members."""
    name = getattr(particle, "name", None)
    if not name:
        return []
    if getattr(particle, "abstract", False):
        members = particle.maps.substitution_groups.get(name, ())
        return [m.name for m in members if not getattr(m, "abstract", False)]
    return [name]


def _message(err) -> tuple[etree._Element | None, str]:
    """Turn an xmlschema error into (element, an editor's sentence)."""
    import xmlschema  # lazily, as in _open_xsd
    elem = err.elem
    reason = (err.reason or str(err)).strip()
    name = _local(elem.tag) if elem is not None and hasattr(elem, "tag") else "?"
    if isinstance(err, xmlschema.XMLSchemaChildrenValidationError):
        idx = getattr(err, "index", None)
        child = None
        if elem is not None and idx is not None:
            kids = [c for c in elem if isinstance(c.tag, str)]
            child = kids[idx] if idx < len(kids) else None
        expected = getattr(err, "expected", None) or []
        # what is particular to this place first; the milestones and notes allowed almost
        # anywhere (model.globalLike) last
        maps = next((e.maps for e in expected if getattr(e, "maps", None) is not None), None)
        everywhere = {_local(m.name) for m in (maps.substitution_groups.get(f"{{{TEI_NS}}}model.globalLike", ())
                                               if maps is not None else ())}
        names = sorted({_local(n) for e in expected for n in _element_names(e)},
                       key=lambda n: (n in everywhere, n))
        shown = ", ".join(f"<{n}>" for n in names[:12]) + (", …" if len(names) > 12 else "")
        hint = f"; expected {shown}" if names else ""
        if child is not None:
            return child, f"<{_local(child.tag)}> is not allowed here inside <{name}>{hint}"
        return elem, f"<{name}> is incomplete{hint}"
    validator = getattr(err, "validator", None)
    if type(validator).__name__ == "XsdAssert":
        doc = validator.elem.find(f"{{{XSD_NS}}}annotation/{{{XSD_NS}}}documentation")
        text = doc.text.strip() if doc is not None and doc.text else f"assertion {validator.path} failed"
        return elem, f"<{name}>: {text}"
    reason = re.sub(r"\{" + re.escape(TEI_NS) + r"\}", "", reason)
    reason = reason.replace("\n", " ")
    return elem, f"<{name}>: {reason}"


def _validate_xsd(report: Report, schema: xmlschema.XMLSchema11, file_path: Path, tree) -> None:
    seen = set()
    for err in schema.iter_errors(tree):
        elem, msg = _message(err)
        if elem is not None and hasattr(elem, "sourceline"):
            attr = None
            m = re.search(r"attribute (\S+?)=", msg)
            if m:
                attr = m.group(1)
            line, col = position(file_path, elem, attr)
        else:
            line, col = 1, 1
        key = (line, col, msg)
        if key in seen:
            continue
        seen.add(key)
        report.error(file_path, line, col, msg, "schema")

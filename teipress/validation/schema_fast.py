"""A fast path for the XSD 1.1 check: most valid files decided by libxml2, in C.

xmlschema (pure Python) takes 20-30 ms a letter.  Here the compiled schema (the strict
project XSD, or its open form, see schema._open_xsd) is translated when it is first
loaded into an XSD 1.0 schema that libxml2 (lxml.etree.XMLSchema) runs in a millisecond
or so, with checks in Python for what XSD 1.0 cannot say.  The contract:

    the fast path accepts a file only if xmlschema would accept it.

It may reject more: a file it rejects goes to xmlschema, which gives the verdict and
every message, so diagnostics do not change.  Every translation therefore errs on the
strict side, and a schema feature it does not know makes it decline (no fast path for
that schema, :class:`Unsupported`), never accept more.

* Elements: the schema has only global declarations (else it declines), so an element is
  checked by the declaration of its name wherever it stands: one global XSD 1.0 element per
  concrete declared name, with its own type.  Substitution groups (several per element
  in XSD 1.1) become the names xmlschema's particle.match() takes.  Abstract elements
  and undeclared TEI names never match.
* Content models: a repeated choice of single elements (most of TEI's), and, without open
  content, a flat sequence with no name in two particles (the header's), are written as
  they are: deterministic, so xmlschema's greedy visitor takes exactly their language.
  Any other model (text's model.global* front? model.global* body …) is written as a
  repeated choice of its names, and the order is checked by xmlschema's own model
  visitor, run on the element's child names.
* The open form's interleaved wildcard (notQName="##definedSibling", lax): a declared
  name the model does not hold is accepted anywhere (checked by its declaration); a name
  the model holds, also through a substitution group, only where the model allows it.
* Left to xmlschema: elements of other namespaces (lax there; libxml2's lax would skip
  their subtrees), xsi:type and xsi:nil, a repeated xml:id, attributes in a namespace
  other than xml.
* Attributes: typed by patterns that are a subset of each type's lexical space as
  xmlschema checks it (no surrounding spaces, ASCII digits, real calendar days, URIs
  without ports), tested on random strings against xmlschema's own types.
* Assertions: only tests in a small XPath subset on which XPath 1.0 and 2.0 agree (child
  paths, and/or/not, counts compared), run by lxml on every element of the asserting types.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

XML_NS = "http://www.w3.org/XML/1998/namespace"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XS = "{http://www.w3.org/2001/XMLSchema}"


class Unsupported(Exception):
    """The schema uses something the translation does not handle: no fast path for it."""


# -- datatypes ----------------------------------------------------------------
# Each pattern is a subset of the type's lexical space as xmlschema checks it, without
# the whitespace xmlschema would first collapse (a value with it goes the slow way).

_YEAR = "(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})"
_MONTH = "(0[1-9]|1[0-2])"
# day 29 and 30 in every month but February, 31 in the long months
_MONTH_DAY = "((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)"
# 29 February in a leap year: divisible by 4 and not by 100, or by 400 (year 0000 left out)
_LEAP_DAY = "([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29"
_DATE = f"({_YEAR}-{_MONTH_DAY}|{_LEAP_DAY})"
_TZ = "(Z|[+\\-](0[0-9]|1[0-3]):[0-5][0-9]|[+\\-]14:00)?"
_URI_CHAR = "([A-Za-z0-9\\-._~/?@!$&'()*+,;=|]|%[0-9A-Fa-f]{2})"
_URI_TAIL = "([\\p{L}\\p{N}\\-._~/?@!$&'()*+,;=:|]|%[0-9A-Fa-f]{2})"
# a colon, or a letter beyond ASCII, only in the scheme, the query and the fragment (never a port,
# nor a path that starts with a colon, nor a host name to normalise); at most one '#'
URI = f"([A-Za-z][A-Za-z0-9+.\\-]*:)?{_URI_CHAR}*(\\?{_URI_TAIL}*)?(#{_URI_TAIL}*)?"
# XML name characters as libxml2 knows them (XML 1.0 4th edition), a subset of xmlschema's
NCNAME = "[\\i-[:]][\\c-[:]]*"

BUILTIN_PATTERNS = {
    "anyURI": URI,
    "boolean": "true|false|1|0",
    "decimal": "[+\\-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)",
    "integer": "[+\\-]?[0-9]+",
    "nonNegativeInteger": "\\+?[0-9]+",
    "positiveInteger": "\\+?0*[1-9][0-9]*",
    "language": "[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*",
    "NCName": NCNAME,
    "ID": NCNAME,
    "NMTOKEN": "[A-Za-z0-9_.:\\-]+",
    "gYear": _YEAR + _TZ,
    "gYearMonth": f"{_YEAR}-{_MONTH}{_TZ}",
    "date": f"{_DATE}{_TZ}",
    "dateTime": f"{_DATE}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?{_TZ}",
}
ANY_TEXT = {"string", "normalizedString", "token", "anySimpleType", "anyAtomicType"}


@dataclass(frozen=True)
class _Data:
    patterns: tuple[str, ...]  # all must match (libxml2 ANDs pattern params)


@dataclass(frozen=True)
class _Value:
    value: str


@dataclass(frozen=True)
class _List:
    item: tuple  # alternatives


_TEXT = "text"


def _local_name(qname: str | None) -> str:
    return (qname or "").split("}")[-1]


def datatype(st, depth: int = 0) -> tuple:
    """A simple type as alternatives: _TEXT, _Data, _Value or _List."""
    if depth > 20:
        raise Unsupported("simple type nesting")
    kind = type(st).__name__
    name = _local_name(getattr(st, "name", None))
    if kind == "XsdSimpleType" and name == "anySimpleType":
        return (_TEXT,)
    if kind == "XsdAtomicBuiltin":
        if name in ANY_TEXT:
            return (_TEXT,)
        if name in BUILTIN_PATTERNS:
            return (_Data((BUILTIN_PATTERNS[name],)),)
        raise Unsupported(f"datatype xs:{name}")
    if kind.endswith("Union"):
        alts = []
        for member in st.member_types:
            alts.extend(datatype(member, depth + 1))
        return tuple(alts)
    if kind.endswith("List"):
        if set(st.facets) - {f"{XS}whiteSpace"}:
            raise Unsupported("list facets")
        item = datatype(st.item_type, depth + 1)
        if any(not isinstance(a, _Data) for a in item):
            raise Unsupported("list of free text")  # an item must not hold spaces
        return (_List(item),)
    if kind.endswith("AtomicRestriction") or kind.endswith("UnionRestriction"):
        base = datatype(st.base_type, depth + 1)
        facets = {k: v for k, v in st.facets.items() if k not in (None, f"{XS}whiteSpace")}
        if None in st.facets and st.facets[None] is not None:
            raise Unsupported("validator facet")
        enum = facets.pop(f"{XS}enumeration", None)
        pattern = facets.pop(f"{XS}pattern", None)
        if facets:
            raise Unsupported(f"facets {sorted(facets)}")
        if pattern is not None:
            regexps = tuple(pattern.regexps)
            if len(regexps) != 1:
                raise Unsupported("several patterns in one step")  # ORed in XSD
            if any(not isinstance(a, _Data) for a in base):
                raise Unsupported("pattern on free text")  # whitespace would be collapsed first
            base = tuple(_Data(a.patterns + regexps) for a in base)
        if enum is not None:
            values = [str(v) for v in enum.enumeration]
            # each value exactly as written, and only where xmlschema takes it as written
            if any(re.search(r"\s", v) or not st.is_valid(v) for v in values):
                raise Unsupported("enumeration")
            return tuple(_Value(v) for v in values)
        return base
    raise Unsupported(f"simple type {kind}")


# -- the XSD 1.0 form ------------------------------------------------------------

def _xs(tag: str, parent=None, **attrs):
    return etree.Element(XS + tag, attrs) if parent is None else etree.SubElement(parent, XS + tag, attrs)


def _ns_of(qname: str) -> str:
    return qname[1:].partition("}")[0] if qname.startswith("{") else ""


@dataclass
class FastSchema:
    """A compiled fast path: :meth:`accepts` says True only where xmlschema would."""

    schema: etree.XMLSchema
    visited: dict = field(default_factory=dict)  # tag -> model group checked by the visitor
    asserts: dict = field(default_factory=dict)  # tag -> [compiled XPath]
    text: bytes = b""  # the generated XSD 1.0 (for reading; tests)
    target: str = ""
    _tags: tuple | None = None
    xml_text: bytes = b""  # the generated schema of the xml: attributes it imports
    tests: dict = field(default_factory=dict)  # tag -> [(assertion, namespaces)]: what asserts compiles
    # The visitor's verdicts so far: (tag, its children's tags) -> _model_accepts's answer.  The
    # visitor reads nothing else of an element (its group is the tag's, its steps the children's
    # names), so a sequence it has decided is decided the same way in any later element or file;
    # thousands of letters repeat the same few hundred sequences.  Kept in this process only.
    decided: dict = field(default_factory=dict)

    def __getstate__(self) -> dict:
        """Pickled (teipress.validation.schema keeps it in an incremental build's cache, beside
        the xmlschema schema its visitor's groups belong to): libxml2's schema and the compiled
        assertions are made again from their text."""
        state = dict(self.__dict__)
        state["schema"] = None
        state["asserts"] = {}
        state["decided"] = {}
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        # Made again when first needed (ready): compiling libxml2's schema takes about 0.3 s,
        # which a build checking one changed file spares by leaving the fast path aside.
        self.schema = self.asserts = None

    def ready(self) -> "FastSchema":
        """Itself with libxml2's schema and the assertions compiled (call before forking
        workers that use it, so that each need not compile its own)."""
        if self.schema is None:
            self.schema = _libxml2_schema(self.text, self.xml_text)
        if self.asserts is None:
            self.asserts = {tag: [compile_assertion(test, ns) for test, ns in tests]
                            for tag, tests in self.tests.items()}
        return self

    def accepts(self, tree) -> bool:
        if self.schema is None or self.asserts is None:
            self.ready()
        root = tree.getroot() if hasattr(tree, "getroot") else tree
        # Left to xmlschema: elements of other namespaces (checked laxly there; libxml2's lax
        # skips whole subtrees), xsi:type and xsi:nil, a repeated xml:id.
        if root.xpath("boolean(//*[namespace-uri() != $ns] | //@xsi:type | //@xsi:nil)",
                      ns=self.target, namespaces={"xsi": XSI_NS}):
            return False
        if not self.schema.validate(root.getroottree()):
            return False
        ids = root.xpath("//@xml:id")
        if len(ids) != len(set(ids)):
            return False
        if self._tags is None:
            self._tags = tuple(set(self.asserts) | set(self.visited))
        for el in root.iter(self._tags):  # one walk for the assertions and the visitor
            tag = el.tag
            for test in self.asserts.get(tag, ()):
                if not test(el):
                    return False
            group = self.visited.get(tag)
            if group is not None and not self._model_accepts(tag, group, el):
                return False
        return True

    def _model_accepts(self, tag: str, group, el) -> bool:
        """_model_accepts(group, el), remembered by *el*'s tag and its children's tags (decided)."""
        names = tuple(c.tag for c in el if isinstance(c.tag, str))
        if len(names) > MEMO_CHILDREN:  # (a long run of paragraphs: not worth keeping)
            return _model_accepts(group, el)
        key = (tag, names)
        verdict = self.decided.get(key)
        if verdict is None:
            verdict = _model_accepts(group, el)
            if len(self.decided) < MEMO_SIZE:
                self.decided[key] = verdict
        return verdict


# The visitor's memo (FastSchema.decided): at most this many sequences, each of at most this
# many children, so that it stays a few megabytes whatever the edition.
MEMO_SIZE = 50_000
MEMO_CHILDREN = 200


def _model_accepts(group, elem) -> bool:
    """xmlschema's own model visitor over *elem*'s child names (as XsdGroup.raw_decode
    drives it), without validating the children (libxml2 did)."""
    model = group.get_model_visitor()
    for child in elem:
        if not isinstance(child.tag, str):
            continue
        while model.element is not None:
            if model.match_element(child.tag) is None:
                if next(iter(model.advance(False)), None) is not None:
                    return False
                continue
            if next(iter(model.advance(True)), None) is not None:
                return False
            break
        else:
            return False  # past the end of the model
    if model.element is not None and next(iter(model.stop()), None) is not None:
        return False
    return True


def _patterned(st, patterns) -> None:
    """A string type matching every pattern: one pattern per derivation step, since the
    patterns of one step are ORed and those of nested steps ANDed."""
    r = _xs("restriction", st)
    if len(patterns) == 1:
        r.set("base", "xs:string")
    else:
        _patterned(_xs("simpleType", r), patterns[:-1])
    _xs("pattern", r, value=patterns[-1])


def _libxml2_schema(text: bytes, xml_text: bytes) -> etree.XMLSchema:
    """libxml2's compiled form of the generated XSD 1.0 *text*, which imports *xml_text*."""
    class _Resolve(etree.Resolver):
        def resolve(self, url, pubid, context):
            if url.endswith("teipress-fast-xml.xsd"):
                return self.resolve_string(xml_text, context)
            return None

    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_Resolve())
    try:
        doc = etree.fromstring(text, parser, base_url="teipress-fast.xsd")
        return etree.XMLSchema(etree.ElementTree(doc))
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
        raise Unsupported(f"XSD 1.0 form: {exc}") from None


class _Translator:
    """Writes the XSD 1.0 schema libxml2 runs: one global element per concrete declared
    name, each content model a repeated choice of the names it may hold."""

    def __init__(self, xsd):
        self.xsd = xsd
        self.maps = xsd.maps
        self.target = xsd.target_namespace or ""
        if not self.target:
            raise Unsupported("a schema without a target namespace")
        self.concrete = sorted(n for n, e in self.maps.elements.items()
                               if _ns_of(n) == self.target and not e.abstract)
        self.root = etree.Element(XS + "schema", targetNamespace=self.target,
                                  elementFormDefault="qualified", nsmap={"xs": XS[1:-1], "t": self.target})
        self.xml_root = etree.Element(XS + "schema", targetNamespace=XML_NS,
                                      nsmap={"xs": XS[1:-1], "t": self.target})
        self.xml_attrs: dict = {}  # xml:* attribute -> its type
        self.simple: dict = {}  # alternatives -> type name
        self.types: dict = {}  # id(complex type) -> (name, model group for the visitor or None)
        self.fast = FastSchema(schema=None, target=self.target)
        self._match_cache: dict = {}

    def matched_names(self, particle) -> frozenset[str]:
        """The concrete element names xmlschema's particle.match() takes (substitutes too)."""
        key = particle.name
        if key not in self._match_cache:
            self._match_cache[key] = frozenset(n for n in self.concrete if particle.match(n) is not None)
        return self._match_cache[key]

    def translate(self) -> FastSchema:
        _xs("import", self.root, namespace=XML_NS, schemaLocation="teipress-fast-xml.xsd")
        self.body = []
        for n in self.concrete:
            e = self.maps.elements[n]
            self.check_element(e)
            el = _xs("element", name=_local_name(n), type="t:" + self.type_name(e.type, n))
            self.body.append(el)
        for el in self.body:
            self.root.append(el)
        for qname, alts in sorted(self.xml_attrs.items()):
            att = _xs("attribute", self.xml_root, name=_local_name(qname))
            self.simple_type(att, alts, in_xml=True)
        text = etree.tostring(self.root)
        xml_text = etree.tostring(self.xml_root)
        self.fast.schema = _libxml2_schema(text, xml_text)
        self.fast.text, self.fast.xml_text = text, xml_text
        return self.fast

    def check_element(self, e) -> None:
        if e.alternatives or e.identities or e.fixed is not None or e.nillable:
            raise Unsupported(f"element {e.name}: alternatives, identities, fixed or nillable")
        if e.block or (getattr(e.type, "block", "") or "") or getattr(e.type, "abstract", False):
            raise Unsupported(f"element {e.name}: block or abstract type")

    # simple types
    def simple_type(self, parent, alts, in_xml=False) -> None:
        """Set parent's type: an anonymous or shared named simple type for *alts*."""
        if alts == (_TEXT,):
            parent.set("type", "xs:string")
            return
        if in_xml:
            self._simple_body(_xs("simpleType", parent), alts)
            return
        if alts not in self.simple:
            name = f"d{len(self.simple)}"
            self.simple[alts] = name
            st = _xs("simpleType", name=name)
            self._simple_body(st, alts)
            self.root.insert(1, st)
        parent.set("type", "t:" + self.simple[alts])

    def _simple_body(self, st, alts) -> None:
        if len(alts) > 1:
            union = _xs("union", st)
            for alt in alts:
                self._simple_body(_xs("simpleType", union), (alt,))
            return
        alt = alts[0]
        if alt == _TEXT:
            _xs("restriction", st, base="xs:string")
        elif isinstance(alt, _Value):
            _xs("enumeration", _xs("restriction", st, base="xs:string"), value=alt.value)
        elif isinstance(alt, _Data):
            _patterned(st, alt.patterns)
        elif isinstance(alt, _List):
            lst = _xs("list", st)
            self._simple_body(_xs("simpleType", lst), alt.item)
        else:
            raise Unsupported(f"datatype {alt}")

    # complex types
    def type_name(self, xtype, tag: str) -> str:
        tid = id(xtype)
        if tid not in self.types:
            if xtype.is_simple() or xtype.has_simple_content():
                raise Unsupported(f"simple content of {tag}")
            simple, _minimum = self.simple_model(xtype.content)
            # a flat sequence exactly only without open content: with it, the open names after
            # every particle make libxml2's automata (and its compile time) several times larger,
            # for less than the visitor costs
            exact = simple or (self.open_wildcard(xtype) is None and self.flat_sequence(xtype.content) is not None)
            self.types[tid] = (f"T{len(self.types)}", None if exact else xtype.content)
            ct = _xs("complexType", name=self.types[tid][0])
            if xtype.mixed:
                ct.set("mixed", "true")
            self.body.append(ct)
            self.content(ct, xtype, tag)
            self.attributes(ct, xtype.attributes)
        name, visited = self.types[tid]
        if visited is not None:
            self.fast.visited[tag] = visited
        self._asserts(xtype, tag)
        return name

    def _asserts(self, xtype, tag: str) -> None:
        tests = list(getattr(xtype, "assertions", ()) or ())
        if not tests:
            return
        compiled = []
        sources = []
        for a in tests:
            if getattr(a, "xpath_default_namespace", ""):
                raise Unsupported("assertion with a default namespace")
            ns = dict(a.namespaces or self.xsd.namespaces)
            compiled.append(compile_assertion(a.path, ns))
            sources.append((a.path, ns))
        self.fast.asserts[tag] = compiled
        self.fast.tests[tag] = sources

    def attributes(self, ct, attrs) -> None:
        for key, a in attrs.items():
            if key is None:
                continue
            if a.fixed is not None or a.use not in ("optional", "required"):
                raise Unsupported(f"attribute {key}: fixed or prohibited")
            ns = _ns_of(key)
            alts = datatype(a.type)
            if ns == XML_NS:
                if self.xml_attrs.setdefault(key, alts) != alts:
                    raise Unsupported(f"{key} typed twice")
                _xs("attribute", ct, ref="xml:" + _local_name(key), use=a.use)
            elif ns == "":
                att = _xs("attribute", ct, name=key, use=a.use)
                self.simple_type(att, alts)
            else:
                raise Unsupported(f"attribute {key} of another namespace")
        wildcard = attrs.get(None)
        if wildcard is not None and wildcard.process_contents != "strict":
            if wildcard.not_qname or wildcard.not_namespace:
                raise Unsupported("attribute wildcard with notQName or notNamespace")
            if list(wildcard.namespace) == ["##any"] or "##local" in wildcard.namespace:
                # only attributes in no namespace: the rest (xlink:href, …) goes the slow way
                _xs("anyAttribute", ct, namespace="##local", processContents="skip")

    # content
    @staticmethod
    def open_wildcard(xtype):
        open_content = xtype.open_content
        if open_content is None or open_content.mode == "none":
            return None
        if open_content.mode != "interleave":
            raise Unsupported("suffixed open content")
        return open_content.any_element

    def content(self, ct, xtype, tag) -> None:
        group = xtype.content
        wildcard = self.open_wildcard(xtype)
        names, wild = set(), []
        self.collect(group, names, wild)
        model = sorted(names)
        for w in wild:
            if w.process_contents != "strict" or w.not_qname or w.not_namespace:
                raise Unsupported("lax or skip wildcard in a content model")
            model += [n for n in self.concrete if w.is_namespace_allowed(_ns_of(n)) and n not in names]
        model_set = set(model)
        opened = []
        if wildcard is not None:
            if wildcard.process_contents == "strict" or wildcard.not_namespace:
                raise Unsupported("strict open content")
            if set(wildcard.not_qname) - {"##definedSibling"}:
                raise Unsupported("open content notQName")
            # a name the model holds anywhere (also through a substitution group) only where
            # the model allows it; a declared name it does not hold, anywhere
            opened = [n for n in self.concrete if n not in model_set and
                      not any(w.is_namespace_allowed(_ns_of(n)) for w in wild) and
                      wildcard.is_namespace_allowed(_ns_of(n))]
        simple, minimum = self.simple_model(group)
        if not model and not opened:
            return  # empty (or text only, when mixed)
        flat = None if simple or opened else self.flat_sequence(group)
        if flat is not None:
            # open* (p open*)(p open*)…: each particle followed by the open names; deterministic
            # because no name is in two particles nor among the open ones
            seq = _xs("sequence", ct)
            if opened:
                self._refs(_xs("choice", seq, minOccurs="0", maxOccurs="unbounded"), opened)
            for names_p, lo, hi in flat:
                each = _xs("sequence", seq, minOccurs=str(lo), maxOccurs="unbounded" if hi is None else str(hi))
                self._refs(_xs("choice", each), names_p)
                if opened:
                    self._refs(_xs("choice", each, minOccurs="0", maxOccurs="unbounded"), opened)
            return
        if simple and minimum and opened:
            # open* (model open*){minimum,}: deterministic, as libxml2 wants, and the same
            # language as the model interleaved with the open names
            seq = _xs("sequence", ct)
            self._refs(_xs("choice", seq, minOccurs="0", maxOccurs="unbounded"), opened)
            each = _xs("sequence", seq, minOccurs=str(minimum), maxOccurs="unbounded")
            self._refs(_xs("choice", each), model)
            self._refs(_xs("choice", each, minOccurs="0", maxOccurs="unbounded"), opened)
        elif simple and minimum:
            self._refs(_xs("choice", ct, minOccurs=str(minimum), maxOccurs="unbounded"), model)
        else:
            self._refs(_xs("choice", ct, minOccurs="0", maxOccurs="unbounded"), model + opened)

    def _refs(self, choice, names) -> None:
        for n in names:
            _xs("element", choice, ref="t:" + _local_name(n))

    def collect(self, group, names: set, wild: list) -> None:
        if group is None:
            return
        for p in group:
            kind = type(p).__name__
            if "Group" in kind:
                self.collect(p, names, wild)
            elif "AnyElement" in kind:
                wild.append(p)
            elif "Element" in kind:
                if p.max_occurs == 0:
                    continue
                if p.ref is None and p.parent is not None:
                    raise Unsupported("local element declaration")
                names.update(self.matched_names(p))
            else:
                raise Unsupported(f"particle {kind}")

    def simple_model(self, group) -> tuple[bool, int]:
        """(True, minimum) for a repeated choice whose items are single elements or single
        choices of them, or a repeated wildcard: the language xmlschema's visitor takes
        exactly.  minimum: children the model needs at least."""
        if group is None or not len(group):
            return True, 0
        g = group
        # an extension wraps its base's model in single sequences
        while g.model == "sequence" and len(g) == 1 and g.min_occurs == g.max_occurs == 1:
            inner = g[0]
            if "AnyElement" in type(inner).__name__:
                return (inner.max_occurs is None and inner.min_occurs == 0), 0
            if "Group" not in type(inner).__name__:
                return False, 0
            g = inner
        if g.model != "choice" or g.max_occurs is not None:
            return False, 0
        if not self._single_items(g):
            return False, 0
        return True, g.min_occurs

    def flat_sequence(self, group):
        """[(names, min, max)] for a sequence of elements or choices of single elements, each
        once, optional, or repeated, no name in two of them (TEI's header: fileDesc,
        titleStmt …): deterministic, so xmlschema's greedy visitor takes exactly its
        language; None for any other model."""
        if group is None or not len(group):
            return None
        g = group
        while g.model == "sequence" and len(g) == 1 and g.min_occurs == g.max_occurs == 1 \
                and "Group" in type(g[0]).__name__:
            g = g[0]
        if g.model != "sequence" or g.min_occurs != 1 or g.max_occurs != 1:
            return None
        out, seen = [], set()
        for p in g:
            kind = type(p).__name__
            if p.min_occurs not in (0, 1) or p.max_occurs not in (1, None):
                return None
            if "AnyElement" in kind:
                return None
            if "Group" in kind:
                if p.model != "choice" or not self._single_items(p):
                    return None
                names: set = set()
                self.collect(p, names, [])
            elif "Element" in kind:
                names = set(self.matched_names(p))
            else:
                return None
            if not names or names & seen:
                return None
            seen |= names
            out.append((sorted(names), p.min_occurs, p.max_occurs))
        return out

    def _single_items(self, g) -> bool:
        for p in g:
            if p.min_occurs != 1 or p.max_occurs != 1:
                return False
            kind = type(p).__name__
            if "Group" in kind:
                if p.model != "choice" or not self._single_items(p):
                    return False
            elif "AnyElement" in kind or "Element" not in kind:
                return False
        return True


# -- assertions ------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(?P<num>\d+)|(?P<op>!=|<=|>=|=|<|>|\(|\)|/|@)|"
                    r"(?P<name>[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?))")


def compile_assertion(test: str, namespaces: dict):
    """An lxml XPath for an XSD assertion whose test is in the subset on which XPath 1.0
    and 2.0 agree; Unsupported otherwise."""
    tokens = []
    pos = 0
    test = test.strip()
    while pos < len(test):
        m = _TOKEN.match(test, pos)
        if not m or m.end() == pos:
            raise Unsupported(f"assertion {test!r}")
        tokens.append(next((k, v) for k, v in m.groupdict().items() if v is not None))
        pos = m.end()
    _Subset(tokens).parse()
    ns = {k: v for k, v in namespaces.items() if k}
    xp = etree.XPath(f"boolean({test})", namespaces=ns)
    return lambda el: bool(xp(el))


class _Subset:
    """expr := and ('or' and)*; and := cmp ('and' cmp)*;
    cmp := num op num | 'not' '(' expr ')' | '(' expr ')' | path;
    num := 'count' '(' path ')' | integer; path := step ('/' step)*; step := '@'? QName"""

    def __init__(self, tokens):
        self.t, self.i = tokens, 0

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else (None, None)

    def take(self, kind=None, value=None):
        k, v = self.peek()
        if (kind and k != kind) or (value and v != value):
            raise Unsupported("assertion outside the XPath subset")
        self.i += 1
        return v

    def parse(self):
        self.expr()
        if self.i != len(self.t):
            raise Unsupported("assertion outside the XPath subset")

    def expr(self):
        self.conj()
        while self.peek() == ("name", "or"):
            self.take()
            self.conj()

    def conj(self):
        self.cmp()
        while self.peek() == ("name", "and"):
            self.take()
            self.cmp()

    def cmp(self):
        k, v = self.peek()
        if k == "num" or (k == "name" and v == "count"):
            self.num()
            self.take("op") if self.peek()[1] in ("=", "!=", "<", "<=", ">", ">=") else self.take("op", "=")
            self.num()
        elif (k, v) == ("name", "not"):
            self.take()
            self.take("op", "(")
            self.expr()
            self.take("op", ")")
        elif (k, v) == ("op", "("):
            self.take()
            self.expr()
            self.take("op", ")")
        else:
            self.path()

    def num(self):
        if self.peek()[0] == "num":
            self.take()
            return
        self.take("name", "count")
        self.take("op", "(")
        self.path()
        self.take("op", ")")

    def path(self):
        self.step()
        while self.peek() == ("op", "/"):
            self.take()
            self.step()

    def step(self):
        if self.peek() == ("op", "@"):
            self.take()
        k, v = self.peek()
        if k != "name" or v in ("and", "or", "not", "count"):
            raise Unsupported("assertion outside the XPath subset")
        self.take()
        if self.peek() == ("op", "("):
            raise Unsupported("assertion calls a function")


def build(xsd) -> FastSchema:
    """The fast path for a compiled xmlschema schema; Unsupported when it cannot be made."""
    if type(xsd).__name__ not in ("XMLSchema11", "XMLSchema10"):
        raise Unsupported("not an xmlschema schema")
    return _Translator(xsd).translate()

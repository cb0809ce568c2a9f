"""The schema check's C fast path (validation/schema_fast.py) accepts a file only where
xmlschema, which makes the verdict, would: compared on real TEI, on the project's files and on
broken documents, for the strict and the open form of the project schema."""
from __future__ import annotations

import copy
import random
import re

import pytest
from lxml import etree

from conftest import MINI_DOC, MINI_PERSONS, REPO, SCHEMA
from teipress.validation import schema, schema_fast

TEI = "http://www.tei-c.org/ns/1.0"
T = f"{{{TEI}}}"
FORMS = ("xsd", "xsd-open")


@pytest.fixture(scope="module")
def compiled():
    """form -> (xmlschema schema, fast path), both made from the project's XSD."""
    out = {}
    for kind in FORMS:
        xsd = schema._compile(kind, SCHEMA, SCHEMA.stat().st_mtime)
        out[kind] = (xsd, schema_fast.build(xsd))
    return out


def xmlschema_accepts(xsd, tree) -> bool:
    return next(iter(xsd.iter_errors(tree)), None) is None


def check(compiled, kind, tree) -> tuple[bool, bool]:
    """(fast path accepts, xmlschema accepts); fails when the fast path is the laxer."""
    xsd, fast = compiled[kind]
    fast_ok = fast.accepts(tree)
    slow_ok = xmlschema_accepts(xsd, tree)
    assert slow_ok or not fast_ok, f"fast path accepts what xmlschema rejects ({kind}):\n" + \
        etree.tostring(tree, encoding="unicode")[:3000]
    return fast_ok, slow_ok


def tei_files(folder):
    for path in sorted(folder.rglob("*.xml")):
        try:
            tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            continue
        if tree.getroot().tag in schema.TEI_ROOTS:
            yield path, tree


# -- real files ------------------------------------------------------------------

@pytest.mark.parametrize("kind", FORMS)
def test_same_or_stricter_verdict_on_every_corpus_file(shared, compiled, kind):
    files = list(tei_files(shared / "corpora")) + list(tei_files(REPO / "tei"))
    verdicts = [check(compiled, kind, tree) for _path, tree in files]
    assert len(files) > 40
    # not vacuous: the fast path takes files; the strict form rejects many (the open one takes
    # every file: its undeclared elements are reported apart, by schema._undeclared)
    assert sum(fast for fast, _ in verdicts) >= (30 if kind == "xsd-open" else 5)
    assert kind == "xsd-open" or sum(not slow for _, slow in verdicts) > 20


def test_the_open_form_takes_the_real_letters(shared, compiled):
    """The letters the scale benchmark is made of: every one xmlschema accepts, the fast path does too."""
    for folder in ("schnitzler-briefe", "escher-briefe"):
        for path, tree in tei_files(shared / "corpora" / "letters" / folder):
            if path.name == "people.xml":
                continue  # 3,710 persons, ids outside the fast path's ASCII subset
            fast, slow = check(compiled, "xsd-open", tree)
            assert fast == slow, path.name


# -- broken documents --------------------------------------------------------------

def mini():
    return etree.ElementTree(etree.fromstring(MINI_DOC.split("?>\n", 2)[2].encode()))


def persons():
    return etree.ElementTree(etree.fromstring(MINI_PERSONS.split("?>\n", 2)[2].encode()))


def edit(tree, xpath, fn):
    out = copy.deepcopy(tree)
    hits = out.getroot().xpath(xpath, namespaces={"t": TEI})
    assert hits, xpath
    fn(hits[0])
    return out


def sub(parent, xml, index=None):
    el = etree.fromstring(f'<wrap xmlns="{TEI}" xmlns:x="urn:x">{xml}</wrap>')
    for i, child in enumerate(list(el)):
        if index is None:
            parent.append(child)
        else:
            parent.insert(index + i, child)
    return parent


def remove(el):
    el.getparent().remove(el)


def set_text(el, text):
    el.text = text


BROKEN = {
    # elements where they are not allowed
    "p inside hi": (mini, "//t:head", lambda el: sub(el, "<hi>a<p>b</p></hi>")),
    "item directly in p": (mini, "//t:p[@xml:id='p1']", lambda el: sub(el, "<item>x</item>")),
    "fileDesc in body": (mini, "//t:div", lambda el: sub(el, "<fileDesc/>")),
    "body twice": (mini, "//t:text", lambda el: sub(el, "<body><p>x</p></body>")),
    "front after body": (mini, "//t:text", lambda el: sub(el, "<front><p>x</p></front>")),
    "revisionDesc first": (mini, "//t:teiHeader", lambda el: el.insert(0, copy.deepcopy(el[-1]))),
    "titleStmt after publicationStmt": (mini, "//t:fileDesc", lambda el: el.insert(2, copy.deepcopy(el[0]))),
    "speaker after p": (mini, "//t:div", lambda el: sub(el, "<sp><p>x</p><speaker>A</speaker></sp>")),
    "head after item": (mini, "//t:div", lambda el: sub(el, "<list><item>x</item><head>h</head></list>")),
    "teiHeader in text": (mini, "//t:body", lambda el: sub(el, "<teiHeader/>")),
    "abstract element": (mini, "//t:p[@xml:id='p1']", lambda el: sub(el, "<model.phraseLike/>")),
    "undeclared TEI element": (mini, "//t:p[@xml:id='p1']", lambda el: sub(el, "<blink>x</blink>")),
    "undeclared TEI element in loose": (mini, "//t:div", lambda el: sub(el, "<opener><blink/></opener>")),
    # missing required children and attributes
    "no titleStmt": (mini, "//t:titleStmt", remove),
    "no fileDesc": (mini, "//t:fileDesc", remove),
    "no body": (mini, "//t:body", remove),
    "no text": (mini, "//t:text", remove),
    "empty sourceDesc": (mini, "//t:sourceDesc/t:p", remove),
    "choice of one": (mini, "//t:p[@xml:id='p1']", lambda el: sub(el, "<choice><sic>a</sic></choice>")),
    "milestone without unit": (mini, "//t:p[@xml:id='p1']", lambda el: sub(el, "<milestone/>")),
    "ptr without target": (mini, "//t:p[@xml:id='p1']", lambda el: sub(el, "<ptr/>")),
    "language without ident": (mini, "//t:teiHeader", lambda el: sub(
        el, "<profileDesc><langUsage><language>English</language></langUsage></profileDesc>", 1)),
    "empty langUsage": (mini, "//t:teiHeader", lambda el: sub(el, "<profileDesc><langUsage/></profileDesc>", 1)),
    # each assertion broken
    "respStmt without a name": (mini, "//t:respStmt/t:persName", remove),
    "respStmt without resp": (mini, "//t:respStmt/t:resp", remove),
    "sic without corr": (mini, "//t:p[@xml:id='p1']", lambda el: sub(
        el, "<choice><sic>a</sic><abbr>b</abbr></choice>")),
    "orig without reg": (mini, "//t:p[@xml:id='p1']", lambda el: sub(
        el, "<choice><orig>a</orig><seg>b</seg></choice>")),
    "person without persName": (persons, "//t:person/t:persName", remove),
    "place without placeName": (persons, "//t:place/t:placeName", remove),
    "org without orgName": (persons, "//t:body", lambda el: sub(el, "<listOrg><org><desc>x</desc></org></listOrg>")),
    # text where none is allowed
    "text in list": (mini, "//t:div", lambda el: sub(el, "<list>words<item>x</item></list>")),
    "text in fileDesc": (mini, "//t:fileDesc", lambda el: set_text(el, "words")),
    "text in teiHeader tail": (mini, "//t:fileDesc", lambda el: setattr(el, "tail", "words")),
    "text in pb": (mini, "//t:p[@xml:id='p1']", lambda el: sub(el, "<pb>3</pb>")),
    "text in TEI": (mini, "//t:text", lambda el: setattr(el, "tail", "x")),
    # other namespaces and schema instance attributes
    "foreign element in the header": (mini, "//t:fileDesc", lambda el: sub(el, "<x:meta/>", 0)),
    "foreign element holding broken TEI": (mini, "//t:p[@xml:id='p1']", lambda el: sub(
        el, "<x:box><p><blink/></p></x:box>")),
    "foreign element holding a broken date": (mini, "//t:p[@xml:id='p1']", lambda el: sub(
        el, "<x:box><date when='1999-02-30'/></x:box>")),
    "xsi:nil": (mini, "//t:p[@xml:id='p1']", lambda el: el.set(
        "{http://www.w3.org/2001/XMLSchema-instance}nil", "true")),
    "duplicate xml:id": (mini, "//t:p[@xml:id='p1']", lambda el: el.set(
        "{http://www.w3.org/XML/1998/namespace}id", "d1")),
    "foreign attribute on pb": (mini, "//t:p[@xml:id='p1']", lambda el: sub(el, "<pb x:n='1'/>")),
    "undeclared attribute on ptr": (mini, "//t:p[@xml:id='p1']", lambda el: sub(el, "<ptr target='#a' bogus='1'/>")),
}


@pytest.mark.parametrize("kind", FORMS)
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_document(compiled, kind, case):
    make, xpath, fn = BROKEN[case]
    base = make()
    assert all(check(compiled, kind, base))  # the unbroken one: both accept
    broken = edit(base, xpath, fn)
    fast, slow = check(compiled, kind, broken)
    if not slow:
        assert not fast


# Values for each kind of typed attribute, most of them wrong; what xmlschema rejects the fast path
# must reject (what it accepts, the fast path may or may not).
VALUES = ["", " ", "x y", "abc", "-1", "+1", "1.5", "1.2.3", "1e3", "0", "007", "true", "yes", "TRUE",
          "2021", "2021-02", "2021-02-28", "2020-02-29", "2021-02-29", "2021-02-30", "2021-04-31",
          "2021-13-01", "0000", "0000-01-01", "-0044", "99999", "2021-1-1", " 2021", "2021 ", "2021-02-28Z",
          "2021-02-28+14:00", "2021-02-28+15:00", "2021-02-28T24:00:00", "2021-02-28T23:59:60",
          "2021-02-28T12:00:00.5-01:30", "٢٠٢١", "１９９９", "#a", "#a#b", "a b #c", "http://a.b/c",
          "http://a:b/", "http://a:99999/", "http://[::1", "%zz", "%41", "ark:/12148/x", ":x", "a:b:c",
          "Ωmega", "é", "mü#x", "high", " high ", "HIGH", "low", "default", "preserve", "en", "en-GB",
          "de-1901", "english-language", "x-", "a b", "_x", "1x", "x.y-z", "x:y", "\u00a0", "a\u2003b"]


def typed_attributes(xsd):
    """(element name, attribute name) for one element of each typed attribute kind."""
    seen, out = set(), []
    for name, el in sorted(xsd.maps.elements.items()):
        if not name.startswith(T) or el.abstract or el.type.is_simple():
            continue
        for key, att in el.type.attributes.items():
            if key is None:
                continue
            kind = repr(att.type)
            if kind not in seen:
                seen.add(kind)
                out.append((name[len(T):], key))
    return out


@pytest.mark.parametrize("kind", FORMS)
def test_every_typed_attribute_with_wrong_values(compiled, kind):
    xsd, _fast = compiled[kind]
    pairs = typed_attributes(xsd)
    assert len(pairs) >= 12  # pointers, dates, certainty, booleans, decimals, languages …
    rejected = 0
    for element, attribute in pairs:
        needed = {"milestone": ' unit="x"', "ptr": ' target="#a"', "language": ' ident="en"',
                  "tagUsage": ' gi="p"', "namespace": ""}.get(element, "")
        if element in ("namespace",):
            continue  # needs tagUsage children; its name attribute is an anyURI as on others
        for value in VALUES:
            tree = mini()
            p = tree.getroot().find(f".//{T}p")
            el = etree.SubElement(p, T + element)
            for k, v in re.findall(r'(\w+)="([^"]*)"', needed):
                el.set(k, v)
            el.set(attribute, value)
            fast, slow = check(compiled, kind, tree)
            rejected += not slow
    assert rejected > 100


# -- random mutations ------------------------------------------------------------------

def mutate(tree, rnd: random.Random, names: list[str]):
    out = copy.deepcopy(tree)
    els = list(out.getroot().iter(T + "*"))
    el = rnd.choice(els[1:])
    what = rnd.randrange(6)
    if what == 0:  # move an element elsewhere
        target = rnd.choice([e for e in els if e is not el and el not in e.iterancestors()
                             and e not in el.iter()] or [out.getroot()])
        el.getparent().remove(el)
        target.insert(rnd.randrange(len(target) + 1), el)
    elif what == 1:
        el.getparent().remove(el)
    elif what == 2:
        el.addnext(copy.deepcopy(el))
    elif what == 3:
        el.text = (el.text or "") + "words"
    elif what == 4:
        el.tag = T + rnd.choice(names)
    else:
        el.set(rnd.choice(["when", "ref", "type", "n", "cert", "unit", "target", "ident", "quantity",
                           "{http://www.w3.org/XML/1998/namespace}id", "{http://www.w3.org/XML/1998/namespace}lang"]),
               rnd.choice(VALUES))
    return out


@pytest.mark.parametrize("kind", FORMS)
def test_random_mutations(shared, compiled, kind):
    xsd, _fast = compiled[kind]
    names = sorted(n[len(T):] for n, e in xsd.maps.elements.items() if n.startswith(T))
    bases = [mini(), persons()]
    letters = sorted((shared / "corpora" / "letters" / "schnitzler-briefe").glob("L0015*.xml"))[:2]
    bases += [etree.parse(str(p)) for p in letters]
    rnd = random.Random(12)
    counts = [0, 0]
    for base in bases:
        for _ in range(60):
            fast, slow = check(compiled, kind, mutate(base, rnd, names))
            counts[0] += fast
            counts[1] += not slow
    assert counts[0] > 10 and counts[1] > 30  # both verdicts occur


# -- datatypes -------------------------------------------------------------------------

@pytest.mark.parametrize("builtin", sorted(schema_fast.BUILTIN_PATTERNS))
def test_pattern_is_a_subset_of_the_type(builtin):
    """Random strings the fast path's pattern (run by libxml2) takes, xmlschema's type takes too."""
    import xmlschema

    pattern = schema_fast.BUILTIN_PATTERNS[builtin]
    xs = "{http://www.w3.org/2001/XMLSchema}"
    doc = etree.Element(xs + "schema")
    restriction = etree.SubElement(etree.SubElement(etree.SubElement(doc, xs + "element", name="v"),
                                                    xs + "simpleType"), xs + "restriction", base="xs:string")
    etree.SubElement(restriction, xs + "pattern", value=pattern)
    checker = etree.XMLSchema(doc)
    meta = xmlschema.XMLSchema11.meta_schema
    meta.build()
    xs_type = meta.types[builtin]
    rnd = random.Random(builtin)
    alphabet = "0123456789-+.:/#%?@!$&'()*+,;=_~TZaAbBfFeE xé٣|üßΩ[]"
    taken = 0
    samples = [''.join(rnd.choice(alphabet) for _ in range(rnd.randrange(12))) for _ in range(20000)]
    # dates and numbers in their shapes, with random digits (D) and signs (S)
    shapes = ["DDDD", "DDDD-DD", "DDDD-DD-DD", "DDDD-DD-DDTDD:DD:DD", "DDDD-DD-DDTDD:DD:DD.DD", "DDDDSDD:DD",
              "DDDD-DDSDD:DD", "DDDD-DD-DDZ", "DDDD-DD-DDTDD:DD:DDSDD:DD", "SDD.D", "DDDDD-DD-DD"]
    for _ in range(20000):
        shape = rnd.choice(shapes)
        samples.append("".join(rnd.choice("0123456789" if c == "D" else "+-" if c == "S" else c) if c in "DS"
                               else c for c in shape))
    # every character of the first planes alone and after a letter (names, digits of other scripts)
    for cp in range(0x80, 0x3100):
        if not 0xD800 <= cp <= 0xDFFF:
            samples += [chr(cp), "a" + chr(cp), "?" + chr(cp), "a#" + chr(cp)]
    samples += ["1600-02-29", "1700-02-29", "0400-02-29", "0100-02-29", "0004-02-29", "0000-02-29",
                "1864-02-29", "1865-02-29", "2024-02-29T12:00:00Z", "2023-02-29T12:00:00Z", "2020-02-29",
                "2021-02-29", "1900-02-29", "2000-02-29", "0001", "9999-12-31T23:59:59.999+14:00",
                "http://a:1/", "http://h/p#f", "urn:x", "http://h:1?a:b", "//h:1/x", "a?b:c", "a::b", "a:b?:c",
                "http://h/c?pid=a:1955:121::1134", "?:", "#:", "a:#:b", "http://u:p@h/?x", "http://[::1]/?a:b",
                "+0", "-0", "00", ".5", "5.", "true", "1"]
    for value in samples:
        el = etree.Element("v")
        el.text = value
        if checker.validate(el):
            taken += 1
            assert xs_type.is_valid(value), f"{value!r} matches the pattern for xs:{builtin} but is not one"
    assert taken > 0


# -- the diagnostics --------------------------------------------------------------------

def diagnostics(root, monkeypatch, fast: bool) -> list[str]:
    from teipress.commands.validate import validate_edition
    from teipress.edition import load
    from teipress.validation.diagnostics import Report

    monkeypatch.setenv("TEIPRESS_SCHEMA_FASTPATH", "1" if fast else "0")
    schema._fast.cache_clear()
    report = Report(base=root)
    validate_edition(load(root), report, jobs=1)
    schema._fast.cache_clear()
    return [str(d) for d in report.sorted()]


def test_the_same_diagnostics_with_and_without_the_fast_path(shared, tmp_path, monkeypatch, make_edition):
    import shutil

    root = tmp_path / "tei-tests"
    (root / "tei").mkdir(parents=True)
    for path in sorted((shared / "corpora" / "tei-tests").glob("*.xml")):
        shutil.copy(path, root / "tei" / path.name)
    (root / "edition.toml").write_text('id = "tei-tests"\ntitle = "tei-tests"\n', encoding="utf-8")
    with_fast = diagnostics(root, monkeypatch, True)
    assert len([d for d in with_fast if ": error: " in d]) == 19
    assert with_fast == diagnostics(root, monkeypatch, False)
    # and on broken copies of the mini edition, strict form (the project's own schema)
    for case in ("<blink>x</blink>", "<choice><sic>a</sic></choice>", "<ptr/>", "<pb>3</pb>",
                 '<date when="2021-02-30">x</date>', "<list>x<item/></list>"):
        edition = make_edition(doc=MINI_DOC.replace("wrote from", f"wrote {case} from"))
        with_fast = diagnostics(edition, monkeypatch, True)
        assert any(": error: " in d for d in with_fast), case
        assert with_fast == diagnostics(edition, monkeypatch, False), case


def structural_edits(tree):
    """Every child of every element deleted, doubled, and swapped with the next one."""
    root = tree.getroot()
    paths = [tree.getpath(el) for el in root.iter(T + "*") if len(el)]
    for path in paths:
        n = len(tree.xpath(path)[0])
        for i in range(n):
            for what in ("delete", "double", "swap"):
                out = copy.deepcopy(tree)
                parent = out.xpath(path)[0]
                child = parent[i]
                if not isinstance(child.tag, str):
                    continue
                if what == "delete":
                    parent.remove(child)
                elif what == "double":
                    child.addnext(copy.deepcopy(child))
                elif i + 1 < n:
                    parent.insert(i, parent[i + 1])  # the next one moves before
                else:
                    continue
                yield out


@pytest.mark.parametrize("kind", FORMS)
def test_every_child_deleted_doubled_and_swapped(compiled, kind):
    """The content models (header sequences, choices, lists, registers) one edit at a time."""
    verdicts = [check(compiled, kind, tree) for base in (mini(), persons()) for tree in structural_edits(base)]
    assert len(verdicts) > 80
    assert sum(fast for fast, _ in verdicts) > 20 and sum(not slow for _, slow in verdicts) > 10


def test_the_project_schema_has_a_fast_path_and_it_takes_the_default_edition(compiled, monkeypatch):
    monkeypatch.delenv("TEIPRESS_SCHEMA_FASTPATH", raising=False)
    schema._fast.cache_clear()
    for kind in FORMS:
        assert schema._fast(kind, SCHEMA, SCHEMA.stat().st_mtime) is not None
    monkeypatch.setenv("TEIPRESS_SCHEMA_FASTPATH", "0")
    schema._fast.cache_clear()
    assert schema._fast("xsd", SCHEMA, SCHEMA.stat().st_mtime) is None
    schema._fast.cache_clear()
    for path, tree in tei_files(REPO / "tei"):
        for kind in FORMS:
            assert check(compiled, kind, tree) == (True, True), (kind, path.name)


# -- the visitor's memo (FastSchema.decided) --------------------------------------

def fresh(compiled, kind):
    """The fast path of *kind* with an empty memo (a copy: the module's stays as it is)."""
    fast = copy.copy(compiled[kind][1])
    fast.decided = {}
    return fast


@pytest.mark.parametrize("kind", FORMS)
def test_the_memo_gives_the_verdicts_the_visitor_gives(compiled, kind, monkeypatch):
    """Warmed on the valid documents and on every edit before, the memo answers each edit as
    the visitor alone does (memo off), and never accepts what xmlschema refuses."""
    trees = [base for base in (mini(), persons())] + \
        [tree for base in (mini(), persons()) for tree in structural_edits(base)]
    warm = fresh(compiled, kind)
    with_memo = [warm.accepts(tree) for tree in trees]
    assert warm.decided and set(warm.decided.values()) == {True, False}  # refusals are kept too
    monkeypatch.setattr(schema_fast, "MEMO_SIZE", 0)
    cold = fresh(compiled, kind)
    without = [cold.accepts(tree) for tree in trees]
    assert not cold.decided
    assert with_memo == without
    xsd = compiled[kind][0]
    for tree, fast_ok in zip(trees, with_memo):
        assert xmlschema_accepts(xsd, tree) or not fast_ok


def test_a_sequence_the_memo_accepted_is_refused_in_another_order(compiled):
    """The memo is keyed by the element's name and its children's names in order: <text>'s
    front and body, remembered as valid, do not make body and front valid."""
    fast = fresh(compiled, "xsd")
    good = mini()
    text = good.getroot().find(T + "text")
    front = etree.SubElement(text, T + "front")
    etree.SubElement(etree.SubElement(front, T + "div"), T + "p").text = "Preface."
    text.insert(0, front)  # front, body
    assert xmlschema_accepts(compiled["xsd"][0], good) and fast.accepts(good)
    assert fast.decided[(T + "text", (T + "front", T + "body"))] is True
    swapped = copy.deepcopy(good)
    text = swapped.getroot().find(T + "text")
    text.append(text[0])  # body, front
    assert not xmlschema_accepts(compiled["xsd"][0], swapped)
    assert not fast.accepts(swapped)
    assert fast.decided[(T + "text", (T + "body", T + "front"))] is False


def test_the_memo_is_not_pickled(compiled):
    import pickle

    fast = fresh(compiled, "xsd")
    assert fast.accepts(mini()) and fast.decided
    again = pickle.loads(pickle.dumps(fast))
    assert again.decided == {} and again.accepts(mini())

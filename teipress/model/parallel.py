"""Parallel texts: an original and its translation, aligned unit by unit.

Editors align a translation with its original in one of three ways, and teipress reads each:

- ``corresp``: an element of one text points to its counterpart in the other
  (``<p corresp="original.xml#p3">``), in either direction;
- ``links``: ``<link target="original.xml#p3 translation.xml#p3"/>`` (in a ``linkGrp`` of either
  file);
- ``citation``: both texts share a citation structure: the references their
  ``refsDecl/citeStructure`` declares, else the ``@n`` of their divisions, verses, paragraphs,
  ``ab`` and numbered milestones (Perseus and Scaife texts: ``<l n="35">`` and
  ``<milestone unit="card" n="35"/>`` in the Latin and in the English).

Which documents are pairs is set in ``edition.toml`` (``[[parallel]]``) or found in the TEI: a
header that names its original (``sourceDesc//relatedItem[@type='original']/@target`` pointing to
another document of the edition), ``@corresp`` pointers from one document's text into another's,
or two CTS texts of the same work (``div type="edition"`` and ``div type="translation"`` with
``n="urn:cts:…"``).

Alignment points found in both texts are kept in the order of both (the longest run in the
same order: a point the translation moves elsewhere joins its neighbour's unit), then each
text is cut at its points: a *unit* is everything from one point to the next, so every word of
both texts is in exactly one unit and the units of the two texts match one to one.  A point
that opens its speech or division (only a speaker or heading before it) moves up to it, so the
speaker and heading go with the unit they introduce.  The cuts are behaviour models
(xslt/MODEL.md): the HTML and the PDF render them like any text.
"""
from __future__ import annotations

import copy
import re
from bisect import bisect_left
from dataclasses import dataclass, field

from lxml import etree

from ..edition import pointer_target
from ..validation import recall
from ..xmlparse import NS, XML_ID
from . import paths

MT = "{urn:teipress:model}"
TEI = "{%s}" % NS["tei"]
METHODS = ("corresp", "links", "citation")
# Elements cited by their @n, finest last; a division's n is a step of its children's references.
CITED = ("div", "div1", "div2", "div3", "div4", "div5", "div6", "div7", "lg", "p", "ab", "l", "seg")
DIVS = CITED[:8]
# What may stand before a text's first content without being content: a unit that begins
# with a speech's first verse takes its speaker, a division's first paragraph its heading.
PREAMBLE = {MT + "speaker", MT + "heading", MT + "page-break", MT + "anchor"}


class ParallelError(Exception):
    """A configured pair that cannot be aligned; the message is for the editor."""


@dataclass
class Unit:
    """One aligned unit: its reference, and the cut of each text (an ``m:text`` holding the
    unit's blocks; None when that text has nothing there)."""

    key: str  # the shared reference: '35', '1.2', or the id a pointer names
    original: etree._Element | None
    translation: etree._Element | None
    suffix: str = ""  # tells apart two units whose references read the same

    @property
    def anchor(self) -> str:
        """The unit's id on the parallel page and in the PDF (links: ``page.html#u-35``)."""
        return "u-" + (_safe(self.key) if self.key else "start") + self.suffix


@dataclass
class Pair:
    original: object  # teipress.model.edition_model.Document
    translation: object
    method: str
    units: list[Unit] = field(default_factory=list)

    @property
    def name(self) -> str:
        return paths.pair_name(self.translation.id, self.original.id)

    @property
    def path(self) -> str:
        """The parallel page (html/) of the pair."""
        return paths.PairPaths(self.name).page

    @property
    def pdf(self) -> str:
        """The facing-pages PDF, as the PDF stage writes it (build/)."""
        return paths.PairPaths(self.name).pdf

    @property
    def download(self) -> str:
        """The same PDF beside the pages (html/), as each document's own."""
        return paths.PairPaths(self.name).download


def _safe(key: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in key)


# -- the ids the behaviour model gives TEI elements (xslt/model/common.xsl, template "id") ----
def model_id(el: etree._Element, ordinals: dict | None = None) -> str:
    """The model's @id of TEI element *el*: its xml:id, else the nearest identified ancestor's
    followed by element names and ordinals among same-named siblings ('t.body1.div1.l3').
    *ordinals*: a dictionary kept from call to call over one tree (each parent's children
    numbered once, not each child's preceding siblings counted again: quadratic in a long
    poem's verses)."""
    own = el.get(XML_ID)
    if own:
        return own
    chain = [el]
    anc = el.getparent()
    while anc is not None and not (anc.get(XML_ID) and anc.tag != TEI + "TEI"):
        chain.append(anc)
        anc = anc.getparent()
    if anc is not None:
        prefix = anc.get(XML_ID)
    else:  # below the outermost <text>
        texts = [a for a in (el, *el.iterancestors()) if a.tag == TEI + "text"]
        if not texts:
            return ""
        chain = chain[:chain.index(texts[-1])]
        prefix = "t"
    steps = []
    for e in reversed(chain):
        if ordinals is None:
            n = 1 + sum(1 for s in e.itersiblings(preceding=True) if isinstance(s.tag, str)
                        and etree.QName(s).localname == etree.QName(e).localname)
        else:
            if e not in ordinals:
                counts: dict[str, int] = {}
                for s in (e.getparent() if e.getparent() is not None else [e]):
                    if isinstance(s.tag, str):
                        name = etree.QName(s).localname
                        counts[name] = ordinals[s] = counts.get(name, 0) + 1
            n = ordinals[e]
        steps.append(f"{etree.QName(e).localname}{n}")
    return ".".join([prefix, *steps])


def _texts(f) -> list[etree._Element]:
    return f.root.findall(".//tei:text", NS)


def _in_text(el: etree._Element) -> bool:
    return any(a.tag == TEI + "text" for a in el.iterancestors())


# -- alignment points: (original element, translation element, key) -------------------
def points_corresp(ed, orig, trans) -> list[tuple]:
    out = []
    for src, dst, flip in ((trans, orig, False), (orig, trans, True)):
        for el in src.file.root.iterfind(".//*[@corresp]"):
            if not _in_text(el):
                continue
            for tok in el.get("corresp").split():
                hit = _resolve(ed, src.file, tok)
                if hit and hit[0] is dst.file and hit[1] is not None and _in_text(hit[1]):
                    o, t = (el, hit[1]) if flip else (hit[1], el)
                    out.append((o, t, o.get(XML_ID) or t.get(XML_ID) or model_id(o), _is_div(o)))
                    break
    return out


def points_links(ed, orig, trans) -> list[tuple]:
    out = []
    for f in {orig.file.key: orig.file, trans.file.key: trans.file}.values():
        for link in f.root.iterfind(".//tei:link[@target]", NS):
            o = t = None
            for tok in link.get("target").split():
                hit = _resolve(ed, f, tok)
                if hit and hit[1] is not None:
                    if hit[0] is orig.file and o is None:
                        o = hit[1]
                    elif hit[0] is trans.file and t is None:
                        t = hit[1]
            if o is not None and t is not None:
                out.append((o, t, o.get(XML_ID) or model_id(o), _is_div(o)))
    return out


def _is_div(el) -> bool:
    return etree.QName(el).localname in DIVS


def references(f) -> dict[str, etree._Element]:
    """Reference → element for every cited element of a document (see CITED).  A division is
    cited by the @n of its divisions ('div:1.2'); a verse, paragraph or ab by its own @n when
    that is unique in the document (a play's verses are numbered through, as CTS cites them),
    else by its division's reference and its own ('l:1.2.35').  A CTS work's outer division
    (n="urn:cts:…") is the text itself and no step.  A numbered milestone (a section, a card, a
    page of another edition) is cited by its @unit and @n ('milestone:card 35') when no other
    milestone has them: it marks where a unit begins, inside a paragraph as well as between
    blocks."""
    def n_of(el) -> str:
        n = " ".join((el.get("n") or "").split())
        return "" if n.startswith("urn:") else n

    texts = [t for t in _texts(f) if not any(a.tag == TEI + "text" for a in t.iterancestors())]
    cited: list[tuple[etree._Element, str, str, str]] = []  # element, kind, @n, its divisions' path
    stones: dict[str, list] = {}
    for text in texts:
        for el in text.iter(*(TEI + n for n in CITED), TEI + "milestone"):
            n = n_of(el)
            if not n or any(a.tag == TEI + "note" for a in el.iterancestors()):
                continue
            local = etree.QName(el).localname
            if local == "milestone":
                stones.setdefault(" ".join(f"{el.get('unit') or ''} {n}".split()), []).append(el)
                continue
            path = ".".join(p for a in reversed(list(el.iterancestors()))
                            if etree.QName(a).localname in DIVS and (p := n_of(a)))
            cited.append((el, "div" if local in DIVS else local, n, path))
    counts: dict[tuple[str, str], int] = {}
    for _, kind, n, _ in cited:
        counts[(kind, n)] = counts.get((kind, n), 0) + 1
    refs: dict[str, etree._Element] = {}
    for el, kind, n, path in cited:
        if kind == "div" or counts[(kind, n)] > 1:
            n = f"{path}.{n}" if path else n
        refs.setdefault(f"{kind}:{n}", el)
    for label, els in stones.items():
        if len(els) == 1:
            refs[f"milestone:{label}"] = els[0]
    return refs


# -- refsDecl/citeStructure (TEI P5 4.x): a document's own declaration of how it is cited ------
_NAME = re.compile(r"[A-Za-z_][\w.-]*")
_NAME_BEFORE = ("", "/", "[", "(", "|", ",", ":", "=", "<", ">", "!", "and", "or")


def tei_xpath(expr: str) -> str:
    """*expr* with its element names in the TEI namespace (prefix tei:): citeStructure's XPath
    names TEI elements without a prefix.  A name is an element name where a step can stand
    (after '/', '[', '(', '|', an operator or at the start), not before '(' (a function) or
    '::' (an axis), and not after '@' or '$'."""
    out, i = [], 0
    for m in _NAME.finditer(expr):
        start, end = m.span()
        before = expr[:start].rstrip()
        prev_word = re.search(r"(\w+)$", before)
        prev = prev_word.group(1) if prev_word and prev_word.group(1) in ("and", "or") else before[-1:]
        after = expr[end:].lstrip()
        if (prev in _NAME_BEFORE and not expr[:start].endswith(("@", "$", "tei:"))
                and not after.startswith(("(", ":")) and not (before.endswith(":") and not before.endswith("::"))):
            out.append(expr[i:start] + "tei:" + m.group())
        else:
            out.append(expr[i:end])
        i = end
    return "".join(out) + expr[i:]


def cite_structure(f) -> dict[str, tuple] | None:
    """Reference → (element, depth) by the document's refsDecl/citeStructure, or None when it
    declares none (or one teipress cannot evaluate: then the @n rule stands)."""
    top = f.root.findall(".//tei:encodingDesc/tei:refsDecl/tei:citeStructure", NS)
    if not top:
        return None
    refs: dict[str, tuple] = {}

    def walk(cs, context, prefix: str, depth: int, absolute: bool) -> None:
        match, use = cs.get("match") or "", cs.get("use") or ""
        nodes = context.xpath(tei_xpath(match), namespaces=NS) if match else []
        for pos, node in enumerate(n for n in nodes if isinstance(n, etree._Element)):
            if use.strip() == "position()":
                value = str(pos + 1)
            else:
                got = node.xpath(f"string({tei_xpath(use)})", namespaces=NS)
                value = " ".join(str(got).split())
            if not value:
                continue
            ref = f"{prefix}{cs.get('delim') or ('.' if prefix else '')}{value}" if prefix else value
            refs.setdefault(ref, (node, depth))
            for child in cs.findall("tei:citeStructure", NS):
                walk(child, node, ref, depth + 1, False)

    try:
        for cs in top:
            walk(cs, f.root, "", 0, True)
    except (etree.XPathError, etree.XPathEvalError):
        return None
    return refs


def points_citation(orig, trans) -> list[tuple]:
    """Points where both texts have the same reference: by their citeStructure when both
    declare one, else by the @n of their divisions, verses, paragraphs (references())."""
    ca, cb = cite_structure(orig.file), cite_structure(trans.file)
    if ca is not None and cb is not None:
        deepest = max([d for _, d in ca.values()] + [0])
        return [(el, cb[k][0], k, deepest - depth) for k, (el, depth) in ca.items() if k in cb]
    a, b = references(orig.file), references(trans.file)
    # where points meet, a verse names the unit before its division, a division before a milestone
    rank = {"div": 1, "milestone": 2}
    return [(el, b[k], k.split(":", 1)[1], rank.get(k.split(":", 1)[0], 0)) for k, el in a.items() if k in b]


def _resolve(ed, f, tok):
    try:
        return ed.resolve(f, tok)
    except ValueError:
        return None


# -- finding pairs ------------------------------------------------------------------------
def _cts_work(f) -> tuple[str, str] | None:
    """('urn:cts:latinLit:phi0119.phi004', 'edition'|'translation') of a CTS text, else None."""
    for div in f.root.iterfind(".//tei:body/tei:div[@n]", NS):
        n, kind = div.get("n").strip(), div.get("type")
        if n.startswith("urn:cts:") and kind in ("edition", "translation") and n.count(".") >= 2:
            return n.rsplit(".", 1)[0], kind
    return None


def _may_point(ed, doc, local: str | None, attr: str) -> bool:
    """Whether the document's file has a pointer in *attr* (of element *local*) into another
    file of the edition, by its facts: a document without one needs no parse here (an edition
    of thousands of letters)."""
    for a, tok, el in recall.pointers_out(doc.file):  # (an unchanged file's from the memo: no facts read)
        if a == attr and (local is None or el == local):
            try:
                rel = pointer_target(doc.file.rel, tok)[0]
            except ValueError:
                continue
            if rel != doc.file.rel and ed.file(rel) is not None:
                return True
    return False


def _may_be_cts(doc) -> bool:
    """Whether the document's text has a div typed edition or translation (_cts_work), by its facts."""
    types = recall.div_types(doc.file)
    kinds = types[doc.file.n - 1 if doc.file.container is not None else 0] if types else ()
    return "edition" in kinds or "translation" in kinds


FOUND = "parallel-pairs"


def found_pairs_kept(ed, docs, cache) -> list[tuple[object, object, str]]:
    """found_pairs, where whether each document may declare a pair at all (_may_point,
    _may_be_cts: read from its facts) is kept in *cache* under its file's bytes, for the same
    set of files (a pointer counts only into a file of the edition): after one letter changed
    only that letter's facts are looked through, and only the few documents that may declare
    a pair are read further."""
    files = [(f.rel, f.n, f.kind) for f in ed.files]
    if cache is None or not all(d.file.digest for d in docs):
        return found_pairs(ed, docs)
    from ..commands import cache as cache_mod

    slot = cache_mod.digest(FOUND, cache_mod.tool_fingerprint(), files)
    got = cache.get_object(FOUND, slot)
    old = got if isinstance(got, dict) else {}
    new = {}

    def may(d) -> tuple[bool, bool, bool]:
        key = (d.file.rel, d.file.n, d.file.container is not None, d.file.digest)
        seen = old.get(key)
        if not (isinstance(seen, tuple) and len(seen) == 3 and all(isinstance(b, bool) for b in seen)):
            seen = (_may_point(ed, d, "relatedItem", "target"), _may_point(ed, d, None, "corresp"), _may_be_cts(d))
        new[key] = seen
        return seen

    found = found_pairs(ed, docs, may)
    if new != old:
        cache.put_object(FOUND, slot, new)
    else:
        cache.keep(FOUND, slot)
    return found


def found_pairs(ed, docs, may=None) -> list[tuple[object, object, str]]:
    """(original, translation, method) for the pairs the TEI declares; *may(doc)*: whether it
    may point to its original, may point by @corresp, may be a CTS text (found_pairs_kept),
    else read off its facts here."""
    if may is None:
        def may(d):
            return _may_point(ed, d, "relatedItem", "target"), _may_point(ed, d, None, "corresp"), _may_be_cts(d)
    maybe = [(d, *may(d)) for d in docs]
    by_file = {d.file.key: d for d in docs}
    out: list[tuple] = []
    seen: set[tuple[str, str]] = set()

    def add(o, t, method):
        if o is not t and (o.id, t.id) not in seen and (t.id, o.id) not in seen:
            seen.add((o.id, t.id))
            out.append((o, t, method))

    for d, related, _corresp, _cts in maybe:  # a header that names its original
        if not related:
            continue
        for item in d.file.root.iterfind(".//tei:sourceDesc//tei:relatedItem[@type='original'][@target]", NS):
            for tok in item.get("target").split():
                hit = _resolve(ed, d.file, tok)
                if hit and hit[0].key in by_file and hit[0] is not d.file:
                    o = by_file[hit[0].key]
                    add(o, d, _method(ed, o, d))
    for d, _related, corresp, _cts in maybe:  # @corresp from one document's text into another's: the pointing one translates
        if not corresp:
            continue
        for el in d.file.root.iterfind(".//tei:text//*[@corresp]", NS):
            hit = next((h for tok in el.get("corresp").split() if (h := _resolve(ed, d.file, tok))), None)
            if hit and hit[0].key in by_file and hit[0] is not d.file and hit[1] is not None and _in_text(hit[1]):
                add(by_file[hit[0].key], d, "corresp")
                break
    works: dict[str, dict[str, object]] = {}
    for d, _related, _corresp, cts in maybe:
        w = _cts_work(d.file) if cts else None
        if w:
            works.setdefault(w[0], {}).setdefault(w[1], d)
    for kinds in works.values():
        if "edition" in kinds and "translation" in kinds:
            add(kinds["edition"], kinds["translation"], "citation")
    return out


def _method(ed, orig, trans) -> str:
    """The first way of aligning that finds points in the pair."""
    if points_corresp(ed, orig, trans):
        return "corresp"
    if points_links(ed, orig, trans):
        return "links"
    return "citation"


def configured(value, docs) -> list[tuple[str, str, str]] | None:
    """edition.toml `parallel`: None (find pairs in the TEI), [] (false: none), or
    (original id, translation id, method or '') for each table."""
    if value is None or value is True:
        return None
    if value is False:
        return []
    tables = [value] if isinstance(value, dict) else value
    ids = {d.id for d in docs}
    out = []
    for t in tables:
        for role in ("original", "translation"):
            if t[role] not in ids:
                raise ParallelError(f"edition.toml: parallel {role} = {t[role]!r}, but the edition has no "
                                    f"such document; its documents are: {', '.join(sorted(ids))}")
        out.append((t["original"], t["translation"], t.get("align", "")))
    return out


# -- cutting the texts --------------------------------------------------------------------
def _lift(el: etree._Element, root: etree._Element) -> etree._Element:
    """The element a unit starting at *el* starts with: its speech or division when only a
    speaker, heading or page break stands before it there."""
    while True:
        parent = el.getparent()
        if parent is None or parent is root or (parent.text or "").strip():
            return el
        before = list(el.itersiblings(preceding=True))
        if any(s.tag not in PREAMBLE and not _is_milestone(s) for s in before if isinstance(s.tag, str)) or \
                any((s.tail or "").strip() for s in before):
            return el
        el = parent


def _is_milestone(el) -> bool:
    return el.tag == MT + "inline" and el.get("style") == "milestone"


def _increasing(seq: list[int]) -> list[int]:
    """Indices of a longest strictly increasing subsequence of *seq* (patience sorting)."""
    tails, tail_idx, prev = [], [], [-1] * len(seq)
    for i, v in enumerate(seq):
        j = bisect_left(tails, v)
        if j == len(tails):
            tails.append(v)
            tail_idx.append(i)
        else:
            tails[j], tail_idx[j] = v, i
        prev[i] = tail_idx[j - 1] if j else -1
    out, i = [], tail_idx[-1] if tail_idx else -1
    while i >= 0:
        out.append(i)
        i = prev[i]
    return out[::-1]


class _Cutter:
    """Cuts one model text into the ranges between unit starts, in document order."""

    def __init__(self, tree: etree._ElementTree):
        self.text = tree.getroot().find(MT + "text")
        self.pre: dict = {}
        self.last: dict = {}
        self.by_id: dict = {}
        self.parts: dict = {}  # element → how many units it has run into
        self.milestones: dict = {}  # (unit, n) → the model's milestone (xslt/model/core.xsl: text "unit n")
        self.ordinals: dict = {}  # TEI element → its ordinal among same-named siblings (model_id)
        if self.text is not None:
            self._number(self.text, 0)
            # words[i]: how many positions before i hold words (an element's text, or a tail,
            # which _slice gives to the range of the element it follows), so that whether a
            # range holds any text is one subtraction.
            has = [0] * (len(self.pre) + 1)
            for el, i in self.pre.items():
                if isinstance(el.tag, str) and ((el.text or "").strip() or el.tag == MT + "graphic"):
                    has[i] = 1
                if (el.tail or "").strip() and el is not self.text:
                    has[self.last[el]] = 1
            self.words = [0]
            for h in has:
                self.words.append(self.words[-1] + h)
            for el in self.text.iter():
                if isinstance(el.tag, str) and el.get("id"):
                    self.by_id.setdefault(el.get("id"), el)
            for el in self.text.iter(MT + "inline"):
                if _is_milestone(el):
                    unit = el.get("unit") or ""
                    shown = " ".join(unit.replace("_", " ").split())
                    label = " ".join("".join(el.itertext()).split())
                    n = label[len(shown):].strip() if shown and label.startswith(shown) else label
                    key = (unit, n)
                    self.milestones[key] = None if key in self.milestones else el  # repeated: none

    def _number(self, el, i: int) -> int:
        self.pre[el] = i
        i += 1
        for c in el:
            i = self._number(c, i)
        self.last[el] = i - 1
        return i

    def start(self, tei_el) -> etree._Element | None:
        if tei_el.tag == TEI + "milestone":  # the model gives a milestone no id: its unit and number
            el = self.milestones.get((tei_el.get("unit") or "", " ".join((tei_el.get("n") or "").split())))
        else:
            el = self.by_id.get(model_id(tei_el, self.ordinals))
        if el is None or any(a.tag == MT + "note" for a in el.iterancestors()):
            return None
        return _lift(el, self.text)

    def holds_text(self, a: int, b: int) -> bool:
        return self.words[min(b, len(self.words) - 1)] - self.words[a] > 0

    def cut(self, a: int, b: int) -> etree._Element | None:
        """The blocks of the text from preorder position *a* up to *b* (exclusive), with the
        elements around them that begin earlier as shells without ids; None if it holds no text."""
        out = self._slice(self.text, a, b)
        if out is None or not "".join(out.itertext()).strip() and out.find(".//" + MT + "graphic") is None:
            return None
        return out

    def _slice(self, node, a: int, b: int):
        p, q = self.pre[node], self.last[node]
        if q < a or p >= b:
            return None
        if p >= a and q < b:
            return copy.deepcopy(node)
        # An element begun in an earlier unit continues here as a shell: its language and look,
        # not its standing as a division (no heading); its id is the earlier unit's, so the
        # shell's is that id and its part ('sp3.part2'), the same in every build.
        attrs = {k: v for k, v in node.attrib.items() if not (p < a and k == "division")}
        if p < a and node.get("id"):
            self.parts[node] = self.parts.get(node, 1) + 1
            attrs["id"] = f"{node.get('id')}.part{self.parts[node]}"
        shell = etree.Element(node.tag, attrs, nsmap=node.nsmap)
        if p >= a:
            shell.text = node.text
        for child in node:
            if not isinstance(child.tag, str):
                continue
            part = self._slice(child, a, b)
            if part is not None:
                part.tail = child.tail if a <= self.last[child] < b else None
                shell.append(part)
        return shell


def align(ed, orig, trans, method: str) -> list[Unit]:
    """The units of a pair, aligned by *method* (one of METHODS)."""
    if method == "corresp":
        pts = points_corresp(ed, orig, trans)
    elif method == "links":
        pts = points_links(ed, orig, trans)
    else:
        pts = points_citation(orig, trans)
    co, ct = _Cutter(orig.model), _Cutter(trans.model)
    if co.text is None or ct.text is None:
        return []
    starts = []
    for o, t, key, *rank in pts:
        so, st = co.start(o), ct.start(t)
        if so is not None and st is not None:
            starts.append((co.pre[so], ct.pre[st], int(rank[0]) if rank else 0, key))
    # One point per start (the finest reference where several meet: a verse's number rather
    # than its scene's, where a scene opens with it); keep the points both texts have in the
    # same order.
    starts.sort(key=lambda s: s[:3])
    unique, seen_o, seen_t = [], set(), set()
    for s in starts:
        if s[0] not in seen_o and s[1] not in seen_t:
            seen_o.add(s[0])
            seen_t.add(s[1])
            unique.append((s[0], s[1], s[3]))
    keep = [unique[i] for i in _increasing([s[1] for s in unique])]
    bounds = [(0, 0, "")] + keep + [(len(co.pre), len(ct.pre), None)]
    # A point whose unit would be empty in one text (a verse the translation leaves empty,
    # having rendered it with the one before) is no point: its unit joins the one before.
    i = 1
    while i < len(bounds) - 1:
        (ao, at, _), (bo, bt, _) = bounds[i], bounds[i + 1]
        if co.holds_text(ao, bo) and ct.holds_text(at, bt):
            i += 1
        else:
            del bounds[i]
    units, anchors = [], set()
    for (ao, at, key), (bo, bt, _) in zip(bounds, bounds[1:]):
        uo, ut = co.cut(ao, bo), ct.cut(at, bt)
        if key == "" and uo is None and ut is None:
            continue  # nothing before the first point
        unit = Unit(key, uo, ut)
        n = 1
        while unit.anchor in anchors:  # a division and a verse may share a number ('1')
            n += 1
            unit.suffix = f"-{n}"
        anchors.add(unit.anchor)
        units.append(unit)
    return units


def pairs(em, cache=None) -> list[Pair]:
    """The edition's parallel texts (cached on the model: the HTML and the PDF read them).
    *cache*: an incremental build's, which keeps whether each document may declare a pair under
    its file's bytes (found_pairs_kept): only changed files are looked through again."""
    cached = getattr(em, "_parallel_pairs", None)
    if cached is not None:
        return cached
    docs = em.documents
    by_id = {d.id: d for d in docs}
    chosen = configured(em.edition.config.get("parallel"), docs)
    if chosen is None:
        triples = found_pairs_kept(em.edition, docs, cache)
    else:
        triples = [(by_id[o], by_id[t], m or _method(em.edition, by_id[o], by_id[t])) for o, t, m in chosen]
    out = []
    for o, t, method in triples:
        out.append(Pair(o, t, method, align(em.edition, o, t, method)))
    em._parallel_pairs = out
    return out

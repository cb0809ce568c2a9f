"""Elements nested deeper than Typst can typeset, made shallower for the PDF.

Typst stops at a fixed depth of nested function calls (80), and the template walks the
behaviour model recursively: each level of the model costs it two calls (body.typ's walk and
the element's behaviour), so a model nested about 35 deep is as far as the PDF goes.  Valid TEI
can nest deeper (phrases in phrases, divisions in divisions, lists in notes in lists).  Below
MAX_DEPTH the model Typst reads is therefore flattened, the way a word processor stores
formatted text: as runs.  Every word is kept; a phrase becomes runs of text that each carry
the looks (italic, bold …) of all the phrases around it, so nested formatting survives as
combined formatting; a structure (a division, a list, a note) is dissolved into its words, a
note's in parentheses as a note inside a note prints.  Ordinary documents are far from the
limit and are handed over untouched (the same object, not a copy).

Only the PDF's copy of the model is changed: the HTML edition shows the nesting as it is.
"""
from __future__ import annotations

import copy

from lxml import etree

from ..model import MODEL_NS

MT = "{%s}" % MODEL_NS

# Model levels typeset as they are.  Below them at most four more (a choice, its reading, a run,
# an element of plain words in it), which leaves room under Typst's 80 calls for the template's
# own calls around the text and for the behaviours that spend a third call on a level (a
# letter's closer …).
MAX_DEPTH = 28

# Phrases: their runs keep the element (its behaviour, attributes) with the looks combined.
PHRASES = {MT + t for t in ("inline", "name", "date", "foreign", "link")}
# Structures set off in parentheses when dissolved (as the PDF prints a note inside a note).
PARENTHESISED = {MT + "note"}
# Behaviours that typeset only some of their children (by kind): never a flattened run's parent.
SELECTIVE = {MT + t for t in ("list", "table", "row", "alternate", "app", "figure", "speech")}
# Choices of readings: kept, their readings flattened (once: a choice inside is dissolved).
CHOICES = {MT + "alternate", MT + "app"}
IDENTITY = ("id", "ref")  # one place in the text: kept on an element's first run only


def too_deep(root) -> list:
    """The elements at MAX_DEPTH below *root* with more than one level of elements inside."""
    if root.find("/".join(["*"] * (MAX_DEPTH + 2))) is None:
        return []
    return [el for el in root.iterfind("/".join(["*"] * MAX_DEPTH)) if el.find("*/*") is not None]


def shallow(root):
    """*root* itself when Typst can typeset it; else a copy whose elements below MAX_DEPTH are
    flattened into runs, and the number of elements dissolved or split into runs."""
    if not too_deep(root):
        return root, 0
    root = copy.deepcopy(root)
    changed = 0
    for top in too_deep(root):
        changed += flatten_within(top)
    return root, changed


def flatten_within(top) -> int:
    """Flatten *top*, or, where its behaviour typesets only children of some kinds (a list
    its items, a table its rows …), each of those children."""
    if top.tag not in SELECTIVE:
        return flatten(top)
    return sum(flatten_within(c) for c in top if c.find("*/*") is not None)


def flatten(top) -> int:
    """Replace what *top* holds by runs: its words and its childless elements, one level deep."""
    items: list = []
    counted = [0]
    if top.text:
        items.append(top.text)
    for child in top:
        dissolve(child, (), items, counted)
        if child.tail:
            items.append(child.tail)
    fill(top, items)
    return counted[0]


def fill(el, items: list) -> None:
    """Make *items* (strings and elements, in order) the content of *el*."""
    for child in list(el):
        el.remove(child)
    el.text = None
    last = None
    for item in items:
        if isinstance(item, str):
            if last is None:
                el.text = (el.text or "") + item
            else:
                last.tail = (last.tail or "") + item
        else:
            el.append(item)
            last = item


def dissolve(el, looks: tuple, items: list, counted: list, choices: bool = True) -> None:
    """Append *el*'s runs to *items*; *looks*: those of the phrases around it (outermost first).
    A choice of readings (the first met, *choices*) keeps its readings, each one flattened:
    dissolved, the text would print the source's error beside its correction."""
    if el.find("*") is None or (el.tag not in PHRASES and el.find("*/*") is None):
        # nothing inside to flatten (a page break, a phrase of words, a choice of plain readings)
        whole = copy_whole(el)
        if looks and el.tag in PHRASES:
            with_looks(whole, looks)
        elif looks:  # a choice inside italics: in a run of the phrases' looks
            run = plain_run("", looks)
            run.append(whole)
            whole = run
        items.append(whole)
        return
    counted[0] += 1
    if el.tag in CHOICES and choices:
        kept = shell(el, keep=True)
        kept.text = el.text
        for reading in el:
            part = shell(reading, keep=True)
            runs = [plain_run(reading.text, looks)] if reading.text else []
            for c in reading:
                dissolve(c, looks, runs, counted, choices=False)
                if c.tail:
                    runs.append(plain_run(c.tail, looks))
            fill(part, runs)
            part.tail = reading.tail
            kept.append(part)
        items.append(kept)
        return
    if el.tag in PHRASES:
        own = looks + tuple(el.get("looks", "").split())
        first = [True]

        def run(text):
            r = with_looks(shell(el, keep=first[0]), own)
            first[0] = False
            r.text = text
            items.append(r)
        if el.text:
            run(el.text)
        for c in el:
            dissolve(c, own, items, counted, choices)
            if c.tail:
                run(c.tail)
        return
    # a structure: its words in the flow of the phrases around it
    paren = el.tag in PARENTHESISED

    def words(text):
        items.append(plain_run(text, looks))
    words(" (" if paren else " ")
    if el.text:
        words(el.text)
    for c in el:
        dissolve(c, looks, items, counted, choices)
        if c.tail:
            words(c.tail)
    words(") " if paren else " ")


def shell(el, keep: bool):
    """*el* without its content; without its id and references unless *keep*."""
    s = etree.Element(el.tag, nsmap=None)
    for k, v in el.attrib.items():
        if keep or k not in IDENTITY:
            s.set(k, v)
    return s


def copy_whole(el):
    c = copy.deepcopy(el)
    c.tail = None
    return c


def with_looks(el, looks: tuple):
    """*el* with *looks* combined with its own (each look once, the outer ones first)."""
    merged = []
    for look in looks + tuple(el.get("looks", "").split()):
        if look not in merged:
            merged.append(look)
    if merged:
        el.set("looks", " ".join(merged))
    return el


def plain_run(text: str, looks: tuple):
    """Words of a dissolved structure: a string, or a run with the looks of the phrases around."""
    if not looks:
        return text
    r = with_looks(etree.Element(MT + "inline"), looks)
    r.text = text or None
    return r


def first_deep(tei_root):
    """The TEI element nearest to where the model is flattened: the first one MAX_DEPTH deep
    (the model nests about as the TEI does), else the root."""
    el = tei_root.find("/".join(["*"] * MAX_DEPTH))
    return el if el is not None else tei_root

"""A document too long for one Typst run, printed as volumes.

Typst holds a whole document in memory while it typesets it: ten times a 450-page book needed
5 GB.  One PDF/UA-tagged file cannot be joined from several Typst runs without losing its
structure tree, so a long document becomes volumes, each its own PDF typeset in its own run
(teipress.outputs.volumes).  The cut falls only between the top-level divisions of the body,
never inside a division; the front goes with volume 1, the back with the last volume.  The
size of a volume is counted in characters of text (edition.toml ``[pdf] volume_characters``):
a measure known before typesetting, about 2,500 characters to a printed page.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree

from . import M, MODEL_NS

MT = "{%s}" % MODEL_NS
# About 1,000 pages a volume, which Typst typesets in about 1.2 GB; the 1.3 MB benchmark book
# (1.1 million characters of text, 457 pages) stays one file.
DEFAULT_CHARACTERS = 2_500_000
# Element children of the body that travel with the division after them: a source page break
# or an anchor before a division opens it (body.typ hands it to the division's first block).
LEADING = (MT + "page-break", MT + "anchor", MT + "metadata")


@dataclass(frozen=True)
class Volume:
    n: int
    of: int
    start: int  # the body's element children start:end go into this volume
    end: int


def characters_per_volume(config) -> int:
    """The edition's [pdf] volume_characters (0: never split), else DEFAULT_CHARACTERS."""
    table = config.get("pdf") or {}
    value = table.get("volume_characters", DEFAULT_CHARACTERS)
    return int(value)


def _size(el) -> int:
    return sum(len(t) for t in el.itertext())


def _body(root):
    """The text's one body container, or None (a text of groups is never split)."""
    text = root.find("m:text", M)
    if text is None:
        return None
    bodies = [c for c in text if c.tag == MT + "block" and c.get("tei") == "body"]
    if len(bodies) != 1 or bodies[0].find(".//m:block[@tei='group']", M) is not None:
        return None
    return bodies[0]


def plan(root, limit: int) -> list[Volume]:
    """The volumes of a behaviour model: one (the whole document) unless its text is longer
    than *limit* characters and its body has top-level divisions to cut between."""
    body = _body(root)
    whole = [Volume(1, 1, 0, len(body) if body is not None else 0)]
    if limit <= 0 or body is None or _size(root.find("m:text", M)) <= limit:
        return whole
    kids = list(body)  # lxml: element children (comments are none in a model)
    # where a volume may start: at a division, together with the page breaks just before it
    starts = []
    for i, c in enumerate(kids):
        if c.get("division") == "true" and i > 0:
            j = i
            while j > 0 and kids[j - 1].tag in LEADING:
                j -= 1
            if j > 0 and (not starts or starts[-1] < j):
                starts.append(j)
    units = [(a, b) for a, b in zip([0] + starts, starts + [len(kids)])]
    parts = list(root.find("m:text", M))
    front = sum(_size(c) for c in parts[:parts.index(body)])  # the front goes into volume 1
    ranges: list[list[int]] = []
    filled = front
    for a, b in units:
        size = sum(_size(k) for k in kids[a:b])
        if ranges and filled + size > limit:
            ranges.append([a, b])
            filled = size
        elif ranges:
            ranges[-1][1] = b
            filled += size
        else:
            ranges.append([a, b])
            filled += size
    if len(ranges) < 2:
        return whole
    return [Volume(i + 1, len(ranges), a, b) for i, (a, b) in enumerate(ranges)]


def volume_model(root, volume: Volume):
    """The behaviour model of one volume: the document's metadata, the front (volume 1), the
    volume's top-level divisions of the body, the back (the last volume)."""
    body = _body(root)
    if volume.of == 1 or body is None:
        return root
    new = etree.Element(root.tag, dict(root.attrib), nsmap=root.nsmap)
    new.text = root.text
    text = root.find("m:text", M)
    for child in root:
        if child is not text:
            new.append(copy.deepcopy(child))
            continue
        t = etree.SubElement(new, text.tag, dict(text.attrib))
        t.text, t.tail = text.text, text.tail
        before = True
        for c in text:
            if c is body:
                before = False
                b = etree.SubElement(t, body.tag, dict(body.attrib))
                b.text, b.tail = body.text, body.tail
                for k in list(body)[volume.start:volume.end]:
                    b.append(copy.deepcopy(k))
            elif (before and volume.n == 1) or (not before and volume.n == volume.of):
                t.append(copy.deepcopy(c))
    return new

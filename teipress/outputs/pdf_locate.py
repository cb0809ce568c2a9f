"""Where in the TEI a PDF failed: the element Typst was typesetting when it gave up.

Typst's errors point into the template (teipress/typst/*.typ), which means nothing to an
editor, and the behaviour model Typst reads carries no TEI line numbers.  So the failure is
found again: the document is cut just before its k-th element of <text> (that element and
everything after it in document order left out), modelled and typeset again, and the smallest
k whose beginning fails with the same message names the element that broke: the last one that
beginning opens.  A bisection, so about log2(elements) typesettings, and only for a document
that already failed.  Each beginning is modelled and prepared as the whole document is
(behaviour model, data, template), so what Typst reads is what the build gives it; a failure
that does not come back the same way (outside the text, or only with the whole text) names
no element, and the file alone is reported.
"""
from __future__ import annotations

import copy
import dataclasses
import re
import tempfile
from pathlib import Path

from lxml import etree

from ..commands.build import BuildContext, BuildError
from ..model import images, paths
from ..model.behaviour import M, Names, behaviour
from ..xmlparse import NS

TEI_TEXT = "{%s}text" % NS["tei"]


def locate(ctx: BuildContext, doc, message: str, typeset) -> tuple[int, int] | None:
    """(line, column) in *doc*'s TEI file of the element being typeset when Typst failed
    with *message*, or None when the failure is not in the text.  typeset(ctx, doc, workdir)
    prepares and typesets a document, raising BuildError with Typst's message (pdf.py)."""
    text = doc.file.root.find(TEI_TEXT)
    if text is None:
        return None
    elements = [el for el in text.iter() if isinstance(el.tag, str) and el is not text]
    if not elements:
        return None
    names = Names.of(ctx.edition)
    quiet = dataclasses.replace(ctx, log=lambda m: None)  # warnings were said by the full build

    def fails(k: int) -> bool:
        return _fails(quiet, doc, beginning(doc.file.root, k), names, message, typeset)

    lo, hi = 0, len(elements)  # beginning(lo) typesets; beginning(hi), the whole text, fails
    if fails(lo) or not fails(hi):
        return None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fails(mid):
            hi = mid
        else:
            lo = mid
    return position(doc.file, elements[hi - 1])


def beginning(root: etree._Element, k: int) -> etree._Element:
    """A copy of the TEI document *root* whose <text> stops just before its k-th element
    (0: an empty text; the number of elements: the whole text)."""
    root = copy.deepcopy(root)
    text = root.find(TEI_TEXT)
    elements = [el for el in text.iter() if isinstance(el.tag, str) and el is not text]
    if k >= len(elements):
        return root
    cut = elements[k]
    el = cut
    while el is not text:  # everything after the cut, at every level up to <text>
        parent = el.getparent()
        for later in list(el.itersiblings()):
            parent.remove(later)
        if el is not cut:
            el.tail = None
        el = parent
    cut.getparent().remove(cut)  # with its tail: the text after it
    return root


def _fails(ctx: BuildContext, doc, root: etree._Element, names, message: str, typeset) -> bool:
    part = doc.file.with_tree(etree.ElementTree(root))
    part_doc = dataclasses.replace(doc, file=part, model=model(ctx, part, names))
    with tempfile.TemporaryDirectory(prefix="teipress-locate-", dir=ctx.scratch) as tmp:
        work = Path(tmp) / "root"
        work.mkdir()
        try:
            typeset(ctx, part_doc, work)
        except BuildError as exc:
            return str(exc) == message
    return False


def model(ctx: BuildContext, f, names) -> etree._ElementTree:
    """The behaviour model of a (cut) document, with its images named from tei/ as the
    edition model names them (teipress.model.edition_model)."""
    tree = behaviour(ctx.edition, f, names)
    for g in tree.iterfind(".//m:graphic[@src]", M):
        img = paths.image(f, g.get("src"))
        if img is not None:
            g.set("src", img)
            why = images.problem(ctx.edition.tei_dir / img)
            if why:
                g.set("missing", why)
    return tree


def position(f, el: etree._Element) -> tuple[int, int]:
    """(line, column) of *el*'s start tag in its file; of several start tags of its name on
    that line, the one that is its own (the column is 1 when the tag is not found there)."""
    line = el.sourceline or 1
    name = etree.QName(el).localname
    same = [e for e in el.getroottree().iter(el.tag) if e.sourceline == line]
    nth = next((i for i, e in enumerate(same) if e is el), 0)
    try:
        source = Path(f.path).read_text(encoding="utf-8", errors="replace").splitlines()[line - 1]
    except (OSError, IndexError):
        return line, 1
    starts = [m.start() + 1 for m in re.finditer(rf"<(?:[\w.-]+:)?{re.escape(name)}(?=[\s/>])", source)]
    return line, starts[nth] if nth < len(starts) else (starts[0] if starts else 1)

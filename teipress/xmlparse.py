"""Safe XML parsing for hand-encoded TEI.

Sources are data from strangers' hands: no DTD loading, no entity expansion, no
network, no XInclude, a size cap, and libxml2's nesting limit kept on.  Every
failure becomes an :class:`XmlError` carrying the file, line and column.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"
NS = {"tei": TEI_NS, "xml": XML_NS}

MAX_BYTES = 64 * 1024 * 1024  # a hand-encoded edition file is far smaller


class XmlError(Exception):
    def __init__(self, path: Path, line: int, col: int, message: str, rule: str = "xml-wellformed"):
        super().__init__(message)
        self.path, self.line, self.col, self.message, self.rule = path, line, col, message, rule


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,  # keeps libxml2's depth and size limits (billion laughs, deep nesting)
        remove_blank_text=False,
        remove_comments=False,
        collect_ids=False,
    )


_LIBXML_LINE = re.compile(r",? line \d+, column \d+\s*$")


def parse(path: Path, max_bytes: int = MAX_BYTES) -> etree._ElementTree:
    """Parse *path* safely or raise :class:`XmlError`."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise XmlError(path, 1, 1, f"cannot read file: {exc.strerror}", "xml-read") from None
    if size > max_bytes:
        raise XmlError(
            path, 1, 1,
            f"file is {size:,} bytes, over the limit of {max_bytes:,}; split it into smaller files",
            "xml-size",
        )
    if size == 0:
        raise XmlError(path, 1, 1, "file is empty; expected a TEI document", "xml-wellformed")
    data = path.read_bytes()
    try:
        tree = etree.fromstring(data, _parser(), base_url=str(path)).getroottree()
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (1, 1)
        msg = _LIBXML_LINE.sub("", str(exc.msg or exc)).strip()
        if "Excessive depth" in msg:
            msg = "elements are nested too deeply (over 256 levels); this is not a plausible TEI document"
        elif "Text node too long" in msg:  # libxml2's limit, kept (huge_tree=False) against memory exhaustion
            msg = ("a text of over 10,000,000 characters without any markup (libxml2's limit for one text "
                   "node, kept to bound memory); break it into paragraphs")
        elif "Huge input" in msg or "amplification" in msg.lower():
            msg = "entity expansion is too large (possible 'billion laughs' attack)"
        if "failed to load" in msg:  # an external DTD or entity: refused, never fetched
            raise XmlError(path, line or 1, col or 1,
                           f"DOCTYPE declarations are not allowed; refused to load external resource ({msg})",
                           "xml-doctype") from None
        raise XmlError(path, line or 1, col or 1, f"not well-formed XML: {msg}") from None
    _refuse_dtd(path, tree, data)
    return tree


def _refuse_dtd(path: Path, tree: etree._ElementTree, data: bytes) -> None:
    """TEI sources need no DTD; a DOCTYPE with entities is how attacks arrive."""
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        line = data[: max(data.find(b"<!DOCTYPE"), 0)].count(b"\n") + 1
        raise XmlError(
            path, line, 1,
            "DOCTYPE declarations are not allowed (no DTDs or entity declarations in TEI sources; "
            "write characters directly in UTF-8)",
            "xml-doctype",
        )
    for ent in tree.getroot().iter(etree.Entity):
        raise XmlError(
            path, ent.sourceline or 1, 1,
            f"undeclared or external entity reference {ent.text}: write the character itself",
            "xml-entity",
        )


def column_of(path: Path, line: int, needle: str | None) -> int:
    """Best column for a diagnostic: where *needle* (e.g. ``<note``) starts on *line*."""
    if not needle:
        return 1
    try:
        lines = _lines(path)
    except OSError:
        return 1
    # libxml2 reports the line where the start tag *ends*; look back a few lines.
    for ln in range(min(line, len(lines)), max(line - 5, 0), -1):
        idx = lines[ln - 1].find(needle)
        if idx >= 0:
            return idx + 1
    return 1


def _lines(path: Path) -> list[str]:
    # Keyed by the path's text: a Path made and hashed anew for each of a file's thousands
    # of pointers cost more than finding their columns.
    return _read_lines(os.fspath(path))


@lru_cache(maxsize=64)  # the files diagnosed last: a file's diagnostics come together, the
def _read_lines(path: str) -> list[str]:  # edition's thousands of files need not stay in memory
    return Path(path).read_text(encoding="utf-8", errors="replace").splitlines()


def position(path: Path, el: etree._Element, attr: str | None = None) -> tuple[int, int]:
    """(line, col) of an element, or of one of its attributes."""
    line = el.sourceline or 1
    if attr is not None:
        local = attr.split("}")[-1]
        prefix = "xml:" if attr.startswith(f"{{{XML_NS}}}") else ""
        return line, column_of(path, line, f"{prefix}{local}=")
    return line, column_of(path, line, f"<{etree.QName(el).localname}")

"""Validation against the edition's XSD 1.1 customisation (xmlschema).

Which schema: ``schema`` in edition.toml, else the XSD named by a file's
``<?xml-model?>`` processing instruction (if it lies inside the edition), else
none (only well-formedness and integrity rules apply, with a warning).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import xmlschema
from lxml import etree

from .. import safepath
from ..xmlparse import TEI_NS, position
from .diagnostics import Report

XSD_NS = "http://www.w3.org/2001/XMLSchema"


@lru_cache(maxsize=8)
def compile_schema(path: Path, mtime: float) -> xmlschema.XMLSchema11:
    # mtime is in the key so `teipress serve` picks up an edited schema.
    # "local": the schema may include local files only; never the network.
    return xmlschema.XMLSchema11(str(path), allow="local", defuse="always")


def load(path: Path) -> xmlschema.XMLSchema11:
    path = Path(path).resolve()
    return compile_schema(path, path.stat().st_mtime)


def declared_schema(tree: etree._ElementTree, file_path: Path, edition_root: Path) -> Path | None:
    """The XSD a file names in an xml-model PI, if it resolves inside the edition."""
    node = tree.getroot().getprevious()
    while node is not None:
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model":
            attrs = dict(re.findall(r'(\w+)\s*=\s*"([^"]*)"', node.text or ""))
            href, ns = attrs.get("href", ""), attrs.get("schematypens", "")
            if ns == XSD_NS or href.endswith(".xsd"):
                if "://" in href:
                    continue
                candidate = (file_path.parent / href).resolve()
                if safepath.inside(edition_root, candidate) and candidate.exists():
                    return candidate
        node = node.getprevious()
    return None


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
        names = sorted({_local(n) for e in expected for n in _element_names(e)})
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


def validate(report: Report, schema: xmlschema.XMLSchema11, file_path: Path, tree: etree._ElementTree) -> None:
    if tree.getroot().tag != f"{{{TEI_NS}}}TEI":
        return  # reported once, by the rule [tei-root]
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

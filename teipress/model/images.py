"""The images a document shows (graphic/@url inside the edition): which may be published, in
which format, and where the TEI names them."""
from __future__ import annotations

from pathlib import Path

from ..edition import TeiFile
from ..xmlparse import TEI_NS

# The formats both outputs show (browsers and Typst alike), by their first bytes.
FORMATS = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg", b"GIF87a": "gif", b"GIF89a": "gif"}


def image_format(path: Path) -> str | None:
    """'png', 'jpg', 'gif' or 'svg' for a file of that format, else None (missing, or another)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError:
        return None
    for magic, fmt in FORMATS.items():
        if head.startswith(magic):
            return fmt
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith((b"<?xml", b"<svg", b"<!--", b"<!DOCTYPE svg")) and b"<svg" in head:
        return "svg"
    return None


def problem(path: Path) -> str | None:
    """Why an image cannot be shown ('is missing', 'is not PNG, JPEG, GIF or SVG'), else None."""
    if not path.is_file():
        return "is missing"
    return None if image_format(path) else "is not PNG, JPEG, GIF or SVG"


def line_of(f: TeiFile, url: str) -> int | None:
    """The source line of the graphic (or media) that names *url*."""
    for el in f.root.iter(f"{{{TEI_NS}}}graphic", f"{{{TEI_NS}}}media"):
        if " ".join((el.get("url") or "").split()) == url:
            return el.sourceline
    return None

"""The PDF's fonts: which folders Typst reads, which characters they cover, and what stands in
for a character none of them covers.

Besides Typst's own fonts (Libertinus Serif, DejaVu Sans Mono: Latin, Greek, Cyrillic, Hebrew)
the PDF sets every other script in Noto, from two pinned PyPI packages that `make` installs
(SIL Open Font License 1.1): ``manimgx-fonts`` (Noto Sans, Arabic, Devanagari, Hebrew, the
Indic and South-East Asian scripts, Symbols, Emoji) and ``manimgx-fonts-cjk`` (Noto Sans CJK:
Korean, Chinese, Japanese).  PDF/A forbids a missing glyph, and Typst stops on one, so a
character no font covers is replaced before Typst sees it (:func:`uncovered`), with a warning.
"""
from __future__ import annotations

import bisect
import importlib.util
import struct
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

FONT_PACKAGES = ("manimgx_fonts", "manimgx_fonts_cjk")
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
# What the PDF prints for a character no font covers (Noto Sans Symbols has it).
REPLACEMENT = "\N{WHITE SQUARE}"


@lru_cache(maxsize=1)
def font_dirs() -> tuple[Path, ...]:
    """The folders of the font packages that are installed (each holds its font files)."""
    dirs = []
    for name in FONT_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            dirs.append(Path(spec.origin).parent)
    return tuple(dirs)


def _cmap_tables(data: bytes, offset: int) -> list[tuple]:
    """The Unicode subtables of one sfnt font's cmap as arrays to search (see covers):
    ("4", ends, starts, deltas, range_offsets, where the offsets begin) or ("12", starts, ends, glyphs)."""
    num_tables = struct.unpack_from(">H", data, offset + 4)[0]
    cmap = None
    for i in range(num_tables):
        tag, _sum, off, _len = struct.unpack_from(">4sIII", data, offset + 12 + 16 * i)
        if tag == b"cmap":
            cmap = off
    tables: list[tuple] = []
    if cmap is None:
        return tables
    for i in range(struct.unpack_from(">H", data, cmap + 2)[0]):
        platform, encoding, sub = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        if not (platform == 0 or (platform == 3 and encoding in (1, 10))):
            continue
        at = cmap + sub
        fmt = struct.unpack_from(">H", data, at)[0]
        if fmt == 4:
            segs = struct.unpack_from(">H", data, at + 6)[0] // 2
            tables.append(("4", struct.unpack_from(f">{segs}H", data, at + 14),
                           struct.unpack_from(f">{segs}H", data, at + 16 + 2 * segs),
                           struct.unpack_from(f">{segs}h", data, at + 16 + 4 * segs),
                           struct.unpack_from(f">{segs}H", data, at + 16 + 6 * segs), at + 16 + 6 * segs))
        elif fmt == 12:
            n = struct.unpack_from(">I", data, at + 12)[0]
            groups = struct.unpack_from(f">{3 * n}I", data, at + 16)
            tables.append(("12", groups[0::3], groups[1::3], groups[2::3]))
    return tables


def _cmap_chars(data: bytes, offset: int) -> set[int]:
    """The code points one sfnt font (at *offset* in *data*) maps, from its cmap's Unicode
    subtables (formats 4 and 12: the ones Noto and every current font use)."""
    chars: set[int] = set()
    for t in _cmap_tables(data, offset):
        if t[0] == "4":
            _, ends, starts, deltas, range_offsets, ro_at = t
            # (a whole segment at a time: a CJK font maps tens of thousands of characters)
            for s in range(len(ends)):
                first, last = starts[s], min(ends[s], 0xFFFE)
                if last < first:
                    continue
                if range_offsets[s] == 0:  # glyph = c + delta: every c but the one that gives 0
                    seg = set(range(first, last + 1))
                    seg.discard((-deltas[s]) & 0xFFFF)
                else:
                    g_at = ro_at + 2 * s + range_offsets[s]
                    glyphs = struct.unpack_from(f">{last - first + 1}H", data, g_at)
                    seg = {c for c, g in zip(range(first, last + 1), glyphs) if g and (g + deltas[s]) & 0xFFFF}
                chars |= seg
        else:
            _, starts, ends, glyphs = t
            for start, end, glyph in zip(starts, ends, glyphs):
                chars.update(range(start if glyph else start + 1, end + 1))
    return chars


def _font_offsets(data: bytes) -> tuple[int, ...]:
    """Where each font of a file begins (several in a TrueType collection)."""
    if data[:4] == b"ttcf":
        return struct.unpack_from(f">{struct.unpack_from('>I', data, 8)[0]}I", data, 12)
    return (0,)


def font_chars(path: Path) -> set[int]:
    """Every code point a font file (TrueType, OpenType or a collection) maps."""
    data = path.read_bytes()
    chars: set[int] = set()
    for off in _font_offsets(data):
        chars |= _cmap_chars(data, off)
    return chars


@lru_cache(maxsize=1)
def covered() -> frozenset[int]:
    """The characters the PDF's font files cover (Typst's own fonts cover a subset of Noto
    Sans's Latin, Greek, Cyrillic and Hebrew, so they add nothing to count)."""
    chars: set[int] = set()
    for d in font_dirs():
        for f in sorted(d.iterdir()):
            if f.suffix.lower() in FONT_SUFFIXES:
                chars |= font_chars(f)
    return frozenset(chars)


@lru_cache(maxsize=1)
def _font_files() -> tuple[Path, ...]:
    """The font files, the one most texts need first (Noto Sans: Latin, Greek, Cyrillic and
    punctuation), so that a text in those scripts is judged without reading the others (the CJK
    collection alone is 33 MB)."""
    files = [f for d in font_dirs() for f in sorted(d.iterdir()) if f.suffix.lower() in FONT_SUFFIXES]
    return tuple(sorted(files, key=lambda f: (f.name != "NotoSans[wght].ttf", f.stat().st_size)))


_loaded: list[tuple[bytes, list[tuple]]] = []
_loading = threading.Lock()  # documents are prepared on threads: each file read once, in order


def _fonts():
    """Every font file's bytes and cmap subtables, each read when a character first needs it
    (and then kept for the process)."""
    i = 0
    while True:
        with _loading:
            if i == len(_loaded):
                files = _font_files()
                if i == len(files):
                    return
                data = files[i].read_bytes()
                _loaded.append((data, [t for off in _font_offsets(data) for t in _cmap_tables(data, off)]))
            found = _loaded[i]
        yield found
        i += 1


def covers(cp: int) -> bool:
    """Whether a font of the PDF maps code point *cp* (the same answer as cp in covered(), found
    by searching the cmaps for the few characters a document has, not by listing all 50,000)."""
    for data, tables in _fonts():
        for t in tables:
            if t[0] == "4":
                _, ends, starts, deltas, range_offsets, ro_at = t
                s = bisect.bisect_left(ends, cp)
                if cp > 0xFFFE or s == len(ends) or starts[s] > cp:
                    continue
                if range_offsets[s] == 0:
                    glyph = (cp + deltas[s]) & 0xFFFF
                else:
                    glyph = struct.unpack_from(">H", data, ro_at + 2 * s + range_offsets[s] + 2 * (cp - starts[s]))[0]
                    glyph = (glyph + deltas[s]) & 0xFFFF if glyph else 0
                if glyph:
                    return True
            else:
                _, starts, ends, glyphs = t
                g = bisect.bisect_right(starts, cp) - 1
                if g >= 0 and cp <= ends[g] and (glyphs[g] or cp != starts[g]):
                    return True
    return False


def _needs_glyph(ch: str) -> bool:
    # controls, format characters (joiners, bidi marks, variation selectors) and white space
    # are never drawn, so no font needs them
    return not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Mn", "Zs")
                or 0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF)


def uncovered(text: str) -> list[str]:
    """The distinct characters of *text* that no font of the PDF covers, in order of first
    appearance; empty when no font package is installed (nothing to judge by)."""
    if not _font_files():
        return []
    # the distinct characters first (a set of a book's text is made at C speed), then their order
    missing = [ch for ch in set(text) if ord(ch) > 0x7E and _needs_glyph(ch) and not covers(ord(ch))]
    return sorted(missing, key=text.index)


def first_line(root, ch: str) -> int | None:
    """The source line of the first text of a TEI tree that holds *ch*."""
    for el in root.iter():
        if not el.sourceline:
            continue
        if el.text and ch in el.text:  # its element's line, plus the newlines before it
            return el.sourceline + el.text[:el.text.index(ch)].count("\n")
        if el.tail and ch in el.tail:  # after the element: its line is near enough
            return el.sourceline
    return None

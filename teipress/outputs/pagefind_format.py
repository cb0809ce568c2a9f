"""Pagefind 1.5's bundle files, read and written: what the search merge needs to know of them.

Every index file is gzip of ``pagefind_dcd`` followed by CBOR (arrays, text, integers; a page
fragment is JSON instead of CBOR).  The layout, from Pagefind's ``pagefind/src/index``:

- meta ``pagefind.<lang>_<hash>.pf_meta``: ``[version, pages, chunks, filters, sorts, meta_fields]``
  with pages ``[[fragment hash, word count], …]`` (a page's number is its position here),
  chunks ``[[from, to, chunk hash], …]`` and filters ``[[name, filter hash], …]``;
- word chunk ``index/<lang>_<hash>.pf_index``: ``[[word, pages, variants], …]`` in word order,
  pages ``[[page number, locations, meta locations], …]`` ordered by page number and stored as
  differences from the previous page's number; variants ``[[form with diacritics, pages], …]``;
  a negative meta location ``-(field + 1)`` switches to the meta field ``meta_fields[field]``;
- filter ``filter/<lang>_<hash>.pf_filter``: ``[name, [[value, [page number, …]], …]]``;
- fragment ``fragment/<lang>_<sha1 of its JSON, 7 digits>.pf_fragment``: the page's JSON.

The version is pinned (requirements.lock); ``check_version`` refuses another one, since a
change of this layout would make the merge write an index that finds the wrong pages.
"""
from __future__ import annotations

import gzip
import hashlib

VERSION = "1.5.2"
MAGIC = b"pagefind_dcd"
# Pagefind's `index_chunk_size` (pagefind/src/options.rs): a word chunk is closed once the
# locations it holds (plus one per page of each word) reach this many.
CHUNK_SIZE = 20000


class FormatError(ValueError):
    """A bundle file that is not what Pagefind 1.5 writes."""


# -- CBOR: the subset Pagefind writes (unsigned and negative integers, text, bytes, arrays) --

def _decode(data: bytes, i: int):
    head = data[i]
    major, info = head >> 5, head & 31
    i += 1
    if info < 24:
        val = info
    elif info <= 27:
        size = 1 << (info - 24)
        val = int.from_bytes(data[i:i + size], "big")
        i += size
    else:
        raise FormatError(f"unexpected CBOR item {head:#x}")
    if major == 0:
        return val, i
    if major == 1:
        return -1 - val, i
    if major == 4:
        out = [None] * val
        for k in range(val):
            out[k], i = _decode(data, i)
        return out, i
    if major == 3:
        return data[i:i + val].decode("utf-8"), i + val
    if major == 2:
        return data[i:i + val], i + val
    raise FormatError(f"unexpected CBOR major type {major}")


def _head(major: int, val: int) -> bytes:
    if val < 24:
        return bytes((major << 5 | val,))
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if val < 1 << (8 * size):
            return bytes((major << 5 | info,)) + val.to_bytes(size, "big")
    raise FormatError("CBOR value too large")


def _encode(obj, out: list) -> None:
    if isinstance(obj, int):
        out.append(_head(0, obj) if obj >= 0 else _head(1, -1 - obj))
    elif isinstance(obj, str):
        raw = obj.encode("utf-8")
        out.append(_head(3, len(raw)))
        out.append(raw)
    elif isinstance(obj, bytes):
        out.append(_head(2, len(obj)))
        out.append(obj)
    else:
        out.append(_head(4, len(obj)))
        for x in obj:
            _encode(x, out)


def decode(raw: bytes) -> object:
    """The CBOR of one (already unzipped) bundle file."""
    if not raw.startswith(MAGIC):
        raise FormatError("not a Pagefind index file")
    obj, end = _decode(raw, len(MAGIC))
    if end != len(raw):
        raise FormatError("trailing bytes after the CBOR item")
    return obj


def encode(obj) -> bytes:
    """Unzipped bytes of a bundle file holding *obj*."""
    out = [MAGIC]
    _encode(obj, out)
    return b"".join(out)


def read(path) -> object:
    try:
        return decode(gzip.decompress(path.read_bytes()))
    except FormatError as exc:
        raise FormatError(f"{path.name}: {exc}") from None


def zipped(raw: bytes) -> bytes:
    """A bundle file's bytes: gzip without a time stamp, so equal content gives equal bytes."""
    return gzip.compress(raw, compresslevel=9, mtime=0)


def sha1(raw: bytes) -> str:
    """Pagefind names files by the SHA-1 of their content after the prefix (a fragment's JSON)."""
    return hashlib.sha1(raw).hexdigest()


def read_fragment(path) -> bytes:
    """A fragment's JSON (bytes, as hashed)."""
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(MAGIC):
        raise FormatError(f"{path.name}: not a Pagefind fragment")
    return raw[len(MAGIC):]


# -- page numbers stored as differences -----------------------------------------------------

def absolute(pages: list) -> list:
    """A word's (or variant's) page entries with their page numbers made absolute (in place)."""
    last = 0
    for entry in pages:
        last += entry[0]
        entry[0] = last
    return pages


def differences(pages: list) -> list:
    """The inverse of `absolute`: entries sorted by page number, numbers made differences."""
    last = 0
    for entry in pages:
        number = entry[0]
        entry[0] = number - last
        last = number
    return pages


# -- word chunks: Pagefind's own rule, so that a merged index is chunked as one run's -------

def chunk_weight(word: list) -> int:
    """What a word adds to its chunk's size (Pagefind counts the entries of `pages` only)."""
    return sum(len(p[1]) + len(p[2]) + 1 for p in word[1])


def common_prefixes(a: str, b: str) -> tuple[str, str]:
    """The shortest prefixes of two neighbouring chunks' last and first words that still tell
    them apart (Pagefind's `get_prefixes`)."""
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return a[:n + 1], b[:n + 1]


def chunk_bounds(chunks: list[tuple[str, str]]) -> list[list[str]]:
    """[from, to] of each chunk from its first and last word, trimmed as Pagefind trims them:
    the search loads the one chunk whose range holds the (prefix of the) word searched."""
    bounds = [[first, last] for first, last in chunks]
    for i in range(len(bounds) - 1):
        left, right = bounds[i], bounds[i + 1]
        to, frm = common_prefixes(left[1], right[0])
        if to >= left[0]:
            left[1] = to
        right[0] = frm
    return bounds

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
import re

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
    return gzip.compress(raw, compresslevel=6, mtime=0)  # zlib's default, as Pagefind's


def sha1(raw: bytes) -> str:
    """Pagefind names files by the SHA-1 of their content after the prefix (a fragment's JSON)."""
    return hashlib.sha1(raw).hexdigest()


def read_fragment(path) -> bytes:
    """A fragment's JSON (bytes, as hashed)."""
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(MAGIC):
        raise FormatError(f"{path.name}: not a Pagefind fragment")
    return raw[len(MAGIC):]


# -- word chunks, fast: a page's locations are copied, never decoded ----------------------
# A word chunk holds every location of every word: most of the index.  The merge changes page
# numbers only, so each page entry [number, locations, meta locations] is read by one regular
# expression (in C) as [number, body, weight, split]: *body* the two location arrays as the CBOR
# bytes they are, *split* where the meta locations begin in it, *weight* what the entry adds
# to its chunk's size (Pagefind counts locations + meta locations + 1).  What follows an array
# of integers in a chunk is never an integer, so a run of integers ends with its array.

def _array_head(data: bytes, i: int) -> tuple[int, int]:
    head = data[i]
    if head >> 5 != 4:
        raise FormatError(f"expected a CBOR array, found {head:#x}")
    info = head & 31
    if info < 24:
        return info, i + 1
    if info > 27:
        raise FormatError(f"unexpected CBOR item {head:#x}")
    size = 1 << (info - 24)
    return int.from_bytes(data[i + 1:i + 1 + size], "big"), i + 1 + size


# A CBOR integer (major types 0 and 1: 1, 2, 3, 5 or 9 bytes, told by the first byte), an
# array's head, and a page entry made of them.
_INT = rb"(?:[\x00-\x17\x20-\x37]|[\x18\x38].|[\x19\x39]..|[\x1a\x3a].{4}|[\x1b\x3b].{8})"
_ARRAY = rb"(?:[\x80-\x97]|\x98.|\x99..|\x9a.{4}|\x9b.{8})"
_PAGE = re.compile(rb"\x83([\x00-\x17]|\x18.|\x19..|\x1a.{4}|\x1b.{8})((" + _ARRAY + _INT + rb"*)"
                   + _ARRAY + _INT + rb"*)", re.S)
_UINT = [bytes((k,)) if k < 24 else bytes((0x18, k)) for k in range(256)]


def _count(array: bytes) -> int:
    """The number of items an array's head (at the start of *array*) announces."""
    head = array[0]
    if head < 0x98:
        return head - 0x80
    return int.from_bytes(array[1:1 + (1 << (head - 0x98))], "big")


def _pages(data: bytes, i: int) -> tuple[list, int]:
    """A page list at *i*: [[page number (a difference), body, weight, split], …], and the end."""
    n, i = _array_head(data, i)
    pages = []
    match = _PAGE.match
    for _ in range(n):
        m = match(data, i)
        if m is None:
            raise FormatError("a page entry is not [page, locations, meta locations]")
        number, body, locs = m.group(1, 2, 3)
        split = len(locs)
        pages.append([number[0] if len(number) == 1 else int.from_bytes(number[1:], "big"), body,
                      _count(locs) + _count(body[split:]) + 1, split])
        i = m.end()
    return pages, i


def read_words(path) -> list:
    """A word chunk: [[word, pages, [[variant form, pages], …]], …], pages as `_pages` reads them."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(MAGIC):
        raise FormatError(f"{path.name}: not a Pagefind index file")
    try:
        one, i = _array_head(data, len(MAGIC))
        n, i = _array_head(data, i)
        words = []
        for _ in range(n):
            if data[i] != 0x83:
                raise FormatError("a word entry is not [word, pages, variants]")
            word, i = _decode(data, i + 1)
            pages, i = _pages(data, i)
            n_var, i = _array_head(data, i)
            variants = []
            for _ in range(n_var):
                _, i = _array_head(data, i)
                form, i = _decode(data, i)
                vpages, i = _pages(data, i)
                variants.append([form, vpages])
            words.append([word, pages, variants])
    except IndexError:
        raise FormatError(f"{path.name}: truncated") from None
    if one != 1 or i != len(data):
        raise FormatError(f"{path.name}: not one word list")
    return words


def with_meta_fields(entry: list, fields: list[int]) -> None:
    """Renumber the meta fields of a page entry's meta locations: field k becomes fields[k]."""
    body, split = entry[1], entry[3]
    meta = [-(fields[-x - 1] + 1) if x < 0 else x for x in _decode(body, split)[0]]
    out = [body[:split]]
    _encode(meta, out)
    entry[1] = b"".join(out)


def _encode_pages(pages: list, out: list) -> None:
    out.append(_head(4, len(pages)))
    uint = _UINT
    for number, body, _, _ in pages:
        out.append(b"\x83")
        out.append(uint[number] if number < 256 else _head(0, number))
        out.append(body)


def encode_words(words: list) -> bytes:
    """Unzipped bytes of a word chunk holding *words* (as `read_words` gives them)."""
    out = [MAGIC, b"\x81", _head(4, len(words))]
    for word, pages, variants in words:
        out.append(b"\x83")
        _encode(word, out)
        _encode_pages(pages, out)
        out.append(_head(4, len(variants)))
        for form, vpages in variants:
            out.append(b"\x82")
            _encode(form, out)
            _encode_pages(vpages, out)
    return b"".join(out)


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


def contents(bundle) -> dict:
    """What a search reads from a bundle, with each page named by its URL instead of its
    number: for each language its pages (word count and fragment), its words (each page's
    locations and meta locations, by variant), its chunks' ranges and words, and its filters.
    Two bundles with equal contents answer every query alike (only the order of results with
    equal scores can follow the page numbers).  For tests and benchmarks: it holds it all."""
    import json

    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    out = {}
    for lang, info in entry["languages"].items():
        meta = read(bundle / f"pagefind.{info['hash']}.pf_meta")
        fields = meta[5] if len(meta) > 5 else []
        urls, pages = [], {}
        for short, words in meta[1]:
            data = json.loads(read_fragment(bundle / "fragment" / f"{short}.pf_fragment"))
            urls.append(data["url"])
            pages[data["url"]] = (words, data)

        def named(entries):
            return {urls[e[0]]: (e[1], [x if x >= 0 else fields[-x - 1] for x in e[2]])
                    for e in absolute(entries)}

        words, chunks = {}, []
        for frm, to, short in meta[2]:
            chunk = read(bundle / "index" / f"{short}.pf_index")[0]
            chunks.append((frm, to, [w[0] for w in chunk]))
            for word, entries, variants in chunk:
                words[word] = (named(entries), {form: named(v) for form, v in variants})
        filters = {}
        for _, short in meta[3]:
            name, values = read(bundle / "filter" / f"{short}.pf_filter")
            filters[name] = {v: sorted(urls[p] for p in ps) for v, ps in values}
        out[lang] = {"pages": pages, "words": words, "chunks": chunks, "filters": filters,
                     "page_count": info["page_count"], "wasm": info["wasm"]}
    return out

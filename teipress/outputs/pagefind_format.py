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
    return fragment_json(path.read_bytes(), path.name)


def fragment_json(data: bytes, name: str) -> bytes:
    """The JSON of a fragment file's bytes *data* (*name*: the file's, for messages)."""
    raw = gzip.decompress(data)
    if not raw.startswith(MAGIC):
        raise FormatError(f"{name}: not a Pagefind fragment")
    return raw[len(MAGIC):]


# -- word chunks, fast: a page's locations are copied, never decoded ----------------------
# A word chunk holds every location of every word: most of the index.  The merge changes page
# numbers only, so each page entry [number, locations, meta locations] is read by one regular
# expression (in C): its number, and its *body* (the two location arrays as the CBOR bytes they
# are).  What follows an array of integers in a chunk is never an integer, so a run of
# integers ends with its array.
#
# A word's page list is kept as a *segment* (first, last, count, rest, weight): its first and
# last page numbers (absolute), how many entries, and *rest*, the list's bytes after the first
# entry's number (the first body, then every later entry with its number as a difference).
# Differences do not change when every page number is shifted alike, so the merge joins the
# runs' segments of a word by writing one number per segment and copying *rest* as it is.
# *weight* is what the list adds to its chunk's size: Pagefind counts locations + meta
# locations + 1 per page.

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
# array's head, and a page entry made of them: groups number, location array's head, meta
# location array's head.
_INT = rb"(?:[\x00-\x17\x20-\x37]|[\x18\x38].|[\x19\x39]..|[\x1a\x3a].{4}|[\x1b\x3b].{8})"
_ARRAY = rb"([\x80-\x97]|\x98.|\x99..|\x9a.{4}|\x9b.{8})"
_PAGE = re.compile(rb"\x83([\x00-\x17]|\x18.|\x19..|\x1a.{4}|\x1b.{8})" + _ARRAY + _INT + rb"*"
                   + _ARRAY + _INT + rb"*", re.S)
_UINT = [bytes((k,)) if k < 24 else bytes((0x18, k)) for k in range(256)]


def _count(head: bytes) -> int:
    """The number of items an array's head announces."""
    first = head[0]
    if first < 0x98:
        return first - 0x80
    return int.from_bytes(head[1:], "big")


def _uint(n: int) -> bytes:
    return _UINT[n] if n < 256 else _head(0, n)


def _entries(data: bytes, i: int, n: int, perm=None) -> tuple[list, int]:
    """*n* page entries at *i*: [(page number, body, weight), …] with the numbers made absolute
    (and mapped through *perm* if given, then sorted), and the end."""
    out = []
    match = _PAGE.match
    last = 0
    for _ in range(n):
        m = match(data, i)
        if m is None:
            raise FormatError("a page entry is not [page, locations, meta locations]")
        number, locs, meta = m.group(1, 2, 3)
        last += number[0] if len(number) == 1 else int.from_bytes(number[1:], "big")
        start, i = m.start(2), m.end()
        out.append((last if perm is None else perm[last], data[start:i],
                    (locs[0] - 0x7f if locs[0] < 0x98 else _count(locs) + 1)
                    + (meta[0] - 0x80 if meta[0] < 0x98 else _count(meta))))
    if perm is not None:
        out.sort()
    return out, i


def segment(entries: list) -> tuple:
    """A page list's segment (see above) from its entries [(absolute number, body, weight), …]
    in order."""
    first, body, weight = entries[0]
    parts = [body]
    last = first
    uint = _UINT
    for number, body, w in entries[1:]:
        d = number - last
        parts.append(b"\x83")
        parts.append(uint[d] if d < 256 else _head(0, d))
        parts.append(body)
        last = number
        weight += w
    return first, last, len(entries), b"".join(parts), weight


def segment_entries(seg: tuple) -> list:
    """The entries of a segment, as `segment` takes them."""
    first, _, n, rest, _ = seg
    data = b"\x83" + _uint(first) + rest
    return _entries(data, 0, n)[0]


def _page_list(data: bytes, i: int, perm) -> tuple[tuple, int]:
    n, i = _array_head(data, i)
    if n == 0:
        return (0, 0, 0, b"", 0), i
    entries, i = _entries(data, i, n, perm)
    return segment(entries), i


def read_segments(path, perm=None) -> list:
    """A word chunk: [(word, segment, ((variant form, segment), …)), …], the page numbers
    mapped through *perm* (a list: old number → new) if given."""
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
            seg, i = _page_list(data, i, perm)
            n_var, i = _array_head(data, i)
            variants = []
            for _ in range(n_var):
                _, i = _array_head(data, i)
                form, i = _decode(data, i)
                vseg, i = _page_list(data, i, perm)
                variants.append((form, vseg))
            words.append((word, seg, tuple(variants)))
    except IndexError:
        raise FormatError(f"{path.name}: truncated") from None
    if one != 1 or i != len(data):
        raise FormatError(f"{path.name}: not one word list")
    return words


def with_meta_fields(body: bytes, fields: list[int]) -> bytes:
    """A page entry's body with the meta fields of its meta locations renumbered: field k
    becomes fields[k]."""
    _, i = _decode(body, 0)  # the locations
    meta = [-(fields[-x - 1] + 1) if x < 0 else x for x in _decode(body, i)[0]]
    out = [body[:i]]
    _encode(meta, out)
    return b"".join(out)


def encode_segments(segments, out: list) -> None:
    """A page list made of segments [(shift, segment), …] (each segment's page numbers plus its
    shift, the segments in page order) appended to *out* as CBOR."""
    out.append(_head(4, sum(s[2] for _, s in segments)))
    last = 0
    uint = _UINT
    for shift, (first, end, n, rest, _) in segments:
        if not n:
            continue
        d = first + shift - last
        out.append(b"\x83")
        out.append(uint[d] if d < 256 else _head(0, d))
        out.append(rest)
        last = end + shift


def absolute(pages: list) -> list:
    """A word's (or variant's) decoded page entries with their page numbers (stored as
    differences) made absolute, in place."""
    last = 0
    for entry in pages:
        last += entry[0]
        entry[0] = last
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

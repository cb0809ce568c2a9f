"""The merged search index patched where runs changed, instead of merged again.

After one letter changed, one run of pages is given to Pagefind again; merging all the runs
again (search_merge.write) would join every word of every run to change the few words of that
letter.  Instead the previous merge is kept (`Merged`, in the edition's cache) and patched:

- each word chunk is kept apart in the cache, under the SHA-1 of its content, as the entries
  of its words (`ChunkWords`), each entry with where its page lists are and a few
  *checkpoints* in them (an entry's offset and page number, every CHECKPOINT_EVERY entries at
  least), so that the pages of one run are found in a long list without reading it all;
- the words whose page lists in the changed run differ (old run, as kept, against new) have
  the run's part of each list replaced: the part is found from a checkpoint, checked against
  the old run's segment, and swapped for the new segment; one number after it is written anew
  (page numbers are stored as differences).  Nothing else in the list is read;
- the chunks are cut again from the first chunk that holds a changed word, by Pagefind's rule,
  until a cut falls where it fell before: the chunks after it are the same bytes;
- the meta file, the filters (when the run's filter values changed) and pagefind-entry.json
  are written again; every other file is given to the output by its digest
  (output.put_known), so it is linked from the previous output, not read.

Only a run whose pages are the same (same URLs, so every other page keeps its number) is
patched; a page added or removed, a new language or meta field, runs whose pages interleave,
or anything that does not match what was kept (`Mismatch`) make the search stage merge
everything again (search.index_site), which keeps a new state.
"""
from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import pagefind_format as fmt, search_merge

# Entries between two checkpoints of a page list, at least: a run's part is found by reading
# at most about this many entries (plus the run's own).
CHECKPOINT_EVERY = 64
# What the kept state looks like: part of its cache slot (one more when Merged, LangState, Chunk
# or ChunkWords change, so that an older state is not read).
STATE_FORMAT = 2
_EMPTY = (0, 0, 0, b"", 0)  # a segment with no pages


class Mismatch(Exception):
    """The kept state does not describe what the runs hold: merge everything again."""


@dataclass
class Chunk:
    first: str  # its first and last word
    last: str
    digest: str  # SHA-1 of its content (its name is made of it; its ChunkWords are kept under it)
    sha: str  # SHA-256 of the file's bytes (what the output knows it by)


@dataclass
class ChunkWords:
    """A word chunk's words in order, each with its weight (what it adds to the chunk's size),
    its entry's bytes and where its page lists are in them: ((variant form or None for the
    word's own list, start, end, checkpoints), …), checkpoints (offset, page number, …) flat,
    offsets counted from the list's first entry."""
    words: list[str]
    weights: list[int]
    entries: list[bytes]
    lists: list[tuple]


@dataclass
class LangState:
    version: str
    wasm: str
    fields: list[str]
    pages: list[tuple[str, str, int, str]]  # (URL, fragment's SHA-1, word count, file's SHA-256)
    ranges: list[tuple[int, int]]  # each run's pages: first number, how many
    chunks: list  # [(Chunk, ChunkWords or None when it is in the cache), …]
    filters: dict[str, dict[str, list[int]]]  # merged: name → value → page numbers
    filter_files: tuple  # the meta's filter list, and the files [(path in the bundle, bytes), …]
    field_runs: dict[str, int]  # how many runs have each meta field (fields is their union)


@dataclass
class Merged:
    keys: list[str]  # the runs' cache keys, in order
    entry: dict  # the first run's pagefind-entry.json
    files: dict[str, str]  # Pagefind's scripts, styles, WebAssembly: name → SHA-256
    langs: dict[str, LangState]
    written_entry: dict  # the merged pagefind-entry.json


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def slot() -> str:
    from ..commands import cache as cache_mod

    return cache_mod.digest("search", "merged index", STATE_FORMAT)


def chunk_key(digest: str) -> str:
    from ..commands import cache as cache_mod

    return cache_mod.digest("search chunk", STATE_FORMAT, digest)


class Cutter:
    """Word entries gathered into chunks cut where one Pagefind run cuts them: a chunk closes
    once its words' weights reach fmt.CHUNK_SIZE.  The merge (search_merge) cuts a whole index
    so, and a patch cuts again from the first changed chunk; *close(ChunkWords)* gets each
    chunk's words when it closes."""

    def __init__(self, close: Callable[[ChunkWords], None]):
        self.close = close
        self.words = ChunkWords([], [], [], [])
        self.size = 0

    def add(self, word: str, weight: int, entry: bytes, where) -> None:
        w = self.words
        w.words.append(word)
        w.weights.append(weight)
        w.entries.append(entry)
        w.lists.append(where)
        self.size += weight
        if self.size >= fmt.CHUNK_SIZE:
            self.flush()

    @property
    def open(self) -> bool:
        """Whether a chunk is begun (words added since the last cut)."""
        return bool(self.words.words)

    def flush(self) -> None:
        """Close the chunk begun, if any (at the end of the words)."""
        if self.words.words:
            self.close(self.words)
            self.words, self.size = ChunkWords([], [], [], []), 0


def chunk_bytes(entries: list[bytes]) -> bytes:
    return b"".join([fmt.MAGIC, b"\x81", fmt._head(4, len(entries))] + entries)


# -- a word's entry ----------------------------------------------------------------------
def _list_bytes(segments: list, keep: bool) -> tuple[bytes, tuple]:
    """A page list from segments [(shift, segment), …], and its checkpoints (with *keep*)."""
    out: list[bytes] = []
    fmt.encode_segments(segments, out)
    data = b"".join(out)
    if not keep or len(segments) < 2 or sum(s[2] for _, s in segments) <= CHECKPOINT_EVERY:
        return data, ()
    cps: list[int] = []
    at = since = last = 0
    for shift, (first, end, n, rest, _) in segments:
        if not n:
            continue
        if since >= CHECKPOINT_EVERY:
            cps += (at, first + shift)
            since = 0
        at += 1 + len(fmt._uint(first + shift - last)) + len(rest)  # [\x83, number, rest]
        since += n
        last = end + shift
    return data, tuple(cps)


def word_entry(word: str, main: list, forms: list, keep: bool) -> tuple[bytes, tuple | None]:
    """A word's entry [word, pages, [[form, pages], …]] from segments (main: [(shift, segment),
    …]; forms: [(form, [(shift, segment), …]), …] sorted), and where its lists are."""
    lists = [(None, *_list_bytes(main, keep))] + [(form, *_list_bytes(segs, keep)) for form, segs in forms]
    return _entry(word, lists, keep)


def _entry(word: str, lists: list, keep: bool = True) -> tuple[bytes, tuple | None]:
    """The entry from [(form or None, list's bytes, checkpoints), …], the word's own first."""
    pieces = [b"\x83"]
    fmt._encode(word, pieces)
    if not keep:
        pieces.append(lists[0][1])
        pieces.append(fmt._head(4, len(lists) - 1))
        for form, data, _ in lists[1:]:
            pieces.append(b"\x82")
            fmt._encode(form, pieces)
            pieces.append(data)
        return b"".join(pieces), None
    at = sum(map(len, pieces))
    where = [(None, at, at + len(lists[0][1]), lists[0][2])]
    pieces.append(lists[0][1])
    pieces.append(fmt._head(4, len(lists) - 1))
    at = where[0][2] + len(pieces[-1])
    for form, data, cps in lists[1:]:
        head = [b"\x82"]
        fmt._encode(form, head)
        pieces += head
        at += sum(map(len, head))
        pieces.append(data)
        where.append((form, at, at + len(data), cps))
        at += len(data)
    return b"".join(pieces), tuple(where)


def _lists_of(entry: bytes, where: tuple) -> list:
    return [(form, entry[start:end], cps) for form, start, end, cps in where]


# -- a run's part of a page list, replaced ------------------------------------------------
def _number(raw: bytes) -> int:
    return raw[0] if len(raw) == 1 else int.from_bytes(raw[1:], "big")


def _splice(data: bytes, cps: tuple, old: tuple, new: tuple, start: int, count: int) -> tuple[bytes, tuple, int]:
    """The page list *data* (with checkpoints *cps*) with the pages numbered start … start +
    count - 1, which are the segment *old* shifted by *start*, made those of *new*; returns the
    list, its checkpoints and how many entries it has."""
    n, i = fmt._array_head(data, 0)
    body = data[i:]
    match = fmt._PAGE.match
    # the first entry whose page is start or after: from the last checkpoint before start
    k = bisect_left(cps[1::2], start) - 1
    at, prev = (0, 0) if k < 0 else (cps[2 * k], cps[2 * k + 1])
    m = match(body, at) if at < len(body) else None
    if k >= 0:
        if m is None:
            raise Mismatch("a checkpoint is not at an entry")
        prev -= _number(m.group(1))  # (the page before the checkpoint's)
    while m is not None:
        page = prev + _number(m.group(1))
        if page >= start:
            break
        prev, at = page, m.end()
        m = match(body, at) if at < len(body) else None
    # the old part: where it ends, checked against the old segment
    if old[2]:
        if m is None or prev + _number(m.group(1)) != old[0] + start:
            raise Mismatch("the run's pages are not where the kept run has them")
        rest_at = m.end(1)
        end = rest_at + len(old[3])
        if body[rest_at:end] != old[3]:
            raise Mismatch("the run's pages are not those of the kept run")
        last_old = old[1] + start
    else:
        end, last_old = at, prev
    # the entry after the old part, whose number (a difference) is written anew
    after = match(body, end) if end < len(body) else None
    if after is not None:
        next_page = last_old + _number(after.group(1))
        if next_page < start + count:
            raise Mismatch("a page of the run was not in its kept part")
    if new[2]:
        part = b"".join((b"\x83", fmt._uint(new[0] + start - prev), new[3]))
        last_new = new[1] + start
    else:
        part, last_new = b"", prev
    pieces = [body[:at], part]
    grow = len(part) - (end - at)
    if after is not None:
        number = fmt._uint(next_page - last_new)
        pieces += [b"\x83", number, body[after.end(1):]]
        grow_after = grow + len(number) - (after.end(1) - after.start(1))
    total = n - old[2] + new[2]
    kept: list[int] = []
    for j in range(0, len(cps), 2):
        o, p = cps[j], cps[j + 1]
        if o < at:
            kept += (o, p)
        elif o == at and old[2]:
            continue  # the old part's: the new part's is added below
        elif o == end:  # the entry after the part (at == end when the run had no pages here)
            kept += (o + grow, p)
        elif o > end:
            kept += (o + grow_after, p)
    if new[2] and total > CHECKPOINT_EVERY:
        kept = sorted([*zip(kept[::2], kept[1::2]), (at, new[0] + start)])
        kept = [x for pair in kept for x in pair]
    return fmt._head(4, total) + b"".join(pieces), tuple(kept), total


# -- one language patched -----------------------------------------------------------------
class _Words:
    """The chunks' words as kept, read from the cache only where a changed word is."""

    def __init__(self, chunks: list, load):
        self.chunks = chunks  # [(Chunk, ChunkWords or None), …], filled in as read
        self.firsts = [c.first for c, _ in chunks]
        self.load = load  # digest → ChunkWords

    def of(self, i: int) -> ChunkWords:
        chunk, words = self.chunks[i]
        if words is None:
            words = self.load(chunk.digest)
            self.chunks[i] = (chunk, words)
        return words

    def where(self, word: str) -> int:
        """The chunk the word is in, or the one it would go at the end of."""
        return max(0, bisect_right(self.firsts, word) - 1)


def _changes(old: "search_merge.Lang", new: "search_merge.Lang") -> dict:
    """The words whose page lists in the run differ: word → ((segment, variants) old, new)."""
    before = {w: (seg, dict(v)) for w, seg, v in old.words}
    out = {}
    for w, seg, v in new.words:
        was = before.pop(w, None)
        now = (seg, dict(v))
        if was != now:
            out[w] = (was, now)
    for w, was in before.items():
        out[w] = (was, None)
    return out


def _patched_entry(word: str, current, changes: list) -> tuple | None:
    """A word's entry with each run's part changed: *current* (entry, where) or None (a word
    new to the index); *changes* [(from, count, (segment, variants) old or None, new or None), …].
    Returns (entry, where, weight change) or None when no page is left."""
    if current is None:
        lists = {None: (b"\x80", ())}
    else:
        lists = {form: (data, cps) for form, data, cps in _lists_of(*current)}
    weight = 0
    for start, count, was, now in changes:
        old_seg, old_var = was if was is not None else (_EMPTY, {})
        new_seg, new_var = now if now is not None else (_EMPTY, {})
        weight += new_seg[4] - old_seg[4]
        for form in {None, *old_var, *new_var}:
            o = old_seg if form is None else old_var.get(form, _EMPTY)
            n = new_seg if form is None else new_var.get(form, _EMPTY)
            if o == n:
                continue
            data, cps = lists.get(form, (b"\x80", ()))
            data, cps, total = _splice(data, cps, o, n, start, count)
            if total or form is None:
                lists[form] = (data, cps)
            else:
                lists.pop(form, None)
    if lists[None][0] == b"\x80" and len(lists) == 1:
        return None
    ordered = [(None, *lists.pop(None))] + [(form, *lists[form]) for form in sorted(lists)]
    entry, where = _entry(word, ordered)
    return entry, where, weight


def _patch_words(words: _Words, changes: dict) -> tuple[list, list]:
    """The chunks with the changed words' entries patched (*changes*: word → its runs' changes,
    as _patched_entry takes them), cut again from the first changed chunk until a cut falls
    where it fell before; returns the new chunk list [(Chunk, ChunkWords or None), …] and the
    chunks made anew [(Chunk, file's bytes), …]."""
    n = len(words.chunks)
    if not n:
        raise Mismatch("no word chunks")
    by_chunk: dict[int, list[str]] = {}
    for word in sorted(changes):
        by_chunk.setdefault(words.where(word), []).append(word)
    out, made = [], []

    def close(cw: ChunkWords) -> None:
        raw = chunk_bytes(cw.entries)
        data = fmt.zipped(raw)
        chunk = Chunk(cw.words[0], cw.words[-1], fmt.sha1(raw[len(fmt.MAGIC):]), sha256(data))
        out.append((chunk, cw))
        made.append((chunk, data))

    cutter = Cutter(close)
    for i in range(n):
        if not cutter.open and i not in by_chunk:  # (a cut where it was before, no word changed)
            out.append(words.chunks[i])
            continue
        cw = words.of(i)
        rows = []  # (word, weight, entry, where) in order: the kept words and the changed ones
        k = 0
        for word in by_chunk.get(i, ()):
            j = bisect_left(cw.words, word, k)
            rows += zip(cw.words[k:j], cw.weights[k:j], cw.entries[k:j], cw.lists[k:j])
            k = j
            current, weight = None, 0
            if k < len(cw.words) and cw.words[k] == word:
                current, weight = (cw.entries[k], cw.lists[k]), cw.weights[k]
                k += 1
            patched = _patched_entry(word, current, changes[word])
            if patched is not None:
                rows.append((word, weight + patched[2], patched[0], patched[1]))
        rows += zip(cw.words[k:], cw.weights[k:], cw.entries[k:], cw.lists[k:])
        for row in rows:
            cutter.add(*row)
    cutter.flush()
    return out, made


# -- the bundle patched -------------------------------------------------------------------
def patch(state: Merged, keys: list[str], changed: dict, target: Path, put, put_known,
          run_of, chunk_words, shared) -> tuple[Merged, list]:
    """Write the bundle of the runs *keys* into *target*: *state*'s (the bundle of the runs
    state.keys) with the runs *changed* ({run's number: (Run as kept, Run now)}) patched in.
    *put(path, bytes)* writes a file, *put_known(path, SHA-256, load)* one whose digest is
    known; *run_of(number)*: a kept Run; *chunk_words(digest)*: a kept ChunkWords;
    *shared(SHA-256)*: a kept Pagefind file.  Returns the new state (chunks without their
    words) and the chunks' words to keep [(digest, ChunkWords), …]; raises Mismatch, before
    writing anything, when it cannot patch."""
    if len(keys) != len(state.keys):
        raise Mismatch("another number of runs")
    for old, new in changed.values():
        files = {name: sha256(data) for name, data in new.files.items()}  # (a run has its languages' files)
        if (old.entry != new.entry or set(old.langs) != set(new.langs) or not set(new.langs) <= set(state.langs)
                or files != {name: sha256(data) for name, data in old.files.items()}
                or any(state.files.get(name) != sha for name, sha in files.items())):
            raise Mismatch("the run's languages or Pagefind's files changed")
    langs, writes, keep = {}, [], []
    entry = {**state.written_entry, "languages": {k: dict(v) for k, v in state.written_entry["languages"].items()}}
    for lang, ls in state.langs.items():
        langs[lang], lang_writes, meta_hash = _patch_lang(lang, ls, changed, target, run_of, chunk_words)
        writes += lang_writes
        entry["languages"][lang]["hash"] = meta_hash
        keep += [(c.digest, cw) for c, cw in langs[lang].chunks if cw is not None]
        langs[lang].chunks = [(c, None) for c, _ in langs[lang].chunks]
    for name, sha in state.files.items():
        put_known(f"{target}/{name}", sha, lambda sha=sha: shared(sha))
    for how, *args in writes:
        (put if how == "put" else put_known)(*args)
    put(f"{target}/pagefind-entry.json", search_merge.entry_bytes(entry))
    return Merged(list(keys), state.entry, state.files, langs, entry), keep


def _patch_lang(lang: str, ls: LangState, changed: dict, target: Path, run_of, chunk_words):
    pages = list(ls.pages)
    filters = ls.filters
    field_runs = dict(ls.field_runs)
    fresh: dict[str, bytes] = {}
    changes: dict[str, list] = {}
    for r, (old_run, new_run) in sorted(changed.items()):
        start, count = ls.ranges[r]
        old, new = old_run.langs.get(lang), new_run.langs.get(lang)
        if [p[0] for p in (old.pages if old else ())] != [p[0] for p in (new.pages if new else ())]:
            raise Mismatch("the run's pages are others")
        if len(new.pages if new else ()) != count:
            raise Mismatch("the run's pages are not those kept")
        if not count:
            continue
        if (old.version, old.wasm) != (new.version, new.wasm):
            raise Mismatch("another Pagefind wrote the run")
        for field in set(old.fields) ^ set(new.fields):
            field_runs[field] = field_runs.get(field, 0) + (1 if field in new.fields else -1)
            if field not in ls.fields or not field_runs[field]:
                raise Mismatch("the run's meta fields change the index's")
        old, new = search_merge._with_fields(old, ls.fields), search_merge._with_fields(new, ls.fields)
        for k, (url, digest, words, raw) in enumerate(new.pages):
            data = raw if isinstance(raw, bytes) else raw.read_bytes()
            fresh[digest] = data
            pages[start + k] = (url, digest, words, sha256(data))
        for word, change in _changes(old, new).items():
            changes.setdefault(word, []).append((start, count, *change))
        if old.filters != new.filters:
            filters = _patched_filters(filters, start, count, new.filters)
    chunks, made = _patch_words(_Words(list(ls.chunks), chunk_words), changes)
    writes = []
    names = search_merge._fragment_names(lang, [p[1] for p in pages])
    seen: set[str] = set()
    folder = f"{target}/fragment/"  # (paths as strings: thousands of them)
    for r, (start, count) in enumerate(ls.ranges):
        for _, digest, _, sha in pages[start:start + count]:
            if digest in seen:
                continue
            seen.add(digest)
            path = f"{folder}{names[digest]}.pf_fragment"
            if digest in fresh:
                writes.append(("put", path, fresh[digest]))
            else:
                writes.append(("known", path, sha, lambda r=r, digest=digest: _fragment(run_of(r), lang, digest)))
    used: set[str] = set()
    made_digests = {c.digest: data for c, data in made}
    listed = []
    for chunk, _ in chunks:
        name = search_merge.short_name(lang, chunk.digest, used)
        listed.append(name)
        path = f"{target}/index/{name}.pf_index"
        if chunk.digest in made_digests:
            writes.append(("put", path, made_digests[chunk.digest]))
        else:
            writes.append(("known", path, chunk.sha,
                           lambda d=chunk.digest: fmt.zipped(chunk_bytes(chunk_words(d).entries))))
    bounds = fmt.chunk_bounds([(c.first, c.last) for c, _ in chunks])
    meta_chunks = [[frm, to, name] for (frm, to), name in zip(bounds, listed)]
    if filters is ls.filters:
        filter_files = ls.filter_files
    else:
        filter_files = search_merge.filter_files(lang, filters)
    for rel, data in filter_files[1]:
        writes.append(("put", f"{target}/{rel}", data))
    collected = []
    meta_hash = search_merge.write_meta(lang, ls.version, [(names[p[1]], p[2]) for p in pages], meta_chunks,
                                        filter_files[0], ls.fields, target,
                                        lambda path, data: collected.append(("put", path, data)))
    writes += collected
    new = LangState(ls.version, ls.wasm, ls.fields, pages, ls.ranges, chunks, filters, filter_files, field_runs)
    return new, writes, meta_hash


def _fragment(run, lang: str, digest: str) -> bytes:
    for _, d, _, raw in run.langs[lang].pages:
        if d == digest:
            return raw if isinstance(raw, bytes) else raw.read_bytes()
    raise KeyError(digest)


def _patched_filters(filters: dict, start: int, count: int, new: dict) -> dict:
    """The merged filters with the pages start … start + count - 1 given the run's values *new*."""
    out: dict[str, dict[str, list[int]]] = {}
    for name, values in filters.items():
        for value, numbers in values.items():
            kept = [p for p in numbers if not start <= p < start + count]
            if kept:
                out.setdefault(name, {})[value] = kept
    for name, values in new.items():
        for value, numbers in values.items():
            into = out.setdefault(name, {}).setdefault(value, [])
            into.extend(p + start for p in numbers)
            into.sort()
    return out

"""Several Pagefind bundles, each indexing a part of the site, merged into the one bundle a
single Pagefind run over the whole site would have written.

Why at build time and not in the browser (Pagefind's ``mergeIndex``): a word absent from a
part made Pagefind fall back to shorter prefixes in that part and return unrelated pages, and
each part ranked with its own page counts and lengths.  A merged bundle holds, for every word,
every page that has it, and the page lengths of the whole site, so the search computes what it
computes on one index.  What Pagefind stores for a page (its words and their positions, its
filters, its fragment) does not depend on the other pages of the run, so the merge only has to
renumber pages, join each word's page lists and cut the word list into chunks by Pagefind's rule.

Pages are numbered in the order of their URLs, so the bundle depends on the pages only: not on
how many runs there were, nor on the file system (one Pagefind run numbers pages in the order
the file system lists them, which differs between machines).

In two steps, so that an incremental build redoes only the first for the runs that changed:

- `read_run`: one run's bundle, its pages renumbered in the order of their URLs, each word's
  page list kept as a *segment* (pagefind_format: the list's bytes, which do not change when
  all its page numbers are shifted alike).  This is the part that reads every page entry.  A
  `Run` pickles: the search stage keeps it in an incremental build's cache.
- `write`: the runs, whose pages follow one another in URL order (search.runs_of cuts them so),
  joined: each run's page numbers shifted by the pages before it, so a word's merged page list
  is its runs' segments one after the other, one number written anew per segment.  Runs whose
  pages interleave are first combined entry by entry (`_combine`), so any split is merged right.
"""
from __future__ import annotations

import heapq
import json
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Callable

from . import pagefind_format as fmt, search_patch

FRAGMENT_DIGITS = 7  # Pagefind's short name of a fragment, chunk or filter file
META_DIGITS = 10  # and of a meta file
# What read_run makes: part of the cache keys of runs (teipress.outputs.search).
RUN_FORMAT = 1


@dataclass
class Lang:
    """One run's index of one language, its pages numbered in URL order."""
    version: str  # the meta file's version
    wasm: str
    fields: list[str]  # the meta fields, numbered as in the locations
    # (URL, SHA-1 of the fragment, word count, fragment file's bytes, or a file holding them)
    pages: list[tuple[str, str, int, bytes | Path]]
    # (word, segment, ((variant form, segment), …)) in word order; or an iterable of them that
    # reads them from a file (search.HeldWords)
    words: list[tuple]
    filters: dict[str, dict[str, list[int]]]  # name → value → page numbers, in order


@dataclass
class Run:
    entry: dict  # pagefind-entry.json but its languages
    langs: dict[str, Lang]
    files: dict[str, bytes]  # Pagefind's scripts, styles and WebAssembly


def merge(bundles: list[Path], target: Path) -> None:
    """Merge the bundles (each the output of one Pagefind run over some of the pages) into *target*."""
    write([read_run(b) for b in bundles], target)


def read_run(bundle: Path) -> Run:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    if entry.get("version") != fmt.VERSION:
        raise fmt.FormatError(f"{bundle}: Pagefind {entry.get('version')} wrote it; the merge reads {fmt.VERSION}")
    files = {f.name: f.read_bytes() for f in sorted(bundle.iterdir())
             if f.is_file() and f.suffix != ".pf_meta" and f.name != "pagefind-entry.json"}
    langs = {lang: _read_lang(bundle, info) for lang, info in entry["languages"].items()}
    return Run({k: v for k, v in entry.items() if k != "languages"}, langs, files)


def _read_lang(bundle: Path, info: dict) -> Lang:
    meta = fmt.read(bundle / f"pagefind.{info['hash']}.pf_meta")
    if len(meta) > 4 and meta[4]:
        raise fmt.FormatError(f"{bundle}: sort orders (data-pagefind-sort) cannot be merged")
    found = []
    for number, (short, words) in enumerate(meta[1]):
        raw = (bundle / "fragment" / f"{short}.pf_fragment").read_bytes()
        data = fmt.fragment_json(raw, short)
        found.append((json.loads(data)["url"], fmt.sha1(data), words, raw, number))
    found.sort(key=lambda f: f[:2])
    perm = [0] * len(found)
    for new, f in enumerate(found):
        perm[f[4]] = new
    words = []
    for _, _, short in meta[2]:
        words += fmt.read_segments(bundle / "index" / f"{short}.pf_index", perm)
    filters: dict[str, dict[str, list[int]]] = {}
    for _, short in meta[3]:
        name, values = fmt.read(bundle / "filter" / f"{short}.pf_filter")
        into = filters.setdefault(name, {})
        for value, pages in values:
            into.setdefault(value, []).extend(perm[p] for p in pages)
    for values in filters.values():
        for pages in values.values():
            pages.sort()
    return Lang(meta[0], info["wasm"], list(meta[5]) if len(meta) > 5 else [],
                [f[:4] for f in found], words, filters)


def write(runs: list[Run], target: Path, put: Callable[[Path, bytes], None] | None = None,
          keep: Callable | None = None) -> "search_patch.Merged | None":
    """The merged bundle of *runs* in *target*, each file written by *put* (default: written).
    With *keep*: also what search_patch needs to patch this bundle when a run changes (its
    state; each chunk's words are given to *keep(digest, ChunkWords)* as the chunk is written,
    not held), or None where it cannot."""
    put = put or _put
    # Pagefind's scripts and WebAssembly are the same in every bundle (they depend on the
    # languages only): the union of the runs' files.
    files: dict[str, bytes] = {}
    for r in runs:
        for name, data in sorted(r.files.items()):
            files.setdefault(name, data)
    for name, data in files.items():
        put(target / name, data)
    languages: dict[str, dict] = {}
    states: dict[str, search_patch.LangState | None] = {}
    for lang in sorted({lang for r in runs for lang in r.langs}):
        parts = [r.langs.get(lang) for r in runs]
        meta_hash, pages, states[lang] = _merge_language(lang, parts, target, put, keep)
        languages[lang] = {"hash": meta_hash, "wasm": next(p for p in parts if p).wasm, "page_count": pages}
    first = runs[0].entry if runs else {}
    entry = {"version": fmt.VERSION, "languages": languages,
             "include_characters": first.get("include_characters", [])}
    for key in sorted(set().union(*(r.entry for r in runs)) - set(entry)):
        entry[key] = first[key]
    put(target / "pagefind-entry.json", entry_bytes(entry))
    if not keep or not runs or any(s is None for s in states.values()):
        return None
    return search_patch.Merged([], first, {name: search_patch.sha256(data) for name, data in files.items()},
                               states, entry)


def entry_bytes(entry: dict) -> bytes:
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _put(path: Path | str, data: bytes) -> None:
    path = Path(path)
    try:
        path.write_bytes(data)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _merge_language(lang: str, runs: list[Lang | None], target: Path, put, keep: Callable | None = None):
    """The merged files of one language from each run's part (None: the run has none);
    returns the meta's name, the page count and, with *keep*, search_patch's state (None
    when the parts had to be combined: their pages interleave)."""
    fields = sorted({f for p in runs if p for f in p.fields})
    given = [_with_fields(p, fields) for p in runs if p and p.pages]
    parts = _in_order(given)
    plain = len(parts) == len(given) and all(a is b for a, b in zip(parts, given))
    pages = [page for p in parts for page in p.pages]
    shifts, before = [], 0
    for p in parts:  # a run's page numbers follow those of the runs before it
        shifts.append(before)
        before += len(p.pages)
    names = _fragment_names(lang, [p[1] for p in pages])
    written = {}
    for _, digest, _, raw in pages:
        if digest not in written:  # two pages with identical fragments share one file, as in Pagefind
            data = raw if isinstance(raw, bytes) else raw.read_bytes()
            written[digest] = search_patch.sha256(data) if keep else None
            put(target / "fragment" / f"{names[digest]}.pf_fragment", data)
    chunks, kept = _write_words(lang, parts, shifts, target, put, keep if plain else None)
    filters, files = _write_filters(lang, parts, shifts, target, put)
    version = parts[0].version if parts else fmt.VERSION
    meta_hash = write_meta(lang, version, [(names[p[1]], p[2]) for p in pages], chunks, filters, fields,
                           target, put)
    state = None
    if keep and plain:
        ranges, at = [], 0
        for p in runs:  # each run's pages: from, how many
            n = len(p.pages) if p else 0
            ranges.append((at, n))
            at += n
        state = search_patch.LangState(
            version, next(p for p in runs if p).wasm, fields,
            [(url, digest, words, written[digest]) for url, digest, words, _ in pages], ranges, kept,
            _merged_filters(parts, shifts), (filters, files),
            {f: sum(f in p.fields for p in runs if p) for f in fields})
    return meta_hash, len(pages), state


def write_meta(lang: str, version: str, pages: list, chunks: list, filters: list, fields: list,
               target: Path, put) -> str:
    """Write the meta file (pages as [fragment name, word count]); return its name's hash."""
    # (the pages as CBOR at once: [name, word count] each, thousands of them)
    head, text, uint = fmt._head, fmt._encode, fmt._uint
    out = [fmt.MAGIC, head(4, 6)]
    text(version, out)
    out.append(head(4, len(pages)))
    for name, words in pages:
        out.append(b"\x82")
        text(name, out)
        out.append(uint(words))
    for part in (chunks, filters, [], fields):
        text(part, out)
    raw = b"".join(out)
    meta_hash = f"{lang}_{fmt.sha1(raw[len(fmt.MAGIC):])[:META_DIGITS]}"  # Pagefind's meta name
    put(target / f"pagefind.{meta_hash}.pf_meta", fmt.zipped(raw))
    return meta_hash


def _fragment_names(lang: str, digests: list[str]) -> dict[str, str]:
    """Each fragment's file name: the shortest prefix of its SHA-1 (7 digits at least) that no
    other fragment shares, so that the names do not depend on which run met a page first."""
    digests = sorted(set(digests))
    names = {}
    for i, d in enumerate(digests):
        n = FRAGMENT_DIGITS
        for other in (digests[i - 1] if i else "", digests[i + 1] if i + 1 < len(digests) else ""):
            while other[:n] == d[:n] and n < len(d):
                n += 1
        names[d] = f"{lang}_{d[:n]}"
    return names


# -- runs that need more than shifting: other meta field numbers, interleaved pages ----------
def _with_fields(part: Lang, fields: list[str]) -> Lang:
    """*part* with its meta field numbers those of *fields* (a run numbers only its own)."""
    numbers = [fields.index(f) for f in part.fields]
    if numbers == list(range(len(numbers))):
        return part

    def renumbered(seg):
        if not seg[2]:
            return seg
        return fmt.segment([(n, fmt.with_meta_fields(body, numbers), w) for n, body, w in fmt.segment_entries(seg)])

    words = [(w, renumbered(seg), tuple((form, renumbered(v)) for form, v in variants))
             for w, seg, variants in part.words]
    return Lang(part.version, part.wasm, fields, part.pages, words, part.filters)


def _in_order(parts: list[Lang]) -> list[Lang]:
    """The parts in the order of their pages, parts whose pages interleave combined into one."""
    out: list[Lang] = []
    for p in sorted(parts, key=lambda p: p.pages[0][:2]):
        if out and out[-1].pages[-1][:2] >= p.pages[0][:2]:
            out[-1] = _combine(out[-1], p)
        else:
            out.append(p)
    return out


def _combine(a: Lang, b: Lang) -> Lang:
    """One part of two whose pages interleave: every page entry renumbered (the slow way)."""
    tagged = sorted([(p[:2], 0, i) for i, p in enumerate(a.pages)] + [(p[:2], 1, i) for i, p in enumerate(b.pages)])
    maps = ([0] * len(a.pages), [0] * len(b.pages))
    for new, (_, k, i) in enumerate(tagged):
        maps[k][i] = new
    pages = [(a, b)[k].pages[i] for _, k, i in tagged]

    def joined(segs):
        entries = sorted((maps[k][n], body, w) for k, seg in segs if seg[2] for n, body, w in fmt.segment_entries(seg))
        return fmt.segment(entries) if entries else (0, 0, 0, b"", 0)

    words = []
    for word, group in _grouped(heapq.merge(*[[(w, k, seg, v) for w, seg, v in p.words] for k, p in enumerate((a, b))],
                                            key=itemgetter(0))):
        forms: dict[str, list] = {}
        for _, k, _, variants in group:
            for form, v in variants:
                forms.setdefault(form, []).append((k, v))
        words.append((word, joined([(k, seg) for _, k, seg, _ in group]),
                      tuple((form, joined(forms[form])) for form in sorted(forms))))
    filters: dict[str, dict[str, list[int]]] = {}
    for k, part in enumerate((a, b)):
        for name, values in part.filters.items():
            into = filters.setdefault(name, {})
            for value, numbers in values.items():
                into.setdefault(value, []).extend(maps[k][n] for n in numbers)
    for values in filters.values():
        for numbers in values.values():
            numbers.sort()
    return Lang(a.version, a.wasm, a.fields, pages, words, filters)


def _grouped(rows):
    """Consecutive rows with the same word (row[0]), as (word, [rows])."""
    current, group = None, []
    for row in rows:
        if group and row[0] != current:
            yield current, group
            group = []
        current = row[0]
        group.append(row)
    if group:
        yield current, group


# -- the merged files ---------------------------------------------------------------------
def _write_words(lang: str, parts: list[Lang], shifts: list[int], target: Path, put,
                 keep: Callable | None = None) -> tuple[list[list[str]], list | None]:
    """Write the merged word chunks, cut where one Pagefind run cuts them; return the
    meta's chunk list [[from, to, hash], …] and, with *keep*, the chunks as search_patch lists
    them [(search_patch.Chunk, None), …], each chunk's words given to keep(digest, ChunkWords)."""
    chunks: list[tuple[str, str, str]] = []
    names: set[str] = set()
    kept: list | None = [] if keep else None

    def close(cw: search_patch.ChunkWords) -> None:
        raw = search_patch.chunk_bytes(cw.entries)
        name = _short_name(lang, raw, names)
        data = fmt.zipped(raw)
        put(target / "index" / f"{name}.pf_index", data)
        chunks.append((cw.words[0], cw.words[-1], name))
        if keep:
            chunk = search_patch.Chunk(cw.words[0], cw.words[-1], fmt.sha1(raw[len(fmt.MAGIC):]),
                                       search_patch.sha256(data))
            keep(chunk.digest, cw)
            kept.append((chunk, None))

    cutter = search_patch.Cutter(close)
    entry = search_patch.word_entry
    keep_lists = keep is not None
    # (each run's words walked as the merge reaches them, not copied: a run's words may wait in
    # a file, read a block at a time: search._Spill)
    streams = [_shifted(p.words, shift) for p, shift in zip(parts, shifts)]
    for word, group in _grouped(heapq.merge(*streams, key=itemgetter(0))):
        if len(group) == 1:  # (the common case, made short)
            _, shift, seg, variants = group[0]
            weight = seg[4]  # Pagefind's measure of a chunk (pagefind_format.segment)
            raw, where = entry(word, [(shift, seg)],
                               [(form, [(shift, v)]) for form, v in sorted(variants, key=itemgetter(0))], keep_lists)
        else:
            weight = sum(row[2][4] for row in group)
            forms: dict[str, list] = {}
            for _, shift, _, variants in group:
                for form, v in variants:
                    forms.setdefault(form, []).append((shift, v))
            raw, where = entry(word, [(shift, seg) for _, shift, seg, _ in group],
                               sorted(forms.items(), key=itemgetter(0)), keep_lists)
        cutter.add(word, weight, raw, where)
    cutter.flush()
    bounds = fmt.chunk_bounds([(c[0], c[1]) for c in chunks])
    return [[frm, to, c[2]] for (frm, to), c in zip(bounds, chunks)], kept


def _shifted(words, shift: int):
    """A run's words as _write_words merges them: (word, its run's shift, segment, variants)."""
    for w, seg, v in words:
        yield w, shift, seg, v


def _merged_filters(parts: list[Lang], shifts: list[int]) -> dict[str, dict[str, list[int]]]:
    merged: dict[str, dict[str, list[int]]] = {}
    for part, shift in zip(parts, shifts):
        for name, values in part.filters.items():
            into = merged.setdefault(name, {})
            for value, pages in values.items():
                into.setdefault(value, []).extend(p + shift for p in pages)
    return merged


def _write_filters(lang: str, parts: list[Lang], shifts: list[int], target: Path, put):
    """One filter file per filter name, values sorted, each value's pages in order; returns the
    meta's filter list and the files [(path in the bundle, bytes), …]."""
    out, files = filter_files(lang, _merged_filters(parts, shifts))
    for rel, data in files:
        put(target / rel, data)
    return out, files


def filter_files(lang: str, merged: dict[str, dict[str, list[int]]]) -> tuple[list[list[str]], list]:
    out, files = [], []
    used: set[str] = set()
    for name in sorted(merged):
        raw = fmt.encode([name, [[v, ps] for v, ps in sorted(merged[name].items())]])
        short = _short_name(lang, raw, used)
        files.append((f"filter/{short}.pf_filter", fmt.zipped(raw)))
        out.append([name, short])
    return out, files


def _short_name(lang: str, raw: bytes, used: set[str]) -> str:
    """A chunk's or filter's file name, as Pagefind names it: the language and the first 7
    digits of the SHA-1 of its content, one digit more while another file has that name."""
    return short_name(lang, fmt.sha1(raw[len(fmt.MAGIC):]), used)


def short_name(lang: str, digest: str, used: set[str]) -> str:
    """_short_name of a file whose content's SHA-1 is *digest*."""
    n = FRAGMENT_DIGITS
    while f"{lang}_{digest[:n]}" in used and n < len(digest):
        n += 1
    used.add(f"{lang}_{digest[:n]}")
    return f"{lang}_{digest[:n]}"

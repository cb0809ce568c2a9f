"""Several Pagefind bundles, each indexing a part of the site, merged into the one bundle a
single Pagefind run over the whole site would have written.

Why at build time and not in the browser (Pagefind's ``mergeIndex``): a word absent from a
part made Pagefind fall back to shorter prefixes in that part and return unrelated pages, and
each part ranked with its own page counts and lengths.  A merged bundle holds, for every word,
every page that has it, and the page lengths of the whole site, so the search computes what it
computes on one index.  What Pagefind stores for a page (its words and their positions, its
filters, its fragment) does not depend on the other pages of the run, so the merge only has to
renumber pages, join each word's page lists and cut the word list into chunks by Pagefind's rule.

Memory: the parts' word chunks are read one at a time per part, in word order (a k-way merge);
what stays in memory for the whole site is one short entry per page and the filters.

Pages are numbered in the order of their URLs, so the bundle depends on the pages only: not on
how many runs there were, nor on the file system (one Pagefind run numbers pages in the order
the file system lists them, which differs between machines).
"""
from __future__ import annotations

import heapq
import json
import os
import shutil
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from . import pagefind_format as fmt

FRAGMENT_DIGITS = 7  # Pagefind's short name of a fragment, chunk or filter file
META_DIGITS = 10  # and of a meta file
_number = itemgetter(0)


@dataclass
class _Part:
    """One part's index of one language."""
    bundle: Path
    meta: list
    numbers: list[int] = field(default_factory=list)  # the part's page number → the merged one


@dataclass
class _Page:
    url: str
    digest: str  # SHA-1 of the fragment's JSON
    words: int
    source: Path  # the fragment file


def merge(bundles: list[Path], target: Path) -> None:
    """Merge the bundles (each the output of one Pagefind run over some of the pages) into *target*.
    The page fragments are moved, not copied: the bundles are spent."""
    entries = [json.loads((b / "pagefind-entry.json").read_text(encoding="utf-8")) for b in bundles]
    for b, entry in zip(bundles, entries):
        if entry.get("version") != fmt.VERSION:
            raise fmt.FormatError(f"{b}: Pagefind {entry.get('version')} wrote it; the merge reads {fmt.VERSION}")
    target.mkdir(parents=True)
    # Pagefind's scripts and WebAssembly are the same in every bundle (they depend on the
    # languages only): the union of the parts' files.
    for b in bundles:
        for f in sorted(b.iterdir()):
            if f.is_file() and f.suffix != ".pf_meta" and f.name != "pagefind-entry.json" and not (target / f.name).exists():
                shutil.copyfile(f, target / f.name)
    for sub in ("fragment", "index", "filter"):
        (target / sub).mkdir()
    languages: dict[str, dict] = {}
    for lang in sorted({lang for e in entries for lang in e["languages"]}):
        parts = [_Part(b, fmt.read(b / f"pagefind.{e['languages'][lang]['hash']}.pf_meta"))
                 for b, e in zip(bundles, entries) if lang in e["languages"]]
        wasm = next(e["languages"][lang]["wasm"] for e in entries if lang in e["languages"])
        meta_hash, pages = _merge_language(lang, parts, target)
        languages[lang] = {"hash": meta_hash, "wasm": wasm, "page_count": pages}
    entry = {"version": fmt.VERSION, "languages": languages,
             "include_characters": entries[0].get("include_characters", [])}
    for key in sorted(set().union(*entries) - set(entry)):
        entry[key] = entries[0][key]
    (target / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                                                encoding="utf-8")


def _merge_language(lang: str, parts: list[_Part], target: Path) -> tuple[str, int]:
    version = parts[0].meta[0]
    meta_fields = sorted({f for p in parts for f in (p.meta[5] if len(p.meta) > 5 else [])})
    for p in parts:
        if len(p.meta) > 4 and p.meta[4]:
            raise fmt.FormatError(f"{p.bundle}: sort orders (data-pagefind-sort) cannot be merged")
    pages = _number_pages(parts)
    names = _fragment_names(lang, pages)
    for page in pages:
        dest = target / "fragment" / f"{names[page.digest]}.pf_fragment"
        if not dest.exists():  # two pages with identical fragments share one file, as in Pagefind
            os.replace(page.source, dest)
    field_maps = [_field_map(p, meta_fields) for p in parts]
    chunks = _write_words(lang, parts, field_maps, target)
    filters = _write_filters(lang, parts, target)
    meta = [version, [[names[p.digest], p.words] for p in pages], chunks, filters, [], meta_fields]
    raw = fmt.encode(meta)
    meta_hash = f"{lang}_{fmt.sha1(raw[len(fmt.MAGIC):])[:META_DIGITS]}"  # Pagefind's meta name
    (target / f"pagefind.{meta_hash}.pf_meta").write_bytes(fmt.zipped(raw))
    return meta_hash, len(pages)


def _number_pages(parts: list[_Part]) -> list[_Page]:
    """Every page of every part, numbered in the order of their URLs."""
    found = []
    for k, part in enumerate(parts):
        part.numbers = [0] * len(part.meta[1])
        for number, (short, words) in enumerate(part.meta[1]):
            source = part.bundle / "fragment" / f"{short}.pf_fragment"
            data = fmt.read_fragment(source)
            url = json.loads(data)["url"]
            found.append((url, fmt.sha1(data), k, number, words, source))
    found.sort(key=lambda f: f[:2])
    merged = []
    for url, digest, k, number, words, source in found:
        parts[k].numbers[number] = len(merged)
        merged.append(_Page(url, digest, words, source))
    return merged


def _fragment_names(lang: str, pages: list[_Page]) -> dict[str, str]:
    """Each fragment's file name: the shortest prefix of its SHA-1 (7 digits at least) that no
    other fragment shares, so that the names do not depend on which run met a page first."""
    digests = sorted({p.digest for p in pages})
    names = {}
    for i, d in enumerate(digests):
        n = FRAGMENT_DIGITS
        for other in (digests[i - 1] if i else "", digests[i + 1] if i + 1 < len(digests) else ""):
            while other[:n] == d[:n] and n < len(d):
                n += 1
        names[d] = f"{lang}_{d[:n]}"
    return names


def _field_map(part: _Part, meta_fields: list[str]) -> list[int] | None:
    """Each of the part's meta field numbers → the merged one (None: the same numbers)."""
    mine = part.meta[5] if len(part.meta) > 5 else []
    numbers = [meta_fields.index(f) for f in mine]
    return None if numbers == list(range(len(mine))) else numbers


def _renumber(pages: list, numbers: list[int], fields: list[int] | None) -> list:
    fmt.absolute(pages)
    for entry in pages:
        entry[0] = numbers[entry[0]]
        if fields is not None:
            fmt.with_meta_fields(entry, fields)
    return pages


def _words(part: _Part, fields: list[int] | None):
    """The part's words in word order, one chunk in memory at a time, renumbered."""
    for _, _, short in part.meta[2]:
        for word, pages, variants in fmt.read_words(part.bundle / "index" / f"{short}.pf_index"):
            _renumber(pages, part.numbers, fields)
            for v in variants:
                _renumber(v[1], part.numbers, fields)
            yield word, pages, variants


def _joined(streams):
    """The words of all parts, each once, with its pages (and its variants' pages) joined."""
    current = None
    for word, pages, variants in heapq.merge(*streams, key=lambda w: w[0]):
        if current is not None and current[0] == word:
            current[1].extend(pages)
            for form, vpages in variants:
                current[2].setdefault(form, []).extend(vpages)
            continue
        if current is not None:
            yield current
        current = [word, pages, {}]
        for form, vpages in variants:
            current[2].setdefault(form, []).extend(vpages)
    if current is not None:
        yield current


def _write_words(lang: str, parts: list[_Part], field_maps, target: Path) -> list[list[str]]:
    """Write the merged word chunks, cut where one Pagefind run cuts them; return the
    meta's chunk list [[from, to, hash], …]."""
    chunks: list[tuple[str, str, str]] = []
    names: set[str] = set()
    chunk: list = []
    size = 0

    def close():
        raw = fmt.encode_words(chunk)
        name = _short_name(lang, raw, names)
        (target / "index" / f"{name}.pf_index").write_bytes(fmt.zipped(raw))
        chunks.append((chunk[0][0], chunk[-1][0], name))

    streams = [_words(p, fm) for p, fm in zip(parts, field_maps)]
    for word, pages, variants in _joined(streams):
        entry = [word, fmt.differences(sorted(pages, key=_number)),
                 [[form, fmt.differences(sorted(vpages, key=_number))] for form, vpages in sorted(variants.items())]]
        size += sum(p[2] for p in pages)  # Pagefind's measure of a chunk (fmt._pages)
        chunk.append(entry)
        if size >= fmt.CHUNK_SIZE:
            close()
            chunk, size = [], 0
    if chunk:
        close()
    bounds = fmt.chunk_bounds([(c[0], c[1]) for c in chunks])
    return [[frm, to, c[2]] for (frm, to), c in zip(bounds, chunks)]


def _write_filters(lang: str, parts: list[_Part], target: Path) -> list[list[str]]:
    """One filter file per filter name, values sorted, each value's pages in order."""
    merged: dict[str, dict[str, list[int]]] = {}
    for part in parts:
        for name, short in part.meta[3]:
            fname, values = fmt.read(part.bundle / "filter" / f"{short}.pf_filter")
            into = merged.setdefault(fname, {})
            for value, pages in values:
                into.setdefault(value, []).extend(part.numbers[p] for p in pages)
    out = []
    used: set[str] = set()
    for name in sorted(merged):
        raw = fmt.encode([name, [[v, sorted(ps)] for v, ps in sorted(merged[name].items())]])
        short = _short_name(lang, raw, used)
        (target / "filter" / f"{short}.pf_filter").write_bytes(fmt.zipped(raw))
        out.append([name, short])
    return out


def _short_name(lang: str, raw: bytes, used: set[str]) -> str:
    """A chunk's or filter's file name, as Pagefind names it: the language and the first 7
    digits of the SHA-1 of its content, one digit more while another file has that name."""
    digest = fmt.sha1(raw[len(fmt.MAGIC):])
    n = FRAGMENT_DIGITS
    while f"{lang}_{digest[:n]}" in used and n < len(digest):
        n += 1
    used.add(f"{lang}_{digest[:n]}")
    return f"{lang}_{digest[:n]}"

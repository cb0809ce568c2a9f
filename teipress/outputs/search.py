"""Build stage `search`: the full-text index of the HTML edition, made by Pagefind.

Pagefind (the `pagefind-bin` wheel carries its binary) reads the document pages'
``data-pagefind-body`` and the filters document, person and year, and writes
``html/pagefind/``; the search page loads its UI from there, from this site only.

One Pagefind run holds every page of the site in memory (3.8 GB for 44,000 pages), so the
pages are indexed in runs of at most `PAGES_PER_RUN` and the runs' bundles merged into one
(search_merge.py): the same index, within the memory of one run.  In an incremental build a
run whose pages did not change is taken from the cache.  The stage's only input is the folder
of HTML pages; `index_site` works on any such folder.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .. import workers
from ..commands import cache as cache_mod, output
from ..commands.build import BuildContext, BuildError
from . import pagefind_format, search_merge, search_patch

# Pages per Pagefind run at most: about 0.25 GB of memory on letter pages (see
# docs/benchmarks.md, "Search at scale").  The index does not depend on it.
PAGES_PER_RUN = 1000
# How many pages a run holds on average: one letter changed has its run indexed again in an
# incremental build, so a short run keeps that quick (Pagefind over 64 pages: about 0.3 s,
# over 1,000: 3-4 s), and Pagefind's time over the whole site is the same in runs of 100 as in
# one run of 1,000 (measured, docs/benchmarks.md).  Measured again on the 5,000 letters (5,011
# pages): Pagefind costs about 4.7 ms of CPU a page in runs of 64 as in runs of 200, so runs of
# 200 would save about 2 s of the stage's 28 s of CPU, while a one-letter build would index 200
# pages (1.0 s of CPU) instead of 64 (0.35 s).
RUN_PAGES = 64
# Bytes of the runs' fragments and words held in memory until the merge writes them; beyond,
# they wait in a file (search._Spill): at 20,000 letters the runs held whole took 320 MB.
SPILL_FROM = 64 << 20
BUNDLE = "pagefind"
# An element carrying data-pagefind-body; text cannot match: its "<" is written "&lt;".
_BODY = re.compile(rb"<[A-Za-z][^<>]*?\sdata-pagefind-body[\s=/>]")


def executable() -> str:
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise BuildError("the search index needs the Python package pagefind-bin; run `make` "
                         "(or pip install -r requirements.lock)") from None
    try:
        return str(get_executable().absolute())
    except FileNotFoundError as exc:
        raise BuildError(f"pagefind-bin is installed without its binary ({exc}); reinstall it") from None


def build(ctx: BuildContext) -> None:
    site = ctx.out / "html"
    if not output.made_file(site / "index.html"):
        raise BuildError("the search stage indexes the HTML edition, but build/html was not made; "
                         "build the html stage too (e.g. --only html --only search)")
    # The bundle's files are written into the new output like the pages: where the previous
    # output holds the same bytes at the same place, linked from it (commands/output.put).
    index_site(site, language=ctx.edition.config.get("language"), work=ctx.scratch, cache=ctx.cache,
               put=lambda path, data: output.put(path, data, ctx.out, ctx.before), made=output.made_under(site),
               put_known=lambda path, sha, load: output.put_known(path, sha, load, ctx.out, ctx.before))


def url_of(rel: str) -> str:
    """The URL Pagefind gives the page at *rel* (a path relative to the site)."""
    return "/" + (rel[:-len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel)


def pages_to_index(site: Path) -> list[Path]:
    """The pages one Pagefind run over *site* would index, in the order of their URLs: those
    with a data-pagefind-body if any page has one (Pagefind then passes over the others), else all."""
    return [Path(page) for page, _ in _scan(site)]


def _scan(site: Path, made: list[tuple[str, str]] | None = None, cache=None) -> list[tuple[Path, str]]:
    """pages_to_index with each page's path in the site and digest (what a run's key is made of).
    *made*: the files of the site as the build made them (path in the site, SHA-256), so that
    no page is looked for on disk (an incremental build's folder may hold pages of an earlier
    build, commands/shadow.py); with *cache*, whether a page has a body is kept under its
    digest, so that an unchanged page is not read."""
    top = len(str(site)) + 1
    pages = []
    if made is None:
        for p in site.rglob("*.html"):
            rel = str(p)[top:].replace(os.sep, "/")
            if not rel.startswith(BUNDLE + "/"):
                pages.append((url_of(rel), rel, p, None))
    else:
        prefix = f"{site}{os.sep}"  # (a page as a string: a Path is made only for a run given to Pagefind)
        for rel, sha in made:
            if rel.endswith(".html") and not rel.startswith(BUNDLE + "/"):
                pages.append((url_of(rel), rel, prefix + rel, sha))
    pages.sort()
    slot = cache_mod.digest("search", "pages with a body")
    kept = cache.get_object("search", slot) if cache is not None and made is not None else None
    known = kept if isinstance(kept, dict) else {}
    bodies = {}
    body, every = [], []
    for _, rel, page, sha in pages:
        has = known.get(sha) if sha is not None else None
        if has is None:
            data = Path(page).read_bytes()
            sha = hashlib.sha256(data).hexdigest()
            has = b"data-pagefind-body" in data and _BODY.search(data) is not None  # (the quick test first)
        bodies[sha] = has
        every.append((page, (rel, sha)))
        if has:
            body.append(every[-1])
    if cache is not None and made is not None and bodies != known:
        cache.put_object("search", slot, bodies)
    return body or every


def runs_of(site: Path, pages: list[Path], per_run: int) -> list[list[Path]]:
    """The pages (in URL order) cut into runs of at most *per_run*.  A run ends after a page
    whose path's digest says so (one page in RUN_PAGES, or in per_run / 2 if that is fewer),
    or when it is full: where the runs
    are cut depends on the pages at the cuts, not on their positions, so a page added or
    removed changes its own run (and the next when a full run was cut) and leaves the others,
    and their entries in an incremental build's cache, as they were.  Each run's pages follow
    the previous run's in URL order, as the merge numbers them (search_merge.write)."""
    every = max(1, min(RUN_PAGES, per_run // 2))
    runs, run = [], []
    top = len(str(site)) + 1
    for page in pages:
        run.append(page)
        rel = str(page)[top:].replace(os.sep, "/").encode("utf-8")
        if len(run) >= per_run or int.from_bytes(hashlib.sha1(rel).digest()[:4], "big") % every == 0:
            runs.append(run)
            run = []
    return runs + [run] if run or not runs else runs


def index_site(site: Path, language: str | None = None, pages_per_run: int | None = None,
               work: Path | None = None, cache: "cache_mod.Cache | None" = None, put=None,
               made: list[tuple[str, str]] | None = None, put_known=None) -> None:
    """Write *site*/pagefind/: Pagefind over the site's pages, at most `pages_per_run` (default
    PAGES_PER_RUN) pages a run, the runs' bundles merged.  *work*: where the runs' files go;
    *cache*: an incremental build's cache, which keeps each run as the merge reads it
    (search_merge.Run), so that only the runs whose pages changed are given to Pagefind again,
    and the merged bundle (search_patch), so that only what those runs changed is merged again;
    *put(path, bytes)*: writes a file of the bundle (default: the bundle is made apart and
    moved into place); *put_known(path, SHA-256, load)*: writes a file whose digest is known,
    load() giving its bytes if they are needed; *made*: the site's files as the build made them
    (see _scan)."""
    scanned = _scan(site, made, cache)
    digests = dict(scanned)
    runs = runs_of(site, [page for page, _ in scanned], pages_per_run or PAGES_PER_RUN)
    tmp = Path(tempfile.mkdtemp(prefix="search-", dir=work or site.parent))
    try:
        got: list[search_merge.Run | None] = [None] * len(runs)
        keys = _run_keys(runs, digests, language) if cache is not None else []
        target = site / BUNDLE if put is not None else tmp / "merged"
        if put is not None and made is None and (site / BUNDLE).exists():  # (else the build's Writer removes what is not made)
            shutil.rmtree(site / BUNDLE)
        put = put or search_merge._put
        put_known = put_known or (lambda path, sha, load: put(path, load()))
        shared: dict[str, bytes] = {}  # (Pagefind's files, the same in every run: read and checked once)
        if cache is None or not _patched(site, runs, keys, got, tmp, language, cache, shared, target, put, put_known):
            spilled = _Spill(tmp / "fragments")
            same: dict[str, bytes] = {}  # (Pagefind's files by name, held once: _sharing_files)
            for n, key in enumerate(keys):
                got[n] = spilled(got[n] or _cached_run(cache, key, shared))
            todo = [n for n, r in enumerate(got) if r is None]
            try:
                indexed = _pagefind_runs(site, [runs[n] for n in todo], tmp, language)
                with contextlib.closing(indexed):  # (a failure stops the Pagefind runs still going)
                    for n, bundle in zip(todo, indexed):
                        got[n] = _sharing_files(search_merge.read_run(bundle), same)
                        shutil.rmtree(bundle)
                        if cache is not None:
                            _keep_run(cache, keys[n], got[n])
                        spilled(got[n])
                state = search_merge.write(got, target, put, keep=None if cache is None else (
                    lambda digest, words: cache.put_object("search", search_patch.chunk_key(digest), words)))
                spilled.close()
            except (pagefind_format.FormatError, KeyError, IndexError, TypeError, ValueError, OSError) as exc:
                raise BuildError(f"could not merge Pagefind's indexes: {exc}") from None
            if cache is not None:
                _keep_state(cache, state, keys)
        if target != site / BUNDLE:
            if (site / BUNDLE).exists():
                shutil.rmtree(site / BUNDLE)
            shutil.move(str(target), site / BUNDLE)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _patched(site, runs, keys, got, tmp, language, cache, shared, target, put, put_known) -> bool:
    """The bundle written by patching the previous build's (search_patch), if it is kept and
    few runs changed: whether it was.  The runs given to Pagefind are left in *got* for a merge
    of everything when the patch cannot be made."""
    state = cache.get_object("search", search_patch.slot())
    if not isinstance(state, search_patch.Merged) or len(state.keys) != len(keys):
        return False
    todo = [n for n, (was, key) in enumerate(zip(state.keys, keys)) if was != key]
    if len(todo) * 4 > len(keys):  # (a merge of everything costs less)
        return False
    # what the patch may read while it writes is there (a file written and then given up would
    # stay in the output)
    wanted = [*state.keys, *state.files.values(),
              *(search_patch.chunk_key(c.digest) for lang in state.langs.values() for c, _ in lang.chunks)]
    if any(cache.locate("search", key) is None for key in wanted):
        return False
    try:
        indexed = _pagefind_runs(site, [runs[n] for n in todo], tmp, language)
        with contextlib.closing(indexed):
            for n, bundle in zip(todo, indexed):
                got[n] = search_merge.read_run(bundle)
                shutil.rmtree(bundle)
                _keep_run(cache, keys[n], got[n])
        changed = {}
        for n in todo:
            old = _cached_run(cache, state.keys[n], shared)
            if old is None:
                return False
            changed[n] = (old, got[n])
        runs_kept: dict[int, search_merge.Run] = {}

        def run_of(n):  # (a fragment the output does not hold: rare, so one run held at a time)
            if n not in runs_kept:
                runs_kept.clear()
                runs_kept[n] = got[n] or _cached_run(cache, keys[n], shared)
            if runs_kept[n] is None:
                raise search_patch.Mismatch("a run is not in the cache")
            return runs_kept[n]

        def chunk_words(digest):
            words = cache.get_object("search", search_patch.chunk_key(digest))
            if not isinstance(words, search_patch.ChunkWords):
                raise search_patch.Mismatch("a word chunk is not in the cache")
            return words

        def kept_file(sha):
            data = shared.get(sha) or cache.get("search", sha)
            if data is None:
                raise search_patch.Mismatch("a file of Pagefind's is not in the cache")
            return data

        new, words = search_patch.patch(state, keys, changed, target, put, put_known, run_of, chunk_words, kept_file)
    except search_patch.Mismatch:
        return False
    except (pagefind_format.FormatError, KeyError, IndexError, TypeError, ValueError, OSError) as exc:
        raise BuildError(f"could not merge Pagefind's indexes: {exc}") from None
    for n, key in enumerate(keys):
        if n not in changed:
            cache.keep("search", key)
    for sha in new.files.values():
        cache.keep("search", sha)
    made = {digest for digest, _ in words}
    for digest, chunk_words_ in words:
        cache.put_object("search", search_patch.chunk_key(digest), chunk_words_)
    for lang in new.langs.values():
        for chunk, _ in lang.chunks:
            if chunk.digest not in made:
                cache.keep("search", search_patch.chunk_key(chunk.digest))
    cache.put_object("search", search_patch.slot(), new)
    return True


def _keep_state(cache, state: "search_patch.Merged | None", keys: list[str]) -> None:
    """Keep the merged bundle's state (its chunks' words were kept apart as they were written)."""
    if state is not None:
        state.keys = list(keys)
    cache.put_object("search", search_patch.slot(), state)


class _Spill:
    """Where the runs wait until the merge writes them: in memory up to SPILL_FROM bytes (a site
    of 5,000 letters holds about 20 MB of fragments and some 100 MB of words), beyond that in
    one scratch file of *folder*, a run's fragments as they are and its words pickled in
    blocks (Held, HeldWords), read back as the merge reaches them: the merge walks every run's
    words side by side in word order, so it then holds one block a run, not every run's words,
    and the memory of the stage stays bounded however many pages the site has."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.held = 0
        self.file = None
        self.size = 0

    def __call__(self, run: "search_merge.Run | None") -> "search_merge.Run | None":
        if run is None:
            return None
        for lang in run.langs.values():
            size = sum(len(raw) for _, _, _, raw in lang.pages if isinstance(raw, bytes))
            words = isinstance(lang.words, list)
            if words:
                size += _words_size(lang.words)
            if self.held + size <= SPILL_FROM:
                self.held += size
                continue
            pages = []
            for url, digest, count, raw in lang.pages:
                if isinstance(raw, bytes):
                    raw = Held(self, self.put(raw), len(raw))
                pages.append((url, digest, count, raw))
            lang.pages = pages
            if words:
                lang.words = HeldWords(self, lang.words)
        return run

    def put(self, data: bytes) -> int:
        """Write *data* at the end of the scratch file; returns where it starts."""
        if self.file is None:
            self.folder.mkdir(exist_ok=True)
            self.file = open(self.folder / "spill", "w+b")
        offset = self.size
        os.pwrite(self.file.fileno(), data, offset)
        self.size += len(data)
        return offset

    def read(self, offset: int, size: int) -> bytes:
        return os.pread(self.file.fileno(), size, offset)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def _words_size(words: list) -> int:
    """About the memory a run's words take as objects: their segments' bytes and some 300
    bytes for each word's and variant's tuples, strings and numbers."""
    return sum(300 + len(w) + len(seg[3]) + sum(250 + len(form) + len(v[3]) for form, v in variants)
               for w, seg, variants in words)


class Held:
    """A fragment's bytes waiting in a _Spill's file (the merge reads them: read_bytes)."""

    __slots__ = ("spill", "offset", "size")

    def __init__(self, spill: _Spill, offset: int, size: int):
        self.spill, self.offset, self.size = spill, offset, size

    def read_bytes(self) -> bytes:
        return self.spill.read(self.offset, self.size)


class HeldWords:
    """A run's words (search_merge.Lang.words) waiting in a _Spill's file, pickled in blocks of
    BLOCK words: iterated in order, one block unpickled at a time (the merge walks every run at
    once: 313 runs at 20,000 letters, so a block of 2,048 words a run held 200 MB)."""

    BLOCK = 256

    def __init__(self, spill: _Spill, words: list):
        self.spill = spill
        self.blocks = []
        for start in range(0, len(words), self.BLOCK):
            data = pickle.dumps(words[start:start + self.BLOCK], protocol=pickle.HIGHEST_PROTOCOL)
            self.blocks.append((spill.put(data), len(data)))
        self.count = len(words)

    def __len__(self) -> int:
        return self.count

    def __iter__(self):
        for offset, size in self.blocks:
            yield from pickle.loads(self.spill.read(offset, size))


def _sharing_files(run: "search_merge.Run", same: dict[str, bytes]) -> "search_merge.Run":
    """*run* with each of Pagefind's files (its scripts, styles and WebAssembly: 0.6 MB, the
    same in every run) the one *same* holds by that name when their bytes are equal: at 20,000
    letters the 313 runs' own copies took 200 MB until the merge."""
    for name, data in run.files.items():
        held = same.setdefault(name, data)
        if held is not data and held == data:
            run.files[name] = held
    return run


def _run_keys(runs: list[list[Path]], digests: dict, language: str | None) -> list[str]:
    """Each run's key: Pagefind's version, the command's options, the pages' paths and bytes
    (*digests*: page → its path in the site and digest), and the form search_merge.read_run
    gives it."""
    version, options = cache_mod.package_version("pagefind-bin"), _options(language)
    return [cache_mod.digest("pagefind run", search_merge.RUN_FORMAT, version, options, [digests[p] for p in run])
            for run in runs]


def _cached_run(cache, key: str, shared: dict | None = None) -> "search_merge.Run | None":
    """A run from the cache, its Pagefind files (the same in every run) kept once apart;
    *shared*: those already read and checked in this build, by digest."""
    kept = cache.get_object("search", key)
    if not isinstance(kept, search_merge.Run):
        return None
    files = {}
    shared = shared if shared is not None else {}
    for name, sha in kept.files.items():
        data = shared.get(sha)
        if data is None:
            data = cache.get("search", sha)
            if data is None or hashlib.sha256(data).hexdigest() != sha:
                return None
            shared[sha] = data
        else:
            cache.keep("search", sha)
        files[name] = data
    kept.files = files
    return kept


def _keep_run(cache, key: str, run: "search_merge.Run") -> None:
    shas = {}
    for name, data in run.files.items():
        shas[name] = sha = hashlib.sha256(data).hexdigest()
        if cache.get("search", sha) is None:
            cache.put("search", sha, data)
    cache.put_object("search", key, search_merge.Run(run.entry, run.langs, shas))


def _pagefind_runs(site: Path, runs: list[list[Path]], tmp: Path, language: str | None):
    """Pagefind over each run, several at a time (one a core): the bundle of each run, in
    order, as it is done (the caller reads one while Pagefind indexes the next)."""
    at_once = max(1, workers.jobs())
    started: list[tuple[subprocess.Popen, Path, Path]] = []
    queue = list(enumerate(runs))
    try:
        while queue or started:
            while queue and len(started) < at_once:
                n, run = queue.pop(0)
                part = tmp / f"site-{n}"
                for page in run:  # the run's pages at their own paths, so the URLs are the site's
                    dest = part / Path(page).relative_to(site)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    _link(page, dest)
                part.mkdir(exist_ok=True)
                started.append((_start(part, tmp / f"bundle-{n}", language, tmp), part, tmp / f"bundle-{n}"))
            proc, part, bundle = started.pop(0)
            _finish(proc, bundle)
            shutil.rmtree(part)
            yield bundle
    finally:
        for proc, _, _ in started:
            proc.kill()
            proc.wait()


def _link(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
    except OSError:  # another file system, or no hard links: a copy does as well
        shutil.copyfile(src, dest)


def _options(language: str | None) -> list[str]:
    return ["--quiet"] + (["--force-language", language] if language else [])


def _pagefind(site: Path, bundle: Path, language: str | None, home: Path) -> None:
    """Pagefind over the folder *site*, its bundle written to *bundle*."""
    _finish(_start(site, bundle, language, home), bundle)


def _start(site: Path, bundle: Path, language: str | None, home: Path) -> subprocess.Popen:
    cmd = [executable(), "--site", str(site), "--output-path", str(bundle), *_options(language)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={"PATH": "/usr/bin:/bin", "HOME": str(home)})


def _finish(proc: subprocess.Popen, bundle: Path) -> None:
    try:
        stdout, stderr = proc.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise BuildError("Pagefind took more than 10 minutes to index the site") from None
    if proc.returncode != 0 or not (bundle / "pagefind.js").is_file():
        detail = (stderr or stdout).strip().splitlines()[-5:]
        raise BuildError("Pagefind could not index the HTML edition: " + " / ".join(detail))

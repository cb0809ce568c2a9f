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

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..commands import cache as cache_mod
from ..commands.build import BuildContext, BuildError
from . import pagefind_format, search_merge

# Pages per Pagefind run at most: about 0.25 GB of memory on letter pages (see
# docs/benchmarks.md, "Search at scale").  The index does not depend on it.
PAGES_PER_RUN = 1000
# How many pages a run holds on average: one letter changed has its run indexed again in an
# incremental build, so a short run keeps that quick (Pagefind over 64 pages: about 0.3 s,
# over 1,000: 3-4 s), and Pagefind's time over the whole site is the same in runs of 100 as in
# one run of 1,000 (measured, docs/benchmarks.md).
RUN_PAGES = 64
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
    if not (site / "index.html").is_file():
        raise BuildError("the search stage indexes the HTML edition, but build/html was not made; "
                         "build the html stage too (e.g. --only html --only search)")
    index_site(site, language=ctx.edition.config.get("language"), work=ctx.scratch, cache=ctx.cache)


def pages_to_index(site: Path) -> list[Path]:
    """The pages one Pagefind run over *site* would index, in path order: those with a
    data-pagefind-body if any page has one (Pagefind then passes over the others), else all."""
    pages = sorted((p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != BUNDLE),
                   key=lambda p: p.relative_to(site).as_posix())
    body = [p for p in pages if _BODY.search(p.read_bytes())]
    return body or pages


def runs_of(site: Path, pages: list[Path], per_run: int) -> list[list[Path]]:
    """The pages (in path order) cut into runs of at most *per_run*.  A run ends after a page
    whose path's digest says so (one page in RUN_PAGES, or in per_run / 2 if that is fewer),
    or when it is full: where the runs
    are cut depends on the pages at the cuts, not on their positions, so a page added or
    removed changes its own run (and the next when a full run was cut) and leaves the others,
    and their entries in an incremental build's cache, as they were."""
    every = max(1, min(RUN_PAGES, per_run // 2))
    runs, run = [], []
    for page in pages:
        run.append(page)
        rel = page.relative_to(site).as_posix().encode("utf-8")
        if len(run) >= per_run or int.from_bytes(hashlib.sha1(rel).digest()[:4], "big") % every == 0:
            runs.append(run)
            run = []
    return runs + [run] if run or not runs else runs


def index_site(site: Path, language: str | None = None, pages_per_run: int | None = None,
               work: Path | None = None, cache: "cache_mod.Cache | None" = None) -> None:
    """Write *site*/pagefind/: Pagefind over the site's pages, at most `pages_per_run` (default
    PAGES_PER_RUN) pages a run, the runs' bundles merged.  *work*: where the runs' files go;
    *cache*: an incremental build's cache, which keeps each run's bundle."""
    pages = pages_to_index(site)
    tmp = Path(tempfile.mkdtemp(prefix="search-", dir=work or site.parent))
    try:
        bundles = []
        for n, run in enumerate(runs_of(site, pages, pages_per_run or PAGES_PER_RUN)):
            part = tmp / f"site-{n}"
            for page in run:  # the run's pages at their own paths, so the URLs are the site's
                dest = part / page.relative_to(site)
                dest.parent.mkdir(parents=True, exist_ok=True)
                _link(page, dest)
            part.mkdir(exist_ok=True)
            bundles.append(tmp / f"bundle-{n}")
            _index_run(part, bundles[-1], language, tmp, cache)
            shutil.rmtree(part)
        merged = tmp / "merged"
        try:
            search_merge.merge(bundles, merged)
        except (pagefind_format.FormatError, KeyError, IndexError, TypeError, ValueError, OSError) as exc:
            raise BuildError(f"could not merge Pagefind's indexes: {exc}") from None
        if (site / BUNDLE).exists():
            shutil.rmtree(site / BUNDLE)
        shutil.move(str(merged), site / BUNDLE)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _index_run(part: Path, bundle: Path, language: str | None, home: Path, cache) -> None:
    """Pagefind over the folder *part*, or its bundle from the cache.  The bundle is Pagefind's
    alone: its key is Pagefind's version, the command's options and the pages' bytes."""
    if cache is None:
        _pagefind(part, bundle, language, home)
        return
    key = cache_mod.digest("pagefind run", cache_mod.package_version("pagefind-bin"), _options(language),
                           cache_mod.folder_digest(part))
    files = cache.get_object("search", key)
    if files is not None:
        for rel, data in files:
            (bundle / rel).parent.mkdir(parents=True, exist_ok=True)
            (bundle / rel).write_bytes(data)
        return
    _pagefind(part, bundle, language, home)
    cache.put_object("search", key, [(p.relative_to(bundle).as_posix(), p.read_bytes())
                                     for p in sorted(bundle.rglob("*")) if p.is_file()])


def _link(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
    except OSError:  # another file system, or no hard links: a copy does as well
        shutil.copyfile(src, dest)


def _options(language: str | None) -> list[str]:
    return ["--quiet"] + (["--force-language", language] if language else [])


def _pagefind(site: Path, bundle: Path, language: str | None, home: Path) -> None:
    cmd = [executable(), "--site", str(site), "--output-path", str(bundle), *_options(language)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600,
                              env={"PATH": "/usr/bin:/bin", "HOME": str(home)})
    except subprocess.TimeoutExpired:
        raise BuildError("Pagefind took more than 10 minutes to index the site") from None
    if proc.returncode != 0 or not (bundle / "pagefind.js").is_file():
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        raise BuildError("Pagefind could not index the HTML edition: " + " / ".join(detail))

"""The search index made in runs of a few pages and merged (outputs/search_merge.py) holds
what one Pagefind run over the whole site holds: every word's pages and positions, every page,
filter and chunk.  And it is the same bundle, byte for byte, whatever the number of runs.

The edition has words found in one document only (so in one run only), words with and
without diacritics, Greek, Cyrillic and Japanese words, a second language, and documents of
different lengths.  The browser half (test_search_merge_browser.py) asks both indexes.
"""
from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from conftest import MINI_DOC, MINI_PERSONS, SCHEMA
from sitebuild import build_edition

from teipress.outputs import pagefind_format, search, search_merge

WORDS = ["quokka", "axolotl", "pangolin", "narwhal", "okapi", "tardigrade", "wombat",
         "capybara", "dugong", "echidna", "gharial", "hoatzin", "ibis", "jerboa"]
EXTRA = {2: "Müller drank a café au lait; a naïve résumé.",
         5: "Ελληνικά γράμματα από την Αθήνα.",
         7: "Письмо из Москвы.",
         9: "東京からの手紙。",
         11: "Muller drank a cafe; a naive resume."}


def letters() -> dict[str, str]:
    docs = {}
    for i, word in enumerate(WORDS):
        filler = " ".join(f"common{j}" for j in range((i * 37) % 90))
        text = f"A {word} was seen. {EXTRA.get(i, '')} {filler}"
        doc = (MINI_DOC.replace('xml:id="mini"', f'xml:id="letter-{i:02d}"')
               .replace("A mini edition", f"Letter {i} about the {word}")
               .replace("Vienna</placeName>.", f"Vienna</placeName>. {text}"))
        if i == 13:  # a second language: Pagefind indexes it apart
            doc = doc.replace('xml:lang="en"', 'xml:lang="de"', 1)
        docs[f"letter-{i:02d}"] = doc
    return docs


def write_edition(root):
    (root / "tei").mkdir(parents=True)
    (root / "tei" / "persons.xml").write_text(MINI_PERSONS, encoding="utf-8")
    for stem, text in letters().items():
        (root / "tei" / f"{stem}.xml").write_text(text, encoding="utf-8")
    build_edition(root, root / "build", only={"html"})
    return root / "build" / "html"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return write_edition(tmp_path_factory.mktemp("merge"))


def one_run(site, into):
    """What the search stage did before: one Pagefind run over the whole site."""
    search._pagefind(site, into, None, into.parent)
    return into


def digests(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("per_run", [1, 4])
def test_the_merged_index_holds_what_one_run_holds(site, tmp_path, per_run):
    single = pagefind_format.contents(one_run(site, tmp_path / "one"))
    search.index_site(site, pages_per_run=per_run)
    merged = pagefind_format.contents(site / "pagefind")
    assert set(single) == {"en", "de"}  # the edition's two languages
    en = single["en"]
    assert len(en["pages"]) == 13 and len(en["chunks"]) >= 1
    # a word of one letter is on that letter's page only, in one run of the many
    assert list(en["words"]["quokka"][0]) == ["/documents/letter-00.html"]
    # diacritics: Pagefind stores "müller" as a variant of "muller", in two letters
    assert set(en["words"]["muller"][1]["müller"]) == {"/documents/letter-02.html"}
    assert set(en["words"]["muller"][0]) == {"/documents/letter-11.html"}
    for lang in single:
        for key in single[lang]:
            assert merged[lang][key] == single[lang][key], (lang, key)
    assert merged == single


def test_the_bundle_does_not_depend_on_the_number_of_runs(site):
    bundles = []
    for per_run in (1, 3, 1000):
        search.index_site(site, pages_per_run=per_run)
        bundles.append(digests(site / "pagefind"))
    assert bundles[0] == bundles[1] == bundles[2]
    assert any(name.startswith("index/") for name in bundles[0])


def test_many_word_chunks_are_cut_where_one_run_cuts_them(tmp_path):
    """Enough words for several chunks (Pagefind closes one at 20,000 locations), spread over
    runs: the chunk ranges the browser picks a chunk by are the same."""
    site = tmp_path / "site"
    (site / "p").mkdir(parents=True)
    for i in range(24):
        words = " ".join(f"w{(i * 7919 + k) % 5000:04d}x{k % 3}" for k in range(1500))
        (site / "p" / f"{i:02d}.html").write_text(
            f'<html lang="en"><body><main data-pagefind-body><h1>Page {i}</h1><p>{words}</p></main></body></html>',
            encoding="utf-8")
    single = pagefind_format.contents(one_run(site, tmp_path / "one"))
    search.index_site(site, pages_per_run=5)
    merged = pagefind_format.contents(site / "pagefind")
    assert len(single["en"]["chunks"]) > 1
    assert merged == single


def test_meta_fields_and_filters_that_only_some_runs_have(tmp_path):
    """A meta field (here "image") and a filter that only one run's pages carry: meta fields
    are numbered per run, so the merge renumbers them in every location list."""
    site = tmp_path / "site"
    site.mkdir()
    for i in range(6):
        extra = (f'<img data-pagefind-meta="image[src]" src="pic{i}.png" alt="">'
                 f'<span data-pagefind-meta="subject">zebra stripes {i}</span>'
                 f'<span data-pagefind-filter="colour">striped</span>') if i >= 4 else ""
        (site / f"p{i}.html").write_text(
            f'<html lang="en"><body><main data-pagefind-body><h1>Zebra page {i}</h1>'
            f'<p>zebra text {i} {extra}</p></main></body></html>', encoding="utf-8")
    single = pagefind_format.contents(one_run(site, tmp_path / "one"))
    search.index_site(site, pages_per_run=2)
    merged = pagefind_format.contents(site / "pagefind")
    assert "colour" in single["en"]["filters"]
    assert any("subject" in locs[1] for locs in single["en"]["words"]["zebra"][0].values())
    assert merged == single


def test_pages_without_a_body_are_left_out_as_one_run_leaves_them_out(tmp_path):
    """One run skips the pages without data-pagefind-body once any page has one; a run made
    of such pages only would index them all, so they are never given to a run."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.html").write_text('<html lang="en"><body><p>aardvark menu</p></body></html>', encoding="utf-8")
    (site / "b.html").write_text('<html lang="en"><body><p>The text &lt;div data-pagefind-body&gt; is text.</p></body></html>',
                                 encoding="utf-8")
    (site / "c.html").write_text('<html lang="en"><body><main data-pagefind-body><p>cheetah</p></main></body></html>',
                                 encoding="utf-8")
    assert [p.name for p in search.pages_to_index(site)] == ["c.html"]
    single = pagefind_format.contents(one_run(site, tmp_path / "one"))
    search.index_site(site, pages_per_run=1)
    assert pagefind_format.contents(site / "pagefind") == single
    assert list(single["en"]["pages"]) == ["/c.html"]


def test_a_bundle_of_another_pagefind_version_is_refused(site, tmp_path):
    bundle = one_run(site, tmp_path / "one")
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    entry["version"] = "9.9.9"
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry))
    with pytest.raises(pagefind_format.FormatError, match="9.9.9"):
        search_merge.merge([bundle], tmp_path / "merged")


def test_the_build_indexes_in_runs_and_leaves_no_work_files(tmp_path, monkeypatch):
    """Through `teipress build`: more pages than a run takes; nothing but the bundle is left."""
    monkeypatch.setattr(search, "PAGES_PER_RUN", 5)
    root = tmp_path / "ed"
    html = write_edition(root)
    shutil.rmtree(root / "build")
    build_edition(root, root / "build", only={"html", "search"})
    html = root / "build" / "html"
    entry = json.loads((html / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 13
    assert sorted(p.name for p in (root / "build").iterdir()) == ["html"]
    assert not list(html.rglob("site-*")) and not list(html.rglob("bundle-*"))


def test_an_incremental_build_indexes_again_only_the_run_of_the_changed_letter(tmp_path, monkeypatch):
    """The runs are cut where their pages say (search.runs_of), so one letter changed changes one
    run: Pagefind indexes that run again, the others' bundles come from the cache; and the
    index is byte for byte a clean build's."""
    from teipress.commands import build as build_mod

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    monkeypatch.setattr(search, "PAGES_PER_RUN", 4)
    root = tmp_path / "ed"
    (root / "tei" / "schema").mkdir(parents=True)
    shutil.copy(SCHEMA, root / "tei" / "schema" / "teipress.xsd")
    (root / "tei" / "persons.xml").write_text(MINI_PERSONS, encoding="utf-8")
    for stem, text in letters().items():
        (root / "tei" / f"{stem}.xml").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    only = {"sources", "html", "search"}
    calls = []
    real = search._start
    monkeypatch.setattr(search, "_start", lambda site, *a: calls.append(site) or real(site, *a))
    build_mod.build(root, out, only=only, incremental=True)
    runs = len(calls)
    assert runs > 2
    f = root / "tei" / "letter-06.xml"
    f.write_text(f.read_text(encoding="utf-8").replace("was seen", "was seen again"), encoding="utf-8")
    calls.clear()
    build_mod.build(root, out, only=only, incremental=True)
    assert len(calls) == 1, calls
    build_mod.build(root, tmp_path / "clean", only=only, incremental=False)
    assert digests(out / "html" / "pagefind") == digests(tmp_path / "clean" / "html" / "pagefind")
    found = pagefind_format.contents(out / "html" / "pagefind")["en"]["words"]
    assert list(found["again"][0]) == ["/documents/letter-06.html"]


def test_runs_are_cut_by_their_pages_and_never_exceed_the_size(tmp_path):
    pages = [tmp_path / "documents" / f"l{i:04d}.html" for i in range(3000)]
    runs = search.runs_of(tmp_path, pages, 100)
    assert [p for run in runs for p in run] == pages
    assert max(map(len, runs)) <= 100 and len(runs) > 30
    # a page removed changes its own run (and the next if that one was full), not the others
    for i in range(0, 3000, 150):
        fewer = search.runs_of(tmp_path, pages[:i] + pages[i + 1:], 100)
        assert 1 <= len([r for r in fewer if r not in runs]) <= 2, i
    assert search.runs_of(tmp_path, pages[:5], 1) == [[p] for p in pages[:5]]


def test_runs_are_short_so_that_one_letter_changed_is_indexed_again_quickly(tmp_path):
    """By default a run holds about RUN_PAGES pages, not PAGES_PER_RUN: the run an incremental
    build indexes again for one changed letter is short."""
    pages = [tmp_path / "documents" / f"l{i:05d}.html" for i in range(5000)]
    runs = search.runs_of(tmp_path, pages, search.PAGES_PER_RUN)
    assert search.RUN_PAGES < search.PAGES_PER_RUN // 2
    assert search.RUN_PAGES / 2 < len(pages) / len(runs) < search.RUN_PAGES * 2
    assert max(map(len, runs)) <= search.PAGES_PER_RUN


def test_the_search_benchmark_runs_and_checks_the_merged_index(shared, tmp_path):
    """scripts/benchmark_search.py on a small site (no timing asserted): it compares the two
    indexes, and measures a rebuild with the cache."""
    import subprocess
    import sys

    from conftest import REPO

    proc = subprocess.run([sys.executable, "scripts/benchmark_search.py", "--sizes", "40", "--check", "40",
                           "--letters", "8", "--per-run", "10", "--incremental", "--keep", str(tmp_path / "work")],
                          cwd=REPO, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "40 pages: the two bundles' contents are equal" in proc.stdout
    assert "| 40 |" in proc.stdout and "one page changed" in proc.stdout


def test_random_edits_additions_and_removals_index_to_the_bytes_of_a_clean_index(tmp_path, monkeypatch):
    """An incremental index (the runs whose pages are unchanged from the cache, as search_merge
    reads them) after random pages edited, added and removed: the bytes of a clean index, and
    Pagefind ran only over the runs that changed."""
    import random

    from teipress.commands.cache import Cache

    monkeypatch.setattr(search, "RUN_PAGES", 3)
    rng = random.Random(12)
    vocabulary = ["alpha", "beta", "gamma", "delta", "café", "cafe", "naïve", "zebra", "omega", "kappa"]
    site = tmp_path / "site"
    (site / "documents").mkdir(parents=True)

    def page(n: int, stamp: int) -> str:
        words = " ".join(rng.choice(vocabulary) + (str(n) if rng.random() < 0.2 else "") for _ in range(rng.randint(3, 40)))
        extra = (f'<span data-pagefind-filter="year">{1900 + n % 4}</span>'
                 f'<span data-pagefind-meta="subject">s{stamp}</span>') if n % 3 else ""
        return (f'<html lang="en"><body><main data-pagefind-body><h1>Page {n}</h1><p>{words} {extra}</p>'
                f'</main></body></html>')

    for n in range(30):
        (site / "documents" / f"p{n:03d}.html").write_text(page(n, 0), encoding="utf-8")
    (site / "index.html").write_text('<html lang="en"><body><p>home</p></body></html>', encoding="utf-8")
    folder = tmp_path / "cache-0"
    starts = []
    real = search._start
    monkeypatch.setattr(search, "_start", lambda part, *a: starts.append(part) or real(part, *a))
    for step in range(1, 7):
        pages = sorted((site / "documents").glob("*.html"))
        for _ in range(rng.randint(1, 3)):
            kind = rng.choice(["edit", "edit", "add", "remove"])
            if kind == "edit":
                p = rng.choice(pages)
                p.write_text(page(int(p.stem[1:]), step), encoding="utf-8")
            elif kind == "add":
                n = 100 + rng.randint(0, 899)
                (site / "documents" / f"p{n:03d}.html").write_text(page(n, step), encoding="utf-8")
            elif len(pages) > 3:
                rng.choice(pages).unlink()
        store = Cache(folder, tmp_path / f"staging-{step}")
        starts.clear()
        search.index_site(site, cache=store)
        store.finish(tmp_path / f"cache-{step}")
        folder = tmp_path / f"cache-{step}"
        runs = len(search.runs_of(site, search.pages_to_index(site), search.PAGES_PER_RUN))
        assert step == 1 or len(starts) < runs
        clean = tmp_path / f"clean-{step}"
        shutil.copytree(site, clean, ignore=shutil.ignore_patterns("pagefind"))
        search.index_site(clean)
        assert digests(site / "pagefind") == digests(clean / "pagefind"), step


def test_fragments_held_in_files_beyond_the_memory_budget_give_the_same_bundle(site, monkeypatch):
    """Past SPILL_FROM bytes the runs' fragments wait in files, not in memory: the same bundle."""
    search.index_site(site, pages_per_run=3)
    held = digests(site / "pagefind")
    monkeypatch.setattr(search, "SPILL_FROM", 3000)
    written = []
    real = search._Spill.__call__
    monkeypatch.setattr(search._Spill, "__call__",
                        lambda self, run: (real(self, run), written.extend(self.folder.iterdir()) if self.folder.exists() else None)[0])
    search.index_site(site, pages_per_run=3)
    assert written and digests(site / "pagefind") == held


def test_words_held_in_a_file_read_back_equal_and_give_the_same_bundle(site, tmp_path, monkeypatch):
    """Past SPILL_FROM the runs' words wait in a file in blocks (search.HeldWords), read back a
    block at a time as the merge walks them: the same words, the same bundle."""
    spill = search._Spill(tmp_path / "spill")
    words = [(f"w{n:03d}", (n, n, 1, bytes([n % 256]) * n, n), ((f"v{n}", (0, 0, 1, b"x", 1)),) if n % 3 else ())
             for n in range(23)]
    monkeypatch.setattr(search.HeldWords, "BLOCK", 5)
    kept = search.HeldWords(spill, words)
    assert len(kept.blocks) == 5 and len(kept) == 23
    assert list(kept) == words and list(kept) == words  # (read again: the same)
    fragment = search.Held(spill, spill.put(b"<fragment>"), len(b"<fragment>"))
    assert fragment.read_bytes() == b"<fragment>" and list(kept) == words
    spill.close()

    search.index_site(site, pages_per_run=3)
    whole = digests(site / "pagefind")
    monkeypatch.setattr(search, "SPILL_FROM", 0)
    made = []
    real = search.HeldWords.__init__
    monkeypatch.setattr(search.HeldWords, "__init__",
                        lambda self, spill, words: (real(self, spill, words), made.append(len(self.blocks)))[0])
    search.index_site(site, pages_per_run=3)
    assert made and max(made) > 1 and digests(site / "pagefind") == whole


def test_pagefinds_files_the_same_in_every_run_are_held_once(site, monkeypatch):
    """Each run's bundle carries Pagefind's scripts and WebAssembly (0.6 MB): those equal to
    another run's are held once until the merge (search._sharing_files), and the bundle is
    the same."""
    search.index_site(site, pages_per_run=3)
    whole = digests(site / "pagefind")
    runs = []
    real = search._sharing_files
    monkeypatch.setattr(search, "_sharing_files", lambda run, same: runs.append(real(run, same)) or runs[-1])
    search.index_site(site, pages_per_run=3)
    assert len(runs) > 2 and digests(site / "pagefind") == whole
    for name, data in runs[0].files.items():
        assert all(r.files[name] is data for r in runs[1:] if name in r.files)

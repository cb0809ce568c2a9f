"""The merged search index patched where a run changed (outputs/search_patch.py) is, byte for
byte, the index a clean build makes: after pages edited (words added, removed, moved, with and
without diacritics, filter values and meta fields changed), the patch was made (not a merge of
everything) and its bundle equals a clean one.  Chunks are made small here, so that an edit
moves the cuts between chunks and the patch has to cut again over several chunks."""
from __future__ import annotations

import hashlib
import random
import shutil

import pytest

from teipress.commands.cache import Cache
from teipress.outputs import pagefind_format, search, search_patch

VOCABULARY = ["alpha", "beta", "gamma", "delta", "café", "cafe", "naïve", "naive", "zebra", "omega",
              "kappa", "lambda", "müller", "muller", "sigma", "tau", "upsilon", "phi", "chi", "psi"]


def digests(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def page(rng: random.Random, n: int, stamp: int) -> str:
    # common words on most pages (long page lists, found through checkpoints), a word of the
    # page's own sometimes, a word of this edit's sometimes (new to the index)
    words = [rng.choice(VOCABULARY) + (str(n) if rng.random() < 0.1 else "") for _ in range(rng.randint(5, 60))]
    # words on a page in ten or twenty: page numbers far apart (differences of one byte and two)
    words += [w for w, share in (("sparse", 0.1), ("scarce", 0.05)) if rng.random() < share]
    if rng.random() < 0.3:
        words.insert(rng.randint(0, len(words)), f"edit{stamp}x{n}")
    extra = (f'<span data-pagefind-filter="year">{1900 + (n + stamp) % 5}</span>'
             f'<span data-pagefind-meta="subject">s{stamp % 2}</span>') if (n + stamp) % 3 else ""
    return (f'<html lang="en"><body><main data-pagefind-body><h1>Page {n}</h1><p>{" ".join(words)} {extra}</p>'
            f'</main></body></html>')


@pytest.fixture
def small(monkeypatch):
    monkeypatch.setattr(search, "RUN_PAGES", 6)  # several runs
    monkeypatch.setattr(pagefind_format, "CHUNK_SIZE", 120)  # many chunks, cut again by edits
    monkeypatch.setattr(search_patch, "CHECKPOINT_EVERY", 4)  # checkpoints in most lists
    made = []
    real = search_patch.patch

    def patch(*args, **kwargs):
        result = real(*args, **kwargs)
        made.append(result)
        return result

    monkeypatch.setattr(search_patch, "patch", patch)
    return made


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_an_index_patched_after_edits_is_the_bytes_of_a_clean_index(tmp_path, small, seed):
    rng = random.Random(seed)
    site = tmp_path / "site"
    (site / "documents").mkdir(parents=True)
    count = 96
    for n in range(count):
        (site / "documents" / f"p{n:03d}.html").write_text(page(rng, n, 0), encoding="utf-8")
    (site / "index.html").write_text('<html lang="en"><body><p>home</p></body></html>', encoding="utf-8")
    folder = tmp_path / "cache-0"
    store = Cache(folder, folder)
    search.index_site(site, cache=store)
    store.finish(folder)
    assert not small  # the first index: everything merged
    chunks = len(pagefind_format.read(next((site / "pagefind").glob("*.pf_meta")))[2])
    assert chunks > 10
    for step in range(1, 7):
        for n in rng.sample(range(count), rng.choice([1, 1, 2, 3])):  # pages edited, no page added
            (site / "documents" / f"p{n:03d}.html").write_text(page(rng, n, step), encoding="utf-8")
        store = Cache(folder, tmp_path / f"staging-{step}")
        search.index_site(site, cache=store)
        folder = tmp_path / f"cache-{step}"
        store.finish(folder)
        assert len(small) == step  # patched, not merged again
        clean = tmp_path / f"clean-{step}"
        shutil.copytree(site, clean, ignore=shutil.ignore_patterns("pagefind"))
        search.index_site(clean)
        assert digests(site / "pagefind") == digests(clean / "pagefind"), step


def test_a_page_added_or_removed_merges_everything_again_then_patches(tmp_path, small):
    """Another page count moves every later page's number: the index is merged again, and the
    state it keeps serves the next edit."""
    rng = random.Random(7)
    site = tmp_path / "site"
    (site / "documents").mkdir(parents=True)
    for n in range(20):
        (site / "documents" / f"p{n:03d}.html").write_text(page(rng, n, 0), encoding="utf-8")
    folder = tmp_path / "cache-0"
    steps = [lambda: (site / "documents" / "p005.html").unlink(),
             lambda: (site / "documents" / "p005.html").write_text(page(rng, 5, 1), encoding="utf-8"),
             lambda: (site / "documents" / "p011.html").write_text(page(rng, 11, 2), encoding="utf-8")]
    search.index_site(site, cache=(store := Cache(folder, folder)))
    store.finish(folder)
    patched = []
    for step, change in enumerate(steps, 1):
        change()
        store = Cache(folder, tmp_path / f"staging-{step}")
        search.index_site(site, cache=store)
        folder = tmp_path / f"cache-{step}"
        store.finish(folder)
        patched.append(len(small))
        clean = tmp_path / f"clean-{step}"
        shutil.copytree(site, clean, ignore=shutil.ignore_patterns("pagefind"))
        search.index_site(clean)
        assert digests(site / "pagefind") == digests(clean / "pagefind"), step
    assert patched == [0, 0, 1]


def test_a_kept_state_that_does_not_match_its_runs_is_not_patched(tmp_path, small):
    """A run's part of a page list is checked against the run as kept before it is replaced:
    a state whose chunks do not hold what its runs say is refused (Mismatch), and the index
    merged again is still a clean one."""
    rng = random.Random(3)
    site = tmp_path / "site"
    (site / "documents").mkdir(parents=True)
    for n in range(20):
        (site / "documents" / f"p{n:03d}.html").write_text(page(rng, n, 0), encoding="utf-8")
    folder = tmp_path / "cache-0"
    store = Cache(folder, folder)
    search.index_site(site, cache=store)
    # the kept state claims every page one number later than it is
    state = store.get_object("search", search_patch.slot())
    for lang in state.langs.values():
        lang.ranges = [(start + 1, count) for start, count in lang.ranges]
    store.put_object("search", search_patch.slot(), state)
    store.finish(folder)
    for n in range(20):
        if "alpha" in (site / "documents" / f"p{n:03d}.html").read_text(encoding="utf-8"):
            (site / "documents" / f"p{n:03d}.html").write_text(page(rng, n, 1).replace("alpha", "beta"),
                                                               encoding="utf-8")
            break
    store = Cache(folder, tmp_path / "staging")
    search.index_site(site, cache=store)
    assert not small
    clean = tmp_path / "clean"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns("pagefind"))
    search.index_site(clean)
    assert digests(site / "pagefind") == digests(clean / "pagefind")


def test_a_run_s_part_of_a_page_list_replaced_is_the_list_made_afresh(monkeypatch):
    """search_patch._splice on lists of several runs, many times over, each time through the
    checkpoints the splices before left: the bytes of the list made from the runs' segments,
    with page numbers far enough apart that a difference takes one byte, then two, then three."""
    monkeypatch.setattr(search_patch, "CHECKPOINT_EVERY", 1)  # a checkpoint at every part
    rng = random.Random(5)
    size, runs = 300, 6

    def segment(pages):
        if not pages:
            return search_patch._EMPTY
        return pagefind_format.segment([(p, bytes((0x81, p % 24, 0x80)), 2) for p in pages])

    def pages_of():
        return sorted(rng.sample(range(size), rng.choice([0, 1, 2, 5, 20])))

    parts = [pages_of() for _ in range(runs)]
    data, cps = search_patch._list_bytes([(r * size, segment(p)) for r, p in enumerate(parts)], True)
    for _ in range(200):
        r = rng.randrange(runs)
        new = pages_of()
        data, cps, total = search_patch._splice(data, cps, segment(parts[r]), segment(new), r * size, size)
        parts[r] = new
        fresh, _ = search_patch._list_bytes([(k * size, segment(p)) for k, p in enumerate(parts)], True)
        assert data == fresh and total == sum(map(len, parts))


def test_pages_of_two_languages_edited_are_patched_to_a_clean_index(tmp_path, small, monkeypatch):
    """The merge test's edition (a letter in German among English ones, Greek, Cyrillic and
    Japanese words, diacritics): a German and an English letter page edited, each language's
    index patched apart."""
    from test_search_merge import write_edition

    monkeypatch.setattr(search, "RUN_PAGES", 1)  # a run a page: one in four runs may change

    site = write_edition(tmp_path / "ed")
    folder = tmp_path / "cache-0"
    store = Cache(folder, folder)
    search.index_site(site, cache=store)
    store.finish(folder)
    for step, (stem, old, new) in enumerate([("letter-13", "jerboa", "Jerboa Übermut jerboa"),
                                             ("letter-02", "Müller", "Mueller Müller naïve"),
                                             ("letter-05", "Αθήνα", "Αθήνα και Σπάρτη")], 1):
        path = site / "documents" / f"{stem}.html"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
        store = Cache(folder, tmp_path / f"staging-{step}")
        search.index_site(site, cache=store)
        folder = tmp_path / f"cache-{step}"
        store.finish(folder)
        assert len(small) == step
        clean = tmp_path / f"clean-{step}"
        shutil.copytree(site, clean, ignore=shutil.ignore_patterns("pagefind"))
        search.index_site(clean)
        assert digests(site / "pagefind") == digests(clean / "pagefind"), step

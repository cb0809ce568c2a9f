"""In the browser, Pagefind's own search over the index made in runs of two pages and merged
gives the results of one Pagefind run over the whole site: the same pages, scores, positions,
excerpts and filter counts, for words found in one run only, absent words, prefixes,
phrases, diacritics and non-Latin scripts.

(Pagefind's ``mergeIndex``, which merges indexes in the browser, did not: a word absent from
one index made Pagefind fall back to shorter prefixes there and return unrelated pages.)
"""
from __future__ import annotations

import pytest

from test_search_merge import WORDS, one_run, write_edition

from teipress.outputs import search

playwright = pytest.importorskip("playwright.sync_api")

QUERIES = WORDS + [
    "quok", "capy", "common",  # prefixes: words that begin so, in many runs
    "zzyzx", "axolotlz", "quokkas",  # absent from every page; longer than a present word
    '"wrote from vienna"', "wrote vienna", '"vienna wrote"',  # phrases, and words apart
    "müller", "muller", "cafe", "café", "naïve", "resume",  # with and without diacritics
    "ελληνικά", "αθήνα", "москвы", "письмо", "東京", "手紙",  # Greek, Cyrillic, Japanese
    "common7", "common42 wombat", "letter",
]

ASK = """async ([bundles, queries]) => {
    const out = {};
    for (const b of bundles) {
        const pf = await import(new URL(b + "/pagefind.js", location.href).href);
        const res = { filters: await pf.filters(), queries: {} };
        const ask = async (q, opts) => {
            const r = await pf.search(q, opts);
            const found = await Promise.all(r.results.map(async x => {
                const d = await x.data();
                return { url: d.url, score: x.score, words: x.words, locations: d.locations,
                         excerpt: d.excerpt, title: d.meta.title, filters: d.filters };
            }));
            return { found, scores: r.results.map(x => x.score), filters: r.filters,
                     total: r.totalFilters, unfiltered: r.unfilteredResultCount };
        };
        for (const q of queries) { res.queries[q] = await ask(q, {}); }
        res.queries["vienna+filter"] = await ask("vienna", { filters: { document: "Letter 4 about the okapi" } });
        out[b] = res;
    }
    return out;
}"""


@pytest.fixture(scope="module")
def both_indexes(tmp_path_factory):
    from browser import serve_dir

    site = write_edition(tmp_path_factory.mktemp("merge-browser"))
    one_run(site, site / "pagefind-one")
    search.index_site(site, pages_per_run=2)
    with serve_dir(site) as url:
        yield url


def by_url(answer):
    return sorted(answer["found"], key=lambda r: r["url"])


def test_every_query_finds_what_one_run_finds(browser, both_indexes):
    page = browser.new_page()
    page.goto(f"{both_indexes}/search.html")
    out = page.evaluate(ASK, [["pagefind-one", "pagefind"], QUERIES])
    page.close()
    one, merged = out["pagefind-one"], out["pagefind"]
    assert merged["filters"] == one["filters"]
    for q in [*QUERIES, "vienna+filter"]:
        a, b = one["queries"][q], merged["queries"][q]
        assert by_url(b) == by_url(a), q
        assert b["scores"] == a["scores"], q  # ranked alike (equal scores may swap places)
        assert (b["filters"], b["total"], b["unfiltered"]) == (a["filters"], a["total"], a["unfiltered"]), q
    urls = {q: [r["url"] for r in by_url(one["queries"][q])] for q in one["queries"]}
    # and what one index finds is right: the test would pass on two empty indexes otherwise
    for i, word in enumerate(WORDS[:13]):
        assert urls[word] == [f"/documents/letter-{i:02d}.html"], word
    assert urls["zzyzx"] == []
    assert urls["ελληνικά"] == ["/documents/letter-05.html"]
    assert urls["москвы"] == ["/documents/letter-07.html"]
    assert set(urls["muller"]) == {"/documents/letter-02.html", "/documents/letter-11.html"}
    assert len(urls["common"]) >= 10 and len(urls['"wrote from vienna"']) == 13
    assert urls["vienna+filter"] == ["/documents/letter-04.html"]

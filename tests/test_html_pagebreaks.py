"""Page-break markers in the margin, in a browser: never cut off at the page's edge, never over
the text or over each other, at any width (the FRUS contents page has runs of front-matter
markers outside any heading)."""
from __future__ import annotations


import pytest

from browser import serve_dir
from sitebuild import FRUS, frus_split_build, site

playwright = pytest.importorskip("playwright.sync_api")

# Every .tp-pb's box; the boxes of the text's words (text nodes outside the markers).
GEOMETRY = """() => {
  const box = r => ({l: r.left, r: r.right, t: r.top, b: r.bottom});
  const pbs = [...document.querySelectorAll('.tp-pb')].map(a => ({id: a.id, ...box(a.getBoundingClientRect())}));
  const words = [];
  const walker = document.createTreeWalker(document.querySelector('.tp-text'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const n = walker.currentNode;
    if (!n.textContent.trim() || n.parentElement.closest('.tp-pb')) continue;
    const range = document.createRange(); range.selectNodeContents(n);
    for (const r of range.getClientRects()) if (r.width && r.height) words.push(box(r));
  }
  return {pbs, words, width: document.documentElement.clientWidth};
}"""


def overlap(a, b) -> bool:
    return a["l"] < b["r"] - 0.5 and b["l"] < a["r"] - 0.5 and a["t"] < b["b"] - 0.5 and b["t"] < a["b"] - 0.5


def check(browser, root, rels):
    with serve_dir(root) as base:
        for width in (375, 700, 800, 1280):
            page = browser.new_page(viewport={"width": width, "height": 900})
            for rel in rels:
                page.goto(f"{base}/{rel}")
                g = page.evaluate(GEOMETRY)
                assert g["pbs"], rel
                for pb in g["pbs"]:
                    assert pb["l"] >= 0 and pb["r"] <= g["width"], (rel, width, pb)  # not clipped
                    hits = [w for w in g["words"] if overlap(pb, w)]
                    assert not hits, (rel, width, pb, hits[:2])  # not over the text
                for i, a in enumerate(g["pbs"]):
                    for b in g["pbs"][i + 1:]:
                        assert not overlap(a, b), (rel, width, a, b)  # not over each other
            page.close()


def test_page_break_markers_on_a_split_contents_page_and_division(browser):
    if not FRUS.is_file():
        pytest.skip("../shared/corpora/frus is absent")
    check(browser, frus_split_build(), ["documents/frus1961-63v22.html", "documents/frus1961-63v22/d201.html",
                                        "documents/frus1961-63v22/persons.html"])


def test_page_break_markers_in_the_default_edition(browser):
    check(browser, site(), ["documents/nkidp-114978.html"])

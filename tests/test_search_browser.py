"""Search on an edition of many documents, in the browser: a word found in one document finds
that document and no other.

Pagefind's word index refers to pages by their position in its page list, so anything that
reorders that list (as the reproducibility step once did) sends every hit to the wrong page;
a one-document edition cannot show it.
"""
from __future__ import annotations

import pytest

from conftest import MINI_DOC, MINI_PERSONS
from sitebuild import searchable_site

playwright = pytest.importorskip("playwright.sync_api")

# One unusual word per document; the documents differ in length so that Pagefind's page
# order (it sorts by size) differs from the order of their names.
WORDS = ["quokka", "axolotl", "pangolin", "narwhal", "okapi", "tardigrade"]


@pytest.fixture(scope="module")
def letters_site(tmp_path_factory):
    docs = {}
    for i, word in enumerate(WORDS):
        filler = " ".join(f"common{j}" for j in range((i * 37) % 90))
        docs[f"letter-{i}"] = (MINI_DOC.replace('xml:id="mini"', f'xml:id="letter-{i}"')
                               .replace("A mini edition", f"Letter {i} about the {word}")
                               .replace("Vienna</placeName>.", f"Vienna</placeName>. A {word} was seen. {filler}"))
    with searchable_site(tmp_path_factory.mktemp("letters"), docs, MINI_PERSONS) as url:
        yield url


def test_a_word_from_one_document_finds_that_document(browser, letters_site):
    page = browser.new_page()
    page.goto(f"{letters_site}/search.html")
    found = page.evaluate("""async (words) => {
        const pf = await import(new URL("pagefind/pagefind.js", location.href).href);
        const out = {};
        for (const w of words) {
            const r = await pf.search(w);
            out[w] = await Promise.all(r.results.map(async x => (await x.data()).url));
        }
        return out;
    }""", WORDS)
    page.close()
    for i, word in enumerate(WORDS):
        assert len(found[word]) == 1, (word, found[word])
        assert found[word][0].endswith(f"documents/letter-{i}.html"), (word, found[word])


def test_the_search_page_lists_the_right_document(browser, letters_site):
    page = browser.new_page()
    page.goto(f"{letters_site}/search.html")
    box = page.get_by_label("Search the edition")
    box.wait_for()
    box.fill("pangolin")
    result = page.locator(".tp-result").first
    playwright.expect(result).to_contain_text("pangolin", timeout=15000)
    assert page.locator(".tp-result").count() == 1
    assert "Letter 2 about the pangolin" in result.inner_text()
    assert result.locator("mark").first.inner_text().startswith("pangolin")
    # the result opens the paragraph the word is in, not the top of the page
    assert result.locator("a").get_attribute("href").endswith("documents/letter-2.html#p1")
    playwright.expect(page.locator("#tp-search-status")).to_have_text("1 result for “pangolin”.")
    page.close()


def test_filters_narrow_the_results_and_the_query_is_in_the_address(browser, letters_site):
    page = browser.new_page()
    page.goto(f"{letters_site}/search.html?q=vienna")
    playwright.expect(page.locator("#tp-search-status")).to_have_text("6 results for “vienna”.", timeout=15000)
    assert page.locator("#tp-q").input_value() == "vienna"
    page.get_by_role("checkbox", name="Letter 4 about the okapi").check()
    playwright.expect(page.locator("#tp-search-status")).to_have_text("1 result for “vienna” (filtered).")
    assert "okapi" in page.locator(".tp-result").first.inner_text()
    page.close()

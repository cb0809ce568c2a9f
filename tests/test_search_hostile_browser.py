"""The search page never runs what an edition's text says: a document title, a register
person's name and a year-like filter value that read as HTML (schema-valid TEI text) are
shown literally in the filter labels, the result titles and the excerpts.

Pagefind's default UI showed filter labels as HTML, so a person named
``<img src=x onerror=…>`` ran script as soon as a reader typed a query.
"""
from __future__ import annotations

from xml.sax.saxutils import escape

import pytest

from conftest import MINI_DOC, MINI_PERSONS
from sitebuild import searchable_site

playwright = pytest.importorskip("playwright.sync_api")

# Quotation marks and backslashes too: Pagefind 1.5 cannot match a filter value holding either,
# so the search UI applies such a filter itself (to the results' own filter values).
TITLE = 'Letter <img src=x onerror="window.__pwned=1;alert(1)"> </script><script>window.__pwned=2</script>'
PERSON = "<svg onload=window.__pwned=3;alert(3)>Anna</svg> <b>bold</b> \\"
NAME_NOTE = '<iframe srcdoc="<script>parent.__pwned=4</script>"></iframe> {{ 7*7 }} #emph[x] \\u202e'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    persons = MINI_PERSONS.replace('<persName type="main">Anna Example</persName>',
                                   f'<persName type="main">{escape(PERSON)}</persName>')
    docs = {f"doc-{i}": (MINI_DOC.replace('xml:id="mini"', f'xml:id="doc-{i}"')
                         .replace("A mini edition", escape(f"{TITLE} {i}"))
                         # a date whose text is markup: the year filter comes from @when, the text is shown
                         .replace('<date when="1961-03-05">5 March 1961</date>',
                                  f'<date when="196{i}-03-05">{escape(NAME_NOTE)}</date>')
                         .replace("Vienna</placeName>.", f"Vienna</placeName>. The wombat {escape(NAME_NOTE)} slept."))
            for i in range(2)}
    with searchable_site(tmp_path_factory.mktemp("hostile"), docs, persons) as url:
        yield url


def test_hostile_text_is_shown_as_text_and_never_runs(browser, hostile_site):
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{hostile_site}/search.html")
    box = page.get_by_label("Search the edition")
    box.wait_for()
    box.fill("wombat")
    playwright.expect(page.locator("#tp-search-status")).to_have_text("2 results for “wombat”.", timeout=15000)
    # filters shown, their labels literally the TEI text
    labels = page.locator(".tp-filter-label").all_inner_texts()
    assert f"{TITLE} 0" in labels and f"{TITLE} 1" in labels
    assert PERSON in labels
    assert {"1960", "1961"} <= set(labels)
    titles = page.locator(".tp-result-title").all_inner_texts()
    assert sorted(titles) == [f"{TITLE} 0", f"{TITLE} 1"]
    assert NAME_NOTE.split()[0] in page.locator(".tp-excerpt").first.inner_text()
    # use a filter (the label is clicked, as a reader would) and open the person filter
    page.get_by_text(PERSON, exact=True).click()
    page.locator(".tp-filter-label", has_text=f"{TITLE} 1").click()
    playwright.expect(page.locator("#tp-search-status")).to_have_text("1 result for “wombat” (filtered).")
    page.wait_for_timeout(300)  # give an onerror/onload handler the time to fire, were there one
    # nothing the TEI says became an element
    assert page.locator("#tp-search img, #tp-search svg, #tp-search iframe, #tp-search script, #tp-search b").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    # the search loads from this site only, and nothing the TEI says was fetched (no <img src=x>)
    assert requests and all(u.startswith(hostile_site + "/") for u in requests), requests
    assert not any(u.rstrip("/").endswith("/x") for u in requests), requests
    page.close()

"""Quality bar of the HTML edition: the Nu HTML Checker finds no error on any page, axe-core no
WCAG 2.1 A/AA violation on any page type.  Both come from npm (package.json; `make test` runs
npm ci) and run on the default edition built once per session."""
from __future__ import annotations

import pytest

from browser import serve_dir
from checkers import AXE, axe, need, nu_errors
from sitebuild import FRUS, frus_split_build, pages, site

PAGE_TYPES = ["index.html", "documents/nkidp-114978.html", "persons.html", "places.html", "organisations.html",
              "chronology.html", "principles.html", "about.html", "search.html", "404.html"]


def test_nu_html_checker_finds_no_error():
    files = pages(site())
    errors = nu_errors(files, skip_non_html=True)
    assert not errors, "\n".join(errors)
    assert len(files) >= len(PAGE_TYPES) - 1


SPLIT_PAGES = ["documents/frus1961-63v22/d201.html", "documents/frus1961-63v22.html"]


def split_site():
    if not FRUS.is_file():
        pytest.skip("../shared/corpora/frus is absent")
    return frus_split_build()


def test_nu_html_checker_on_split_pages():
    """A division page and the contents page of a split document (FRUS excerpt, split = true)."""
    root = split_site()
    errors = nu_errors([root / p for p in SPLIT_PAGES])
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("width", [1280, 375])
def test_axe_finds_no_wcag21_aa_violation(browser, width):
    need(AXE, "axe-core")
    root = site()
    problems = []
    with serve_dir(root) as base:
        page = browser.new_page(viewport={"width": width, "height": 900})
        for rel in PAGE_TYPES:
            page.goto(f"{base}/{rel}")
            page.wait_for_load_state("networkidle")
            problems += axe(page, f"{rel} @{width}px")
        page.close()
    assert not problems, "\n".join(problems)


def test_axe_on_open_popover_and_search_results(browser):
    """States a reader reaches only by interacting: a note popover open, search results shown."""
    need(AXE, "axe-core")
    playwright = pytest.importorskip("playwright.sync_api")
    problems = []
    with serve_dir(site()) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/{PAGE_TYPES[1]}")
        page.locator("a.tp-noteref").first.click()
        page.locator("#tp-popover").wait_for(state="visible")
        problems += axe(page, "note popover open")
        page.goto(f"{base}/search.html")
        page.locator("#tp-q").fill("Kennedy")
        result = page.locator(".tp-result").first
        playwright.expect(result).to_contain_text("Kennedy", timeout=15000)
        page.wait_for_load_state("networkidle")
        problems += axe(page, "search results")
        page.close()
    assert not problems, "\n".join(problems)


def test_axe_on_a_split_page(browser):
    need(AXE, "axe-core")
    with serve_dir(split_site()) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        problems = []
        for rel in SPLIT_PAGES:
            page.goto(f"{base}/{rel}")
            page.wait_for_load_state("networkidle")
            problems += axe(page, rel)
        page.close()
    assert not problems, "\n".join(problems)

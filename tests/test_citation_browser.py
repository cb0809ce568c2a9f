"""The citation on a document page in a browser (teipress.js over teipress.model.citation):
served over http(s), the page sets its absolute permalink into the suggested citation; a
paragraph permalink followed gives a citation of that passage with its printed page; opened from
disk, no file:// address and no placeholder is ever shown."""
from __future__ import annotations

import pytest

from browser import serve_dir
from sitebuild import site

DOC = "documents/nkidp-114978.html"

pytest.importorskip("playwright.sync_api")


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    p.errors = []
    p.on("pageerror", lambda e: p.errors.append(str(e)))
    yield p
    assert not p.errors, f"JavaScript errors: {p.errors}"
    context.close()


def citation(page) -> str:
    return page.locator("#tp-cite p.tp-citation").first.inner_text()


def passage(page) -> str:
    return page.locator("p[data-tp-passage]").inner_text()


def test_served_the_citation_carries_the_absolute_permalink(page):
    with serve_dir(site()) as base:
        page.goto(f"{base}/{DOC}")
        text = citation(page)
        assert f"The teipress project, 2026. {base}/{DOC}. Text from “Excerpts" in text
        assert "{permalink}" not in text
        assert not page.locator("p[data-tp-passage]").is_visible()  # no passage named

        # a paragraph's permalink followed: that passage, its printed page, its address
        page.goto(f"{base}/{DOC}#p-010")
        assert page.locator("p[data-tp-passage]").is_visible()
        text = passage(page)
        assert text.startswith("This passage: Editorial Board of the teipress project, ed.")
        assert f"2026. Printed source pp. 19–20, passage p-010. {base}/{DOC}#p-010. Text from" in text
        assert "{" not in text

        # another, by its ¶ link: the citation follows the address
        page.locator("a.tp-permalink[href='#p-014']").click()
        page.wait_for_function("document.querySelector('p[data-tp-passage]').textContent.includes('p-014')")
        assert f"Printed source pp. 21–22, passage p-014. {base}/{DOC}#p-014." in passage(page)

        # a note or a name is not a passage to cite
        page.goto(f"{base}/{DOC}#tp-cite")
        assert not page.locator("p[data-tp-passage]").is_visible()


def test_from_disk_no_file_address_and_no_placeholder(page):
    page.goto((site() / DOC).as_uri() + "#p-010")
    text = citation(page)
    assert "file:" not in text and "{permalink}" not in text and "documents/" not in text
    assert text.endswith("(Moscow: Vostochnaia literatura RAN, 2000), 19–31.")
    text = passage(page)
    assert "Printed source pp. 19–20, passage p-010. Text from" in text
    assert "file:" not in text and "{" not in text


def test_a_page_break_without_number_locates_nothing(page, make_edition, tmp_path):
    from sitebuild import build_edition

    root = make_edition(replace=[('<p xml:id="p1">', '<pb/><p xml:id="p1">')])
    build_edition(root, tmp_path / "out")
    page.goto((tmp_path / "out" / "html" / "documents" / "mini.html").as_uri() + "#p1")
    text = passage(page)
    assert "passage p1." in text and "page break" not in text and "Printed source" not in text

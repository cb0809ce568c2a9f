"""The reader's switch for the underlines of names (issue 13, defect 31), in chromium: a labelled
checkbox that works without JavaScript (the stylesheet reads it), whose choice is remembered
from page to page when JavaScript runs, and that leaves the page free of WCAG A/AA violations
in either state."""
from __future__ import annotations

from checkers import AXE, axe, need
from sitebuild import site

from browser import serve_dir

DOC = "documents/nkidp-114978.html"
NAME = ".tp-text a.tp-name"


def underline(page, selector: str = NAME) -> str:
    return page.eval_on_selector(selector, "e => getComputedStyle(e).textDecorationLine")


def underlined_names(page) -> int:
    return page.eval_on_selector_all(NAME, "es => es.filter(e => getComputedStyle(e).textDecorationLine"
                                           " .includes('underline')).length")


def test_switch_works_without_javascript(browser):
    with serve_dir(site()) as base:
        context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{base}/{DOC}")
        switch = page.get_by_role("checkbox", name="Underline names")
        assert switch.is_visible() and switch.is_checked()
        total = page.locator(NAME).count()
        assert total > 100 and underlined_names(page) == total  # by default every name is underlined
        switch.click()
        assert not switch.is_checked() and underlined_names(page) == 0
        # a name is still found by the pointer and the keyboard: underlined under them
        page.locator(NAME).first.hover()
        assert underline(page) == "underline"
        switch.click()
        assert underlined_names(page) == total
        context.close()


def test_choice_is_remembered_with_javascript(browser):
    with serve_dir(site()) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{base}/{DOC}")
        page.get_by_label("Underline names").uncheck()
        assert underlined_names(page) == 0
        page.goto(f"{base}/{DOC}")  # the next page the reader opens
        assert not page.get_by_label("Underline names").is_checked() and underlined_names(page) == 0
        page.get_by_label("Underline names").check()
        page.reload()
        assert page.get_by_label("Underline names").is_checked() and underlined_names(page) > 100
        context.close()


def test_pages_without_names_have_no_switch(browser):
    with serve_dir(site()) as base:
        page = browser.new_page()
        page.goto(f"{base}/about.html")
        assert page.locator("#tp-names").count() == 0
        page.close()


def test_axe_in_both_states(browser):
    need(AXE, "axe-core")
    with serve_dir(site()) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/{DOC}")
        page.wait_for_load_state("networkidle")
        problems = axe(page, "names underlined")
        page.get_by_label("Underline names").uncheck()
        problems += axe(page, "names plain")
        page.close()
    assert not problems, "\n".join(problems)

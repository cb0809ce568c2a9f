"""The parallel page in a browser (Playwright over Debian's chromium): two columns in step on a
desktop, one column with a switch on a phone, notes in popovers; Nu HTML Checker and axe clean.
Screenshots go to build/screenshots/parallel-*.png."""
from __future__ import annotations


import pytest

from browser import serve_dir
from sitebuild import REPO, build_edition
from checkers import axe, nu_errors
from test_parallel import ORIGINAL, TRANSLATION, make

PAGE = "parallel/letter-en--letter-ru.html"
SHOTS = REPO / "build" / "screenshots"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("parallel")
    root = make(tmp, {"letter-ru.xml": ORIGINAL, "letter-en.xml": TRANSLATION})
    build_edition(root, tmp / "build", only={"html"})
    return tmp / "build" / "html"


def cells(page, selector):
    return [page.locator(selector).nth(i).bounding_box() for i in range(page.locator(selector).count())]


def test_two_columns_in_step_on_a_desktop(browser, site):
    with serve_dir(site) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}/{PAGE}#u-o4")
        originals = cells(page, "section.tp-parallel-row .tp-original")
        translations = cells(page, "section.tp-parallel-row .tp-translation")
        assert len(originals) == len(translations) == 3
        for o, t in zip(originals, translations):
            assert o["x"] + o["width"] <= t["x"]  # side by side, the original on the left
            assert abs(o["y"] - t["y"]) < 1  # each unit's two texts start on one line
        assert not page.locator(".tp-parallel-switch").is_visible()  # the switch is for phones
        # a unit's link is its address, and the page opens at it
        assert page.evaluate("location.hash") == "#u-o4"
        assert page.locator("#u-o4").evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
        # a note opens in a popover from its column
        page.locator(".tp-translation a.tp-noteref sup").first.click()
        popover = page.locator("#tp-popover")
        popover.wait_for(state="visible")
        assert "Note of the translation" in popover.inner_text()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "parallel-desktop.png"), full_page=True)
        assert not errors
        page.close()


def test_one_column_and_a_switch_on_a_phone(browser, site):
    with serve_dir(site) as base:
        page = browser.new_page(viewport={"width": 375, "height": 800})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}/{PAGE}")
        o, t = page.locator("#u-o1 .tp-original").bounding_box(), page.locator("#u-o1 .tp-translation").bounding_box()
        assert o["y"] + o["height"] <= t["y"] + 1  # the texts alternate unit by unit
        assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing runs off the screen
        switch = page.locator(".tp-parallel-switch")
        assert switch.is_visible()
        page.get_by_role("radio", name="the translation").check()
        assert not page.locator("#u-o1 .tp-original").is_visible()
        assert page.locator("#u-o1 .tp-translation").is_visible()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "parallel-phone.png"), full_page=True)
        page.get_by_role("radio", name="the original").check()
        assert page.locator("#u-o1 .tp-original").is_visible()
        assert not page.locator("#u-o1 .tp-translation").is_visible()
        # the choice is remembered on the next visit
        page.reload()
        assert not page.locator("#u-o1 .tp-translation").is_visible()
        page.get_by_role("radio", name="both texts").check()
        assert page.locator("#u-o1 .tp-translation").is_visible()
        assert not errors
        page.close()


def test_readable_without_javascript(browser, site):
    with serve_dir(site) as base:
        context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
        page = context.new_page()
        page.goto(f"{base}/{PAGE}")
        assert not page.locator(".tp-parallel-switch").is_visible()  # a switch that cannot work is not shown
        for sel in ("#u-o1 .tp-original", "#u-o1 .tp-translation", "#u-o4 .tp-translation"):
            assert page.locator(sel).is_visible()
        context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_axe_finds_no_violation(browser, site, width):
    with serve_dir(site) as base:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(f"{base}/{PAGE}")
        page.wait_for_load_state("networkidle")
        problems = axe(page, f"{PAGE} @{width}px")
        page.locator("a.tp-noteref sup").first.click()
        page.locator("#tp-popover").wait_for(state="visible")
        problems += axe(page, f"{PAGE} @{width}px, note popover open")
        page.close()
    assert not problems, "\n".join(problems)


def test_nu_html_checker_finds_no_error(site):
    errors = nu_errors([site / PAGE, site / "index.html", site / "documents" / "letter-en.html",
                        site / "documents" / "letter-ru.html"])
    assert not errors, "\n".join(errors)

"""Browser tests: Playwright drives Debian's chromium over the built default edition, served
from 127.0.0.1 and opened from disk (file://).  Saves screenshots of every page type (desktop
and 375 px) under build/screenshots/."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from browser import serve_dir
from sitebuild import REPO, site

DOC = "documents/nkidp-114978.html"
SHOTS = REPO / "build" / "screenshots"
PAGE_TYPES = {"home": "index.html", "document": DOC, "persons": "persons.html", "places": "places.html",
              "organisations": "organisations.html", "chronology": "chronology.html",
              "principles": "principles.html", "about": "about.html", "search": "search.html"}

playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def base():
    with serve_dir(site()) as url:
        yield url


@pytest.fixture
def page(browser):
    """A page that records every request leaving 127.0.0.1 / file:// (there must be none)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    p.foreign = []
    p.errors = []

    def check(route):
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme == "file" or parts.hostname == "127.0.0.1":
            route.continue_()
        else:
            p.foreign.append(url)
            route.abort()

    context.route("**/*", check)
    p.on("pageerror", lambda e: p.errors.append(str(e)))
    yield p
    assert not p.foreign, f"requests to other hosts: {p.foreign}"
    assert not p.errors, f"JavaScript errors: {p.errors}"
    context.close()


def test_person_to_register_and_back(page, base):
    page.goto(f"{base}/{DOC}")
    link = page.locator("a.tp-name[href='../persons.html#kennedy']").first
    link_id = link.get_attribute("id")
    link.click()
    page.wait_for_url("**/persons.html#kennedy")
    entry = page.locator("#kennedy")
    assert entry.is_visible() and "Kennedy" in entry.inner_text()
    occurrence = entry.locator(f"a[href='{DOC}#{link_id}']")
    assert occurrence.count() == 1
    page.go_back()
    page.wait_for_url(f"**/{DOC}")
    occurrence_url = f"{base}/{DOC}#{link_id}"
    page.goto(f"{base}/persons.html#kennedy")
    page.locator(f"#kennedy a[href='{DOC}#{link_id}']").click()
    page.wait_for_url(occurrence_url)
    assert page.evaluate("location.hash") == f"#{link_id}"
    assert page.locator(f"[id='{link_id}']").is_visible()


def test_name_description_on_focus(page, base):
    page.goto(f"{base}/{DOC}")
    name = page.locator("a.tp-name[href='../persons.html#kim-il-sung']").first
    name.focus()
    tip = page.evaluate("el => getComputedStyle(el, '::after').content", name.element_handle())
    assert "1912" in tip and "Leader" in tip
    described = page.evaluate("el => document.getElementById(el.getAttribute('aria-describedby')).textContent",
                              name.element_handle())
    assert "Leader of the Democratic" in described


def test_note_popover_with_the_keyboard(page, base):
    page.goto(f"{base}/{DOC}")
    mark = page.locator("a.tp-noteref[href='#n-02']")  # the editors' note dating the headless excerpt
    mark.focus()
    page.keyboard.press("Enter")
    pop = page.locator("#tp-popover")
    pop.wait_for(state="visible")
    assert "The source prints no heading" in pop.inner_text()
    assert page.evaluate("document.activeElement.id") == "tp-popover"
    assert mark.get_attribute("aria-expanded") == "true"
    assert page.evaluate("location.hash") == ""  # the page did not jump to the footnote
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "document-note-popover.png"))
    page.keyboard.press("Escape")
    pop.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.classList.contains('tp-noteref')")
    # the footnote list stays, with a back-link
    page.goto(f"{base}/{DOC}#n-02")
    page.locator("#n-02 a.tp-backref").click()
    assert page.evaluate("location.hash") == "#tp-ref-n-02"


def test_reading_switch(page, base):
    page.goto(f"{base}/{DOC}")
    first = page.locator("#p-004 .tp-alt").first
    assert first.inner_text() == "DPRK"
    omitted = page.locator("#p-007 .tp-supplied")
    assert omitted.is_visible() and omitted.inner_text() == "[you]"
    url = page.url
    page.get_by_label("as published").check()
    assert first.inner_text() == "DRPK"
    assert not omitted.is_visible()
    assert page.url == url  # no reload
    page.get_by_label("corrected").check()
    assert first.inner_text() == "DPRK" and omitted.is_visible()


def test_as_published_hides_the_marks_of_notes_the_source_does_not_print(page, base):
    # The editors' notes are not in the source: their marks go in the reading "as published".
    page.goto(f"{base}/{DOC}")
    editorial = page.locator("a.tp-noteref[data-published='false']")
    assert editorial.count() >= 5
    assert editorial.first.is_visible()
    page.get_by_label("as published").check()
    assert all(not editorial.nth(i).is_visible() for i in range(editorial.count()))
    page.get_by_label("corrected").check()
    assert editorial.first.is_visible()


def test_search(page, base):
    page.goto(f"{base}/search.html")
    box = page.get_by_label("Search the edition")
    box.wait_for()
    box.fill("Kennedy")
    result = page.locator(".tp-result").first
    playwright.expect(result).to_contain_text("Kennedy", timeout=15000)  # results load in two steps
    assert page.locator(".tp-filter legend", has_text="Person").count()
    result.locator("a").first.click()
    page.wait_for_url(f"**/{DOC}*")


def test_works_from_disk(page):
    root = site()
    page.goto((root / DOC).as_uri())
    assert "Excerpts from V. P. Tkachenko" in page.locator("h1").inner_text()
    page.get_by_label("as published").check()
    assert page.locator("#p-004 .tp-alt").first.inner_text() == "DRPK"
    page.get_by_label("corrected").check()  # (the editors' note marks are not in the text as published)
    page.locator("a.tp-noteref").first.click()
    page.locator("#tp-popover").wait_for(state="visible")
    page.keyboard.press("Escape")
    page.locator("a.tp-name[href='../persons.html#kennedy']").first.click()
    assert page.url.endswith("persons.html#kennedy")
    page.goto((root / "search.html").as_uri())
    assert page.locator("#tp-search-note").is_visible()  # says how to search instead


def test_readable_without_javascript(browser, base):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    p = context.new_page()
    p.goto(f"{base}/{DOC}")
    assert not p.locator(".tp-reading").is_visible()
    assert p.locator("#p-004 .tp-alt").first.inner_text() == "DPRK"  # the corrected reading
    first = p.locator("a.tp-noteref").first
    target = first.get_attribute("href")
    first.click()
    assert p.evaluate("location.hash") == target
    p.screenshot(path=str(SHOTS / "document-no-js-375.png"))
    context.close()


def test_usable_at_375_px(browser, base):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    p = context.new_page()
    for rel in PAGE_TYPES.values():
        p.goto(f"{base}/{rel}")
        overflow = p.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, (rel, overflow)
    context.close()


def test_print_hides_navigation(browser, base):
    context = browser.new_context()
    p = context.new_page()
    p.goto(f"{base}/{DOC}")
    p.emulate_media(media="print")
    assert not p.locator(".tp-nav").is_visible() and not p.locator(".tp-side").is_visible()
    assert p.locator("#p-001").is_visible() and p.locator("#n-01").is_visible()
    context.close()


def test_screenshots_of_every_page_type(browser, base):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, suffix in ((1280, ""), (375, "-375")):
        context = browser.new_context(viewport={"width": width, "height": 900})
        p = context.new_page()
        for name, rel in PAGE_TYPES.items():
            p.goto(f"{base}/{rel}")
            p.wait_for_load_state("networkidle")
            if name == "search":
                p.locator("#tp-q").fill("treaty")
                playwright.expect(p.locator(".tp-result-title").first).to_contain_text(
                    "Excerpts", timeout=15000)
            p.screenshot(path=str(SHOTS / f"{name}{suffix}.png"))
        p.goto(f"{base}/{DOC}#ex-2")
        p.screenshot(path=str(SHOTS / f"document-text{suffix}.png"))
        context.close()
    assert len(list(SHOTS.glob("*.png"))) >= 2 * len(PAGE_TYPES)

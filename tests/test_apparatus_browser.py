"""The critical apparatus in the browser (issue 14): an entry hovered or focused highlights its
lemma; the witness switch shows one witness's text and restores the edition's; Nu HTML Checker
and axe find nothing on an apparatus page, the switch shown.  The edition: the critical texts
of tests/test_apparatus.py."""
from __future__ import annotations

import pytest

from browser import serve_dir
from test_apparatus import critical, shared_critical  # noqa: F401  (the editions, built once per module)
from checkers import axe, nu_errors

playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def page(browser, critical):  # noqa: F811
    with serve_dir(critical / "build" / "html") as base:
        p = browser.new_page(viewport={"width": 1280, "height": 900})
        p.errors = []
        p.on("pageerror", lambda e: p.errors.append(str(e)))
        p.goto(f"{base}/documents/carmen.html")
        p.wait_for_load_state("networkidle")
        yield p
        assert not p.errors, p.errors
        p.close()


def lemma_text(page, app_id: str) -> str:
    return page.evaluate("id => document.getElementById(id).textContent", app_id)


def test_hovering_or_focusing_an_entry_highlights_its_lemma(page):
    entry = page.locator("li.tp-app").first
    lemma_id = entry.get_attribute("data-lemma")
    lemma = page.locator(f"[id='{lemma_id}']")
    assert "tp-lemma-hl" not in (lemma.get_attribute("class") or "")
    entry.hover()
    assert "tp-lemma-hl" in lemma.get_attribute("class")
    page.mouse.move(0, 0)
    assert "tp-lemma-hl" not in lemma.get_attribute("class")
    entry.locator("a.tp-app-key").focus()
    assert "tp-lemma-hl" in lemma.get_attribute("class")
    # a lemma hovered shows its entry
    page.mouse.move(0, 0)
    lemma.hover()
    assert "tp-app-hl" in entry.get_attribute("class")
    # the key link leads to the lemma (also without JavaScript)
    entry.locator("a.tp-app-key").click()
    assert page.evaluate("location.hash") == f"#{lemma_id}"


def test_the_witness_switch_shows_one_witness_and_restores_the_edition(page):
    select = page.locator("select[name=tp-witness]")
    assert select.is_visible()
    options = select.locator("option").all_text_contents()
    assert options == ["the edition (lemma)", "A", "B", "C"]  # witnesses only, not the sources
    text = page.locator(".tp-text")
    edited = text.inner_text()
    lemma3 = page.locator("li.tp-app").first.get_attribute("data-lemma")
    select.select_option("B")
    assert lemma_text(page, lemma3) == "varia3"
    assert "varia90" in text.inner_text() and "lemma90" not in text.inner_text()
    assert "addendum" in text.inner_text()  # a word only B has
    select.select_option("C")
    assert lemma_text(page, lemma3) == ""  # C omits it
    assert "color" in text.inner_text() and "dolor" not in text.inner_text()
    # a lemma of lines C shares (no reading of C there) stays
    assert "insiticius" in text.inner_text()
    select.select_option("A")  # A shares the lemma of line 3, and leaves out lines 32–33
    assert "insiticius" not in text.inner_text() and lemma_text(page, lemma3) == "lemma3"
    select.select_option("")
    assert text.inner_text() == edited
    assert page.locator("[data-witness-reading]").count() == 0


def test_axe_and_nu_find_nothing_on_an_apparatus_page(page, critical):  # noqa: F811
    page.locator("select[name=tp-witness]").select_option("B")
    page.locator("li.tp-app").first.hover()
    problems = axe(page, "apparatus page, witness B shown")
    assert not problems, "\n".join(problems)
    errors = nu_errors([critical / "build" / "html" / "documents" / f"{d}.html" for d in ("carmen", "prosa")])
    assert not errors, "\n".join(errors)


def test_propertius_page_is_clean_and_reads_one_witness(browser, shared_critical):  # noqa: F811
    root = shared_critical / "build" / "html"
    with serve_dir(root) as base:
        p = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = []
        p.on("pageerror", lambda e: errors.append(str(e)))
        p.goto(f"{base}/documents/propertius-1-15.html")
        p.wait_for_load_state("networkidle")
        select = p.locator("select[name=tp-witness]")
        assert select.locator("option").all_text_contents()[:3] == ["the edition (lemma)", "N", "A"]
        select.select_option("A")
        text = p.locator(".tp-text").inner_text()
        # A's readings in place of the lemmas: "quaere desidiam" (6), "haec cois" (7), "imitetur mectore" (31)
        assert "quaere desidiam" in text and "haec cois" in text and "imitetur mectore" in text
        problems = axe(p, "Propertius, witness A")
        p.close()
    assert not errors and not problems, errors + problems
    assert not nu_errors([root / "documents" / "propertius-1-15.html"])

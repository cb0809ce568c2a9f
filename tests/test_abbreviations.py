"""The default edition's list of abbreviations and terms (FRUS's "Abbreviations and Terms"): a
list in the document's back whose entries every occurrence in the text points to."""
from __future__ import annotations

import re

import pytest

from conftest import REPO
from sitebuild import parse, site
from teipress import edition
from teipress.xmlparse import NS

ABBREVIATIONS = re.compile(r"(?<![\w-])(CPSU|KWP|DPRK|GDR|USSR|UN|US|CC|Cde\.)(?![\w-])")


@pytest.fixture(scope="module")
def doc():
    return edition.load(REPO).file("nkidp-114978.xml").root


def test_every_abbreviation_in_the_text_points_to_the_list(doc):
    body = doc.find("tei:text/tei:body", NS)
    listed = {t.get("{http://www.w3.org/XML/1998/namespace}id"): t.text
              for t in doc.iterfind("tei:text/tei:back//tei:list/tei:item/tei:term", NS)}
    assert {"CPSU", "KWP", "DPRK", "NKIDP", "Cde.", "CC"} <= set(listed.values())
    terms = body.findall(".//tei:term[@ref]", NS)
    assert len(terms) > 80
    for t in terms:
        assert listed[t.get("ref").lstrip("#")] == t.text
    # no abbreviation left untagged outside the source's errors (sic) and foreign words
    for el in body.iter():
        if not isinstance(el.tag, str) or any(a.tag in (f"{{{NS['tei']}}}choice", f"{{{NS['tei']}}}term")
                                              for a in [el, *el.iterancestors()]):
            continue
        assert not ABBREVIATIONS.search(el.text or ""), (el.tag, el.text)
        parent = el.getparent()
        if parent is not None and parent.tag != f"{{{NS['tei']}}}choice":
            assert not ABBREVIATIONS.search(el.tail or ""), (el.tag, el.tail)


def test_html_links_or_expands_every_occurrence():
    page = parse(site() / "documents" / "nkidp-114978.html")
    linked = page.xpath("//a[contains(@class, 'tp-term')]")
    assert linked and all(a.get("href").startswith("#t-") and a.get("data-tip") for a in linked)
    # inside a linked name (KWP CC, DPRK) links cannot nest: an <abbr> with its expansion
    nested = page.xpath("//a[contains(@class, 'tp-name')]//abbr[contains(@class, 'tp-term')]")
    assert nested and all(":" in a.get("title") for a in nested)
    kwp = next(a for a in nested if a.text == "KWP")
    assert kwp.get("title") == "KWP: Korean Workers' Party (also Workers' Party of Korea, WPK)"
    assert page.get_element_by_id("abbreviations").find(".//h2").text_content() == "Abbreviations and terms"

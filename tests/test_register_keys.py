"""Names that point into a register by @key instead of @ref (xslt/MODEL.md, "Names by @key").

A key names the entry whose xml:id, else @n, else idno equals it, when exactly one does; an
ambiguous or unknown key leaves the name as plain text, every word kept.
"""
from __future__ import annotations

import re
import shutil

import pytest

from conftest import MINI_DOC, MINI_PERSONS
from sitebuild import build_edition

# The mini register, with entries keyed by @n (one key ambiguous) and by idno.
KEYED_PERSONS = MINI_PERSONS.replace(
    '<person xml:id="anna"><persName type="main">Anna Example</persName><birth when="1900"/></person>',
    '<person xml:id="anna" n="Example Anna"><persName type="main">Anna Example</persName></person>\n'
    '        <person xml:id="meier-1" n="Meier"><persName type="main">Hans Meier</persName></person>\n'
    '        <person xml:id="meier-2" n="Meier"><persName type="main">Jakob Meier</persName></person>\n'
    '        <person xml:id="bert"><persName type="main">Bert Byid</persName><idno type="gnd">118609807</idno></person>')
assert KEYED_PERSONS != MINI_PERSONS

KEYED_P = """<p xml:id="p1"><persName key="Example Anna">Anna</persName> met <persName key="Meier">Meier</persName>,
          <persName key="Nobody Known">Nobody</persName> and <persName key="118609807">Bert</persName> in
          <placeName ref="persons.xml#vienna" key="Example Anna">Vienna</placeName>.</p>"""


def _page(path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.fixture
def keyed_site(make_edition, tmp_path):
    doc = re.sub(r"<p xml:id=\"p1\">.*?</p>", KEYED_P, MINI_DOC, flags=re.S)
    root = make_edition(doc=doc, persons=KEYED_PERSONS)
    build_edition(root, root / "build", only={"sources", "html"})
    return root


def test_entry_for_key_tiers_and_ambiguity(make_edition):
    from teipress import edition

    ed = edition.load(make_edition(persons=KEYED_PERSONS))
    assert ed.entry_for_key("anna").id == "anna"            # xml:id
    assert ed.entry_for_key(" Example  Anna ").id == "anna"  # @n, whitespace normalised
    assert ed.entry_for_key("118609807").id == "bert"              # idno
    assert ed.entry_for_key("Meier") is None                 # two entries: ambiguous
    assert ed.entry_for_key("Nobody Known") is None          # e.g. an outside authority's key


def test_keyed_names_link_and_are_occurrences(keyed_site):
    html = keyed_site / "build" / "html"
    page = _page(html / "documents" / "mini.html")
    assert re.search(r'<a [^>]*href="\.\./persons\.html#anna"[^>]*>Anna</a>', page)
    assert re.search(r'<a [^>]*href="\.\./persons\.html#bert"[^>]*>Bert</a>', page)
    # A @ref that resolves wins over the key.
    assert re.search(r'<a [^>]*href="\.\./places\.html#vienna"[^>]*>Vienna</a>', page)
    # Ambiguous and unknown keys: plain text, no word lost.
    assert not re.search(r'<a [^>]*>(Meier|Nobody)</a>', page)
    assert re.search(r"met\s+(<[^>]+>)*Meier", page) and "Nobody" in page
    persons = _page(html / "persons.html")
    anna = persons[persons.index('id="anna"'):persons.index('id="bert"')]
    assert 'href="documents/mini.html#p1.persName1"' in anna
    meier = persons[persons.index('id="meier-1"'):]
    assert "documents/mini.html" not in meier[:meier.index("</li>")]


def test_keys_are_no_pointers_for_validation(make_edition):
    from teipress import edition
    from teipress.validation import rules
    from teipress.validation.diagnostics import Report

    doc = re.sub(r"<p xml:id=\"p1\">.*?</p>", KEYED_P, MINI_DOC, flags=re.S)
    ed = edition.load(make_edition(doc=doc, persons=KEYED_PERSONS))
    report = Report()
    rules.check(ed, report)
    assert not report.errors, report.errors
    unused = {m.message.split("'")[1] for m in report.items if m.rule == "register-unused"}
    assert unused == {"meier-1", "meier-2"}  # keyed entries count as used


def test_pdf_index_lists_keyed_entries(make_edition):
    from teipress import edition
    from teipress.outputs.pdf import index_entries

    from conftest import edition_model

    doc = re.sub(r"<p xml:id=\"p1\">.*?</p>", KEYED_P, MINI_DOC, flags=re.S)
    ed = edition.load(make_edition(doc=doc, persons=KEYED_PERSONS))
    em = edition_model(ed)
    index = index_entries(em, next(d for d in em.documents if d.file.rel == "mini.xml"))
    assert [r["key"] for r in index["persons"]] == ["anna", "bert"]
    assert [r["key"] for r in index["places"]] == ["vienna"]


def test_escher_letters_link_by_key(shared, tmp_path):
    src = shared / "corpora" / "letters" / "escher-briefe"
    (tmp_path / "tei").mkdir()
    for p in sorted(src.glob("*.xml")):
        shutil.copy(p, tmp_path / "tei" / p.name)
    build_edition(tmp_path, tmp_path / "build", only={"sources", "html"})  # not validated: not our schema
    html = tmp_path / "build" / "html"
    page = _page(html / "documents" / "K_0002.html")
    # <persName key="Locher Friedrich"> ↔ <person xml:id="Locher-Friedrich" n="Locher Friedrich">
    found = re.search(r'<a [^>]*id="([^"]+)"[^>]*href="\.\./persons\.html#Locher-Friedrich"', page)
    assert found
    persons = _page(html / "persons.html")
    entry = persons[persons.index('id="Locher-Friedrich"'):]
    assert f'href="documents/K_0002.html#{found.group(1)}"' in entry[:entry.index("</li>")]

"""A large TEI document split into one page per division (edition.toml `split`, teipress.model.split).

The FRUS excerpt (../shared/corpora, copied only into a temporary edition) gets a page per
document division and a contents page; a small edition checks that a cross-division ref, a
register occurrence and a chronology entry land on the right page."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree

from sitebuild import FRUS, broken_links, build_edition, frus_split_build, pages, parse
from teipress import config, edition
from teipress.commands import build
from test_html_generic import page_text, tei_passages

DOC = "frus1961-63v22"
PARTS = ["terms", "persons", "d1", "d201", "d205"]


@pytest.fixture(scope="module")
def root() -> Path:
    if not FRUS.is_file():
        pytest.skip("../shared/corpora/frus is absent")
    return frus_split_build()


def text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def test_one_page_per_document_division_and_a_contents_page(root):
    for part in PARTS:
        assert (root / "documents" / DOC / f"{part}.html").is_file(), part
    assert sorted(p.stem for p in (root / "documents" / DOC).glob("*.html")) == sorted(PARTS)
    contents = parse(root / "documents" / f"{DOC}.html")
    entries = contents.find_class("tp-part")
    assert [e.get("id") for e in entries] == PARTS  # document order
    hrefs = [e.find("a").get("href") for e in entries]
    assert hrefs == [f"../documents/{DOC}/{p}.html" for p in PARTS]
    d201 = contents.get_element_by_id("d201")
    assert text(d201).startswith("201. Letter From Secretary of State Rusk") and "2 March 1961" in text(d201)
    # chapter heads stay on the contents page, above their documents
    heads = [text(h) for h in contents.find_class("tp-head")]
    assert heads == ["China; Korea; Japan", "China", "Korea"]


def test_all_body_text_appears_across_the_pages(root):
    tei = etree.parse(str(FRUS)).getroot()
    site_text = "".join(page_text(p) for p in [root / "documents" / f"{DOC}.html",
                                               *sorted((root / "documents" / DOC).glob("*.html"))])
    missing = [t[:60] for t in tei_passages(tei) if t not in site_text]
    assert not missing, missing[:5]
    # and each document's text is on its own page only
    d205 = page_text(root / "documents" / DOC / "d205.html")
    assert "MaxMillikan" in d205 and "DEARBOB" not in d205


def test_division_page_navigation_metadata_and_citation(root):
    page = parse(root / "documents" / DOC / "d201.html")
    assert text(page.find(".//h1")).startswith("Foreign Relations of the United States, 1961–1963")
    assert text(page.find(".//h2[@class='tp-head']")).startswith("201. Letter From Secretary of State Rusk")
    assert page.find(".//title").text.startswith("201. Letter From Secretary of State Rusk")
    pager = page.find(".//nav[@class='tp-pager']")
    links = {a.get("rel") or "up": a.get("href") for a in pager.iter("a")}
    assert links == {"prev": f"../../documents/{DOC}/d1.html", "up": f"../../documents/{DOC}.html#d201",
                     "next": f"../../documents/{DOC}/d205.html"}
    assert "Edward C. Keefer" in text(page.find(".//dl[@class='tp-meta']"))
    assert "2 March 1961" in text(page.find(".//dl[@class='tp-meta']"))
    hrefs = {a.get("href") for a in page.iter("a")}
    assert f"../../tei/{FRUS.name}" in hrefs
    assert f"../../cite/{DOC}/d201.bib" in hrefs and (root / "cite" / DOC / "d201.bib").is_file()
    metas = {m.get("name"): m.get("content") for m in page.iter("meta") if m.get("name")}
    assert metas["citation_title"].startswith("201. Letter From")
    assert json.loads(page.find(".//script[@type='application/ld+json']").text)["name"].startswith("201.")
    cite = page.get_element_by_id("tp-cite")
    assert f"documents/{DOC}/d201.html" in cite.find(".//p[@class='tp-citation']").get("data-tp-permalink")
    first, last = parse(root / "documents" / DOC / "terms.html"), parse(root / "documents" / DOC / "d205.html")
    assert not first.find(".//a[@rel='prev']") and not last.find(".//a[@rel='next']")


def test_footnotes_are_numbered_per_page(root):
    for part in ("d1", "d201", "d205"):
        page = parse(root / "documents" / DOC / f"{part}.html")
        notes = page.find_class("tp-note")
        refs = page.find_class("tp-noteref")
        assert [n.get("value") for n in notes] == [str(i) for i in range(1, len(notes) + 1)]
        assert [r.get("href") for r in refs] == [f"#{n.get('id')}" for n in notes]
        assert all(n.get("id").startswith(f"{part}fn") for n in notes)
        assert text(refs[0].find("sup")) == "0"  # FRUS's own note numbers (@n) are the marks


def test_no_broken_link_or_anchor_across_the_split_site(root):
    problems, checked = broken_links(root)
    assert not problems, "\n".join(problems)
    assert checked > 100
    for p in pages(root):
        ids = [el.get("id") for el in parse(p).iter() if el.get("id")]
        assert len(ids) == len(set(ids)), p


def test_chronology_and_search_point_into_division_pages(root):
    rows = parse(root / "chronology.html").findall(".//tbody/tr")
    hrefs = [r.find(".//a").get("href") for r in rows]
    assert f"documents/{DOC}/d201.html#d201.dateline1.date1" in hrefs
    assert all(h.startswith(f"documents/{DOC}/") for h in hrefs)
    import gzip

    urls = set()
    for f in (root / "pagefind" / "fragment").iterdir():
        urls.add(json.loads(gzip.decompress(f.read_bytes())[len(b"pagefind_dcd"):])["url"])
    assert {f"/documents/{DOC}/{p}.html" for p in PARTS} <= urls


# -- cross-page links, registers, configuration, on a small edition --------------------------
TWO_DIVS = ('<p xml:id="p1"><persName ref="persons.xml#anna">Anna</persName> wrote from',
            '<p xml:id="p0">See <ref target="#p2">the second letter</ref>.</p>\n'
            '        <p xml:id="p1"><persName ref="persons.xml#anna">Anna</persName> wrote from')
SECOND = ("      </div>\n    </body>",
          '      </div>\n      <div type="letter" xml:id="d2"><head>Reply of <date when="1961-04-01">1 April 1961'
          '</date></head><p xml:id="p2"><persName ref="persons.xml#anna">Anna</persName> again.'
          '<note type="editorial" resp="#ed" xml:id="n2">Second note.</note></p></div>\n    </body>')


def test_cross_division_ref_register_and_chronology_land_on_the_right_page(make_edition, tmp_path):
    ed_dir = make_edition(replace=[TWO_DIVS, SECOND])
    (ed_dir / "edition.toml").write_text('split = ["mini"]\n', encoding="utf-8")
    build_edition(ed_dir, tmp_path / "out", only={"sources", "html"})
    site = tmp_path / "out" / "html"
    d1 = parse(site / "documents" / "mini" / "d1.html")
    ref = next(a for a in d1.iter("a") if text(a) == "the second letter")
    assert ref.get("href") == "../../documents/mini/d2.html#p2"
    d2 = parse(site / "documents" / "mini" / "d2.html")
    assert d2.get_element_by_id("p2") is not None and d2.get_element_by_id("n2").get("value") == "1"
    occ = [a.get("href") for a in parse(site / "persons.html").get_element_by_id("anna").findall(".//ul//a")]
    assert occ == ["documents/mini/d1.html#p1.persName1", "documents/mini/d2.html#p2.persName1"]
    # the side panel lists what is named on this page
    assert "Anna Example" in text(d2.find(".//aside")) and "Vienna" not in text(d2.find(".//aside"))
    chronology = parse(site / "chronology.html")
    chron = [a.get("href") for a in chronology.xpath("//h2[@id='dates']/following::table[1]/tbody//a")]
    assert chron == ["documents/mini/d1.html#d1.head1.date1", "documents/mini/d2.html#d2.head1.date1"]
    # the dates of the records (the two letters) land on their own pages too
    records = [a.get("href") for a in chronology.xpath("//h2[@id='records']/following::table[1]/tbody//a")]
    assert records == ["documents/mini/d1.html#d1", "documents/mini/d2.html#d2"]
    assert not broken_links(site)[0]


def test_split_configuration_is_validated(make_edition, tmp_path):
    ed_dir = make_edition()
    for bad in ('split = "yes"', "split = [1]", 'split = [""]'):
        (ed_dir / "edition.toml").write_text(bad + "\n", encoding="utf-8")
        with pytest.raises(config.ConfigError, match="'split' must be true"):
            config.load(ed_dir)
    (ed_dir / "edition.toml").write_text('split = ["nosuch"]\n', encoding="utf-8")
    with pytest.raises(build.BuildError, match=re.escape("split names 'nosuch'") + ".*documents are: mini"):
        build.run(edition.load(ed_dir), tmp_path / "out", only={"sources", "html"})
    # false, or no key: one page, as before
    (ed_dir / "edition.toml").write_text("split = false\n", encoding="utf-8")
    build_edition(ed_dir, tmp_path / "out", only={"sources", "html"})
    assert not (tmp_path / "out" / "html" / "documents" / "mini").exists()


# -- in-document lists as registers (FRUS's List of Persons / Abbreviations) -----------------
def test_names_and_terms_link_to_the_documents_own_lists(root):
    page = parse(root / "documents" / DOC / "d201.html")
    names = {text(a): a for a in page.find_class("tp-name") if a.tag == "a"}
    rusk = names["Dean Rusk"]
    assert rusk.get("href") == f"../../documents/{DOC}/persons.html#p_RD1"
    assert rusk.get("data-tip") == "Rusk, Dean: Secretary of State from January 1961"
    rok = names["ROK"]  # <gloss target="#t_ROK1">
    assert rok.get("href") == f"../../documents/{DOC}/terms.html#t_ROK1"
    assert rok.get("data-tip") == "ROK: Republic of Korea"
    # the hover text is also the side panel's description, for screen readers
    desc = page.get_element_by_id(rusk.get("aria-describedby"))
    assert text(desc) == "Secretary of State from January 1961"
    side = page.find(".//aside")
    assert [text(h) for h in side.iter("h3")] == ["Persons", "Terms"]
    assert f"../../documents/{DOC}/persons.html#p_MNRS1" in {a.get("href") for a in side.iter("a")}
    # the targets exist on the list pages (the list entry keeps its xml:id)
    persons = parse(root / "documents" / DOC / "persons.html")
    assert text(persons.get_element_by_id("p_RD1")) == "Rusk, Dean"
    assert text(parse(root / "documents" / DOC / "terms.html").get_element_by_id("t_ROK1")) == "ROK"
    # the in-document entries get no register page of their own: the list is their register
    assert not (root / "persons.html").exists()


def test_a_name_on_the_list_page_itself_links_within_the_page(make_edition, tmp_path):
    body = ('<p xml:id="p1"><persName ref="persons.xml#anna">Anna</persName> wrote from',
            '<list><item><persName xml:id="p_X">Xu, Li</persName>, envoy <note>aside</note>of the court</item>'
            '<item><term xml:id="t_Y">ABC</term>, A Big Committee</item></list>\n'
            '        <p xml:id="p0"><persName corresp="#p_X">Xu</persName> of the <gloss target="#t_Y">ABC</gloss>; '
            '<persName corresp="#nowhere">Nobody</persName>.</p>\n'
            '        <p xml:id="p1"><persName ref="persons.xml#anna">Anna</persName> wrote from')
    ed_dir = make_edition(replace=[body])
    build_edition(ed_dir, tmp_path / "out", only={"sources", "html"})
    page = parse(tmp_path / "out" / "html" / "documents" / "mini.html")
    xu = next(a for a in page.iter("a") if text(a) == "Xu")
    assert xu.get("href") == "#p_X" and xu.get("data-tip") == "Xu, Li: envoy of the court"
    abc = next(a for a in page.iter("a") if text(a) == "ABC")
    assert abc.get("href") == "#t_Y" and abc.get("data-tip") == "ABC: A Big Committee"
    # an unresolved @corresp stays plain text; every word is kept; ids resolve
    assert "Nobody" in text(page.get_element_by_id("p0")) and not [a for a in page.iter("a") if text(a) == "Nobody"]
    assert "aside" in text(page.find(".//main")) and page.get_element_by_id("p_X") is not None
    assert not broken_links(tmp_path / "out" / "html")[0]
    # register names (@ref) still go to the register pages
    anna = page.get_element_by_id("p1").find(".//a")
    assert anna.get("href") == "../persons.html#anna"

"""Register occurrence lists and the chronology's "Where" column: what each mention says and
where it is, in a few words (teipress.model.mentions)."""
from __future__ import annotations

from pathlib import Path

import pytest

from sitebuild import parse, site
from teipress.model import mentions as site_mod


@pytest.fixture(scope="module")
def root() -> Path:
    return site()


def text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def occurrences(root: Path, page: str, anchor: str) -> list:
    return parse(root / page).get_element_by_id(anchor).findall(".//ul[@class='tp-occ']/li")


def test_a_speaker_label_shows_the_opening_words_of_the_turn(root):
    contexts = [text(li.find("span[@class='tp-context']")) for li in occurrences(root, "persons.html", "brezhnev")]
    assert "L. I. Brezhnev: In the form in which the treaty exists it does not permit South Korea…" in contexts
    assert "L. I. Brezhnev: I have read your document. But such a formulation of the question as…" in contexts
    every = [text(c) for c in parse(root / "persons.html").find_class("tp-context")]
    assert not [c for c in every if c.endswith(".") and len(c) < 30], "a bare speaker label is left"
    # a label with two names and a bracket keeps both names; the turn follows the label
    kim = [text(li.find("span[@class='tp-context']")) for li in occurrences(root, "persons.html", "kim-gwang-hyeop")
           if li.get("class") != "tp-occ-editorial"]  # the text's mentions, not the source note's
    assert all(c.startswith("Kim Gwang-hyeop [Kim Kwang Hyop]: We understand this well.") for c in kim), kim
    # the name itself is still the marked part
    marks = [text(li.find(".//mark")) for li in occurrences(root, "persons.html", "brezhnev")]
    assert marks.count("L. I. Brezhnev") >= 3


def test_location_labels_are_short_with_the_source_page(root):
    labels = [(text(li.find("a")), li.find("a").get("title")) for li in occurrences(root, "persons.html", "khrushchev")]
    assert ("pp. 19–20 · Materials from 17 June 1960 conversations with a…",
            "[Materials from 17 June 1960 conversations with a KWP CC delegation. From the author's archive. "
            "Published for the first time]:") in labels
    assert ("pp. 21–22 · March 1961", None) in labels
    # a division without a head is named by its date, never "excerpt 4"
    brezhnev = {text(li.find("a")) for li in occurrences(root, "persons.html", "brezhnev")}
    assert "p. 26 · c. 8 October 1971" in brezhnev  # as the PDF dates it: the editors are not sure
    for page in ("persons.html", "places.html", "organisations.html"):
        for li in parse(root / page).iterfind(".//ul[@class='tp-occ']/li"):
            label = text(li.find("a"))
            assert len(label) <= 70 and "excerpt" not in label.casefold() and not label.endswith(":"), label
            assert li.find("a").get("href").startswith("documents/nkidp-114978.html#")


def test_chronology_where_column_uses_the_same_labels(root):
    rows = parse(root / "chronology.html").xpath("//h2[@id='dates']/following::table[1]/tbody/tr")
    where = [r.findall("td")[3].find("a") for r in rows]
    assert all(len(text(a)) <= 70 and "excerpt" not in text(a) for a in where)
    assert "pp. 27–28 · 17 November 1971. Text of a Soviet note to the…" in [text(a) for a in where]
    assert all(a.get("href").startswith("documents/nkidp-114978.html#") for a in where)


@pytest.mark.parametrize("head, short", [
    ("[March 1961]", "March 1961"),
    ("[Materials from 17 June 1960 conversations with a KWP CC delegation]:",
     "Materials from 17 June 1960 conversations with a…"),
    ("[from the draft notes of a conversation between L. I. Brezhnev and Pak]",
     "from the draft notes of a conversation between…"),
    ("Supercalifragilisticexpialidocious" * 3, ("Supercalifragilisticexpialidocious" * 3)[:50] + "…"),
    ("[a] and [b]", "[a] and [b]"),
])
def test_shorten(head, short):
    assert site_mod.shorten(head) == short


def test_page_labels():
    assert site_mod.page_label("26") == "p. 26"
    assert site_mod.page_label("19-20") == "pp. 19–20"
    assert site_mod.page_label("XXV") == "p. XXV"
    assert site_mod.page_label("") == ""


def test_register_entries_show_original_names_offices_then_and_authority_links(root):
    import json

    page = parse(root / "persons.html")
    kim = page.get_element_by_id("kim-il-sung")
    originals = kim.find_class("tp-originals")[0]
    assert [(s.text, s.get("lang")) for s in originals.iterfind("span")] == [
        ("김일성", "ko"), ("金日成", "ko-Hani"), ("Ким Ир Сен", "ru")]
    assert "Ким Ир Сен" not in text(kim.find_class("tp-variants")[0])  # not also a variant
    # the offices held at the time of each conversation, read off the dated occupations
    pak = text(page.get_element_by_id("pak-seong-cheol").find_class("tp-offices")[0])
    assert "9 December 1969: Minister of Foreign Affairs" in pak
    assert "8 October 1971, 17 November 1971: Second Vice-Premier" in pak  # the same office: one line
    eisenhower = page.get_element_by_id("eisenhower")
    assert not eisenhower.find_class("tp-offices")  # out of office since 20 January 1961, before March 1961
    assert text(page.get_element_by_id("puzanov").find("h2")) == "Aleksandr Mikhailovich Puzanov (1906–1998)"
    assert text(page.get_element_by_id("kim-gwang-hyeop").find("h2")) == "Kim Gwang-hyeop (1915?–1970?)"
    # authority records as links, and as sameAs of the page's JSON-LD
    links = page.get_element_by_id("stalin").find_class("tp-authority")[0].findall("a")
    assert [(a.get("href"), text(a)) for a in links] == [("https://www.wikidata.org/entity/Q855", "Wikidata Q855")]
    assert not page.get_element_by_id("puzanov").find_class("tp-authority")  # none verified: none shown
    ld = json.loads(page.find(".//script[@type='application/ld+json']").text)
    things = {t["@id"]: t for t in ld["itemListElement"]}
    assert things["persons.html#stalin"]["sameAs"] == ["http://www.wikidata.org/entity/Q855"]
    assert things["persons.html#stalin"]["@type"] == "Person" and things["persons.html#stalin"]["deathDate"] == "1953"
    assert "sameAs" not in things["persons.html#puzanov"]


def test_mentions_in_editors_notes_are_marked_as_such(root):
    page = parse(root / "persons.html")
    brezhnev = page.get_element_by_id("brezhnev").findall(".//ul[@class='tp-occ']/li")
    marked = [li for li in brezhnev if "tp-occ-editorial" in (li.get("class") or "")]
    assert marked and all("(in an editors’ note)" in text(li) for li in marked)
    assert any("it continues the conversation of that day" in text(li) for li in marked)  # n-02, dating p. 26
    # and only those: the speech turns and headings are the document's
    assert all("tp-occ-editorial" not in (li.get("class") or "") for li in brezhnev if "L. I. Brezhnev:" in text(li))
    # the translator's note is part of the text as published: its mentions are the document's
    for li in parse(root / "places.html").iterfind(".//li[@class='tp-occ-editorial']"):
        assert "sderzhivat" not in text(li)


def test_chronology_lists_events_and_the_dates_of_the_records(root):
    page = parse(root / "chronology.html")
    events = page.xpath("//h2[@id='events']/following::table[1]/tbody/tr")
    names = [text(r.find("td/a")) for r in events]  # in the order of time
    assert names[0].startswith("Sino-Soviet Treaty") and names.index("Vienna summit") == names.index(
        "Treaty of Friendship, Cooperation and Mutual Assistance between the USSR and the DPRK") - 1
    treaty = next(r for r in events if "between the USSR and the DPRK" in text(r))
    assert treaty.find("td/time").get("datetime") == "1961-07-06"
    assert treaty.find("td/a").get("href") == "events.html#ussr-dprk-treaty-1961"
    named = text(treaty.findall("td")[2])
    assert "pp. 27–28 · 17 November 1971. Text of a Soviet note to the… (7×)" in named
    records = page.xpath("//h2[@id='records']/following::table[1]/tbody/tr")
    labels = [text(r.findall("td")[1]) for r in records]
    assert labels[0].startswith("pp. 19–20 · Materials from 17 June 1960")
    assert "p. 26 · no heading in the source" in labels
    assert [text(r.find("td")) for r in records][-1] == "17 November 1971"
    assert "c. 8 October 1971" in [text(r.find("td")) for r in records]  # dated by the editors' note
    # a date in an editors' note is marked as such in the dates of the text
    marked = page.xpath("//h2[@id='dates']/following::table[1]/tbody/tr[@class='tp-occ-editorial']")
    assert marked and all("Editors’ note:" in text(r) for r in marked)

"""Register entries as records (teipress.model.registers): what the registers read of an entry's
TEI is read once, with its file's facts (teipress.validation.facts), and kept as plain strings.
A RegisterEntry holds no element (it pickles without lxml); the records travel with the facts
through the incremental build's cache, and an edit of an entry's file is never shown stale."""
from __future__ import annotations

import dataclasses
import filecmp
import pickle
from pathlib import Path

from lxml import html

from teipress import edition as edition_mod
from teipress.commands import build as build_mod
from teipress.model import EditionModel, paths, registers
from teipress.validation import facts as facts_mod

TEI_NS = "http://www.tei-c.org/ns/1.0"
NO_PDF = {"sources", "html", "search", "cmif"}


def letter(ident: str, date: str, body: str, back: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="{TEI_NS}" xml:id="{ident}">
  <teiHeader><fileDesc>
    <titleStmt><title>Letter {ident}</title></titleStmt>
    <publicationStmt><p>test</p></publicationStmt><sourceDesc><p>made up</p></sourceDesc>
  </fileDesc></teiHeader>
  <text><body><div type="letter"><head><date when="{date}">{date}</date></head><p>{body}</p></div></body>
  <back>{back}</back></text>
</TEI>"""


HOFER = ('<person xml:id="pmb10863"><persName><forename>Richard</forename> <surname>Hofer</surname></persName>'
         '<birth><date when="1866-07-11">1866</date></birth><death when="1945-09-26"/>'
         '<idno type="gnd">https://d-nb.info/gnd/118508393/</idno></person>')
OLGA = ('<person xml:id="pmb2"><persName><forename>Olga</forename> <surname>Waissnix</surname></persName>'
        '<birth when="1862"/><occupation from="1885" to="1890">Wirtin</occupation></person>')
PEOPLE = f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="{TEI_NS}">
  <teiHeader><fileDesc><titleStmt><title>People</title></titleStmt>
    <publicationStmt><p>test</p></publicationStmt><sourceDesc><p>made up</p></sourceDesc></fileDesc></teiHeader>
  <text><body><listPerson>
    <person xml:id="hofer"><persName>Richard Hofer</persName><idno type="gnd">118508393</idno>
      <note type="description">A poet of the circle.</note></person>
  </listPerson></body></text>
</TEI>"""


def edition(root: Path) -> Path:
    """Three letters describing the persons they name in their back (one also in a register
    file, by the same GND number; one only in the letters)."""
    (root / "tei").mkdir(parents=True)
    files = {
        "a.xml": letter("a", "1888-01-02", '<persName ref="#pmb10863">Richard</persName> and '
                        '<persName ref="#pmb2">Olga</persName>', f"<listPerson>{HOFER}{OLGA}</listPerson>"),
        "b.xml": letter("b", "1888-02-03", '<persName ref="#pmb2">Olga</persName> again',
                        f"<listPerson>{OLGA}</listPerson>"),
        "c.xml": letter("c", "1889-03-04", '<persName ref="people.xml#hofer">Hofer</persName>', ""),
        "people.xml": PEOPLE,
    }
    for name, text in files.items():
        (root / "tei" / name).write_text(text, encoding="utf-8")
    (root / "edition.toml").write_text('id = "rec"\ntitle = "Records"\n', encoding="utf-8")
    return root


def same_tree(a: Path, b: Path) -> list[str]:
    files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    return sorted(str(p) for p in files_a ^ files_b) + sorted(
        str(p) for p in files_a & files_b if not filecmp.cmp(a / p, b / p, shallow=False))


def parse(path: Path):
    return html.parse(str(path)).getroot()  # read afresh: the page changes between builds


def text_of(el) -> str:
    return " ".join(el.text_content().split())


def test_a_register_entry_holds_no_element(tmp_path):
    em = EditionModel.build(edition_mod.load(edition(tmp_path / "e")))
    assert {e.name for e in em.entries.values()} == {"Richard Hofer", "Olga Waissnix"}
    for e in em.entries.values():
        # the occurrences belong to the documents' models; the entry's own facts are records
        data = pickle.dumps(dataclasses.replace(e, occurrences=[]))
        assert b"lxml" not in data, e.anchor
        back = pickle.loads(data)
        assert (back.name, back.dates, back.variants, back.details, back.sort_key, back.json_ld_data()) == \
               (e.name, e.dates, e.variants, e.details, e.sort_key, e.json_ld_data())
    hofer = next(e for e in em.entries.values() if e.name == "Richard Hofer")
    assert [m.file.rel for m in hofer.members] == ["people.xml", "a.xml"]  # the register first
    assert hofer.description == "A poet of the circle." and hofer.dates == "1866–1945"
    assert hofer.authority_uris == ("http://d-nb.info/gnd/118508393",)
    olga = next(e for e in em.entries.values() if e.name == "Olga Waissnix")
    assert olga.details == ["Wirtin (1885–1890)"] and olga.index_label == "Waissnix, Olga"
    assert olga.offices_at("1888-01-02") == ["Wirtin"] and olga.offices_at("1891") == []


def test_a_file_s_facts_carry_its_entries_records_through_the_cache(tmp_path):
    ed = edition_mod.load(edition(tmp_path / "e"))
    a = ed.file("a.xml")
    read = facts_mod.read(a)
    kept = pickle.loads(pickle.dumps(read))  # as the cache and the forked workers hand them on
    olga = next(x for x in kept.entries if x.id == "pmb2")
    assert b"lxml" not in pickle.dumps(read)
    assert olga.names == ["Olga Waissnix"] and olga.where == "back" and olga.keys == []
    assert olga.about.dates == "1862–" and olga.about.occupations == (("Wirtin", "1885", "1890", ""),)
    hofer = next(x for x in kept.entries if x.id == "pmb10863")
    assert hofer.keys == ["gnd:118508393"] and hofer.richness > olga.richness
    # the records are those the registers read: the same as read from the element now
    assert registers.facts_of(ed.entries[("a.xml", "pmb2")]).about == olga.about


def test_an_incremental_build_never_shows_a_register_entry_stale(tmp_path):
    """An edit of an entry's description in a letter's back (its names, dates, occupations)
    reaches the register page, the tooltips of every letter naming it and the index, as in a
    clean build; the letter's facts are read again, those of the others come from the cache."""
    root = edition(tmp_path / "e")
    out = tmp_path / "out"
    build_mod.build(root, out, only=NO_PDF, incremental=True)
    page = parse(out / "html" / "persons.html")
    assert "Gastwirtin" not in text_of(page.get_element_by_id("pmb2"))
    b = root / "tei" / "b.xml"
    b.write_text(b.read_text(encoding="utf-8").replace(
        '<birth when="1862"/><occupation from="1885" to="1890">Wirtin</occupation>',
        '<persName type="variant">Olga Gastwirtin</persName><birth when="1861"/><death when="1897"/>'
        '<occupation from="1885" to="1890">Wirtin</occupation><occupation>Briefpartnerin</occupation>'
        '<note type="description">Wirtin am Semmering.</note>'), encoding="utf-8")
    build_mod.build(root, out, only=NO_PDF, incremental=True)
    clean = tmp_path / "clean"
    build_mod.build(root, clean, only=NO_PDF)
    assert same_tree(out, clean) == []
    olga = text_of(parse(out / "html" / "persons.html").get_element_by_id("pmb2"))
    # b's description is now the fullest: its dates, variant, description and occupations lead
    assert "Olga Waissnix (1861–1897)" in olga and "Also named: Olga Gastwirtin" in olga
    assert "Wirtin am Semmering." in olga and "Briefpartnerin" in olga
    tooltip = parse(out / "html" / "documents" / "a.html").xpath("//span[@class='tp-desc']")
    assert any("(1861–1897) Wirtin am Semmering." in text_of(s) for s in tooltip)


class _Unread:
    """An element that must not be read: the registers work from the files' facts alone."""

    def __getattr__(self, name):
        raise AssertionError(f"an entry's element was read ({name})")


def _shown(es: dict) -> list:
    return [(a, e.name, e.dates, e.variants, e.originals, e.description, e.details,
             [(i.authority, i.value, i.uri) for i in e.identifiers], [s.parts for s in e.sources], e.sort_key,
             e.index_label, e.date_value, e.json_ld_data(), e.authority_uris, e.files, e.offices_at("1888"))
            for a, e in sorted(es.items())]


def test_the_registers_never_read_an_entry_s_element(tmp_path):
    """Merging the descriptions and showing the entries read the records its file's facts hold:
    the same results with every entry's element gone (as when trees are parsed on demand)."""
    ed = edition_mod.load(edition(tmp_path / "e"))
    before = registers.identities(ed)
    shown = _shown(registers.entries(ed, paths.REGISTER_PAGES, before))
    for e in ed.entries.values():
        e._element = _Unread()  # (Entry finds its element on demand and keeps it here)
    groups = registers.identities(ed)
    assert {k: [(m.file.rel, m.id) for m in v] for k, v in groups.items()} == \
           {k: [(m.file.rel, m.id) for m in v] for k, v in before.items()}
    assert _shown(registers.entries(ed, paths.REGISTER_PAGES, groups)) == shown
    assert [registers.life_dates(m) for m in groups[("b.xml", "pmb2")]] == ["1862–", "1862–"]

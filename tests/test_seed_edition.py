"""The default edition in tei/: valid, faithful to the seed, valid TEI P5."""
from __future__ import annotations


import pytest
from lxml import etree

from conftest import REPO
from teipress.commands.validate import validate_edition
from teipress.edition import load
from teipress.validation.diagnostics import Report
from teipress.xmlparse import NS

DOC = REPO / "tei" / "nkidp-114978.xml"
SEED_NAME = "seed/000_76ce0da0d3d2040f.txt"
TEI_FILES = sorted(p for p in (REPO / "tei").glob("*.xml"))


@pytest.fixture(scope="module")
def edition():
    return load(REPO)


@pytest.fixture(scope="module")
def doc():
    return etree.parse(str(DOC)).getroot()


def test_edition_validates_without_errors_or_warnings(edition):
    report = Report(base=REPO)
    validate_edition(edition, report)
    assert [str(d) for d in report.items] == []


def test_edition_shape(edition):
    assert [f.rel for f in edition.documents] == ["nkidp-114978.xml"]
    assert sorted(f.rel for f in edition.registers) == ["events.xml", "organisations.xml", "persons.xml", "places.xml"]


def test_every_file_declares_the_project_schema():
    for path in TEI_FILES:
        head = path.read_text(encoding="utf-8")[:600]
        assert '<?xml-model href="schema/teipress.xsd"' in head, path.name


# --- fidelity: the text as published, rebuilt from the TEI, equals the seed ---------------

def published(el: etree._Element, header: bool = False) -> str:
    """The source's printed text: sic readings, translator's brackets, no editors' additions.

    Written independently of the HTML/PDF code, as the oracle for fidelity.
    """
    tag = etree.QName(el).localname if isinstance(el.tag, str) else None
    if tag is None:  # comments, processing instructions
        return el.tail or ""
    inner = (el.text or "") + "".join(published(c, header) for c in el)
    if tag == "gap":
        out = "[...]"
    elif tag == "pb":
        out = f"[{el.get('n')}]"
    elif tag == "choice":
        kids = [c for c in el if etree.QName(c).localname in ("sic", "orig", "abbr")]
        out = "".join((k.text or "") + "".join(published(c, header) for c in k) for k in kids)
    elif tag == "supplied":
        out = f"[{inner}]" if el.get("reason") == "clarification" else ""
    elif tag == "note" and not header:  # in the header, notes are metadata (e.g. the credit line)
        out = f"[Translator's note: {inner}]" if el.get("type") == "translator" else ""
    elif tag in ("quote", "q"):
        out = f'"{inner}"'
    else:
        out = inner
    return out + (el.tail or "")


def words(text: str) -> list[str]:
    return text.split()


def test_published_text_equals_seed_word_for_word(doc, shared):
    seed = (shared / SEED_NAME).read_text(encoding="utf-8")
    start = seed.index("[...]")  # before it: the archive's metadata, encoded in the header
    expected = words(seed[start:])
    body = doc.find("tei:text/tei:body", NS)
    actual = words((body.text or "") + "".join(published(c) for c in body))
    if actual != expected:
        for i, (a, e) in enumerate(zip(actual, expected)):
            if a != e:
                ctx = " ".join(expected[max(0, i - 8): i + 8])
                pytest.fail(f"word {i}: TEI has {a!r}, seed has {e!r} (seed: ...{ctx}...)")
        pytest.fail(f"lengths differ: TEI {len(actual)} words, seed {len(expected)} words")


def test_header_keeps_archive_metadata_verbatim(doc, shared):
    seed = (shared / SEED_NAME).read_text(encoding="utf-8")
    header = doc.find("tei:teiHeader", NS)
    text = " ".join(published(header, header=True).split())
    summary = seed.split("Summary:")[1].split("Credits:")[0].strip()
    credit = seed.split("Credits:")[1].split("Original Language:")[0].strip()
    citation = seed.split("Citation:")[1].split("Summary:")[0].strip()
    assert " ".join(summary.split()) in text
    assert " ".join(credit.split()) in text
    assert " ".join(citation.split()) in text.replace("“", '"').replace("”", '"')


# --- the encoding decisions the issue asks for ----------------------------------------------

def test_source_errors_kept_with_corrections(doc):
    pairs = {(" ".join("".join(c.find("tei:sic", NS).itertext()).split()),
              " ".join("".join(c.find("tei:corr", NS).itertext()).split()))
             for c in doc.iterfind(".//tei:choice", NS) if c.find("tei:sic", NS) is not None}
    assert ("Kim II Sung", "Kim Il Sung") in pairs
    assert ("DRPK", "DPRK") in pairs
    assert ("Mosow", "Moscow") in pairs
    assert any(s.startswith("experiences") and c.startswith("experience ") for s, c in pairs)
    omitted = [s for s in doc.iterfind(".//tei:supplied", NS) if s.get("reason") == "omitted"]
    assert omitted, "the missing word in 'I hope that have not taken back' is supplied"
    # No uncorrected "Kim II Sung" in the text outside a sic.
    for node in doc.find("tei:text", NS).iter():
        if isinstance(node.tag, str) and etree.QName(node).localname != "sic":
            assert "Kim II" not in (node.text or "") and "Kim II" not in (node.tail or "")


def test_excerpts_and_page_breaks(doc):
    divs = doc.findall("tei:text/tei:body/tei:div", NS)
    assert [d.get("type") for d in divs] == ["excerpt"] * 6
    pbs = [pb.get("n") for pb in doc.iterfind(".//tei:body//tei:pb", NS)]
    assert pbs == ["19-20", "21-22", "25", "26", "27-28", "31"]


def test_speech_turns_point_to_persons(doc, edition):
    f = edition.documents[0]
    sps = doc.findall(".//tei:sp", NS)
    assert len(sps) >= 12
    speakers = set()
    for sp in sps:
        entry = edition.entry_for(f, sp.get("who"))
        assert entry is not None and entry.kind == "person"
        speakers.add(entry.id)
    assert {"kim-il-sung", "khrushchev", "brezhnev", "pak-seong-cheol", "kim-gwang-hyeop"} <= speakers


def test_translator_note_and_foreign_terms(doc):
    [note] = [n for n in doc.iterfind(".//tei:text//tei:note", NS) if n.get("type") == "translator"]
    assert note.get("resp") == "#goldberg"
    assert "sderzhivat'" in "".join(note.itertext())
    langs = {f.get("{http://www.w3.org/XML/1998/namespace}lang") for f in doc.iterfind(".//tei:foreign", NS)}
    assert langs == {"ru-Latn"}
    assert {"".join(s.itertext()) for s in doc.iterfind(".//tei:supplied[@reason='clarification']", NS)} >= {"CPSU", "might"}


def test_dates_normalised(doc):
    values = {d.get("when") for d in doc.iterfind(".//tei:text//tei:date", NS)}
    assert {"1960-06-17", "1961-03", "1971-10-08", "1971-11-17", "1969-12-09", "1961-07-06"} <= values


def test_one_person_two_forms(edition):
    entry = edition.entries[("persons.xml", "kim-gwang-hyeop")]
    assert entry.name == "Kim Gwang-hyeop" and "Kim Kwang Hyop" in entry.variants


# --- valid against the real TEI P5 schema ----------------------------------------------------

@pytest.fixture(scope="session")
def tei_all(shared):
    return etree.RelaxNG(etree.parse(str(shared / "tei" / "tei_all.rng")))


@pytest.mark.parametrize("path", TEI_FILES, ids=[p.name for p in TEI_FILES])
def test_valid_against_tei_all(tei_all, path):
    doc = etree.parse(str(path))
    ok = tei_all.validate(doc)
    errors = [f"{e.line}: {e.message}" for e in tei_all.error_log]
    assert ok, "\n".join(errors[:20])


def test_edition_id_comes_from_the_tei_not_the_folder(edition):
    from teipress.model import header

    # publicationStmt/idno[@type='edition'], whatever the clone is called
    assert header.edition_metadata_from(edition).id == "nkidp-114978"

"""A PDF's register extracts (teipress.outputs.register_extract): each holds exactly the entries
its document refers to, copied as encoded in the register, and names the register by file name
and SHA-256; the same inputs give the same bytes; tei_all accepts them."""
from __future__ import annotations

import hashlib
from pathlib import Path

from lxml import etree

from teipress import edition as edition_mod
from teipress.outputs import pdf, register_extract
from teipress.xmlparse import NS, TEI_NS, XML_ID

from conftest import MINI_DOC, PROLOG, edition_model

# A register of four persons, two places and an organisation, with a comment and a foreign
# attribute inside an entry (copied as encoded), an entry pointing to another, and an entry
# (carla) that two documents refer to.
REGISTER = PROLOG + """<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:x="urn:example:x" xml:id="register" xml:lang="de">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Persons and places</title></titleStmt>
      <publicationStmt><publisher>teipress tests</publisher></publicationStmt>
      <sourceDesc><p>Born digital.</p></sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body>
      <listPerson>
        <person xml:id="anna"><persName type="main">Anna Example</persName><birth when="1900"/>
          <!-- kept as encoded --><note x:source="card 12">Wrote <hi rend="italic">often</hi>.</note></person>
        <person xml:id="bert"><persName type="main">Bert Example</persName>
          <affiliation><orgName ref="#club">the club</orgName></affiliation></person>
        <person xml:id="carla"><persName type="main">Carla Example</persName></person>
        <person xml:id="dora"><persName type="main">Dora Example</persName></person>
      </listPerson>
      <listPlace>
        <place xml:id="vienna" type="city"><placeName type="main">Vienna</placeName></place>
        <place xml:id="graz" type="city"><placeName type="main">Graz</placeName></place>
      </listPlace>
      <listOrg>
        <org xml:id="club"><orgName type="main">The Club</orgName></org>
      </listOrg>
    </body>
  </text>
</TEI>
"""


def letter(ident: str, names: str) -> str:
    return (MINI_DOC.replace('xml:id="mini"', f'xml:id="{ident}"')
            .replace("<title>A mini edition</title>", f"<title>Letter {ident}</title>")
            .replace('<persName ref="persons.xml#anna">Anna</persName> wrote from\n          '
                     '<placeName ref="persons.xml#vienna">Vienna</placeName>.', names))


def three_letters(make_edition) -> Path:
    """Three documents: one naming anna, carla and vienna (one of them twice), one naming bert
    and carla, one naming no entry."""
    return make_edition(
        doc=letter("one", '<persName ref="persons.xml#carla">Carla</persName> and '
                          '<persName ref="persons.xml#anna">Anna</persName> in '
                          '<placeName ref="persons.xml#vienna">Vienna</placeName>; '
                          '<persName ref="persons.xml#anna">she</persName> wrote.'),
        persons=REGISTER,
        extra={"two.xml": letter("two", '<persName ref="persons.xml#bert">Bert</persName> met '
                                        '<persName ref="persons.xml#carla">Carla</persName>.'),
               "three.xml": letter("three", "Nobody is named.")})


def attached(em, ident: str) -> dict[str, tuple[bytes, dict]]:
    doc = next(d for d in em.documents if d.id == ident)
    return {meta["name"]: (src if isinstance(src, bytes) else Path(src).read_bytes(), meta)
            for src, meta in pdf.attachments(em, doc)}


def entries(data: bytes) -> list[tuple[str, str]]:
    root = etree.fromstring(data)
    return [(etree.QName(el).localname, el.get(XML_ID))
            for el in root.iterfind("tei:standOff/*/*", NS)]


def test_extract_holds_exactly_the_entries_each_document_refers_to(make_edition):
    root = three_letters(make_edition)
    em = edition_model(edition_mod.load(root))
    one, two, three = (attached(em, i) for i in ("one", "two", "three"))
    assert sorted(one) == ["mini.xml", "persons-extract.xml"]  # (make_edition's file name)
    assert one["mini.xml"][0] == (root / "tei" / "mini.xml").read_bytes()  # the source is the source
    assert one["mini.xml"][1]["relationship"] == "source"
    # in the register's order, each once, grouped in lists of their kind
    assert entries(one["persons-extract.xml"][0]) == [("person", "anna"), ("person", "carla"), ("place", "vienna")]
    assert entries(two["persons-extract.xml"][0]) == [("person", "bert"), ("person", "carla")]
    assert sorted(three) == ["three.xml"]  # no register named: no extract
    meta = one["persons-extract.xml"][1]
    assert meta["relationship"] == "supplement"
    assert meta["description"].startswith("TEI P5 extract of the register persons.xml: the 2 persons and 1 place")


def test_entries_are_copied_as_encoded_and_the_register_named(make_edition):
    root = three_letters(make_edition)
    em = edition_model(edition_mod.load(root))
    data = attached(em, "one")["persons-extract.xml"][0]
    register = etree.parse(str(root / "tei" / "persons.xml"))
    extract = etree.fromstring(data)
    for el in extract.iterfind("tei:standOff/*/*", NS):
        source = register.find(f".//*[@xml:id='{el.get(XML_ID)}']", NS)
        # the same element, content, comments and foreign attributes included
        assert etree.tostring(el, method="c14n", exclusive=True) == etree.tostring(source, method="c14n", exclusive=True)
    bibl = extract.find("tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl", NS)
    assert bibl.findtext("tei:ref", namespaces=NS) == "persons.xml"
    assert bibl.findtext("tei:idno[@type='SHA-256']", namespaces=NS) == \
        hashlib.sha256((root / "tei" / "persons.xml").read_bytes()).hexdigest()
    assert bibl.findtext("tei:title", namespaces=NS) == "Persons and places"
    assert extract.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"  # what the entries inherit
    assert "Extract of persons.xml" in extract.findtext(".//tei:titleStmt/tei:title", namespaces=NS)
    # an entry's pointer stays as encoded (bert's #club is relative to the register)
    bert = attached(em, "two")["persons-extract.xml"][0]
    assert b'<orgName ref="#club">' in bert and b'xml:id="club"' not in bert
    assert etree.QName(extract).namespace == TEI_NS


def test_same_inputs_same_bytes(make_edition, tmp_path):
    root = three_letters(make_edition)
    first = attached(edition_model(edition_mod.load(root)), "one")["persons-extract.xml"][0]
    register_extract._ORDER.clear()
    again = attached(edition_model(edition_mod.load(root)), "one")["persons-extract.xml"][0]
    assert first == again
    # an edit of an entry the letter names changes its extract; one it does not name, not
    (root / "tei" / "persons.xml").write_text(REGISTER.replace("Dora Example", "Dora Changed"), encoding="utf-8")
    other = attached(edition_model(edition_mod.load(root)), "one")["persons-extract.xml"][0]
    assert other != first  # (the register's SHA-256 changed)
    assert other.replace(*[hashlib.sha256(x.encode()).hexdigest().encode()
                           for x in (REGISTER.replace("Dora Example", "Dora Changed"), REGISTER)]) == first
    (root / "tei" / "persons.xml").write_text(REGISTER.replace("Anna Example", "Anna Changed"), encoding="utf-8")
    assert b"Anna Changed" in attached(edition_model(edition_mod.load(root)), "one")["persons-extract.xml"][0]


def test_extract_is_valid_tei(make_edition, shared):
    """An extract of a register tei_all accepts is accepted too (a foreign attribute, which
    tei_all refuses, is taken away from the register first)."""
    rng = etree.RelaxNG(etree.parse(str(shared / "tei" / "tei_all.rng")))
    root = three_letters(make_edition)
    valid = REGISTER.replace(' x:source="card 12"', "").replace(PROLOG, "")
    assert rng.validate(etree.fromstring(valid.encode())), rng.error_log.last_error
    (root / "tei" / "persons.xml").write_text(PROLOG + valid, encoding="utf-8")
    em = edition_model(edition_mod.load(root))
    for ident in ("one", "two"):
        tree = etree.fromstring(attached(em, ident)["persons-extract.xml"][0])
        assert rng.validate(tree), rng.error_log.last_error


def test_attachment_names_stay_apart():
    taken = {"people.xml"}
    first = register_extract.attachment_name("a/people.xml", taken)
    taken.add(first)
    second = register_extract.attachment_name("b/people.xml", taken)
    assert (first, second) == ("people-extract.xml", "b-people-extract.xml")

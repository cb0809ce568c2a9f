"""`teipress init`: a new edition that validates (project schema and tei_all) and builds."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from lxml import etree

from teipress.cli import main
from teipress.commands.validate import validate_edition
from teipress.edition import load
from teipress.validation.diagnostics import Report

TITLE = 'Letters of <Anna> & "Bob"'


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def new_edition(tmp_path):
    r = run("init", tmp_path / "ed", "--title", TITLE, "--editor", "A. Editor")
    assert r.exit_code == 0, r.output
    return tmp_path / "ed"


def test_new_edition_validates_cleanly(new_edition):
    report = Report(base=new_edition)
    validate_edition(load(new_edition), report)
    assert [str(d) for d in report.items] == []


def test_new_edition_is_valid_tei_p5(new_edition, shared):
    rng = etree.RelaxNG(etree.parse(str(shared / "tei" / "tei_all.rng")))
    for path in sorted((new_edition / "tei").glob("*.xml")):
        assert rng.validate(etree.parse(str(path))), (path.name, str(rng.error_log)[:500])


def test_new_edition_builds_and_keeps_the_title_as_text(new_edition, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    r = run("build", new_edition, "--out", tmp_path / "out", "-q")
    assert r.exit_code == 0, r.output
    home = (tmp_path / "out" / "html" / "index.html").read_text(encoding="utf-8")
    assert "Letters of &lt;Anna&gt; &amp;" in home and "<Anna>" not in home
    assert (tmp_path / "out" / "pdf").is_dir()


def test_init_never_overwrites(new_edition):
    before = (new_edition / "tei" / "persons.xml").read_bytes()
    r = run("init", new_edition, "--title", "Other")
    assert r.exit_code == 1 and "already exists" in r.output
    assert (new_edition / "tei" / "persons.xml").read_bytes() == before


def test_init_rejects_an_id_that_is_not_an_xml_id(tmp_path):
    r = run("init", tmp_path / "x", "--title", "T", "--id", "1 bad id")
    assert r.exit_code == 1 and "cannot be an xml:id" in r.output and "--id" in r.output
    assert not (tmp_path / "x" / "tei" / "1 bad id.xml").exists()


@pytest.mark.parametrize("title, expected", [
    ("Österreichische Briefe über Kunst – 1897", "osterreichische-briefe-uber-kunst-1897"),
    ("Письма Чехова", "pisma-chekhova"),
    ("1897 letters", "edition-1897-letters"),
    ("Straße & Æther", "strasse-aether"),
])
def test_ids_are_transliterated_and_valid(tmp_path, title, expected):
    r = run("init", tmp_path / "x", "--title", title)
    assert r.exit_code == 0, r.output
    assert (tmp_path / "x" / "tei" / f"{expected}.xml").is_file()


def test_defaults_are_fit_to_publish(tmp_path, monkeypatch):
    """No "version 0", no "The editors" read as a person, a licence the deposit asks for."""
    r = run("init", tmp_path / "ed", "--title", "Briefe 1897", "--language", "de")
    assert r.exit_code == 0, r.output
    from teipress.commands.build import make_model

    model = make_model(load(tmp_path / "ed"))
    md = model.metadata
    assert md.version == "0.1.0"
    assert md.title == "Briefe 1897" and md.languages[0] == "de"
    agents = [a for a in md.contributors + md.creators]
    assert agents and all(a.kind == "org" for a in agents), agents
    assert [d.title for d in model.documents] == ["A first document"]  # not the edition's own title
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    warned = []
    from teipress.commands import deposit

    deposit.make_deposit(tmp_path / "ed", tmp_path / "dep", warn=warned.append)
    assert any("licence" in w for w in warned), warned


def test_the_next_hint_quotes_the_folder(tmp_path):
    r = run("init", tmp_path / "my letters", "--title", "T")
    assert r.exit_code == 0
    assert f"teipress build '{tmp_path / 'my letters'}'" in r.output


# -- teipress new --------------------------------------------------------------------------

def test_new_documents_share_the_editions_header_and_build(new_edition, tmp_path, monkeypatch):
    r = run("new", new_edition, "second", "--title", "The second <document>", "--date", "1897-02-12")
    assert r.exit_code == 0, r.output
    r = run("new", new_edition, "letter-1", "--title", "Anna to Karl", "--type", "letter", "--date", "1897-02")
    assert r.exit_code == 0, r.output
    second = (new_edition / "tei" / "second.xml").read_text(encoding="utf-8")
    assert '<?xml-model href="schema/teipress.xsd"' in second
    assert "A. Editor" in second and 'n="0.1.0"' in second and "&lt;document&gt;" in second
    letter = etree.parse(str(new_edition / "tei" / "letter-1.xml"))
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    assert letter.xpath("//t:correspAction[@type='sent']/t:date/@when", namespaces=ns) == ["1897-02"]
    assert letter.xpath("//t:closer/t:signed", namespaces=ns)

    report = Report(base=new_edition)
    validate_edition(load(new_edition), report)
    assert [str(d) for d in report.errors] == []
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    r = run("build", new_edition, "--out", tmp_path / "out", "-q")
    assert r.exit_code == 0, r.output
    home = (tmp_path / "out" / "html" / "index.html").read_text(encoding="utf-8")
    assert "The second &lt;document&gt;" in home and "Anna to Karl" in home


def test_new_never_overwrites_and_checks_its_input(new_edition):
    r = run("new", new_edition, "second", "--title", "x")
    assert r.exit_code == 0
    before = (new_edition / "tei" / "second.xml").read_bytes()
    r = run("new", new_edition, "second", "--title", "y")
    assert r.exit_code == 1 and "already exists" in r.output
    assert (new_edition / "tei" / "second.xml").read_bytes() == before
    for bad in ("../escape", "sub/doc", "1doc"):
        r = run("new", new_edition, bad, "--title", "x")
        assert r.exit_code == 1 and "cannot name a document" in r.output, bad
    r = run("new", new_edition, "third", "--title", "x", "--date", "1897-02-30")
    assert r.exit_code == 1 and "day 30" in r.output
    assert not (new_edition / "tei" / "third.xml").exists()

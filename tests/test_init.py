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
    assert r.exit_code == 1 and "cannot be an xml:id" in r.output
    assert not (tmp_path / "x" / "tei" / "1 bad id.xml").exists()

"""Validation on real TEI from other projects: never a crash, the right diagnosis."""
from __future__ import annotations


import pytest

from conftest import SHARED
from teipress.commands.validate import validate_paths

CORPORA = sorted((SHARED / "corpora").rglob("*.xml")) if SHARED.is_dir() else []


@pytest.mark.parametrize("path", CORPORA, ids=[str(p.relative_to(SHARED)) for p in CORPORA])
def test_no_crash_and_located_messages(shared, path):
    report, files = validate_paths([path])
    assert files == 1
    for d in report.items:
        assert d.line >= 1 and d.col >= 1 and d.message and d.rule


@pytest.mark.parametrize("name,rule", [
    ("test-tree.xml", "id-unique"),
    ("testrend.xml", "xml-wellformed"),
    ("test2.xml", "tei-root"),
])
def test_negative_corpus(shared, name, rule):
    report, _ = validate_paths([shared / "corpora" / "tei-tests" / "negative" / name])
    assert rule in {d.rule for d in report.errors}


def test_well_formed_real_letters_have_no_structural_errors(shared):
    # Real letters: no parse or root errors (their pointers use another project's conventions).
    for path in sorted((shared / "corpora" / "letters" / "schnitzler-briefe").glob("*.xml")):
        report, _ = validate_paths([path])
        assert not [d for d in report.errors if d.rule.startswith(("xml-", "tei-root"))], path.name


# Each collection as an edition of its own (one folder, only id and title in edition.toml), as an
# editor would bring it.  The errors left are real problems of the copies, each named here:
# elements that are not TEI, and pointers to ids the file does not have.  Schemas kept beside the
# sources in the editors' repositories (../meta/x.sch, ../../Schemas/eltec-1.rng) and TEI's own
# schema (schema/tei_all.rnc) are not in these folders: warnings and notes, with teipress's
# schema standing in (tests below).
COLLECTIONS = {
    "letters/schnitzler-briefe": {},
    "letters/escher-briefe": {},
    "editorial/dta-soldatenbriefe": {},
    "editorial/perseus-translations": {},
    "dracor/gerdracor": {},
    "dracor/rusdracor": {},
    "eltec/eng": {},
    "eltec/fra": {},
    "frus/frus1961-63v22-excerpt": {},
    "tei-tests": {"schema": 17, "pointer-resolves": 2},  # <Button>, <Icon>, <Menu>…; ptr target="#foo"
    "apparatus": {},
}


def collection_edition(shared, tmp_path, name):
    import shutil

    root = tmp_path / name.replace("/", "_")
    (root / "tei").mkdir(parents=True)
    for path in sorted((shared / "corpora" / name).glob("*.xml")):
        shutil.copy(path, root / "tei" / path.name)
    (root / "edition.toml").write_text(f'id = "{root.name.replace("_", "-")}"\ntitle = "{name}"\n',
                                       encoding="utf-8")
    return root


@pytest.mark.parametrize("name", sorted(COLLECTIONS))
def test_collection_validates_with_only_its_real_problems(shared, tmp_path, name):
    from collections import Counter

    from teipress.commands.validate import validate_edition
    from teipress.edition import load
    from teipress.validation.diagnostics import Report

    root = collection_edition(shared, tmp_path, name)
    report = Report(base=root)
    validate_edition(load(root), report)
    errors = [d for d in report.sorted() if d.severity == "error"]  # as printed: each once
    found = Counter(d.rule for d in errors)
    assert dict(found) == COLLECTIONS[name], "\n".join(str(d) for d in errors[:20])
    if name == "tei-tests":
        names = {d.message.split(">")[0] + ">" for d in errors if d.rule == "schema"}
        assert names == {"<Button>", "<Icon>", "<Input>", "<Menu>", "<Field>"}


@pytest.mark.parametrize("name, rule, severity", [
    ("letters/schnitzler-briefe", "schema-absent", "warning"),  # ../meta/schnitzler-briefe-schematron.sch
    ("eltec/eng", "schema-outside", "warning"),  # ../../Schemas/eltec-1.rng
    ("apparatus", "schema-remote", "note"),  # schema/tei_all.rnc: TEI's own schema, not in the folder
])
def test_schemas_out_of_reach_are_said_once_and_replaced(shared, tmp_path, name, rule, severity):
    from teipress.commands.validate import validate_edition
    from teipress.edition import load
    from teipress.validation.diagnostics import Report

    root = collection_edition(shared, tmp_path, name)
    report = Report(base=root)
    validate_edition(load(root), report)
    said = [d for d in report.sorted() if d.rule == rule]
    assert len(said) == 1 and said[0].severity == severity, [str(d) for d in said]
    assert "teipress.xsd" in said[0].message

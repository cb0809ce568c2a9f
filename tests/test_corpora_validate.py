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

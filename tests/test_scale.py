"""Cost linear in document size: note numbering in one pass; a text node too large for the
parser is refused with a message that says the limit and why."""
from __future__ import annotations

from conftest import MINI_DOC, MINI_PERSONS
from teipress import edition
from teipress.model.behaviour import M, behaviour
from teipress.xmlparse import XmlError, parse

import pytest


def test_notes_are_numbered_in_document_order_across_front_body_back_and_nesting(tmp_path):
    body = "".join(f'<p xml:id="q{i}">P {i}.<note xml:id="nb{i}">B {i}</note></p>' for i in range(150))
    doc = (MINI_DOC
           .replace("<sourceDesc><p>Born digital.</p></sourceDesc>",
                    "<sourceDesc><p>Born digital.</p></sourceDesc><notesStmt><note>header</note></notesStmt>")
           .replace("<body>", '<front><p>F.<note xml:id="nf">front</note></p></front><body>')
           .replace('<p xml:id="p1">', body + '<p xml:id="p1">')
           .replace("</body>", '</body><back><p>Z.<note xml:id="nz">back<note xml:id="nn">nested</note></note></p></back>'))
    (tmp_path / "tei").mkdir()
    (tmp_path / "tei" / "a.xml").write_text(doc, encoding="utf-8")
    (tmp_path / "tei" / "persons.xml").write_text(MINI_PERSONS, encoding="utf-8")
    ed = edition.load(tmp_path)
    model = behaviour(ed, ed.file("a.xml"))
    text_notes = [n.get("id") for n in model.iterfind(".//m:note", M) if n.get("id")]
    numbers = {n.get("id"): n.get("n") for n in model.iterfind(".//m:note", M) if n.get("id")}
    expected = ["nf"] + [f"nb{i}" for i in range(150)] + ["n1", "nz", "nn"]
    assert [x for x in text_notes if x in expected] == expected
    assert [numbers[x] for x in expected] == [str(i) for i in range(1, len(expected) + 1)]


def test_a_text_node_over_the_parser_limit_is_refused_with_a_message(tmp_path):
    path = tmp_path / "big.xml"
    path.write_text(MINI_DOC.replace('<p xml:id="p1">', '<p xml:id="big">' + "x" * 10_000_001 + '</p><p xml:id="p1">'),
                    encoding="utf-8")
    with pytest.raises(XmlError) as err:
        parse(path)
    assert "10,000,000 characters" in err.value.message and "break it into paragraphs" in err.value.message

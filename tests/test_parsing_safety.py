"""Hostile or broken input is a located error, never a traceback or a leak."""
from __future__ import annotations

import pytest

from conftest import MINI_DOC
from teipress.xmlparse import XmlError, parse


def write(tmp_path, data: bytes | str, name="doc.xml"):
    p = tmp_path / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


def test_empty_file(tmp_path):
    with pytest.raises(XmlError) as e:
        parse(write(tmp_path, b""))
    assert e.value.line == 1 and "empty" in e.value.message


def test_wrong_encoding(tmp_path):
    data = MINI_DOC.replace("Anna</persName>", "Ann\u00e4</persName>").encode("latin-1")
    with pytest.raises(XmlError) as e:
        parse(write(tmp_path, data))
    assert e.value.line == MINI_DOC[: MINI_DOC.index("Anna</persName>")].count("\n") + 1
    assert "not well-formed" in e.value.message


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&lol4;</p></body></text></TEI>
"""


def test_billion_laughs(tmp_path):
    with pytest.raises(XmlError) as e:
        parse(write(tmp_path, BILLION_LAUGHS))
    assert e.value.rule == "xml-doctype" and e.value.line == 2


def test_external_entity_is_not_read(tmp_path):
    secret = write(tmp_path, "TOP SECRET", name="secret.txt")
    doc = (f'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
           '<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>&xxe;</p></TEI>')
    with pytest.raises(XmlError) as e:
        parse(write(tmp_path, doc))
    assert "TOP SECRET" not in e.value.message
    assert e.value.rule == "xml-doctype"


def test_undeclared_entity(tmp_path):
    doc = '<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<p>&nbsp;</p></TEI>'
    with pytest.raises(XmlError) as e:
        parse(write(tmp_path, doc))
    assert e.value.line == 2 and "nbsp" in e.value.message


def test_absurd_nesting(tmp_path):
    depth = 5000
    doc = '<TEI xmlns="http://www.tei-c.org/ns/1.0">' + "<hi>" * depth + "x" + "</hi>" * depth + "</TEI>"
    with pytest.raises(XmlError) as e:
        parse(write(tmp_path, doc))
    assert "nested too deeply" in e.value.message


def test_huge_file_is_refused_before_parsing(tmp_path):
    p = write(tmp_path, MINI_DOC)
    with pytest.raises(XmlError) as e:
        parse(p, max_bytes=100)
    assert e.value.rule == "xml-size" and "over the limit" in e.value.message


def test_no_network(tmp_path, monkeypatch):
    doc = ('<?xml version="1.0"?>\n<!DOCTYPE TEI SYSTEM "http://127.0.0.1:9/tei.dtd">\n'
           '<TEI xmlns="http://www.tei-c.org/ns/1.0"/>')
    with pytest.raises(XmlError) as e:
        parse(write(tmp_path, doc))
    assert e.value.rule == "xml-doctype"


def test_parse_errors_surface_in_validate(make_edition):
    from teipress.commands.validate import validate_edition
    from teipress.edition import load
    from teipress.validation.diagnostics import Report

    root = make_edition(extra={"bad.xml": BILLION_LAUGHS})
    report = Report(base=root)
    validate_edition(load(root), report)
    [d] = [d for d in report.errors if d.path == "tei/bad.xml"]
    assert d.line == 2 and d.rule == "xml-doctype"

"""Validation: each broken document yields one precise, located diagnostic."""
from __future__ import annotations

import pytest

from conftest import MINI_DOC, MINI_PERSONS, line_of
from teipress.commands.validate import validate_edition
from teipress.edition import load
from teipress.validation.diagnostics import Report


def diagnostics(root):
    report = Report(base=root)
    validate_edition(load(root), report)
    return report


def test_mini_edition_is_clean(make_edition):
    report = diagnostics(make_edition())
    assert report.items == []


def test_every_kind_of_choice_tei_allows_is_valid(make_edition):
    """TEI's model.choicePart: equal readings (seg), am/ex, supplied, nested choices."""
    doc = MINI_DOC.replace("wrote from", "wrote <choice><seg>yesterday</seg><seg>today</seg></choice> "
                           "<choice><abbr>D<am>r</am></abbr><expan>D<ex>octo</ex>r</expan></choice> "
                           "<choice><sic>teh</sic><corr>the</corr><choice><orig>olde</orig><reg>old</reg></choice></choice> from")
    assert [str(d) for d in diagnostics(make_edition(doc=doc)).errors] == []


def only_error(report, rule):
    errors = [d for d in report.errors if d.rule == rule]
    assert errors, f"no [{rule}] error in {[str(d) for d in report.items]}"
    return errors[0]


def test_malformed(make_edition):
    doc = MINI_DOC.replace("</head>", "</hed>")
    d = only_error(diagnostics(make_edition(doc=doc)), "xml-wellformed")
    assert d.path == "tei/mini.xml"
    assert d.line == line_of(doc, "</hed>")
    assert "not well-formed" in d.message and "mismatch" in d.message


def test_wrong_namespace(make_edition):
    doc = MINI_DOC.replace('xmlns="http://www.tei-c.org/ns/1.0"', 'xmlns="http://www.tei-c.org/ns/2.0"')
    d = only_error(diagnostics(make_edition(doc=doc)), "tei-root")
    assert "namespace 'http://www.tei-c.org/ns/2.0'" in d.message
    assert d.line == line_of(doc, "<TEI")


def test_unknown_element(make_edition):
    doc = MINI_DOC.replace("wrote from", "wrote <blink>from</blink>")
    d = only_error(diagnostics(make_edition(doc=doc)), "schema")
    assert "<blink> is not allowed here inside <p>" in d.message
    assert d.line == line_of(doc, "<blink>")


def test_types_are_open_until_a_taxonomy_closes_them(make_edition):
    # TEI leaves div/@type open; an edition closes it with a taxonomy 'div-types',
    # declared in any of its files (here the register), and it holds for every file.
    doc = MINI_DOC.replace('type="letter"', 'type="chapterette"')
    assert diagnostics(make_edition(doc=doc)).errors == []
    taxonomy = ('<encodingDesc><classDecl><taxonomy xml:id="div-types"><category xml:id="letter">'
                '<catDesc>A letter</catDesc></category></taxonomy></classDecl></encodingDesc>\n  </teiHeader>')
    root = make_edition(doc=doc, persons=MINI_PERSONS.replace("</teiHeader>", taxonomy, 1))
    d = only_error(diagnostics(root), "type-declared")
    assert "chapterette" in d.message and "'div-types'" in d.message and "letter" in d.message
    assert d.path == "tei/mini.xml" and d.line == line_of(doc, 'type="chapterette"')


def test_dangling_pointer(make_edition):
    doc = MINI_DOC.replace("persons.xml#anna", "persons.xml#hanna")
    d = only_error(diagnostics(make_edition(doc=doc)), "pointer-resolves")
    assert "'persons.xml#hanna'" in d.message and "no element with xml:id 'hanna'" in d.message
    assert d.line == line_of(doc, "#hanna")


def test_pointer_to_missing_file(make_edition):
    doc = MINI_DOC.replace("persons.xml#anna", "people.xml#anna")
    d = only_error(diagnostics(make_edition(doc=doc)), "pointer-file")
    assert "no file 'people.xml'" in d.message


def test_pointer_outside_edition(make_edition):
    doc = MINI_DOC.replace("persons.xml#anna", "../../etc/passwd#x")
    d = only_error(diagnostics(make_edition(doc=doc)), "pointer-outside")
    assert "outside" in d.message


def test_pointer_wrong_kind(make_edition):
    doc = MINI_DOC.replace('<persName ref="persons.xml#anna">', '<persName ref="persons.xml#vienna">')
    d = only_error(diagnostics(make_edition(doc=doc)), "pointer-kind")
    assert "is a place, not a person" in d.message


def test_hostile_scheme(make_edition):
    doc = MINI_DOC.replace('resp="#ed" xml:id="n1"', 'resp="#ed" target="javascript:alert(1)" xml:id="n1"')
    d = only_error(diagnostics(make_edition(doc=doc)), "pointer-scheme")
    assert "javascript" in d.message


def test_duplicate_id_across_files_is_allowed(make_edition):
    # TEI asks ids to be unique per document; pointers between files name the file.
    doc = MINI_DOC.replace('xml:id="p1"', 'xml:id="anna"')
    assert diagnostics(make_edition(doc=doc)).errors == []


def test_duplicate_id_same_file(make_edition):
    doc = MINI_DOC.replace('xml:id="n1"', 'xml:id="p1"')
    d = only_error(diagnostics(make_edition(doc=doc)), "id-unique")
    assert d.path == "tei/mini.xml" and d.line == line_of(doc, 'resp="#ed" xml:id="p1"')


def test_impossible_date(make_edition):
    doc = MINI_DOC.replace('when="1961-03-05"', 'when="1961-02-30"')
    report = diagnostics(make_edition(doc=doc))
    d = only_error(report, "date-iso")
    assert "day 30 does not exist in 1961-02" in d.message
    assert d.line == line_of(doc, "1961-02-30")
    assert d.col == doc.splitlines()[d.line - 1].index('when="1961-02-30"') + 1


def test_not_iso_date(make_edition):
    doc = MINI_DOC.replace('when="1961-03-05"', 'when="5/3/1961"')
    d = only_error(diagnostics(make_edition(doc=doc)), "date-iso")
    assert "not an ISO 8601 date" in d.message


def test_not_before_after_not_after(make_edition):
    doc = MINI_DOC.replace('when="1961-03-05"', 'notBefore="1961-05-21" notAfter="1961-05-01"')
    d = only_error(diagnostics(make_edition(doc=doc)), "date-range")
    assert "@notBefore='1961-05-21' after @notAfter='1961-05-01'" in d.message


def test_month_precision_range_is_fine(make_edition):
    doc = MINI_DOC.replace('when="1961-03-05"', 'notBefore="1961-05-21" notAfter="1961-05"')
    assert diagnostics(make_edition(doc=doc)).errors == []


def test_note_without_type(make_edition):
    # an untyped note is ordinary TEI: a warning where the edition declares note types
    doc = MINI_DOC.replace('<note type="editorial" resp="#ed"', '<note resp="#ed"')
    report = diagnostics(make_edition(doc=doc))
    assert report.errors == []
    [d] = [w for w in report.warnings if w.rule == "note-type"]
    assert "no @type" in d.message and d.line == line_of(doc, "<note")


def test_note_undeclared_type(make_edition):
    doc = MINI_DOC.replace('<note type="editorial"', '<note type="translator"')
    d = only_error(diagnostics(make_edition(doc=doc)), "note-type")
    assert "not declared in the taxonomy 'note-types'" in d.message


def test_note_without_resp(make_edition):
    doc = MINI_DOC.replace('<note type="editorial" resp="#ed"', '<note type="editorial"')
    [d] = [w for w in diagnostics(make_edition(doc=doc)).warnings if w.rule == "note-resp"]
    assert "no @resp" in d.message


def test_unused_register_entry_is_warning(make_edition):
    doc = MINI_DOC.replace('<placeName ref="persons.xml#vienna">Vienna</placeName>', "Vienna")
    report = diagnostics(make_edition(doc=doc))
    assert report.errors == []
    [w] = report.warnings
    assert w.rule == "register-unused" and "'vienna'" in w.message and w.path == "tei/persons.xml"


def test_every_problem_reported_at_once(make_edition):
    doc = (MINI_DOC.replace('when="1961-03-05"', 'when="1961-13"')
           .replace("persons.xml#anna", "persons.xml#nobody")
           .replace('<note type="editorial" resp="#ed"', "<note"))
    report = diagnostics(make_edition(doc=doc))
    assert {"date-iso", "pointer-resolves"} <= {d.rule for d in report.errors}
    assert {"note-type", "note-resp"} <= {d.rule for d in report.warnings}


def test_format_is_compiler_style(make_edition):
    doc = MINI_DOC.replace("persons.xml#anna", "persons.xml#hanna")
    d = only_error(diagnostics(make_edition(doc=doc)), "pointer-resolves")
    assert str(d) == f"{d.path}:{d.line}:{d.col}: error: {d.message} [pointer-resolves]"


def test_parallel_schema_validation_reports_the_same(make_edition):
    # Enough files to use worker processes; each with its own schema error.
    extra = {f"copy{i}.xml": MINI_DOC.replace('xml:id="', f'xml:id="c{i}-').replace(
        'wrote from', 'wrote <bogus/>from').replace('"#ed"', f'"#c{i}-ed"') for i in range(10)}
    root = make_edition(extra=extra)
    ed = load(root)
    serial, parallel = Report(base=root), Report(base=root)
    validate_edition(ed, serial, jobs=1)
    validate_edition(ed, parallel, jobs=2)
    assert len([d for d in serial.errors if d.rule == "schema"]) == 10
    assert serial.sorted() == parallel.sorted()


def test_no_worker_processes_while_threads_run(make_edition, monkeypatch):
    # `teipress serve` rebuilds from its watcher thread: forking then could copy a held lock.
    import concurrent.futures
    import threading

    from teipress import workers as validate_mod

    class Forked(Exception):
        pass

    def no_pool(*args, **kwargs):
        raise Forked

    # (teipress.workers imports the pool when it first forks workers: patched where it is found)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    ed = load(make_edition(extra={f"copy{i}.xml": MINI_DOC.replace('xml:id="', f'xml:id="c{i}-').replace(
        '"#ed"', f'"#c{i}-ed"') for i in range(10)}))
    monkeypatch.setattr(validate_mod.threading, "active_count", lambda: 1)
    with pytest.raises(Forked):  # a single-threaded process uses the workers
        validate_edition(ed, Report(), jobs=2)
    monkeypatch.undo()
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        report = Report()
        validate_edition(ed, report, jobs=2)  # in-process: no Forked
        assert not report.errors
    finally:
        stop.set()
        other.join()


def test_unknown_element_message_names_what_is_allowed(make_edition):
    doc = MINI_DOC.replace("<head>Letter", "<sp><bogus/><p>Hello.</p></sp><head>Letter")
    d = only_error(diagnostics(make_edition(doc=doc)), "schema")
    assert d.message.startswith("<bogus> is not allowed here inside <sp>; expected ")
    assert "<p>" in d.message and "<lg>" in d.message and "<anchor>" in d.message
    assert d.message.index("<p>") < d.message.index("<anchor>")  # particular first, milestones last
    assert "Like>" not in d.message  # class heads are expanded to their members


def test_standoff_only_file_is_a_register():
    from lxml import etree

    from teipress.edition import classify

    tei = "http://www.tei-c.org/ns/1.0"
    standoff = etree.fromstring(f'<TEI xmlns="{tei}"><teiHeader/><standOff><listPerson/></standOff></TEI>')
    assert classify(standoff) == "register"
    with_text = etree.fromstring(f'<TEI xmlns="{tei}"><standOff><listPerson/></standOff><text><body><p/></body></text></TEI>')
    assert classify(with_text) == "document"

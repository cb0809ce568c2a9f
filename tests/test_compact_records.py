"""What the main process holds per document for the whole build is kept compact: a file's facts
are packed by the worker that reads them, and stay so (teipress.validation.facts.FileFacts.pack),
the header facts and metadata fields the letters repeat are held once (header.shared,
html.shared_fields); every value reads the same as before."""
from __future__ import annotations

import copy
import pickle

from teipress import edition as edition_mod
from teipress.model import header
from teipress.outputs import html
from teipress.validation import facts as facts_mod

from test_incremental import EPOCH, build, edition, same_tree


def _fields(facts) -> dict:
    import dataclasses

    return {f.name: getattr(facts, f.name) for f in dataclasses.fields(facts)}


def test_packed_facts_read_as_before_and_pickle_packed(tmp_path):
    root = edition(tmp_path / "ed", letters=3)
    ed = edition_mod.load(root)
    for f in ed.files:
        assert facts_mod.of(f).packed  # (as loading gave them)
        facts = facts_mod.read(f)
        before = copy.deepcopy(facts)
        assert not facts.packed and facts.ids and facts.local  # (something to pack)
        facts.pack()
        assert facts.packed and all(name not in facts.__dict__ for name in facts_mod.PACKED)
        assert _fields(facts) == _fields(before) and facts == before
        facts.pack()  # (twice: the same)
        assert facts == before
        assert facts_mod.of(f) == before  # loading's, packed in the worker, read the same
        again = pickle.loads(pickle.dumps(facts))  # the cache keeps them packed
        assert again.packed and again == before and _fields(again) == _fields(before)
        try:
            facts.nothing
        except AttributeError:
            pass
        else:
            raise AssertionError("a name that is no field reads as a field")


def test_shared_entries_read_the_same_and_pickle_alike(tmp_path):
    """FileFacts.share holds an entry's strings once; its entries read and pickle (for the
    register identities' key, recall.entries_blob) as before."""
    from teipress.validation import recall

    root = edition(tmp_path / "ed", letters=3)
    ed = edition_mod.load(root)
    registers = [f for f in ed.files if facts_mod.of(f).entries]
    assert registers
    for f in registers:
        facts = facts_mod.of(f)
        before = copy.deepcopy(facts.entries)
        blob = recall._entries_dumps(facts.entries)
        facts.share()
        assert facts.entries == before and recall._entries_dumps(facts.entries) == blob
        again = pickle.loads(pickle.dumps(facts))
        assert "_shared" not in again.__dict__ and again.entries == before


def test_a_build_packs_every_file_facts(tmp_path, monkeypatch):
    """Every file's facts are packed in the build (by the worker that read them, or once
    validated), and the build makes the same output and diagnostics as one whose facts stay
    whole."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed", letters=5)
    packed = build(root, tmp_path / "packed", incremental=False)
    assert all(f._facts.packed for f in packed.edition.files)
    monkeypatch.setattr(facts_mod.FileFacts, "pack", lambda self: None)
    whole = build(root, tmp_path / "whole", incremental=False)
    assert not any(f._facts.packed for f in whole.edition.files)
    assert same_tree(tmp_path / "packed", tmp_path / "whole") == []
    assert [str(d) for d in packed.report.items] == [str(d) for d in whole.report.items]


def test_equal_header_facts_are_held_once():
    seen: dict = {}
    licence = (("https://creativecommons.org/licenses/by/4.0/", "CC BY 4.0"),)
    a = header.DocumentInfo(id="a", licences=licence, keywords=("x",))
    b = header.DocumentInfo(id="b", licences=tuple(list(licence)), keywords=("y",))
    assert b.licences is not a.licences
    a2, b2 = header.shared(a, seen), header.shared(b, seen)
    assert a2 == a and b2 == b  # the same values
    assert b2.licences is a2.licences and b2.keywords is not a2.keywords
    assert header.shared(header.DocumentInfo(id="c"), seen) == header.DocumentInfo(id="c")


def test_equal_metadata_fields_are_held_once():
    seen: dict = {}
    one = [html.Field("licence", html.Attrs(target="cc"), html.Markup("<p>CC</p>")),
           html.Field("changes", html.Attrs(), html.Markup("<li>a</li>"))]
    two = [html.Field("licence", html.Attrs(target="cc"), html.Markup("<p>CC</p>")),
           html.Field("changes", html.Attrs(), html.Markup("<li>b</li>")),
           html.Field("licence", html.Attrs(target="other"), html.Markup("<p>CC</p>"))]
    first, second = html.shared_fields(one, seen), html.shared_fields(two, seen)
    assert first == one and second == two  # the same values, in the same order
    assert second[0] is first[0] and second[1] is not first[1] and second[2] is not first[0]


def test_occurrences_hold_their_labels_once(tmp_path):
    from teipress.model import EditionModel

    root = edition(tmp_path / "ed", letters=4)
    model = EditionModel.build(edition_mod.load(root))
    occurrences = [o for d in model.pages for o in (*d.occurrences, *d.dates)]
    assert len({o.doc.id for o in occurrences}) > 1
    for name in ("section", "where", "dated", "page", "id"):
        first: dict = {}
        for o in occurrences:
            value = getattr(o, name)
            assert first.setdefault(value, value) is value, name  # equal labels: one string


def test_held_once_gives_the_first_equal_value_and_leaves_what_does_not_hash():
    from teipress.held_once import interned, once

    seen: dict = {}
    a, b = ("x", "y"), tuple(["x", "y"])
    assert once(a, seen) is a and once(b, seen) is a  # equal: the first one
    assert once(("z",), seen) == ("z",)
    unhashable = (["list"],)
    assert once(unhashable, seen) is unhashable  # (does not hash: as it is)
    assert once("other", seen, key=("x", "y")) is a  # by its key
    s = "".join(["le", "tter"])
    assert interned(s) is interned("letter") and interned(3) == 3


def test_register_records_unpickle_to_equal_records_with_the_same_pickled_form():
    # (registers._quick_setstate: their own __setstate__, the pickled form dataclasses' own)
    import pickle

    from teipress.model import registers as r

    about = r.About(originals=(("Ἀθῆναι", "grc", "Greek"),), identifiers=(r.Identifier("gnd", "1", "http://d-nb.info/gnd/1"),),
                    sources=(r.Source("a book", "https://example.org"),), description="d", sort_name="s")
    member = r.Member("anna", "person", r.FileRef("persons.xml", "register", 0, "ab"), None)
    for record in (about, member, about.identifiers[0], about.sources[0], member.file):
        data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        again = pickle.loads(data)
        assert again == record and type(again) is type(record)
        assert pickle.dumps(again, protocol=pickle.HIGHEST_PROTOCOL) == data

def test_packed_diagnostics_read_as_before():
    """Report.pack holds the diagnostics as bytes; reading them again gives the same ones, in
    the same order, and what is added after reading is kept."""
    from teipress.validation.diagnostics import Report

    report = Report()
    report.warning("b.xml", 3, 1, "a bare name", "pointer-bare")
    report.error("a.xml", 1, 2, "no such id", "pointer")
    report.warning("b.xml", 3, 1, "a bare name", "pointer-bare")
    before, rows = list(report.items), report.rows()
    report.pack()
    assert report._packed is not None and report._items == []
    assert report.rows() == rows == [(d.path, d.line, d.col, d.severity, d.message, d.rule) for d in before]
    assert report.items == before and report.errors == before[1:2]
    report.pack()
    report.items.append(before[0])
    assert report.items == before + before[:1]


def test_diagnostics_packed_in_parts_read_back_whole_and_in_order(monkeypatch):
    """Report.pack packs PACKED_AT_ONCE diagnostics at a time (never the rows of all of them at
    once): read again, every one comes back, in order, across the parts."""
    from teipress.validation import diagnostics
    from teipress.validation.diagnostics import Report

    monkeypatch.setattr(diagnostics, "PACKED_AT_ONCE", 4)
    report = Report()
    for n in range(11):
        report.warning(f"f{n % 3}.xml", n, 1, f"message {n}", "pointer-bare")
    before, rows = list(report.items), report.rows()
    report.pack()
    assert len(report._packed) == 3 and report._items == []
    assert report.rows() == rows and len(rows) == 11
    assert report.items == before

def test_a_build_keeps_its_diagnostics_packed_and_records_them(tmp_path, monkeypatch):
    """A build packs its diagnostics once shown; the no-op build after an incremental one shows
    the same ones, read from the cache's record of the build."""
    from teipress.validation.diagnostics import Report

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed", letters=5)
    first = root / "tei" / "letter-1.xml"
    first.write_text(first.read_text().replace("A note on letter 1.", 'A note <ref target="nowhere">here</ref>.'))
    packed = []
    real = Report.pack

    def pack(self):
        real(self)
        packed.append(self._packed is not None)

    monkeypatch.setattr(Report, "pack", pack)
    made = build(root, tmp_path / "out", incremental=True)
    assert packed == [True] and any(d.rule == "pointer-bare" for d in made.report.items)
    again = build(root, tmp_path / "out", incremental=True)
    assert again.up_to_date and again.report.items == made.report.items


def test_a_document_page_reads_its_own_division_dates_without_a_dict_of_every_document(tmp_path, monkeypatch):
    """tpf:division-date finds the document whose pages are being made (html.fill) without the
    dict of every document (which a forked worker would make by touching, and so copying, the
    pages of its parent's memory that hold each of them); the pages read as with that dict."""
    import sys

    from conftest import REPO

    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import benchmark_scale
    finally:
        sys.path.remove(str(REPO / "scripts"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = benchmark_scale.generate(6, tmp_path / "letters")  # (its letters' divisions have no head)
    asked = []
    real = html._documents_by_id
    real_fn = html._division_date_fn

    def division_date(context, doc, div):
        asked.append(doc)
        return real_fn(context, doc, div)

    monkeypatch.setattr(html, "_division_date_fn", division_date)
    monkeypatch.setattr(html, "_documents_by_id", lambda em: (_ for _ in ()).throw(AssertionError("every document")))
    build(root, tmp_path / "own", incremental=False)
    assert asked

    def through_the_dict(context, doc, div):
        kept = html._local.__dict__.pop("filling", None)
        try:
            return real_fn(context, doc, div)
        finally:
            html._local.filling = kept

    monkeypatch.setattr(html, "_documents_by_id", real)
    monkeypatch.setattr(html, "_division_date_fn", through_the_dict)
    build(root, tmp_path / "all", incremental=False)
    assert same_tree(tmp_path / "own", tmp_path / "all") == []


def test_a_value_by_record_is_worked_out_once_a_record_until_forgotten():
    from teipress import held_once

    calls = []

    @held_once.ByRecord
    def shown(record):
        calls.append(record)
        return repr(record)

    a, b = ["anna"], ["anna"]  # equal records, not the same record
    assert shown(a) == shown(a) == shown(b) == "['anna']"
    assert len(calls) == 2 and calls[0] is a and calls[1] is b
    held_once.forget_records()
    shown(a)
    assert len(calls) == 3


def test_index_reads_a_file_ids_when_named_and_answers_alike(tmp_path, monkeypatch):
    """rules.Index keeps a few files' ids (IDS_KEPT), read off their packed facts when a pointer
    names the file: it answers as one set of every (file, id) did, however few it keeps, and
    validation says the same."""
    from teipress.validation import rules
    from teipress.validation.diagnostics import Report
    from teipress.commands.validate import validate_edition

    root = edition(tmp_path / "ed", letters=4)
    ed = edition_mod.load(root)
    every = {(f.rel, xid) for f in ed.files for xid in facts_mod.of(f).ids}
    asked = sorted(every) + [(f.rel, "no-such-id") for f in ed.files] + [("nowhere.xml", "anna")]
    reports = []
    for kept in (1, 2, 1000):
        monkeypatch.setattr(rules, "IDS_KEPT", kept)
        index = rules.Index(ed)
        assert [index.has(rel, xid) for rel, xid in asked] == [k in every for k in asked]
        assert len(index._ids) <= kept
        report = Report(base=tmp_path)
        validate_edition(edition_mod.load(root), report, jobs=1)
        reports.append([str(d) for d in report.items])
    assert reports[0] == reports[1] == reports[2]


def test_mentions_and_letters_held_pickled_read_the_same():
    from teipress.model import edition_model

    held = edition_model._Unpickled((k, edition_model._dumps(v)) for k, v in [("a", [1, ("x", None)]), ("b", None)])
    assert "a" in held and "c" not in held and len(held) == 2
    assert held["a"] == [1, ("x", None)] and held["b"] is None
    assert held.get("a") == [1, ("x", None)] and held.get("c") is None  # (get() reads them too)
    assert dict(held.items()) == {"a": [1, ("x", None)], "b": None}
    assert held["a"] is not held["a"]  # (made again at each read: nothing kept)


def test_the_record_of_a_build_keeps_its_diagnostics_packed_in_parts(tmp_path, monkeypatch):
    """Cache.record_build keeps the report's packed parts as they are (Report.packed: no rows
    of them all made at once), and the next build reads back the rows, in order; a record of
    another shape is no report, not a failure."""
    from teipress.commands import cache as cache_mod
    from teipress.validation import diagnostics

    monkeypatch.setattr(diagnostics, "PACKED_AT_ONCE", 1000)
    report = diagnostics.Report()
    rows = [(f"f{n % 7}.xml", n, 1, "warning", f"message {n}", "pointer-bare") for n in range(2500)]
    report.items.extend(diagnostics.Diagnostic._make(r) for r in rows)
    packed = report.packed()
    assert len(packed) == 3 and all(isinstance(part, bytes) for part in packed)
    cache_mod.Cache.record_build(tmp_path / "c", {"fingerprint": "f"}, packed)
    stamp, back = pickle.loads((tmp_path / "c" / cache_mod.REPORT).read_bytes())
    assert back == packed
    store = cache_mod.Cache(tmp_path / "c")
    assert [d.row for d in store.last_report(store.last_build())] == rows
    (tmp_path / "c" / cache_mod.REPORT).write_bytes(pickle.dumps((stamp, b"not parts")))
    assert store.last_report(store.last_build()) is None

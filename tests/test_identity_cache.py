"""An incremental build keeps the edition's register identities (teipress.model.identity_cache)
and reads every unchanged file's register entries from the validation memo, not from its facts
(teipress.validation.recall.entries_of): a letter whose text changed merges nothing again, and
any change to an entry, a file's kind or the set of files gives the identities of a clean build."""
from __future__ import annotations

import pytest

from test_registers_records import edition, same_tree
from teipress import edition as edition_mod
from teipress.commands import build as build_mod
from teipress.commands import cache as cache_mod
from teipress.model import identity_cache, registers
from teipress.validation import recall

NO_PDF = {"sources", "html", "search", "cmif"}
EPOCH = "1767225600"


def build(root, out, incremental=True, **kw):
    return build_mod.build(root, out, only=NO_PDF, incremental=incremental, keep_going=True, **kw)


def counted(monkeypatch) -> list:
    """The calls of registers.merged (the identities worked out afresh) from now on."""
    calls = []
    real = registers.merged
    monkeypatch.setattr(registers, "merged", lambda ed: (calls.append(1), real(ed))[1])
    return calls


def change(root, kind: str) -> None:
    tei = root / "tei"

    def sub(name, old, new):
        f = tei / name
        text = f.read_text(encoding="utf-8")
        assert old in text, (name, old)
        f.write_text(text.replace(old, new, 1), encoding="utf-8")

    if kind == "text":
        sub("a.xml", " and ", " and then ")
    elif kind == "surname":  # a register entry's name: the merged entry's name on every page
        sub("people.xml", "Richard Hofer", "Richard Hofer-Beer")
    elif kind == "letter surname":  # a name in a letter's own description: no longer the same person
        sub("b.xml", "<surname>Waissnix</surname>", "<surname>Waissnig</surname>")
    elif kind == "name added":  # a letter now describes the register's person by its GND number
        sub("b.xml", "</listPerson>", '<person xml:id="rh"><persName>R. Hofer</persName>'
            '<idno type="gnd">118508393</idno></person></listPerson>')
    elif kind == "key removed":  # the register's entry no longer shares the letters' GND number
        sub("people.xml", '<idno type="gnd">118508393</idno>', "")
    elif kind == "deleted":
        (tei / "b.xml").unlink()
    elif kind == "added":
        text = (tei / "b.xml").read_text(encoding="utf-8")
        (tei / "d.xml").write_text(text.replace('xml:id="b"', 'xml:id="d"').replace("1888-02-03", "1890-05-06"),
                                   encoding="utf-8")
    elif kind == "invalid":  # a pointer to no entry: the letter, and its entries, left out (keep_going)
        sub("b.xml", 'ref="#pmb2"', 'ref="#nobody"')
    else:
        raise AssertionError(kind)


def test_an_edited_sentence_merges_no_identity_again(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed")
    build(root, tmp_path / "out")
    calls = counted(monkeypatch)
    change(root, "text")
    build(root, tmp_path / "out")
    assert calls == []  # taken from the cache
    build(root, tmp_path / "clean", incremental=False)
    assert calls == [1]
    assert same_tree(tmp_path / "out", tmp_path / "clean") == []


@pytest.mark.parametrize("kind", ["surname", "letter surname", "name added", "key removed",
                                  "deleted", "added", "invalid"])
def test_a_changed_entry_or_file_set_gives_a_clean_build_s_identities(tmp_path, monkeypatch, kind):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed")
    build(root, tmp_path / "out")
    calls = counted(monkeypatch)
    change(root, kind)
    result = build(root, tmp_path / "out")
    assert calls == [1]  # worked out again
    assert bool(result.left_out) == (kind == "invalid")
    build(root, tmp_path / "clean", incremental=False)
    assert same_tree(tmp_path / "out", tmp_path / "clean") == []
    build(root, tmp_path / "out")  # (up to date)
    assert same_tree(tmp_path / "out", tmp_path / "clean") == []


@pytest.mark.parametrize("kind", ["letter surname", "key removed"])
def test_a_key_blind_to_the_entries_would_show_stale_identities(tmp_path, monkeypatch, kind):
    """The tests above can fail: with the entries left out of the key, the old identities are
    reused after an entry's change (one that leaves the set of entries as it was: a kept
    record naming other entries is a miss), and the pages differ from a clean build's."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed")
    monkeypatch.setattr(recall, "entries_blob", lambda f: b"the same")
    build(root, tmp_path / "out")
    change(root, kind)
    build(root, tmp_path / "out")
    build(root, tmp_path / "clean", incremental=False)
    assert same_tree(tmp_path / "out", tmp_path / "clean") != []


def loaded(root, out):
    """The edition as an incremental build into *out* loads it (its memo read, its validation done)."""
    cache = cache_mod.Cache(cache_mod.cache_folder(root, out))
    return build_mod.load_and_validate(root, cache=cache).edition


def test_the_entries_of_unchanged_files_come_from_the_memo_not_their_facts(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed")
    build(root, tmp_path / "out")
    change(root, "text")
    ed = loaded(root, tmp_path / "out")
    entries = ed.entries
    assert {f.rel for f in ed.files if f._facts is not None} == {"a.xml"}  # only the changed letter's
    fresh = edition_mod.load(root)
    assert {k: (e.id, e.kind, e.file.rel, e._ordinal, e._facts) for k, e in entries.items()} == \
           {k: (e.id, e.kind, e.file.rel, e._ordinal, e._facts) for k, e in fresh.entries.items()}
    groups = {k: [(m.file.rel, m.id) for m in v] for k, v in registers.identities(ed).items()}
    assert groups == {k: [(m.file.rel, m.id) for m in v] for k, v in registers.identities(fresh).items()}
    assert list(groups) == [k for k in registers.merged(fresh)]  # (in the same order)


def test_a_damaged_or_foreign_record_is_a_miss(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed")
    build(root, tmp_path / "out")
    ed = loaded(root, tmp_path / "out")
    kept = identity_cache._groups(registers.merged(ed))
    assert identity_cache._rebuilt(ed, kept) is not None
    for bad in (None, "groups", (), kept[1:], kept + kept[:1], ((("people.xml", "nobody"),),) + kept,
                tuple(g[:-1] for g in kept), ((),) + kept, ([("a.xml", "pmb2")],) + kept[1:]):
        assert identity_cache._rebuilt(ed, bad) is None, bad
    # an entry's memo record that does not unpickle: the file's facts are read instead
    rec = next(f for f in ed.files if f.rel == "b.xml")
    rec.recalled = rec.recalled._replace(entries=b"not a pickle")
    ed.entries = None
    assert recall.entries_of(rec) == rec.facts.entries and rec._facts is not None
    # a damaged identities entry in the cache: worked out again, the same groups
    calls = counted(monkeypatch)
    monkeypatch.setattr(cache_mod.Cache, "get_object", lambda self, kind, key: (
        (("people.xml", "hofer"),) if kind == identity_cache.KIND else None))
    ed2 = loaded(root, tmp_path / "out")
    calls.clear()
    assert identity_cache._groups(registers.identities(ed2)) == kept
    assert calls == [1]


def test_the_search_for_parallel_texts_reads_the_memo_as_it_would_the_facts(tmp_path, monkeypatch):
    """Each file's pointers into other files and div types (teipress.model.parallel) from the
    validation memo are those its facts give, and no unchanged file's facts are read for them."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed")
    (root / "tei" / "t.xml").write_text((root / "tei" / "c.xml").read_text(encoding="utf-8").replace(
        'xml:id="c"', 'xml:id="t"').replace('<div type="letter">', '<div type="translation" corresp="c.xml#c">'),
        encoding="utf-8")
    build(root, tmp_path / "out")
    change(root, "text")
    ed = loaded(root, tmp_path / "out")
    got = {f.rel: (recall.pointers_out(f), recall.div_types(f)) for f in ed.files}
    assert {f.rel for f in ed.files if f._facts is not None} == {"a.xml"}
    fresh = edition_mod.load(root)
    assert got == {f.rel: (recall.pointers_out(f), recall.div_types(f)) for f in fresh.files}
    assert got["t.xml"] == ((("corresp", "c.xml#c", "div"), ("ref", "people.xml#hofer", "persName")),
                            (("translation",),))
    assert got["a.xml"] == ((), (("letter",),))
    # a record that does not unpickle: the file's facts are read instead
    t = next(f for f in ed.files if f.rel == "t.xml")
    t.recalled = t.recalled._replace(outside=b"damaged", div_types=b"")
    assert (recall.pointers_out(t), recall.div_types(t)) == got["t.xml"] and t._facts is not None


def test_an_about_described_in_several_files_is_read_from_the_memo_once(tmp_path, monkeypatch):
    """Each entry's About is pickled apart in the memo's record: equal ones of different files
    come back as one record, equal to what the files' facts say."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed")
    build(root, tmp_path / "out")
    ed = loaded(root, tmp_path / "out")
    fresh = edition_mod.load(root)
    assert {k: e._facts for k, e in ed.entries.items()} == {k: e._facts for k, e in fresh.entries.items()}
    abouts = [e._facts.about for e in ed.entries.values()  # (of the files read from the memo)
              if e._facts.about is not None and e.file._facts is None]
    equal = [(a, b) for i, a in enumerate(abouts) for b in abouts[i + 1:] if a == b]
    assert equal, "the edition describes an entry alike in two files"
    assert all(a is b for a, b in equal)
    # a record whose About does not unpickle: the file's facts are read instead
    f = next(f for f in ed.files if f._facts is None and f.recalled is not None
             and recall.entries_of(f))
    blob = f.recalled.entries
    import pickle
    rows = pickle.loads(blob)
    rows[0].about = b"not a pickle"
    f.recalled = f.recalled._replace(entries=recall._fast_dumps(rows))
    assert recall.entries_of(f) == f.facts.entries and f._facts is not None

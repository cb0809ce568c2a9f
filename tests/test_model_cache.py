"""Behaviour models found in an incremental build's cache without being made or read
(teipress.model.model_cache, edition_model.Cached): a document whose inputs are unchanged is
not parsed, not sent to a worker and its model's bytes are read only when a page reads them;
a changed input (its own bytes, a register entry it names, a person of another file's back
sharing an identity) is made again, and a damaged cache gives the right model all the same."""
from __future__ import annotations

import importlib
import os

from teipress import edition as edition_mod, workers
from teipress.commands import cache as cache_mod
from teipress.model import EditionModel, edition_model, model_cache

from test_incremental import EPOCH, build, same_tree
from test_model_records import letters_edition, summary

behaviour = importlib.import_module("teipress.model.behaviour")  # the package's name is a function


def warm(tmp_path, monkeypatch, n: int = 7):
    """A letters edition whose models the cache holds: (its folder, the cache)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    root = letters_edition(tmp_path / "ed", n)
    store = cache_mod.Cache(tmp_path / "cache")
    EditionModel.build(edition_mod.load(root), cache=store)
    return root, store


def counting(monkeypatch) -> dict:
    """Counts of the models made, the documents given to workers and the Cached models read."""
    seen = {"made": [], "workers": [], "read": [], "remade": []}
    real_remake = edition_model._model_or_error
    monkeypatch.setattr(edition_model, "_model_or_error",
                        lambda ed, f, names, cache, *a, **k: (cache is None and seen["remade"].append(f.key))
                        or real_remake(ed, f, names, cache, *a, **k))
    real_made, real_map, real_data = edition_model._made, workers.forked_map, edition_model.Cached.data
    monkeypatch.setattr(edition_model, "_made", lambda ed, f, *a, **k: seen["made"].append(f.key) or real_made(ed, f, *a, **k))
    monkeypatch.setattr(workers, "forked_map",
                        lambda fn, items, *a, **k: seen["workers"].extend(items) or real_map(fn, items, *a, **k))
    monkeypatch.setattr(edition_model.Cached, "data",
                        property(lambda self: seen["read"].append(self) or real_data.fget(self)))
    return seen


def cached(em) -> list[str]:
    return sorted(d.id for d in em.documents if isinstance(d.__dict__["_model"], edition_model.Cached))


def test_a_warm_cache_makes_no_model_and_reads_only_the_models_rendered(tmp_path, monkeypatch):
    root, store = warm(tmp_path, monkeypatch)
    ed = edition_mod.load(root)
    seen = counting(monkeypatch)
    em = EditionModel.build(ed, cache=store)
    split = next(d for d in em.documents if d.parts)
    # the split letter's model is read to cut it into pages; no other is made, sent or read
    assert seen["made"] == [] and seen["workers"] == []
    assert [r for r in seen["read"]] == [split.__dict__["_model"]]
    assert len(cached(em)) == len(em.documents)
    one = next(d for d in em.documents if not d.parts)
    assert one.model.getroot().get("id")
    assert seen["read"][1:] == [one.__dict__["_model"]]
    assert seen["remade"] == []  # (read from the cache's pack, not made again)
    assert summary(em) == summary(EditionModel.build(edition_mod.load(root)))


def test_what_a_document_names_misses_the_lookup_when_it_changes(tmp_path, monkeypatch):
    root, store = warm(tmp_path, monkeypatch)
    tei = root / "tei"
    # a word of one letter; the name of a register person only the letters of Bert name
    f = tei / "letter-5.xml"
    f.write_text(f.read_text(encoding="utf-8").replace("wrote from", "wrote again from"), encoding="utf-8")
    p = tei / "persons.xml"
    p.write_text(p.read_text(encoding="utf-8").replace("Bert Example", "Bert Beispiel"), encoding="utf-8")
    ed = edition_mod.load(root)
    seen = counting(monkeypatch)
    em = EditionModel.build(ed, cache=store)
    naming_bert = sorted(d.id for d in em.documents if "persons.xml#bert" in d.file.path.read_text(encoding="utf-8"))
    split = [d.id for d in em.documents if d.parts]
    assert naming_bert and "letter-5" not in naming_bert
    assert sorted(paths_of(seen["made"], em)) == sorted({"letter-5", *naming_bert} - set())
    assert set(cached(em)) == {d.id for d in em.documents} - {"letter-5", *naming_bert}
    assert split  # (a split letter's model found in the cache is cut into pages all the same)
    assert summary(em) == summary(EditionModel.build(edition_mod.load(root)))


def paths_of(keys: list[str], em) -> list[str]:
    return [d.id for d in em.documents if d.file.key in keys]


def test_a_person_added_to_a_letters_back_reaches_every_letter_naming_her(tmp_path, monkeypatch):
    # The same person (one authority key) described in a register and in a letter's back is one
    # identity: the fuller description leads, so every letter naming her shows it.
    root, store = warm(tmp_path, monkeypatch)
    tei = root / "tei"
    p = tei / "persons.xml"
    p.write_text(p.read_text(encoding="utf-8").replace(
        '<persName type="main">Bert Example</persName>',
        '<persName type="main">Bert Example</persName><idno type="GND">118609807</idno>'), encoding="utf-8")
    EditionModel.build(edition_mod.load(root), cache=store)
    f = tei / "letter-6.xml"
    f.write_text(f.read_text(encoding="utf-8").replace("</text>", """<back><listPerson><person xml:id="b2">
        <persName type="main">Bert Example</persName><idno type="GND">118609807</idno>
        <birth when="1890"/><death when="1950"/><note type="description">A painter.</note>
      </person></listPerson></back></text>"""), encoding="utf-8")
    ed = edition_mod.load(root)
    em = EditionModel.build(ed, cache=store)
    assert summary(em) == summary(EditionModel.build(edition_mod.load(root)))
    fresh = {d.id: d.model for d in EditionModel.build(edition_mod.load(root)).documents}
    from lxml import etree
    for d in em.documents:  # every model, taken from the cache or not, is the one made afresh
        assert etree.tostring(d.model) == etree.tostring(fresh[d.id]), d.id


def test_a_damaged_or_torn_model_in_the_cache_is_made_again(tmp_path, monkeypatch):
    root, store = warm(tmp_path, monkeypatch)
    fresh = {d.id: behaviour.etree.tostring(d.model) for d in EditionModel.build(edition_mod.load(root)).documents}
    em = EditionModel.build(edition_mod.load(root), cache=cache_mod.Cache(tmp_path / "cache"))
    docs = [d for d in em.documents if isinstance(d.__dict__["_model"], edition_model.Cached) and not d.parts]
    assert len(docs) >= 3
    damaged, torn = docs[0].__dict__["_model"], docs[1].__dict__["_model"]
    # one byte of one model changed in its pack; the pack cut short in the middle of another
    fd = os.open(pack_of(tmp_path / "cache", damaged), os.O_RDWR)
    byte = os.pread(fd, 1, damaged.offset + 5)
    os.pwrite(fd, bytes([byte[0] ^ 0x20]), damaged.offset + 5)
    os.close(fd)
    edition_model.stored_tree.cache_clear()
    assert behaviour.etree.tostring(docs[0].model) == fresh[docs[0].id]
    os.truncate(pack_of(tmp_path / "cache", torn), torn.offset + torn.size // 2)
    assert behaviour.etree.tostring(docs[1].model) == fresh[docs[1].id]
    for d in em.documents:
        assert behaviour.etree.tostring(d.model) == fresh[d.id], d.id


def pack_of(folder, stored) -> str:
    """The pack file a Cached model is read from."""
    for pack in folder.glob("*.pack"):
        if os.path.samestat(os.stat(pack), os.fstat(stored.fd)):
            return str(pack)
    raise AssertionError("no pack holds the model")


def test_builds_with_a_warm_cache_on_two_cores_give_the_bytes_of_a_clean_build(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("TEIPRESS_JOBS", "2")
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)  # an earlier test's idle thread
    root = letters_edition(tmp_path / "ed", edition_model.PARALLEL_FROM + 3)
    out = tmp_path / "out"
    build(root, out)
    tei = root / "tei"
    f = tei / "letter-7.xml"
    f.write_text(f.read_text(encoding="utf-8").replace('when="1900-02-', 'when="1899-02-'), encoding="utf-8")
    (tei / "letter-3.xml").unlink()
    build(root, out)  # the HTML stage's forked workers read the models left in the cache's packs
    build(root, tmp_path / "clean", incremental=False)
    assert same_tree(out, tmp_path / "clean") == []


def test_the_lookup_key_reads_no_tree(tmp_path, monkeypatch):
    root, store = warm(tmp_path, monkeypatch, 4)
    ed = edition_mod.load(root, cache=store)
    names = behaviour.Names.of(ed)
    lookup = model_cache.Lookup(ed, names)
    parsed = []
    real = edition_mod.Trees.parsed
    monkeypatch.setattr(edition_mod.Trees, "parsed", lambda self, f: parsed.append(f.rel) or real(self, f))
    for f in ed.documents:
        asked = store.get_object(model_cache.POINTERS, model_cache.pointers_key(f, model_cache.file_digest(f)))
        assert asked is not None and lookup.key(f, model_cache.file_digest(f), asked)
    assert [rel for rel in parsed if rel != "persons.xml"] == []


def test_the_lookups_reading_of_pointers_is_the_editions():
    # model_cache reads '#id' the quick way and keeps the answer for a folder's other files
    from teipress.edition import pointer_target

    lookup = model_cache.Lookup.__new__(model_cache.Lookup)
    lookup.targets = {}
    pointers = ["#a", "#a#b", "#a:b", "#", "a.xml#x", "../a.xml#x", "sub/a.xml", "#a%20b", "?q", "#a?b",
                "x#", "./#x", "..", ".", "http://x/y", "#ä", "a.xml", "#a\\b", "people.xml#E1", "../../x.xml"]
    for source in ["l.xml", "d/l.xml", "d/e/l.xml", "m.xml", "d/m.xml"]:
        for p in pointers * 2:  # (the second time from what was kept)
            try:
                want = pointer_target(source, p)
            except ValueError:
                want = None
            assert lookup._target(source, p) == want, (source, p)


def test_a_teicorpus_and_pointers_into_other_files_rebuild_to_a_clean_build(tmp_path, monkeypatch):
    # own.xml points into corpus.xml (a teiCorpus whose TEIs are documents): an edit of the
    # corpus changes what own.xml's registry says of that target, so own.xml's model is made
    # again, as are the corpus's own; the letters are found in the cache.
    from test_lazy_trees import _build, big_edition

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    root = big_edition(tmp_path / "ed", letters=3)
    out = tmp_path / "out"
    _build(root, out, incremental=True)
    corpus = root / "tei" / "corpus.xml"
    text = corpus.read_text(encoding="utf-8")
    assert 'xml:id="first"' in text
    corpus.write_text(text.replace('xml:id="first"', 'xml:id="first" n="1"', 1), encoding="utf-8")
    made = []
    real = edition_model._made
    monkeypatch.setattr(edition_model, "_made", lambda ed, f, *a: made.append(f.key) or real(ed, f, *a))
    _build(root, out, incremental=True)
    assert "own.xml" in made and any(k.startswith("corpus.xml#") for k in made)
    assert not any(k.startswith("letter-") for k in made)
    _build(root, tmp_path / "clean")
    assert same_tree(out, tmp_path / "clean") == []


# -- the snapshot: one record of every document's lookups (model_cache.keep_snapshot) ----------
def reads_by_kind(monkeypatch) -> dict:
    """How many entries of each kind the cache reads (Cache.get)."""
    counts: dict[str, int] = {}
    real = cache_mod.Cache.get
    monkeypatch.setattr(cache_mod.Cache, "get",
                        lambda self, kind, key: counts.__setitem__(kind, counts.get(kind, 0) + 1) or real(self, kind, key))
    return counts


def models_of(em) -> dict[str, bytes]:
    return {d.id: behaviour.etree.tostring(d.model) for d in em.documents}


def test_a_warm_build_reads_one_snapshot_not_each_documents_lookups(tmp_path, monkeypatch):
    root, store = warm(tmp_path, monkeypatch)
    f = root / "tei" / "letter-5.xml"
    f.write_text(f.read_text(encoding="utf-8").replace("wrote from", "wrote again from"), encoding="utf-8")
    counts = reads_by_kind(monkeypatch)
    seen = counting(monkeypatch)
    worked_out = []
    real_key = model_cache.Lookup.key_and_deps
    monkeypatch.setattr(model_cache.Lookup, "key_and_deps",
                        lambda self, f, *a: worked_out.append(f.key) or real_key(self, f, *a))
    em = EditionModel.build(edition_mod.load(root), cache=store)
    assert counts[model_cache.SNAPSHOT] == 1
    # the lookup key of a letter whose inputs are all as the snapshot found them is its
    # (the edited letter's is worked out, in this process and by the worker that made it)
    assert set(worked_out) == {f for f in seen["made"]} and paths_of(worked_out, em) == ["letter-5"]
    # only the edited letter's pointers are looked for (under its new bytes); no other
    # document's pointers or model-of entry is read, yet every other model is the cache's
    assert counts.get(model_cache.POINTERS, 0) == 1 and counts.get(model_cache.MODEL_OF, 0) == 0
    assert paths_of(seen["made"], em) == ["letter-5"]
    assert set(cached(em)) == {d.id for d in em.documents} - {"letter-5"}
    # what the snapshot stands for stays in the cache: without it, each is found entry by entry
    assert all(s.pointers_key in store.used[model_cache.POINTERS] and s.lookup in store.used[model_cache.MODEL_OF]
               for s in model_cache.previous_snapshot(store, edition_mod.load(root)).docs.values())
    assert models_of(em) == models_of(EditionModel.build(edition_mod.load(root)))


def test_a_damaged_foreign_or_old_snapshot_is_a_miss_never_a_wrong_model(tmp_path, monkeypatch):
    root, store = warm(tmp_path, monkeypatch)
    slot = model_cache.snapshot_slot(edition_mod.load(root))
    old = store.get(model_cache.SNAPSHOT, slot)  # before the edits below
    tei = root / "tei"
    for name, a, b in (("letter-5.xml", "wrote from", "wrote again from"),
                       ("persons.xml", "Bert Example", "Bert Beispiel")):
        f = tei / name
        f.write_text(f.read_text(encoding="utf-8").replace(a, b), encoding="utf-8")
    EditionModel.build(edition_mod.load(root), cache=store)  # (this build's snapshot is then replaced:)
    clean = models_of(EditionModel.build(edition_mod.load(root)))
    whole = store.get(model_cache.SNAPSHOT, slot)
    bad = bytearray(whole)
    bad[len(bad) // 2] ^= 0xFF
    import pickle

    version, tool, order, docs = pickle.loads(whole)
    foreign = pickle.dumps((version, tool + "x", order, docs))  # of another teipress
    for name, data in (("old", old), ("damaged", bytes(bad)), ("torn", whole[: len(whole) // 2]),
                       ("not a snapshot", b"\x80\x05K\x01."), ("of another teipress", foreign)):
        store.put(model_cache.SNAPSHOT, slot, data)
        counts = reads_by_kind(monkeypatch)
        em = EditionModel.build(edition_mod.load(root), cache=store)
        assert models_of(em) == clean, name
        if name == "old":  # the letters its entries still stand for are found through it
            assert counts.get(model_cache.MODEL_OF, 0) < len(em.documents)
        else:  # read entry by entry (a model whose inputs are the same is still the cache's)
            assert counts.get(model_cache.POINTERS, 0) >= len(em.documents) - 1, name


def test_a_changed_letter_rewrites_one_shard_of_the_snapshot_and_a_damaged_shard_is_a_miss(tmp_path, monkeypatch):
    root, store = warm(tmp_path, monkeypatch)
    EditionModel.build(edition_mod.load(root), cache=store)  # (every letter now in the snapshot's shards)
    f = root / "tei" / "letter-5.xml"
    f.write_text(f.read_text(encoding="utf-8").replace("wrote from", "wrote again from"), encoding="utf-8")
    put = []
    real = cache_mod.Cache.put
    monkeypatch.setattr(cache_mod.Cache, "put", lambda self, kind, key, data: put.append(kind) or real(self, kind, key, data))
    em = EditionModel.build(edition_mod.load(root), cache=store)
    assert put.count(model_cache.SNAPSHOT_SHARD) == 1 and put.count(model_cache.SNAPSHOT) == 1
    ed = edition_mod.load(root)
    snap = model_cache.previous_snapshot(store, ed)
    assert len(snap.docs) == len(em.documents)
    # the kept shards are used by the build (Cache.finish keeps them)
    assert all(key in store.used[model_cache.SNAPSHOT_SHARD] for key, _part in snap.shards)
    clean = models_of(EditionModel.build(edition_mod.load(root)))
    key = next(key for key, part in snap.shards if part)
    data = store.get(model_cache.SNAPSHOT_SHARD, key)
    pack, at, length, crc = store.locate(model_cache.SNAPSHOT_SHARD, key)
    with open(pack, "r+b") as fh:  # (a damaged shard: its CRC fails)
        fh.seek(at + length // 2)
        fh.write(bytes([data[length // 2] ^ 0xFF]))
    store.close()
    assert model_cache.previous_snapshot(store, ed) is None
    counts = reads_by_kind(monkeypatch)
    em = EditionModel.build(edition_mod.load(root), cache=store)
    assert models_of(em) == clean
    assert counts.get(model_cache.POINTERS, 0) >= len(em.documents) - 1  # (read entry by entry)


def test_a_key_that_comes_to_name_an_entry_misses_the_snapshot(tmp_path, monkeypatch):
    # A name's @key may be answered by an entry of any file: a key that named none names the
    # person another letter comes to describe, in a letter whose own inputs are unchanged.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    root = letters_edition(tmp_path / "ed", 7)
    tei = root / "tei"
    f = tei / "letter-2.xml"
    f.write_text(f.read_text(encoding="utf-8").replace(
        "wrote from", 'wrote <persName key="carla">to Carla</persName> from'), encoding="utf-8")
    store = cache_mod.Cache(tmp_path / "cache")
    EditionModel.build(edition_mod.load(root), cache=store)
    EditionModel.build(edition_mod.load(root), cache=store)  # (its snapshot now holds every letter)
    before = models_of(EditionModel.build(edition_mod.load(root)))
    g = tei / "letter-6.xml"
    g.write_text(g.read_text(encoding="utf-8").replace("</text>", """<back><listPerson><person xml:id="carla">
        <persName type="main">Carla Example</persName></person></listPerson></back></text>"""), encoding="utf-8")
    seen = counting(monkeypatch)
    em = EditionModel.build(edition_mod.load(root), cache=store)
    clean = models_of(EditionModel.build(edition_mod.load(root)))
    assert "letter-2" in paths_of(seen["made"], em)
    assert clean["letter-2"] != before["letter-2"] and models_of(em) == clean


def test_with_the_same_identities_no_entrys_display_is_worked_out_again(tmp_path, monkeypatch):
    # An incremental build's loading (Edition.recall) keeps the identities' key: while it is the
    # snapshot's, what the texts show of each entry and which entry each @key names stand.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    root = letters_edition(tmp_path / "ed", 7)
    store = cache_mod.Cache(tmp_path / "cache")
    for _ in range(2):
        EditionModel.build(edition_mod.load(root, cache=store), cache=store)
    tei = root / "tei"
    worked = []
    real = model_cache.Lookup.shown_digest
    monkeypatch.setattr(model_cache.Lookup, "shown_digest", lambda self, key: worked.append(key) or real(self, key))
    f = tei / "letter-5.xml"
    f.write_text(f.read_text(encoding="utf-8").replace("wrote from", "wrote again from"), encoding="utf-8")
    seen = counting(monkeypatch)
    em = EditionModel.build(edition_mod.load(root, cache=store), cache=store)
    assert worked == [] and paths_of(seen["made"], em) == ["letter-5"]
    assert models_of(em) == models_of(EditionModel.build(edition_mod.load(root)))
    # An entry's name edited: other identities' key, every display compared again
    g = tei / "persons.xml"
    g.write_text(g.read_text(encoding="utf-8").replace("Bert Example", "Bert Beispiel"), encoding="utf-8")
    seen = counting(monkeypatch)
    em = EditionModel.build(edition_mod.load(root, cache=store), cache=store)
    assert worked and models_of(em) == models_of(EditionModel.build(edition_mod.load(root)))

"""The edition model from records (teipress.model.edition_model.OwnFacts): each document's
behaviour model is read once, by the worker that made it; the main process resolves those
records against the edition and keeps every model as its bytes, parsed only when read."""
from __future__ import annotations

import dataclasses
import importlib

import pytest

from teipress import edition as edition_mod
from teipress.commands import cache as cache_mod
from teipress.model import EditionModel, edition_model
from teipress.outputs import page_cache

from test_incremental import EPOCH, correspondence_letter, edition

behaviour = importlib.import_module("teipress.model.behaviour")  # the package's name is a function


def letters_edition(root, n: int):
    """*n* letters with correspDesc naming register persons, dates in their text, and one letter
    split into a page per division (its mentions are on its parts' pages)."""
    root = edition(root, letters=n)
    tei = root / "tei"
    for i in range(1, n + 1, 3):  # every third one a letter with correspDesc instead
        (tei / f"letter-{i}.xml").write_text(
            correspondence_letter(i, 1 + i % 27).replace(f'xml:id="l{i}"', f'xml:id="letter-{i}"')
            .replace(f"wrote on day {1 + i % 27}.",
                     f'wrote on <date when="1900-02-{1 + i % 27:02d}">day {1 + i % 27}</date>.'),
            encoding="utf-8")
    (root / "edition.toml").write_text('id = "rec"\ntitle = "Records"\nsplit = ["letter-2"]\n', encoding="utf-8")
    return root


def summary(em: EditionModel) -> list:
    """Everything the outputs read of the model that its records gave, as plain values."""
    def occ(o) -> tuple:
        return tuple((f.name, getattr(o, f.name)) for f in dataclasses.fields(o) if f.name != "doc") + (o.doc.id,)

    pages = [(p.id, p.path, p.title, repr(p.info), p.register_files, p.division_records,
              [occ(o) for o in p.occurrences], [occ(d) for d in p.dates],
              {k: [e.anchor for e in v] for k, v in p.people.items()},
              page_cache._letter(p.correspondence), page_cache._model_bytes(p))
             for p in em.pages]
    entries = sorted((a, [occ(o) for o in e.occurrences]) for a, e in em.entries.items())
    records = [(r.doc.id, r.id, r.value, r.cert, r.label, r.label_full, r.href) for r in em.records]
    return [pages, entries, records, [occ(d) for d in em.chronology], em.warnings, em.images,
            [d.id for d in em.letters]]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_records_from_the_cache_are_those_made_afresh_after_an_edit(tmp_path, monkeypatch, jobs):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("TEIPRESS_JOBS", jobs)
    root = letters_edition(tmp_path / "ed", edition_model.PARALLEL_FROM + 2)
    store = cache_mod.Cache(tmp_path / "cache")
    EditionModel.build(edition_mod.load(root), cache=store)
    # an edit that changes one letter's mentions, date and correspondent, and one of a register
    # entry that every letter naming her shows
    f = root / "tei" / "letter-4.xml"
    f.write_text(f.read_text(encoding="utf-8").replace('ref="persons.xml#bert">Bert', 'ref="persons.xml#anna">Anna')
                 .replace('when="1900-01-', 'when="1899-12-'), encoding="utf-8")
    p = root / "tei" / "persons.xml"
    p.write_text(p.read_text(encoding="utf-8").replace("Bert Example", "Bert Beispiel"), encoding="utf-8")
    ed = edition_mod.load(root)
    cached = summary(EditionModel.build(ed, cache=store))
    fresh = summary(EditionModel.build(ed))
    assert cached == fresh
    pages = {p[0]: p for p in fresh[0]}
    assert pages["letter-4"][9] and pages["letter-2/d1"][6], "the edition has letters and mentions on split pages"
    assert any(e[1] for e in fresh[1]) and fresh[2] and fresh[3], "entries with occurrences, records, dates"
    # and what the cache holds for each model is what reading it again gives
    names = behaviour.Names.of(ed)
    for doc in ed.documents:
        data = behaviour.behaviour_bytes(ed, doc, names, store)
        kept = edition_model.own_facts(ed, doc, data, store)
        assert kept == edition_model.read_own_facts(behaviour.parse_model(data), ed.config.get("title_order"))


def test_the_main_process_parses_no_model_and_keeps_none(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("TEIPRESS_JOBS", "1")  # (the workers' parses would be counted as this process's)
    root = letters_edition(tmp_path / "ed", 6)
    (root / "edition.toml").write_text('id = "rec"\ntitle = "Records"\n', encoding="utf-8")
    ed = edition_mod.load(root)
    store = cache_mod.Cache(tmp_path / "cache")
    EditionModel.build(ed, cache=store)
    parsed = []
    real = behaviour.parse_model
    for module in (behaviour, edition_model):
        monkeypatch.setattr(module, "parse_model", lambda data: parsed.append(data) or real(data))
    edition_model.stored_tree.cache_clear()
    em = EditionModel.build(ed, cache=store)
    # every model's facts came from the cache: an unchanged letter costs a cache read, not a parse
    assert parsed == []
    # and every model was left in the cache, not read (edition_model.Cached)
    assert all(isinstance(d.__dict__["_model"], edition_model.Cached) for d in em.pages)
    assert em.records and em.chronology and em.letters  # (all from the records)
    assert parsed == []
    # a reader parses the model it reads, and only a few stay parsed
    for d in em.pages:
        assert d.model.getroot().get("id")
    assert len(parsed) == len(em.pages)
    assert edition_model.stored_tree.cache_info().currsize <= 8


def test_a_split_documents_pages_are_stored_too(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    root = letters_edition(tmp_path / "ed", 4)
    em = EditionModel.build(edition_mod.load(root))
    split = next(d for d in em.documents if d.parts)
    for d in (split, *split.parts):
        assert not any(isinstance(v, edition_model.etree._ElementTree) for v in d.__dict__.values())
    assert split.contents.getroot().find(".//{urn:teipress:model}block[@page]") is not None


def test_forked_workers_read_the_models_the_build_stored(tmp_path, monkeypatch):
    # The models' bytes are in the build's scratch file (Spill): a forked worker (the HTML
    # stage's) reads its own document's through the descriptor it inherits.
    from lxml import etree

    from teipress import workers

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("TEIPRESS_JOBS", "2")
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)  # an earlier test's idle thread
    root = letters_edition(tmp_path / "ed", 4)
    em = EditionModel.build(edition_mod.load(root))
    assert workers.forks(len(em.pages), 1)
    here = [etree.tostring(d.model) for d in em.pages]
    assert list(workers.forked_map(lambda d: etree.tostring(d.model), em.pages, 1)) == here
    assert len(set(here)) == len(em.pages)


def cached_models(tmp_path, monkeypatch):
    """Six letters whose models an incremental build's cache holds: (edition, cache, and each
    document with its model's bytes and the OwnFacts read from them)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    ed = edition_mod.load(letters_edition(tmp_path / "ed", 6))
    store = cache_mod.Cache(tmp_path / "cache")
    EditionModel.build(ed, cache=store)
    names = behaviour.Names.of(ed)
    made = []
    for f in ed.documents:
        data = behaviour.behaviour_bytes(ed, f, names, store)
        made.append((f, data, edition_model.read_own_facts(behaviour.parse_model(data), ed.config.get("title_order"))))
    return ed, store, made


def test_mentions_come_back_from_the_cache_as_plain_tuples_and_attach_alike(tmp_path, monkeypatch):
    """A Mention pickles as a plain tuple (no Python __new__ per mention when a build reads
    every letter's from the cache); attach reads both forms the same way."""
    import pickle

    from teipress.model import mentions

    ed, store, documents = cached_models(tmp_path, monkeypatch)
    seen = 0
    for f, data, made in documents:
        kept = edition_model.own_facts(ed, f, data, store)
        assert all(type(m) is mentions.Mention for m in made.mentions)
        assert all(type(m) is tuple for m in kept.mentions)
        assert pickle.loads(pickle.dumps(made.mentions)) == kept.mentions == made.mentions
        seen += len(made.mentions)
    assert seen, "the letters have mentions"
    # the model made from the cache's plain tuples is the one made from Mentions
    assert summary(EditionModel.build(ed, cache=store)) == summary(EditionModel.build(ed))


def test_own_facts_from_the_cache_share_their_header_records_and_equal_those_made(tmp_path, monkeypatch):
    """own_cache keeps a header's records of records apart: read back, the documents repeating
    one (the letters' licence, editors) hold one object, and the OwnFacts are those made."""
    from teipress.model import own_cache

    ed, store, documents = cached_models(tmp_path, monkeypatch)
    seen: dict = {}
    kept = []
    for f, data, made in documents:
        got = own_cache.get(store, edition_model.own_facts_key(ed, data), seen, edition_model.OwnFacts)
        assert got == made
        kept.append(got.info)
    repeated = 0
    for name, value in kept[0].__dict__.items():
        for a in kept:
            for b in kept:
                value = getattr(a, name)
                if a is not b and value.__class__ is tuple and value and value == getattr(b, name):
                    assert value is getattr(b, name), name
                    repeated += 1
    assert repeated, "the documents repeat some header records"
    # an entry of another shape (an older teipress's plain OwnFacts) is a miss, not a wrong record
    store.put_object(own_cache.KIND, "old", made)
    assert own_cache.get(store, "old") is None

"""Source trees parsed on demand (teipress.edition.Trees): an edition is loaded from its files'
facts, each file parsed once, in a worker, and its tree not kept; later stages parse what they
read, and a process keeps only the trees read last.  A build with a tree cache smaller than the
edition gives a build's bytes with every tree kept; an incremental build parses only the files
that changed; an element of one parse is never taken for one of another."""
from __future__ import annotations

from pathlib import Path

import pytest

from teipress import edition as edition_mod, workers
from teipress.commands import build as build_mod
from teipress.commands import cache as cache_mod
from teipress.validation import facts as facts_mod
from test_collections import CORPUS, tei
from test_facts import PROBLEMS, edition, letter


def big_edition(root: Path, letters: int = 0) -> Path:
    """test_facts's edition (letters with problems of every kind, a register), a teiCorpus whose
    TEIs point at each other, a letter listing its persons in its <back>, and *letters* more."""
    edition(root)
    tei_dir = root / "tei"
    corpus = CORPUS.replace("Words alphatwo of the second letter.",
                            'Words <ref target="#first">back</ref> and <persName ref="#ann">Ann</persName>.')
    (tei_dir / "corpus.xml").write_text(corpus, encoding="utf-8")
    back = tei("A letter with its own persons",
               '<p>To <persName ref="#tom">Tom</persName> and <persName ref="persons.xml#anna">Anna</persName>, '
               'see <ref target="corpus.xml#first">the first</ref>.</p></body><back><listPerson>'
               '<person xml:id="tom"><persName>Tom Other</persName><note>A friend.</note></person>'
               '</listPerson></back><body>', "own").replace("</back><body></body>", "</back>")
    (tei_dir / "own.xml").write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + back, encoding="utf-8")
    for n in range(5, 5 + letters):
        (tei_dir / f"letter-{n}.xml").write_text(letter(n, PROBLEMS[n % 4]), encoding="utf-8")
    return root


def _build(root: Path, out: Path, incremental: bool = False):
    return build_mod.build(root, out, only={"sources", "html", "search", "cmif"}, incremental=incremental,
                           allow_invalid=True)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_build_larger_than_the_tree_cache_gives_the_bytes_of_one_keeping_every_tree(tmp_path, monkeypatch, jobs):
    from test_incremental import same_tree

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    monkeypatch.setenv("TEIPRESS_JOBS", jobs)
    root = big_edition(tmp_path / "ed", letters=4)
    assert (root / "tei" / "own.xml").read_text(encoding="utf-8").count("<back>") == 1
    monkeypatch.setattr(edition_mod, "TREES", edition_mod.Trees(0))  # every tree kept
    _build(root, tmp_path / "all")
    kept = edition_mod.TREES
    small = edition_mod.Trees(1)
    monkeypatch.setattr(edition_mod, "TREES", small)
    result = _build(root, tmp_path / "one")
    assert same_tree(tmp_path / "all", tmp_path / "one") == []
    assert len(small.held) <= 1
    if jobs == "1":  # all in this process: the small cache parsed files again, the big one did not
        assert small.parses > kept.parses
    # the corpus's TEIs and the register's entries were read, through re-parsed trees
    assert [d.key for d in result.edition.documents if d.container] == [f"corpus.xml#{i}" for i in range(1, 5)]


def test_an_incremental_rebuild_after_one_edit_parses_only_that_file(tmp_path, monkeypatch):
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    root = big_edition(tmp_path / "ed")
    store = cache_mod.Cache(tmp_path / "cache")
    build_mod.load_and_validate(root, allow_invalid=True, cache=store)
    parsed: list[str] = []
    real = edition_mod.parse

    def counting(path, *args):
        parsed.append(Path(path).name)
        return real(path, *args)

    monkeypatch.setattr(edition_mod, "parse", counting)
    monkeypatch.setattr(facts_mod, "parse", counting)
    build_mod.load_and_validate(root, allow_invalid=True, cache=store)
    assert parsed == []  # nothing changed: nothing parsed
    p = root / "tei" / "letter-3.xml"
    p.write_text(p.read_text(encoding="utf-8").replace("A note on letter 3.", "A note on the third."), encoding="utf-8")
    result = build_mod.load_and_validate(root, allow_invalid=True, cache=store)
    assert parsed == ["letter-3.xml"]
    # what the rest of the build reads is there without parsing: the documents, their ids and entries
    assert "tom" in {e.id for e in result.edition.entries.values()}
    assert {d.id for d in result.edition.documents} >= {"letter-1", "first", "own"}
    assert parsed == ["letter-3.xml"]


def test_loading_and_validating_parse_no_document_in_this_process(tmp_path, monkeypatch):
    monkeypatch.setenv("TEIPRESS_JOBS", "2")
    # An earlier test's idle thread (a browser test's server) would keep the work in this process.
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    root = big_edition(tmp_path / "ed", letters=facts_mod.PARALLEL_FROM)
    trees = edition_mod.Trees()
    monkeypatch.setattr(edition_mod, "TREES", trees)
    report = build_mod.load_and_validate(root, allow_invalid=True).report
    assert trees.parses == 0 and not trees.held
    monkeypatch.setenv("TEIPRESS_JOBS", "1")  # the same diagnostics when everything is done here
    again = build_mod.load_and_validate(root, allow_invalid=True).report
    assert [str(d) for d in report.sorted()] == [str(d) for d in again.sorted()]
    assert trees.parses > 0


def test_elements_of_a_parse_are_never_taken_for_those_of_another(tmp_path, monkeypatch):
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    root = big_edition(tmp_path / "ed")
    monkeypatch.setattr(edition_mod, "TREES", edition_mod.Trees(1))
    ed = edition_mod.load(root)
    corpus = ed.file("corpus.xml")
    old = ed.element_by_id("corpus.xml", "ann")  # in the corpus's fourth TEI
    assert ed.document_of(corpus, old).key == "corpus.xml#4"
    ed.file("letter-1.xml").root  # the corpus's tree goes out of the cache ...
    assert corpus._parsed is None
    new = ed.element_by_id("corpus.xml", "ann")  # ... and is parsed again
    assert new is not old and new.getroottree().getroot() is not old.getroottree().getroot()
    # each element is placed by its own parse: the old one is still in the fourth TEI
    assert ed.document_of(corpus, old).key == ed.document_of(corpus, new).key == "corpus.xml#4"
    assert [p.root.get("{http://www.w3.org/XML/1998/namespace}id") for p in ed.documents if p.container][:1] == ["first"]
    # an entry's element is the same each time, whatever parse its file's tree is of by then
    tom = ed.entries[("own.xml", "tom")]
    first = tom.element
    ed.file("letter-2.xml").root
    assert ed.file("own.xml")._parsed is None
    assert tom.element is first and ed.entries[("own.xml", "tom")].element is first
    ed.file("own.xml").root  # parsed again: the entry keeps its element
    assert tom.element is first and first.get("{http://www.w3.org/XML/1998/namespace}id") == "tom"
    assert (tom.name, tom.where, tom.description) == ("Tom Other", "back", "A friend.")
    # a register's tree stays parsed: its entries are elements of it
    anna = ed.entries[("persons.xml", "anna")]
    for f in ed.documents:
        f.root
    assert anna.element.getroottree().getroot() is ed.file("persons.xml").root


def _forget_compiled_schemas():
    from teipress.validation import schema

    schema._ready.clear()
    for fn in (schema._compile, schema._fast, schema._declared):
        fn.cache_clear()


def test_an_incremental_build_takes_the_compiled_schema_from_its_cache(tmp_path, monkeypatch):
    from teipress.validation import schema
    from test_facts import diagnostics

    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    root = big_edition(tmp_path / "ed")
    store = cache_mod.Cache(tmp_path / "cache")
    _forget_compiled_schemas()
    diagnostics(root, store)
    p = root / "tei" / "letter-3.xml"  # an element the schema does not know: xmlschema words it
    p.write_text(p.read_text(encoding="utf-8").replace("A note on letter 3.", "A <bogus>note</bogus>."), encoding="utf-8")
    _forget_compiled_schemas()  # as a new process: only the cache has the schema compiled

    def no_compiling(*args):
        raise AssertionError("compiled again")

    with monkeypatch.context() as m:
        m.setattr(schema, "_open_xsd", no_compiling)
        from teipress.validation import schema_fast
        m.setattr(schema_fast, "build", no_compiling)
        cached = diagnostics(root, store)
    _forget_compiled_schemas()
    assert cached == diagnostics(root)
    assert any("[schema]" in d and "letter-3.xml" in d for d in cached)

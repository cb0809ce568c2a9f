"""Each file's facts (teipress/validation/facts.py): the integrity rules run over them, and an
incremental build keeps them under the file's bytes.  After any edit the diagnostics are those
of a validation from nothing, lines and columns included, and a file left as it was is not
read again."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import MINI_DOC, MINI_PERSONS, SCHEMA
from teipress.commands import build as build_mod
from teipress.commands import cache as cache_mod
from teipress.validation import facts as facts_mod


def letter(n: int, extra: str = "", ptr: str = "persons.xml#anna") -> str:
    """A letter with its own id, date and text; *extra* goes into its paragraph."""
    return (MINI_DOC.replace('xml:id="mini"', f'xml:id="letter-{n}"')
            .replace('<date when="1961-03-05">', f'<date when="1961-03-{n:02d}">')
            .replace('ref="persons.xml#anna"', f'ref="{ptr}"')
            .replace("A note.", f"A note on letter {n}.{extra}"))


# Problems of every kind the rules find, spread over the letters: each letter points into the
# next, and the register is used only in part.
PROBLEMS = [
    '<ref target="letter-2.xml#p1">next</ref> <ref target="#nowhere">x</ref> <ref target="#n1 #n1">twice</ref>',
    '<ref target="letter-3.xml#p1">next</ref> <persName ref="persons.xml#vienna">V</persName> '
    '<ref target="n1">bare</ref> <ref target="javascript:alert(1)">js</ref>',
    '<date when="1961-02-30">bad</date> <date notBefore="1962" notAfter="1961">r</date> '
    '<ref target="other.xml#x">f</ref> <note type="gloss" resp="#ed">t</note> <note type="editorial">u</note>',
    '<ref target="letter-1.xml#p1">first</ref> <persName key="bert">Bert</persName> '
    '<ref target="../out.xml">o</ref> <ref target="foo:bar">p</ref>',
]


def register(extra_people: int = 0, anna: str = "Anna Example") -> str:
    people = "".join(f'<person xml:id="p{i}"><persName>P {i}</persName><idno type="wikidata">Q{i}x</idno></person>\n'
                     for i in range(extra_people))
    return (MINI_PERSONS.replace("Anna Example", anna)
            .replace("</listPerson>", f'<person xml:id="bert"><persName>Bert</persName></person>\n{people}</listPerson>'))


def edition(root: Path) -> Path:
    (root / "tei" / "schema").mkdir(parents=True)
    shutil.copy(SCHEMA, root / "tei" / "schema" / "teipress.xsd")
    for n, extra in enumerate(PROBLEMS, 1):
        (root / "tei" / f"letter-{n}.xml").write_text(letter(n, extra), encoding="utf-8")
    (root / "tei" / "persons.xml").write_text(register(25), encoding="utf-8")
    (root / "edition.toml").write_text('id = "f"\ntitle = "Facts"\n', encoding="utf-8")
    return root


def diagnostics(root: Path, cache=None) -> list[str]:
    try:
        result = build_mod.load_and_validate(root, allow_invalid=True, cache=cache)
        report = result.report
    except build_mod.NotValid as exc:  # a malformed file: nothing may be built, but all is said
        report = exc.report
    return [str(d) for d in report.sorted()]


def edit_rename_entry(tei: Path) -> None:
    p = tei / "persons.xml"
    p.write_text(p.read_text(encoding="utf-8").replace('xml:id="anna"', 'xml:id="anna-b"'), encoding="utf-8")


def edit_remove_target(tei: Path) -> None:  # letter 1 points to letter-2.xml#p1
    p = tei / "letter-2.xml"
    p.write_text(p.read_text(encoding="utf-8").replace('<p xml:id="p1">', "<p>"), encoding="utf-8")


def edit_add_target_back(tei: Path) -> None:
    p = tei / "letter-2.xml"
    p.write_text(p.read_text(encoding="utf-8").replace("<p><persName", '<p xml:id="p1"><persName', 1), encoding="utf-8")


def edit_new_register(tei: Path) -> None:
    """A list of places nobody points to is a document; once a letter points to it, a register."""
    (tei / "places.xml").write_text(MINI_PERSONS.replace('xml:id="register"', 'xml:id="places"')
                                    .replace('xml:id="anna"', 'xml:id="carl"'), encoding="utf-8")


def edit_point_at_new_register(tei: Path) -> None:
    p = tei / "letter-4.xml"
    p.write_text(p.read_text(encoding="utf-8").replace('<ref target="foo:bar">', '<ref target="places.xml#vienna">'),
                 encoding="utf-8")


def edit_move_line(tei: Path) -> None:  # same facts, other lines: positions must follow
    p = tei / "letter-3.xml"
    p.write_text(p.read_text(encoding="utf-8").replace("<text>", "\n\n<text>"), encoding="utf-8")


def edit_break(tei: Path) -> None:
    (tei / "letter-4.xml").write_text("<TEI", encoding="utf-8")


def edit_mend(tei: Path) -> None:
    (tei / "letter-4.xml").write_text(letter(4, PROBLEMS[3]), encoding="utf-8")


EDITS = [edit_rename_entry, edit_remove_target, edit_add_target_back, edit_new_register,
         edit_point_at_new_register, edit_move_line, edit_break, edit_mend]


def test_the_rules_over_cached_facts_say_what_a_validation_from_nothing_says(tmp_path):
    root = edition(tmp_path / "ed")
    store = cache_mod.Cache(tmp_path / "cache")
    first = diagnostics(root, store)
    rules = {d.rsplit("[", 1)[1] for d in first}
    # the edition has a problem of each kind the facts carry
    assert {"pointer-resolves", "pointer-bare", "pointer-kind", "pointer-file", "pointer-outside",
            "pointer-scheme", "pointer-prefix", "date-iso", "date-range", "note-type", "note-resp",
            "idno-syntax", "register-unused"} <= {r.rstrip("]") for r in rules}
    assert first == diagnostics(root)
    for edit in EDITS:
        edit(root / "tei")
        assert diagnostics(root, store) == diagnostics(root), edit.__name__


def test_an_id_removed_in_one_letter_is_missed_by_the_letter_pointing_to_it(tmp_path):
    root = edition(tmp_path / "ed")
    store = cache_mod.Cache(tmp_path / "cache")
    diagnostics(root, store)
    edit_remove_target(root / "tei")
    said = [d for d in diagnostics(root, store) if "letter-2.xml#p1" in d]
    assert len(said) == 1 and "/letter-1.xml:" in said[0] and "[pointer-resolves]" in said[0]


def test_after_one_edit_only_that_file_is_read_again(tmp_path, monkeypatch):
    root = edition(tmp_path / "ed")
    store = cache_mod.Cache(tmp_path / "cache")
    diagnostics(root, store)
    read = []
    real = facts_mod.read
    monkeypatch.setattr(facts_mod, "read", lambda f: read.append(f.rel) or real(f))
    diagnostics(root, store)
    assert read == []
    edit_remove_target(root / "tei")
    diagnostics(root, store)
    assert read == ["letter-2.xml"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_facts_read_in_worker_processes_are_those_read_here(tmp_path, monkeypatch, jobs):
    root = edition(tmp_path / "ed")
    for n in range(5, 5 + facts_mod.PARALLEL_FROM):
        (root / "tei" / f"letter-{n}.xml").write_text(letter(n, PROBLEMS[n % 4]), encoding="utf-8")
    monkeypatch.setenv("TEIPRESS_JOBS", jobs)
    store = cache_mod.Cache(tmp_path / "cache")
    assert diagnostics(root, store) == diagnostics(root, cache_mod.Cache(tmp_path / "other"))
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    assert diagnostics(root, store) == diagnostics(root)


# -- whole builds: the edits the facts make risky give a clean build's bytes ------------------------
def _build(root: Path, out: Path, incremental: bool = True):
    return build_mod.build(root, out, only={"sources", "html", "cmif"}, incremental=incremental, allow_invalid=True)


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path.name, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


BUILD_EDITS = {
    # letter 1 points to letter 2's paragraph, which loses and gets back its id
    "id removed": lambda tei: _rewrite(tei / "letter-2.xml", '<p xml:id="p1">', "<p>"),
    "id added back": lambda tei: _rewrite(tei / "letter-2.xml", "<p><persName", '<p xml:id="p1"><persName'),
    "entry renamed": lambda tei: _rewrite(tei / "persons.xml", "Anna Example", "Zelda Example"),
    "entry id renamed": lambda tei: [_rewrite(p, "#anna", "#anna-z") for p in sorted(tei.glob("letter-*.xml"))
                                     if "#anna" in p.read_text(encoding="utf-8")]
                                    + [_rewrite(tei / "persons.xml", 'xml:id="anna"', 'xml:id="anna-z"')],
    "date moves a letter last": lambda tei: _rewrite(tei / "letter-1.xml", 'when="1961-03-01"', 'when="1999-03-01"'),
    "a list nobody points to": edit_new_register,
    "becomes a register": lambda tei: _rewrite(tei / "letter-3.xml", '<ref target="other.xml#x">',
                                               '<ref target="places.xml#vienna">'),
}


def test_edits_across_files_rebuild_to_the_bytes_of_a_clean_build(tmp_path, monkeypatch):
    from test_incremental import same_tree

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    root = edition(tmp_path / "ed")
    out = tmp_path / "out"
    _build(root, out)
    for name, edit in BUILD_EDITS.items():
        edit(root / "tei")
        _build(root, out)
        clean = tmp_path / f"clean-{len(name)}-{name[:4]}"
        _build(root, clean, incremental=False)
        assert same_tree(out, clean) == [], name


def test_after_one_edit_only_that_documents_header_is_read_again(tmp_path, monkeypatch):
    from teipress.model import header as header_mod

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    root = edition(tmp_path / "ed")
    out = tmp_path / "out"
    _build(root, out)
    read = []
    real = header_mod.read
    monkeypatch.setattr(header_mod, "read", lambda model, order=None: read.append(model) or real(model, order))
    _rewrite(root / "tei" / "letter-2.xml", "A note on letter 2.", "A note on the second letter.")
    _build(root, out)
    # the edited letter's own header, and the register files' (read for their titles)
    assert len(read) == 2


def test_a_validation_whose_files_are_all_checked_compiles_no_schema(tmp_path, monkeypatch):
    from teipress.validation import schema

    # In one process: with more, the one edited file is checked by a child (workers.aside).
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    root = edition(tmp_path / "ed")
    store = cache_mod.Cache(tmp_path / "cache")
    first = diagnostics(root, store)
    compiled = []
    real = schema.load
    monkeypatch.setattr(schema, "load", lambda model: compiled.append(model.path.name) or real(model))
    assert diagnostics(root, store) == first
    assert compiled == []
    edit_remove_target(root / "tei")
    diagnostics(root, store)
    assert set(compiled) == {"teipress.xsd"}  # the edited file is checked again


def test_a_schema_that_cannot_be_used_is_reported_alike_from_the_cache(tmp_path):
    root = edition(tmp_path / "ed")
    tei = root / "tei"
    (tei / "schema" / "broken.xsd").write_text("<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'><xs:element/>"
                                               "</xs:schema>", encoding="utf-8")
    (tei / "schema" / "compact.rnc").write_text("start = element TEI { text }", encoding="utf-8")
    for name, model in (("letter-1.xml", 'href="schema/broken.xsd" type="application/xml" '
                                         'schematypens="http://www.w3.org/2001/XMLSchema"'),
                        ("letter-2.xml", 'href="schema/compact.rnc" type="application/relax-ng-compact-syntax"')):
        _rewrite(tei / name, '<?xml-model href="schema/teipress.xsd" type="application/xml" '
                 'schematypens="http://www.w3.org/2001/XMLSchema"?>', f'<?xml-model {model}?>')
    store = cache_mod.Cache(tmp_path / "cache")
    first = diagnostics(root, store)
    assert any("[schema-compile]" in d for d in first) and any("[schema-unsupported]" in d for d in first)
    assert diagnostics(root, store) == first == diagnostics(root)


@pytest.mark.parametrize("source,pointer,target", [
    ("a.xml", "#n1", ("a.xml", "n1")), ("d/a.xml", "#n1", ("d/a.xml", "n1")),
    ("a.xml", "p.xml#x", ("p.xml", "x")), ("d/a.xml", "p.xml#x", ("d/p.xml", "x")),
    ("d/a.xml", "p.xml", ("d/p.xml", "")), ("d/a.xml", "../p.xml#x", ("p.xml", "x")),
    ("a.xml", "./p.xml#x#y", ("p.xml", "x#y")), ("a.xml", "p%20q.xml#x", ("p q.xml", "x")),
    ("a.xml", "p.xml?v=1#x", ("p.xml", "x")), ("a.xml", "", ("a.xml", "")), ("a.xml", "#", ("a.xml", "")),
    ("a.xml", ".", ("", "")), ("d/a.xml", "..#x", ("", "x")), ("a.xml", "p#a#b", ("p", "a#b")),
])
def test_a_pointer_names_its_file_and_id(source, pointer, target):
    from teipress.edition import pointer_target

    assert pointer_target(source, pointer) == target


@pytest.mark.parametrize("pointer", ["../p.xml", "http://x.org/p#a", "//host/p"])
def test_a_pointer_out_of_the_edition_is_refused(pointer):
    from teipress.edition import pointer_target

    with pytest.raises(ValueError):
        pointer_target("a.xml", pointer)


def test_each_attribute_read_alone_is_recorded(tmp_path):
    """read() looks past elements that carry none of the attributes it reads: each of them,
    alone on an element (or beside attributes it does not read), is still recorded, with the
    local rules' diagnostics (a bad date, a bad identifier in @sameAs or an idno)."""
    from teipress.edition import TeiFile, classify
    from teipress.xmlparse import parse

    body = ('<p rend="x" xml:id="only-id">a</p>'
            '<p><persName key="k1">K</persName> <rs type="x" ref="persons.xml#anna">A</rs> '
            '<date when="1961-02-30">d</date> <date rend="y" from="1962" to="1961">r</date> '
            '<name sameAs="https://www.wikidata.org/wiki/Qx">W</name> '
            '<idno type="gnd">not-a-gnd</idno> <ref corresp="#only-id" n="1">c</ref> '
            '<graphic url="img/a.png"/></p>')
    path = tmp_path / "one.xml"
    path.write_text(MINI_DOC.replace("A note.", body), encoding="utf-8")
    tree = parse(path)
    facts = facts_mod.read(TeiFile(path, "one.xml", tree, classify(tree.getroot())))
    assert "only-id" in facts.ids
    assert "k1" in facts.keys
    assert ("ref", "persons.xml#anna", "rs") in [p[:3] for p in facts.pointers]
    assert ("corresp", "#only-id", "ref") in [p[:3] for p in facts.pointers]
    assert "persons.xml" in facts.targets
    rules = {d[4] for found in facts.local.values() for d in found}
    assert {"date-iso", "date-range", "idno-syntax"} <= rules
    said = [d[3] for d in facts.local["identifiers"]]
    assert any("@sameAs of <name>" in m for m in said) and any('<idno type="gnd">' in m for m in said)

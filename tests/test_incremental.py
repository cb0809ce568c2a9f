"""Incremental builds (teipress/commands/cache.py): after any change the output is byte for
byte what a clean build makes; unchanged sources are not built again; the cache skips only
what its key proves unchanged."""
from __future__ import annotations

import filecmp
import pickle
import random
import shutil
from pathlib import Path

import pytest

from conftest import MINI_DOC, MINI_PERSONS, SCHEMA
from teipress.commands import build as build_mod
from teipress.commands import cache as cache_mod

EPOCH = "1767225600"
NO_PDF = {"sources", "html", "search", "cmif"}


def letter(n: int, who: str = "anna", day: int = 5) -> str:
    """A letter of the mini edition: its own id, date and text, naming a person of the register."""
    return (MINI_DOC.replace('xml:id="mini"', f'xml:id="letter-{n}"')
            .replace("A mini edition", f"Letter {n}")
            .replace('<date when="1961-03-05">5 March 1961</date>',
                     f'<date when="1961-03-{day:02d}">{day} March 1961</date>')
            .replace('ref="persons.xml#anna">Anna', f'ref="persons.xml#{who}">{who.title()}')
            .replace("A note.", f"A note on letter {n}."))


PERSONS = MINI_PERSONS.replace(
    "</listPerson>",
    '<person xml:id="bert"><persName type="main">Bert Example</persName></person>\n      </listPerson>')


def edition(root: Path, letters: int = 4) -> Path:
    (root / "tei" / "schema").mkdir(parents=True)
    shutil.copy(SCHEMA, root / "tei" / "schema" / "teipress.xsd")
    for n in range(1, letters + 1):
        (root / "tei" / f"letter-{n}.xml").write_text(letter(n, "anna" if n % 2 else "bert", n), encoding="utf-8")
    (root / "tei" / "persons.xml").write_text(PERSONS, encoding="utf-8")
    (root / "edition.toml").write_text('id = "inc"\ntitle = "Incremental"\n', encoding="utf-8")
    return root


def build(root: Path, out: Path, incremental: bool = True, only=NO_PDF) -> build_mod.Result:
    return build_mod.build(root, out, only=only, incremental=incremental)


def same_tree(a: Path, b: Path) -> list[str]:
    """Files that differ, or are in one folder only (byte for byte)."""
    files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    diff = sorted(str(p) for p in files_a ^ files_b)
    diff += sorted(str(p) for p in files_a & files_b if not filecmp.cmp(a / p, b / p, shallow=False))
    return diff


def edit(rng: random.Random, root: Path, step: int) -> str:
    """One editor's change, chosen at random: what a real session does to an edition."""
    tei = root / "tei"
    letters = sorted(tei.glob("letter-*.xml"))
    kind = rng.choice(["word", "register", "date", "add", "remove", "toml", "pointer", "rename"])
    if kind == "remove" and len(letters) <= 2:
        kind = "add"
    if kind == "word":
        f = rng.choice(letters)
        f.write_text(f.read_text(encoding="utf-8").replace("wrote from", f"wrote ({step}) from"), encoding="utf-8")
    elif kind == "register":  # a person's name: every page naming her, the register, the search
        p = tei / "persons.xml"
        p.write_text(p.read_text(encoding="utf-8").replace("Anna Example", f"Anna Example {step}"), encoding="utf-8")
    elif kind == "date":  # the chronology and the letters' order
        f = rng.choice(letters)
        text = f.read_text(encoding="utf-8")
        f.write_text(text.replace('when="1961-03-', f'when="19{60 + step % 9}-03-', 1), encoding="utf-8")
    elif kind == "add":
        n = 10 + step
        (tei / f"letter-{n}.xml").write_text(letter(n, rng.choice(["anna", "bert"]), 1 + step % 27), encoding="utf-8")
    elif kind == "remove":
        rng.choice(letters).unlink()
    elif kind == "rename":  # the same letter under another file name: its source's copy moves
        f = rng.choice(letters)
        f.rename(f.with_name(f"letter-{100 + step}.xml"))
    elif kind == "toml":
        (root / "edition.toml").write_text(f'id = "inc"\ntitle = "Incremental {step}"\n', encoding="utf-8")
    elif kind == "pointer":  # a letter now names the other person
        f = rng.choice(letters)
        text = f.read_text(encoding="utf-8")
        f.write_text(text.replace("#anna", "#bert") if "#anna" in text else text.replace("#bert", "#anna"),
                     encoding="utf-8")
    return kind


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edits_rebuild_to_the_bytes_of_a_clean_build(tmp_path, monkeypatch, seed):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed")
    out = tmp_path / "out"
    assert not build(root, out).up_to_date
    rng = random.Random(seed)
    kinds = []
    for step in range(5):
        kinds.append(edit(rng, root, step))
        result = build(root, out)
        assert not result.up_to_date, kinds
        clean = tmp_path / f"clean-{step}"
        build(root, clean, incremental=False)
        assert same_tree(out, clean) == [], kinds
        assert not cache_mod.cache_folder(root, clean).exists()  # a build without the cache writes none
    assert build(root, out).up_to_date


def test_an_unchanged_edition_is_not_built_again_unless_its_output_was_touched(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed", letters=3)
    out = tmp_path / "out"
    first = build(root, out)
    assert not first.up_to_date and first.report.warnings == []
    again = build(root, out)
    assert again.up_to_date and again.model is None
    page = out / "html" / "documents" / "letter-2.html"
    kept = page.read_bytes()
    page.unlink()  # an output deleted by hand is made again
    assert not build(root, out).up_to_date
    assert page.read_bytes() == kept
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")  # another build date: every page changes
    assert not build(root, out).up_to_date
    assert page.read_bytes() != kept
    assert not build(root, out, only={"sources", "html", "search"}).up_to_date  # other stages: another build


def test_the_warnings_of_an_up_to_date_build_are_shown_again(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed", letters=2)
    p = root / "tei" / "persons.xml"
    p.write_text(p.read_text(encoding="utf-8").replace(
        "</listPerson>", '<person xml:id="nobody"><persName>Nobody</persName></person></listPerson>'), encoding="utf-8")
    shown = []
    done = []
    for _ in range(2):
        done.append(build_mod.build(root, tmp_path / "out", only=NO_PDF, incremental=True,
                                    show=lambda report, files: shown.append(sorted(report.items))).up_to_date)
    assert done == [False, True]
    assert shown[0] == shown[1] and "register-unused" in [d.rule for d in shown[0]]
    # the diagnostics are kept apart from the no-op record: lost, or of another build, the
    # build is made again (and shows them all the same), never shown wrong
    folder = cache_mod.cache_folder(root, tmp_path / "out")
    report = folder / cache_mod.REPORT
    for damage in (lambda: report.unlink(), lambda: report.write_bytes(b"torn"),
                   lambda: report.write_bytes(pickle.dumps(("another build", [])))):
        damage()
        result = build_mod.build(root, tmp_path / "out", only=NO_PDF, incremental=True,
                                 show=lambda report, files: shown.append(sorted(report.items)))
        assert not result.up_to_date and shown[-1] == shown[0]
    assert build_mod.build(root, tmp_path / "out", only=NO_PDF, incremental=True).up_to_date


def test_a_schema_error_in_a_file_checked_before_is_still_found(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed", letters=3)
    out = tmp_path / "out"
    build(root, out)
    f = root / "tei" / "letter-2.xml"
    f.write_text(f.read_text(encoding="utf-8").replace("<p xml:id=\"p1\">", "<p xml:id=\"p1\"><bogus/>"),
                 encoding="utf-8")
    with pytest.raises(build_mod.NotValid) as err:
        build(root, out)
    assert [(Path(d.path).name, d.rule) for d in err.value.report.errors] == [("letter-2.xml", "schema")]
    # the cached diagnostics of the other files are the same as a fresh check's
    with pytest.raises(build_mod.NotValid) as fresh:
        build(root, tmp_path / "fresh", incremental=False)
    assert sorted(err.value.report.items) == sorted(fresh.value.report.items)


def test_only_the_changed_letters_pdf_is_typeset_again(tmp_path, monkeypatch):
    # typeset by forked workers (outputs/pdf.py in_workers): the cache keeps what they made
    from teipress import workers
    from teipress.outputs import typeset as typeset_mod

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("TEIPRESS_JOBS", "2")
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)  # an earlier test's idle thread

    root = edition(tmp_path / "ed", letters=2)
    out = tmp_path / "out"
    build(root, out, only=None)
    typeset = tmp_path.parent / f"{tmp_path.name}-typeset"  # a file: PDFs are made by forked workers
    real = typeset_mod.compile_pdf  # Typst itself

    def counted(main, *a, **k):
        with open(typeset, "a", encoding="utf-8") as fh:
            fh.write(f"{main}\n")
        return real(main, *a, **k)

    monkeypatch.setattr(typeset_mod, "compile_pdf", counted)
    f = root / "tei" / "letter-2.xml"
    f.write_text(f.read_text(encoding="utf-8").replace("wrote from", "wrote again from"), encoding="utf-8")
    build(root, out, only=None)
    assert len(typeset.read_text().splitlines()) == 1  # letter-1's PDF came from the cache
    monkeypatch.setattr(typeset_mod, "compile_pdf", real)
    build(root, tmp_path / "clean", only=None, incremental=False)
    assert same_tree(out, tmp_path / "clean") == []
    # the old PDF of letter-2 is gone from the cache (it holds one build's worth), and a failed
    # build leaves nothing beside the output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean", "ed", "out"]
    assert len(cache_mod.Cache(cache_mod.cache_folder(root, out)).keys("pdf")) == 2


def test_models_made_in_worker_processes_and_from_the_cache_are_the_ones_made_in_one(tmp_path, monkeypatch):
    from lxml import etree

    from teipress import edition as edition_mod
    from teipress.model import EditionModel
    from teipress.model import edition_model

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed", letters=edition_model.PARALLEL_FROM + 2)
    ed = edition_mod.load(root)

    def trees(jobs: str, cache=None) -> list[bytes]:
        monkeypatch.setenv("TEIPRESS_JOBS", jobs)
        em = EditionModel.build(ed, cache=cache)
        return [etree.tostring(d.model) for d in em.documents]

    one = trees("1")
    assert len(one) == edition_model.PARALLEL_FROM + 2
    store = cache_mod.Cache(tmp_path / "cache")
    assert trees("2", store) == one
    assert len(store.used["model"]) == len(one)  # the workers' entries are kept (Cache.prune)
    hits = store.hits  # 0 when the workers made them (their hits are their own)
    assert trees("2", store) == one
    assert trees("1", store) == one and store.hits >= hits + len(one)
    store.finish(tmp_path / "kept")
    assert len(cache_mod.Cache(tmp_path / "kept").keys("model")) == len(one)


def test_a_build_on_every_core_is_the_build_in_one_process(tmp_path, monkeypatch):
    # Schema check, models and HTML pages are made by forked workers (teipress.workers) from
    # this many documents on; the output must not depend on it.
    from teipress import workers
    from teipress.model import edition_model
    from teipress.outputs import html

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed", letters=max(edition_model.PARALLEL_FROM, html.PARALLEL_FROM) + 2)
    # two letters split into a page per division: their pages' fields are gathered by a worker
    (root / "edition.toml").write_text('id = "inc"\ntitle = "Incremental"\nsplit = ["letter-2", "letter-3"]\n',
                                       encoding="utf-8")
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    build(root, tmp_path / "one", incremental=False)
    monkeypatch.setenv("TEIPRESS_JOBS", "2")
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)  # an earlier test's idle thread
    assert workers.forks(edition_model.PARALLEL_FROM + 2, html.PARALLEL_FROM)
    build(root, tmp_path / "two", incremental=False)
    assert (tmp_path / "two" / "html" / "documents" / "letter-2" / "d1.html").is_file()
    assert same_tree(tmp_path / "one", tmp_path / "two") == []


def test_progress_is_shown_when_asked_and_never_in_a_log(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from teipress.cli import main
    from teipress.commands import progress

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed", letters=3)
    only = [a for s in sorted(NO_PDF) for a in ("--only", s)]
    quiet = CliRunner().invoke(main, ["build", str(root), "--out", str(tmp_path / "a"), *only])
    assert quiet.exit_code == 0, quiet.output
    assert "\x1b[K" not in quiet.output and "documents," not in quiet.output  # not a terminal: no display
    shown = CliRunner().invoke(main, ["build", str(root), "--out", str(tmp_path / "b"), "--progress", *only])
    assert shown.exit_code == 0, shown.output
    assert "\r\x1b[Kmodel: 0/3 documents" in shown.output and "model: 3/3 documents" in shown.output
    assert "\r\x1b[Khtml: " in shown.output
    assert shown.output.rstrip("\n").endswith("done")  # cleared before the last line: nothing left over
    assert progress.line("pdf", 50, 200, 100.0) == "pdf: 50/200 documents, 1:40, about 5:00 left"
    assert progress.line("pdf", 0, 200, 3.0) == "pdf: 0/200 documents, 0:03"
    assert progress.clock(3725) == "1:02:05"


def test_a_failed_build_leaves_the_output_and_its_cache_as_they_were(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed", letters=2)
    out = tmp_path / "out"
    build(root, out)
    before = sorted((p.relative_to(out), p.stat().st_mtime_ns) for p in out.rglob("*"))
    f = root / "tei" / "letter-1.xml"
    f.write_text(f.read_text(encoding="utf-8").replace("wrote from", "wrote (edited) from"), encoding="utf-8")
    from teipress.outputs import search

    monkeypatch.setattr(search, "build", lambda ctx: (_ for _ in ()).throw(build_mod.BuildError("no index")))
    with pytest.raises(build_mod.BuildError):
        build(root, out)
    assert sorted((p.relative_to(out), p.stat().st_mtime_ns) for p in out.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ed", "out"]  # no staging folder left


def test_after_one_edit_only_that_file_is_schema_checked_and_modelled_again(tmp_path, monkeypatch):
    import importlib

    from teipress.validation import schema

    behaviour = importlib.import_module("teipress.model.behaviour")  # the package's name is a function

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    # In one process: with more, the one edited file is schema-checked by a child (workers.aside).
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    root = edition(tmp_path / "ed", letters=3)
    out = tmp_path / "out"
    build(root, out)
    checked, modelled = [], []
    real_validate, real_stylesheet = schema.validate, behaviour.stylesheet
    monkeypatch.setattr(schema, "validate", lambda report, m, path, tree, *fast: checked.append(path.name)
                        or real_validate(report, m, path, tree, *fast))
    monkeypatch.setattr(behaviour, "stylesheet", lambda *a: modelled.append(a[0]) or real_stylesheet(*a))
    f = root / "tei" / "letter-2.xml"
    f.write_text(f.read_text(encoding="utf-8").replace("wrote from", "wrote again from"), encoding="utf-8")
    build(root, out)
    assert checked == ["letter-2.xml"]
    # the edited letter, and the register's header (for its title); the other letters' models are the cache's
    assert len([m for m in modelled if m.endswith("model.xsl")]) == 2
    build(root, tmp_path / "clean", incremental=False)
    assert same_tree(out, tmp_path / "clean") == []


def test_the_scale_benchmark_makes_valid_editions_of_distinct_letters(shared, tmp_path):
    import sys

    from conftest import REPO
    from teipress import edition as edition_mod
    from teipress.commands.validate import validate_edition
    from teipress.validation.diagnostics import Report

    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import benchmark_scale
    finally:
        sys.path.remove(str(REPO / "scripts"))
    root = benchmark_scale.generate(20, tmp_path / "letters")
    ed = edition_mod.load(root)
    assert len(ed.documents) == 20 and [f.rel for f in ed.registers] == ["people.xml"]
    assert len({f.id for f in ed.documents}) == 20
    texts = {" ".join(f.root.find(".//{http://www.tei-c.org/ns/1.0}body").itertext()) for f in ed.documents}
    assert len(texts) == 20  # no two letters alike
    report = Report(base=tmp_path)
    validate_edition(ed, report)
    assert report.errors == []
    assert benchmark_scale.moved("1857-02-14", 3, 20) == "1860-03-05" and benchmark_scale.moved("1877-02", -1, 5) == "1876-02"


# -- the page cache (teipress.outputs.page_cache) ------------------------------------------
def correspondence_letter(n: int, day: int, title: str | None = None) -> str:
    """A letter with correspDesc (so its page shows its neighbours), naming both persons."""
    sender, recipient = ("anna", "bert") if n % 2 else ("bert", "anna")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="l{n}" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>{title or f"Letter {n}"}</title><editor>Erika Editor</editor></titleStmt>
      <publicationStmt><publisher>Letters Project</publisher><date when="2026">2026</date></publicationStmt>
      <sourceDesc><p>Autograph.</p></sourceDesc>
    </fileDesc>
    <profileDesc><correspDesc>
      <correspAction type="sent"><persName ref="persons.xml#{sender}">{sender.title()}</persName><date when="1900-01-{day:02d}"/></correspAction>
      <correspAction type="received"><persName ref="persons.xml#{recipient}">{recipient.title()}</persName></correspAction>
    </correspDesc></profileDesc>
  </teiHeader>
  <text><body><p><persName ref="persons.xml#{sender}">{sender.title()}</persName> wrote on day {day}.</p></body></text>
</TEI>
"""


def letters_edition(root: Path) -> Path:
    (root / "tei" / "schema").mkdir(parents=True)
    shutil.copy(SCHEMA, root / "tei" / "schema" / "teipress.xsd")
    for n in range(1, 6):
        (root / "tei" / f"l{n}.xml").write_text(correspondence_letter(n, 2 * n), encoding="utf-8")
    (root / "tei" / "persons.xml").write_text(PERSONS, encoding="utf-8")
    (root / "edition.toml").write_text('id = "letters"\ntitle = "Letters"\n', encoding="utf-8")
    return root


def edit_letters(root: Path, kind: str) -> None:
    tei = root / "tei"
    l3 = tei / "l3.xml"
    if kind == "text":  # the letter's own page only
        l3.write_text(l3.read_text(encoding="utf-8").replace("wrote on", "wrote again on"), encoding="utf-8")
    elif kind == "title":  # its neighbours' pages name it
        l3.write_text(correspondence_letter(3, 6, "A letter of three"), encoding="utf-8")
    elif kind == "date":  # the letters' order: other neighbours
        l3.write_text(correspondence_letter(3, 11), encoding="utf-8")
    elif kind == "register":  # a name every letter's side panel and letter head show
        p = tei / "persons.xml"
        p.write_text(p.read_text(encoding="utf-8").replace("Anna Example", "Anna Example-Berg"), encoding="utf-8")
    elif kind == "life":  # a person's dates: only the side panels of the letters naming her show them
        p = tei / "persons.xml"
        p.write_text(p.read_text(encoding="utf-8").replace('<birth when="1900"/>', '<birth when="1901"/>'),
                     encoding="utf-8")
    elif kind == "toml":  # the edition's title: in every page
        (root / "edition.toml").write_text('id = "letters"\ntitle = "Letters, second edition"\n', encoding="utf-8")
    elif kind == "add":  # a letter between l2 and l3
        (tei / "l6.xml").write_text(correspondence_letter(6, 5), encoding="utf-8")
    elif kind == "remove":
        l3.unlink()


def rebuild_after(tmp_path: Path, monkeypatch, kind: str) -> tuple[list[str], list[str]]:
    """(the documents whose pages were rendered again, the files that differ from a clean build)."""
    from teipress.outputs import html

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    root = letters_edition(tmp_path / "ed")
    out = tmp_path / "out"
    build(root, out)
    rendered = []
    real_fill = html.fill
    monkeypatch.setattr(html, "fill", lambda em, page: rendered.append(page.id) or real_fill(em, page))
    edit_letters(root, kind)
    if kind == "epoch":  # another build date: in the footer of every page
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")
    build(root, out)
    monkeypatch.setattr(html, "fill", real_fill)
    build(root, tmp_path / "clean", incremental=False)
    return rendered, same_tree(out, tmp_path / "clean")


@pytest.mark.parametrize("kind", ["text", "title", "date", "register", "life", "toml", "epoch", "add", "remove"])
def test_pages_from_the_page_cache_are_those_of_a_clean_build(tmp_path, monkeypatch, kind):
    rendered, differ = rebuild_after(tmp_path, monkeypatch, kind)
    assert differ == []
    if kind == "text":  # the other letters' pages came from the cache
        assert rendered == ["l3"]
    elif kind == "title":  # the letter and its neighbours, which name it
        assert sorted(rendered) == ["l2", "l3", "l4"]
    elif kind == "add":
        assert "l6" in rendered and "l2" in rendered and "l3" in rendered


def test_an_unchanged_document_page_is_not_rendered_again(tmp_path, monkeypatch):
    rendered, differ = rebuild_after(tmp_path, monkeypatch, "none")
    assert rendered == [] and differ == []


@pytest.mark.parametrize("parts, kind", [(["_letter"], "title"), (["Models.of"], "text"),
                                         (["edition_digest"], "epoch"),
                                         # a person's dates are in the models of the letters naming
                                         # her (their pointers resolved) as well as in the side panel
                                         (["_entries", "Models.of"], "life")])
def test_a_key_missing_what_a_page_shows_gives_a_stale_page(tmp_path, monkeypatch, parts, kind):
    # The test above would catch a key that leaves out one of these: with it left out, the
    # rebuilt site differs from a clean build.
    from teipress.outputs import page_cache

    for part in parts:
        if part == "Models.of":  # (the digests of the models, read or kept)
            monkeypatch.setattr(page_cache.Models, "of", lambda self, d: (["left out"], []))
        else:
            monkeypatch.setattr(page_cache, part, lambda *a: "left out")
    _rendered, differ = rebuild_after(tmp_path, monkeypatch, kind)
    assert differ != []


def test_the_pages_of_a_split_document_from_the_page_cache(tmp_path, monkeypatch):
    # A split document's pages (its contents, a page per division) and the letters linking
    # into them: after each edit, byte for byte a clean build.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    root = edition(tmp_path / "ed", letters=3)
    (root / "edition.toml").write_text('id = "inc"\ntitle = "Incremental"\nsplit = ["letter-2"]\n', encoding="utf-8")
    out = tmp_path / "out"
    build(root, out)
    assert (out / "html" / "documents" / "letter-2" / "d1.html").is_file()
    tei = root / "tei"
    edits = [(tei / "letter-2.xml", "wrote from", "wrote (split) from"),
             (tei / "letter-2.xml", '<head>Letter of', '<head>A letter of'),
             (tei / "persons.xml", "Anna Example", "Anna Example-Split"),
             (tei / "letter-1.xml", "wrote from", "wrote (whole) from")]
    for step, (f, old, new) in enumerate(edits):
        text = f.read_text(encoding="utf-8")
        assert old in text
        f.write_text(text.replace(old, new), encoding="utf-8")
        build(root, out)
        build(root, tmp_path / f"clean-{step}", incremental=False)
        assert same_tree(out, tmp_path / f"clean-{step}") == [], step


@pytest.mark.parametrize("left_out", [None, "_parallel"])
def test_an_original_page_shows_its_translations_alignment_from_the_page_cache(tmp_path, monkeypatch, left_out):
    # The original's page counts the units aligned with its translation: an edit to the
    # translation alone changes it.
    from test_parallel import ORIGINAL, TRANSLATION
    from teipress.outputs import page_cache

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = tmp_path / "ed"
    (root / "tei" / "schema").mkdir(parents=True)
    shutil.copy(SCHEMA, root / "tei" / "schema" / "teipress.xsd")
    (root / "tei" / "letter-ru.xml").write_text(ORIGINAL, encoding="utf-8")
    (root / "tei" / "letter-en.xml").write_text(TRANSLATION, encoding="utf-8")
    (root / "edition.toml").write_text('id = "par"\ntitle = "Parallel"\n', encoding="utf-8")
    if left_out:
        monkeypatch.setattr(page_cache, left_out, lambda *a: "left out")
    out = tmp_path / "out"
    build(root, out)
    f = root / "tei" / "letter-en.xml"
    old = '<p corresp="letter-ru.xml#o2">The weather is fine, and we walked along the embankment.</p>'
    new = ('<p corresp="letter-ru.xml#o2">The weather is fine.</p>\n'
           '    <p corresp="letter-ru.xml#o3">We walked along the embankment.</p>')
    assert old in f.read_text(encoding="utf-8")
    f.write_text(f.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    build(root, out)
    build(root, tmp_path / "clean", incremental=False)
    differ = same_tree(out, tmp_path / "clean")
    if left_out:
        assert "html/documents/letter-ru.html" in differ
    else:
        assert differ == []

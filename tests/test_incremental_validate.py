"""Loading and validation of an incremental build (teipress.validation.recall): after any edit,
the report is the one a clean build gives, diagnostic for diagnostic, though a build in which a
few files changed reads and checks only those."""
from __future__ import annotations

import os
import random
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

from teipress import edition as edition_mod
from teipress.commands import build as build_mod
from teipress.commands import cache as cache_mod
from teipress.validation import recall

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def generated(shared, tmp_path_factory):
    """A generated edition of 30 letters (scripts/benchmark_scale.py) and Escher's register."""
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import benchmark_scale
    finally:
        sys.path.remove(str(REPO / "scripts"))
    return benchmark_scale.generate(30, tmp_path_factory.mktemp("gen") / "letters")


def fresh(generated: Path, tmp_path: Path) -> Path:
    root = tmp_path / "ed"
    shutil.copytree(generated, root)
    return root


def report_of(root: Path, store: cache_mod.Cache | None = None):
    """What loading and validation say: every diagnostic (counted), the printed report, the
    summary, and which files are registers; the cache of a valid edition finished, as build does."""
    try:
        result = build_mod.load_and_validate(root, cache=store)
        report, files, ed = result.report, result.files, result.edition
    except build_mod.NotValid as exc:
        report, files, ed = exc.report, exc.files, None
    kinds = sorted((f.rel, f.kind) for f in ed.files) if ed is not None else None
    return Counter(report.items), [str(d) for d in report.sorted()], report.summary(files), kinds, ed


def incremental(root: Path, out: Path):
    """One incremental build's loading and validation, its cache made whole only when valid."""
    folder = cache_mod.cache_folder(root, out)
    store = cache_mod.Cache(folder)
    store.staging = cache_mod.staging_folder(folder)
    try:
        got = report_of(root, store)
        if got[4] is not None:
            new = folder.with_name(folder.name + ".new")
            store.finish(new)
            cache_mod.replace(folder, new)
        return got
    finally:
        shutil.rmtree(store.staging, ignore_errors=True)


def letters(root: Path) -> list[Path]:
    return sorted((root / "tei").glob("[SE]*.xml"))


def edit(rng: random.Random, root: Path, step: int) -> str:
    """An editor's change, chosen at random among those that matter to the integrity rules."""
    tei = root / "tei"
    kind = rng.choice(["word", "word", "add-id", "rename-id", "break", "fix", "bare", "register", "delete",
                       "add", "rename-file", "key", "cross", "cross", "schema"])
    f = rng.choice(letters(root))
    text = f.read_text(encoding="utf-8")
    if kind == "word":
        text = text.replace("<p>", f"<p>Korrektur {step} ", 1)
    elif kind == "add-id":  # a new id (a bare pointer to it now finds it in this file)
        m = re.search(r'target="([A-Za-z][\w.-]*)"', text)
        new = m.group(1) if m else f"new-{step}"
        text = text.replace("<p>", f'<p xml:id="{new}">', 1)
    elif kind == "rename-id":  # an id others (and its own file) point to
        m = re.search(r'<person xml:id="([^"]+)"', text)
        if m:
            text = text.replace(f'xml:id="{m.group(1)}"', f'xml:id="{m.group(1)}-x{step}"', 1)
    elif kind == "break":
        text = re.sub(r'ref="#([^"]+)"', rf'ref="#missing-{step}"', text, count=1)
    elif kind == "fix":
        text = re.sub(r'ref="#missing-\d+"', 'ref="#pmb50"', text)
    elif kind == "bare":
        text = re.sub(r'target="B(\d+)"', rf'target="B{step}\1"', text, count=1)
    elif kind == "cross":  # a letter points into the register (which a register edit may break)
        text = re.sub(r'ref="#[^"]+"', f'ref="people.xml#{first_person(root)}"', text, count=1)
    elif kind == "schema":  # an element no schema allows there
        text = text.replace("<p>", f"<p><bogus n='{step}'/>", 1)
    elif kind == "key":
        text = re.sub(r'key="[^"]*"', 'key="Escher (vom Glas) Alfred"', text, count=1)
    elif kind == "register":  # a new person in the register, and one gone
        p = tei / "people.xml"
        reg = p.read_text(encoding="utf-8")
        if step % 2:
            reg = reg.replace("<person ", f'<person xml:id="added-{step}"><persName>Added {step}</persName>'
                                          "</person><person ", 1)
        else:
            reg = re.sub(r'<person xml:id="[^"]+"', '<person xml:id="gone-%d"' % step, reg, count=1)
        p.write_text(reg, encoding="utf-8")
        return kind
    elif kind == "delete" and len(letters(root)) > 3:
        f.unlink()
        return kind
    elif kind == "add":
        (tei / f"E9{step:04d}.xml").write_text(text.replace('xml:id="', f'xml:id="a{step}', 1), encoding="utf-8")
        return kind
    elif kind == "rename-file":
        f.rename(f.with_name(f"E8{step:04d}.xml"))
        return kind
    f.write_text(text, encoding="utf-8")
    return kind


def first_person(root: Path) -> str:
    return re.search(r'<person xml:id="([^"]+)"', (root / "tei" / "people.xml").read_text(encoding="utf-8")).group(1)


def same(a, b) -> bool:
    return a[:4] == b[:4]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edits_give_the_report_of_a_clean_build(generated, tmp_path, seed):
    root = fresh(generated, tmp_path)
    out = tmp_path / "out"
    first = incremental(root, out)
    assert same(first, report_of(root)) and first[0]  # (the generated letters have warnings)
    rng = random.Random(seed)
    kinds = []
    for step in range(8):
        kinds.append(edit(rng, root, step))
        got = incremental(root, out)
        want = report_of(root)
        assert got[2] == want[2], kinds
        assert got[1] == want[1], kinds
        assert same(got, want), kinds


def built_then_edited(generated, tmp_path, index: int, opening: str):
    """A fresh copy of the generated edition built incrementally, then its letter *index* given
    *opening* at the start of its first paragraph: (edition, output folder, the letter)."""
    root = fresh(generated, tmp_path)
    out = tmp_path / "out"
    incremental(root, out)
    f = letters(root)[index]
    f.write_text(f.read_text(encoding="utf-8").replace("<p>", "<p>" + opening, 1), encoding="utf-8")
    return root, out, f


def test_one_changed_letter_is_the_only_file_read_and_checked(generated, tmp_path, monkeypatch):
    root, out, f = built_then_edited(generated, tmp_path, 3, "Korrektur ")
    checked = []
    from teipress.validation import rules

    real = rules.file_rules
    monkeypatch.setattr(rules, "file_rules", lambda ed, g, *a: checked.append(g.rel) or real(ed, g, *a))
    got = incremental(root, out)
    assert checked == [f.relative_to(root / "tei").as_posix()]
    assert got[4].recall.reusable
    read = [g.rel for g in got[4].files if g._facts is not None]
    assert read == checked  # no other file's facts were read from the cache
    monkeypatch.undo()
    assert same(got, report_of(root))


def test_one_changed_letter_rewrites_one_shard_of_the_memo(generated, tmp_path, monkeypatch):
    """The memo's file records are kept in shards: a build writes only the changed letter's
    again, and a shard lost or damaged is a miss (every file checked, the same report)."""
    # (files written just before they are read are read again, and their records renewed:
    # the test's files are all that new)
    monkeypatch.setattr(cache_mod, "RACY_NS", 0)
    root, out, f = built_then_edited(generated, tmp_path, 3, "Korrektur ")
    put = []
    real = cache_mod.Cache.put
    monkeypatch.setattr(cache_mod.Cache, "put", lambda self, kind, key, data: put.append(kind) or real(self, kind, key, data))
    got = incremental(root, out)
    assert got[4].recall.reusable
    assert put.count(recall.SHARD) == 1 and put.count(recall.KIND) == 1
    monkeypatch.setattr(cache_mod.Cache, "put", real)
    assert same(got, report_of(root))
    # a shard damaged on disk: its CRC fails, the memo is not used, the report is a clean build's
    store = cache_mod.Cache(cache_mod.cache_folder(root, out))
    memo = recall.previous(store, root)
    assert memo is not None and len(memo.files) == len(got[4].files)
    pack, at, length, _crc = store.locate(recall.SHARD, memo.shards[recall._shard_of(f.relative_to(root / "tei").as_posix())])
    store.close()
    with open(pack, "r+b") as fh:
        fh.seek(at + length // 2)
        byte = fh.read(1)
        fh.seek(at + length // 2)
        fh.write(bytes([byte[0] ^ 0xFF]))
    assert recall.previous(cache_mod.Cache(cache_mod.cache_folder(root, out)), root) is None
    f.write_text(f.read_text(encoding="utf-8").replace("Korrektur ", "Korrektur zwei ", 1), encoding="utf-8")
    again = incremental(root, out)
    assert not again[4].recall.reusable and same(again, report_of(root))


def test_a_file_changed_in_the_tick_it_was_read_is_read_again(generated, tmp_path, monkeypatch):
    """A file system whose times are coarse (1 s, 2 s) keeps a file's time when it is written
    again within the tick it was read in; its stat is not trusted then (git's racy rule)."""
    root = fresh(generated, tmp_path)
    out = tmp_path / "out"
    f = letters(root)[0]
    real_stat = os.stat
    frozen = {}

    def coarse(path, *a, **kw):  # the stat of a coarse file system: times and inode as first seen
        st = real_stat(path, *a, **kw)
        if Path(path) == f:
            frozen.setdefault("st", st)
            old = frozen["st"]
            return os.stat_result((st.st_mode, old.st_ino, old.st_dev, st.st_nlink, st.st_uid, st.st_gid,
                                   st.st_size, int(old.st_atime), int(old.st_mtime), int(old.st_ctime),
                                   old.st_atime, old.st_mtime, old.st_ctime,
                                   old.st_atime_ns, old.st_mtime_ns, old.st_ctime_ns))
        return st

    monkeypatch.setattr(recall.os, "stat", coarse)
    incremental(root, out)
    text = f.read_text(encoding="utf-8")
    f.write_text(re.sub(r'target="B(\d)', r'target="B9', text, count=1), encoding="utf-8")  # same size
    assert f.stat().st_size == len(text.encode("utf-8"))
    assert same(incremental(root, out), report_of(root))
    # Its stat is trusted once it is older than a tick before the reading:
    monkeypatch.setattr(cache_mod, "RACY_NS", -10**12)
    f.write_text(text, encoding="utf-8")
    assert not same(incremental(root, out), report_of(root))  # (so the test above can fail)


@pytest.mark.parametrize("sabotaged", [False, True])
def test_a_sabotaged_memo_fails_the_comparison(generated, tmp_path, monkeypatch, sabotaged):
    """What other files' findings depend on is in recall.outward: leave the register's entries
    out of it, and a person taken out of the register goes unnoticed by the letter naming it."""
    if sabotaged:
        monkeypatch.setattr(recall, "outward", lambda facts: facts.shape)
    root = fresh(generated, tmp_path)
    out = tmp_path / "out"
    f = letters(root)[5]
    gone = first_person(root)
    f.write_text(f.read_text(encoding="utf-8").replace("<p>", f'<p><persName ref="people.xml#{gone}">X</persName>', 1),
                 encoding="utf-8")
    incremental(root, out)
    p = root / "tei" / "people.xml"
    p.write_text(p.read_text(encoding="utf-8").replace(f'xml:id="{gone}"', f'xml:id="{gone}-gone"'), encoding="utf-8")
    assert same(incremental(root, out), report_of(root)) != sabotaged


def test_a_kept_edition_loads_as_a_clean_one(generated, tmp_path):
    """An edition loaded with the memo has the same files, kinds, documents and entries."""
    root, out, f = built_then_edited(generated, tmp_path, 1, "Noch ")
    ed = incremental(root, out)[4]
    clean = edition_mod.load(root)
    assert ed.recall.reusable
    assert [(g.rel, g.kind, g.id, g.digest) for g in ed.documents] == \
        [(g.rel, g.kind, g.id, g.digest) for g in clean.documents]
    assert sorted(ed.entries) == sorted(clean.entries)
    assert [g.facts == h.facts for g, h in zip(ed.files, clean.files)] == [True] * len(clean.files)


def test_the_changed_files_schema_check_done_aside_is_the_clean_builds(generated, tmp_path, monkeypatch):
    """The one changed file's schema check is made by a forked child while the rest of the
    edition is recalled (workers.aside); its diagnostics are those a clean build gives."""
    from teipress import workers

    monkeypatch.setenv("TEIPRESS_JOBS", "2")
    root, out, f = built_then_edited(generated, tmp_path, 2, "<bogus/>")
    asides = []
    real = workers.aside
    monkeypatch.setattr(workers, "aside", lambda fn: asides.append(fn) or real(fn))
    got = incremental(root, out)
    assert len(asides) == 1
    want = report_of(root)
    assert same(got, want) and any("bogus" in line for line in want[1])


def test_a_build_from_another_folder_checks_only_the_changed_file(generated, tmp_path, monkeypatch):
    """The memo names files from the folder the last build ran in; a build run from elsewhere
    renames its findings (recall.localise) instead of checking every file again, and its report
    is the one a clean build run there gives."""
    from teipress.commands import validate as validate_mod
    from teipress.validation import rules

    first, second = tmp_path, tmp_path.parent  # (the edition is named from each: 'ed/…', 'x/ed/…')
    monkeypatch.chdir(first)
    root, out, f = built_then_edited(generated, tmp_path, 5, "Korrektur ")
    monkeypatch.chdir(second)
    checked, schema_checked = [], []
    real_rules, real_schemas = rules.file_rules, validate_mod._validate_schemas
    monkeypatch.setattr(rules, "file_rules", lambda ed, g, *a: checked.append(g.rel) or real_rules(ed, g, *a))
    monkeypatch.setattr(validate_mod, "_validate_schemas",
                        lambda report, todo, jobs: schema_checked.extend(g.rel for g, _m in todo)
                        or real_schemas(report, todo, jobs))
    got = incremental(root, out)
    monkeypatch.undo()
    monkeypatch.chdir(second)
    rel = f.relative_to(root / "tei").as_posix()
    assert checked == [rel]
    assert set(schema_checked) <= {rel}  # (the changed file's check may be done while loading)
    want = report_of(root)
    assert got[1] == want[1] and same(got, want)
    assert any(line.startswith(os.path.relpath(root, second)) for line in got[1])  # named from here


def test_an_up_to_date_build_names_files_from_where_it_runs(generated, tmp_path, monkeypatch):
    """A no-op build prints the last build's diagnostics named from the folder it runs in."""
    root = fresh(generated, tmp_path)
    first, second = tmp_path, tmp_path.parent
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.chdir(first)
    built = build_mod.build(root, tmp_path / "out", only={"html"}, incremental=True)
    assert not built.up_to_date and built.report.items
    monkeypatch.chdir(second)
    again = build_mod.build(root, tmp_path / "out", only={"html"}, incremental=True)
    assert again.up_to_date
    here = os.path.relpath(root, second)
    assert {d.path.split(os.sep + "tei" + os.sep)[0] for d in again.report.items} == {here}
    assert sorted(str(d) for d in again.report.items) == sorted(
        str(d).replace(os.path.relpath(root, first), here, 1) for d in built.report.items)

"""The documents' models are begun in forked workers while the edition is validated
(commands/build.py load_and_validate's ahead): a build that may go on uses them, and is the
same bytes as one made in a single process; one that may not stops them, and leaves no
output and no cache."""
from __future__ import annotations

import multiprocessing

import pytest

from test_incremental import EPOCH, NO_PDF, edition, same_tree
from teipress import workers
from teipress.commands import build as build_mod
from teipress.commands import cache as cache_mod
from teipress.model import edition_model


@pytest.fixture
def begun(monkeypatch):
    """Forking allowed (an earlier test's idle thread aside); every Begun made, and whether it
    was closed unread."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("TEIPRESS_JOBS", "2")
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    made = []
    real = edition_model.begin

    def begin(ed, cache=None):
        b = real(ed, cache)
        if b is not None:
            b.closed = False
            close = b.close

            def closing():
                b.closed = True
                close()
            b.close = closing
            made.append(b)
        return b

    monkeypatch.setattr(edition_model, "begin", begin)
    return made


def letters() -> int:
    return edition_model.PARALLEL_FROM + 2


def broken(root, n: int = 3) -> None:
    """Letter *n* points at a person the register does not have (an integrity error)."""
    f = root / "tei" / f"letter-{n}.xml"
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("persons.xml#anna", "persons.xml#nobody").replace("persons.xml#bert", "persons.xml#nobody"),
                 encoding="utf-8")


def test_models_begun_while_validating_are_the_build(tmp_path, monkeypatch, begun):
    root = edition(tmp_path / "ed", letters=letters())
    build_mod.build(root, tmp_path / "ahead", only=NO_PDF, incremental=True)
    assert len(begun) == 1 and not begun[0].closed  # made while validating, and read
    monkeypatch.setenv("TEIPRESS_JOBS", "1")  # (nothing forked: nothing begun)
    build_mod.build(root, tmp_path / "one", only=NO_PDF, incremental=False)
    assert len(begun) == 1
    assert same_tree(tmp_path / "one", tmp_path / "ahead") == []


def test_an_edition_refused_stops_the_models_begun_and_keeps_nothing(tmp_path, begun):
    root = edition(tmp_path / "ed", letters=letters())
    broken(root)
    out = tmp_path / "out"
    with pytest.raises(build_mod.NotValid) as refused:
        build_mod.build(root, out, only=NO_PDF, incremental=True)
    assert any(d.rule == "pointer-resolves" and d.path.endswith("letter-3.xml") for d in refused.value.report.errors)
    assert len(begun) == 1 and begun[0].closed
    assert multiprocessing.active_children() == []  # the models' workers are gone
    assert not out.exists()
    folder = cache_mod.cache_folder(root, out)
    assert not folder.exists() and list(folder.parent.glob("*")) == []  # no cache, no staging left


def test_files_left_out_get_models_made_for_what_is_built(tmp_path, monkeypatch, begun):
    root = edition(tmp_path / "ed", letters=letters())
    broken(root)
    r = build_mod.build(root, tmp_path / "ahead", only=NO_PDF, incremental=True, keep_going=True)
    assert [x.where.split(":")[0].endswith("letter-3.xml") for x in r.left_out] == [True]
    assert len(begun) == 1 and begun[0].closed  # begun for the whole edition: not what is built
    assert not (tmp_path / "ahead" / "tei" / "letter-3.xml").exists()
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    build_mod.build(root, tmp_path / "one", only=NO_PDF, incremental=False, keep_going=True)
    assert same_tree(tmp_path / "one", tmp_path / "ahead") == []


def test_models_that_fail_before_validation_leave_the_report_to_validation(tmp_path, monkeypatch, begun):
    # An edition not yet validated may break its models anywhere: what validation finds is said.
    root = edition(tmp_path / "ed", letters=letters())
    broken(root)

    def fails(ed):
        raise KeyError("nobody")

    monkeypatch.setattr(edition_model.Names, "of", staticmethod(fails))
    with pytest.raises(build_mod.NotValid) as refused:
        build_mod.build(root, tmp_path / "out", only=NO_PDF, incremental=True)
    assert any(d.rule == "pointer-resolves" for d in refused.value.report.errors)
    assert begun == [] and not (tmp_path / "out").exists()

"""The whole build is a pure function of the sources and SOURCE_DATE_EPOCH."""
from __future__ import annotations

import hashlib

from conftest import REPO
from teipress.commands import build as build_mod
from teipress.edition import load


def digests(root):
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    a, b = tmp_path / "a", tmp_path / "b"
    build_mod.run(load(REPO), a)
    build_mod.run(load(REPO), b)
    da, db = digests(a), digests(b)
    assert {k.split("/")[0] for k in da} >= {"tei", "html"}
    assert da == db


def test_build_date_follows_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    build_mod.run(load(REPO), tmp_path / "a", only={"sources", "html"})
    home = (tmp_path / "a" / "html" / "index.html").read_text(encoding="utf-8")
    assert "2026-01-01" in home


def test_an_edition_in_several_languages_is_byte_identical_too(shared, tmp_path, monkeypatch):
    """Letters in German and plays in Russian and German: Pagefind indexes each language apart,
    and its entry file lists them in hash order unless teipress sorts it."""
    import shutil

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    (tmp_path / "ed" / "tei").mkdir(parents=True)
    for pattern in ("letters/schnitzler-briefe/*.xml", "dracor/*/*.xml", "frus/*/*.xml"):
        for p in sorted((shared / "corpora").glob(pattern)):
            shutil.copy(p, tmp_path / "ed" / "tei" / p.name)
    runs = []
    for name in ("a", "b", "c"):
        build_mod.run(load(tmp_path / "ed"), tmp_path / name, only={"html"})
        runs.append(digests(tmp_path / name / "html"))
    import json

    entry = json.loads((tmp_path / "a" / "html" / "pagefind" / "pagefind-entry.json").read_text())
    assert len(entry["languages"]) >= 2
    assert runs[0] == runs[1] == runs[2]

"""The incremental build's cache of the edition's own pages (teipress.outputs.edition_cache):
after an edit the site is byte for byte a clean build's, only what shows the edit is rendered
again, and a key that leaves out a part of what a page shows gives a stale page."""
from __future__ import annotations

from pathlib import Path

import pytest

from test_incremental import EPOCH, build, edit_letters, letters_edition, same_tree
from teipress.outputs import edition_cache


def rebuild_after(tmp_path: Path, monkeypatch, kind: str) -> tuple[dict[str, int], list[str]]:
    """(register entries rendered again per register page, the files that differ from a clean build)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    root = letters_edition(tmp_path / "ed")
    out = tmp_path / "out"
    build(root, out)
    rendered: dict[str, int] = {}
    real_save = edition_cache.Fragments.save

    def save(self):
        rendered[self.page] = self.rendered
        real_save(self)

    monkeypatch.setattr(edition_cache.Fragments, "save", save)
    edit_letters(root, kind)
    if kind == "epoch":
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")
    build(root, out)
    monkeypatch.setattr(edition_cache.Fragments, "save", real_save)
    build(root, tmp_path / "clean", incremental=False)
    return rendered, same_tree(out, tmp_path / "clean")


@pytest.mark.parametrize("kind", ["text", "title", "date", "register", "life", "toml", "epoch",
                                  "add", "remove"])
def test_register_pages_from_the_cache_are_those_of_a_clean_build(tmp_path, monkeypatch, kind):
    rendered, differ = rebuild_after(tmp_path, monkeypatch, kind)
    assert differ == []
    assert "persons.html" in rendered
    if kind in ("text", "life", "register"):
        # l3's sender (Anna): the words after her name, her dates, her name; Bert is not rendered again
        assert rendered["persons.html"] == 1
    elif kind in ("toml", "epoch"):  # in every page
        assert rendered["persons.html"] == 2


@pytest.mark.parametrize("part, kind", [("_mentions", "text"), ("_mentions", "title"), ("_facts", "life"),
                                        ("_facts", "register")])
def test_a_register_entry_key_missing_what_it_shows_gives_a_stale_page(tmp_path, monkeypatch, part, kind):
    # The test above would catch a key that leaves out one of these: with it left out, the
    # register page differs from a clean build's.
    monkeypatch.setattr(edition_cache, part, lambda *a: "left out")
    _rendered, differ = rebuild_after(tmp_path, monkeypatch, kind)
    assert "html/persons.html" in differ


@pytest.mark.parametrize("left_out", [False, True])
def test_an_entry_template_of_the_edition_renders_every_entry_again(tmp_path, monkeypatch, left_out):
    # The edition's own templates/ may hold register_entry.html: the key's edition part
    # (page_cache.edition_digest) has them; without it the entries are stale.
    from conftest import REPO

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    if left_out:
        real = edition_cache.entry_key
        monkeypatch.setattr(edition_cache, "entry_key", lambda edition, root, e: real("", root, e))
    root = letters_edition(tmp_path / "ed")
    out = tmp_path / "out"
    build(root, out)
    shipped = (REPO / "teipress" / "templates" / "register_entry.html").read_text(encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates" / "register_entry.html").write_text(
        shipped.replace('<li class="tp-entry"', '<li class="tp-entry tp-mine"'), encoding="utf-8")
    build(root, out)
    build(root, tmp_path / "clean", incremental=False)
    assert "tp-mine" in (tmp_path / "clean" / "html" / "persons.html").read_text(encoding="utf-8")
    differ = same_tree(out, tmp_path / "clean")
    assert ("html/persons.html" in differ) if left_out else differ == []

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
                                        ("_facts", "register"), ("_descriptions", "register"),
                                        ("_descriptions", "life")])
def test_a_register_entry_key_missing_what_it_shows_gives_a_stale_page(tmp_path, monkeypatch, part, kind):
    # The test above would catch a key that leaves out one of these: with it left out, the
    # register page differs from a clean build's.
    monkeypatch.setattr(edition_cache, part, lambda *a: "left out")
    _rendered, differ = rebuild_after(tmp_path, monkeypatch, kind)
    assert "html/persons.html" in differ


@pytest.mark.parametrize("kind", ["text", "title", "date"])
def test_an_entry_key_kept_without_the_documents_naming_it_gives_a_stale_page(tmp_path, monkeypatch, kind):
    # An entry's key is found again by its inputs (edition_cache.entry_keys): with the documents
    # naming it (their page keys) left out of them, its old key, and its old rendering, come back.
    monkeypatch.setattr(edition_cache, "_named", lambda e, page_keys: [])
    _rendered, differ = rebuild_after(tmp_path, monkeypatch, kind)
    assert "html/persons.html" in differ


EVERY = ["anna", "bert", "vienna"]


@pytest.mark.parametrize("kind, again", [("text", ["anna"]), ("life", EVERY),
                                         ("toml", EVERY), ("epoch", EVERY)])
def test_only_the_keys_of_entries_whose_inputs_changed_are_worked_out_again(tmp_path, monkeypatch, kind, again):
    # l3 names Anna only (Vienna is on the places page); her dates are in persons.xml, which
    # describes Bert too, and in the side panels of the letters naming her, which name Vienna
    worked: list[str] = []
    real = edition_cache.entry_key
    monkeypatch.setattr(edition_cache, "entry_key",
                        lambda edition, root, e: worked.append(e.anchor) or real(edition, root, e))
    _rendered, differ = rebuild_after(tmp_path, monkeypatch, kind)
    assert differ == []
    # the first build works out every entry's key; the edited build those of the entries whose
    # inputs changed (the clean build, without a cache, keeps none)
    assert worked[:3] == EVERY and worked[3:] == again


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


# -- the pages made of the whole edition (home, letters, about, chronology) ----------------
def rebuild_pages_after(tmp_path: Path, monkeypatch, edit, left_out: str | None = None):
    """(the edition pages rendered again, the files that differ from a clean build) after *edit*
    of a mini edition whose letters have dates in their text (the chronology) and changes."""
    from test_incremental import edition
    from teipress.outputs import html

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    if left_out:  # the page's key without what its key function reads
        template = next(t for t, f in edition_cache.PAGE_KEYS.items() if f.__name__ == left_out)
        monkeypatch.setitem(edition_cache.PAGE_KEYS, template, lambda site: "left out")
    root = edition(tmp_path / "ed", letters=3)
    (root / "edition.toml").write_text('id = "inc"\ntitle = "Incremental"\n', encoding="utf-8")
    out = tmp_path / "out"
    build(root, out)
    rendered = []
    real = html.environment

    def environment(extra=None, cache=None):
        env = real(extra, cache)
        get = env.get_template
        env.get_template = lambda name, *a, **k: rendered.append(name) or get(name, *a, **k)
        return env

    monkeypatch.setattr(html, "environment", environment)
    edit(root / "tei")
    build(root, out)
    monkeypatch.setattr(html, "environment", real)
    build(root, tmp_path / "clean", incremental=False)
    return sorted(set(rendered) & {"index.html", "about.html", "letters.html", "chronology.html"}), same_tree(out, tmp_path / "clean")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


EDITS = {
    # a word of the text, far from any date: no edition page shows it
    "word": lambda tei: _replace(tei / "letter-2.xml", "A note on letter 2.", "A longer note on letter 2."),
    # a date in the text: the chronology (and the home page: the document's date)
    "date": lambda tei: _replace(tei / "letter-2.xml", "2 March 1961</date>", "2 March 1961 (sic)</date>"),
    # a title: the home page, the letters
    "title": lambda tei: _replace(tei / "letter-2.xml", "Letter 2", "The second letter"),
    # a change in the header: the about page
    "change": lambda tei: _replace(tei / "letter-2.xml", "Created.", "Created and corrected."),
}


@pytest.mark.parametrize("kind, shown", [("word", []), ("date", ["chronology.html"]),
                                         ("title", ["index.html"]), ("change", ["about.html"])])
def test_an_edition_page_is_rendered_again_only_when_what_it_shows_changed(tmp_path, monkeypatch, kind, shown):
    rendered, differ = rebuild_pages_after(tmp_path, monkeypatch, EDITS[kind])
    assert differ == []
    assert set(shown) <= set(rendered)
    if kind == "word":
        assert rendered == []


@pytest.mark.parametrize("left_out, kind, page", [("home_key", "title", "index.html"),
                                                  ("about_key", "change", "about.html"),
                                                  ("chronology_key", "date", "chronology.html")])
def test_an_edition_page_key_missing_what_it_shows_gives_a_stale_page(tmp_path, monkeypatch, left_out, kind, page):
    _rendered, differ = rebuild_pages_after(tmp_path, monkeypatch, EDITS[kind], left_out)
    assert f"html/{page}" in differ


def test_the_letters_page_from_the_cache(tmp_path, monkeypatch):
    # letters.html: a letter's title and date change it; with its key left out it is stale
    from test_incremental import letters_edition

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    for left_out in (False, True):
        if left_out:
            monkeypatch.setitem(edition_cache.PAGE_KEYS, "letters.html", lambda site: "left out")
        root = letters_edition(tmp_path / f"ed-{left_out}")
        out = tmp_path / f"out-{left_out}"
        build(root, out)
        for kind in ("title", "date"):
            edit_letters(root, kind)
            build(root, out)
            build(root, tmp_path / f"clean-{left_out}-{kind}", incremental=False)
            differ = same_tree(out, tmp_path / f"clean-{left_out}-{kind}")
            assert ("html/letters.html" in differ) if left_out else differ == [], kind
            if left_out:
                break


@pytest.mark.parametrize("left_out", [False, True])
def test_the_records_of_unchanged_documents_come_from_the_cache(tmp_path, monkeypatch, left_out):
    # The chronology's dates of the records are read from each document's model, once, with
    # its other facts (teipress.model.edition_model.OwnFacts, kept under the model's bytes): in
    # an incremental build only the changed document's are read again.
    from test_incremental import edition
    from teipress.model import edition_model, mentions

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    read = []
    real = mentions.division_records
    monkeypatch.setattr(mentions, "division_records", lambda model: read.append(model.getroot().get("id"))
                        or real(model))
    if left_out:  # the facts' key without the document's model: its old records stay
        real_key = edition_model.own_facts_key
        monkeypatch.setattr(edition_model, "own_facts_key", lambda ed, data: real_key(ed, data.replace(
            b"1961-04-02", b"1961-03-02")))
    root = edition(tmp_path / "ed", letters=3)
    out = tmp_path / "out"
    build(root, out)
    assert "tp-records" in (out / "html" / "chronology.html").read_text(encoding="utf-8")
    read.clear()
    _replace(root / "tei" / "letter-2.xml", '<date when="1961-03-02">', '<date when="1961-04-02">')
    build(root, out)
    assert read == ([] if left_out else ["letter-2"])
    build(root, tmp_path / "clean", incremental=False)
    differ = same_tree(out, tmp_path / "clean")
    assert ("html/chronology.html" in differ) if left_out else differ == []


@pytest.mark.parametrize("kind", ["life", "text"])
def test_a_register_json_ld_put_together_from_kept_entries_is_the_registers_own(tmp_path, monkeypatch, kind):
    seen = []
    real = edition_cache.json_ld

    def checked(cache, edition, reg, base_url=""):
        text = real(cache, edition, reg, base_url)
        assert text == reg.json_ld(base_url)
        seen.append(reg.path)
        return text

    monkeypatch.setattr(edition_cache, "json_ld", checked)
    _rendered, differ = rebuild_after(tmp_path, monkeypatch, kind)
    assert differ == []
    assert "persons.html" in seen or kind == "text"


class _Store:
    """A cache holding one pickled object (what Fragments reads and saves)."""

    def __init__(self, kept=None):
        import pickle

        self.data = pickle.dumps(kept) if kept is not None else None

    def get_object(self, _kind, _slot):
        import pickle

        return pickle.loads(self.data) if self.data is not None else None

    def put(self, _kind, _slot, data):
        self.data = data


def test_register_entries_are_kept_as_utf8_and_an_older_cache_of_str_still_reads():
    """A register's rendered entries wait for save() as UTF-8 bytes (a str of 20,000 letters'
    entries takes two bytes a character); entries an older build kept as str read the same."""
    store = _Store()
    kept = edition_cache.Fragments(store, "persons.html")
    assert kept.get("a", lambda: "<li>Ada – 1815</li>") == "<li>Ada – 1815</li>"
    assert kept.new == {"a": "<li>Ada – 1815</li>".encode("utf-8")} and kept.rendered == 1
    kept.save()
    again = edition_cache.Fragments(store, "persons.html")
    assert again.get("a", lambda: pytest.fail("rendered again")) == "<li>Ada – 1815</li>"
    older = edition_cache.Fragments(_Store({"b": "<li>Bo – 1900</li>"}), "persons.html")
    assert older.get("b", lambda: pytest.fail("rendered again")) == "<li>Bo – 1900</li>"
    assert older.new == {"b": "<li>Bo – 1900</li>".encode("utf-8")} and older.rendered == 0

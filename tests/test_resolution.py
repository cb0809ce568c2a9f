"""The model's resolution key (teipress.model.resolution) and the output keys recalled by it
(teipress.outputs.key_memo): a letter whose change leaves what it says of itself as it was
(a sentence away from any name or date) leaves the edition's pages' keys as they were, and
they are taken from the last build instead of being worked out again; any change the
edition-wide steps read gives another key.  Either way the output is a clean build's."""
from __future__ import annotations

import pytest

from test_incremental import EPOCH, build, edit_letters, letters_edition, same_tree


def postscript(root) -> None:
    """A paragraph added to letter 3, away from its names and dates: its text only."""
    l3 = root / "tei" / "l3.xml"
    l3.write_text(l3.read_text(encoding="utf-8").replace("</p></body>", "</p><p>A postscript.</p></body>"),
                  encoding="utf-8")


def keys(model) -> tuple:
    return model.resolution, model.resolution_no_context


@pytest.fixture
def letters(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("TEIPRESS_JOBS", "1")
    root = letters_edition(tmp_path / "ed")
    first = keys(build(root, tmp_path / "out").model)
    assert all(first) and first[0] != first[1], "an incremental build has both resolution keys"
    return root, first


def worked_out_keys(monkeypatch) -> tuple[dict, list]:
    """What keys a build works out (by kind, of what), and which documents' pages it renders."""
    from teipress.outputs import cmif, edition_cache, html, page_cache

    worked_out: dict[str, list] = {"page": [], "register": [], "edition page": [], "cmif": []}

    def counted(name, real, label=lambda *a: a[1]):
        def wrapper(*args, **kw):
            worked_out[name].append(label(*args))
            return real(*args, **kw)
        return wrapper

    monkeypatch.setattr(page_cache, "page_key", counted("page", page_cache.page_key, lambda e, p, *a: p.id))
    monkeypatch.setattr(edition_cache, "entry_keys", counted("register", edition_cache.entry_keys,
                                                             lambda c, e, r, reg, k: reg.path))
    monkeypatch.setattr(edition_cache, "page_key", counted("edition page", edition_cache.page_key))
    monkeypatch.setattr(cmif, "cmif_key", counted("cmif", cmif.cmif_key, lambda em: "cmif"))
    rendered = []
    real_fill = html.fill
    monkeypatch.setattr(html, "fill", lambda em, page: rendered.append(page.id) or real_fill(em, page))
    return worked_out, rendered


def test_a_change_of_the_text_alone_keeps_the_resolution_and_the_pages_keys(letters, tmp_path, monkeypatch):
    root, first = letters
    worked_out, rendered = worked_out_keys(monkeypatch)
    postscript(root)
    assert keys(build(root, tmp_path / "out").model) == first
    assert rendered == ["l3"]
    assert worked_out["page"] == ["l3"]  # (the others' keys recalled by their inputs)
    assert worked_out["register"] == []
    # the letters page and the chronology are made of the resolution alone; the others are not
    assert "letters.html" not in worked_out["edition page"] and "chronology.html" not in worked_out["edition page"]
    assert "index.html" in worked_out["edition page"]
    assert worked_out["cmif"] == []
    build(root, tmp_path / "clean", incremental=False)
    assert same_tree(tmp_path / "out", tmp_path / "clean") == []


def test_a_word_changed_beside_a_name_keeps_the_other_pages_keys(letters, tmp_path, monkeypatch):
    # The sentence naming a person: the text around the name, which the register shows, changed;
    # the other letters' pages, the letters page and cmif.xml show nothing of it.
    root, first = letters
    worked_out, rendered = worked_out_keys(monkeypatch)
    edit_letters(root, "text")
    again = keys(build(root, tmp_path / "out").model)
    assert again[0] != first[0] and again[1] == first[1]
    assert rendered == ["l3"] and worked_out["page"] == ["l3"]
    assert worked_out["register"] != [] and "chronology.html" in worked_out["edition page"]
    assert "letters.html" not in worked_out["edition page"] and worked_out["cmif"] == []
    build(root, tmp_path / "clean", incremental=False)
    assert same_tree(tmp_path / "out", tmp_path / "clean") == []


@pytest.mark.parametrize("kind", ["title", "date", "register", "life", "toml", "epoch", "add", "remove"])
def test_what_the_edition_wide_steps_read_changes_the_resolution(letters, tmp_path, monkeypatch, kind):
    root, first = letters
    edit_letters(root, kind)
    if kind == "epoch":
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")
    again = keys(build(root, tmp_path / "out").model)
    assert again[0] != first[0] and again[1] != first[1]
    build(root, tmp_path / "clean", incremental=False)
    assert same_tree(tmp_path / "out", tmp_path / "clean") == []


@pytest.mark.parametrize("kind", ["date", "register", "title"])
def test_a_resolution_key_that_missed_a_change_would_give_stale_pages(letters, tmp_path, monkeypatch, kind):
    # The tests above would catch a resolution key leaving out what the pages show: with one
    # that never changes, the rebuilt site differs from a clean build.
    from teipress.model import resolution

    root, first = letters
    monkeypatch.setattr(resolution.Inputs, "keys", lambda self, ed, build_time, split: first)
    edit_letters(root, kind)
    build(root, tmp_path / "out")
    build(root, tmp_path / "clean", incremental=False)
    assert same_tree(tmp_path / "out", tmp_path / "clean") != []


def test_no_resolution_key_without_a_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = letters_edition(tmp_path / "ed")
    assert keys(build(root, tmp_path / "out", incremental=False).model) == (None, None)


def test_equal_own_facts_of_different_models_have_one_digest(tmp_path, monkeypatch):
    """own_cache gives OwnFacts the digest of what they hold: the same for two models of a letter
    whose text alone differs, another when what the letter says of itself differs."""
    from teipress.commands import cache as cache_mod
    from teipress.edition import load
    from teipress.model import edition_model, own_cache
    from teipress.model.behaviour import Names

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = letters_edition(tmp_path / "ed")
    store = cache_mod.Cache(tmp_path / "cache")

    def own_of_l3():
        ed = load(root)
        names = Names.of(ed)
        made = {f.key: own for f, _data, own, *_ in edition_model.models(ed, edition_model.in_model_order(ed), names, store)}
        return made["l3.xml"]

    before = own_of_l3()
    postscript(root)
    text_only = own_of_l3()
    edit_letters(root, "date")
    dated = own_of_l3()
    assert before.digest and before.digest == text_only.digest != dated.digest
    assert before.digest_no_context == text_only.digest_no_context != dated.digest_no_context
    edit_letters(root, "text")  # beside a name: the text around it changed, nothing else
    beside = own_of_l3()
    assert beside.digest != dated.digest and beside.digest_no_context == dated.digest_no_context
    # what the cache gives back carries the digest it was kept with; held, its mentions stay pickled
    key = "k"
    own_cache.put(store, key, dated)
    got = own_cache.get(store, key, of=edition_model.OwnFacts)
    assert got == dated and (got.digest, got.digest_no_context) == (dated.digest, dated.digest_no_context)
    held = own_cache.get(store, key, of=edition_model.OwnFacts, held=True)
    assert isinstance(held.mentions, bytes) and isinstance(held.letter, bytes)

"""The records an incremental build keeps of its output, read at every build whatever changed:
the output manifests (commands/shadow.Manifest), the digests of the documents' models that
page keys hold (page_cache.Models) and the page cache's index (page_cache.Index).  Each is one
record, so damage to it must make the build start that part afresh: never a wrong output."""
from __future__ import annotations

import pytest

from test_incremental import EPOCH, build, edition, same_tree
from test_shadow import built, clean, word
from teipress.commands import cache as cache_mod, shadow
from teipress.outputs import html, page_cache


def test_a_manifest_keeps_every_record_and_refuses_damage(tmp_path):
    records = {f"html/documents/letter-{n}.html": (f"{n:064x}", 100 + n, 1_700_000_000_000_000_000 + n, 50 + n)
               for n in range(50)}
    records["html/index.html"] = ("f" * 64, 7, 8, 9)
    shadow.write_manifests(tmp_path, {11: records, 12: shadow.Manifest.of(records), 13: {}})
    kept = shadow.read_manifests(tmp_path)
    assert sorted(kept) == [11, 12, 13] and len(kept[13]) == 0
    for fid in (11, 12):
        assert dict(kept[fid].items()) == records and kept[fid] == records
        assert kept[fid].get("html/documents/letter-7.html") == records["html/documents/letter-7.html"]
        assert kept[fid].get("html/none.html") is None and "html/index.html" in kept[fid]
    raw = bytearray((tmp_path / shadow.MANIFESTS).read_bytes())
    for at in (5, len(raw) // 2, len(raw) - 3):  # the checksum, a digest, the numbers
        damaged = bytearray(raw)
        damaged[at] ^= 0x10
        (tmp_path / shadow.MANIFESTS).write_bytes(bytes(damaged))
        assert shadow.read_manifests(tmp_path) == {}
    with pytest.raises(ValueError):
        shadow.Manifest(["a", "b"], "0" * 64, shadow.array("q", [1, 2, 3]))


def damage(store_folder, kind: str, key: str) -> None:
    """Flip one byte of the cache entry *kind*/*key* where its pack holds it."""
    store = cache_mod.Cache(store_folder)
    pack, offset, length, _crc = store.locate(kind, key)
    store.close()
    with open(pack, "r+b") as fh:
        fh.seek(offset + length // 2)
        byte = fh.read(1)
        fh.seek(offset + length // 2)
        fh.write(bytes([byte[0] ^ 0x01]))


@pytest.mark.parametrize("record", ["manifests", "model digests", "page index"])
def test_a_damaged_record_of_the_output_is_built_afresh_never_wrong(tmp_path, monkeypatch, record):
    # (after the second build the output has a shadow, and the models come from the cache)
    root, out = built(tmp_path, monkeypatch, 5, [(2, 1)], jobs=1)
    folder = cache_mod.cache_folder(root, out)
    if record == "manifests":
        raw = bytearray((folder / shadow.MANIFESTS).read_bytes())
        raw[len(raw) // 2] ^= 0x01
        (folder / shadow.MANIFESTS).write_bytes(bytes(raw))
    elif record == "model digests":
        damage(folder, page_cache.KIND, page_cache.Models(None).slot)
    else:  # every shard of the index that holds a document
        store = cache_mod.Cache(folder)
        slots = [page_cache.shard_slot(n) for n in range(page_cache.SHARDS)
                 if store.locate(page_cache.KIND, page_cache.shard_slot(n)) is not None]
        store.close()
        assert slots
        for slot in slots:
            damage(folder, page_cache.KIND, slot)
    rendered = []
    real_fill = html.fill
    monkeypatch.setattr(html, "fill", lambda em, page: rendered.append(page.id) or real_fill(em, page))
    word(root, 3, 2)
    build(root, out)
    monkeypatch.setattr(html, "fill", real_fill)
    assert same_tree(out, clean(root, tmp_path / "clean")) == []
    # a damaged index renders every page again; damaged digests are worked out again from the
    # models' bytes, the same digests, so only the edited letter's pages are rendered
    assert sorted(rendered) == (["letter-1", "letter-2", "letter-3", "letter-4", "letter-5"]
                                if record == "page index" else ["letter-3"])


def test_page_keys_from_kept_model_digests_are_those_of_the_models_bytes(tmp_path, monkeypatch):
    # A model left in the cache is named by its cache key: the digest kept under that key must
    # be the digest of the bytes it names, or a page would be kept under a wrong key.
    # (the second build is the first whose models come from the cache: their digests are kept)
    root, out = built(tmp_path, monkeypatch, 4, [(2, 1)], jobs=1)
    word(root, 1, 2)
    seen = []
    real_of = page_cache.Models.of

    def of(self, doc):
        got = real_of(self, doc)
        seen.append((doc.id, bool(self.old), got[0], page_cache._model_bytes(doc),
                     [getattr(doc.__dict__.get(n), "key", None) for n in page_cache.MODELS]))
        return got

    monkeypatch.setattr(page_cache.Models, "of", of)
    build(root, out)
    # (asked once a document for the inputs of its page key, key_memo, and again for the key
    # itself where it is worked out: the edited letter)
    assert {doc_id for doc_id, *_ in seen} == {"letter-1", "letter-2", "letter-3", "letter-4"}
    assert all(kept for _, kept, _, _, _ in seen)
    for doc_id, _kept, digests, read, keys in seen:
        assert digests == read
        # the unchanged letters' models came from the cache, named by their keys; the edited one was made
        assert (keys[0] is None) == (doc_id == "letter-1")
    assert same_tree(out, clean(root, tmp_path / "clean")) == []


def test_the_page_index_is_one_entry_read_once(tmp_path, monkeypatch):
    root, out = built(tmp_path, monkeypatch, 4, [], jobs=1)
    word(root, 4, 1)
    read = []
    real_get = cache_mod.Cache.get
    monkeypatch.setattr(cache_mod.Cache, "get", lambda self, kind, key: read.append(kind) or real_get(self, kind, key))
    build(root, out)
    # the index's shards, the model digests and the header facts' digests: not an entry a document
    assert read.count(page_cache.KIND) == 2 + page_cache.SHARDS
    assert read.count(page_cache.BYTES) == 0  # (the unchanged pages are in the output already)


def test_a_damaged_shard_of_the_page_index_renders_its_documents_again_and_only_them(tmp_path, monkeypatch):
    root, out = built(tmp_path, monkeypatch, 6, [(2, 1)], jobs=1)
    folder = cache_mod.cache_folder(root, out)
    store = cache_mod.Cache(folder)
    index = page_cache.Index(store)
    by_shard: dict[int, set[str]] = {}
    for n, shard in enumerate(index.old):
        for _key, (files, _digest, _fields) in shard.items():
            page = next(p for p, _ in files if p.startswith("documents/") and p.endswith(".html"))
            by_shard.setdefault(n, set()).add(page[len("documents/"):-len(".html")])
    store.close()
    assert sum(len(v) for v in by_shard.values()) == 6
    n, lost = min(by_shard.items())
    damage(folder, page_cache.KIND, page_cache.shard_slot(n))
    edited = next(n for n in range(1, 7) if f"letter-{n}" not in lost)
    word(root, edited, 5)  # (else the build has nothing to do)
    rendered = []
    real_fill = html.fill
    monkeypatch.setattr(html, "fill", lambda em, page: rendered.append(page.id) or real_fill(em, page))
    build(root, out)
    monkeypatch.setattr(html, "fill", real_fill)
    assert set(rendered) == lost | {f"letter-{edited}"}
    assert same_tree(out, clean(root, tmp_path / "clean")) == []


def test_kept_fields_are_read_only_when_a_page_shows_them_and_are_those_rendered(tmp_path, monkeypatch):
    # about.html reads every document's fields when its key changes (one letter's revision
    # changed): the unchanged letters' fields come from the index, pickled, and must be those a
    # fresh rendering makes; with nothing of the kind changed, none is unpickled.
    root, out = built(tmp_path, monkeypatch, 4, [(2, 1)], jobs=1)
    unpickled = []
    real_get = page_cache.Index.get

    def get(self, key):
        got = real_get(self, key)
        if got is None:
            return None
        files, fields, digest, load = got
        return files, lambda: unpickled.append(key) or fields(), digest, load

    monkeypatch.setattr(page_cache.Index, "get", get)
    word(root, 3, 2)
    build(root, out)
    assert unpickled == []
    f = root / "tei" / "letter-2.xml"
    f.write_text(f.read_text(encoding="utf-8").replace("Created.", "Created, then revised."), encoding="utf-8")
    build(root, out)
    assert len(unpickled) == 3  # (the other letters: about.html lists their changes)
    assert same_tree(out, clean(root, tmp_path / "clean")) == []

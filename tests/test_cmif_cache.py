"""cmif.xml in an incremental build: kept under its letters' facts (teipress.outputs.cmif.cmif_key),
byte for byte a clean build's after each edit, and stale when its key leaves the letters out."""
from __future__ import annotations

import pytest

from test_incremental import rebuild_after


@pytest.mark.parametrize("kind", ["date", "register", "remove"])
def test_cmif_from_the_cache_is_that_of_a_clean_build(tmp_path, monkeypatch, kind):
    _rendered, differ = rebuild_after(tmp_path, monkeypatch, kind)
    assert differ == []


def test_a_cmif_key_without_the_letters_gives_a_stale_file(tmp_path, monkeypatch):
    from teipress.outputs import cmif

    monkeypatch.setattr(cmif, "cmif_key", lambda em: "left out")
    _rendered, differ = rebuild_after(tmp_path, monkeypatch, "date")
    assert "html/cmif.xml" in differ

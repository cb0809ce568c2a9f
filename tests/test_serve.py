"""`teipress serve`: builds, serves on 127.0.0.1, rebuilds on change, pages reload."""
from __future__ import annotations

import time
import urllib.request

import pytest

from teipress.commands.build import UsageError
from teipress.commands.serve import Server


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read().decode("utf-8")


def test_serve_rebuilds_on_change(make_edition, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    root = make_edition()
    server = Server(root, tmp_path / "out", port=0, log=lambda m: None).start()
    try:
        assert server.url.startswith("http://127.0.0.1:")
        page = get(server.url + "documents/mini.html")
        assert "wrote from" in page and "/__teipress/version" in page  # live reload script added
        assert "/__teipress/version" not in (tmp_path / "out" / "html" / "documents" / "mini.html").read_text()
        v1 = get(server.url + "__teipress/version")
        doc = root / "tei" / "mini.xml"
        time.sleep(1)  # let the watcher settle
        doc.write_text(doc.read_text().replace("wrote from", "telegraphed from"))
        for _ in range(100):
            if get(server.url + "__teipress/version") != v1:
                break
            time.sleep(0.1)
        assert "telegraphed from" in get(server.url + "documents/mini.html")
    finally:
        server.stop()


def test_serve_refuses_an_invalid_edition_as_build_does(make_edition, tmp_path):
    root = make_edition(replace=[("persons.xml#anna", "persons.xml#nobody")])
    messages: list[str] = []
    server = Server(root, tmp_path / "out", port=0, log=messages.append).start()
    try:
        assert server.version == 0 and not (tmp_path / "out").exists()
        assert any(m.endswith("[pointer-resolves]") and "nobody" in m for m in messages)
        assert "2 files checked: 1 error, 1 warning" in messages  # anna is now unused
        assert messages[-1] == "the edition is not valid: the previous build is still served"
    finally:
        server.stop()
    messages.clear()
    server = Server(root, tmp_path / "out", port=0, allow_invalid=True, log=messages.append).start()
    try:  # --no-validate: the problems are printed, the edition is built all the same
        assert server.version == 1 and (tmp_path / "out" / "html" / "index.html").is_file()
        assert any(m.endswith("[pointer-resolves]") for m in messages)
    finally:
        server.stop()


def test_serve_needs_an_edition_folder(tmp_path):
    with pytest.raises(UsageError, match="no tei/ folder"):
        Server(tmp_path, tmp_path / "out", port=0, log=lambda m: None)

"""`teipress serve`: builds, serves on 127.0.0.1, rebuilds on change, pages reload."""
from __future__ import annotations

import time
import urllib.request

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

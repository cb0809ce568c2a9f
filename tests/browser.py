"""Helpers for driving Debian's chromium over a built site (tests, screenshots, benchmarks).

It lives with the tests, outside the wheel: the build never needs it (scripts/ import it
from here too).  Chromium runs headless, sandbox-less (containers), with every
background network feature off, so a page can only reach the local server.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".wasm": "application/wasm", ".pf_meta": "application/octet-stream"}

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve_dir(root: Path, prefix: str = ""):
    """Serve *root* on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()

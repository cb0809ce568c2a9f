"""`teipress serve`: the HTML edition on localhost, rebuilt when a source changes, with live reload.

The built files are never modified: the server adds a small reload script to the HTML
pages it sends, and the script asks /__teipress/version once a second whether a newer
build exists.  Only 127.0.0.1 is bound: this is an editor's preview, not a web server.
"""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from typing import Callable

from ..config import ConfigError
from ..validation.diagnostics import Report
from . import build as build_mod

RELOAD_JS = b"""<script>/* teipress serve: live reload */
(function(){var v=null;function poll(){fetch('/__teipress/version',{cache:'no-store'}).then(function(r){return r.text();})
.then(function(t){if(v!==null&&t!==v){location.reload();}v=t;}).catch(function(){});}setInterval(poll,1000);poll();}());
</script>"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    server_version = "teipress-serve"
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".wasm": "application/wasm"}

    def __init__(self, *args, state, **kw):
        self.state = state
        super().__init__(*args, directory=str(state.site), **kw)

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/__teipress/version":
            return self._send(str(self.state.version).encode(), "text/plain")
        if path.endswith("/"):
            path += "index.html"
        if path.endswith(".html"):
            local = Path(self.translate_path(path))
            if local.is_file():
                body = local.read_bytes().replace(b"</body>", RELOAD_JS + b"</body>", 1)
                return self._send(body, "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, ctype: str):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


class Server:
    """Build, serve on 127.0.0.1:port, watch the sources, rebuild on change.

    Every (re)build is build.build(), as `teipress build` runs it: the same validation,
    the same refusals; only the stage timings are not printed.
    """

    def __init__(self, edition_dir: Path, out: Path, port: int = 8000, allow_invalid: bool = False,
                 log: Callable[[str], None] = print):
        self.edition_dir = build_mod.edition_folder(edition_dir)
        self.out = Path(out)
        self.site = self.out / "html"
        self.allow_invalid = allow_invalid
        self.log = log
        self.version = 0
        self.stop_event = threading.Event()
        self.rebuild()
        handler = functools.partial(_Handler, state=self)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.threads = [threading.Thread(target=self.httpd.serve_forever, daemon=True),
                        threading.Thread(target=self._watch, daemon=True)]

    def rebuild(self) -> bool:
        try:
            build_mod.build(self.edition_dir, self.out, allow_invalid=self.allow_invalid, show=self._show)
        except build_mod.NotValid as exc:
            self._show(exc.report, exc.files)
            self.log("the edition is not valid: the previous build is still served")
            return False
        except ConfigError as exc:
            self.log(f"{exc.path}:{exc.line}:1: error: {exc.message} [config]")
            return False
        except build_mod.BuildError as exc:
            self.log(f"error: {exc}")
            return False
        except Exception as exc:  # keep serving the last good build whatever happened
            self.log(f"error: the build failed: {exc}")
            return False
        self.version += 1
        self.log(f"built {self.site} (build {self.version})")
        return True

    def _show(self, report: Report, files: int) -> None:
        for d in report.sorted():
            self.log(str(d))
        self.log(report.summary(files))

    def watched(self) -> list[Path]:
        paths = [self.edition_dir / "tei"]
        for extra in ("edition.toml", "templates", "xslt"):
            if (self.edition_dir / extra).exists():
                paths.append(self.edition_dir / extra)
        return paths

    def _watch(self):
        from watchfiles import watch

        out = self.out.resolve()
        for changes in watch(*self.watched(), stop_event=self.stop_event, debounce=300):
            if all(Path(p).resolve().is_relative_to(out) for _, p in changes):
                continue
            self.log(f"{len(changes)} change(s): rebuilding")
            self.rebuild()

    def start(self) -> "Server":
        for t in self.threads:
            t.start()
        return self

    def stop(self) -> None:
        self.stop_event.set()
        self.httpd.shutdown()
        self.httpd.server_close()

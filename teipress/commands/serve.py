"""`teipress serve`: the HTML edition on localhost, rebuilt when a source changes, with live reload.

The built files are never modified: the server adds a small reload script to the HTML
pages it sends, and the script asks /__teipress/version once a second whether a newer
build exists.  This is an editor's preview, not a web server: it binds 127.0.0.1 unless
told otherwise, answers only requests addressed to a local name or an IP address (no
DNS rebinding), serves regular files of the build and nothing else (no symlinks, no
folder listings), closes idle connections, and keeps serving the previous build until
a rebuild is complete (builds replace their folder whole, commands/output.py).
"""
from __future__ import annotations

import errno
import functools
import http.server
import ipaddress
import mimetypes
import os
import socket
import stat
import sys
import threading
import urllib.parse
from pathlib import Path
from typing import Callable

from ..config import ConfigError
from ..validation.diagnostics import Report
from . import build as build_mod
from . import output

RELOAD_JS = b"""<script>/* teipress serve: live reload */
(function(){var v=null;function poll(){fetch('/__teipress/version',{cache:'no-store'}).then(function(r){return r.text();})
.then(function(t){if(v!==null&&t!==v){location.reload();}v=t;}).catch(function(){});}setInterval(poll,1000);poll();}());
</script>"""


class _Handler(http.server.BaseHTTPRequestHandler):
    """GET and HEAD of regular files inside the current build's html/, nothing else.

    The build folder is opened afresh for every request and every further step is taken
    from that folder's descriptor, without following symlinks: a request is answered
    wholly from one build (the previous or the new one, never a mix) and never from
    outside it.  A folder answers with its index.html, never with a listing."""

    server_version = "teipress-serve"

    def __init__(self, *args, state, **kw):
        self.state = state
        self.timeout = state.idle_timeout  # seconds a connection may sit idle before it is closed
        super().__init__(*args, **kw)

    def log_message(self, *args):
        pass

    def handle(self):
        try:
            super().handle()
        except (ConnectionError, TimeoutError):  # the client went away: nothing to report
            pass

    def do_HEAD(self):
        self._serve(head=True)

    def do_GET(self):
        self._serve(head=False)

    def _serve(self, head: bool) -> None:
        if not self.state.host_allowed(self.headers.get("Host")):
            # DNS rebinding: a page from another site reaching us under its own name
            return self._send(b"unknown host\n", "text/plain; charset=utf-8", head, status=421)
        path = urllib.parse.urlsplit(self.path).path
        if path == "/__teipress/version":
            return self._send(str(self.state.version).encode(), "text/plain", head)
        parts = _segments(path)
        if parts is None:
            return self._not_found(head)
        for _attempt in range(2):  # a request that began in the tree a rebuild just replaced
            found = _read_inside(self.state.out, ["html", *parts])
            if found is not _RETRY:
                break
        if found is None or found is _RETRY:
            return self._not_found(head)
        if found is _FOLDER:  # /documents -> /documents/, whose index.html answers
            self.send_response(301)
            self.send_header("Location", path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        name, body = found
        ctype = _content_type(name)
        if name.endswith(".html"):
            body = body.replace(b"</body>", RELOAD_JS + b"</body>", 1)
        return self._send(body, ctype, head)

    def _not_found(self, head: bool) -> None:
        self._send(b"404 not found\n", "text/plain; charset=utf-8", head, status=404)

    def _send(self, body: bytes, ctype: str, head: bool = False, status: int = 200):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)


_FOLDER = object()
_RETRY = object()
TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm",
         ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".json": "application/json",
         ".xml": "application/xml", ".svg": "image/svg+xml", ".pdf": "application/pdf"}


def _content_type(name: str) -> str:
    ext = os.path.splitext(name)[1].lower()
    return TYPES.get(ext) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def _segments(path: str) -> list[str] | None:
    """The URL path as folder and file names; None for anything that is not one
    (.., ., NUL, backslashes, encoded slashes).  A trailing slash gives a last ''."""
    parts = [urllib.parse.unquote(p, errors="strict") for p in path.split("/")[1:]]
    for i, p in enumerate(parts):
        if p in (".", "..") or "\x00" in p or "/" in p or "\\" in p or (p == "" and i != len(parts) - 1):
            return None
    return parts or [""]


def _read_inside(out: Path, parts: list[str]):
    """(file name, bytes) of out/parts, walked from a descriptor of *out* without following
    any symlink; _FOLDER for a folder named without its slash; None if there is no such
    regular file; _RETRY if *out* was replaced by a new build while we walked."""
    flags = os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW
    try:
        root = os.open(out, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None
    fds = [root]
    try:
        folder = root
        *dirs, last = parts
        for name in dirs:
            folder = os.open(name, flags | os.O_DIRECTORY, dir_fd=folder)
            fds.append(folder)
        fd = os.open(last or "index.html", flags | os.O_NONBLOCK, dir_fd=folder)
        fds.append(fd)
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            return _FOLDER
        if not stat.S_ISREG(st.st_mode):
            return None
        with os.fdopen(os.dup(fd), "rb") as fh:
            return (last or "index.html"), fh.read()
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR) and _replaced(root, out):
            return _RETRY
        return None  # ELOOP: a symlink; ENOENT: nothing there
    finally:
        for fd in fds:
            os.close(fd)


def _replaced(fd: int, path: Path) -> bool:
    try:
        return os.fstat(fd).st_ino != os.stat(path).st_ino
    except OSError:
        return True


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return  # a client that disconnected early is not our problem
        print(f"teipress serve: error answering {client_address[0]}: {type(exc).__name__}: {exc}",
              file=sys.stderr)


class _HTTPServer6(_HTTPServer):
    address_family = socket.AF_INET6


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def host_name(header: str | None) -> str | None:
    """The host of a Host header, without port or brackets, lower case."""
    if not header:
        return None
    header = header.strip().lower()
    if header.startswith("["):
        end = header.find("]")
        return header[1:end] if end > 0 else None
    return header.rsplit(":", 1)[0].rstrip(".") if header.count(":") <= 1 else header


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


class Server:
    """Build, serve on 127.0.0.1:port, watch the sources, rebuild on change.

    Every (re)build is build.build(), as `teipress build` runs it: the same validation,
    the same refusals; only the stage timings are not printed.
    """

    def __init__(self, edition_dir: Path, out: Path, port: int = 8000, allow_invalid: bool = False,
                 log: Callable[[str], None] = print, host: str = "127.0.0.1", idle_timeout: float = 15):
        self.edition_dir = build_mod.edition_folder(edition_dir)
        self.out = Path(os.path.abspath(out))
        self.host = host
        self.idle_timeout = idle_timeout
        self.site = self.out / "html"
        self.allow_invalid = allow_invalid
        self.log = log
        self.version = 0
        self.stop_event = threading.Event()
        self.building = threading.Event()
        handler = functools.partial(_Handler, state=self)
        server = _HTTPServer6 if ":" in host else _HTTPServer
        self.httpd = server((host, port), handler)  # first: a port in use is said before any build
        try:
            self.rebuild()
        except BaseException:  # interrupted while building: let the port go
            self.httpd.server_close()
            raise
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{self.httpd.server_address[1]}/"
        self.allowed_hosts = LOOPBACK | {host.lower()}
        if host in ("0.0.0.0", "::", ""):  # every interface: the machine's own names too
            self.allowed_hosts |= {socket.gethostname().lower(), socket.getfqdn().lower()}
        self.threads = [threading.Thread(target=self.httpd.serve_forever, daemon=True),
                        threading.Thread(target=self._watch, daemon=True)]

    def host_allowed(self, header: str | None) -> bool:
        """A local name, the name we were bound to, or an IP address: a DNS-rebinding page
        always comes with its own domain name."""
        name = host_name(header)
        return name is not None and (name in self.allowed_hosts or _is_ip(name))

    def rebuild(self) -> bool:
        try:
            build_mod.build(self.edition_dir, self.out, allow_invalid=self.allow_invalid, show=self._show,
                            incremental=True)  # a change rebuilds only what it changes (commands/cache.py)
        except build_mod.NotValid as exc:
            self._show(exc.report, exc.files)
            self.log("the edition is not valid: the previous build is still served")
            return False
        except ConfigError as exc:
            self.log(f"{exc.path}:{exc.line}:1: error: {exc.message} [config]")
            return False
        except (build_mod.BuildError, output.OutputError) as exc:
            self.log(f"error: {exc}")
            return False
        except KeyboardInterrupt:  # stop() cancelled it; its temporary folders are gone
            self.log("the build was interrupted: the previous build is still served")
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
            self.building.set()
            try:
                self.rebuild()
            finally:
                self.building.clear()

    def start(self) -> "Server":
        from ..outputs import typeset

        typeset.keep_warm()  # Typst's caches outlive each rebuild: a changed paragraph re-typesets in a fraction of a second
        for t in self.threads:
            t.start()
        return self

    def stop(self) -> None:
        """Stop serving and watching; a rebuild under way is cancelled and cleans up."""
        from ..outputs import typeset

        self.stop_event.set()
        building = self.building.is_set()
        if building:
            typeset.cancel_all()  # Typst children; the other stages end within seconds
        if self.threads[0].is_alive():  # shutdown() waits for serve_forever, which may not have begun
            self.httpd.shutdown()
        self.httpd.server_close()
        if building and self.threads[1].is_alive():
            self.threads[1].join()  # the rebuild removes its temporary folders on its way out
        typeset.keep_warm(False)
        typeset.close()  # the idle Typst workers kept warm between rebuilds

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


# -- hardening (issue 15) ------------------------------------------------------------------

import http.client  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
import threading  # noqa: E402

from teipress.commands.serve import host_name  # noqa: E402


@pytest.fixture
def served(make_edition, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    server = Server(make_edition(), tmp_path / "out", port=0, log=lambda m: None, idle_timeout=0.5)
    server.threads[0].start()  # serve, without the watcher: the tests rebuild themselves
    yield server
    server.stop()


def request(server, path: str, host: str | None = None, method: str = "GET"):
    conn = http.client.HTTPConnection("127.0.0.1", server.httpd.server_address[1], timeout=10)
    conn.putrequest(method, path, skip_host=True)
    conn.putheader("Host", host if host is not None else f"127.0.0.1:{server.httpd.server_address[1]}")
    conn.endheaders()
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r.status, r.getheader("Location"), body


def test_only_local_names_or_addresses_are_answered(served):
    port = served.httpd.server_address[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "LOCALHOST", f"[::1]:{port}", "10.0.0.7"):
        assert request(served, "/index.html", host)[0] == 200, host
    for host in ("evil.example", f"attacker.example:{port}", "localhost.evil.example", ""):
        assert request(served, "/index.html", host)[0] == 421, host
    assert (host_name("[::1]:80"), host_name("Example.ORG."), host_name("a:1")) == ("::1", "example.org", "a")


def test_symlinks_in_the_output_are_never_followed(served, tmp_path):
    site = served.site
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the web")
    (site / "leak.txt").symlink_to(secret)
    (site / "leakdir").symlink_to(tmp_path)
    (site / "documents" / "alias.html").symlink_to(site / "documents" / "mini.html")
    assert request(served, "/leak.txt")[0] == 404
    assert request(served, "/leakdir/secret.txt")[0] == 404
    assert request(served, "/documents/alias.html")[0] == 404  # even one that stays inside
    assert request(served, "/documents/mini.html")[0] == 200


def test_no_folder_listings_and_nothing_outside(served):
    assert request(served, "/static/")[0] == 404  # a folder without index.html
    assert request(served, "/static") == (301, "/static/", b"")
    status, _, body = request(served, "/")
    assert status == 200 and b"/__teipress/version" in body  # a folder answers with its index.html
    for path in ("/../out/html/index.html", "/%2e%2e/html/index.html", "/static/..%2findex.html",
                 "/static/%2e%2e/index.html", "/..\\index.html", "/index.html%00.css", "//etc/passwd"):
        assert request(served, path)[0] == 404, path
    assert request(served, "/index.html", method="HEAD")[:2] == (200, None)
    assert request(served, "/index.html", method="POST")[0] == 501


def test_idle_connections_are_closed(served):
    with socket.create_connection(("127.0.0.1", served.httpd.server_address[1]), timeout=10) as s:
        assert s.recv(100) == b""  # the server hung up on a client that said nothing


def test_a_client_that_disconnects_early_is_no_traceback(served, capfd):
    (served.site / "big.bin").write_bytes(os.urandom(1) * (32 << 20))
    for _ in range(5):
        s = socket.create_connection(("127.0.0.1", served.httpd.server_address[1]), timeout=10)
        s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n")
        s.recv(10)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        s.close()  # a reset while the server is still sending
    assert request(served, "/index.html")[0] == 200
    assert "Traceback" not in capfd.readouterr().err


def test_the_previous_build_is_served_until_the_next_is_complete(served):
    """Requests while the edition is rebuilt again and again: not one fails."""
    paths = ["/", "/index.html", "/documents/mini.html", "/static/teipress.css", "/persons.html",
             "/search.html", "/tei/mini.xml", "/pagefind/pagefind.js"]
    failures: list[str] = []
    done = threading.Event()
    count = [0]

    def hammer():
        while not done.is_set():
            for p in paths:
                try:
                    status = request(served, p)[0]
                except OSError as exc:
                    status = exc
                count[0] += 1
                if status != 200:
                    failures.append(f"{p}: {status}")

    threads = [threading.Thread(target=hammer) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for _ in range(4):
            assert served.rebuild()
    finally:
        done.set()
        for t in threads:
            t.join()
    assert count[0] > 0 and failures == []


@pytest.mark.parametrize("sig, code", [("SIGTERM", 143), ("SIGINT", 0)])
def test_the_serve_command_stops_cleanly_on_a_signal(make_edition, tmp_path, sig, code):
    import signal
    import subprocess
    import sys

    root = make_edition()
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    proc = subprocess.Popen([sys.executable, "-m", "teipress", "serve", str(root), "--port", "0"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    for line in proc.stderr:  # wait until it serves
        lines.append(line)
        if line.startswith("serving "):
            break
    url = line.split(" at ")[1].split()[0]
    assert url.startswith("http://127.0.0.1:")
    assert "A mini edition" in get(url)
    proc.send_signal(getattr(signal, sig))
    try:
        _out, rest = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError(f"serve did not stop within 60 s of {sig}")
    assert proc.returncode == code
    assert "Traceback" not in rest and rest.strip().splitlines()[-1] == "stopped"
    # no lock, no temporary folder; the incremental build's cache (teipress/commands/cache.py)
    assert sorted(p.name for p in root.iterdir()) == [".teipress-cache", "build", "tei"]

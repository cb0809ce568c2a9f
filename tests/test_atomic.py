"""Builds and deposits replace their output whole: killed at any moment they leave the
previous or the new complete output, never a mix, and no temporary folder; a second
writer is refused with a message; SIGINT and SIGTERM clean up and exit 130/143."""
from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import MINI_DOC
from teipress.commands import output

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "TEIPRESS_JOBS": "1"}


def other_doc(name: str) -> str:
    """MINI_DOC under other ids (xml:ids are unique across the edition), without its note
    and the note taxonomy."""
    text = MINI_DOC.replace('xml:id="mini"', f'xml:id="{name}"')
    text = re.sub(r"<encodingDesc>.*</encodingDesc>|<note .*</note>", "", text, flags=re.S)
    for xid in ("ed", "d1", "p1", "n1"):
        text = text.replace(f'xml:id="{xid}"', f'xml:id="{xid}-{name}"').replace(f'"#{xid}"', f'"#{xid}-{name}"')
    return text


def teipress(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "teipress", *map(str, args)], env=ENV,
                          capture_output=True, text=True, **kw)


def digest(folder: Path) -> dict[str, str]:
    """Every file (and symlink) under folder, with a hash of its bytes."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_symlink():
            out[rel] = "-> " + os.readlink(p)
        elif p.is_file():
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.rglob("*") if ".tmp-" in p.name or p.name.endswith(".lock"))


@pytest.fixture
def two_editions(make_edition, tmp_path):
    """An edition, and the reference outputs before and after one change (a second document
    and an edited first one), each built once."""
    root = make_edition(extra={"b.xml": other_doc("b")})
    old = teipress("build", root, "--out", tmp_path / "ref-old")
    assert old.returncode == 0, old.stderr
    doc = root / "tei" / "mini.xml"
    doc.write_text(MINI_DOC.replace("wrote from", "telegraphed from"), encoding="utf-8")
    (root / "tei" / "c.xml").write_text(other_doc("c"), encoding="utf-8")
    new = teipress("build", root, "--out", tmp_path / "ref-new")
    assert new.returncode == 0, new.stderr
    return root, digest(tmp_path / "ref-old"), digest(tmp_path / "ref-new")


def restore_old(root: Path) -> None:
    (root / "tei" / "mini.xml").write_text(MINI_DOC, encoding="utf-8")
    (root / "tei" / "c.xml").unlink()


def set_new(root: Path) -> None:
    (root / "tei" / "mini.xml").write_text(MINI_DOC.replace("wrote from", "telegraphed from"), encoding="utf-8")
    (root / "tei" / "c.xml").write_text(other_doc("c"), encoding="utf-8")


# Moments to signal a build at: from "still starting" to "probably done"; whatever moment
# each lands on, the assertions are the same, so the delays set no expectation.  (Not
# sooner: a SIGINT while CPython itself initialises is CPython's "Fatal Python error".)
DELAYS = (0.2, 0.5, 1.0, 1.6, 2.5)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_a_build_killed_at_any_moment_leaves_the_old_or_the_new_build(two_editions, tmp_path, sig):
    root, old, new = two_editions
    out = tmp_path / "site"
    seen = {"old": 0, "new": 0}
    for delay in DELAYS:
        restore_old(root)
        assert teipress("build", root, "--out", out).returncode == 0
        (out / "screenshots").mkdir()
        (out / "screenshots" / "home.png").write_bytes(b"png")  # not the build's: must survive
        set_new(root)
        proc = subprocess.Popen([sys.executable, "-m", "teipress", "build", str(root), "--out", str(out)],
                                env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        proc.send_signal(sig)
        _stdout, stderr = proc.communicate(timeout=120)
        now = digest(out)
        assert now.pop("screenshots/home.png") == hashlib.sha256(b"png").hexdigest()
        assert now in (old, new), f"a mixed or partial build after {sig.name} at {delay} s"
        seen["old" if now == old else "new"] += 1
        if sig == signal.SIGKILL:
            # nothing can clean up after SIGKILL: the next writer does (and builds the new one)
            assert teipress("build", root, "--out", out).returncode == 0
            assert {k: v for k, v in digest(out).items() if not k.startswith("screenshots")} == new
        elif proc.returncode != 0:  # the signal came before the build was done
            assert "Traceback" not in stderr
            # -sig: so early that Python had not read teipress.cli yet, or so late that it was
            # shutting down after the build (both leave a whole build, as asserted above)
            if proc.returncode != -sig:
                assert proc.returncode == 128 + sig, stderr
                assert stderr.strip().splitlines()[-1].startswith(f"interrupted ({sig.name})")
        assert leftovers(tmp_path) == [], f"left behind after {sig.name} at {delay} s"
        (out / "screenshots" / "home.png").unlink()
        (out / "screenshots").rmdir()
    assert seen["old"] + seen["new"] == len(DELAYS)


def test_a_second_build_is_refused_while_one_runs(make_edition, tmp_path):
    root = make_edition()
    out = tmp_path / "out"
    with output.locked(out):  # a build in progress (this process holds its lock)
        r = teipress("build", root, "--out", out, "--only", "sources")
        assert r.returncode == 1
        assert f"another build of this edition is running (pid {os.getpid()})" in r.stderr
        assert "Traceback" not in r.stderr
        assert not out.exists()
        d = teipress("deposit", root, "--out", out / "deposit")  # a deposit into it waits its turn too
        assert d.returncode == 1 and f"(pid {os.getpid()})" in d.stderr
    assert teipress("build", root, "--out", out, "--only", "sources").returncode == 0
    assert leftovers(tmp_path) == []


def test_a_deposit_inside_the_build_folder_locks_the_build_folder(make_edition, tmp_path):
    root = make_edition()
    with output.locked(root / "build"):
        r = teipress("deposit", root)  # into build/deposit, inside the build folder
        assert r.returncode == 1 and "another build of this edition is running" in r.stderr


def test_leftovers_of_a_killed_build_are_removed_by_the_next(make_edition, tmp_path):
    root = make_edition()
    out = tmp_path / "out"
    assert teipress("build", root, "--out", out, "--only", "sources").returncode == 0
    stale = tmp_path / ".out.tmp-dead1234"
    (stale / "html").mkdir(parents=True)
    (tmp_path / ".out.lock").write_text("99999\n")  # its process is gone: no lock is held
    assert teipress("build", root, "--out", out, "--only", "sources").returncode == 0
    assert leftovers(tmp_path) == []


def test_the_fallback_two_renames_are_undone_after_a_kill(make_edition, tmp_path):
    """Where the system cannot exchange two names, a kill between the two renames leaves the
    previous build aside; the next writer puts it back before anything else."""
    root = make_edition()
    out = tmp_path / "out"
    assert teipress("build", root, "--out", out, "--only", "sources").returncode == 0
    before = digest(out)
    out.rename(tmp_path / ".out.tmp-old-abc123")  # killed right after the first rename
    with output.locked(out):
        output.sweep(out)
    assert digest(out) == before and leftovers(tmp_path) == []


def test_replace_without_exchange(tmp_path, monkeypatch):
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("old")
    new = output.temp_folder(out)
    (new / "new.txt").write_text("new")
    output.replace(new, out)
    assert [p.name for p in out.iterdir()] == ["new.txt"] and leftovers(tmp_path) == []


def test_deposit_killed_leaves_the_previous_deposit(make_edition, tmp_path):
    root = make_edition()
    out = tmp_path / "dep"
    assert teipress("deposit", root, "--out", out).returncode == 0
    before = digest(out)
    for delay in (0.3, 1.0, 2.0):
        proc = subprocess.Popen([sys.executable, "-m", "teipress", "deposit", str(root), "--out", str(out)],
                                env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        proc.send_signal(signal.SIGTERM)
        _o, stderr = proc.communicate(timeout=120)
        # -15: before Python had read teipress.cli, or while it was shutting down after the deposit
        assert proc.returncode in (0, 143, -15) and "Traceback" not in stderr
        assert digest(out) == before  # same sources, same SOURCE_DATE_EPOCH: the same bytes
        assert leftovers(tmp_path) == []

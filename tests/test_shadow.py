"""An incremental build writes the difference into the shadow of its output and exchanges the
two (teipress/commands/shadow.py): the output is still the bytes of a clean build after edits,
partial builds, hand edits and deletions in the output, and a build killed while the shadow
was being brought up to date."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from test_incremental import EPOCH, NO_PDF, build, edit, edition, same_tree
from teipress.commands import output, shadow

ROOT = Path(__file__).resolve().parent.parent


def word(root: Path, n: int, step: int) -> None:
    f = root / "tei" / f"letter-{n}.xml"
    f.write_text(f.read_text(encoding="utf-8").replace("wrote", f"wrote ({step})", 1), encoding="utf-8")


def clean(root: Path, folder: Path, only=NO_PDF) -> Path:
    build(root, folder, incremental=False, only=only)
    return folder


def left_beside(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".tmp-" in p.name or p.name.endswith(".lock"))


def test_the_shadow_is_brought_up_to_date_and_exchanged(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed", letters=4)
    out = tmp_path / "out"
    build(root, out)
    for step in range(4):
        word(root, 1 + step % 4, step)
        written = []
        real = shadow.Writer.put
        monkeypatch.setattr(shadow.Writer, "put", lambda self, path, *a, **k: (
            written.append(self), real(self, path, *a, **k))[1])
        build(root, out)
        monkeypatch.setattr(shadow.Writer, "put", real)
        writer = written[0]
        # the first build after the first has no shadow yet; from then on, one is updated
        assert writer.shadow == (step > 0)
        if step > 0:
            assert writer.kept > writer.written + writer.linked  # most files were left as they were
        assert same_tree(out, clean(root, tmp_path / f"clean-{step}")) == []
        assert shadow.shadow_folder(out).is_dir() and left_beside(tmp_path) == []
    # the shadow is the previous output: its unchanged files are the output's own (hard links)
    page = Path("html") / "documents" / "letter-3.html"
    assert os.stat(out / page).st_ino == os.stat(shadow.shadow_folder(out) / page).st_ino


def test_random_edits_with_partial_builds_give_a_clean_builds_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed", letters=5)
    out = tmp_path / "out"
    build(root, out)
    (out / "screenshots").mkdir()
    (out / "screenshots" / "home.png").write_bytes(b"png")  # not the build's: carried over
    rng = random.Random(7)
    for step in range(8):
        kind = edit(rng, root, step)
        only = rng.choice([NO_PDF, NO_PDF, {"html"}, {"sources"}])
        before = tmp_path / f"before-{step}"
        os.system(f"cp -a {out} {before}")
        build(root, out, only=only)
        made = clean(root, tmp_path / f"clean-{step}", only=only)
        for name in ("html", "tei"):
            expected = made / name if (made / name).is_dir() else before / name
            assert same_tree(out / name, expected) == [], (step, kind, only, name)
        assert (out / "screenshots" / "home.png").read_bytes() == b"png"
        assert sorted(p.name for p in out.iterdir()) == ["html", "screenshots", "tei"]
    build(root, out)
    assert same_tree(out / "html", clean(root, tmp_path / "clean-last") / "html") == []


def test_a_page_edited_or_deleted_by_hand_is_made_again(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed", letters=3)
    out = tmp_path / "out"
    for step in range(3):  # an output and its shadow, sharing the files they have in common
        word(root, 1, step)
        build(root, out)
    page = out / "html" / "documents" / "letter-2.html"
    kept = page.read_bytes()
    assert os.stat(page).st_ino == os.stat(shadow.shadow_folder(out) / page.relative_to(out)).st_ino
    with open(page, "r+b") as fh:  # edited in place: the shadow's name of it shows the edit too
        fh.write(b"<!-- by hand -->")
    gone = out / "html" / "documents" / "letter-3.html"
    gone_bytes = gone.read_bytes()
    gone.unlink()
    assert not build(root, out).up_to_date  # (the no-op check sees both)
    assert page.read_bytes() == kept and gone.read_bytes() == gone_bytes
    word(root, 1, 9)
    build(root, out)
    assert same_tree(out, clean(root, tmp_path / "clean")) == []
    # edited by hand in the shadow itself (nobody should, but it must not leak into the output)
    hidden = shadow.shadow_folder(out) / "html" / "documents" / "letter-2.html"
    with open(hidden, "r+b") as fh:
        fh.write(b"<!-- in the shadow -->")
    word(root, 1, 10)
    build(root, out)
    assert same_tree(out, clean(root, tmp_path / "clean-2")) == []


KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from teipress.commands import build, shadow
    real, count = shadow.Writer.put, [0]

    def put(self, path, *a, **k):
        real(self, path, *a, **k)
        if self.shadow:
            count[0] += 1
            if count[0] == int(sys.argv[3]):
                os.kill(os.getpid(), signal.SIGKILL)  # killed while bringing the shadow up to date

    shadow.Writer.put = put
    build.build(Path(sys.argv[1]), Path(sys.argv[2]), only={"sources", "html", "search", "cmif"},
                incremental=True)
""")


def built(tmp_path, monkeypatch, letters: int, edited: list[tuple[int, int]], jobs: int | None = None):
    """An edition of *letters* letters built incrementally, then again after each (letter,
    word) edit in *edited*; *jobs*: TEIPRESS_JOBS.  (edition folder, output folder)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    if jobs is not None:
        monkeypatch.setenv("TEIPRESS_JOBS", str(jobs))
    root = edition(tmp_path / "ed", letters=letters)
    out = tmp_path / "out"
    build(root, out)
    for letter, n in edited:
        word(root, letter, n)
        build(root, out)
    return root, out


def test_a_build_killed_while_updating_the_shadow_leaves_the_output_whole(tmp_path, monkeypatch):
    root, out = built(tmp_path, monkeypatch, 3, [(1, 0), (1, 1)])
    for step, at in enumerate((1, 5, 40)):
        before = tmp_path / f"before-{step}"
        os.system(f"cp -a {out} {before}")
        word(root, 2, step)
        root_env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.run([sys.executable, "-c", KILLER, str(root), str(out), str(at)], env=root_env,
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == -signal.SIGKILL, proc.stderr
        assert same_tree(out, before) == []  # the output is the previous build, whole
        assert not shadow.shadow_folder(out).exists() and left_beside(tmp_path)  # the shadow, half done
        assert not build(root, out).up_to_date
        assert left_beside(tmp_path) == []
        assert same_tree(out, clean(root, tmp_path / f"clean-{step}")) == []
        word(root, 3, step)  # and the build after that one has a shadow again
        build(root, out)
        assert shadow.shadow_folder(out).is_dir()
        assert same_tree(out, clean(root, tmp_path / f"clean-again-{step}")) == []


def test_a_build_that_fails_removes_the_half_updated_shadow(tmp_path, monkeypatch):
    root, out = built(tmp_path, monkeypatch, 2, [(1, 0), (1, 1), (1, 2)])
    before = tmp_path / "before"
    os.system(f"cp -a {out} {before}")
    word(root, 2, 5)
    from teipress.commands import build as build_mod
    from teipress.outputs import cmif

    monkeypatch.setattr(cmif, "build", lambda ctx: (_ for _ in ()).throw(build_mod.BuildError("no cmif")))
    try:
        build(root, out)
    except build_mod.BuildError:
        pass
    else:
        raise AssertionError("the build should have failed")
    assert same_tree(out, before) == []
    assert left_beside(tmp_path) == [] and not shadow.shadow_folder(out).exists()
    monkeypatch.undo()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    build(root, out)
    assert same_tree(out, clean(root, tmp_path / "clean")) == []


def test_a_build_without_the_cache_drops_the_shadow(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = edition(tmp_path / "ed", letters=2)
    out = tmp_path / "out"
    for step in range(2):
        word(root, 1, step)
        build(root, out)
    assert shadow.shadow_folder(out).is_dir()
    build(root, out, incremental=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ed", "out"]
    word(root, 2, 3)
    build(root, out)
    assert same_tree(out, clean(root, tmp_path / "clean")) == []
    assert output._writer is None


def test_the_shadow_is_checked_in_a_child_begun_early_and_a_hand_edit_is_still_seen(tmp_path, monkeypatch):
    root, out = built(tmp_path, monkeypatch, 3, [(1, 0), (1, 1)], jobs=2)
    page = out / "html" / "documents" / "letter-2.html"
    kept = page.read_bytes()
    with open(page, "r+b") as fh:  # edited in place: the shadow's name of it shows the edit too
        fh.write(b"<!-- by hand -->")
    taken = []
    real = shadow._walked
    monkeypatch.setattr(shadow, "_walked", lambda target: taken.append(real(target)) or taken[-1])
    word(root, 1, 2)
    build(root, out)
    found, untrusted = taken[0]  # (the child's walk was taken: the Writer did not walk the shadow)
    assert "html/documents/letter-2.html" in found and "html/documents/letter-2.html" in untrusted
    assert page.read_bytes() == kept
    assert same_tree(out, clean(root, tmp_path / "clean")) == []


def test_the_childs_check_of_a_folder_is_the_writers_own(tmp_path, monkeypatch):
    monkeypatch.setenv("TEIPRESS_JOBS", "2")
    folder, cache = tmp_path / "shadow", tmp_path / "cache"
    (folder / "a" / "b").mkdir(parents=True)
    for rel in ("x.html", "a/y.html", "a/b/z.html"):
        (folder / rel).write_bytes(rel.encode())
    found = shadow.walk(folder)[0]
    shadow.write_manifests(cache, {shadow.folder_id(folder): {
        rel: (shadow.sha(rel.encode()), size, mtime, ino) for rel, (size, mtime, ino, _plain) in found.items()}})
    with open(folder / "a" / "y.html", "ab") as fh:  # edited since the manifest was written
        fh.write(b"!")
    (folder / "a" / "new.html").write_bytes(b"new")
    os.symlink("x.html", folder / "link.html")
    ino, files, untrusted = shadow._checked(os.open(folder, os.O_RDONLY), cache)
    assert ino == shadow.folder_id(folder)
    assert sorted(files.split("\0")) == sorted(shadow.walk(folder)[0])
    assert sorted(untrusted.split("\0")) == ["a/new.html", "a/y.html", "link.html"]
    assert shadow._checked(os.open(folder, os.O_RDONLY), tmp_path / "no-cache") is None  # (no manifest of it)
    # begun in a child, then the folder renamed (as the build renames the shadow): the same answer
    shadow.walk_ahead(folder, cache)
    moved = folder.rename(tmp_path / "renamed")
    got = shadow._walked(moved)
    assert got == (set(files.split("\0")), set(untrusted.split("\0")))
    shadow.walk_ahead(moved, cache)
    assert shadow._walked(tmp_path) is None  # (the walk of another folder is not taken)

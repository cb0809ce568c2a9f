"""A build fills its new output folder from the output it replaces: a file with the same bytes is
hard-linked from it (teipress.commands.output.put), a changed one written anew, and nothing is
ever written through a link into the previous output."""
from __future__ import annotations

import os

from test_incremental import EPOCH, build, edit_letters, letters_edition, same_tree
from teipress.commands import output, shadow


def test_put_links_the_same_bytes_and_never_writes_into_the_previous_output(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    (old / "a").mkdir(parents=True)
    (old / "a" / "same.html").write_bytes(b"same")
    (old / "a" / "changed.html").write_bytes(b"before")
    output.put(new / "a" / "same.html", b"same", new, old)
    output.put(new / "a" / "changed.html", b"after!", new, old)
    output.put(new / "a" / "new.html", b"new", new, old)
    assert os.path.samefile(new / "a" / "same.html", old / "a" / "same.html")
    assert not os.path.samefile(new / "a" / "changed.html", old / "a" / "changed.html")
    assert (new / "a" / "changed.html").read_bytes() == b"after!"
    assert (new / "a" / "new.html").read_bytes() == b"new"
    # the same place written again after it was linked: the link is replaced, the old file kept
    output.put(new / "a" / "same.html", b"other", new, old)
    assert (new / "a" / "same.html").read_bytes() == b"other"
    assert (old / "a" / "same.html").read_bytes() == b"same"
    # and a file of the same size but other bytes is not linked
    output.put(new / "a" / "changed.html", b"BEFORE", new, old)
    assert (new / "a" / "changed.html").read_bytes() == b"BEFORE"
    assert (old / "a" / "changed.html").read_bytes() == b"before"


def test_a_rebuild_links_unchanged_files_and_leaves_the_previous_output_as_it_was(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = letters_edition(tmp_path / "ed")
    out = tmp_path / "out"
    real_remove = output.remove
    for incremental in (False, True):
        build(root, out, incremental=incremental)
        before = {p.relative_to(out): (p.read_bytes(), os.stat(p).st_ino) for p in out.rglob("*") if p.is_file()}
        seen = []

        def remove(path):
            # the previous output, swapped out by the new one, just before it is removed: as it was
            if (path / "html").is_dir():
                seen.append(path)
                for rel, (data, _ino) in before.items():
                    assert (path / rel).read_bytes() == data, rel
            real_remove(path)

        monkeypatch.setattr(output, "remove", remove)
        edit_letters(root, "text" if not incremental else "title")
        build(root, out, incremental=incremental)
        monkeypatch.setattr(output, "remove", real_remove)
        if incremental:  # the previous output is not removed: it is the next build's shadow
            kept = shadow.shadow_folder(out)
            for rel, (data, _ino) in before.items():
                assert (kept / rel).read_bytes() == data, rel
            seen.append(kept)
        assert seen
        build(root, tmp_path / f"clean-{incremental}", incremental=False)
        assert same_tree(out, tmp_path / f"clean-{incremental}") == []
        linked = {rel for rel, (_d, ino) in before.items()
                  if (out / rel).is_file() and os.stat(out / rel).st_ino == ino}
        changed = {rel for rel, (data, _i) in before.items()
                   if (out / rel).is_file() and (out / rel).read_bytes() != data}
        assert not linked & changed
        # the sources, the other letters' pages and citations, the static files: linked
        assert {p for p in linked if p.parts[:2] == ("html", "documents")} >= {
            p for p in before if p.parts[:2] == ("html", "documents") and p.name != "l3.html"
            and p.name not in ("l2.html", "l4.html")}
        assert any(p.parts[0] == "tei" for p in linked) and any("static" in p.parts for p in linked)


def test_put_does_not_link_a_file_that_has_another_name_or_is_a_symlink(tmp_path):
    old, new, elsewhere = tmp_path / "old", tmp_path / "new", tmp_path / "elsewhere"
    old.mkdir()
    elsewhere.mkdir()
    (elsewhere / "shared.html").write_bytes(b"x")
    os.link(elsewhere / "shared.html", old / "shared.html")  # e.g. a backup made with cp -al
    (old / "link.html").symlink_to(elsewhere / "shared.html")
    for name in ("shared.html", "link.html"):
        output.put(new / name, b"x", new, old)
        assert not (new / name).is_symlink() and (new / name).read_bytes() == b"x"
        assert os.stat(new / name).st_nlink == 1

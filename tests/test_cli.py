"""The command line: exit codes, output formats, and builds that never half-write."""
from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from conftest import MINI_DOC
from teipress.cli import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_version_and_help():
    r = run("--version")
    assert r.exit_code == 0 and "teipress" in r.output
    for cmd in ("validate", "build"):
        r = run(cmd, "--help")
        assert r.exit_code == 0 and "Usage:" in r.output


def test_python_dash_m():
    r = subprocess.run([sys.executable, "-m", "teipress", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "validate" in r.stdout


def test_validate_clean_exit_0(make_edition):
    r = run("validate", make_edition())
    assert r.exit_code == 0, r.output
    assert "0 errors, 0 warnings" in r.output


def test_validate_errors_exit_1(make_edition):
    root = make_edition(replace=[("persons.xml#anna", "persons.xml#hanna")])
    r = run("validate", root)
    assert r.exit_code == 1
    first = r.output.splitlines()[0]
    assert first.startswith(str(root / "tei" / "mini.xml").lstrip("/")) or "mini.xml:" in first
    assert ": error: " in first and first.endswith("[pointer-resolves]")


def test_validate_single_file(make_edition):
    root = make_edition(replace=[("persons.xml#anna", "persons.xml#hanna")])
    r = run("validate", root / "tei" / "persons.xml")
    assert r.exit_code == 0, r.output  # the error is in mini.xml, not in this file
    r = run("validate", root / "tei" / "mini.xml")
    assert r.exit_code == 1


def test_validate_usage_error_exit_2(tmp_path):
    r = run("validate", tmp_path / "missing")
    assert r.exit_code == 2
    r = run("validate", "--format", "yaml")
    assert r.exit_code == 2


def test_validate_json(make_edition):
    root = make_edition(replace=[('when="1961-03-05"', 'when="1961-02-30"')])
    r = run("validate", "--format", "json", root)
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert data["errors"] == 1
    [d] = data["diagnostics"]
    assert d["rule"] == "date-iso" and d["line"] > 1 and d["severity"] == "error"


def test_werror(make_edition):
    root = make_edition(replace=[('<placeName ref="persons.xml#vienna">Vienna</placeName>', "Vienna")])
    assert run("validate", root).exit_code == 0
    assert run("validate", "--werror", root).exit_code == 1


def test_build_writes_sources(make_edition, tmp_path):
    root = make_edition()
    out = tmp_path / "out"
    r = run("build", root, "--out", out, "--only", "sources")
    assert r.exit_code == 0, r.output
    assert (out / "tei" / "mini.xml").read_text(encoding="utf-8") == MINI_DOC
    assert (out / "tei" / "schema" / "teipress.xsd").exists()


def test_build_refuses_invalid_and_keeps_previous_output(make_edition, tmp_path):
    root = make_edition()
    out = tmp_path / "out"
    assert run("build", root, "--out", out, "--only", "sources").exit_code == 0
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    (root / "tei" / "mini.xml").write_text(MINI_DOC.replace("persons.xml#anna", "persons.xml#x"), encoding="utf-8")
    r = run("build", root, "--out", out, "--only", "sources")
    assert r.exit_code == 1
    assert "nothing was built" in r.output
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert (out / "tei" / "mini.xml").read_text(encoding="utf-8") == MINI_DOC
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".out")]  # no temp folders left


def test_build_no_validate(make_edition, tmp_path):
    root = make_edition(replace=[("persons.xml#anna", "persons.xml#x")])
    r = run("build", root, "--out", tmp_path / "o", "--no-validate", "--only", "sources")
    assert r.exit_code == 0, r.output


def test_build_never_from_malformed_files(make_edition, tmp_path):
    root = make_edition(replace=[("</head>", "</hed>")])
    r = run("build", root, "--out", tmp_path / "o", "--no-validate")
    assert r.exit_code == 1
    assert not (tmp_path / "o").exists()


def test_build_not_an_edition(tmp_path):
    r = run("build", tmp_path)
    assert r.exit_code == 2 and "no tei/ folder" in r.output


def test_bad_edition_toml(make_edition):
    root = make_edition()
    (root / "edition.toml").write_text('titel = "x"\n')
    r = run("build", root)
    assert r.exit_code == 1 and "unknown key(s) titel" in r.output


def test_bad_source_date_epoch(make_edition, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    r = run("build", make_edition(), "--out", tmp_path / "o", "--only", "sources")
    assert r.exit_code == 1 and "SOURCE_DATE_EPOCH" in r.output


def test_failing_stage_is_a_message_and_leaves_nothing(make_edition, tmp_path, monkeypatch):
    from teipress.commands import build as build_mod

    def boom(ctx):
        (ctx.out / "half-written.html").write_text("<p>")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(build_mod, "stages", lambda: [("sources", build_mod.stage_sources), ("boom", boom)])
    monkeypatch.delenv("TEIPRESS_DEBUG", raising=False)
    out = tmp_path / "o"
    r = run("build", make_edition(), "--out", out)
    assert r.exit_code == 1
    assert "the boom stage failed: RuntimeError: disk on fire" in r.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "edition"]  # no temp folder left behind


def test_rebuild_replaces_outputs_whole_and_keeps_other_files(make_edition, tmp_path):
    root = make_edition()
    out = tmp_path / "out"
    assert run("build", root, "--out", out, "--only", "sources").exit_code == 0
    (out / "tei" / "stale.xml").write_text("<old/>")  # an output of an earlier build
    (out / "screenshots").mkdir()
    (out / "screenshots" / "home.png").write_bytes(b"png")  # not an output of build
    assert run("build", root, "--out", out, "--only", "sources").exit_code == 0
    assert not (out / "tei" / "stale.xml").exists()
    assert (out / "screenshots" / "home.png").read_bytes() == b"png"
    assert sorted(p.name for p in out.iterdir()) == ["screenshots", "tei"]


def test_unknown_stage_is_a_usage_error_before_any_work(make_edition, tmp_path):
    root = make_edition(replace=[("persons.xml#anna", "persons.xml#x")])
    r = run("build", root, "--out", tmp_path / "o", "--only", "nosuch")
    assert r.exit_code == 2 and "unknown stage(s) nosuch" in r.output
    assert "pointer-resolves" not in r.output  # refused before loading and validating


def test_build_and_deposit_refuse_an_invalid_edition_alike(make_edition, tmp_path):
    root = make_edition(replace=[("persons.xml#anna", "persons.xml#x")])
    built = run("build", root, "--out", tmp_path / "b")
    deposited = run("deposit", root, "--out", tmp_path / "d")
    assert built.exit_code == deposited.exit_code == 1
    assert built.stdout == deposited.stdout and "[pointer-resolves]" in built.stdout
    assert built.stderr.splitlines()[-1] == "error: the edition is not valid; nothing was built (use --no-validate to force)"
    assert deposited.stderr.splitlines()[-1] == "error: the edition is not valid; no deposit was made"
    assert not (tmp_path / "b").exists() and not (tmp_path / "d").exists()


def test_output_paths_that_cannot_be_written_are_messages(make_edition, tmp_path):
    root = make_edition()
    (tmp_path / "afile").write_text("x")
    for cmd in ("build", "deposit"):
        r = run(cmd, root, "--out", tmp_path / "afile")
        assert r.exit_code == 2 and "is a file" in r.output
        r = run(cmd, root, "--out", tmp_path / "afile" / "sub")
        assert r.exit_code == 1 and "a part of the output path is a file, not a folder" in r.stderr
    r = run("build", root, "--out", tmp_path / "not" / "yet" / "there", "--only", "sources")
    assert r.exit_code == 0 and (tmp_path / "not" / "yet" / "there" / "tei" / "mini.xml").is_file()


def test_the_unforeseen_is_a_message_not_a_traceback(make_edition, tmp_path, monkeypatch):
    monkeypatch.delenv("TEIPRESS_DEBUG", raising=False)
    root = make_edition()
    (root / "tei" / "folder.xml").mkdir()  # a folder where a TEI file is expected
    r = run("build", root, "--out", tmp_path / "o")
    assert r.exit_code == 1 and r.stderr.splitlines()[-1].endswith("folder.xml: Is a directory")
    assert "Traceback" not in r.output
    (tmp_path / "afile").write_text("x")
    r = run("init", tmp_path / "afile" / "new", "--title", "T")
    assert r.exit_code == 1 and "Not a directory" in r.stderr


def test_deposit_check_of_a_binary_or_garbled_bag(tmp_path):
    bag = tmp_path / "bag"
    (bag / "data").mkdir(parents=True)
    (bag / "bagit.txt").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)))  # a JPEG
    r = run("deposit", "--check", bag)
    assert r.exit_code == 1
    assert f"{bag / 'bagit.txt'}:1: error: invalid: not UTF-8 text" in r.stdout
    (bag / "bagit.txt").write_bytes(b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    (bag / "bag-info.txt").write_bytes(b"Source-Organization: x\nContact-Name: \xff\xfe\n")
    (bag / "manifest-sha256.txt").write_bytes(b"\x00\x01 data/x\n")
    r = run("deposit", "--check", bag)
    assert r.exit_code == 1
    assert f"{bag / 'bag-info.txt'}:2: error: invalid: not UTF-8 text" in r.stdout
    assert f"{bag / 'manifest-sha256.txt'}:1: error: invalid: contains NUL bytes" in r.stdout


def test_an_output_folder_that_would_replace_what_is_not_ours_is_refused(make_edition, tmp_path):
    """Builds replace their output folder whole, so it must be theirs."""
    root = make_edition()
    mine = tmp_path / "papers"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    for cmd, out, message in (("build", root, "would hold the edition itself"),
                              ("build", tmp_path, "would hold the edition itself"),
                              ("build", root / "tei" / "out", "cannot be inside tei/"),
                              ("build", mine, "holds no earlier output of teipress"),
                              ("deposit", mine, "holds no earlier output of teipress")):
        r = run(cmd, root, "--out", out)
        assert r.exit_code == 1 and message in r.stderr, (cmd, out, r.output)
    assert (mine / "notes.txt").read_text() == "mine" and sorted(p.name for p in mine.iterdir()) == ["notes.txt"]
    assert sorted(p.name for p in root.iterdir()) == ["tei"]

"""Nothing is written outside the output folder and nothing is read from outside the edition,
whatever the ids, the image paths, the symlinks and edition.toml say."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import MINI_DOC, MINI_PERSONS
from teipress import config, edition
from teipress.cli import main
from teipress.model import paths


def snapshot(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def write_edition(root: Path, docs: dict[str, str], toml: str | None = None) -> Path:
    (root / "tei").mkdir(parents=True)
    (root / "tei" / "persons.xml").write_text(MINI_PERSONS, encoding="utf-8")
    for name, xml_id in docs.items():
        (root / "tei" / name).write_text(MINI_DOC.replace('xml:id="mini"', f'xml:id="{xml_id}"'), encoding="utf-8")
    if toml is not None:
        (root / "edition.toml").write_text(toml, encoding="utf-8")
    return root


CRAFTED_IDS = {"a.xml": "../../../X", "b.xml": "/tmp/absolute", "c.xml": "NUL", "d.xml": "..",
               "e.xml": "x" * 400, "f.xml": "sub/../../up", "g.xml": "..\\..\\win", "h.xml": "con.txt"}


def test_crafted_document_ids_write_only_inside_the_output_folder(tmp_path):
    root = write_edition(tmp_path / "sandbox" / "edition", CRAFTED_IDS)
    before = snapshot(tmp_path)
    out = root / "build"
    r = CliRunner().invoke(main, ["build", str(root), "--out", str(out), "--no-validate", "-q",
                                  "--only", "html", "--only", "pdf"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    new = snapshot(tmp_path) - before
    assert new and all(p.startswith("sandbox/edition/build") for p in new), sorted(new)
    pdfs = sorted(p.name for p in (out / "pdf").iterdir())
    pages = sorted(p.name for p in (out / "html" / "documents").iterdir())
    for name in pdfs + pages:
        assert "/" not in name and "\\" not in name and not name.startswith(".")
        assert name.split(".")[0].upper() not in ("NUL", "CON")
        assert len(name) < 120
    assert len(pdfs) == len(CRAFTED_IDS) and len(pages) == len(CRAFTED_IDS)


@pytest.mark.parametrize("bad", ["../outside", "a/b", "..", "/abs", "x\x00y", "has space", ".hidden", "x" * 101])
def test_an_edition_id_that_is_a_path_is_a_config_error(tmp_path, bad):
    root = write_edition(tmp_path / "edition", {"a.xml": "a"}, f"id = {json.dumps(bad)}\n")
    with pytest.raises(config.ConfigError) as err:
        config.load(root)
    assert err.value.line == 1 and "'id'" in err.value.message


def test_deposit_with_a_path_as_id_gives_a_message_and_writes_nothing_outside(tmp_path):
    root = write_edition(tmp_path / "sandbox" / "edition", {"a.xml": "a"}, 'id = "../../escaped"\n')
    before = snapshot(tmp_path)
    r = CliRunner().invoke(main, ["deposit", str(root), "-q"])
    assert r.exit_code != 0
    assert "Traceback" not in r.output and isinstance(r.exception, SystemExit)
    assert "edition.toml:1" in r.output and "'id'" in r.output
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("url", ["javascript:alert(1)//", "data:text/html,x", "//example.org/",
                                 "https://user:secret@example.org/", 'https://example.org/"><script>',
                                 "https://example.org/ x", "example.org", "https://example.org/?q=1",
                                 "https://example.org/#top", "ftp://example.org/"])
def test_base_url_must_be_a_plain_http_address(tmp_path, url):
    root = write_edition(tmp_path / "edition", {"a.xml": "a"}, f'title = "T"\nbase_url = {json.dumps(url)}\n')
    with pytest.raises(config.ConfigError) as err:
        config.load(root)
    assert err.value.line == 2 and "base_url" in err.value.message


@pytest.mark.parametrize("url", ["https://example.org/edition/", "http://localhost:8000", "HTTPS://Example.org"])
def test_good_base_urls_pass(tmp_path, url):
    root = write_edition(tmp_path / "edition", {"a.xml": "a"}, f'base_url = "{url}"\n')
    assert config.load(root).get("base_url") == url


def test_schema_setting_is_confined_to_the_edition(tmp_path):
    (tmp_path / "secret.xsd").write_text("<x/>", encoding="utf-8")
    for value in ["../secret.xsd", str(tmp_path / "secret.xsd"), "tei/../../secret.xsd"]:
        root = tmp_path / f"e{abs(hash(value))}"
        write_edition(root, {"a.xml": "a"}, f'schema = "{value}"\n')
        with pytest.raises(config.ConfigError, match="outside the edition folder"):
            config.load(root)
    # a symlink inside the edition that leads out is outside too
    root = write_edition(tmp_path / "linked", {"a.xml": "a"}, 'schema = "tei/schema.xsd"\n')
    os.symlink(tmp_path / "secret.xsd", root / "tei" / "schema.xsd")
    with pytest.raises(config.ConfigError, match="outside the edition folder"):
        config.load(root)


def test_symlinked_tei_files_outside_the_edition_are_not_read(tmp_path):
    secret = tmp_path / "private"
    secret.mkdir()
    (secret / "diary.xml").write_text(MINI_DOC.replace("Anna", "SECRETWORD"), encoding="utf-8")
    (secret / "sub").mkdir()
    (secret / "sub" / "more.xml").write_text(MINI_DOC.replace("Anna", "SECRETWORD"), encoding="utf-8")
    root = write_edition(tmp_path / "edition", {"a.xml": "a"})
    os.symlink(secret / "diary.xml", root / "tei" / "diary.xml")
    os.symlink(secret / "sub", root / "tei" / "linked-folder")
    ed = edition.load(root)
    assert [f.rel for f in ed.files] == ["a.xml", "persons.xml"]
    assert [e.rule for e in ed.errors] == ["symlink"]
    assert "follow_symlinks = true" in ed.errors[0].message
    r = CliRunner().invoke(main, ["build", str(root), "--no-validate", "-q", "--only", "html"])
    assert r.exit_code != 0 and "diary.xml" in r.output
    assert not any(b"SECRETWORD" in p.read_bytes() for p in root.joinpath("build").rglob("*") if p.is_file())
    # the editor may allow it explicitly
    (root / "edition.toml").write_text("follow_symlinks = true\n", encoding="utf-8")
    ed = edition.load(root)
    assert "diary.xml" in [f.rel for f in ed.files] and not ed.errors


def test_a_symlink_inside_the_edition_is_read(tmp_path):
    root = write_edition(tmp_path / "edition", {"a.xml": "a"})
    (root / "drafts").mkdir()
    (root / "drafts" / "b.xml").write_text(MINI_DOC.replace('xml:id="mini"', 'xml:id="b"'), encoding="utf-8")
    os.symlink(root / "drafts" / "b.xml", root / "tei" / "b.xml")
    ed = edition.load(root)
    assert "b.xml" in [f.rel for f in ed.files] and not ed.errors


@pytest.mark.parametrize("src", ["%2e%2e/secret.png", "%2E%2E/secret.png", "img/%252e%252e/%252e%252e/secret.png",
                                 "/etc/passwd", "..\\secret.png", "img/../../secret.png", "file:///etc/passwd",
                                 "img/a.png%00.jpg", "", ".%2e/secret.png"])
def test_image_paths_that_leave_the_edition_are_refused(tmp_path, src):
    root = write_edition(tmp_path / "edition", {"a.xml": "a"})
    f = edition.load(root).file("a.xml")
    assert paths.image(f, src) is None


def test_image_paths_inside_the_edition_pass_and_symlinked_images_out_do_not(tmp_path):
    root = write_edition(tmp_path / "edition", {"a.xml": "a"})
    (root / "tei" / "img").mkdir()
    (root / "tei" / "img" / "a.png").write_bytes(b"png")
    (tmp_path / "secret.png").write_bytes(b"secret")
    os.symlink(tmp_path / "secret.png", root / "tei" / "img" / "linked.png")
    f = edition.load(root).file("a.xml")
    assert paths.image(f, "img/a.png") == "img/a.png"
    assert paths.image(f, "img/linked.png") is None


def test_an_image_symlinked_out_of_the_edition_is_not_published(tmp_path):
    root = write_edition(tmp_path / "edition", {"a.xml": "a"})
    doc = (root / "tei" / "a.xml").read_text(encoding="utf-8").replace(
        "A note.</note></p>", 'A note.</note></p><figure><graphic url="img/linked.png"/></figure>'
        '<figure><graphic url="%2e%2e/%2e%2e/secret.png"/></figure>')
    (root / "tei" / "a.xml").write_text(doc, encoding="utf-8")
    (root / "tei" / "img").mkdir()
    (tmp_path / "secret.png").write_bytes(b"SECRETBYTES")
    os.symlink(tmp_path / "secret.png", root / "tei" / "img" / "linked.png")
    r = CliRunner().invoke(main, ["build", str(root), "--no-validate", "--only", "html"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert "not inside the edition folder" in r.output
    assert not any(b"SECRETBYTES" in p.read_bytes() for p in (root / "build").rglob("*") if p.is_file())


def test_output_names_and_init_ids_transliterate_alike():
    """One transliteration for every name: an edition id init makes from a title and an output
    name made from an xml:id agree ('Straße' is 'Strasse' in both, Cyrillic is read, not dropped)."""
    from teipress.commands.init import make_id
    from teipress.model.paths import safe_name

    assert safe_name("Straße") == "Strasse" and make_id("Straße") == "strasse"
    assert safe_name("Письмо-1") == "Pismo-1" and make_id("Письмо 1") == "pismo-1"

"""The wheel carries everything the tool reads at run time (stylesheets, templates, Typst, static files)."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

from conftest import REPO


def test_wheel_ships_every_resource(tmp_path):
    # From a clean copy: an editable install's teipress.egg-info would otherwise let
    # setuptools add files that pyproject.toml forgot.
    src = tmp_path / "src"
    shutil.copytree(REPO, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "node_modules", "*.egg-info", "__pycache__", ".pytest_cache"))
    r = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path), str(src)],
        capture_output=True, text=True,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    [wheel] = tmp_path.glob("teipress-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = set()
    for folder, target in (("xslt", "teipress/xslt"), ("teipress/templates", "teipress/templates"),
                           ("teipress/static", "teipress/static"), ("teipress/typst", "teipress/typst"),
                           ("tei/schema", "teipress/schema")):
        for p in (REPO / folder).rglob("*"):
            if p.is_file() and "__pycache__" not in p.parts:
                expected.add(f"{target}/{p.relative_to(REPO / folder).as_posix()}")
    assert expected, "no resources found"
    assert sorted(expected - names) == []
    # Every module of every subpackage (commands/, validation/, model/ …): pyproject.toml lists
    # the packages one by one, so a new one left out would be missing only from the wheel.
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "teipress").rglob("*.py")}
    assert "teipress/commands/build.py" in modules and "teipress/validation/rules.py" in modules
    assert sorted(modules - names) == []
    assert not [n for n in names if n.endswith("browser.py")]  # a test helper, not the tool's

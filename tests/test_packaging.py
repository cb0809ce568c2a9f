"""The wheel carries everything the tool reads at run time (stylesheets, templates, Typst, static files)."""
from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import REPO


def test_wheel_ships_every_resource(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path), str(REPO)],
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

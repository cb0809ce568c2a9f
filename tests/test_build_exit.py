"""`teipress build` run as the program ends at once when the build is done (cli._end_now):
what it printed is all there, and the output and cache it made are whole."""
from __future__ import annotations

import os
import subprocess
import sys

from test_incremental import EPOCH, NO_PDF, edition


def test_a_build_that_ends_at_once_leaves_its_lines_output_and_cache_whole(tmp_path):
    root = edition(tmp_path / "ed", letters=3)
    out = tmp_path / "out"
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    cmd = [sys.executable, "-m", "teipress", "build", str(root), "--out", str(out), "--incremental",
           *(a for s in sorted(NO_PDF) for a in ("--only", s))]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert first.stderr.splitlines()[-1] == "done"  # (flushed before the program ended)
    assert (out / "html" / "documents" / "letter-1.html").is_file()
    again = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert again.returncode == 0 and "is up to date" in again.stderr  # the cache was written whole

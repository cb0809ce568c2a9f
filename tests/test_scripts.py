"""The maintainer scripts still run against the code as it is (no timing is asserted)."""
from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def run(*args: str) -> str:
    proc = subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_benchmark_measures_every_stage_cpu_time_and_the_floor():
    out = run("scripts/benchmark.py", "--sizes", "1")
    head = next(line for line in out.splitlines() if line.startswith("| edition"))
    for column in ("model (s)", "pdf (s)", "html (s)", "search (s)", "build CPU (s)",
                   "lxml parse + serialise (s)", "peak RSS (MiB)"):
        assert column in head
    assert "| 1 × the document | 1 |" in out


def test_pdf_benchmark_typesets_a_volume():
    out = run("scripts/benchmark_pdf.py", "--pages", "30", "--runs", "1")
    assert "| document `nkidp-114978` |" in out and "volume:" in out

"""An interrupted build whose PDFs forked workers are typesetting ends at once: the workers are
killed with their Typst children (none outlives the build), no worker begins another document
after the signal (the pool used to finish the runs of documents it held before letting the
build end), and nothing of the build is left behind."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from test_atomic import leftovers, other_doc

LETTERS = 30  # the first jobs are runs of several letters: a run is under way when the signal comes


def marked(marker: str) -> list[int]:
    """The processes whose environment carries *marker* (the build and all it started)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if marker.encode() in (proc / "environ").read_bytes():
                    found.append(int(proc.name))
            except OSError:  # gone, or not ours
                continue
    return found


def documents(timeline: Path) -> list[dict]:
    if not timeline.exists():
        return []
    return [r for r in map(json.loads, timeline.read_text().splitlines()) if r.get("event") == "document"]


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_build_interrupted_in_the_pdf_stage_ends_its_workers_at_once(make_edition, tmp_path, sig):
    root = make_edition(extra={f"l{n}.xml": other_doc(f"l{n}") for n in range(LETTERS)})
    out, timeline, marker = tmp_path / "site", tmp_path / "timeline.jsonl", f"teipress-test-{uuid.uuid4()}"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "TEIPRESS_JOBS": "2",
           "TEIPRESS_PDF_TIMELINE": str(timeline), "TEIPRESS_TEST_MARK": marker}
    proc = subprocess.Popen([sys.executable, "-m", "teipress", "build", str(root), "--out", str(out)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while not documents(timeline) and proc.poll() is None:  # the first PDF made by a worker
            time.sleep(0.02)
        assert proc.poll() is None, proc.communicate()[1]
        signalled = time.time()
        proc.send_signal(sig)
        _stdout, stderr = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + sig, stderr
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1].startswith(f"interrupted ({sig.name})")
    # the workers and their Typst children went with the build (killed: at most a moment after)
    for _ in range(50):
        if not marked(marker):
            break
        time.sleep(0.1)
    assert marked(marker) == []
    # Each worker may have begun a document in the moment before it was killed; none after.
    # (Before, each finished the run of letters it held, and the pool the runs queued for it.)
    begun_after = [r for r in documents(timeline) if r["start"] > signalled]
    assert len(begun_after) <= 2, begun_after
    assert not out.exists() and leftovers(tmp_path) == []

"""The two outside judges of the HTML: the Nu HTML Checker (vnu.jar) and axe-core (WCAG 2.1
A/AA), both from npm (package.json; `make test` runs npm ci).  A test that needs one and finds
it absent skips, saying how to install it."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def need(path: Path, what: str) -> None:
    if not path.exists():
        pytest.skip(f"{what} is not installed: run `npm ci` (make test does)")


def nu_errors(files, skip_non_html: bool = False) -> list[str]:
    """The Nu HTML Checker's errors on *files*, as 'page:line: message'."""
    need(VNU, "vnu-jar")
    if not shutil.which("java"):
        pytest.skip("java is not installed (scripts/install-system-deps.sh)")
    args = ["--skip-non-html"] if skip_non_html else []
    proc = subprocess.run(["java", "-jar", str(VNU), "--format", "json", *args, *map(str, files)],
                          capture_output=True, text=True, timeout=300)
    report = json.loads(proc.stderr or proc.stdout)
    return [f"{m.get('url', '').rsplit('/html/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
            for m in report["messages"] if m["type"] == "error" or m.get("subType") == "fatal"]


def axe(page, label: str) -> list[str]:
    """WCAG 2.1 A/AA violations of the page as it is now (after any interaction)."""
    need(AXE, "axe-core")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [f"{label}: {v['id']} ({v['impact']}) {v['nodes']}" for v in result]

"""Screenshots of each page type of a built HTML edition, desktop and 375 px wide.

Usage: python scripts/screenshots.py [SITE_DIR] [OUT_DIR]
       (defaults: build/html, build/screenshots)
Serves SITE_DIR on 127.0.0.1 (random port) and drives Debian's chromium with Playwright.
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # tests/browser.py: the chromium helpers

from browser import CHROMIUM_ARGS, CHROMIUM, serve_dir  # noqa: E402

PAGES = {
    "home": "index.html",
    "document": None,  # the first document
    "persons": "persons.html",
    "places": "places.html",
    "organisations": "organisations.html",
    "chronology": "chronology.html",
    "principles": "principles.html",
    "about": "about.html",
    "search": "search.html",
}


def pages(site: Path) -> dict[str, str]:
    out = {}
    for name, rel in PAGES.items():
        if rel is None:
            docs = sorted((site / "documents").glob("*.html"))
            if docs:
                out[name] = f"documents/{docs[0].name}"
        elif (site / rel).exists():
            out[name] = rel
    return out


def shoot(site: Path, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    made = []
    with serve_dir(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width, suffix in ((1280, ""), (375, "-375")):
            page = browser.new_page(viewport={"width": width, "height": 900})
            for name, rel in pages(site).items():
                page.goto(f"{base}/{rel}")
                page.wait_for_load_state("networkidle")
                path = out / f"{name}{suffix}.png"
                page.screenshot(path=str(path), full_page=False)
                made.append(path)
            page.close()
        browser.close()
    return made


if __name__ == "__main__":
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "build" / "html"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else REPO / "build" / "screenshots"
    for p in shoot(site, out):
        print(p)

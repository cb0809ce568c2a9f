"""The default edition built once per test session (all stages), shared by the HTML tests."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from lxml import html as lxml_html

REPO = Path(__file__).resolve().parent.parent
EPOCH = "1767225600"  # 2026-01-01: fixed, so the build date is known


def build_edition(edition_dir: Path, out: Path, only: set[str] | None = None, validate: bool = False) -> dict:
    from teipress import build, edition

    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        ed = edition.load(edition_dir)
        return build.run(ed, out, only=only)
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


@lru_cache(maxsize=None)
def default_build() -> Path:
    """build/ of the default edition in a temporary folder (removed at exit)."""
    tmp = Path(tempfile.mkdtemp(prefix="teipress-site-"))
    atexit.register(shutil.rmtree, tmp, True)
    build_edition(REPO, tmp / "build")
    return tmp / "build"


def site() -> Path:
    return default_build() / "html"


def pages(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.html") if "pagefind" not in p.relative_to(root).parts)


@lru_cache(maxsize=None)
def parse(path: Path):
    return lxml_html.parse(str(path)).getroot()

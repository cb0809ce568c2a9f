"""The default edition built once per test session (all stages), shared by the HTML tests."""
from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest
from lxml import html as lxml_html

REPO = Path(__file__).resolve().parent.parent
EPOCH = "1767225600"  # 2026-01-01: fixed, so the build date is known


def build_edition(edition_dir: Path, out: Path, only: set[str] | None = None) -> dict:
    """Build the stages (validation is tested elsewhere) with SOURCE_DATE_EPOCH fixed; returns the timings."""
    from teipress import edition
    from teipress.commands import build

    with pytest.MonkeyPatch.context() as mp:  # the environment is restored even if the build fails
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return build.run(edition.load(edition_dir), out, only=only)


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


FRUS = REPO.parent / "shared" / "corpora" / "frus" / "frus1961-63v22-excerpt" / "frus1961-63v22-excerpt.xml"


@lru_cache(maxsize=None)
def frus_split_build() -> Path:
    """The FRUS excerpt (read from ../shared, copied only into a temporary edition) built with
    split = true: one page per document division.  Returns build/html."""
    tmp = Path(tempfile.mkdtemp(prefix="teipress-split-"))
    atexit.register(shutil.rmtree, tmp, True)
    (tmp / "edition" / "tei").mkdir(parents=True)
    shutil.copyfile(FRUS, tmp / "edition" / "tei" / FRUS.name)
    (tmp / "edition" / "edition.toml").write_text("split = true\n", encoding="utf-8")
    build_edition(tmp / "edition", tmp / "build", only={"sources", "html", "search"})
    return tmp / "build" / "html"


def broken_links(root: Path) -> tuple[list[str], int]:
    """Internal links of the site whose file or anchor does not exist; and how many were checked."""
    from urllib.parse import unquote, urlsplit

    ids: dict[Path, set[str]] = {}

    def ids_of(p: Path) -> set[str]:
        if p not in ids:
            ids[p] = {el.get("id") for el in parse(p).iter() if el.get("id")} if p.suffix == ".html" else set()
        return ids[p]

    problems, checked = [], 0
    for page in pages(root):
        for a in parse(page).iter("a"):
            href = a.get("href")
            parts = urlsplit(href)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if parts.scheme or not target.is_relative_to(root.resolve()) or not target.is_file():
                problems.append(f"{page.relative_to(root)}: {href}")
            elif parts.fragment and unquote(parts.fragment) not in ids_of(target):
                problems.append(f"{page.relative_to(root)}: {href} (no such anchor)")
            checked += 1
    return problems, checked


def searchable_site(root: Path, documents: dict[str, str], persons: str):
    """Write an edition of *documents* (file stem → TEI) and a register, build its HTML and
    search index, and serve it: a context manager yielding the site's base URL."""
    from browser import serve_dir

    (root / "tei").mkdir(parents=True, exist_ok=True)
    (root / "tei" / "persons.xml").write_text(persons, encoding="utf-8")
    for stem, text in documents.items():
        (root / "tei" / f"{stem}.xml").write_text(text, encoding="utf-8")
    build_edition(root, root / "build", only={"html", "search"})
    return serve_dir(root / "build" / "html")


@lru_cache(maxsize=None)
def corpora_build() -> Path:
    """Every TEI file of ../shared/corpora (but the deliberately broken ones in negative/) as one
    edition, copied into a temporary folder and built unvalidated (other projects' TEI follows
    other schemas), SOURCE_DATE_EPOCH fixed.  Returns the edition folder; its output is build/.
    One build for every test that reads it (it takes a few minutes)."""
    from click.testing import CliRunner

    from teipress.cli import main

    corpora = REPO.parent / "shared" / "corpora"
    root = Path(tempfile.mkdtemp(prefix="teipress-corpora-"))
    atexit.register(shutil.rmtree, root, True)
    (root / "tei").mkdir()
    for p in sorted(p for p in corpora.rglob("*.xml") if "negative" not in p.parts):
        shutil.copy(p, root / "tei" / p.name)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        r = CliRunner().invoke(main, ["build", str(root), "--no-validate", "-q"], catch_exceptions=False)
    assert r.exit_code == 0, r.output[-3000:]
    return root

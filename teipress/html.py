"""Build stage `html`: the static HTML edition in ``build/html/``.

Each TEI document goes TEI → behaviour model (xslt/model.xsl, teipress.model) →
HTML fragments (xslt/html.xsl) → a page (Jinja2 shells in teipress/templates/).
The registers and the chronology are read off the models (teipress.site), so
every occurrence links to the exact spot of the text.  All links are relative:
the site works opened from disk and hosted under any path.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from . import cite, site as site_mod
from .commands.build import BuildContext, BuildError

PKG = Path(__file__).resolve().parent
TEMPLATES = PKG / "templates"
STATIC = PKG / "static"


def environment(extra: Path | None = None) -> Environment:
    """Jinja2 with autoescaping everywhere: TEI text is data, never markup.

    An edition folder may override any template in its own ``templates/``."""
    paths = [str(extra)] if extra and extra.is_dir() else []
    env = Environment(
        loader=FileSystemLoader(paths + [str(TEMPLATES)]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date_label"] = site_mod.date_label
    env.globals["cite"] = cite
    return env


def write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_bytes(text.encode("utf-8"))


def copy_tree(src: Path, dst: Path) -> None:
    for p in sorted(src.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            target = dst / p.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, target)


def build(ctx: BuildContext) -> None:
    out = ctx.out / "html"
    out.mkdir(parents=True, exist_ok=True)
    try:
        s = site_mod.Site.from_context(ctx)
    except site_mod.SiteError as exc:
        raise BuildError(str(exc)) from None
    for w in s.warnings:
        ctx.log(f"  warning: {w}")

    # Beside every page its TEI source, and the PDFs the pdf stage made.
    tei_src = ctx.out / "tei" if (ctx.out / "tei").is_dir() else ctx.edition.tei_dir
    for f in ctx.edition.files:
        write(out / "tei" / f.rel, (tei_src / f.rel).read_bytes())
    for rel in s.images:
        src = ctx.edition.tei_dir / rel
        if src.is_file():
            write(out / "tei" / rel, src.read_bytes())
    for doc in s.documents:
        pdf = ctx.out / "pdf" / f"{doc.id}.pdf"
        if pdf.is_file():
            write(out / "downloads" / f"{doc.id}.pdf", pdf.read_bytes())
            doc.pdf = f"downloads/{doc.id}.pdf"
        for part in doc.parts:
            part.pdf = doc.pdf
    copy_tree(STATIC, out / "static")

    env = environment(ctx.edition.root / "templates")
    common = dict(site=s)

    def render(template: str, path: str, **kw) -> None:
        root = "../" * path.count("/")
        html = env.get_template(template).render(root=root, page=path, **common, **kw)
        write(out / path, html)

    render("index.html", "index.html")
    for doc in s.documents:
        # A split document's own page is its contents; each division has a page (teipress.split).
        for page in [doc, *doc.parts]:
            render("document.html", page.path, doc=page)
            write(out / "cite" / f"{page.id}.bib", cite.bibtex(s, page))
            write(out / "cite" / f"{page.id}.ris", cite.ris(s, page))
    for reg in s.registers:
        render("register.html", reg.path, register=reg)
    render("chronology.html", "chronology.html")
    render("principles.html", "principles.html")
    render("about.html", "about.html")
    render("search.html", "search.html")
    render("404.html", "404.html")

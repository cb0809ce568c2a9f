"""Build stage `html`: the static HTML edition in ``build/html/``.

Reads the EditionModel (teipress.model) only: each page's behaviour model →
HTML fragments (xslt/html.xsl) → a page (Jinja2 shells in teipress/templates/).
Registers, chronology, titles, dates and file names are the model's; this module
decides form only.  All links are relative: the site works opened from disk and
hosted under any path.
"""
from __future__ import annotations

import functools
import io
import json
import os
import threading
from dataclasses import dataclass
from functools import cached_property
from html import escape
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from lxml import etree
from markupsafe import Markup

from .. import model as model_mod, workers
from ..model import citation
from ..commands import output
from ..held_once import once
from ..commands.build import BuildContext, BuildError
from ..model import correspondence, dates, paths
from ..model import parallel as parallel_model
from . import edition_cache, key_memo, page_cache, parallel as parallel_out

PKG = Path(__file__).resolve().parent.parent
KIND_LABELS = {"person": "Persons", "place": "Places", "org": "Organisations", "event": "Events and treaties"}
# The side panel's groups: register kinds, and terms from a document's own list of abbreviations.
PANEL_KINDS = list(KIND_LABELS.items()) + [("term", "Terms")]
TEMPLATES = PKG / "templates"
STATIC = PKG / "static"
# From this many documents on, their pages are rendered on every core (teipress.workers).
PARALLEL_FROM = 16
# A worker making documents' pages copies about 26 KB of this process's memory a document (the
# records it reads); it ends after about this many, and a fresh one goes on (workers.rounds).
RECYCLE = 500


def environment(extra: Path | None = None, cache=None) -> Environment:
    """Jinja2 with autoescaping everywhere: TEI text is data, never markup.

    An edition folder may override any template in its own ``templates/``.  With an
    incremental build's *cache*, the compiled templates are kept in it (template_code)."""
    from .template_code import TemplateCode

    paths = [str(extra)] if extra and extra.is_dir() else []
    env = Environment(
        bytecode_cache=TemplateCode(cache) if cache is not None else None,
        loader=FileSystemLoader(paths + [str(TEMPLATES)]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date_label"] = dates.label
    env.globals["cite"] = citation  # the formatters; each page carries its record (Page.citation)
    return env


# (the new output folder, the output it replaces): set by build() for its files, so that those
# unchanged since the previous build are linked from it (teipress.commands.output.put)
_outputs: tuple[Path | None, Path | None] = (None, None)


def write(path: Path, text: str | bytes) -> None:
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    new, previous = _outputs
    if previous is not None and new is not None and path.is_relative_to(new):
        output.put(path, data, new, previous)
    else:
        output.put(path, data, path.parent, None)


def write_known(path: Path | str, digest: str, load) -> None:
    """write() of a file whose bytes' SHA-256 is known: load() gives them when they must be written."""
    writer = output._writer
    if writer is not None and digest and writer.holds(path):  # (the quick way: no Path made)
        writer.put(path, digest=digest, load=load)
        return
    path = Path(path)
    new, previous = _outputs
    if previous is not None and new is not None and path.is_relative_to(new):
        output.put_known(path, digest, load, new, previous)
    else:
        output.put_known(path, digest, load, path.parent, None)


def encoded(chunks) -> bytes:
    """The UTF-8 bytes of a page a template makes (Template.generate: its text in pieces), each
    piece encoded as it comes.  The edition's largest pages (a register of 20,000 letters'
    occurrences: tens of MB) are never held as one str as well as its bytes (a str of such a
    page takes two bytes a character once one character is beyond Latin-1)."""
    out = io.BytesIO()
    for chunk in chunks:
        out.write(chunk.encode("utf-8"))
    return out.getvalue()


def copy_tree(src: Path, dst: Path) -> None:
    for p in sorted(src.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            write(dst / p.relative_to(src), p.read_bytes())


# -- views: the model's documents and edition, with their HTML fragments -------------
class Attrs(dict):
    """Attributes of a metadata field; a missing one reads as ''."""

    def __missing__(self, key):
        return ""


@dataclass
class Field:
    name: str
    attrs: dict
    html: Markup


def shared_fields(fields: list[Field], seen: dict) -> list[Field]:
    """*fields* (of one document), each one equal to a field met before (*seen*) being that
    same Field: this process holds every document's fields until the principles page is made,
    and the letters of an edition repeat the same licence, availability and principles.
    Nothing changes a Field once made."""
    return [once(f, seen, (f.name, tuple(f.attrs.items()), str(f.html))) for f in fields]


class Page:
    """A page of the site: a model Document (read through) plus its HTML fragments."""

    def __init__(self, em, doc, pdf: str, volumes: list[str] | None = None):
        self.em = em
        self.doc = doc
        self.pdf = pdf
        # a document printed in volumes (teipress.outputs.volumes): each volume's PDF, in order;
        # self.pdf is then volume 1, which holds the title page
        self.volumes = list(volumes or [])
        self.text = self.notes = self.toc = Markup("")
        self._plain: list[tuple] | None = None
        self.fields = []

    def __getattr__(self, name):
        return getattr(self.doc, name)

    @property
    def fields(self) -> list[Field]:
        """The page's metadata fields; those the page cache kept are made Fields when first read
        (a build whose about and principles pages come from the cache never reads them)."""
        if self._plain is not None:
            plain = self._plain() if callable(self._plain) else self._plain
            self._fields = [Field(name, Attrs(attrs), Markup(html)) for name, attrs, html in plain]
            self._plain = None
        return self._fields

    @fields.setter
    def fields(self, value: list[Field]) -> None:
        self._fields, self._plain = value, None

    def keep_fields(self, plain) -> None:
        """The fields as the page cache keeps them (page_cache.plain_fields), or a function that
        gives them (page_cache.Index.get: unpickled only if the page's fields are read)."""
        self._fields, self._plain = None, plain

    @cached_property
    def citation(self) -> citation.Citation:
        """The page's citation record (teipress.model.citation), with the PDF it really links;
        made once a page (its shell reads it a dozen times)."""
        return citation.record(self.em, self)

    def field(self, name: str, **attrs) -> list[Field]:
        return [f for f in self.fields if f.name == name and all(f.attrs.get(k) == v for k, v in attrs.items())]

    def first(self, name: str, **attrs) -> Field | None:
        hits = self.field(name, **attrs)
        return hits[0] if hits else None


class Site:
    """The edition as the page shells see it: the model, its pages and navigation."""

    def __init__(self, em, pages: list[Page]):
        self.model = em
        self.documents = pages
        self.meta = em.metadata
        # An incremental build's page keys (document id → key) and letters' digests, worked out
        # with the pages (_build) and read again by the register and letters pages' keys.
        self.page_keys: dict[str, str] | None = None
        self.letter_digests: dict[str, str] = {}

    def __getattr__(self, name):
        return getattr(self.model, name)

    @property
    def nav(self) -> list[tuple[str, str]]:
        letters = [(paths.LETTERS_PAGE, "Letters")] if self.model.letters else []
        return ([("index.html", "Home")] + letters + [(r.path, r.label) for r in self.model.registers]
                + [("chronology.html", "Chronology"), ("principles.html", "Editorial principles"),
                   ("about.html", "About"), ("search.html", "Search")])

    @property
    def letters_page(self) -> str:
        return paths.LETTERS_PAGE

    # Worked out once per build: a page and the key it is cached under both read them.
    @cached_property
    def correspondents(self) -> list:
        """Everyone who wrote or received a letter, with their letters (letters.html)."""
        return correspondence.correspondents(self.model.letters)

    @cached_property
    def letter_years(self) -> list:
        return correspondence.by_year(self.model.letters)

    @cached_property
    def records(self) -> list:
        """The dated divisions of the documents (the chronology's dates of the records)."""
        return self.model.records

    @property
    def panel_kinds(self) -> list[tuple[str, str]]:
        return PANEL_KINDS

    @property
    def principles(self) -> list[tuple[Page, Field]]:
        out, seen = [], set()
        for d in self.documents:
            f = d.first("principles")
            if f is not None and str(f.html) not in seen:
                seen.add(str(f.html))
                out.append((d, f))
        return out


_local = threading.local()


def _page_fn(_context, doc: str, target: str) -> str:
    """tpf:page(doc, id): the page holding an element (html.xsl, for links into the edition)."""
    return _local.model.page_of(doc, target)


def _register_page_fn(_context, kind: str) -> str:
    """tpf:register-page(kind): the register page of a kind of entry (teipress.model.paths)."""
    return paths.REGISTER_PAGES.get(kind, paths.REGISTER_PAGES["org"])


def _division_date_fn(_context, doc: str, div: str) -> str:
    """tpf:division-date(doc, id): the date label a division is headed by in contents and
    bookmarks (Document.division_dates, the PDF's rule too), '' if it has none."""
    cache = _local.__dict__.setdefault("division_dates", {})
    if doc not in cache:
        # the document whose pages are being made (fill), else looked up in the whole edition:
        # a forked worker making a dict of every document would touch, and so copy, the pages
        # of the parent's memory that hold them (tens of MB at 20,000 letters)
        found = _local.__dict__.get("filling")
        if found is None or found.id != doc:
            found = _documents_by_id(_local.model).get(doc)
        cache[doc] = found.division_dates() if found is not None else {}
    return cache[doc].get(div, "")


def _documents_by_id(em) -> dict:
    """The model's documents by id, made once per model and process: a search through the list
    for every page made the stage quadratic in the edition (5,000 letters: 12.5 million looks)."""
    kept = _local.__dict__.get("documents_by_id")
    if kept is None or kept[0] is not em:
        kept = _local.documents_by_id = (em, {d.id: d for d in em.documents})
    return kept[1]


def stylesheet():
    """xslt/html.xsl with the functions it calls (compiled once per process)."""
    return model_mod.stylesheet(str(model_mod.XSLT_DIR / "html.xsl"),
                                (("page", _page_fn), ("register-page", _register_page_fn),
                                 ("division-date", _division_date_fn)))


def fragments(html_xsl, page: Page, tree: etree._ElementTree, root: str) -> None:
    """The HTML fragments of a page (text, notes, contents, metadata fields) from its model."""
    parts = html_xsl(tree, root=etree.XSLT.strparam(root), page=etree.XSLT.strparam(page.path))
    for part in parts.getroot():
        name = part.get("name")
        html = Markup(serialise(part))
        if name == "field":
            attrs = Attrs((k, v) for k, v in part.attrib.items() if k not in ("name", "field"))
            page.fields.append(Field(part.get("field"), attrs, html))
        else:
            setattr(page, name, html)


def serialise(part: etree._Element) -> str:
    """The children of an XSLT result part as an HTML string (text escaped by lxml)."""
    out = [escape(part.text, quote=False) if part.text else ""]
    for child in part:
        out.append(etree.tostring(child, method="html", encoding="unicode", with_tail=True))
    return "".join(out)


def site(ctx: BuildContext, pdfs: dict[str, list[str]]) -> Site:
    """Pages for every document and split page; *pdfs*: id → its PDF beside the pages, or its
    volumes' PDFs (documents without a PDF are absent).  Their HTML fragments are made page by
    page as each is rendered (fill), not kept for all at once."""
    em = ctx.model
    html_xsl = stylesheet()
    pages: list[Page] = []
    for doc in em.documents:
        downloads = pdfs.get(doc.id, [])
        pdf = downloads[0] if downloads else ""
        volumes = downloads if len(downloads) > 1 else []
        page = Page(em, doc, pdf, volumes)
        page.parts = []
        for part in doc.parts:
            pp = Page(em, part, pdf, volumes)
            pp.fields = page.fields
            page.parts.append(pp)
        pages.append(page)
    # Originals beside their translations (teipress.outputs.parallel), linked from both pages.
    by_id = {p.id: p for p in pages}
    _local.model = em
    try:
        try:
            pairs = parallel_model.pairs(em, ctx.cache)
        except parallel_model.ParallelError as exc:
            raise BuildError(str(exc)) from None
        views = [parallel_out.render(pair, by_id, html_xsl, fragments) for pair in pairs]
    finally:
        _local.model = None
        _local.__dict__.pop("division_dates", None)
    for page in pages:
        page.parallel = [v for v in views if page.id in (v.pair.original.id, v.pair.translation.id)]
        for part in page.parts:
            part.parallel = page.parallel
    s = Site(em, pages)
    s.parallel = views
    return s


def fill(em, page: Page) -> None:
    """The HTML fragments of a document's page and of its split pages (text, notes,
    contents, metadata fields); the split pages add their fields to the document's."""
    html_xsl = stylesheet()
    _local.model, _local.filling = em, page.doc
    try:
        fragments(html_xsl, page, page.doc.contents or page.doc.model, "../")
        for pp in page.parts:
            fragments(html_xsl, pp, pp.doc.model, "../../")
            if pp.doc.model.find(".//m:block[@division='true']//m:block[@division='true']", model_mod.M) is None:
                pp.toc = Markup("")  # a contents list holding only the page's own head
    finally:
        _local.model = _local.filling = None
        _local.__dict__.pop("division_dates", None)  # (a rebuild in serve reads its own)


def unfill(page: Page) -> None:
    """Let go of a rendered page's text, notes and contents (its fields stay: the edition's
    pages read them)."""
    for p in (page, *page.parts):
        p.text = p.notes = p.toc = Markup("")


def forget(page: Page) -> None:
    """Let go of what rendering a document's pages worked out and kept on them (its citation
    record, its fields), in a worker that sent them back."""
    for p in (page, *page.parts):
        p.__dict__.pop("citation", None)
        p.fields = []


def _pdf_bases(ctx: BuildContext) -> list[Path]:
    """The output folders a document's PDF may be taken from (_pdf_sources): this build's, then
    the previous build's, each only if it holds a PDF at all (a build without PDFs then looks
    for none of its thousands of documents')."""
    bases = []
    for base in (ctx.out, ctx.previous):
        if base is None:
            continue
        writer = output._writer
        if writer is not None and writer.shadow and writer.holds(base / "pdf"):
            # (a shadow holds PDFs of earlier builds: only what this build made counts)
            if writer.made_under(base / "pdf"):
                bases.append(base)
        elif (base / "pdf").is_dir():  # (Typst writes the PDFs itself, not through the Writer)
            bases.append(base)
    return bases


def _pdf_sources(ctx: BuildContext, doc, bases: list[Path] | None = None) -> list[tuple[Path, str]]:
    """The document's PDF, or its volumes' PDFs (teipress.outputs.volumes), each with its place
    beside the pages: made by this build, else kept from the previous build (a partial build,
    `--only html`, still links the PDFs it did not remake); *bases*: _pdf_bases(ctx)."""
    for base in (bases if bases is not None else _pdf_bases(ctx)):
        if output.made_file(base / doc.paths.pdf):
            return [(base / doc.paths.pdf, doc.pdf)]
        volumes, n = [], 1
        while output.made_file(base / doc.paths.volume(n)):
            volumes.append((base / doc.paths.volume(n), doc.paths.volume_download(n)))
            n += 1
        if volumes:
            return volumes
    return []


def register_page(env, render, reg, cache, edition_key: str, base_url: str = "", write_page=None,
                  page_keys: dict[str, str] | None = None, memo=None, resolution: str | None = None) -> None:
    """A register page, each entry rendered alone (register_entry.html); in an incremental build
    an entry whose facts are unchanged comes from the cache (teipress.outputs.edition_cache),
    and so does the page's JSON-LD when no description of its entries changed, and the whole
    page (written by *write_page(path, bytes)*) when neither its entries nor its JSON-LD did.
    *memo*: the keys of the last build's register pages by their inputs (key_memo), the model's
    *resolution* being all the page is made of beside the edition's digest."""
    root = "../" * reg.path.count("/")
    inputs = (key_memo.inputs("register", resolution, edition_key, reg.path, reg.label, base_url)
              if memo is not None and resolution and edition_key and write_page is not None else None)
    recalled = memo.get(inputs) if memo is not None else None
    if recalled is not None:
        ld_key, page_key = recalled
        html = cache.get(edition_cache.KIND, page_key)
        if html is not None:  # (what the page was made of stays in the cache for the next build)
            edition_cache.keep_register(cache, reg, ld_key)
            write_page(reg.path, html)
            return
    key = edition_cache.json_ld_key(edition_key, reg) if edition_key else None
    kept_ld = cache.get(edition_cache.KIND, key) if key else None
    if kept_ld is not None:
        json_ld = kept_ld.decode("utf-8")
        cache.keep(edition_cache.KIND, edition_cache.json_ld_slot(reg))  # (its entries' parts stay)
    elif key:  # the unchanged entries' parts from the cache
        json_ld = edition_cache.json_ld(cache, edition_key, reg, base_url)
        cache.put(edition_cache.KIND, key, json_ld.encode("utf-8"))
    else:
        json_ld = reg.json_ld(base_url)
    entry = env.get_template("register_entry.html")
    # (*page_keys*: each document's page key, by which an unchanged entry's key is found again)
    if edition_key and page_keys is not None:
        keys = edition_cache.entry_keys(cache, edition_key, root, reg, page_keys)
    else:
        keys = {id(e): edition_cache.entry_key(edition_key, root, e) for e in reg.entries} if edition_key else {}
    page_key = (edition_cache.register_key(edition_key, reg, json_ld, [keys[id(e)] for e in reg.entries])
                if edition_key and write_page is not None else None)
    if memo is not None:
        memo.put(inputs, (key, page_key))
    html = cache.get(edition_cache.KIND, page_key) if page_key else None
    if html is not None:
        edition_cache.Fragments.keep(cache, reg.path)  # (its entries stay for the next build)
        write_page(reg.path, html)
        return
    kept = edition_cache.Fragments(cache if edition_key else None, reg.path)

    def entry_html(e) -> Markup:
        render_entry = lambda: entry.render(root=root, e=e)  # noqa: E731
        if not edition_key:
            return Markup(render_entry())
        return Markup(kept.get(keys[id(e)], render_entry))

    made = render("register.html", reg.path, register=reg, entry_html=entry_html, json_ld=json_ld)
    if page_key and made is not None:
        cache.put(edition_cache.KIND, page_key, made)
    del made  # (the page, tens of MB at 20,000 letters: not held while its entries are pickled)
    kept.save()


def build(ctx: BuildContext) -> None:
    global _outputs
    _outputs = (ctx.out, ctx.before)
    try:
        _build(ctx)
    finally:
        _outputs = (None, None)


def _build(ctx: BuildContext) -> None:
    out = ctx.out / "html"
    out.mkdir(parents=True, exist_ok=True)
    em = ctx.model
    for w in em.warnings:
        ctx.log(f"  warning: {w}")

    # Beside every page its PDF.
    # (the TEI sources and images are copied while the workers make the pages: _copies)
    pdfs: dict[str, list[str]] = {}
    bases = _pdf_bases(ctx)
    for doc in em.documents:
        sources = _pdf_sources(ctx, doc, bases)
        if not sources:
            ctx.log(f"  warning: {doc.file.rel}: no PDF was built, so its page links none "
                    "(build the pdf stage too)")
            continue
        for src, download in sources:
            write(out / download, src.read_bytes())
        pdfs[doc.id] = [download for _src, download in sources]
    s = site(ctx, pdfs)
    copy_tree(STATIC, out / "static")

    env = environment(ctx.edition.root / "templates", ctx.cache)
    common = dict(site=s)

    def render(template: str, path: str, **kw) -> bytes:
        # In an incremental build a page made of the whole edition is kept under the key of
        # what it shows (teipress.outputs.edition_cache), rendered again only when that changed;
        # a page made of the model's resolution alone has the key it had when that is the same.
        resolved = (em.resolution if template in edition_cache.SHOWS_CONTEXT else em.resolution_no_context)
        inputs = (key_memo.inputs("edition page", resolved, edition_key, template, path)
                  if edition_key and resolved and template in edition_cache.RESOLVED else None)
        key = pages_memo.get(inputs)
        if key is None and edition_key:
            key = edition_cache.page_key(edition_key, template, path, s)
            pages_memo.put(inputs, key)
        html = ctx.cache.get(edition_cache.KIND, key) if key else None
        if html is None:
            root = "../" * path.count("/")
            html = encoded(env.get_template(template).generate(root=root, page=path, **common, **kw))
            if key:
                ctx.cache.put(edition_cache.KIND, key, html)
        write(out / path, html)
        return html

    # An incremental build keeps each document's files under a key of all they show
    # (teipress.outputs.page_cache): an unchanged document's are written, not rendered again.
    edition_key = page_cache.edition_digest(ctx, em) if ctx.cache is not None else ""
    pages_memo = key_memo.Memo(ctx.cache, "edition page")
    if edition_key:  # each document's records (the chronology's) from the cache where unchanged
        s.records = edition_cache.records(em, ctx.cache, edition_key)

    render("index.html", "index.html")

    def document_pages(doc: Page) -> tuple[list[Field], list]:
        output.journal()  # (what a forked worker writes goes back to the build's Writer)
        fill(em, doc)
        files: list[tuple[str, bytes]] = []
        # A split document's own page is its contents; each division has a page (teipress.model.split).
        for page in [doc, *doc.parts]:
            root = "../" * page.path.count("/")
            html = env.get_template("document.html").render(root=root, page=page.path, doc=page, **common)
            record = page.citation
            cites = page.citation_files
            files += [(page.path, html.encode("utf-8")),
                      (cites["bibtex"], citation.bibtex(record).encode("utf-8")),
                      (cites["ris"], citation.ris(record).encode("utf-8")),
                      (cites["csl_json"], (json.dumps([citation.csl_json(record)], ensure_ascii=False,
                                                      indent=1, sort_keys=True) + "\n").encode("utf-8"))]
        digests = [page_cache.sha(data) for _path, data in files]
        for (path, data), sha in zip(files, digests):
            write_known(out / path, sha, lambda data=data: data)
        unfill(doc)
        # (a forked worker writes the pages' bytes into the cache itself: what the index keeps goes back)
        record = page_cache.put(ctx.cache, keys[doc.id], files, digests, doc.fields) if keys else None
        fields = doc.fields
        if workers.in_worker():  # what the page's shell read goes back pickled: a worker lets go
            forget(doc)  # of it, else it would hold every one of its documents' records at the end
        return fields, output.taken(), record

    # (worked out here, not in forked workers: a worker reading every document's records touches
    # and so copies most of the parent's memory, which cost more than the keys themselves;
    # at 5,000 letters about 1 s of CPU here against 2.6 s of waiting for two workers)
    # Where the model's resolution is the last build's, a page whose models and PDFs are too
    # has the key it had (teipress.outputs.key_memo): its records are not read for it again.
    keys = {}
    if edition_key:
        models = page_cache.Models(ctx.cache)
        memo = key_memo.Memo(ctx.cache, "page")
        s.letter_digests = {}
        for d in s.documents:
            inputs, model_digest = page_cache.page_inputs(em.resolution_no_context, edition_key, d, models)
            key = memo.get(inputs)
            if key is None:
                key, learnt = page_cache.page_key(edition_key, d, PANEL_KINDS, models)
                models.learn(learnt)
                memo.put(inputs, key)
                s.letter_digests[d.id] = page_cache.letter_digest(d.doc.correspondence)
            else:  # (its header facts' digest, which page_key would have read, stays known)
                models.carry(d.doc, model_digest)
            keys[d.id] = key
        models.save(ctx.cache)
        memo.save()
        s.page_keys = keys  # (the register entries' keys are found again by them: register_page)
    index = page_cache.Index(ctx.cache) if keys else None
    todo = []
    top = f"{out}{os.sep}"
    for doc in s.documents:
        kept = index.get(keys[doc.id]) if index is not None else None
        if kept is None:
            todo.append(doc)
            continue
        # An unchanged page's bytes are read from the cache only when they must be written
        # (they are not in the output, or not at that place: commands/shadow.py).
        files, fields, doc.fields_digest, load = kept
        for path, sha in files:
            write_known(top + path, sha, lambda path=path, load=load: load()[path])
        if doc.parts:  # (a document and its split pages share one list of fields)
            fields = functools.cache(fields)  # (unpickled at the first read only)
        for page in (doc, *doc.parts):
            page.keep_fields(fields)

    # Each document's pages are its own files: made on every core, each by one worker, which
    # sends back only the metadata fields the edition's pages read (licence, changes, principles).
    # The workers take them in the order the model made the documents (its files' order), not
    # the edition's order of dates: a worker copies each page of this process's memory it
    # touches, and a document's records lie beside those of the documents made just before and
    # after it, so that a run of documents in that order touches few pages another run touches.
    todo.sort(key=lambda page: (page.doc.file.rel, page.doc.file.n))
    stylesheet()  # compiled once, before the workers are forked
    env.get_template("document.html")  # (likewise: else each worker compiles it again)
    results = workers.forked_map(document_pages, todo, PARALLEL_FROM, recycle=RECYCLE)
    try:
        made = workers.started(results)  # (the workers begin; the sources are copied meanwhile)
        _copies(ctx)
        _documents_made(s, todo, made, index and (lambda doc, record: index.add(keys[doc.id], record)))
    finally:
        results.close()  # (after a failure here: no worker is left running)
    if index is not None:
        index.save()
    _edition_pages(ctx, s, env, render, edition_key)
    render("about.html", "about.html")
    render("search.html", "search.html")
    render("404.html", "404.html")
    pages_memo.save()


def _copies(ctx) -> None:
    """Beside every page its TEI source and the images it shows."""
    out = ctx.out / "html"
    for f in ctx.edition.files:  # from the sources, not from the sources stage's output
        # (their digest was read when they were loaded: an unchanged file is not read again)
        write_known(out / paths.tei_copy(f), f.digest, f.path.read_bytes)
    for rel in ctx.model.images:
        src = ctx.edition.tei_dir / rel
        if src.is_file():
            write(out / "tei" / rel, src.read_bytes())


def _documents_made(s: Site, todo: list[Page], made, kept=None) -> None:
    """What the workers sent back for each document of *todo* (*made*: its fields, the files
    written, the page cache's record), taken in as it comes."""
    seen: dict = {}  # (shared_fields: one Field for the licence every letter repeats)
    for doc, (fields, written, record) in zip(todo, made):
        output.absorb(written)  # (what the worker wrote into the output)
        if kept is not None:  # (the page cache's index: kept(doc, record))
            kept(doc, record)
        fields = shared_fields(fields, seen)
        doc.fields = fields
        doc.fields_digest = page_cache.fields_digest(page_cache.plain_fields(fields))
        for part in doc.parts:
            part.fields = fields


def _edition_pages(ctx, s: Site, env, render, edition_key: str) -> None:
    """The edition's own pages (registers, letters, facing pages, chronology, principles), made
    here once the workers that made the documents' pages have ended.  Made while they ran, they
    cost the build's peak memory twice: this process reads every document, entry and occurrence,
    and so writes their reference counts, copying each page of memory it shares with the
    workers (hundreds of MB at 20,000 letters), beside the pages it renders (a register of
    20,000 letters' occurrences: tens of MB).  The workers already keep both cores busy."""
    out = ctx.out / "html"
    em = ctx.model
    memo = key_memo.Memo(ctx.cache, "register") if edition_key else None
    for reg in s.registers:
        register_page(env, render, reg, ctx.cache, edition_key, s.base_url,
                      lambda path, data: write(out / path, data), s.page_keys, memo, em.resolution)
        # A register's page of thousands of entries is tens of MB of text while it is made:
        # given back to the system, not kept for the next stages (workers.give_back_memory).
        workers.give_back_memory()
    if memo is not None:
        memo.save()
    if em.letters:  # an index of letters only for an edition of letters
        render("letters.html", paths.LETTERS_PAGE, cmif=paths.CMIF_FILE)
    for view in s.parallel:
        # the facing-pages PDF: made by this build, else kept from the previous one
        src = next((b / view.pair.pdf for b in (ctx.out, ctx.previous)
                    if b is not None and output.made_file(b / view.pair.pdf)), None)
        if src is not None:
            write(out / view.pair.download, src.read_bytes())
            view.pdf = view.pair.download
        render("parallel.html", view.path, view=view)
    render("chronology.html", "chronology.html")
    workers.give_back_memory()
    render("principles.html", "principles.html")

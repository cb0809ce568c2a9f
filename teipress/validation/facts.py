"""A TEI file's facts: what the edition-wide steps need from it, read once from its tree.

The integrity rules and the choice of which files are registers look across files (a pointer
in one letter names an id in another), but what each file contributes is its own: the ids it
declares, the pointers it makes (with their lines and columns), its register entries, its
taxonomies, and the diagnostics of the rules that look at it alone (ids, dates, identifiers,
its root).  :func:`read` collects these into a small record of strings and numbers, which
depends on the file's bytes alone; so an incremental build keeps it in its cache under the
file's content (:func:`attach`) and, for a file unchanged since, never walks its tree again:
the cross-file steps (a pointer resolved against the set of ids, an entry used or not) run
over the records.
"""
from __future__ import annotations

import hashlib
import pickle
from sys import intern
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from lxml import etree

from .. import edition as edition_mod, workers
from ..edition import KEYED_NAMES, POINTER_ATTRS as REFERRING_ATTRS, TeiFile, classify, norm, t, tei_texts
from ..xmlparse import NS, TEI_NS, XML_ID, XmlError, parse, position

# Bump when what read() records changes shape (the cache key also holds teipress's digest).
VERSION = 4
_KEYED_TAGS = frozenset(t(n) for n in KEYED_NAMES)
_ENTRY_TAGS = (t("person"), t("place"), t("org"), t("event"))


@dataclass
class EntryFacts:
    """A person, place, organisation or event element (with or without an xml:id)."""

    id: str  # its xml:id, '' without one
    kind: str
    n: str
    idnos: list[str]  # the text of each of its idno children
    line: int  # its start tag's line (the column is found when it is reported)
    name: str  # teipress.edition.Entry.name
    # What the registers read of an entry with an xml:id (teipress.model.registers.describe), so
    # that merging descriptions and showing an entry never walk its file's tree again:
    names: list[str] = field(default_factory=list)  # the text of each of its names (Entry.names)
    keys: list[str] = field(default_factory=list)  # its authority keys ('gnd:118609807'), sorted
    richness: int = 0  # how many nodes its description holds: an identity's fullest leads
    where: str = ""  # the part of its file holding it: 'particDesc', 'back', 'standOff', 'header', 'text'
    about: object = None  # what a register entry shows of it (teipress.model.registers.About)


@dataclass
class FileFacts:
    shape: str  # teipress.edition.classify: 'register' or 'document'
    ids: list[str] = field(default_factory=list)  # every xml:id declared, in document order (repeats too)
    # Each pointer token of the integrity rules' attributes, in document order:
    # (attribute, token, element's local name, line, column).
    pointers: list[tuple[str, str, str, int, int]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # the normalised @key of each keyed name, in order
    # The files another file's pointers (any referring attribute) name: their paths, unquoted,
    # relative to this file (teipress.edition.referred_files).
    targets: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)  # prefixDef/@ident, lower case
    taxonomies: list[tuple[str, list[str]]] = field(default_factory=list)  # classDecl taxonomy id → category ids
    # Per TEI of the file (one for a plain file; each TEI of a corpus): the elements of its
    # <text> with a @type, and every note: (local name, @type or None, has @resp, line).
    typed: list[list[tuple[str, str | None, bool, int]]] = field(default_factory=list)
    entries: list[EntryFacts] = field(default_factory=list)
    # The diagnostics of the rules that read this file alone: rule group → (line, col,
    # severity, message, rule), in the order the rule found them.
    local: dict[str, list[tuple[int, int, str, str, str]]] = field(default_factory=dict)
    # How many TEIs a corpus file gives (teipress.edition.Edition.documents), 0 for a file that
    # is one document; and the xml:id ('' without) of each document it gives (TeiFile.id).
    corpus: int = 0
    texts: list[str] = field(default_factory=list)
    # Its <?xml-model?> instructions (teipress.validation.schema.declarations).
    models: list[tuple[str, str, int, bool]] = field(default_factory=list)

    def pack(self) -> None:
        """Keep the fields read one file at a time (PACKED) as pickled bytes from now on: a build
        holds every file's facts until it ends, and those lists of strings and tuples, read a
        few times each (by the rules, the incremental build's memo, the facing pages) were most
        of the memory the main process holds per letter: about 26 KB as objects, 2.5 KB as bytes.
        The worker that reads a file's facts packs them, so that the main process never holds
        every file's facts as objects at once (attach).  A packed field is still read as before
        (__getattr__), unpickled each time; what stays whole is what loading asks of every file
        (shape, corpus, texts) and the register entries the model reads on and on."""
        if "_packed" not in self.__dict__:
            self.__dict__["_packed"] = tuple(pickle.dumps(self.__dict__.pop(name), pickle.HIGHEST_PROTOCOL)
                                             for name in PACKED)

    def share(self) -> None:
        """Hold the strings of its register entries once in this process: they repeat from file
        to file (a person's names, the kinds), and facts that came pickled from a worker or the
        cache each have their own copies."""
        if "_shared" in self.__dict__:
            return
        self.__dict__["_shared"] = True
        for e in self.entries:
            e.id, e.kind, e.n, e.name, e.where = intern(e.id), intern(e.kind), intern(e.n), intern(e.name), intern(e.where)
            e.names, e.idnos, e.keys = [intern(x) for x in e.names], [intern(x) for x in e.idnos], [intern(x) for x in e.keys]

    @property
    def packed(self) -> bool:
        return "_packed" in self.__dict__

    def __getattr__(self, name: str):
        # (only called for a name not found as usual: a field pack() took away)
        packed = self.__dict__.get("_packed")
        if packed is not None and name in _PACKED_AT:
            return pickle.loads(packed[_PACKED_AT[name]])
        raise AttributeError(name)

    def __getstate__(self) -> dict:
        """Pickled as it is held (the cache keeps packed facts packed), but for share()'s mark:
        the strings of another process are its own."""
        state = dict(self.__dict__)
        state.pop("_shared", None)
        return state


# The fields of FileFacts read one file at a time; FileFacts.pack keeps them as bytes.
PACKED = ("ids", "pointers", "keys", "targets", "prefixes", "taxonomies", "typed", "local", "models")
_PACKED_AT = {name: i for i, name in enumerate(PACKED)}


def pack(files) -> None:
    """Pack the facts each of *files* holds (FileFacts.pack: those read here, not in a worker),
    and hold their entries' strings once (FileFacts.share), once validation is done with them;
    facts not read yet (an incremental build's, left in its cache) stay where they are."""
    for f in files:
        facts = f._facts if f.container is None else None
        if isinstance(facts, FileFacts):
            facts.pack()
            facts.share()


def read(f: TeiFile) -> FileFacts:
    """The facts of file *f*, from its tree (which it does not change)."""
    from . import rules, schema  # the rules own what they check in one file

    root = f.root
    out = FileFacts(shape=classify(root))
    pointer_attrs = rules.POINTER_ATTRS
    # Most elements carry none of the attributes read here: one look at their names (a set
    # operation, in C) spares a get() for each of the fourteen.  The attributes still go in
    # the order of the tuples above, so the record is the same.
    wanted = frozenset(pointer_attrs) | frozenset(REFERRING_ATTRS) | {XML_ID}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        names = el.keys()
        if not names or wanted.isdisjoint(names):
            continue
        xid = el.get(XML_ID)
        if xid is not None:
            out.ids.append(xid)
        local = None
        for attr in pointer_attrs:
            value = el.get(attr)
            if value is None:
                continue
            local = local or etree.QName(el).localname
            line, col = position(f.path, el, attr)
            for ptr in value.split():
                out.pointers.append((attr, ptr, local, line, col))
        for attr in REFERRING_ATTRS:
            for tok in (el.get(attr) or "").split():
                parts = urlsplit(tok)
                if not (parts.scheme or parts.netloc or not parts.path):
                    out.targets.append(unquote(parts.path))
        if el.tag in _KEYED_TAGS and el.get("key"):
            out.keys.append(norm(el.get("key")))
    out.targets = list(dict.fromkeys(out.targets))
    out.prefixes = [p.get("ident", "").lower() for p in root.iter(t("prefixDef")) if p.get("ident")]
    for tax in root.iterfind(".//tei:classDecl/tei:taxonomy", NS):
        out.taxonomies.append((tax.get(XML_ID) or "", [c.get(XML_ID) for c in tax.iter(t("category")) if c.get(XML_ID)]))
    texts = tei_texts(root)
    parts = texts if texts and texts != [root] else [root]
    for part in parts:
        out.typed.append(_typed(part))
    out.corpus = len(parts) if parts != [root] else 0
    out.texts = [part.get(XML_ID) or "" for part in parts]
    from ..model import registers  # (the model package reads the edition module this one is read by)

    for el in root.iter(*_ENTRY_TAGS):
        kind = etree.QName(el).localname
        entry = edition_mod.Entry(el.get(XML_ID) or "", kind, f, el)
        out.entries.append(EntryFacts(entry.id, kind, el.get("n") or "",
                                      ["".join(i.itertext()) for i in el.findall("tei:idno", NS)],
                                      el.sourceline or 1, entry.name,
                                      **(registers.describe(entry) if entry.id else {})))
    out.local = {name: _diagnostics(check, f) for name, check in rules.LOCAL.items()}
    out.models = schema.declarations(f.tree) if f.container is None else []
    return out


def _typed(tei: etree._Element) -> list:
    text = tei.find("tei:text", NS)
    if text is None:
        return []
    prefix = f"{{{TEI_NS}}}"
    return [(el.tag[len(prefix):], el.get("type"), bool(el.get("resp")), el.sourceline or 1)
            for el in text.iter()
            if isinstance(el.tag, str) and el.tag.startswith(prefix)
            and (el.get("type") is not None or el.tag == t("note"))]


def _diagnostics(check, f: TeiFile) -> list[tuple]:
    from .diagnostics import Report

    sub = Report()
    check(f, sub)
    return [(d.line, d.col, d.severity, d.message, d.rule) for d in sub.items]


def of(f: TeiFile) -> FileFacts:
    """The facts of *f* (of the file holding it, for one TEI of a corpus): those loading
    attached, else read now and kept."""
    f = f.container or f
    if f.facts is None:
        f.facts = read(f)
    return f.facts


def light(f: TeiFile):
    """What loading and the schema plan read of *f* (its shape, corpus, texts and <?xml-model?>
    declarations): from the last build's record of a file of the same bytes when its facts are
    not read yet (teipress.validation.recall), else from its facts."""
    f = f.container or f
    if f._facts is None and f.recalled is not None:
        return f.recalled
    return of(f)


# From this many files on, files not in the cache are read on every core.
PARALLEL_FROM = 16


def attach(files: list[TeiFile], cache=None, check=None) -> dict:
    """Give each of *files* its facts (and its digest): from *cache* (teipress.commands.cache)
    when it holds those of the same bytes, else parsed and read (in forked workers for many
    files; the tree is not kept) and put in the cache.  *check*: called with the files to parse,
    when there are any, for what else to do with each in the same pass (the schema check,
    teipress.commands.validate.loading_check); its result goes to the file's ``checked``.
    Returns the files that could not be parsed: rel → XmlError."""
    keys = {}
    todo = []
    failed: dict = {}
    for f in files:
        if f.facts is not None:
            continue
        if not f.digest:
            try:
                f.digest = _digest(f)
            except OSError:
                pass  # parse() says why
        if cache is not None and f.digest:
            keys[f.rel] = key = cache_key(f)
            hit = cache.get_object("facts", key)
            if isinstance(hit, FileFacts):
                f.facts = hit
                continue
        todo.append(f)
    also = None
    if todo and check is not None:
        aside = None
        if len(todo) < PARALLEL_FROM:
            # A few files (an incremental build's changed ones): their schema check, which
            # first unpickles the compiled schema, is done by a child while this process
            # recalls the rest of the edition; validation takes its result (Checked.get).
            aside = workers.aside(lambda: _check_only(todo, lambda: check(todo), cache))
        if aside is not None:
            for i, f in enumerate(todo):
                f.checked = Checked(aside, i)
        else:
            also = check(todo)  # made here: the workers inherit it
    for f, got in zip(todo, workers.forked_map(lambda f: _read_file(f, also), todo, PARALLEL_FROM)):
        if isinstance(got[0], FileFacts):
            f.facts = got[0]
            if also is not None:
                f.checked = got[1]
            if cache is not None and f.rel in keys:
                cache.put_object("facts", keys[f.rel], f.facts)
        else:
            failed[f.rel] = XmlError(f.path, *got)
    return failed


class Checked:
    """What loading's check found of a file, from the child that does it (workers.aside)."""

    def __init__(self, aside, i: int):
        self.aside, self.i = aside, i

    def get(self):
        """check(file, facts)'s result, or None (the child failed, or the file did not parse there)."""
        got = self.aside.result()
        return got[self.i] if got is not None and self.i < len(got) else None


def _check_only(todo: list[TeiFile], make, cache=None) -> list:
    """make()(file, facts) for each of *todo* (in the child of workers.aside, which opens the
    cache's packs again); None for a file that does not parse (loading says why)."""
    if cache is not None:
        cache.reopen()
    also = make()
    out = []
    for f in todo:
        got = _read_file(f, also)
        out.append(got[1] if isinstance(got[0], FileFacts) else None)
    return out


def _read_file(f: TeiFile, also=None) -> tuple:
    """*f* parsed and its facts read, here (a worker): (facts, what *also* made of it), or where
    and why it cannot be parsed.  The tree goes when this returns."""
    if f._parsed is None:
        try:
            tree = parse(f.path)
        except XmlError as exc:
            return (exc.line, exc.col, exc.message, exc.rule)
        edition_mod.TREES.parses += 1
        f = TeiFile(f.path, f.rel, tree, classify(tree.getroot()), digest=f.digest)
    facts = read(f)
    checked = also(f, facts) if also is not None else None
    if checked is not None:  # (held pickled until validation reads it: its diagnostics, the schemas)
        checked = pickle.dumps(checked, pickle.HIGHEST_PROTOCOL)
    facts.pack()  # (what goes back to the main process stays packed there: FileFacts.pack)
    return facts, checked


def cache_key(f: TeiFile) -> str:
    """Everything a file's facts depend on: its bytes and teipress."""
    from ..commands import cache as cache_mod

    return cache_mod.digest("facts", VERSION, cache_mod.tool_fingerprint(), f.digest or _digest(f))


def _digest(f: TeiFile) -> str:
    return hashlib.sha256(f.path.read_bytes()).hexdigest()

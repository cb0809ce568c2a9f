"""What the last incremental build's loading and validation found, file by file, so that a build
in which a few files changed reads and checks only those.

An edition of thousands of letters has hundreds of thousands of ids and pointers: reading every
file's facts and resolving every pointer again costs seconds when one letter changed.  The
integrity rules' diagnostics of a file depend on its own facts and on a few edition-wide things:
the files there are, the ids and register entries each declares, the prefixes and taxonomies,
which files are registers (teipress.validation.rules.file_rules).  So the last build's findings
are kept, in one entry of the cache (:class:`Memo`), with what each file contributed to those
edition-wide things (:func:`outward`), and a build reuses them only when it finds the same
files, none unreadable, and every changed file contributing the same as before (the same ids,
entries, prefixes, taxonomies, and files it refers to): then every other file's diagnostics are
those of the last build, and only the changed files are checked, against their targets' facts.
Anything else (a file added, removed or renamed, an id added or renamed, another register
entry) checks every file, as a clean build does.

The memo's file records (tens of MB at thousands of letters: every letter's warnings and
register entries) are kept in SHARDS entries of their own, each under a digest of its bytes,
and the memo names them: a build writes again only the shards whose records changed (a
changed letter's), and keeps the others as they are (see page_cache.Index for the same).

A file whose stat (size, times, inode) is the one recorded when its bytes were last read is not
read again, unless it had changed less than ``teipress.commands.cache.RACY_NS`` before that reading: a file written
twice within one tick of a coarse clock keeps its time (git's "racily clean" rule).
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import pickle
import time
import zlib
from typing import NamedTuple

from . import facts as facts_mod

VERSION = 7
KIND = "validated"
SHARD = "validated-files"  # the memo's file records, a share of the files each
SHARDS = 64


class FileRecord(NamedTuple):
    """One file as the last build found it."""

    sig: tuple  # its stat when its bytes were read: (size, mtime_ns, ctime_ns, inode, device)
    seen: int  # when that stat was taken (time.time_ns())
    digest: str  # the SHA-256 of its bytes
    facts_key: str  # where the cache keeps its facts (teipress.validation.facts.cache_key)
    shape: str  # what teipress.validation.facts.light gives of it without its facts
    corpus: int
    texts: list
    models: list
    kind: str  # 'register' or 'document', once the edition's registers were settled
    outward: str  # what it gives the rest of the edition (outward())
    refers: tuple  # the files it refers to (teipress.edition.refers_of), sorted
    used: bytes  # the register entries its pointers use (pickled set)
    # Its diagnostics by rule group (rules.file_rules), pickled as tuples: (thousands of
    # letters' tens of thousands of warnings are made again from them in a moment).
    rules: bytes
    schema_key: str  # what its schema diagnostics depend on (commands.validate._schema_key)
    schema_on: str  # the part of that key that is its schemas' files
    schema: bytes  # its schema diagnostics (pickled list)
    # Its register entries (FileFacts.entries, pickled): what the edition-wide register
    # identities read of every file (teipress.edition.Edition.entries), without its facts.
    entries: bytes
    # Its pointers into other files, (attribute, token, element's local name), and the div
    # types of each of its TEIs' texts (both pickled: the memo is written by every build, and
    # bytes cost nothing to pickle): what the edition-wide search for parallel texts reads of
    # every document (teipress.model.parallel), without its facts.
    outside: bytes
    div_types: bytes


class Memo:
    """The last build's findings (see the module's text)."""

    def __init__(self, tool: str, root: str, named: tuple, base: str):
        self.version = VERSION
        self.tool, self.root, self.named, self.base = tool, root, named, base
        self.files: dict[str, FileRecord] = {}
        self.errors = False  # a file could not be read: nothing is reused
        self.key_owners: dict[str, frozenset] = {}  # @key value → the register-shaped files naming it
        self.keys: dict[str, object] = {}  # every @key value a file uses → the entry it names, or None
        self.prefixes: set[str] = set()
        self.declared: dict[str, set[str]] = {}
        self.uses: dict[tuple[str, str], int] = {}  # register entry → how many files use it
        self.unused: bytes = pickle.dumps([])
        # The cache keys of its file records' shards (_put), and (not pickled) what each of the
        # shards read held: key → {rel: FileRecord}, so that an unchanged shard is not written.
        self.shards: list[str] = []
        self.read: dict[str, dict] = {}


def _shard_of(rel: str) -> int:
    return zlib.crc32(rel.encode("utf-8", "surrogateescape")) % SHARDS


def _put(cache, root, memo: Memo) -> None:
    """Put *memo* in the cache: its file records in shards, each under a digest of its bytes;
    a shard holding the very records read from one of the last build's is kept as it was."""
    from ..commands import cache as cache_mod

    parts: list[dict] = [{} for _ in range(SHARDS)]
    for rel, rec in memo.files.items():
        parts[_shard_of(rel)][rel] = rec
    keys = []
    for i, part in enumerate(parts):
        key = memo.shards[i] if len(memo.shards) == SHARDS else None
        was = memo.read.get(key) if key is not None else None
        if was is not None and was.keys() == part.keys() and all(part[rel] is rec for rel, rec in was.items()):
            cache.keep(SHARD, key)
        else:  # (plain tuples: pickling thousands of named tuples costs)
            data = _dumps({rel: tuple(rec) for rel, rec in part.items()})
            key = cache_mod.digest(SHARD, VERSION, hashlib.sha256(data).digest())
            cache.put(SHARD, key, data)
        keys.append(key)
    memo.shards = keys
    head = Memo.__new__(Memo)  # (the memo without its records, which are in the shards)
    head.__dict__.update(memo.__dict__, files={}, read={})
    cache.put_object(KIND, slot(root), head)


def _get(cache, memo: Memo) -> bool:
    """Fill *memo*'s files from its shards; False when one is lost, damaged or of another kind."""
    if len(memo.shards) != SHARDS:
        return False
    memo.files, memo.read = {}, {}
    for key in memo.shards:
        rows = cache.get_object(SHARD, key)
        if not isinstance(rows, dict):
            return False
        try:
            part = {rel: FileRecord._make(row) for rel, row in rows.items()}
        except TypeError:
            return False
        memo.read[key] = part
        memo.files.update(part)
    return True


def slot(root) -> str:
    """The cache key of an edition's memo (one per cache, rewritten by every build)."""
    from ..commands import cache as cache_mod

    return cache_mod.digest(KIND, VERSION, os.path.abspath(root))


def previous(cache, root) -> Memo | None:
    """The memo the last complete build left for the edition at *root*, if it is of this teipress."""
    from ..commands import cache as cache_mod

    memo = cache.get_object(KIND, slot(root))
    if (not isinstance(memo, Memo) or memo.version != VERSION or memo.tool != cache_mod.tool_fingerprint()
            or memo.root != os.path.abspath(root) or not _get(cache, memo)):
        return None
    return memo


def outward(facts) -> str:
    """What of a file's facts the rest of the edition's findings depend on: its shape, its ids,
    its entries' ids, kinds, @n and idnos, its prefixes and its taxonomies."""
    from ..commands import cache as cache_mod

    return cache_mod.digest(facts.shape, facts.ids, [(e.id, e.kind, e.n, e.idnos) for e in facts.entries],
                            facts.prefixes, facts.taxonomies)


class Loading:
    """What loading found with the memo: the stat and time of each file, whether the memo may
    stand for the files not changed, and what the build keeps of them for the next one."""

    def __init__(self, memo: Memo | None, cache):
        self.memo, self.cache = memo, cache
        self.seen: dict[str, tuple] = {}  # rel → (sig, time) of this build's look at the file
        self.recalled: set[str] = set()  # files of the same bytes as in the memo (facts not read)
        self.reusable = False  # the memo stands for every file not changed (see the module's text)

    def digests(self, files) -> None:
        """Give each file its digest: the memo's when its stat says it is unchanged (and was
        not changed just before it was read), else from its bytes.  Files of the memo's bytes
        have their facts read from the cache only when asked for."""
        from ..commands import cache as cache_mod
        from . import facts as facts_mod

        memo = self.memo
        for f in files:
            now = time.time_ns()
            try:
                st = os.stat(f.path)
            except OSError:
                continue  # parsing says why
            sig = cache_mod.stat_signature(st)
            rec = memo.files.get(f.rel) if memo is not None else None
            if rec is not None and cache_mod.stat_vouches(st, rec.sig, rec.seen):
                f.digest = rec.digest
                self.seen[f.rel] = (sig, rec.seen)
            else:
                try:
                    with open(f.path, "rb") as fh:
                        f.digest = hashlib.sha256(fh.read()).hexdigest()
                except OSError:
                    continue
                self.seen[f.rel] = (sig, now)
            if rec is not None and rec.digest == f.digest:
                f.recalled = rec
                self.cache.keep("facts", rec.facts_key)
                f.facts_later(lambda f=f, key=rec.facts_key: _facts(f, key, self.cache))
                self.recalled.add(f.rel)

    def settle(self, ed, named: list[str], refused: bool) -> bool:
        """Settle which files are registers from the memo, when it stands for every file not
        changed; whether it does (else teipress.edition.settle_kinds must, from every file)."""
        from .. import edition as edition_mod

        memo = self.memo
        if (memo is None or refused or ed.errors or memo.errors or tuple(named) != memo.named
                or len(ed.files) != len(memo.files) or any(f.rel not in memo.files for f in ed.files)):
            return False
        rels = {f.rel for f in ed.files}
        referred: set[str] = set()
        for f in ed.files:
            rec = memo.files[f.rel]
            if f.rel in self.recalled:
                referred.update(rec.refers)
                continue
            facts = facts_mod.of(f)
            if outward(facts) != rec.outward:
                return False
            refers = tuple(sorted(edition_mod.refers_of(f, rels, memo.key_owners)))
            if refers != rec.refers:
                return False
            referred.update(refers)
        for f in ed.files:
            shape = facts_mod.light(f).shape
            kind = "register" if f.rel in named or (shape == "register" and f.rel in referred) else "document"
            if kind != memo.files[f.rel].kind:
                return False
        for f in ed.files:
            f.kind = memo.files[f.rel].kind
        self.reusable = True
        return True


def entries_of(f, seen: dict | None = None) -> list:
    """A file's register entries (FileFacts.entries): from the memo's record of the file's bytes
    while its facts are not read (an edition of thousands of letters need not read every
    letter's facts for the register identities), else from its facts.  *seen*: an entry's
    About, pickled (_entries_dumps) → that About, kept by the caller over the files: the letters
    of an edition describe the same persons again and again, each About is unpickled once."""
    f = f.container or f
    rec = f.recalled
    if f._facts is None and rec is not None:
        try:
            got = pickle.loads(rec.entries)
        except Exception:  # (a record of another teipress: the facts say)
            got = None
        if isinstance(got, list) and all(isinstance(e, facts_mod.EntryFacts) for e in got):
            seen = {} if seen is None else seen
            try:
                for e in got:
                    if isinstance(e.about, bytes):
                        about = seen.get(e.about)
                        if about is None:
                            about = seen[e.about] = pickle.loads(e.about)
                        e.about = about  # (its own record, just unpickled: nothing else holds it)
            except Exception:
                got = None
            if got is not None:
                return got
    return facts_mod.of(f).entries


def entries_blob(f) -> bytes:
    """A file's register entries as the memo keeps them (pickled; EMPTY without any): what
    the register identities of the edition depend on of the file (model.registers.identities)."""
    f = f.container or f
    rec = f.recalled
    if rec is not None and isinstance(rec.entries, bytes):
        return rec.entries  # (a record of the file's bytes: its entries are those)
    entries = facts_mod.of(f).entries
    return _entries_dumps(entries) if entries else EMPTY


def _facts(f, key: str, cache):
    """The facts of a file the memo knows: from the cache, else (an entry lost) read again."""
    got = cache.get_object("facts", key)
    return got if isinstance(got, facts_mod.FileFacts) else facts_mod.read(f)


def localise(loading: Loading, report) -> None:
    """The memo's diagnostics named as *report* names files.  The memo keeps them named from the
    folder the last build ran in (relative to it, as they were printed); a build run from another
    folder renames them once here, so that the memo still stands for the files not changed
    (not every file checked again because the editor's shell is somewhere else)."""
    from .diagnostics import renamed, renamed_items

    memo = loading.memo
    if memo is None or report.base is None or memo.base in ("None", str(report.base)):
        return  # (a report without a base names files as it was given them: nothing to go by)
    for rel, rec in memo.files.items():  # (its rule findings kept as rows, its schema's as Diagnostics)
        pieces = {group: renamed(rows, memo.base, report) for group, rows in pickle.loads(rec.rules).items()}
        schema = rec.schema if rec.schema == EMPTY else _dumps(renamed_items(pickle.loads(rec.schema), memo.base, report))
        memo.files[rel] = rec._replace(rules=_dumps(pieces), schema=schema)
    memo.unused = _dumps(renamed_items(pickle.loads(memo.unused), memo.base, report))
    memo.base = str(report.base)


def check(ed, report, loading: Loading, schemas: dict) -> None:
    """check_rules, then remember."""
    remember(ed, loading, check_rules(ed, report, loading), schemas)


def check_rules(ed, report, loading: Loading) -> Memo:
    """The integrity rules' diagnostics into *report* (as teipress.validation.rules.check): the
    last build's for every file not changed when the memo stands for them (Loading.reusable),
    the changed files' found now.  Returns this build's memo, which remember() completes."""
    memo = loading.memo
    if loading.reusable and memo.base == str(report.base):
        return _check_changed(ed, report, loading)
    return _check_all(ed, report, loading)


def remember(ed, loading: Loading, new: Memo, schemas: dict) -> None:
    """Put this build's memo (check_rules) in the cache, with each file's stat and its schema
    findings (*schemas*: rel → (schema key, its schemas' digest, pickled diagnostics))."""
    new.files = {}
    for f in ed.files:
        rec = new.files_found.get(f.rel)
        if rec is None:
            continue
        key, on, blob = schemas.get(f.rel, ("", "", EMPTY))
        if not isinstance(blob, bytes):
            key, on, blob = "", "", EMPTY
        sig, seen = loading.seen.get(f.rel, ((), 0))
        if rec.sig != sig or rec.seen != seen or rec.schema_key != key or rec.schema_on != on or rec.schema != blob:
            rec = rec._replace(sig=sig, seen=seen, schema_key=key, schema_on=on, schema=blob)
        new.files[f.rel] = rec
    del new.files_found
    _put(loading.cache, ed.root, new)


EMPTY = pickle.dumps([], protocol=pickle.HIGHEST_PROTOCOL)


def _dumps(value) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _entries_dumps(entries) -> bytes:
    """A file's register entries pickled without the pickler's memo, so that equal entries give
    the same bytes whichever strings they share (facts.pack interns them once validation is
    done): the register identities are kept under a digest of these bytes (identity_cache.key),
    which must not change because a build read the entries before or after packing.
    Each entry's About is pickled apart, as bytes inside it (entries_of unpickles each distinct
    one once a build)."""
    return _fast_dumps([dataclasses.replace(e, about=_fast_dumps(e.about)) if e.about is not None else e
                        for e in entries])


def _fast_dumps(value) -> bytes:
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # (no memo: entries hold no cycles)
    pickler.dump(value)
    return buf.getvalue()


def _record(f, loading: Loading, kind: str, facts, refers, used, pieces) -> FileRecord:
    sig, seen = loading.seen.get(f.rel, ((), 0))
    rules = {group: list(map(tuple, items)) for group, items in pieces.items()}
    return FileRecord(sig, seen, f.digest, facts_mod.cache_key(f), facts.shape, facts.corpus, facts.texts,
                      facts.models, kind, outward(facts), tuple(sorted(refers)), _dumps(used), _dumps(rules),
                      "", "", EMPTY, _entries_dumps(facts.entries) if facts.entries else EMPTY,
                      _dumps(_outside(f.rel, facts)), _dumps(_div_types(facts)))


def _outside(rel: str, facts) -> tuple:
    from ..edition import pointer_target

    out = []
    for a, tok, el, _line, _col in facts.pointers:
        try:
            if pointer_target(rel, tok)[0] == rel:
                continue
        except ValueError:
            continue  # (no file of the edition)
        out.append((a, tok, el))
    return tuple(out)


def _div_types(facts) -> tuple:
    return tuple(tuple(sorted({kind for name, kind, _r, _l in typed if name == "div" and kind}))
                 for typed in facts.typed)


def pointers_out(f) -> tuple:
    """(attribute, token, element's local name) of each pointer of file *f* into another file:
    from the memo's record of its bytes while its facts are not read, else from its facts."""
    holder = f.container or f
    return _recalled(holder, "outside", lambda facts: _outside(holder.rel, facts))


def div_types(f) -> tuple:
    """The div types of each TEI of file *f*'s text (one tuple per TEI; none without a text):
    from the memo's record while its facts are not read, else from its facts."""
    return _recalled(f.container or f, "div_types", _div_types)


def _recalled(holder, field: str, from_facts) -> tuple:
    """The tuple the memo keeps pickled in its record's *field* for *holder* while its facts are
    not read (reading them would cost what the memo saves); else, or when the record is of
    another teipress or damaged, from_facts(its facts)."""
    rec = holder.recalled
    if holder._facts is None and rec is not None:
        try:
            got = pickle.loads(getattr(rec, field))
        except Exception:
            got = None
        if isinstance(got, tuple):
            return got
    return from_facts(facts_mod.of(holder))


def _pieces(rec: FileRecord) -> dict[str, list]:
    """A file's diagnostics by rule group, as the memo keeps them (_record)."""
    from .diagnostics import Diagnostic

    return {group: list(map(Diagnostic._make, items)) for group, items in pickle.loads(rec.rules).items()}


def _check_all(ed, report, loading: Loading) -> Memo:
    """Every file checked (rules.check), and the memo made afresh."""
    from .. import edition as edition_mod
    from ..commands import cache as cache_mod
    from . import rules
    from .diagnostics import Report

    index = rules.Index(ed)
    unreadable, prefixes, declared = rules._unreadable(ed), rules._prefixes(ed), rules.declared_types(ed)
    found = {f.rel: rules.file_rules(ed, f, index, report, unreadable, prefixes, declared) for f in ed.files}
    rules.put_together(ed, report, found)
    unused = Report(base=report.base)
    unused._names = report._names
    rules.check_unused(ed, unused, set().union(*(used for _, used in found.values())))
    report.items.extend(unused.items)

    new = Memo(cache_mod.tool_fingerprint(), os.path.abspath(ed.root), tuple(ed.config.get("registers") or []),
               str(report.base))
    new.errors = bool(ed.errors)
    new.prefixes, new.declared = prefixes, declared
    new.unused = _dumps(unused.items)
    rels = {f.rel for f in ed.files}
    new.key_owners = edition_mod.key_owners(ed.files)
    registers = {f.rel for f in ed.files if f.kind == "register"}
    new.files_found = {}
    for f in ed.files:
        facts = facts_mod.of(f)
        for key in facts.keys:
            if key not in new.keys:
                new.keys[key] = index.entry_for_key(key)
        pieces, used = found[f.rel]
        used = frozenset(k for k in used if k[0] in registers)
        for k in used:
            new.uses[k] = new.uses.get(k, 0) + 1
        if f.digest:
            new.files_found[f.rel] = _record(f, loading, f.kind, facts, edition_mod.refers_of(f, rels, new.key_owners),
                                             used, pieces)
    return new


def _check_changed(ed, report, loading: Loading) -> Memo:
    """Only the changed files checked, against their targets' facts; every other file's
    diagnostics are the memo's (the edition-wide facts are those of the last build)."""
    import copy

    from . import rules
    from .diagnostics import Report

    memo = loading.memo
    changed = [f for f in ed.files if f.rel not in loading.recalled]
    index = rules.NearIndex(ed, memo.keys)
    registers = {f.rel for f in ed.files if f.kind == "register"}
    found = {f.rel: rules.file_rules(ed, f, index, report, set(), memo.prefixes, memo.declared) for f in changed}
    pieces = {f.rel: found[f.rel][0] if f.rel in found else _pieces(memo.files[f.rel]) for f in ed.files}
    for group in rules.GROUPS:
        for f in ed.files:
            report.items.extend(pieces[f.rel][group])
    new = copy.copy(memo)
    new.keys, new.uses = dict(memo.keys), dict(memo.uses)
    new.files_found = dict(memo.files)
    moved = False
    for f in changed:
        facts = facts_mod.of(f)
        used = frozenset(k for k in found[f.rel][1] if k[0] in registers)
        rec = memo.files[f.rel]
        before = pickle.loads(rec.used)
        if used != before:
            moved = True
            for k in before:
                new.uses[k] -= 1
                if not new.uses[k]:
                    del new.uses[k]
            for k in used:
                new.uses[k] = new.uses.get(k, 0) + 1
        for key in facts.keys:
            if key not in new.keys:
                new.keys[key] = index.entry_for_key(key)
        new.files_found[f.rel] = _record(f, loading, f.kind, facts, rec.refers, used, found[f.rel][0])
    if moved or any(f.kind == "register" for f in changed):  # (a register's lines may have moved)
        unused = Report(base=report.base)
        unused._names = report._names
        rules.check_unused(ed, unused, set(new.uses))
        new.unused = _dumps(unused.items)
        report.items.extend(unused.items)
    else:
        report.items.extend(pickle.loads(memo.unused))
    return new

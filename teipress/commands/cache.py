"""The incremental build's cache: what a build made, kept under the content it was made from.

Every entry is keyed by a digest of *everything* its output depends on, read off the very
inputs of the step (a file's bytes and the schemas that check it; the folder Typst is given),
never by guessing what changed: so an entry is either exactly what a clean build would make,
or it is not found.  The teipress code itself (every file of the package, not only its
version number) is part of every key, so an edited stylesheet or template misses the cache.

These kinds of entry are kept, in the edition folder's ``.teipress-cache/`` (one folder per
output folder built into; the output folder itself holds only what the build makes), in pack
files with an index (`Cache`):

- ``facts``: each TEI file's facts, under its bytes (teipress.validation.facts): its ids,
  pointers, register entries and one-file diagnostics, so the integrity rules and the choice
  of registers do not read an unchanged file's tree again;
- ``validated``: one entry, rewritten by every build: what its loading and validation found of
  each file (its stat, digest, diagnostics, what it gives the rest of the edition), so that a
  build in which a few files changed reads and checks only those (teipress.validation.recall);
  its file records are in 64 ``validated-files`` shards, written again only when changed;
- ``schema``: the schema diagnostics of each file (the slow part of validation), and each
  schema's verdict (it compiles, or why not), so a build whose files are all checked compiles
  no schema;
- ``model``: each document's behaviour model, keyed by its file and its registry
  (teipress.model.behaviour.behaviour_bytes);
- ``pointers``, ``model-of``: what each document asks its registry for (under its bytes), and
  under its lookup key (its bytes and what those pointers resolve to) the keys of its ``model``
  and ``own`` entries, so that a document whose inputs are unchanged is found without being
  parsed (teipress.model.model_cache);
- ``model-snapshot``: one entry, rewritten by every build: what its model stage found of each
  document (its digest, pointers, lookup key, and the keys ``model-of`` gave), read at once in
  place of ten thousand ``pointers`` and ``model-of`` entries (teipress.model.model_cache); its
  documents' records are in 64 ``model-snapshot-docs`` shards, written again only when changed;
- ``identities``: which register entries of the edition describe one person, place or
  organisation, under every file's register entries (teipress.model.identity_cache);
- ``own``: what each behaviour model alone says (its header facts, warnings, unknown rend
  values, images, pointers, mentions, letter facts, dated divisions), under the model's bytes
  (teipress.model.edition_model.own_facts);
- ``pdf``: each document's PDF, keyed by the folder its typesetting reads;
- ``page``: each document's HTML page(s) and citation files, keyed by everything they show
  (teipress.outputs.page_cache);
- ``search``, ``edition-page``: the search index's runs, the edition's own pages
  (teipress.outputs.search, edition_cache);
- ``cmif``: the CMIF file of the letters, under their facts (teipress.outputs.cmif);
- ``build.pickle``: the last complete build's fingerprint (sources, edition.toml, templates,
  teipress, SOURCE_DATE_EPOCH, options) and a listing of its output, so that a build of
  unchanged sources into an untouched output is recognised in a moment and not repeated;
  ``report.pickle`` beside it holds that build's diagnostics (a no-op build prints them).

A build reads the previous build's cache and writes what it makes into a staging folder beside
it (what an interrupted build leaves there, the next one removes); only a complete build turns the entries it used, new and old,
into the cache, which then takes the old one's place.  So the cache holds one build's worth
(and the dead bytes of packs mostly live, at most as much again), and a cache lost at a kill is
only a slower next build: an entry is never wrong.
"""
from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import os
import pickle
import secrets
import shutil
import struct
import sys
import tempfile
import threading
import time
import zlib
from functools import lru_cache
from pathlib import Path

from .. import workers

PACKAGE = Path(__file__).resolve().parent.parent
# Folders of an edition a build reads: the TEI (and images), the page templates it overrides.
EDITION_INPUTS = ("tei", "templates", "xslt")
# What the build makes (and what a no-op build must find untouched); the cache is not listed.
BUILT = ("html", "pdf", "tei")


CACHE = ".teipress-cache"


def cache_folder(edition_dir: Path, out: Path) -> Path:
    """Where the cache of builds of an edition into *out* lives: in the edition folder."""
    out = Path(os.path.abspath(out))
    return Path(os.path.abspath(edition_dir)) / CACHE / f"{out.name}-{digest(str(out))[:12]}"


def staging_folder(folder: Path) -> Path:
    """A fresh folder beside the cache *folder* for what a build makes; what killed builds
    left there (staging folders, a half-replaced cache) is removed first (the caller holds
    the output's lock, so no other build of it is running)."""
    for p in folder.parent.glob(f"{folder.name}.*"):
        shutil.rmtree(p, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{folder.name}.staging-", dir=folder.parent))


def replace(folder: Path, new: Path) -> None:
    """*new* takes the place of *folder* (a kill in between loses the cache, nothing more)."""
    old = folder.with_name(folder.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    with contextlib.suppress(OSError):
        if folder.exists():
            os.rename(folder, old)
        os.rename(new, folder)
    shutil.rmtree(old, ignore_errors=True)


def digest(*parts) -> str:
    h = hashlib.sha256()
    for p in parts:
        b = p if isinstance(p, bytes) else repr(p).encode("utf-8")
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


@lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """Every file of teipress: the package (code, templates, Typst, static files) and the
    stylesheets and schema it reads (xslt/ and tei/schema/ of a checkout, inside a wheel)."""
    from .. import resources

    h = hashlib.sha256()
    for top in dict.fromkeys((PACKAGE, resources.xslt_dir(), resources.schema_file().parent)):
        h.update(str(top.name).encode())
        for rel, sha in folder_digest(top):
            if "__pycache__" not in rel:
                h.update(f"{rel}\0{sha}\0".encode())
    return h.hexdigest()


def folder_digest(folder: Path, skip: tuple[Path, ...] = ()) -> list[tuple[str, str]]:
    """(relative path, digest) of every file under *folder*, in a stable order."""
    out = []
    if not folder.is_dir():
        return out
    known = _known
    top = str(folder)
    skipped = {str(s) for s in skip}
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(n for n in dirnames if os.path.join(dirpath, n) not in skipped)
        # (strings, not a Path a file: at 5,000 letters a Path each cost a tenth of the fingerprint)
        at = "" if dirpath == top else os.path.relpath(dirpath, top).replace(os.sep, "/") + "/"
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            try:
                if known is not None:
                    sha = known.sha256(path)
                else:
                    with open(path, "rb") as fh:
                        sha = hashlib.sha256(fh.read()).hexdigest()
                out.append((at + name, sha))
            except OSError:
                out.append((at + name, "unreadable"))
    return out


# How long before it was read a file must have last changed for its stat to stand for its bytes:
# more than the coarsest file time (2 s on FAT), so that a write in the tick of the reading,
# which would leave the same time, is never missed (git's "racily clean" rule).
RACY_NS = 3 * 10**9


def stat_signature(st: os.stat_result) -> tuple:
    """What of a file's stat must be as it was for the digest of its bytes to stand."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def stat_vouches(st: os.stat_result, sig: tuple, seen: int) -> bool:
    """Whether a file of stat *st* still has the bytes read at time *seen* (ns) when its stat
    signature was *sig*: the same signature, and no change within RACY_NS before that reading."""
    return sig == stat_signature(st) and st.st_mtime_ns < seen - RACY_NS and st.st_ctime_ns < seen - RACY_NS
DIGESTS = "digests.pickle"


class Digests:
    """The SHA-256 of files an earlier build read, trusted while a file's stat (size, times,
    inode, device) is the one taken when its bytes were read, and it had last changed well
    before that (git's "racily clean" rule): the fingerprint of an edition of thousands of
    letters and of teipress itself is then made without reading every file again.  Kept in the
    cache folder (DIGESTS), one small record per file; a damaged one is a fresh start.  Only
    files under *roots* are remembered (scratch folders a stage digests are not)."""

    VERSION = 1

    def __init__(self, folder: Path | None, roots: tuple[str, ...] = ()):
        self.roots = tuple(os.path.join(os.path.abspath(r), "") for r in roots)
        self.old: dict = {}
        self.new: dict = {}
        if folder is not None:
            try:
                version, old = pickle.loads((Path(folder) / DIGESTS).read_bytes())
                if version == self.VERSION and isinstance(old, dict):
                    self.old = old
            except Exception:  # none yet, another version, a damaged file
                pass

    def sha256(self, path: str) -> str:
        """The SHA-256 of the file at *path* (absolute), read only when its stat does not vouch
        for the digest kept; raises OSError as reading it would."""
        now = time.time_ns()  # (before the stat: a write after it gives a later time)
        st = os.stat(path)
        sig = stat_signature(st)
        rec = self.old.get(path)
        if rec is not None and stat_vouches(st, rec[0], rec[1]):
            if path.startswith(self.roots):
                self.new[path] = rec
            return rec[2]
        with open(path, "rb") as fh:
            sha = hashlib.sha256(fh.read()).hexdigest()
        if path.startswith(self.roots):
            self.new[path] = (sig, now, sha)
        return sha

    def save(self, folder: Path) -> None:
        """Keep what this build read (and trusted) in *folder*, for the next build."""
        with contextlib.suppress(OSError):
            (Path(folder) / DIGESTS).write_bytes(pickle.dumps((self.VERSION, self.new),
                                                              protocol=pickle.HIGHEST_PROTOCOL))


_known: Digests | None = None  # the running build's (trust_stats), used by folder_digest


def trust_stats(folder: Path, edition_dir: Path) -> Digests:
    """From now on in this process, digest the files of *edition_dir* and of teipress by their
    stat where the digests an earlier build kept in cache *folder* allow (Digests); the build
    saves them for the next one (Digests.save)."""
    from .. import resources

    global _known
    roots = (str(edition_dir), str(PACKAGE), str(resources.xslt_dir()), str(resources.schema_file().parent))
    _known = Digests(folder, roots)
    return _known


def trust_stats_end() -> None:
    """The build is over: files are read again for their digests (trust_stats)."""
    global _known
    _known = None


def edition_fingerprint(edition_dir: Path, out: Path, options: dict) -> str:
    """A digest of every input of a build: the edition's sources, edition.toml and template
    overrides, teipress itself, the environment that changes outputs, and the options."""
    root = Path(os.path.abspath(edition_dir))
    skip = (Path(os.path.abspath(out)),)
    toml = root / "edition.toml"
    env = sorted((k, v) for k, v in os.environ.items() if k.startswith("TEIPRESS_") or k == "SOURCE_DATE_EPOCH")
    # Without SOURCE_DATE_EPOCH the build date may be today's: a new day is a new build.
    today = "" if "SOURCE_DATE_EPOCH" in os.environ else dt.datetime.now(dt.timezone.utc).date().isoformat()
    return digest(tool_fingerprint(), str(root), str(Path(os.path.abspath(out))), env, today,
                  sorted(options.items()), toml.read_bytes() if toml.is_file() else b"",
                  [(name, folder_digest(root / name, skip)) for name in EDITION_INPUTS])


def input_stamp(edition_dir: Path, out: Path) -> str:
    """The size, time and inode of every input file of edition_fingerprint (not their bytes):
    taken when a build starts and again when it ends, it tells whether a source was written
    meanwhile without reading them all again."""
    root = Path(os.path.abspath(edition_dir))
    skip = os.path.abspath(out)
    rows = []
    for name in ("edition.toml", *EDITION_INPUTS):
        for dirpath, dirnames, filenames in os.walk(root / name):
            dirnames[:] = sorted(d for d in dirnames if os.path.join(dirpath, d) != skip)
            for f in sorted(filenames):
                with contextlib.suppress(OSError):
                    st = os.stat(os.path.join(dirpath, f))
                    rows.append((dirpath, f, st.st_size, st.st_mtime_ns, st.st_ino))
        with contextlib.suppress(OSError):
            if name == "edition.toml":
                st = os.stat(root / name)
                rows.append((name, st.st_size, st.st_mtime_ns, st.st_ino))
    return digest(rows)


def output_listing(out: Path, known: dict[str, tuple[int, int]] | None = None) -> str:
    """What a build left in *out*: every file of html/, pdf/, tei/ with its size and time.

    A no-op build is trusted only when this is unchanged: a page deleted or edited by hand
    since is made again.  *known*: the size and time of each of those files (path relative
    to *out* → (size, mtime)), as the build that made them noted them (commands/shadow.py),
    so that its listing needs no walk of the folder; the digest is the same as the walk's.
    The rows are in the order of their paths as strings (sorted in C: a walk's own order,
    worked out in Python for 35,000 paths, cost a quarter of a second)."""
    if known is None:
        known = {}
        top = str(out) + os.sep
        cut = len(top)
        for name in BUILT:
            for dirpath, _dirnames, filenames in os.walk(top + name):
                at = dirpath[cut:].replace(os.sep, "/") + "/"
                for f in filenames:
                    try:
                        st = os.stat(os.path.join(dirpath, f))
                    except OSError:
                        continue
                    known[at + f] = (st.st_size, st.st_mtime_ns)
    h = hashlib.sha256()
    h.update("\n".join([f"{rel}\0{size}\0{mtime}" for rel, (size, mtime) in sorted(known.items())])
             .encode("utf-8", "surrogateescape"))
    return h.hexdigest()


# A cache entry in a pack: this head (a mark, the lengths of its kind, key and bytes, the
# CRC-32 of its bytes), its kind and key (UTF-8), then its bytes.
_RECORD = struct.Struct("<4sHHQI")
_MARK = b"TPc1"
PACK = ".pack"
INDEX = "index.pickle"
INDEX_VERSION = 1
REPORT = "report.pickle"
# finish() copies a pack's live entries into a new pack when less than this share of its
# bytes is live (so the cache stays within about twice one build's worth) or when the pack is
# small (so that many small builds do not leave many small packs).
LIVE_SHARE = 0.5
SMALL_PACK = 4 << 20


class Cache:
    """A content-keyed store of bytes: read from *folder* (the previous build's), written into
    *staging* (folder itself when None).

    Entries are not one file each (thousands of small files cost more to create than to
    fill): each process appends what it puts to a pack file of its own in the staging folder
    (``<pid>-<token>.pack``), so forked workers never write to one file together; finish()
    gathers the entries a build used into the new cache folder (packs linked, or their live
    entries copied when most of a pack is dead) and writes its index.  An entry is read by its
    offset and checked against its CRC-32: a damaged or torn entry is a miss, never wrong bytes.
    A key names one content, but for the few slots the main process itself rewrites
    (edition_cache's), so an entry another process put is looked for only when this process
    knows of none (_refresh)."""

    def __init__(self, folder: Path, staging: Path | None = None):
        self.folder = Path(folder)
        self.staging = Path(staging) if staging is not None else self.folder
        self.used: dict[str, set[str]] = {}
        self.hits = self.misses = 0
        self._old: dict | None = None  # (kind, key) → (pack, offset, length, crc) of folder
        self._new: dict = {}  # the same for the entries of the staging folder seen so far
        self._scanned: dict[Path, int] = {}  # staging packs: how many bytes were read
        # [pid, fd, pack, end] of each process's pack, by pid (shared with this store's branches)
        self._writers: dict[int, list] = {}
        self._fds: dict[Path, int] = {}
        self._listed: set[Path] = set()  # the packs the index lists (their other entries are dead)
        self._lock = threading.RLock()  # (serve puts and gets from threads)

    # -- reading -------------------------------------------------------------------------
    def get(self, kind: str, key: str) -> bytes | None:
        loc = self.locate(kind, key)
        data = self._read(loc) if loc is not None else None
        if data is None:
            self.misses += 1
            return None
        self.hits += 1
        return data

    def locate(self, kind: str, key: str) -> tuple | None:
        """Where the entry *kind*/*key* is kept, without reading it: (pack, offset, length,
        CRC-32), or None.  Counted as used, as by get().  The caller reads it itself (its
        bytes may still be damaged: check the length and CRC, as get() does); the packs of
        the previous build are only read during a build, and an open descriptor keeps one
        readable after finish() replaced the cache."""
        self.used.setdefault(kind, set()).add(key)
        k = (kind, key)
        loc = self._new.get(k) or self._previous().get(k)
        # A forked worker does not look through what the other processes wrote since it was
        # forked: what it asks for is its own job's entry, which no other process makes (at
        # most a sibling makes an equal one, and it is made twice), and reading their packs at
        # each miss left every worker holding the index of the whole build (at 20,000 letters
        # some 120,000 entries each) and cost it their reading.
        if loc is None and not workers.in_worker():
            with self._lock:
                if self._refresh():
                    loc = self._new.get(k)
        return loc

    def _read(self, loc) -> bytes | None:
        pack, offset, length, crc = loc
        try:
            fd = self._fds.get(pack)
            if fd is None:
                with self._lock:
                    fd = self._fds.get(pack)
                    if fd is None:
                        fd = self._fds[pack] = os.open(pack, os.O_RDONLY)
            data = os.pread(fd, length, offset)
        except OSError:
            return None
        return data if len(data) == length and zlib.crc32(data) == crc else None

    def _previous(self) -> dict:
        """The entries of the previous build's cache (its index, and any pack it does not list)."""
        if self._old is None:
            with self._lock:
                if self._old is None:
                    self._old = self._read_index()
        return self._old

    def _read_index(self) -> dict:
        old: dict = {}
        listed: set[str] = set()
        try:
            index = pickle.loads((self.folder / INDEX).read_bytes())
            if index.get("version") == INDEX_VERSION:
                packs: dict = {}  # one Path per pack: its hash is then worked out once, not per entry
                old = {k: (packs.get(pack) or packs.setdefault(pack, self.folder / pack), *rest)
                       for k, (pack, *rest) in index["entries"].items()}
                listed = set(index["packs"])
        except Exception:  # no index (never finished), another version, a damaged file
            pass
        self._listed = {self.folder / name for name in listed}
        for pack in sorted(self.folder.glob("*" + PACK)):  # (a store used without finish())
            if pack.name not in listed:
                _scan(pack, 0, old)
        return old

    def _refresh(self) -> bool:
        """Read what other processes (forked workers) appended to their packs in the staging
        folder since last time; whether anything was found."""
        found = False
        try:
            packs = [p for p in os.scandir(self.staging) if p.name.endswith(PACK)]
        except OSError:
            return False
        writer = self._writers.get(os.getpid())
        mine = writer[2] if writer is not None else None
        self._previous()
        for entry in packs:
            pack = Path(entry.path)
            if pack == mine or pack in self._listed:
                continue
            try:
                size = entry.stat().st_size
            except OSError:
                continue
            if size > self._scanned.get(pack, 0):
                before = len(self._new)
                self._scanned[pack] = _scan(pack, self._scanned.get(pack, 0), self._new)
                found = found or len(self._new) != before
        return found

    # -- writing -------------------------------------------------------------------------
    def keep(self, kind: str, key: str) -> None:
        """Count an entry as used by this build without reading it (it is read later, if at all,
        or what it holds is known from another entry): finish() keeps it in the cache."""
        self.used.setdefault(kind, set()).add(key)

    def put(self, kind: str, key: str, data: bytes) -> None:
        self.used.setdefault(kind, set()).add(key)
        names = kind.encode("utf-8"), key.encode("utf-8")
        crc = zlib.crc32(data)
        head = _RECORD.pack(_MARK, len(names[0]), len(names[1]), len(data), crc)
        with self._lock, contextlib.suppress(OSError):  # a cache that cannot be written is only slower
            writer = self._pack()
            if writer is None:
                return
            _, fd, pack, end = writer
            # the record's head, then its data as it is: never a copy of the data joined to the
            # head (a register page of 20,000 letters is tens of MB)
            at = end
            for part in (b"".join((head, *names)), data):
                view, done = memoryview(part), 0
                while done < len(view):
                    done += os.pwrite(fd, view[done:], at + done)
                at += len(view)
            writer[3] = at
            self._new[(kind, key)] = (pack, at - len(data), len(data), crc)

    def _pack(self) -> list | None:
        """This process's pack (a forked worker opens its own: it never writes to its parent's)."""
        pid = os.getpid()
        writer = self._writers.get(pid)
        if writer is None:
            self.staging.mkdir(parents=True, exist_ok=True)
            pack = self.staging / f"{pid}-{secrets.token_hex(6)}{PACK}"
            fd = os.open(pack, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            self._writers[pid] = writer = [pid, fd, pack, 0]
            self._scanned[pack] = 0
        return writer

    def branch(self) -> "Cache":
        """The same store with its own record of use, for one job in a forked worker: what
        the job used goes back to this one's record (absorb), which a fork would not carry.
        Everything else is shared with this one: the process's pack, its descriptors, what it
        read of the other processes' packs.  (A branch that began afresh opened a pack of its own
        for each job, and read every pack the workers had written so far again at its first
        miss: the PDF stage of an incremental build of 5,000 letters was quadratic.)"""
        self._previous()
        other = copy.copy(self)
        other.used, other.hits, other.misses = {}, 0, 0
        return other

    def absorb(self, used: dict[str, set[str]], hits: int = 0, misses: int = 0) -> None:
        """Count as used by this build the entries a branch used (see branch)."""
        for kind, keys in used.items():
            self.used.setdefault(kind, set()).update(keys)
        self.hits += hits
        self.misses += misses

    def get_object(self, kind: str, key: str):
        data = self.get(kind, key)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # an entry of another Python or a damaged file: made again
            return None

    def put_object(self, kind: str, key: str, value) -> None:
        self.put(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def keys(self, kind: str) -> set[str]:
        """The keys of *kind* this cache holds (for tests and reports)."""
        self._refresh()
        return {key for k, key in (*self._previous(), *self._new) if k == kind}

    def finish(self, dest: Path) -> None:
        """Make *dest* this build's cache: every entry it used, new (from the staging packs,
        which other processes appended to as well) or old (from the previous cache's packs).
        A pack mostly live is hard-linked as it is; the live entries of the others are copied
        into one new pack.  The index, written last, lists the entries; an entry of a pack it
        does not list does not exist."""
        writer = self._writers.pop(os.getpid(), None)
        if writer is not None:
            with contextlib.suppress(OSError):
                os.close(writer[1])
        self._refresh()
        old = self._previous()
        live: dict = {}
        new = self._new
        for kind, keys in self.used.items():  # (in no order: the index is a mapping, the copies sort below)
            for key in keys:
                k = (kind, key)
                loc = new.get(k) or old.get(k)
                if loc is not None:
                    live[k] = loc
        share: dict[Path, int] = {}
        for pack, _, length, _ in live.values():
            share[pack] = share.get(pack, 0) + length
        dest.mkdir(parents=True, exist_ok=True)
        kept, entries, copy = [], {}, []
        for pack in sorted(share):
            try:
                size = pack.stat().st_size
            except OSError:
                continue
            if size >= SMALL_PACK and share[pack] >= LIVE_SHARE * size:
                try:
                    _link(pack, dest / pack.name)
                except OSError:
                    continue
                kept.append(pack)
            else:
                copy.append(pack)
        linked, copied = set(kept), set(copy)  # (sets: a Path compared in a list costs)
        names = {pack: pack.name for pack in linked}
        for k, loc in live.items():
            if loc[0] in linked:
                entries[k] = (names[loc[0]], *loc[1:])
        if copy:
            with contextlib.suppress(OSError):
                name = f"{os.getpid()}-{secrets.token_hex(6)}{PACK}"
                fd = os.open(dest / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                with os.fdopen(fd, "wb") as fh:
                    end = 0
                    moved = [kv for kv in live.items() if kv[1][0] in copied]
                    for k, loc in sorted(moved, key=lambda kv: (str(kv[1][0]), kv[1][1])):
                        data = self._read(loc)
                        if data is None:
                            continue
                        names = k[0].encode("utf-8"), k[1].encode("utf-8")
                        fh.write(_RECORD.pack(_MARK, len(names[0]), len(names[1]), len(data), loc[3]))
                        fh.write(names[0] + names[1])
                        end += _RECORD.size + len(names[0]) + len(names[1])
                        entries[k] = (name, end, len(data), loc[3])
                        fh.write(data)
                        end += len(data)
                kept.append(dest / name)
        index = {"version": INDEX_VERSION, "packs": sorted(p.name for p in kept), "entries": entries}
        with contextlib.suppress(OSError):
            (dest / INDEX).write_bytes(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
        self.close()

    def reopen(self) -> None:
        """In a forked child that closed the descriptors it inherited (workers.aside): forget
        them, so that packs are opened again when read, and its own pack made when written."""
        self._fds = {}
        self._writers = {}

    def close(self) -> None:
        for fd in self._fds.values():
            with contextlib.suppress(OSError):
                os.close(fd)
        self._fds.clear()

    # -- the whole build ---------------------------------------------------------------
    # The last build's record is two files: what tells whether a build is a no-op
    # (build.pickle: a few hundred bytes, read by every build) and its diagnostics
    # (report.pickle: tens of thousands at thousands of letters, as plain tuples, read only by
    # a no-op build, which prints them).
    def last_build(self):
        try:
            return pickle.loads((self.folder / "build.pickle").read_bytes())
        except Exception:
            return None

    def last_report(self, last: dict) -> list | None:
        """The diagnostics of the build *last* (last_build), or None when they cannot be read
        (a report of another build: each file names the build it belongs to)."""
        from ..validation.diagnostics import Diagnostic, unpack_rows

        try:
            stamp, packed = pickle.loads((self.folder / REPORT).read_bytes())
            if stamp != last.get("report"):
                return None
            return list(map(Diagnostic._make, unpack_rows(packed)))
        except Exception:
            return None

    @staticmethod
    def record_build(dest: Path, record: dict, packed: list[bytes]) -> None:
        """Write the record of a complete build (*record*: what a no-op build checks) and its
        diagnostics (*packed*: Report.packed, kept as they are: at thousands of letters,
        unpacking tens of thousands of rows to pickle them again cost a tenth of a second)."""
        with contextlib.suppress(OSError):
            dest.mkdir(parents=True, exist_ok=True)
            stamp = secrets.token_hex(8)
            (dest / REPORT).write_bytes(pickle.dumps((stamp, packed), protocol=pickle.HIGHEST_PROTOCOL))
            (dest / "build.pickle").write_bytes(pickle.dumps({**record, "report": stamp},
                                                             protocol=pickle.HIGHEST_PROTOCOL))


def _scan(pack: Path, start: int, into: dict) -> int:
    """Add the entries of *pack* from offset *start* to *into*; return where its whole records
    end (a record still being written, or torn by a kill, is left for later or for ever)."""
    at = start
    try:
        with open(pack, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            while at + _RECORD.size <= size:
                fh.seek(at)
                head = fh.read(_RECORD.size)
                mark, nkind, nkey, length, crc = _RECORD.unpack(head)
                if mark != _MARK:
                    break
                names = fh.read(nkind + nkey)
                data_at = at + _RECORD.size + nkind + nkey
                if len(names) < nkind + nkey or data_at + length > size:
                    break
                # (a handful of kinds: one string each, not one per entry)
                into[(sys.intern(names[:nkind].decode("utf-8")), names[nkind:].decode("utf-8"))] = \
                    (pack, data_at, length, crc)
                at = data_at + length
    except (OSError, UnicodeDecodeError, struct.error):
        pass
    return at


def _link(src: Path, dest: Path) -> None:
    try:  # a file system without hard links: a copy
        os.link(src, dest)
    except FileExistsError:
        pass
    except OSError:
        shutil.copyfile(src, dest)


def package_version(name: str) -> str:
    """The installed version of a Python package (Typst's), part of the keys of what it makes."""
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


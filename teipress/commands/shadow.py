"""An incremental build's output written as a difference: the shadow and the manifests.

A build replaces its output folder whole (commands/output.py): it makes a complete new folder
beside the output and exchanges the two names in one system call.  Making a new folder of
25,000 files for one changed letter costs more than everything else such a build does, so an
incremental build keeps the folder the exchange took out of service, the *shadow*
(``.<output>.shadow`` beside it), one build behind, and brings it up to date instead of
making a folder anew:

- a *manifest* of each folder (relative path → digest of the bytes, size, mtime, inode) is
  kept in the build's cache (`read_manifests`/`Writer.manifests`), under the folder's own
  inode number, so it follows the folder through the exchange;
- before the build touches the shadow it renames it to a temporary name of the output
  (``.<output>.tmp-…``): a build killed while updating it leaves a temporary folder, which
  the next build removes (output.sweep) and then starts from a fresh folder, as a failed
  build's cleanup does;
- every file of the shadow is checked against its manifest by its size, mtime and inode (one
  walk, no file read): a file edited or replaced by hand, in the shadow or in the output it
  shares inodes with, is not trusted and is written again.  The walk (a stat for each of some
  35,000 files at 5,000 letters) is begun in a forked child on the idle core as soon as the
  build knows it is not a no-op (`walk_ahead`), while this process validates the edition and
  makes its model; it goes through the folder by descriptors, so the shadow's rename does not
  disturb it, and the Writer takes its result when it is of the very folder it brings up to
  date (else it walks the folder itself);
- a file the build makes (`Writer.put`) whose digest the shadow's file already has is left
  alone; one the output holds with that digest (checked as above) is hard-linked from it; any
  other is written anew.  A file is never written through a link: its name is unlinked
  first, so the output, which shares inodes with the shadow, is never changed;
- what the build did not make is removed (stale pages), the entries of the output it did not
  make at all (screenshots, a deposit, the stages --only skipped) are hard-linked in as
  before, and the shadow is exchanged with the output: the old output becomes the shadow.

The stages read only what this build made (`made_file`, `made_under`), never a file the
shadow still holds from an earlier build.  A stage that writes files itself (the PDF stage,
through Typst) cannot be followed, so a build running it starts from a fresh folder, with
the same linking from the output (build.py decides).
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import shutil
import stat
import zlib
from array import array
from pathlib import Path

MANIFESTS = "outputs.pickle"  # in the cache folder (commands/cache.py)
VERSION = 2
_MARK = b"TPm2"  # the file: this mark, the CRC-32 of the pickle, the pickle


def shadow_folder(out: Path) -> Path:
    return out.parent / f".{out.name}.shadow"


def folder_id(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


class Manifest:
    """One folder's manifest: relative path → (SHA-256 hex digest, size, mtime, inode), kept
    compact.  A folder of a 5,000-letter edition holds some 30,000 files: as a dictionary of
    tuples its pickle took a second to read, as three flat values (the paths, the digests, the
    numbers) a few milliseconds.  The tuples are made only for the paths asked for."""

    __slots__ = ("paths", "at", "digests", "numbers")

    def __init__(self, paths: list[str], digests: str, numbers: array):
        if len(digests) != 64 * len(paths) or len(numbers) != 3 * len(paths):
            raise ValueError("a manifest whose parts differ in length")
        self.paths = paths
        self.at: dict[str, int] | None = None  # (path → its row, made when first asked)
        self.digests, self.numbers = digests, numbers

    @classmethod
    def of(cls, records: "dict[str, tuple] | Manifest") -> "Manifest":
        if isinstance(records, Manifest):
            return records
        paths = list(records)
        numbers = array("q")
        for rec in records.values():
            numbers.extend(rec[1:])
        return cls(paths, "".join(rec[0] for rec in records.values()), numbers)

    def __reduce__(self):
        return (_manifest, ("\0".join(self.paths), self.digests, self.numbers.tobytes()))

    def __len__(self) -> int:
        return len(self.paths)

    def __contains__(self, rel: str) -> bool:
        return rel in self._at()

    def _at(self) -> dict[str, int]:
        if self.at is None:
            self.at = dict(zip(self.paths, range(len(self.paths))))
        return self.at

    def get(self, rel: str, default=None):
        i = self._at().get(rel)
        if i is None:
            return default
        n = self.numbers
        return (self.digests[64 * i:64 * i + 64], n[3 * i], n[3 * i + 1], n[3 * i + 2])

    def items(self):
        for rel in self.paths:
            yield rel, self.get(rel)

    def __eq__(self, other) -> bool:
        if isinstance(other, Manifest):
            return (self.paths, self.digests, self.numbers) == (other.paths, other.digests, other.numbers)
        return isinstance(other, dict) and dict(self.items()) == other

    __hash__ = None


def _manifest(paths: str, digests: str, numbers: bytes) -> Manifest:
    n = array("q")
    n.frombytes(numbers)
    return Manifest(paths.split("\0") if paths else [], digests, n)


def read_manifests(cache_folder: Path) -> dict[int, Manifest]:
    """The manifests the last complete build left: folder inode → Manifest."""
    try:
        raw = (cache_folder / MANIFESTS).read_bytes()
        head, crc, body = raw[:4], int.from_bytes(raw[4:8], "little"), raw[8:]
        if head != _MARK or zlib.crc32(body) != crc:  # (a damaged manifest could say a changed file is not)
            return {}
        kept = pickle.loads(body)
        if kept.get("version") == VERSION and all(isinstance(m, Manifest) for m in kept["folders"].values()):
            return kept["folders"]
    except Exception:  # none yet, another version, a damaged file: the build starts afresh
        pass
    return {}


def write_manifests(cache_folder: Path, folders: dict[int, "dict | Manifest"]) -> None:
    with contextlib.suppress(OSError):
        cache_folder.mkdir(parents=True, exist_ok=True)
        folders = {fid: Manifest.of(m) for fid, m in folders.items()}
        body = pickle.dumps({"version": VERSION, "folders": folders}, protocol=pickle.HIGHEST_PROTOCOL)
        (cache_folder / MANIFESTS).write_bytes(_MARK + zlib.crc32(body).to_bytes(4, "little") + body)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def walk(top: Path) -> tuple[dict[str, tuple], list[str]]:
    """Every file under *top*: relative path → (size, mtime, inode, is a plain file); and the folders."""
    files: dict[str, tuple] = {}
    folders: list[str] = []
    try:
        fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return files, folders
    try:
        _walk_fd(fd, "", files, folders)
    finally:
        os.close(fd)
    return files, folders


def _walk_fd(fd: int, rel: str, files: dict, folders: list | None = None) -> None:
    """walk() of the folder open as *fd*, by descriptors (its name may change meanwhile); its
    folders into *folders*, when given."""
    try:
        with os.scandir(fd) as it:
            entries = list(it)
    except OSError:
        return
    for e in entries:
        r = f"{rel}{e.name}"
        try:
            if e.is_dir(follow_symlinks=False):
                if folders is not None:
                    folders.append(r)
                sub = os.open(e.name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
                try:
                    _walk_fd(sub, r + "/", files, folders)
                finally:
                    os.close(sub)
                continue
            st = e.stat(follow_symlinks=False)
        except OSError:
            continue
        files[r] = (st.st_size, st.st_mtime_ns, st.st_ino, stat.S_ISREG(st.st_mode))


def _untrusted(found: dict, record) -> list[str]:
    """The files of *found* (walk) the manifest *record* does not vouch for: not a plain file, or
    not of the size, mtime and inode it noted."""
    out = []
    for rel, (size, mtime, ino, plain) in found.items():
        rec = record.get(rel)
        if not (plain and rec is not None and rec[1:] == (size, mtime, ino)):
            out.append(rel)
    return out


def _checked(fd: int, cache_folder: Path):
    """In a forked child (walk_ahead): the inode of the folder open as *fd*, its files and those
    of them its manifest does not vouch for (each joined by NULs: one string pickles in a moment)."""
    try:
        ino = os.fstat(fd).st_ino
        record = read_manifests(cache_folder).get(ino)
        if record is None:
            return None
        found: dict = {}
        _walk_fd(fd, "", found)
    finally:
        os.close(fd)
    return ino, "\0".join(found), "\0".join(_untrusted(found, _records(record)))


_ahead = None  # the running build's walk of its shadow, begun in a forked child (walk_ahead)


def walk_ahead(folder: Path, cache_folder: Path) -> None:
    """Begin the walk of the shadow *folder* and its check against the manifest kept in
    *cache_folder* in a forked child (teipress.workers.aside), for the Writer (see the
    module's text); nothing where forking is not wanted.  The folder is opened here, before the
    child starts: renamed at any time after, it is still the folder the child walks."""
    global _ahead
    end_walk()
    if not folder.is_dir() or folder.is_symlink():
        return
    from .. import workers

    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return
    try:
        _ahead = workers.aside(functools.partial(_checked, fd, cache_folder), keep=(fd,))
    finally:
        os.close(fd)


def end_walk() -> None:
    """The build is over: a walk begun for it and not taken is ended."""
    global _ahead
    if _ahead is not None:
        _ahead.cancel()
        _ahead = None


def _walked(target: Path) -> tuple[set, set] | None:
    """(its files, those its manifest does not vouch for) of *target*, as walk_ahead's child
    found them, when it walked this very folder (the same inode); else None."""
    global _ahead
    ahead, _ahead = _ahead, None
    if ahead is None:
        return None
    got = ahead.result()
    if not (isinstance(got, tuple) and len(got) == 3 and got[0] == folder_id(target)):
        return None
    return (set(got[1].split("\0")) if got[1] else set()), (set(got[2].split("\0")) if got[2] else set())


def _records(record) -> dict[str, tuple]:
    """Every row of a manifest as path → (digest, size, mtime, inode), made in C (Manifest.get
    row by row cost a tenth of a second at 35,000 files)."""
    if not isinstance(record, Manifest):
        return dict(record)
    d, n = record.digests, record.numbers
    return dict(zip(record.paths, zip([d[i:i + 64] for i in range(0, len(d), 64)], n[0::3], n[1::3], n[2::3])))


class Writer:
    """Writes the files of a build into *target* (the shadow, brought up to date, or a fresh
    folder), keeping the manifest of what it made; *out*: the output it will replace, whose
    files of the same digest are linked; *manifests*: read_manifests()."""

    def __init__(self, target: Path, out: Path, manifests: dict[int, dict], shadow: bool):
        self.target = target
        self.prefix = str(target) + os.sep
        self.out = out
        self.shadow = shadow  # target holds an earlier build's files (else it is a fresh folder)
        self.made: dict[str, tuple] = {}
        self.journal: list | None = None
        self.written = self.linked = self.kept = 0
        oid = folder_id(out)
        self.other = manifests.get(oid) if oid is not None else None
        self.other_id = oid
        self.found: dict[str, tuple] = {}
        self.folders: list[str] = []
        self.base: dict[str, tuple] = {}
        walked = _walked(target) if shadow else None
        if shadow:
            record = _records(manifests.get(folder_id(target), {}))
            if walked is not None:  # (found and checked by walk_ahead's child)
                self.found, untrusted = walked
                if untrusted or not self.found.issuperset(record):
                    record = {rel: rec for rel, rec in record.items() if rel in self.found and rel not in untrusted}
                self.base = record
            else:
                self.found, self.folders = walk(target)
                untrusted = set(_untrusted(self.found, record))
                self.base = {rel: record[rel] for rel in self.found if rel not in untrusted}

    # -- writing ---------------------------------------------------------------------------
    def holds(self, path: Path) -> bool:
        return str(path).startswith(self.prefix)

    def put(self, path: Path | str, data: bytes | None = None, digest: str | None = None, load=None) -> None:
        """The file *path* (inside target: a Path or its string) with *data*, or with the bytes of *digest* that
        load() gives when they must be written."""
        rel = str(path)[len(self.prefix):]
        if digest is None:
            digest = sha(data)
        rec = self.base.get(rel)
        if rec is not None and rec[0] == digest:
            self.kept += 1
            return self._made(rel, rec)
        old = self.other.get(rel) if self.other is not None else None
        if old is not None and old[0] == digest:
            src = os.path.join(self.out, rel)
            try:
                st = os.lstat(src)
                same = stat.S_ISREG(st.st_mode) and (st.st_size, st.st_mtime_ns, st.st_ino) == old[1:]
            except OSError:
                same = False
            if same and self._link(src, path, rel):
                self.linked += 1
                return self._made(rel, old)
        if data is None:
            data = load()
            digest = sha(data)  # (what is written is what the manifest says)
        if self.other is None and not self.shadow:
            from .output import _same_as

            src = os.path.join(self.out, rel)
            if _same_as(src, data) and self._link(src, path, rel):
                st = os.lstat(path)
                self.linked += 1
                return self._made(rel, (digest, st.st_size, st.st_mtime_ns, st.st_ino))
        self._clear(path, rel)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
        try:
            fd = os.open(path, flags, 0o666)
        except FileNotFoundError:
            self._parent(path)
            fd = os.open(path, flags, 0o666)
        try:
            view, done = memoryview(data), 0
            while done < len(data):
                done += os.write(fd, view[done:])
            st = os.fstat(fd)  # (after the last write: its size and time are the file's)
        finally:
            os.close(fd)
        self.written += 1
        self._made(rel, (digest, st.st_size, st.st_mtime_ns, st.st_ino))

    def _made(self, rel: str, rec: tuple) -> None:
        self.made[rel] = rec
        if self.journal is not None:
            self.journal.append((rel, rec))

    def _clear(self, path: Path, rel: str) -> None:
        """Nothing at *path* (so that what comes is a new file: never written through a link)."""
        if rel in self.found or rel in self.made or not self.shadow:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            except IsADirectoryError:
                shutil.rmtree(path)
            except PermissionError:  # (a folder, on some systems)
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path)
                else:
                    raise
        elif os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)

    def _parent(self, path: Path | str) -> None:
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):  # a file of an earlier build where a folder goes
            p = path.parent
            while self.holds(p):
                if os.path.lexists(p) and not os.path.isdir(p):
                    os.unlink(p)
                p = p.parent
            path.parent.mkdir(parents=True, exist_ok=True)

    def _link(self, src: str, path: Path, rel: str) -> bool:
        self._clear(path, rel)
        try:
            os.link(src, path, follow_symlinks=False)
        except FileNotFoundError:
            self._parent(path)
            try:
                os.link(src, path, follow_symlinks=False)
            except OSError:
                return False
        except OSError:  # a file system without hard links: written
            return False
        return True

    # -- reading what this build made ------------------------------------------------------
    def made_file(self, path: Path) -> bool:
        if not self.holds(path):
            return path.is_file()
        if not self.shadow:  # a fresh folder holds only this build's files (the PDF stage's too)
            return path.is_file()
        return str(path)[len(self.prefix):] in self.made

    def made_under(self, folder: Path) -> list[tuple[str, str]]:
        """(path relative to *folder*, digest) of every file this build made under it."""
        start = str(folder)[len(self.prefix):] + "/"
        return [(rel[len(start):], rec[0]) for rel, rec in self.made.items() if rel.startswith(start)]

    # -- the end of the build --------------------------------------------------------------
    def complete(self, carry_over, ours) -> None:
        """Make target the whole output: in a shadow, remove what this build did not make and
        take the entries of the output it did not make at all (carry_over(out, target, skip))."""
        tops = {rel.split("/", 1)[0] for rel in self.made}
        if self.shadow:
            emptied = set()
            for rel in self.found:
                if rel not in self.made and rel.split("/", 1)[0] in tops:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(self.prefix + rel)
                    emptied.add(rel.rpartition("/")[0])
            for d in sorted(emptied, key=lambda r: r.count("/"), reverse=True):
                while d:  # the folders left empty, up to the first that is not
                    try:
                        os.rmdir(self.prefix + d)
                    except OSError:
                        break
                    d = d.rpartition("/")[0]
            for entry in os.listdir(self.target):
                if entry not in tops and not ours(entry):
                    p = self.target / entry
                    if p.is_dir() and not p.is_symlink():
                        shutil.rmtree(p)
                    else:
                        p.unlink()
        carry_over(self.out, self.target, skip=lambda name: name in tops)

    def listing(self, built: tuple[str, ...]) -> dict[str, tuple[int, int]]:
        """Size and mtime of every file of the *built* folders of target (for output_listing):
        this build's from its manifest, those of folders it did not make (carried over) read."""
        known, tops = {}, set()
        for rel, rec in self.made.items():
            top = rel.partition("/")[0]
            tops.add(top)
            if top in built:
                known[rel] = (rec[1], rec[2])
        for name in built:
            if name not in tops and (self.target / name).is_dir():
                for rel, st in walk(self.target / name)[0].items():
                    known[f"{name}/{rel}"] = st[:2]
        return known

    def manifests(self) -> dict[int, dict]:
        """The manifests to keep: target's (this build's files) and the output's, which becomes
        the shadow."""
        kept = {}
        if self.other is not None and self.other_id is not None:
            kept[self.other_id] = self.other
        tid = folder_id(self.target)
        if tid is not None:
            kept[tid] = self.made
        return kept

"""The incremental build's cache: what a build made, kept under the content it was made from.

Every entry is keyed by a digest of *everything* its output depends on, read off the very
inputs of the step (a file's bytes and the schemas that check it; the folder Typst is given),
never by guessing what changed: so an entry is either exactly what a clean build would make,
or it is not found.  The teipress code itself (every file of the package, not only its
version number) is part of every key, so an edited stylesheet or template misses the cache.

Three things are kept, in a folder beside the output (``.build.cache`` for ``build/``):

- ``schema/``: the schema diagnostics of each file (the slow part of validation);
- ``pdf/``: each document's PDF, keyed by the folder its typesetting reads;
- ``build.pickle``: the last complete build's fingerprint (sources, edition.toml, templates,
  teipress, SOURCE_DATE_EPOCH, options) and a listing of its output, so that a build of
  unchanged sources into an untouched output is recognised in a moment and not repeated.

Entries a complete build did not use are removed after it, so the cache holds one build's
worth and no more.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
# Folders of an edition a build reads: the TEI (and images), the page templates it overrides.
EDITION_INPUTS = ("tei", "templates", "xslt")
# What the build makes (and what a no-op build must find untouched).
BUILT = ("html", "pdf", "tei")


def cache_folder(out: Path) -> Path:
    """Where the cache of a build into *out* lives: beside it, as the lock file does."""
    out = Path(os.path.abspath(out))
    return out.parent / f".{out.name}.cache"


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
    for dirpath, dirnames, filenames in os.walk(folder):
        d = Path(dirpath)
        dirnames[:] = sorted(n for n in dirnames if not any((d / n) == s for s in skip))
        for name in sorted(filenames):
            p = d / name
            try:
                out.append((p.relative_to(folder).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest()))
            except OSError:
                out.append((p.relative_to(folder).as_posix(), "unreadable"))
    return out


def edition_fingerprint(edition_dir: Path, out: Path, options: dict) -> str:
    """A digest of every input of a build: the edition's sources, edition.toml and template
    overrides, teipress itself, the environment that changes outputs, and the options."""
    root = Path(os.path.abspath(edition_dir))
    skip = (Path(os.path.abspath(out)), cache_folder(out))
    toml = root / "edition.toml"
    env = sorted((k, v) for k, v in os.environ.items() if k.startswith("TEIPRESS_") or k == "SOURCE_DATE_EPOCH")
    # Without SOURCE_DATE_EPOCH the build date may be today's: a new day is a new build.
    today = "" if "SOURCE_DATE_EPOCH" in os.environ else dt.datetime.now(dt.timezone.utc).date().isoformat()
    return digest(tool_fingerprint(), str(root), str(Path(os.path.abspath(out))), env, today,
                  sorted(options.items()), toml.read_bytes() if toml.is_file() else b"",
                  [(name, folder_digest(root / name, skip)) for name in EDITION_INPUTS])


def output_listing(out: Path) -> str:
    """What a build left in *out*: every file of html/, pdf/, tei/ with its size and time.

    A no-op build is trusted only when this is unchanged: a page deleted or edited by hand
    since is made again."""
    rows = []
    for name in BUILT:
        top = out / name
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            for f in sorted(filenames):
                try:
                    st = os.stat(os.path.join(dirpath, f))
                except OSError:
                    continue
                rows.append((os.path.relpath(os.path.join(dirpath, f), out), st.st_size, st.st_mtime_ns))
    return digest(rows)


class Cache:
    """A content-keyed store of bytes, one file per entry (``kind/ab/abcdef…``)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.used: dict[str, set[str]] = {}
        self.hits = self.misses = 0

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / key[:2] / key

    def get(self, kind: str, key: str) -> bytes | None:
        self.used.setdefault(kind, set()).add(key)
        try:
            data = self._path(kind, key).read_bytes()
        except OSError:
            self.misses += 1
            return None
        self.hits += 1
        return data

    def put(self, kind: str, key: str, data: bytes) -> None:
        self.used.setdefault(kind, set()).add(key)
        path = self._path(kind, key)
        with contextlib.suppress(OSError):  # a cache that cannot be written is only slower
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)  # never a half-written entry under its name

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

    def prune(self) -> None:
        """Remove the entries of each kind this build used that it did not use (an edited
        letter's old PDF): the cache keeps one build's worth."""
        for kind, keep in self.used.items():
            for p in (self.folder / kind).glob("*/*"):
                if p.name not in keep:
                    with contextlib.suppress(OSError):
                        p.unlink()

    # -- the whole build ---------------------------------------------------------------
    def last_build(self):
        try:
            return pickle.loads((self.folder / "build.pickle").read_bytes())
        except Exception:
            return None

    def record_build(self, record) -> None:
        self.put_record("build.pickle", record)

    def put_record(self, name: str, value) -> None:
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".part-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, self.folder / name)

    def forget_build(self) -> None:
        with contextlib.suppress(OSError):
            (self.folder / "build.pickle").unlink()


def package_version(name: str) -> str:
    """The installed version of a Python package (Typst's), part of the keys of what it makes."""
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


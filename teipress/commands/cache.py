"""The incremental build's cache: what a build made, kept under the content it was made from.

Every entry is keyed by a digest of *everything* its output depends on, read off the very
inputs of the step (a file's bytes and the schemas that check it; the folder Typst is given),
never by guessing what changed: so an entry is either exactly what a clean build would make,
or it is not found.  The teipress code itself (every file of the package, not only its
version number) is part of every key, so an edited stylesheet or template misses the cache.

These are kept, in the edition folder's ``.teipress-cache/`` (one folder per output
folder built into; the output folder itself holds only what the build makes):

- ``facts/``: each TEI file's facts, under its bytes (teipress.validation.facts): its ids,
  pointers, register entries and one-file diagnostics, so the integrity rules and the choice
  of registers do not read an unchanged file's tree again;
- ``schema/``: the schema diagnostics of each file (the slow part of validation), and each
  schema's verdict (it compiles, or why not), so a build whose files are all checked compiles
  no schema;
- ``model/``: each document's behaviour model, keyed by its file and its registry
  (teipress.model.behaviour.behaviour_bytes);
- ``own/``: what each behaviour model alone says (its header facts, warnings, unknown rend
  values, images, pointers, mentions, letter facts, dated divisions), under the model's bytes
  (teipress.model.edition_model.own_facts);
- ``pdf/``: each document's PDF, keyed by the folder its typesetting reads;
- ``page/``: each document's HTML page(s) and citation files, keyed by everything they show
  (teipress.outputs.page_cache);
- ``build.pickle``: the last complete build's fingerprint (sources, edition.toml, templates,
  teipress, SOURCE_DATE_EPOCH, options) and a listing of its output, so that a build of
  unchanged sources into an untouched output is recognised in a moment and not repeated.

A build reads the previous build's cache and writes what it makes into a staging folder beside
it (what an interrupted build leaves there, the next one removes); only a complete build turns the entries it used, new and old,
into the cache, which then takes the old one's place.  So the cache holds one build's worth and
no more, and a cache lost at a kill is only a slower next build: an entry is never wrong.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import pickle
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

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
    skip = (Path(os.path.abspath(out)),)
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
    """A content-keyed store of bytes, one file per entry (``kind/ab/abcdef…``): read from
    *folder* (the previous build's), written into *staging* (folder itself when None)."""

    def __init__(self, folder: Path, staging: Path | None = None):
        self.folder = Path(folder)
        self.staging = Path(staging) if staging is not None else self.folder
        self.used: dict[str, set[str]] = {}
        self.hits = self.misses = 0

    def _path(self, kind: str, key: str, base: Path | None = None) -> Path:
        return (base or self.folder) / kind / key[:2] / key

    def get(self, kind: str, key: str) -> bytes | None:
        self.used.setdefault(kind, set()).add(key)
        for base in dict.fromkeys((self.staging, self.folder)):
            try:
                data = self._path(kind, key, base).read_bytes()
            except OSError:
                continue
            self.hits += 1
            return data
        self.misses += 1
        return None

    def put(self, kind: str, key: str, data: bytes) -> None:
        self.used.setdefault(kind, set()).add(key)
        path = self._path(kind, key, self.staging)
        with contextlib.suppress(OSError):  # a cache that cannot be written is only slower
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)  # never a half-written entry under its name

    def branch(self) -> "Cache":
        """The same store with its own record of use, for one job in a forked worker: what
        the job used goes back to this one's record (absorb), which a fork would not carry."""
        return Cache(self.folder, self.staging)

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

    def finish(self, dest: Path) -> None:
        """Make *dest* this build's cache: every entry it used, new (moved from the staging
        folder) or old (linked from the previous cache)."""
        for kind, keys in sorted(self.used.items()):
            for key in sorted(keys):
                target = self._path(kind, key, dest)
                for base in dict.fromkeys((self.staging, self.folder)):
                    src = self._path(kind, key, base)
                    if not src.is_file():
                        continue
                    with contextlib.suppress(OSError):
                        target.parent.mkdir(parents=True, exist_ok=True)
                        try:  # a file system without hard links: a copy
                            if base == self.staging and base != self.folder:
                                os.replace(src, target)
                            else:
                                os.link(src, target)
                        except OSError:
                            shutil.copyfile(src, target)
                    break

    # -- the whole build ---------------------------------------------------------------
    def last_build(self):
        try:
            return pickle.loads((self.folder / "build.pickle").read_bytes())
        except Exception:
            return None

    @staticmethod
    def record_build(dest: Path, record) -> None:
        with contextlib.suppress(OSError):
            dest.mkdir(parents=True, exist_ok=True)
            (dest / "build.pickle").write_bytes(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))


def package_version(name: str) -> str:
    """The installed version of a Python package (Typst's), part of the keys of what it makes."""
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


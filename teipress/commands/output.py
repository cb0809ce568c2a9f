"""An output folder (build/, a deposit folder) replaced whole, by one writer at a time.

A command writes its new output into a temporary folder beside the target, then the
two folder names are exchanged in one system call (Linux renameat2 RENAME_EXCHANGE),
so a reader, or a kill at any moment, finds either the previous complete output or
the new complete one.  Entries of the previous output that the command did not make
(screenshots, a deposit inside build/, the stages a partial build skipped) are carried
into the new folder as hard links before the exchange, so they survive without being
copied.  A lock file beside the target (flock) keeps two writers apart; it is removed
when the writer finishes.  Temporary folders a killed writer left behind (only
SIGKILL can do that: SIGINT and SIGTERM clean up) are removed by the next writer.

An incremental build does not make its new folder from nothing: it brings the previous
output's *shadow* up to date and exchanges the two in the same way (teipress.commands.shadow,
through put() and replace(keep=...)); while it does, the shadow has a temporary name, so a
kill leaves nothing but a temporary folder for the next writer to remove.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import stat
import tempfile
from pathlib import Path

from . import interrupt

RENAME_EXCHANGE = 2  # linux/fs.h
AT_FDCWD = -100


class OutputError(Exception):
    """The output folder cannot be written; the message names it and says why."""


class Busy(OutputError):
    """Another teipress process is writing the same output."""


def temp_prefix(out: Path) -> str:
    return f".{out.name}.tmp-"


def lock_file(out: Path) -> Path:
    return out.parent / f".{out.name}.lock"


def prepare(out: Path) -> Path:
    """The absolute target folder, with its parent created; an OutputError says what is wrong."""
    out = Path(os.path.abspath(out))
    if out.is_symlink():  # the editor's link to a bigger disk: write where it points
        out = out.resolve()
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: the output path is a file, not a folder")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{out}: a part of the output path is a file, not a folder") from None
    except OSError as exc:
        raise OutputError(f"{out}: cannot create the output folder's parent: {exc.strerror}") from None
    if not os.access(out.parent, os.W_OK | os.X_OK):
        raise OutputError(f"{out}: cannot write into {out.parent} (permission denied or read-only)")
    return out


def check_target(out: Path, edition_dir: Path, earlier_output) -> None:
    """Refuse an output folder whose whole replacement would take what is not ours: the
    edition folder or a folder that holds it, a folder inside tei/, or an existing folder
    that holds something but is no earlier output (earlier_output(folder) says)."""
    out = Path(os.path.abspath(out)).resolve()
    edition = Path(os.path.abspath(edition_dir)).resolve()
    if edition.is_relative_to(out):
        raise OutputError(f"{out}: the output folder would hold the edition itself: give it a folder "
                          "of its own (the default is EDITION/build)")
    if out.is_relative_to(edition / "tei"):
        raise OutputError(f"{out}: the output folder cannot be inside tei/, the sources")
    try:
        entries = [p for p in out.iterdir() if not _ours(p.name)] if out.is_dir() else []
    except OSError as exc:
        raise OutputError(f"{out}: cannot read the output folder: {exc.strerror}") from None
    if entries and not earlier_output(out):
        raise OutputError(f"{out}: this folder is not empty and holds no earlier output of teipress; "
                          "it would be replaced whole: give the output a folder of its own")


@contextlib.contextmanager
def locked(*outs: Path):
    """Hold the lock of every output folder in *outs* (outermost first), or raise Busy."""
    with contextlib.ExitStack() as stack:
        for out in outs:
            stack.enter_context(_lock(out))
        if outs:
            _nobody_around(outs)
        yield


def _nobody_around(outs) -> None:
    """No writer of a folder that holds one of *outs* (a build replacing the folder a deposit
    writes into) and none of a folder inside them (the deposit in the build folder).  Each
    side checks after taking its own lock, so of two that overlap one always sees the other."""
    mine = {lock_file(o) for o in outs}
    around = [lock_file(a) for o in outs for a in o.parents if a.parent != a]
    for o in outs:
        with contextlib.suppress(OSError):
            around += [p for p in o.iterdir() if p.name.startswith(".") and p.name.endswith(".lock")]
    for path in around:
        if path in mine:
            continue
        pid = _holder(path)
        if pid is not None:
            raise Busy(f"{path.parent / path.name[1:-5]}: another build of this edition is running "
                       f"(pid {pid}); nothing was changed")


def _holder(path: Path) -> str | None:
    """The pid written in a lock file that someone holds; None if nobody does (or no file)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return None
    except BlockingIOError:
        return os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
    finally:
        os.close(fd)


@contextlib.contextmanager
def _lock(out: Path):
    path = lock_file(out)
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise OutputError(f"{out}: cannot create the lock file {path}: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise Busy(f"{out}: another build of this edition is running (pid {pid}); "
                       "nothing was changed") from None
        # The holder before us may have removed the file between our open and our lock:
        # then we hold a lock on a file nobody else will see, so try again.
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        with interrupt.deferred():
            with contextlib.suppress(OSError):
                os.unlink(path)
            os.close(fd)


def temp_folder(out: Path) -> Path:
    """A fresh temporary folder beside *out* (same file system, so it can take its place)."""
    try:
        return Path(tempfile.mkdtemp(prefix=temp_prefix(out), dir=out.parent))
    except OSError as exc:
        raise OutputError(f"{out}: cannot write beside the output folder: {exc.strerror}") from None


def leftovers(out: Path) -> list[Path]:
    """Temporary folders of earlier writers of *out* (call with the lock held)."""
    prefix = temp_prefix(out)
    try:
        return sorted(p for p in out.parent.iterdir() if p.name.startswith(prefix))
    except OSError:
        return []


def sweep(out: Path) -> None:
    """Remove what killed writers left beside *out*; with the lock held nobody is using it.
    If only the fallback's two renames were half done, put the previous output back."""
    for p in leftovers(out):
        if p.name.startswith(temp_prefix(out) + "old-") and not out.exists():
            p.rename(out)
            continue
        remove(p)


def remove(path: Path) -> None:
    with interrupt.deferred():  # a second Ctrl-C must not leave half a temporary folder
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def carry_over(previous: Path, new: Path, skip=lambda name: False) -> None:
    """Hard-link every entry of *previous* that *new* lacks into *new* (symlinks stay links)."""
    if not previous.is_dir():
        return
    for entry in sorted(previous.iterdir()):
        if (new / entry.name).exists() or _ours(entry.name) or skip(entry.name):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, new / entry.name, symlinks=True, copy_function=_link)
        else:
            _link(entry, new / entry.name)


def _ours(name: str) -> bool:
    """A lock or a temporary folder of some writer: never part of an output."""
    return name.startswith(".") and (name.endswith(".lock") or ".tmp-" in name)


def _link(src, dst) -> None:
    if os.path.islink(src):
        os.symlink(os.readlink(src), dst)
        return
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:  # a file system without hard links
        shutil.copy2(src, dst, follow_symlinks=False)


# The writer of the build running in this process (teipress.commands.shadow), set by build.py.
_writer = None


def put(path: Path, data: bytes, new: Path, previous: Path | None) -> None:
    """Write *data* at *path* inside the new output folder *new*.  Where the previous output
    *previous* holds the same bytes at the same place, the file is hard-linked from it instead
    (no data written now, and removing the previous output later only drops a link); the
    previous output is read, never written: a file written anew first replaces whatever link
    is at *path*, so no write goes through a link into the previous output.  In an
    incremental build the build's Writer decides from the manifests, without reading the
    previous output (teipress.commands.shadow)."""
    if _writer is not None and _writer.holds(path):
        _writer.put(path, data)
        return
    path = Path(path)  # (a string inside the Writer's folder is enough for it)
    if previous is not None:
        old = previous / path.relative_to(new)
        if _same_as(old, data):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            try:
                os.link(old, path)
                return
            except FileNotFoundError:
                path.parent.mkdir(parents=True, exist_ok=True)
                with contextlib.suppress(OSError):
                    os.link(old, path)
                    return
            except OSError:  # a file system without hard links: written below
                pass
    try:
        fh = open(path, "xb")
    except FileExistsError:
        os.unlink(path)  # perhaps a link into the previous output: never written through
        fh = open(path, "xb")
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(path, "xb")
    with fh:
        fh.write(data)


def _same_as(old, data: bytes) -> bool:
    """*old* is a plain file no other name shares (a link to it is ours alone), with *data*."""
    try:
        st = os.lstat(old)
        return (stat.S_ISREG(st.st_mode) and st.st_nlink == 1 and st.st_size == len(data)
                and Path(old).read_bytes() == data)
    except (OSError, ValueError):
        return False


def put_known(path: Path, digest: str, load, new: Path, previous: Path | None) -> None:
    """put() of a file whose bytes' SHA-256 (*digest*) is known: load() reads them only when
    they must be written (an incremental build's unchanged page, source)."""
    if _writer is not None and _writer.holds(path) and digest:
        _writer.put(path, digest=digest, load=load)
    else:
        put(Path(path), load(), new, previous)


def made_file(path: Path) -> bool:
    """Whether this build made the file *path* of its output (an incremental build's folder
    may still hold files of an earlier build that this one did not make)."""
    return _writer.made_file(path) if _writer is not None else path.is_file()


def made_under(folder: Path) -> list[tuple[str, str]] | None:
    """(path relative to *folder*, SHA-256) of every file this build wrote under *folder*
    through put(); None when no Writer follows it (then the folder holds what was made)."""
    return _writer.made_under(folder) if _writer is not None and _writer.holds(folder / "x") else None


def journal() -> None:
    """Note what put() makes from now on in this process (a forked worker's files), for taken()."""
    if _writer is not None:
        _writer.journal = []


def taken() -> list:
    """What put() made since journal(), for absorb() in the process that forked this one."""
    if _writer is None or _writer.journal is None:
        return []
    got, _writer.journal = _writer.journal, None
    return got


def absorb(made: list) -> None:
    """The files a forked worker made (its taken()) count as made by this build."""
    if _writer is not None:
        for rel, rec in made:
            _writer.made[rel] = rec


def replace(new: Path, out: Path, keep: Path | None = None) -> None:
    """Make the complete folder *new* the output *out* in one step; the previous output is
    removed, or with *keep* renamed to *keep* (an incremental build's shadow, see Writer).

    Call with the lock of *out* held, after carry_over()."""
    os.chmod(new, 0o755)
    if not out.exists():
        new.rename(out)
        return
    if _exchange(new, out):
        if keep is None:
            remove(new)  # now the previous output
        else:
            with interrupt.deferred():
                remove(keep)
                new.rename(keep)
        return
    # No renameat2 here (another OS, or a file system without it): two renames; a kill
    # between them leaves the previous output as .<name>.tmp-old-*, which sweep() restores.
    old = Path(tempfile.mkdtemp(prefix=temp_prefix(out) + "old-", dir=out.parent))
    old.rmdir()
    with interrupt.deferred():
        out.rename(old)
        new.rename(out)
    if keep is None:
        remove(old)
    else:
        with interrupt.deferred():
            remove(keep)
            old.rename(keep)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folder names atomically; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OutputError(f"{b}: cannot put the new output in place: {os.strerror(err)}")

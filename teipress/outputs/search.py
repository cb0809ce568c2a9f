"""Build stage `search`: the full-text index of the HTML edition, made by Pagefind.

Pagefind (the `pagefind-bin` wheel carries its binary) reads the document pages'
``data-pagefind-body`` and the filters document, person and year, and writes
``html/pagefind/``; the search page loads its UI from there, from this site only.
"""
from __future__ import annotations

import subprocess

from ..commands.build import BuildContext, BuildError


def executable() -> str:
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise BuildError("the search index needs the Python package pagefind-bin; run `make` "
                         "(or pip install -r requirements.lock)") from None
    try:
        return str(get_executable().absolute())
    except FileNotFoundError as exc:
        raise BuildError(f"pagefind-bin is installed without its binary ({exc}); reinstall it") from None


def build(ctx: BuildContext) -> None:
    site = ctx.out / "html"
    if not (site / "index.html").is_file():
        raise BuildError("the search stage indexes the HTML edition, but build/html was not made; "
                         "build the html stage too (e.g. --only html --only search)")
    cmd = [executable(), "--site", str(site), "--output-subdir", "pagefind", "--quiet"]
    lang = ctx.edition.config.get("language")
    if lang:
        cmd += ["--force-language", lang]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600,
                              env={"PATH": "/usr/bin:/bin", "HOME": str(ctx.out)})
    except subprocess.TimeoutExpired:
        raise BuildError("Pagefind took more than 10 minutes to index the site") from None
    if proc.returncode != 0 or not (site / "pagefind" / "pagefind.js").is_file():
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        raise BuildError("Pagefind could not index the HTML edition: " + " / ".join(detail))
    try:
        canonicalise(site / "pagefind")
    except (ValueError, KeyError, OSError) as exc:
        raise BuildError(f"could not put Pagefind's index in a reproducible order: {exc}") from None


# -- byte-identical output ---------------------------------------------------------------
# Pagefind 1.5 writes its filter indexes in hash-map order, which changes from run to run.
# The build promises identical bytes for identical sources, so the filter files and the
# metadata file that names them are rewritten in sorted order, under content-derived names.
# The format is a "pagefind_dcd" prefix and CBOR (arrays, text, unsigned ints), gzipped.

_MAGIC = b"pagefind_dcd"


def _cbor_decode(data: bytes, i: int = 0):
    head = data[i]
    major, info = head >> 5, head & 31
    i += 1
    if info < 24:
        val = info
    else:
        size = {24: 1, 25: 2, 26: 4, 27: 8}[info]
        val = int.from_bytes(data[i:i + size], "big")
        i += size
    if major == 0:
        return val, i
    if major in (2, 3):
        raw = data[i:i + val]
        return (raw.decode("utf-8") if major == 3 else raw), i + val
    if major == 4:
        out = []
        for _ in range(val):
            item, i = _cbor_decode(data, i)
            out.append(item)
        return out, i
    raise ValueError(f"unexpected CBOR major type {major}")


def _cbor_head(major: int, val: int) -> bytes:
    if val < 24:
        return bytes([major << 5 | val])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if val < 1 << (8 * size):
            return bytes([major << 5 | info]) + val.to_bytes(size, "big")
    raise ValueError("CBOR value too large")


def _cbor_encode(obj) -> bytes:
    if isinstance(obj, int):
        return _cbor_head(0, obj)
    if isinstance(obj, str):
        raw = obj.encode("utf-8")
        return _cbor_head(3, len(raw)) + raw
    if isinstance(obj, bytes):
        return _cbor_head(2, len(obj)) + obj
    return _cbor_head(4, len(obj)) + b"".join(_cbor_encode(x) for x in obj)


def _sorted_filter(obj):
    """A filter file is [name, [[value, [page, …]], …]]: values and page sets in hash order."""
    name, values = obj
    return [name, sorted(([value, sorted(pages)] for value, pages in values), key=lambda v: v[0])]


def _sorted_meta(obj, renames: dict[str, str]):
    """The metadata file is [version, pages, index chunks, filters, sorts].  Only the filter
    list is in hash order.  The page list must keep its order: the word index and the
    filters refer to pages by their position in it (sorting it made search return the
    wrong document as soon as an edition had two)."""
    version, pages, chunks, filters, *rest = obj
    filters = sorted(([name, renames.get(stem, stem)] for name, stem in filters), key=lambda f: f[0])
    return [version, pages, chunks, filters, *rest]


def _read(path) -> object:
    import gzip

    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_MAGIC):
        raise ValueError(f"{path.name} is not a Pagefind index file")
    obj, _ = _cbor_decode(data, len(_MAGIC))
    return obj


def _write(obj) -> bytes:
    import gzip

    return gzip.compress(_MAGIC + _cbor_encode(obj), compresslevel=9, mtime=0)


def canonicalise(bundle) -> None:
    import hashlib
    import json

    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    renames: dict[str, str] = {}
    for f in sorted((bundle / "filter").glob("*.pf_filter")):
        data = _write(_sorted_filter(_read(f)))
        lang, _, old = f.stem.partition("_")
        new = f"{lang}_{hashlib.sha256(data).hexdigest()[:len(old)]}"
        renames[f.stem] = new
        f.unlink()
        (bundle / "filter" / f"{new}.pf_filter").write_bytes(data)
    for lang, info in sorted(entry["languages"].items()):
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        data = _write(_sorted_meta(_read(meta_path), renames))
        old = info["hash"].partition("_")[2]
        info["hash"] = f"{lang}_{hashlib.sha256(data).hexdigest()[:len(old)]}"
        meta_path.unlink()
        (bundle / f"pagefind.{info['hash']}.pf_meta").write_bytes(data)
    entry["languages"] = dict(sorted(entry["languages"].items()))  # hash order too, in a many-language site
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

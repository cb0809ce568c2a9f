"""The resolution key: a digest of everything the edition-wide steps of the model read.

EditionModel._build resolves what each document says of itself (its OwnFacts, read from its
behaviour model) against the edition: the register entries and their identities, the
documents' ids and pages, the letters' order and neighbours, the chronology.  Those steps
read nothing but

- the documents' OwnFacts (each kept with its digest: own_cache), ids and files, the images
  each shows and the warnings about them, and the corpus header of a TEI of a corpus;
- the register identities and entries, which are made from every file's register entries
  alone (identity_cache.current_key: two builds with the same key show every entry alike);
- the register files' headers (their titles: the menu), edition.toml, the edition folder's
  name, the build date, teipress itself;
- the models of the documents split into pages (their divisions are cut out of them).

So two builds with the same key resolve to the same registers, occurrences, side panels,
letters and chronology, whatever else changed in the documents' text: an incremental build
whose one changed letter says the same of itself (a word corrected, away from any name or
date) then takes what the edition's pages are made of from the last build's keys (key_memo:
html, cmif) instead of working out every page's key again.  A second key leaves out the text
around the documents' names and dates (mentions.without_context): only a document's own page,
the registers and the chronology show it, so a word changed beside a name leaves the other
documents' pages, the letters page and cmif.xml with the keys they had.
"""
from __future__ import annotations

import hashlib

VERSION = 1


class Inputs:
    """The inputs of the resolution, gathered while the documents' models are read."""

    def __init__(self):
        self.rows: list[tuple] = []
        self.own: list[str] = []  # each document's OwnFacts.digest
        self.own_no_context: list[str] = []  # and digest_no_context
        self.complete = True  # (a document whose OwnFacts have no digest: no key)

    def document(self, f, doc_id: str, own, placed: list[str], image_warnings: list[str]) -> None:
        if not (own.digest and own.digest_no_context):
            self.complete = False
            return
        container = f.container.digest if f.container is not None else ""  # (header.with_corpus)
        self.rows.append((f.key, f.rel, f.n, doc_id, tuple(placed), tuple(image_warnings), container))
        self.own.append(own.digest)
        self.own_no_context.append(own.digest_no_context)

    def keys(self, ed, build_time, split: list) -> tuple[str | None, str | None]:
        """The resolution key of *ed*, and the key of all it reads but the text around the
        documents' names and dates (no_context): what the pages of documents read of each other.
        None when some input has no digest (no incremental build, or a file read without one);
        *split*: the documents split into pages, with the digests of their models."""
        if not self.complete:
            return None, None
        return self.key(ed, build_time, split, self.own), self.key(ed, build_time, split, self.own_no_context)

    def key(self, ed, build_time, split: list, own: list[str]) -> str | None:
        from ..commands import cache as cache_mod
        from . import header as header_mod, identity_cache

        identities = identity_cache.current_key(ed)
        if identities is None or any(not f.digest for f in ed.registers):
            return None
        toml = ed.root / "edition.toml"
        h = hashlib.sha256()
        for part in (
            "resolution", VERSION, cache_mod.tool_fingerprint(),
            toml.read_bytes() if toml.is_file() else b"",
            repr(sorted(ed.config.values.items(), key=lambda kv: kv[0])),
            header_mod.folder_name(ed), build_time.isoformat(), identities,
            [(f.rel, f.kind, f.n) for f in ed.files],
            [(f.rel, f.digest) for f in ed.registers],
            self.rows, own, split,
        ):
            b = part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogatepass")
            h.update(len(b).to_bytes(8, "little"))
            h.update(b)
        return h.hexdigest()

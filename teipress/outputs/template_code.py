"""Compiled page templates kept in an incremental build's cache (teipress.commands.cache).

Jinja2 compiles every template a build uses into Python code, some tenths of a second for
the site's templates: in a build after one letter changed, a tenth of the whole.  Kept under
the template's name and source (Jinja2's bucket key and checksum) and teipress's own files
(whose Environment settings the code is compiled with), the code is loaded instead.  Jinja2
checks what it loads itself (its version and Python's bytecode magic), and compiles again
what does not fit; the pages rendered are the same either way."""
from __future__ import annotations

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from .. import workers
from ..commands import cache as cache_mod

KIND = "template"


class TemplateCode(BytecodeCache):
    """Jinja2's bytecode cache, its entries in a build's Cache (one entry a template)."""

    def __init__(self, cache: "cache_mod.Cache"):
        self.cache = cache

    @staticmethod
    def _key(bucket: Bucket) -> str:
        return cache_mod.digest(KIND, cache_mod.tool_fingerprint(), bucket.key, bucket.checksum)

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.cache.get(KIND, self._key(bucket))  # (found: kept for the next build)
        if data:
            bucket.bytecode_from_string(data)  # (of another Jinja2 or Python: reset, compiled again)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if workers.in_worker():  # (its parent compiles the templates the workers use, and keeps them)
            return
        self.cache.put(KIND, self._key(bucket), bucket.bytecode_to_string())

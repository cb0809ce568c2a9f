"""Where the tool's own files are: the source checkout or, in a wheel, the package.

The design card keeps xslt/ and the schema (tei/schema/) at the top of the
repository; the wheel ships them as teipress/xslt and teipress/schema.
"""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def find(checkout_rel: str, packaged_rel: str, marker: str) -> Path:
    for candidate in (HERE.parent / checkout_rel, HERE / packaged_rel):
        if (candidate / marker).is_file():
            return candidate
    raise RuntimeError(f"teipress is installed without {marker} (looked in {HERE})")


def xslt_dir() -> Path:
    return find("xslt", "xslt", "model.xsl")


def schema_file() -> Path:
    return find("tei/schema", "schema", "teipress.xsd") / "teipress.xsd"

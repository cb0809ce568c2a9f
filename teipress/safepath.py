"""Reading only inside the edition: one rule for every path an edition names.

A file the build reads (a TEI file, an image, the schema) must lie inside the edition
folder once every symbolic link on its way is resolved: a link in tei/ that points at
~/.ssh or /etc would otherwise be read, published in the site and packed in the deposit.
Editors who keep their sources elsewhere on purpose say so with ``follow_symlinks = true``
in edition.toml.
"""
from __future__ import annotations

from pathlib import Path


def inside(edition_dir: Path | str, path: Path | str) -> bool:
    """True when *path*, every symlink resolved, is *edition_dir* or lies inside it."""
    try:
        base = Path(edition_dir).resolve()
        target = Path(path).resolve()
    except (OSError, RuntimeError):  # a symlink loop, an unreadable folder: not inside
        return False
    return target == base or target.is_relative_to(base)

"""Edition configuration: the optional ``edition.toml`` beside ``tei/``.

Every key is optional; unknown keys are reported, never silently ignored.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

KNOWN = {
    "id": "short identifier of the edition, used in file names (default: the folder name)",
    "title": "title of the edition on the site and in its metadata (default: the main document's title); each PDF keeps its document's title",
    "version": "edition version (default: editionStmt/edition/@n of the first document)",
    "base_url": "absolute URL the site will be published at (used only for permalinks in citations)",
    "schema": "path, relative to the edition folder, of the XSD to validate against",
    "split": "TEI documents to split into one page per division: list of document ids, or true for all",
    "language": "main language of the edition (default: TEI/@xml:lang)",
    "title_order": "which titleStmt/title is a document's title: a list tried in order, each a TEI @level "
                   "(\"a\", \"m\", \"j\", \"s\", \"u\"), a TEI @type (\"main\", \"sub\" …) or \"untyped\" "
                   "(neither @type nor @level); the first title that matches wins, else the first title "
                   "(default: [\"a\", \"main\", \"m\", \"j\", \"untyped\", \"u\", \"s\"]); "
                   "machine titles (@type iso-date, sort …) are never shown",
    "registers": "files under tei/ that are registers although nothing points into them, e.g. "
                 "[\"people.xml\"] (default: a file holding only lists of persons, places, "
                 "organisations, events or names that another file refers to)",
}


class ConfigError(Exception):
    def __init__(self, path: Path, line: int, message: str):
        super().__init__(message)
        self.path, self.line, self.message = path, line, message


@dataclass
class Config:
    path: Path | None = None
    values: dict = field(default_factory=dict)

    def get(self, key: str, default=None):
        return self.values.get(key, default)


def load(edition_dir: Path) -> Config:
    path = edition_dir / "edition.toml"
    if not path.exists():
        return Config()
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or 1
        raise ConfigError(path, line, f"invalid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(path, 1, "edition.toml is not UTF-8") from None
    unknown = sorted(set(values) - set(KNOWN))
    if unknown:
        known = ", ".join(sorted(KNOWN))
        raise ConfigError(path, 1, f"unknown key(s) {', '.join(unknown)}; known keys: {known}")
    for key in ("id", "title", "version", "base_url", "schema", "language"):
        if key in values and not isinstance(values[key], str):
            raise ConfigError(path, 1, f"'{key}' must be a string")
    split = values.get("split", False)
    if not isinstance(split, bool) and not (isinstance(split, list) and all(isinstance(x, str) and x for x in split)):
        raise ConfigError(path, 1, "'split' must be true (split every document), false, or a list of document "
                                   "ids, e.g. split = [\"frus1961-63v22\"]")
    for key, example in (("title_order", '["a", "main", "untyped"]'), ("registers", '["persons.xml"]')):
        value = values.get(key, [])
        if not (isinstance(value, list) and all(isinstance(x, str) and x.strip() for x in value)):
            raise ConfigError(path, 1, f"'{key}' must be a list of strings, e.g. {key} = {example}")
    return Config(path, values)

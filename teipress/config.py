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
    "schema": "path, relative to the edition folder, of the schema (.rng, .sch or .xsd) to validate every file against (default: each file's <?xml-model?>)",
    "split": "TEI documents to split into one page per division: list of document ids, or true for all",
    "language": "main language of the edition (default: TEI/@xml:lang)",
    "rules": "table of validation rule severities, e.g. [rules] register-unused = \"ignore\", "
             "date-iso = \"warning\" (error, warning, note or ignore; `teipress validate --help` lists the rules)",
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
        text = path.read_text(encoding="utf-8")
        values = tomllib.loads(text)
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
    _check_rules(path, text, values.get("rules"))
    return Config(path, values)


def _check_rules(path: Path, text: str, table) -> None:
    """The [rules] table: known rule names, known severities, rules that may be changed."""
    if table is None:
        return
    from .validation import catalog

    if not isinstance(table, dict):
        raise ConfigError(path, _line_of(text, "rules"), "'rules' must be a table, e.g. [rules] "
                                                         "register-unused = \"ignore\"")
    for name, severity in table.items():
        line = _line_of(text, name)
        rule = catalog.canonical(name)
        if rule is None:
            raise ConfigError(path, line, f"[rules]: unknown rule '{name}'; rules: {', '.join(sorted(catalog.RULES))}")
        if not isinstance(severity, str) or severity not in catalog.SEVERITIES:
            raise ConfigError(path, line, f"[rules]: '{name}' = {severity!r}: the severity must be one of "
                                          f"{', '.join(catalog.SEVERITIES)}")
        if not catalog.RULES[rule][1] and severity != catalog.RULES[rule][0]:
            raise ConfigError(path, line, f"[rules]: '{name}' cannot be changed: nothing sound can be built "
                                          "from an edition that breaks it")


def _line_of(text: str, key: str) -> int:
    """The line that sets *key* (bare or quoted), for a message an editor can jump to."""
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        for form in (key, f'"{key}"', f"'{key}'", f"rules.{key}"):
            if stripped.startswith(form) and stripped[len(form):].lstrip().startswith(("=", ".")):
                return n
    return 1

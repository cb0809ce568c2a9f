"""Edition configuration: the optional ``edition.toml`` beside ``tei/``.

Every key is optional; unknown keys are reported, never silently ignored.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from . import safepath

KNOWN = {
    "id": "short identifier of the edition, used in file names (default: the folder name)",
    "title": "title of the edition on the site and in its metadata (default: the main document's title); each PDF keeps its document's title",
    "version": "edition version (default: editionStmt/edition/@n of the first document)",
    "base_url": "absolute URL the site will be published at (used only for permalinks in citations)",
    "schema": "path, relative to the edition folder, of the schema (.rng, .sch or .xsd) to validate every file against (default: each file's <?xml-model?>)",
    "split": "TEI documents to split into one page per division: list of document ids, or true for all",
    "language": "main language of the edition (default: TEI/@xml:lang)",
    "follow_symlinks": "true to read TEI files that are symbolic links to files outside the edition folder (default: false)",
    "rules": "table of validation rule severities, e.g. [rules] register-unused = \"ignore\", "
             "date-iso = \"warning\" (error, warning, note or ignore; `teipress validate --help` lists the rules)",
    "title_order": "which titleStmt/title is a document's title: a list tried in order, each a TEI @level "
                   "(\"a\", \"m\", \"j\", \"s\", \"u\"), a TEI @type (\"main\", \"sub\" …) or \"untyped\" "
                   "(neither @type nor @level); the first title that matches wins, else the first title "
                   "(default: [\"a\", \"main\", \"m\", \"j\", \"untyped\", \"u\", \"s\"]); "
                   "machine titles (@type iso-date, sort …) are never shown",
    "registers": "files under tei/ that are registers although nothing points into them, e.g. "
                 "[\"people.xml\"] (default: a file holding only lists of persons, places, "
                 "organisations, events or names that another file refers to)",
    "parallel": "original and translation side by side: [[parallel]] tables with original = and "
                "translation = (document ids) and optional align = \"corresp\", \"links\" or "
                "\"citation\"; false for none (default: the pairs the TEI declares)",
    "pdf": "table of PDF settings: volume_characters = the most characters of text one PDF holds; a "
           "longer document is printed as volumes, cut between the top-level divisions of its body, "
           "each its own PDF with the page and note numbers running on, the contents in volume 1 and "
           "the indexes in the last (default: 2500000, about 1,000 pages; 0 never splits)",
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
    for key, example in (("title_order", '["a", "main", "untyped"]'), ("registers", '["persons.xml"]')):
        value = values.get(key, [])
        if not (isinstance(value, list) and all(isinstance(x, str) and x.strip() for x in value)):
            raise ConfigError(path, _line_of(text, key), f"'{key}' must be a list of strings, e.g. {key} = {example}")
    if "follow_symlinks" in values and not isinstance(values["follow_symlinks"], bool):
        raise ConfigError(path, 1, "'follow_symlinks' must be true or false")
    _check_pdf(path, text, values.get("pdf"))
    check_safety(path, text, edition_dir, values)
    _check_parallel(path, text, values.get("parallel"))
    _check_rules(path, text, values.get("rules"))
    return Config(path, values)


# -- values that become addresses and paths ---------------------------------------------
# Characters XML 1.0 forbids (C0 controls but tab, newline and return; U+FFFE, U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")


def base_url_problem(url: str) -> str | None:
    """Why *url* cannot be the address the site is published at, or None.  It is printed in
    every page, citation and record, so it must be an absolute http(s) address and nothing
    that could end an attribute or carry a password."""
    if any(c.isspace() or c in '"\'<>\\`' or ord(c) < 32 or ord(c) == 127 for c in url):
        return "holds a space, quotation mark, angle bracket, backslash or control character"
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return "is not an absolute http:// or https:// address"
    if "@" in parts.netloc:
        return "holds a user name or password (user@host); publish addresses never carry credentials"
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        return "has a query (?…) or fragment (#…); page addresses are appended to it"
    try:
        parts.port  # a port that is not a number raises here
    except ValueError:
        return "has an invalid port"
    return None


def check_safety(path: Path, text: str, edition_dir: Path, values: dict) -> None:
    """`id` becomes file names (the deposit's folder and zip), `base_url` addresses in every
    output, `schema` a file that is read: each is refused with a message when it could name a
    place outside the edition or the output folder, or become markup."""
    for key, value in values.items():
        if isinstance(value, str) and _NOT_XML.search(value):
            raise ConfigError(path, _line_of(text, key),
                              f"'{key}' holds a control character (U+{ord(_NOT_XML.search(value).group()):04X}), "
                              "which the XML records (DataCite, Dublin Core) and the TEI cannot carry; remove it")
    ident = values.get("id")
    if ident is not None and (not _ID.fullmatch(ident) or len(ident) > 100):
        raise ConfigError(path, _line_of(text, "id"),
                          f"'id' = {ident!r} is used in file names: use letters, digits, '.', '_' and '-' only "
                          "(at most 100, not starting with '.' or '-'; no '/', '..' or spaces), "
                          'e.g. id = "letters-1961"')
    url = values.get("base_url")
    if url:
        problem = base_url_problem(url)
        if problem:
            raise ConfigError(path, _line_of(text, "base_url"),
                              f"'base_url' = {url!r} {problem}; "
                              'e.g. base_url = "https://example.org/edition/"')
    schema = values.get("schema")
    if schema and (Path(schema).is_absolute() or not safepath.inside(edition_dir, edition_dir / schema)):
        raise ConfigError(path, _line_of(text, "schema"),
                          f"'schema' = {schema!r} is outside the edition folder; give a path inside it, "
                          'e.g. schema = "tei/schema/teipress.xsd"')


def _check_pdf(path: Path, text: str, table) -> None:
    """The [pdf] table: volume_characters, a whole number (0: one file whatever the length)."""
    if table is None:
        return
    example = "[pdf] volume_characters = 2500000"
    if not isinstance(table, dict):
        raise ConfigError(path, _line_of(text, "pdf"), f"'pdf' must be a table, e.g. {example}")
    unknown = sorted(set(table) - {"volume_characters"})
    if unknown:
        raise ConfigError(path, _line_of(text, unknown[0]), f"[pdf]: unknown key(s) {', '.join(unknown)}; "
                                                            "known keys: volume_characters")
    value = table.get("volume_characters", 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(path, _line_of(text, "volume_characters"),
                          f"[pdf]: volume_characters = {value!r} must be a whole number of characters "
                          f"(0 for one file whatever the length), e.g. {example}")


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


_PARALLEL_EXAMPLE = ('e.g. [[parallel]] original = "plautus-lat" translation = "plautus-eng" '
                     'align = "citation"')


def _check_parallel(path: Path, text: str, value) -> None:
    """`parallel`: true/false, or tables naming an original and its translation (teipress.model.parallel)."""
    if value is None or isinstance(value, bool):
        return
    line = _line_of(text, "parallel")
    if "[[parallel]]" in text or "[parallel]" in text:
        line = next(n for n, ln in enumerate(text.splitlines(), 1) if ln.strip() in ("[[parallel]]", "[parallel]"))
    tables = [value] if isinstance(value, dict) else value
    if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
        raise ConfigError(path, line, f"'parallel' must be true, false or tables naming documents, {_PARALLEL_EXAMPLE}")
    for t in tables:
        unknown = sorted(set(t) - {"original", "translation", "align"})
        if unknown:
            raise ConfigError(path, line, f"[[parallel]]: unknown key(s) {', '.join(unknown)}; "
                                          "known keys: align, original, translation")
        for key in ("original", "translation"):
            if not isinstance(t.get(key), str) or not t[key]:
                raise ConfigError(path, line, f"[[parallel]]: '{key}' must name a document (its id), {_PARALLEL_EXAMPLE}")
        if t["original"] == t["translation"]:
            raise ConfigError(path, line, "[[parallel]]: the original and the translation are the same document")
        if t.get("align", "corresp") not in ("corresp", "links", "citation"):
            raise ConfigError(path, line, f"[[parallel]]: align = {t['align']!r}: use \"corresp\" (@corresp "
                                          "between the texts), \"links\" (link/@target) or \"citation\" "
                                          "(the same @n of divisions, verses, paragraphs)")


def _line_of(text: str, key: str) -> int:
    """The line that sets *key* (bare or quoted), for a message an editor can jump to."""
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        for form in (key, f'"{key}"', f"'{key}'", f"rules.{key}"):
            if stripped.startswith(form) and stripped[len(form):].lstrip().startswith(("=", ".")):
                return n
    return 1

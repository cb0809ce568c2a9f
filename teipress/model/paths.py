"""Every output file name and link target, decided once.

A document's id (its ``TEI/@xml:id``, else its file name) becomes a safe, unique
name: ASCII letters, digits, '.', '_' and '-' only, never starting with a dot, so
no id can name a file outside the output folder and the PDF the PDF stage writes
is the one the HTML page links.  Every output asks here for a name or a link.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath
from urllib.parse import unquote

from .. import safepath

from ..edition import Edition, TeiFile

REGISTER_PAGES = {"person": "persons.html", "place": "places.html", "org": "organisations.html", "event": "events.html"}
LETTERS_PAGE = "letters.html"  # the index of letters, built only for editions with letters
CMIF_FILE = "cmif.xml"  # the letters in CMIF, beside the pages, for correspSearch to harvest


# Names Windows reserves in every folder (also with an extension): a deposit must unpack anywhere.
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)", re.IGNORECASE)
MAX_NAME = 100  # characters of a name, so that name + '-2.html' stays far below 255 bytes


# Letters that NFKD does not take apart into a base letter and a mark.
_LATIN = {"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
          "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "Þ": "Th", "ı": "i"}
_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p",
                      "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia"]))
_GREEK = dict(zip("αβγδεζηθικλμνξοπρσςτυφχψω",
                  ["a", "b", "g", "d", "e", "z", "e", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r", "s",
                   "s", "t", "y", "ph", "ch", "ps", "o"]))


def transliterate(text: str) -> str:
    """ASCII letters for an id: "Österreichische Briefe" → "Osterreichische Briefe",
    "Письма" → "Pisma".  Scripts without a table here are dropped (the caller falls back)."""
    out = []
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch):
            continue
        low = ch.lower()
        if ch in _LATIN:
            out.append(_LATIN[ch])
        elif low in _CYRILLIC or low in _GREEK:
            t = _CYRILLIC.get(low, _GREEK.get(low, ""))
            out.append(t.capitalize() if ch != low else t)
        else:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=1 << 16)  # (asked again for the same ids by every document's metadata)
def safe_name(text: str, fallback: str = "document") -> str:
    """'brief-ä' → 'brief-a'; '../../x' → 'x'; '' → *fallback*; 'NUL' → 'NUL_'; at most
    MAX_NAME characters."""
    ascii_ = transliterate(text).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^A-Za-z0-9._-]", "-", ascii_).lstrip(".-")[:MAX_NAME].rstrip(".")
    if _RESERVED.match(name):
        name = "_" + name
    return name or fallback


@dataclass(frozen=True)
class DocumentPaths:
    """Where one document's outputs live, relative to the build folder (html/ for pages)."""

    id: str

    @property
    def page(self) -> str:  # in html/
        return f"documents/{self.id}.html"

    @property
    def pdf(self) -> str:  # in the build folder: what the PDF stage writes
        return f"pdf/{self.id}.pdf"

    @property
    def download(self) -> str:  # in html/: the PDF beside the pages
        return f"downloads/{self.id}.pdf"

    def volume(self, n: int) -> str:
        """Volume *n* of a document printed in several (teipress.model.volumes), in the build
        folder: in a folder named by the id, so that no volume's name is another document's."""
        return f"pdf/{self.id}/volume-{n}.pdf"

    def volume_download(self, n: int) -> str:  # in html/
        return f"downloads/{self.id}/volume-{n}.pdf"

    def part(self, name: str) -> str:
        """The page of one division of a split document."""
        return f"documents/{self.id}/{name}.html"


@dataclass(frozen=True)
class PairPaths(DocumentPaths):
    """An original beside its translation (teipress.model.parallel): its page among the parallel
    pages; its facing-pages PDF beside the documents' PDFs.  *id*: pair_name()."""

    @property
    def page(self) -> str:  # in html/
        return f"parallel/{self.id}.html"


def pair_name(translation_id: str, original_id: str) -> str:
    return f"{translation_id}--{original_id}"


# The citation files of a page (in html/), by format: BibTeX, RIS and CSL-JSON.
CITATION_FORMATS = {"bibtex": "bib", "ris": "ris", "csl_json": "json"}


def citation_files(page_id: str) -> dict[str, str]:
    """Format → the file holding the citation of the page *page_id* ('x', or 'x/part')."""
    return {fmt: f"cite/{page_id}.{ext}" for fmt, ext in CITATION_FORMATS.items()}


def tei_copy(f: TeiFile) -> str:
    """The TEI source beside the pages (in html/) and in the build folder."""
    return f"tei/{f.rel}"


def unique(names: list[str]) -> list[str]:
    """The names in order, a later repeat made distinct ('x', 'x' → 'x', 'x-2'); case-blind,
    since some file systems are."""
    out, used = [], set()
    for base in names:
        name, n = base, 1
        while name.casefold() in used:
            n += 1
            name = f"{base}-{n}"
        used.add(name.casefold())
        out.append(name)
    return out


def document_ids(ed: Edition) -> dict[str, str]:
    """Each document (by its key: the rel path, 'corpus.xml#2' for a TEI of a corpus file) → its
    unique safe id; in path order, so the same sources always give the same names."""
    files = sorted(ed.documents, key=lambda f: (f.rel, f.n))
    return dict(zip((f.key for f in files), unique([safe_name(f.id) for f in files])))


def part_names(ids: list[str]) -> list[str]:
    """A file name per split division from its xml:id, never two alike."""
    return unique([safe_name(x, "part") for x in ids])


def _decoded(src: str) -> str:
    """*src* percent-decoded until it no longer changes ('%252e' → '%2e' → '.'): every
    encoding of '..' is judged as '..'."""
    for _ in range(5):
        plain = unquote(src)
        if plain == src:
            return plain
        src = plain
    return src


def image(f: TeiFile, src: str) -> str | None:
    """An image a document refers to, relative to tei/; None when it may not be read: a
    path that is absolute, holds a backslash, a control character, a scheme or any '..'
    (also percent-encoded), or a file that is not inside the edition folder once symlinks
    are resolved (the model's own check is textual; this one looks at the file system)."""
    plain = _decoded(src)
    parts = PurePosixPath(plain).parts
    if (not plain or plain.startswith("/") or "\\" in plain or ":" in plain
            or any(ord(c) < 32 or ord(c) == 127 for c in plain) or ".." in parts):
        return None
    rel = PurePosixPath(f.rel).parent / src  # the file the HTML stage copies
    tei_dir = f.path.parents[len(PurePosixPath(f.rel).parts) - 1]
    if not safepath.inside(tei_dir.parent, tei_dir / rel):
        return None
    return str(rel)

"""teipress.model.citation: one record, a formatter per form (no build needed)."""
from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from teipress.model import citation as c
from teipress.model.agent import Agent

TITLE = ("Excerpts from V. P. Tkachenko, The Korean Peninsula and Russia's Interests: "
         "Soviet–North Korean Conversations on the Treaty of 1961, 1960–1971")
BASE = "https://example.org/edition/"
TKACHENKO = Agent("V. P. Tkachenko", given="V. P.", family="Tkachenko")
GOLDBERG = Agent("Gary Goldberg", given="Gary", family="Goldberg", role="Translator")
EDITORS = Agent("teipress editorial team", kind="org", role="Editor")
BOARD = Agent("Editorial Board of the teipress project", kind="org", role="Editor")
ARCHIVE = c.ArchivalSource("Excerpts from V.P. Tkachenko 'The Korean Peninsula and Russia's Interests'",
                           "https://archive.example/document/114978", "Wilson Center Digital Archive", "114978",
                           ("Leon Levy Foundation",), ("The English translation is not covered by the licence.",))
BOOK = c.OriginalSource("Koreiskii poluostrov i interesy Rossii", "The Korean Peninsula and Russia's Interests",
                        (TKACHENKO,), "Moscow", "Vostochnaia literatura RAN", "2000", "19–31", "ru")
PROVENANCE = ("Text from “Excerpts from V.P. Tkachenko ‘The Korean Peninsula and Russia's Interests,’” Wilson "
              "Center Digital Archive, document 114978, https://archive.example/document/114978; originally "
              "published in V. P. Tkachenko, Koreiskii poluostrov i interesy Rossii [The Korean Peninsula and "
              "Russia's Interests] (Moscow: Vostochnaia literatura RAN, 2000), 19–31.")


def default(base: str = "", **changes) -> c.Citation:
    """The default edition's document: its own work (same title as the edition), edited by the
    editors (the author of the printed book is credited in the provenance, not as its author)."""
    record = c.Citation(
        id="nkidp-114978", title=TITLE, editors=(BOARD,), translators=(GOLDBERG,),
        version="0.1.0", publisher="The teipress project", date="2026",
        url=f"{base}documents/nkidp-114978.html", pdf_url=f"{base}downloads/nkidp-114978.pdf",
        tei_url=f"{base}tei/nkidp-114978.xml", language="en",
        abstract="A compilation of conversations.", keywords=("Korean reunification", "Diplomatic notes"),
        licence="https://creativecommons.org/licenses/by/4.0/", coverage="1960-06-17/1971-11-17",
        modified="2026-01-01", source=ARCHIVE, original=BOOK)
    return dataclasses.replace(record, **changes)


def part(**changes) -> c.Citation:
    """A document in a larger edition, with the edition's editors."""
    record = default(BASE, id="d1", title="Record of a Conversation with Kim Il Sung", authors=(TKACHENKO,),
                     container_title="The teipress Sample Edition", editors=(EDITORS,), date="2026-03-05",
                     publisher="teipress", source=None, original=None)
    return dataclasses.replace(record, **changes)


FORMATTERS = (c.chicago, c.mla, c.suggested, c.bibtex, c.ris, c.csl_json, c.meta_tags, c.json_ld)


# -- the default edition's document, with and without base_url -------------------------

def test_chicago_of_the_default_document():
    """Under its editors; the book's author, the archive and its canonical address in the
    provenance; the book's title transliterated, with its translation."""
    assert c.chicago(default(BASE)) == (
        f"Editorial Board of the teipress project, ed. {TITLE}. Translated by Gary Goldberg. Version 0.1.0. "
        f"The teipress project, 2026. {BASE}documents/nkidp-114978.html. {PROVENANCE}")
    # Without base_url no address: a site-relative path means nothing in a citation; the page's
    # script sets the absolute permalink into the template (PERMALINK_SLOT) once it knows it.
    assert c.chicago(default()).endswith(f" The teipress project, 2026. {PROVENANCE}")
    assert "documents/" not in c.chicago(default()) and "documents/" not in c.mla(default())
    assert c.chicago(c.template(default())).endswith(f" The teipress project, 2026. {{permalink}}. {PROVENANCE}")
    assert not c.chicago(default(BASE)).startswith("Tkachenko")


def test_a_passage_is_cited_by_its_permalink_and_locator():
    cited = c.passage(default(BASE), "p-010", "Printed source pp. 19–20, passage p-010")
    assert c.chicago(cited) == (
        f"Editorial Board of the teipress project, ed. {TITLE}. Translated by Gary Goldberg. Version 0.1.0. "
        f"The teipress project, 2026. Printed source pp. 19–20, passage p-010. "
        f"{BASE}documents/nkidp-114978.html#p-010. {PROVENANCE}")
    # the permalink, not the DOI, names a passage
    assert f"{BASE}documents/nkidp-114978.html#p-010" in c.chicago(dataclasses.replace(cited, doi="10.1/x"))
    assert "#" not in c.chicago(default(BASE)).split(PROVENANCE)[0]


def test_provenance_without_the_archive_or_the_book():
    assert c.provenance(default(source=None)).startswith("Originally published in V. P. Tkachenko, Koreiskii")
    assert c.provenance(default(original=None)) == (
        "Text from “Excerpts from V.P. Tkachenko ‘The Korean Peninsula and Russia's Interests,’” Wilson Center "
        "Digital Archive, document 114978, https://archive.example/document/114978.")
    assert c.provenance(default(source=None, original=None)) == ""


def test_suggested_is_the_chicago_form():
    for record in (default(), default(BASE), part()):
        assert c.suggested(record) == c.chicago(record)


def test_mla_of_the_default_document():
    assert c.mla(default(BASE)) == (
        f"Editorial Board of the teipress project, editor. {TITLE}. Translated by Gary Goldberg, version 0.1.0, "
        f"The teipress project, 2026, {BASE}documents/nkidp-114978.html. {PROVENANCE}")


def test_bibtex_of_the_default_document():
    assert c.bibtex(default()) == (
        "@misc{nkidp-114978,\n"
        f"  title = {{{TITLE}}},\n"
        "  editor = {{Editorial Board of the teipress project}},\n"
        "  translator = {Goldberg, Gary},\n"
        "  publisher = {The teipress project},\n"
        "  year = {2026},\n"
        "  version = {0.1.0},\n"
        f"  note = {{{PROVENANCE}}}\n"
        "}\n")
    assert f"url = {{{BASE}documents/nkidp-114978.html}}" in c.bibtex(default(BASE))
    assert f"TEI source: {BASE}tei/nkidp-114978.xml." in c.bibtex(default(BASE))
    # relative addresses stay out of the download files (they are read away from the site)
    assert "UR  -" not in c.ris(default()) and "URL" not in c.csl_json(default())


def test_ris_of_the_default_document():
    text = c.ris(default(BASE))
    assert text.startswith("TY  - ELEC\r\n") and text.endswith("ER  - \r\n")
    lines = text.split("\r\n")[:-1]
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines), lines
    assert "\n" not in text.replace("\r\n", "")
    tags = [tuple(line.split("  - ", 1)) for line in lines]
    assert ("ED", "Editorial Board of the teipress project") in tags and ("A4", "Goldberg, Gary") in tags
    assert not any(k == "AU" for k, _ in tags)  # the book's author is the original's, not this work's
    assert ("N1", PROVENANCE) in tags
    assert ("OP", PROVENANCE.split("originally published in ")[1][:-1]) in tags
    assert ("UR", f"{BASE}documents/nkidp-114978.html") in tags and ("ET", "0.1.0") in tags
    assert ("L1", f"{BASE}downloads/nkidp-114978.pdf") in tags
    assert [v for k, v in tags if k == "KW"] == ["Korean reunification", "Diplomatic notes"]
    assert not any(k == "L1" for k, _ in (tuple(x.split("  - ", 1)) for x in c.ris(default()).split("\r\n")[:-1]))


def test_meta_tags_give_addresses_only_when_absolute():
    with_url = dict(c.meta_tags(default(BASE)))
    assert with_url["citation_title"] == TITLE and "citation_author" not in with_url
    assert with_url["citation_public_url"] == f"{BASE}documents/nkidp-114978.html"
    assert with_url["citation_pdf_url"] == f"{BASE}downloads/nkidp-114978.pdf"
    assert with_url["citation_publication_date"] == "2026" and with_url["dc.identifier"] == "nkidp-114978"
    assert "citation_inbook_title" not in with_url  # the document is the whole edition
    without = dict(c.meta_tags(default()))
    assert "citation_public_url" not in without and "citation_pdf_url" not in without
    assert all(value for _, value in c.meta_tags(default()))


def test_json_ld_of_the_default_document():
    data = json.loads(c.json_ld(default(BASE)))
    assert data["@context"] == "https://schema.org" and data["@type"] == "CreativeWork"
    assert data["name"] == TITLE and data["version"] == "0.1.0" and data["datePublished"] == "2026"
    assert "author" not in data
    assert data["editor"] == [{"@type": "Organization", "name": "Editorial Board of the teipress project"}]
    assert data["translator"][0]["name"] == "Gary Goldberg"
    assert data["url"] == f"{BASE}documents/nkidp-114978.html"
    assert {e["encodingFormat"]: e["contentUrl"] for e in data["encoding"]} == {
        "application/tei+xml": f"{BASE}tei/nkidp-114978.xml", "application/pdf": f"{BASE}downloads/nkidp-114978.pdf"}
    based = data["isBasedOn"]
    assert (based["name"], based["url"], based["identifier"]) == (ARCHIVE.title, ARCHIVE.url, "114978")
    assert based["funder"] == [{"@type": "Organization", "name": "Leon Levy Foundation"}]
    assert based["copyrightNotice"] == "The English translation is not covered by the licence."
    book = based["isBasedOn"]
    assert (book["@type"], book["name"], book["datePublished"], book["inLanguage"]) == (
        "Book", "Koreiskii poluostrov i interesy Rossii", "2000", "ru")
    assert book["author"][0]["name"] == "V. P. Tkachenko"
    # a part is reproduced under its own terms: the edition's licence is not claimed for the whole
    assert "license" not in data and data["temporalCoverage"]
    whole = json.loads(c.json_ld(default(BASE, source=dataclasses.replace(ARCHIVE, rights=()))))
    assert whole["license"].startswith("https://creativecommons.org/")
    assert "isPartOf" not in data
    relative = json.loads(c.json_ld(default()))
    assert "url" not in relative  # a relative address means nothing elsewhere
    assert "encoding" not in relative  # nor does a relative contentUrl (it resolved against documents/)


# -- a document in a larger edition ----------------------------------------------------

def test_a_part_is_quoted_and_placed_in_its_edition():
    record = part()
    assert c.chicago(record) == (
        "Tkachenko, V. P. “Record of a Conversation with Kim Il Sung.” Translated by Gary Goldberg. "
        "In The teipress Sample Edition, edited by teipress editorial team. Version 0.1.0. teipress, 2026. "
        f"{BASE}documents/nkidp-114978.html.")
    assert c.mla(record) == (
        "Tkachenko, V. P. “Record of a Conversation with Kim Il Sung.” Translated by Gary Goldberg. "
        "The teipress Sample Edition, edited by teipress editorial team, version 0.1.0, teipress, 2026, "
        f"{BASE}documents/nkidp-114978.html.")
    assert "booktitle = {The teipress Sample Edition}" in c.bibtex(record)
    assert "T2  - The teipress Sample Edition\r\n" in c.ris(record) and "DA  - 2026/03/05/\r\n" in c.ris(record)
    assert ("citation_inbook_title", "The teipress Sample Edition") in c.meta_tags(record)
    assert ("citation_publication_date", "2026/03/05") in c.meta_tags(record)
    assert json.loads(c.json_ld(record))["isPartOf"]["name"] == "The teipress Sample Edition"


def test_a_part_without_author_is_listed_under_its_title():
    record = part(authors=(), editors=(Agent("Edward C. Keefer", given="Edward C.", family="Keefer"),))
    assert c.chicago(record).startswith("“Record of a Conversation with Kim Il Sung.” Translated by Gary Goldberg. "
                                        "In The teipress Sample Edition, edited by Edward C. Keefer. ")
    assert c.mla(record).startswith("“Record of a Conversation with Kim Il Sung.” Translated by Gary Goldberg. "
                                    "The teipress Sample Edition, edited by Edward C. Keefer, version")


def test_an_edited_work_without_author_is_listed_under_its_editors():
    eds = (Agent("Edward C. Keefer", given="Edward C.", family="Keefer"),
           Agent("David W. Mabon", given="David W.", family="Mabon"))
    record = default(authors=(), translators=(), editors=eds, title="Foreign Relations, Volume XXII",
                     publisher="teipress")
    assert c.chicago(record).startswith("Keefer, Edward C., and David W. Mabon, eds. Foreign Relations, Volume XXII. "
                                        "Version 0.1.0.")
    assert c.mla(record).startswith("Keefer, Edward C., and David W. Mabon, editors. Foreign Relations, Volume XXII. "
                                    "Version 0.1.0, teipress")
    one = dataclasses.replace(record, editors=eds[:1])
    assert c.chicago(one).startswith("Keefer, Edward C., ed. Foreign")
    assert c.mla(one).startswith("Keefer, Edward C., editor. Foreign")
    assert "edited by" not in c.chicago(record).lower()


# -- names -----------------------------------------------------------------------------

ORG = Agent("Ministry of Foreign Affairs of the USSR", kind="org")


def test_an_organisation_is_written_as_it_is():
    record = default(authors=(ORG,))
    assert c.chicago(record).startswith(f"Ministry of Foreign Affairs of the USSR. {TITLE}.")
    assert c.mla(record).startswith("Ministry of Foreign Affairs of the USSR. ")
    # Braced, so BibTeX does not read "USSR" as a family name and the rest as given names.
    assert "author = {{Ministry of Foreign Affairs of the USSR}}" in c.bibtex(record)
    assert "AU  - Ministry of Foreign Affairs of the USSR\r\n" in c.ris(record)
    assert c.csl_json(record)["author"] == [{"literal": "Ministry of Foreign Affairs of the USSR"}]
    assert json.loads(c.json_ld(record))["author"] == [{"@type": "Organization",
                                                        "name": "Ministry of Foreign Affairs of the USSR"}]
    assert ("citation_author", "Ministry of Foreign Affairs of the USSR") in c.meta_tags(record)


def test_a_person_without_name_parts_is_not_inverted():
    record = default(authors=(Agent("Kim Il Sung"),))  # no forename/surname: order unknown
    assert c.chicago(record).startswith("Kim Il Sung. ")
    assert "author = {Kim Il Sung}" in c.bibtex(record)
    assert c.csl_json(record)["author"] == [{"literal": "Kim Il Sung"}]


THREE = (Agent("Ann Able", given="Ann", family="Able"), Agent("Bob Baker", given="Bob", family="Baker"),
         Agent("Cy Cole", given="Cy", family="Cole"))


def test_two_and_three_authors():
    two = default(authors=THREE[:2])
    assert c.chicago(two).startswith("Able, Ann, and Bob Baker. ")
    assert c.mla(two).startswith("Able, Ann, and Bob Baker. ")
    three = default(authors=THREE)
    assert c.chicago(three).startswith("Able, Ann, Bob Baker, and Cy Cole. ")  # CMOS lists them all
    assert c.mla(three).startswith("Able, Ann, et al. ")  # MLA 9: three or more, the first and et al.
    assert "author = {Able, Ann and Baker, Bob and Cole, Cy}" in c.bibtex(three)
    assert c.ris(three).count("\r\nAU  - ") == 3
    assert [a["family"] for a in c.csl_json(three)["author"]] == ["Able", "Baker", "Cole"]
    assert [v for k, v in c.meta_tags(three) if k == "citation_author"] == ["Able, Ann", "Baker, Bob", "Cole, Cy"]


def test_translators_are_joined_per_style():
    record = default(translators=THREE)
    assert "Translated by Ann Able, Bob Baker, and Cy Cole." in c.chicago(record)
    assert "Translated by Ann Able et al., version" in c.mla(record)
    assert "Translated by Ann Able and Bob Baker." in c.chicago(default(translators=THREE[:2]))


# -- hostile text ----------------------------------------------------------------------

HOSTILE = "Evil </script><script>alert(1)</script> } { % & $ # _ ^ ~ \\ 100%\nER  - \r\nTY  - JOUR"


def hostile() -> c.Citation:
    return default(BASE, title=HOSTILE, abstract=HOSTILE, authors=(Agent("A } Brace", given="A }", family="Brace"),
                                                                    ORG),
                   keywords=("x\ny", "<b>"), container_title="Ed {of} 50% & more")


def bib_value_ok(value: str) -> bool:
    """Balanced braces once escapes are removed, and no unescaped comment or special character."""
    depth = 0
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "%&$#_^~":
            return False
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
        i += 1
    return depth == 0


def test_hostile_text_in_bibtex():
    text = c.bibtex(hostile())
    lines = text.splitlines()
    assert lines[0] == "@misc{nkidp-114978," and lines[-1] == "}"
    for line in lines[1:-1]:  # one field a line: a newline in the title did not break out
        m = re.fullmatch(r"  ([a-z]+) = \{(.*)\},?", line)
        assert m and bib_value_ok(m.group(2)), line
    assert r"Evil </script><script>alert(1)</script> \} \{ \% \& \$ \# \_ \^{} \~{} \textbackslash{} 100\%" in text
    assert "author = {Brace, A \\} and {Ministry of Foreign Affairs of the USSR}}" in text


def test_hostile_text_in_ris():
    text = c.ris(hostile())
    lines = text.split("\r\n")
    assert lines[-1] == "" and lines[-2] == "ER  - "
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines[:-1]), lines
    assert sum(line.startswith("ER  -") for line in lines) == 1  # the title cannot end the record
    assert sum(line.startswith("TY  -") for line in lines) == 1
    assert "\n" not in text.replace("\r\n", "") and "\r" not in text.replace("\r\n", "")


def test_hostile_text_in_json_ld():
    text = c.json_ld(hostile())
    for ch in "<>&":
        assert ch not in text
    assert "</script" not in text.lower() and "<!--" not in text
    data = json.loads(text)
    assert data["name"] == " ".join(HOSTILE.split())  # escaped, not altered
    assert data["keywords"] == ["x y", "<b>"]


def test_hostile_text_in_csl_json_and_plain_styles():
    item = c.csl_json(hostile())
    assert json.loads(json.dumps(item)) == item and item["title"] == " ".join(HOSTILE.split())
    assert "\n" not in c.chicago(hostile()) and "\n" not in c.mla(hostile())
    assert all("\n" not in v for _, v in c.meta_tags(hostile()))


# -- CSL-JSON --------------------------------------------------------------------------

CSL_TYPES = {"article", "article-journal", "article-magazine", "article-newspaper", "bill", "book", "broadcast",
             "chapter", "classic", "collection", "dataset", "document", "entry", "entry-dictionary",
             "entry-encyclopedia", "event", "figure", "graphic", "hearing", "interview", "legal_case",
             "legislation", "manuscript", "map", "motion_picture", "musical_score", "pamphlet",
             "paper-conference", "patent", "performance", "periodical", "personal_communication", "post",
             "post-weblog", "regulation", "report", "review", "review-book", "software", "song", "speech",
             "standard", "thesis", "treaty", "webpage"}
CSL_NAMES = {"author", "editor", "translator", "container-author", "collection-editor", "original-author"}
CSL_DATES = {"issued", "accessed", "original-date"}
CSL_STRINGS = {"title", "container-title", "version", "publisher", "URL", "DOI", "language", "abstract",
               "keyword", "note", "archive", "archive_location", "source", "genre", "medium",
               "original-title", "original-publisher", "original-publisher-place"}
NAME_KEYS = {"family", "given", "literal", "dropping-particle", "non-dropping-particle", "suffix"}


def assert_csl_item(item: dict) -> None:
    """The CSL 1.0.2 input schema's rules for the variables a citation uses."""
    assert isinstance(item["id"], str) and item["id"] and item["type"] in CSL_TYPES
    for key, value in item.items():
        if key in ("id", "type"):
            continue
        if key in CSL_NAMES:
            assert value and all(set(n) <= NAME_KEYS and n and all(isinstance(v, str) and v for v in n.values())
                                 for n in value), (key, value)
            assert all(("literal" in n) != ("family" in n) for n in value)
        elif key in CSL_DATES:
            parts = value["date-parts"]
            assert set(value) == {"date-parts"} and 1 <= len(parts) <= 2
            assert all(1 <= len(p) <= 3 and all(isinstance(x, int) for x in p) for p in parts)
        else:
            assert key in CSL_STRINGS, key
            assert isinstance(value, str) and value == value.strip() and value


@pytest.mark.parametrize("record", [default(), default(BASE), part(), default(authors=(ORG,)),
                                    default(authors=THREE), hostile(), c.Citation(id="x", title="Bare")],
                         ids=["default", "base_url", "part", "org", "three", "hostile", "bare"])
def test_csl_json_is_valid(record):
    item = c.csl_json(record)
    assert_csl_item(item)
    assert item["title"] == " ".join(record.title.split())


def test_csl_json_carries_the_record():
    item = c.csl_json(part(doi="10.1234/abc"))
    assert item["type"] == "chapter" and c.csl_json(default())["type"] == "book"
    assert item["container-title"] == "The teipress Sample Edition" and item["version"] == "0.1.0"
    assert item["author"] == [{"family": "Tkachenko", "given": "V. P."}]
    assert item["translator"] == [{"family": "Goldberg", "given": "Gary"}]
    assert item["editor"] == [{"literal": "teipress editorial team"}]
    assert item["issued"] == {"date-parts": [[2026, 3, 5]]} and item["DOI"] == "10.1234/abc"
    assert item["URL"] == f"{BASE}documents/nkidp-114978.html" and item["language"] == "en"
    assert item["keyword"] == "Korean reunification, Diplomatic notes"
    assert "note" not in item  # the part has no source of its own
    full = c.csl_json(default())
    assert full["note"] == PROVENANCE and full["archive"] == "Wilson Center Digital Archive"
    assert full["archive_location"] == "document 114978"
    assert full["original-author"] == [{"family": "Tkachenko", "given": "V. P."}] and "author" not in full
    assert full["original-title"] == "Koreiskii poluostrov i interesy Rossii"
    assert full["original-date"] == {"date-parts": [[2000]]}


# -- the record ------------------------------------------------------------------------

def test_formatters_are_deterministic_and_the_record_immutable():
    a = default(BASE)
    b = c.Citation(**{**dataclasses.asdict(a), "editors": [BOARD], "translators": [GOLDBERG],
                      "keywords": ["Korean reunification", "Diplomatic notes"], "source": ARCHIVE,
                      "original": BOOK})
    assert a == b and hash(a) == hash(b)  # lists are stored as tuples
    for fmt in FORMATTERS:
        assert fmt(a) == fmt(b) == fmt(default(BASE))
    keys = list(json.loads(c.json_ld(a)))
    assert keys == sorted(keys)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.title = "Other"  # type: ignore[misc]


def test_formatters_do_not_depend_on_the_process(tmp_path):
    """Same bytes under different hash seeds (no set or dict order leaks into an output)."""
    script = tmp_path / "forms.py"
    script.write_text(
        "import sys, json\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from test_citation import FORMATTERS, hostile, part\n"
        "for r in (hostile(), part()):\n"
        "    for f in FORMATTERS:\n"
        "        out = f(r)\n"
        "        print(out if isinstance(out, str) else json.dumps(out, ensure_ascii=False))\n",
        encoding="utf-8")
    runs = [subprocess.run([sys.executable, str(script)], capture_output=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")]
    assert runs[0] == runs[1] and runs[0]


def test_dates():
    assert c.iso_date("2026-06-17T10:00:00") == "2026-06-17" and c.iso_date("2026-06") == "2026-06"
    assert c.iso_date("June 2026") == "" and c.iso_date("") == "" and c.iso_date("2026-13") == "2026"
    with pytest.raises(ValueError, match="iso_date"):
        c.Citation(id="x", title="T", date="17 June 2026")
    assert default(date="2026-06-17").year == "2026"
    assert c.csl_json(default(date="2026-06"))["issued"] == {"date-parts": [[2026, 6]]}
    assert "DA  - 2026/06//\r\n" in c.ris(default(date="2026-06"))
    assert "DA  -" not in c.ris(default())  # a year alone is PY's


def test_doi_is_preferred_to_the_url_in_references():
    record = default(BASE, doi="10.5281/zenodo.123")
    assert c.chicago(record).endswith(f" teipress project, 2026. https://doi.org/10.5281/zenodo.123. {PROVENANCE}")
    assert c.mla(record).endswith(f", 2026, https://doi.org/10.5281/zenodo.123. {PROVENANCE}")
    assert "doi = {10.5281/zenodo.123}" in c.bibtex(record) and "DO  - 10.5281/zenodo.123\r\n" in c.ris(record)
    assert ("citation_doi", "10.5281/zenodo.123") in c.meta_tags(record)
    assert json.loads(c.json_ld(record))["sameAs"] == "https://doi.org/10.5281/zenodo.123"


def test_sentences_end_once():
    record = default(title="Who Started the Korean War?", version="", publisher="", authors=(TKACHENKO,),
                     editors=(), source=None, original=None)
    assert c.chicago(record) == "Tkachenko, V. P. Who Started the Korean War? Translated by Gary Goldberg. 2026."
    assert c.provenance(default()).endswith("19–31.") and not c.provenance(default()).endswith("..")
    quoted = part(title="Who Started the Korean War?")
    assert "“Who Started the Korean War?” Translated" in c.chicago(quoted)


def test_orcid_reaches_json_ld():
    record = default(authors=(dataclasses.replace(TKACHENKO, orcid="0000-0002-1825-0097"),))
    assert json.loads(c.json_ld(record))["author"][0]["sameAs"] == "https://orcid.org/0000-0002-1825-0097"

"""A long document printed as volumes (teipress.model.volumes, teipress.outputs.volumes): the
default edition forced into five volumes by a low [pdf] volume_characters, against the same
edition built as one file."""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from conftest import MINI_DOC
from sitebuild import REPO, build_edition
from test_pdf import name_forms, pdftotext, tokens

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils missing (make system-deps)")

DOC = "nkidp-114978"
LIMIT = 6000  # characters of text a volume: the document's 20,000 make five volumes


def _edition(folder: Path, limit: int | None) -> Path:
    shutil.copytree(REPO / "tei", folder / "tei")
    if limit is not None:
        (folder / "edition.toml").write_text(f"[pdf]\nvolume_characters = {limit}\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The edition in volumes (PDF and HTML stages) and as one file (PDF)."""
    tmp = tmp_path_factory.mktemp("volumes")
    split = _edition(tmp / "split", LIMIT)
    build_edition(split, tmp / "split-out", only={"pdf", "html"})
    build_edition(_edition(tmp / "one", None), tmp / "one-out", only={"pdf"})
    return tmp


@pytest.fixture(scope="module")
def volumes(builds) -> list[Path]:
    found = sorted((builds / "split-out" / "pdf" / DOC).glob("volume-*.pdf"), key=lambda p: int(p.stem[7:]))
    return found


@pytest.fixture(scope="module")
def single(builds) -> Path:
    return builds / "one-out" / "pdf" / f"{DOC}.pdf"


def _pages(pdfs: list[Path]) -> dict[str, str]:
    """Printed arabic page label → normalised text of that page, across the files."""
    out = {}
    for pdf in pdfs:
        for i, label in enumerate(PdfReader(pdf).page_labels):
            if label.isdigit():
                out[label] = "".join(tokens(pdftotext(pdf, "-f", str(i + 1), "-l", str(i + 1))))
    return out


def _index_numbers(pdf: Path, edition_dir: Path) -> list[tuple[str, list[str]]]:
    """(entry, its page numbers as printed) for every entry of the indexes of *pdf*, read in the
    order the model gives the entries (as test_pdf reads the one file's)."""
    from teipress import edition
    from teipress.commands.build import make_model
    from teipress.outputs.pdf import index_entries

    reader = PdfReader(pdf)
    start = next(i for i in range(len(reader.pages))
                 if "".join(tokens(pdftotext(pdf, "-f", str(i + 1), "-l", str(i + 1)))).startswith("indexofpersons"))
    text = pdftotext(pdf, "-raw", "-f", str(start + 1))
    text = " ".join(text.replace("\u00ad\n", "").replace("’", "'").split())
    em = make_model(edition.load(edition_dir))
    entries = index_entries(em, next(d for d in em.documents if d.id == DOC))
    out, pos = [], 0
    for e in entries["persons"] + entries["places"] + entries["organisations"] + entries["events"]:
        found = re.compile(re.escape(e["label"]) + r"(?: \([^)]*\))?\s+(\d+n?(?:, \d+n?)*)").search(text, pos)
        assert found, f"{e['label']} and its page numbers are not in the index of {pdf.name}"
        pos = found.end()
        out.append((e["label"], found.group(1).split(", ")))
    return out


def _labels(edition_dir: Path) -> list[tuple[str, str]]:
    from teipress import edition
    from teipress.commands.build import make_model
    from teipress.outputs.pdf import index_entries

    em = make_model(edition.load(edition_dir))
    entries = index_entries(em, next(d for d in em.documents if d.id == DOC))
    return [(e["key"], e["label"]) for k in ("persons", "places", "organisations", "events") for e in entries[k]]


# -- where the document is cut --------------------------------------------------------------

def test_plan_cuts_only_between_top_level_divisions():
    from teipress import edition
    from teipress.commands.build import make_model
    from teipress.model import M, volumes

    em = make_model(edition.load(REPO))
    root = em.documents[0].model.getroot()
    assert volumes.plan(root, 0) == volumes.plan(root, volumes.DEFAULT_CHARACTERS) == [volumes.Volume(1, 1, 0, 12)]
    parts = volumes.plan(root, LIMIT)
    assert [p.n for p in parts] == [1, 2, 3, 4, 5] and {p.of for p in parts} == {5}
    body = root.find("m:text/m:block[@tei='body']", M)
    kids = list(body)
    assert parts[0].start == 0 and parts[-1].end == len(kids)
    assert all(a.end == b.start for a, b in zip(parts, parts[1:]))  # every child once, in order
    for p in parts[1:]:  # a volume opens with a division (after the page breaks that open it)
        first = next(k for k in kids[p.start:p.end] if k.tag != "{urn:teipress:model}page-break")
        assert first.get("division") == "true"
    # the text's back (the list of abbreviations) goes with the last volume only
    backs = [len(volumes.volume_model(root, p).findall("m:text/m:block[@tei='back']", M)) for p in parts]
    assert backs == [0, 0, 0, 0, 1]
    # every character of the text is in exactly one volume
    def letters(el) -> int:  # white space between blocks is repeated in each volume's containers
        return sum(len("".join(t.split())) for t in el.itertext())
    whole = letters(root.find("m:text", M))
    assert sum(letters(volumes.volume_model(root, p).find("m:text", M)) for p in parts) == whole


def test_setting_is_checked(tmp_path):
    from teipress import config

    for bad in ("volume_characters = -1", "volume_characters = \"many\"", "volume_characters = true", "pages = 3"):
        (tmp_path / "edition.toml").write_text(f"[pdf]\n{bad}\n", encoding="utf-8")
        with pytest.raises(config.ConfigError) as exc:
            config.load(tmp_path)
        assert "[pdf]" in exc.value.message and exc.value.line == 2
    (tmp_path / "edition.toml").write_text("[pdf]\nvolume_characters = 0\n", encoding="utf-8")
    assert config.load(tmp_path).get("pdf") == {"volume_characters": 0}


# -- the volumes ---------------------------------------------------------------------------

def test_volumes_instead_of_one_file(builds, volumes):
    assert len(volumes) == 5
    assert not (builds / "split-out" / "pdf" / f"{DOC}.pdf").exists()


def test_page_numbers_run_on_and_each_volume_starts_on_a_recto(volumes):
    arabic = []
    for pdf in volumes:
        labels = [x for x in PdfReader(pdf).page_labels if x.isdigit()]
        assert int(labels[0]) % 2 == 1, f"{pdf.name} starts on page {labels[0]}, a verso"
        arabic += [int(x) for x in labels]
    assert arabic == list(range(1, len(arabic) + 1))


def test_metadata_of_each_volume(volumes):
    for n, pdf in enumerate(volumes, 1):
        reader = PdfReader(pdf)
        assert reader.metadata.title.startswith("Excerpts from V. P. Tkachenko")
        assert reader.metadata.title.endswith(f"(Volume {n} of 5)")
        assert reader.xmp_metadata.dc_title["x-default"].endswith(f"(Volume {n} of 5)")
        raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
        assert re.search(r"pdfaid:part[>=\"]+3", raw) and re.search(r"pdfaid:conformance[>=\"]+A", raw)
        assert re.search(r"pdfuaid:part[>=\"]+1", raw)
        assert reader.trailer["/Root"]["/Lang"] == "en"
        assert "/StructTreeRoot" in reader.trailer["/Root"]
        assert f"Volume {n} of 5" in pdftotext(pdf, "-f", "1", "-l", "1")
        source = (REPO / "tei" / f"{DOC}.xml").read_bytes()
        imprint = " ".join(pdftotext(pdf, "-f", "2", "-l", "2").split())
        if n == 5:  # the last volume carries the TEI source (and the registers' extracts) of all five
            assert reader.attachments[f"{DOC}.xml"][0] == source
            assert f"carries the TEI P5 source of all 5 volumes as an attachment: {DOC}.xml" in imprint
        else:  # the others say where it is, and which file it is
            assert not reader.attachments
            assert (f"The TEI P5 source of all 5 volumes, {DOC}.xml (SHA-256 {hashlib.sha256(source).hexdigest()}), "
                    "is attached to volume 5") in imprint


def test_last_volume_attaches_what_the_one_file_does(volumes, single):
    """The source and the registers' extracts of the whole document (the entries all five volumes
    refer to), byte for byte those the document printed as one file carries."""
    last = {name: data[0] for name, data in PdfReader(volumes[-1]).attachments.items()}
    assert last == {name: data[0] for name, data in PdfReader(single).attachments.items()}
    assert {f"{DOC}.xml", "persons-extract.xml", "places-extract.xml"} <= set(last)


def _words(pdf: Path) -> set[str]:
    # a word hyphenated at the foot of a page or column: its halves are one word
    return {t for t in tokens(re.sub("\u00ad\\s*", "", pdftotext(pdf))) if t.isalpha()}


def test_every_word_of_the_one_file_is_in_the_volumes(volumes, single):
    words = _words(single)
    found = set().union(*(_words(pdf) for pdf in volumes))
    assert len(words) > 1000
    # a word the one file hyphenated across a page (with a heading between its halves) is whole
    # in the volumes: its half is then part of a word there
    stream = " ".join(sorted(found))
    missing = words - found
    assert len(missing) <= 3 and all(w in stream for w in missing), missing


def _note_numbers(pdf: Path) -> list[int]:
    """The numbers that begin the footnotes of *pdf*, in order ("12 The source reads …")."""
    return [int(n) for n in re.findall(r"^(\d{1,3}) (?=Editorial note|The source reads)", pdftotext(pdf), re.M)]


def test_footnotes_are_numbered_on_across_volumes(volumes):
    # (the same correction made in several volumes is told in a note in each: each volume has
    # its own list of emendations, so the volumes have a few more notes than the one file)
    seen = []
    for pdf in volumes:
        numbers = sorted(set(_note_numbers(pdf)))
        assert numbers, pdf.name
        if seen:
            assert numbers[0] == seen[-1] + 1, f"{pdf.name} numbers its notes from {numbers[0]}"
        seen += numbers
    assert seen == list(range(1, len(seen) + 1))


def test_index_in_the_last_volume_points_to_the_true_pages(builds, volumes, single):
    pages = _pages(volumes)
    vol1_last = max(int(x) for x in PdfReader(volumes[0]).page_labels if x.isdigit())
    entries = _index_numbers(volumes[-1], builds / "split")
    assert len(entries) > 50
    assert not any("Index of persons" in pdftotext(pdf) for pdf in volumes[:-1])
    # every page an entry gives names it (in one of the forms the TEI names it in)
    from teipress import edition
    ed = edition.load(REPO)
    forms = name_forms(ed, next(d for d in ed.documents if d.id == DOC))
    keys = {label: key for key, label in _labels(builds / "split")}
    checked = 0
    for label, numbers in entries:
        for n in numbers:
            page = pages.get(n.rstrip("n"))
            assert page is not None, f"{label}: page {n} is in no volume"
            assert any(f in page for f in forms[keys[label]]), f"{label}: page {n} does not name it"
            checked += 1
    assert checked > 100
    # volume 1 is laid out as the one file is, up to its last page (where the one file goes on
    # with the next division, and so names more): the same numbers before it, a subset on it
    one = dict(_index_numbers(single, builds / "one"))
    compared = 0
    for label, numbers in entries:
        theirs = one.get(label, [])
        assert [n for n in numbers if int(n.rstrip("n")) < vol1_last] == \
            [n for n in theirs if int(n.rstrip("n")) < vol1_last], label
        last = {n.rstrip("n") for n in numbers if int(n.rstrip("n")) == vol1_last}
        assert last <= {n.rstrip("n") for n in theirs}, label
        compared += sum(1 for n in numbers if int(n.rstrip("n")) <= vol1_last)
    assert compared > 10


def test_last_volume_lists_the_contents_of_every_volume_with_true_pages(volumes):
    text = " ".join(pdftotext(volumes[-1]).replace("\u00ad\n", "").split())
    start = text.index("Contents of all volumes Volume 1 ·")
    contents = text[start:text.index("Editorial principles", text.index("Index of persons", start))]
    pages = _pages(volumes)
    for n, pdf in enumerate(volumes, 1):
        labels = [int(x) for x in PdfReader(pdf).page_labels if x.isdigit()]
        assert f"Volume {n} · pages {labels[0]}–{labels[-1]}" in contents
    listed = re.sub(r"Volume \d+ · pages \d+–\d+ ", "", contents)
    entries = re.findall(r"(\[?[A-Z][^.]{6,}?) (?:\. )+(\d+)", listed)
    assert len(entries) >= 8
    for title, page in entries:
        word = next(t for t in tokens(title) if len(t) > 3)
        assert word in pages[page], f"{title} is not on page {page}"
    assert "Index of persons" in contents and "Editorial principles" in contents
    # every volume before the last says where they are; each lists its own divisions in its front
    for n, pdf in enumerate(volumes[:-1], 1):
        front = " ".join(pdftotext(pdf, "-f", "3", "-l", "4").split())
        assert f"The contents of all {len(volumes)} volumes and the indexes are at the end of volume {len(volumes)}." in front


def test_html_links_every_volume(builds, volumes):
    html = builds / "split-out" / "html"
    for page in (html / "documents" / f"{DOC}.html", html / "index.html"):
        tree = lxml_html.parse(str(page))
        links = [a.get("href") for a in tree.iter("a") if (a.text or "").startswith("volume ")]
        targets = sorted({(page.parent / h).resolve() for h in links})
        assert [t.name for t in targets] == [f"volume-{n}.pdf" for n in range(1, 6)], page
        for t, pdf in zip(targets, volumes):
            assert t.read_bytes() == pdf.read_bytes()


def test_volumes_are_byte_identical_on_rebuild_and_come_from_the_cache(builds, volumes, tmp_path):
    from teipress import edition
    from teipress.commands import cache as cache_mod
    from teipress.commands.build import BuildContext, make_model
    from teipress.outputs import pdf

    ed = edition.load(builds / "split")
    cache = cache_mod.Cache(tmp_path / "cache")
    made = []
    for round_ in range(2):
        out = tmp_path / f"out{round_}"
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("SOURCE_DATE_EPOCH", "1767225600")
            ctx = BuildContext(edition=ed, out=out, model=make_model(ed), cache=cache, scratch=tmp_path)
            pdf.build(ctx)
        made.append([p.read_bytes() for p in sorted((out / "pdf" / DOC).glob("volume-*.pdf"))])
        if round_ == 0:
            misses = cache.misses
    assert made[0] == made[1] == [p.read_bytes() for p in volumes]
    assert cache.misses == misses and cache.hits >= 6  # the second build typeset nothing


def test_deposit_holds_every_volume(builds, volumes, tmp_path):
    import bagit
    from click.testing import CliRunner

    from teipress.cli import main

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1767225600")
        r = CliRunner().invoke(main, ["deposit", str(builds / "split"), "--out", str(tmp_path)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    bag = next(p for p in tmp_path.iterdir() if p.is_dir())
    assert bagit.Bag(str(bag)).is_valid()
    held = sorted((bag / "data" / "pdf" / DOC).glob("volume-*.pdf"))
    assert [p.read_bytes() for p in held] == [p.read_bytes() for p in volumes]
    readme = " ".join((bag / "data" / "README.txt").read_text(encoding="utf-8").split())
    assert "The print edition: 5 PDF file(s)" in readme


def test_a_text_of_more_than_ten_thousand_elements_is_typeset(make_edition, tmp_path):
    """Typst stops a while loop after 10,000 turns: a walk over the model's elements in one
    (apparatus.typ's app-targets did) failed every long book ("loop seems to be infinite")."""
    para = '<p>Word <hi rend="italic">one</hi> and <hi rend="italic">two</hi>, <hi rend="bold">three</hi>.</p>'
    body = '<div type="letter" xml:id="d1"><head>Many words</head>' + para * 3500 + "</div>"
    root = make_edition(doc=MINI_DOC.replace(MINI_DOC[MINI_DOC.index("<body>") + 6:MINI_DOC.index("</body>")], body))
    build_edition(root, tmp_path / "out", only={"pdf"})
    pdf = tmp_path / "out" / "pdf" / "mini.pdf"
    assert len(PdfReader(pdf).pages) > 40


def test_index_says_which_pages_each_volume_holds(volumes):
    text = " ".join(pdftotext(volumes[-1]).split())
    ranges = []
    for pdf in volumes:
        labels = [int(x) for x in PdfReader(pdf).page_labels if x.isdigit()]
        ranges.append((labels[0], labels[-1]))
    said = "; ".join(f"{'V' if n == 1 else 'v'}olume {n}: pages {a}–{b}" for n, (a, b) in enumerate(ranges, 1))
    assert said + "." in text

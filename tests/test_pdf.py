"""The PDF edition: text, notes, indexes, attachment, metadata, fonts, PDF/A, safety, determinism."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from teipress import edition as edition_mod
from teipress.outputs import pdf
from teipress.xmlparse import NS

from conftest import MINI_DOC, REPO, back_register_list, edition_model, tei_plain as plain
from sitebuild import build_edition  # SOURCE_DATE_EPOCH 2026-01-01T00:00:00Z

SCREENSHOTS = REPO / "build" / "screenshots"

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils missing (make system-deps)")


def build_pdfs(edition_dir: Path, out: Path) -> Path:
    """Build only the PDF stage with sitebuild's fixed SOURCE_DATE_EPOCH."""
    build_edition(edition_dir, out, only={"pdf"})
    return out / "pdf"


def pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


def tokens(text: str) -> list[str]:
    """Word tokens, robust to hyphenation (soft or hard) and to line breaks."""
    text = text.replace("\u00ad\n", "").replace("\u00ad", "").replace("-\n", "").replace("-", "")
    return [t.casefold() for t in re.findall(r"\w+", text)]


def find_in_order(hay: list[str], needle: list[str], start: int, max_gap: int = 300) -> int | None:
    """Index where *needle* begins as a subsequence of hay[start:], allowing interleaved running
    heads, footnotes and margin numbers (at most max_gap tokens between two words: a page's
    footnotes — source notes included — may run to a few hundred words)."""
    for i in range(start, len(hay)):
        if not hay[i].startswith(needle[0]):
            continue
        pos, ok = i, True
        for tok in needle[1:]:
            for j in range(pos + 1, min(len(hay), pos + 2 + max_gap)):
                if hay[j].startswith(tok):  # startswith: footnote numbers stick to words ("Sung1")
                    pos = j
                    break
            else:
                ok = False
                break
        if ok:
            return i
    return None


@pytest.fixture(scope="session")
def default_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf-build") / "build"
    pdf = build_pdfs(REPO, out) / "nkidp-114978.pdf"
    assert pdf.is_file()
    return pdf


@pytest.fixture(scope="session")
def default_doc():
    ed = edition_mod.load(REPO)
    return ed, next(d for d in ed.documents if d.id == "nkidp-114978")


@pytest.fixture(scope="session")
def reader(default_pdf) -> PdfReader:
    return PdfReader(default_pdf)


def test_every_paragraph_in_order(default_pdf, default_doc):
    _, doc = default_doc
    hay = tokens(pdftotext(default_pdf))
    pos = 0
    paras = doc.root.findall(".//tei:text/tei:body//tei:p", NS)
    assert len(paras) > 30
    for p in paras:
        want = tokens(plain(p))
        found = find_in_order(hay, want, pos)
        assert found is not None, f"paragraph {p.get('{http://www.w3.org/XML/1998/namespace}id')} missing or out of order"
        pos = found + 1


def _struct_count(reader: PdfReader, role: str) -> int:
    n = 0
    stack = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if not isinstance(node, dict):
            continue
        if node.get("/S") == role:
            n += 1
        kids = node.get("/K")
        if kids is not None:
            stack.extend(kids if isinstance(kids, list) else [kids])
    return n


def test_footnotes_equal_notes_plus_corrections(reader, default_doc):
    """One footnote per TEI note, and one per correction of the source (<sic>, its reading
    recorded in a note as the editorial principles say) outside notes — one for each distinct
    correction, however often it is made (16 × "Kim II Sung": one note and the list of
    emendations), none when an editors' note follows it at once (that note tells it: no stacked
    marks); footnotes are tagged /Note in the PDF."""
    _, doc = default_doc
    body = doc.root.find("tei:text", NS)
    # a note printed in the line or the margin (note/@place) is not a footnote
    notes = [n for n in body.findall(".//tei:note", NS) if n.get("place", "foot").split()[0] not in ("inline", "margin")]
    sics = [s for s in body.findall(".//tei:choice/tei:sic", NS)
            if not any(etree.QName(a).localname == "note" for a in s.iterancestors())]
    assert len(notes) >= 1 and len(sics) >= 16
    firsts: dict[tuple, etree._Element] = {}
    for sic in sics:
        choice = sic.getparent()
        corr = choice.find("tei:corr", NS)
        firsts.setdefault((" ".join(plain(sic).split()), " ".join(plain(corr).split())), choice)
    told_in_note = [c for c in firsts.values() if not (c.tail or "") and c.getnext() is not None
                    and etree.QName(c.getnext()).localname == "note"]
    assert len(firsts) == 5 and len(told_in_note) == 1
    assert _struct_count(reader, "/Note") == len(notes) + len(firsts) - len(told_in_note)


def test_repeated_corrections_are_one_note_and_a_list_of_emendations(default_pdf):
    flat = " ".join(pdftotext(default_pdf).split())
    assert flat.count("The source reads “Kim II Sung”") == 1
    assert "“Kim II Sung” here and in 15 other places; see the list of emendations." in flat
    listed = flat[flat.index("List of emendations"):]
    assert re.match(r"List of emendations Kim Il Sung\] Kim II Sung \d+(, \d+)* DPRK\] DRPK \d", listed), listed[:200]
    # no stacked marks: the editors' note on the full stop at p. 31 tells the correction itself
    assert "The source reads “. The”. The source has a full stop" in flat
    # typographic apostrophes in the text
    assert "Our People’s Army" in flat and "Our People's Army" not in flat
    assert "Korean People’s Army" in flat and "Korean People's Army" not in flat  # the index
    # and in the labels of notes: the translator's note printed in the line, as the source prints it
    assert "[Translator’s note: sderzhivat’" in flat and "Translator's note" not in flat


def _page_texts(pdf: Path, reader: PdfReader) -> dict[str, str]:
    """Printed page label -> normalised text of that page."""
    out = {}
    for i, label in enumerate(reader.page_labels):
        out[label] = "".join(tokens(pdftotext(pdf, "-f", str(i + 1), "-l", str(i + 1))))
    return out


def name_forms(ed, doc) -> dict[str, set[str]]:
    """Register entry (its anchor) -> the forms *doc*'s text names it in, as tokens run together:
    what a page an index gives for the entry must contain."""
    from teipress.model.registers import anchors

    ids = anchors(ed)
    forms: dict[str, set[str]] = {}
    for el in doc.root.iterfind(".//tei:text//*[@ref]", NS):
        for ptr in el.get("ref").split():
            entry = ed.entry_for(doc, ptr)
            if entry is not None:
                forms.setdefault(ids[(entry.file.rel, entry.id)], set()).add("".join(tokens(plain(el))))
    return forms


def test_index_pages_contain_the_names(default_pdf, reader, default_doc):
    ed, doc = default_doc
    from teipress.outputs.pdf import index_entries

    forms = name_forms(ed, doc)
    pages = _page_texts(default_pdf, reader)
    labels = reader.page_labels
    first_index = next(i for i in range(len(labels)) if "indexofpersons" in pages[labels[i]][:40])
    index_text = pdftotext(default_pdf, "-raw", "-f", str(first_index + 1))  # content order
    index_text = " ".join(index_text.replace("\u00ad\n", "").replace("’", "'").split())  # typographic apostrophes in print
    em = edition_model(ed)
    entries = index_entries(em, next(d for d in em.documents if d.file is doc))
    checked = 0
    pos = 0
    for e in entries["persons"] + entries["places"] + entries["organisations"] + entries["events"]:
        found = re.compile(re.escape(e["label"]) + r"(?: \([^)]*\))?\s+(\d+n?(?:, \d+n?)*)").search(index_text, pos)
        assert found, f"{e['label']} and its page numbers are not in the index"
        pos = found.end()
        for n in found.group(1).split(", "):
            n = n.rstrip("n")  # "4n": named on page 4 in a note only
            assert n in pages, f"{e['label']}: page {n} does not exist"
            assert any(f in pages[n] for f in forms[e["key"]]), \
                f"{e['label']}: page {n} does not mention {sorted(forms[e['key']])}"
            checked += 1
    assert checked > 50


def test_index_has_cross_references_note_pages_and_files_congresses_under_their_party(default_pdf, reader):
    labels = reader.page_labels
    pages = _page_texts(default_pdf, reader)
    first_index = next(i for i in range(len(labels)) if "indexofpersons" in pages[labels[i]][:40])
    index_text = pdftotext(default_pdf, "-raw", "-f", str(first_index + 1))
    index_text = " ".join(index_text.replace("\u00ad\n", "").replace("-\n", "").replace("’", "'").split())
    for ref in ("CPSU, see Communist Party of the Soviet Union", "KWP, see Korean Workers' Party",
                "DPRK, see Democratic People's Republic of Korea", "Chiang Kai-shek, see Jiang Jieshi",
                "Yi Seung-man, see Rhee, Syngman", "UN, see United Nations"):
        assert ref in index_text, ref
    # the author is named only in the source note of the first excerpt: a note page, "1n"
    assert re.search(r"Tkachenko, Vadim Petrovich \d+n(?![,\d])", index_text), index_text[:600]
    # a page naming Moscow only in a source note is "n", one naming it in the text is not
    assert re.search(r"Moscow (\d+n, )+\d+(?!n)", index_text)
    assert "Communist Party of the Soviet Union, 22nd Congress" in index_text
    assert not re.search(r"(?:^|\. )22nd Congress", index_text)
    # places and organisations in indexes of their own, as the HTML registers keep them
    heads = [t[:25] for t in pages.values()]
    assert any(h.startswith("indexofplaces") for h in heads) and any(h.startswith("indexoforganisations") for h in heads)


def test_attachment_is_the_tei_source(reader):
    """The source, whole; and for each register an extract holding exactly the entries the
    source points to (read here off the source's own pointers, "persons.xml#id"), as encoded."""
    att = reader.attachments
    source = (REPO / "tei" / "nkidp-114978.xml").read_bytes()
    assert att["nkidp-114978.xml"][0] == source
    pointed: dict[str, set[str]] = {}
    for el in etree.fromstring(source).iter("{*}*"):
        for value in el.attrib.values():
            for m in re.finditer(r"(?:^|\s)(persons|places|organisations|events)\.xml#(\S+)", value):
                pointed.setdefault(m.group(1), set()).add(m.group(2))
    assert sorted(att) == sorted(["nkidp-114978.xml", *(f"{r}-extract.xml" for r in pointed)])
    for register, ids in pointed.items():
        extract = etree.fromstring(att[f"{register}-extract.xml"][0])
        kept = extract.findall("tei:standOff/*/*", NS)
        assert {el.get("{http://www.w3.org/XML/1998/namespace}id") for el in kept} == ids, register
        whole = etree.parse(str(REPO / "tei" / f"{register}.xml"))
        for el in kept:  # the register's own element, as encoded
            same = whole.find(f".//*[@xml:id='{el.get('{http://www.w3.org/XML/1998/namespace}id')}']", NS)
            assert etree.tostring(el, method="c14n", exclusive=True) == etree.tostring(same, method="c14n", exclusive=True)
        sha = hashlib.sha256((REPO / "tei" / f"{register}.xml").read_bytes()).hexdigest()
        assert extract.findtext(".//tei:sourceDesc/tei:bibl/tei:idno[@type='SHA-256']", namespaces=NS) == sha
    # associated files of the document (PDF/A-3): /AF on the catalog, the source with relationship
    # Source, each extract Supplement with a description saying what it holds
    af = {f.get_object()["/F"]: f.get_object() for f in reader.trailer["/Root"]["/AF"]}
    assert af["nkidp-114978.xml"]["/AFRelationship"] == "/Source"
    assert af["persons-extract.xml"]["/AFRelationship"] == "/Supplement"
    assert af["persons-extract.xml"]["/Desc"].startswith(
        f"TEI P5 extract of the register persons.xml: the {len(pointed['persons'])} persons this document refers to")


def test_metadata_and_pdfa_identification(reader, default_pdf):
    info = reader.metadata
    assert info.title.startswith("Excerpts from V. P. Tkachenko")
    assert info.author == "Editorial Board of the teipress project"  # the editors, not the book's author
    assert "Korean reunification" in reader.metadata.get("/Keywords", "")
    assert info.creation_date.isoformat().startswith("2026-01-01")
    xmp = reader.xmp_metadata
    assert xmp.dc_language == ["en"]
    assert xmp.dc_creator == ["Editorial Board of the teipress project"]
    assert "Excerpts from" in xmp.dc_title["x-default"]
    raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part[>=\"]+3", raw) and re.search(r"pdfaid:conformance[>=\"]+A", raw)
    assert re.search(r"pdfuaid:part[>=\"]+1", raw)
    assert "2026-01-01" in raw
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert len(reader.outline) >= 5  # bookmarks for the headings


def test_fonts_embedded(default_pdf):
    out = subprocess.run(["pdffonts", str(default_pdf)], check=True, capture_output=True, text=True).stdout
    rows = out.splitlines()[2:]
    assert rows and all(" yes " in r.split("Identity-H")[-1] or "yes" in r for r in rows)
    for r in rows:
        emb = r.split()[-5]
        assert emb == "yes", r
    assert any("LibertinusSerif" in r for r in rows)


def test_two_builds_are_identical(default_pdf, tmp_path):
    again = build_pdfs(REPO, tmp_path / "again") / "nkidp-114978.pdf"
    assert again.read_bytes() == default_pdf.read_bytes()


def test_screenshots(default_pdf, reader):
    """Chosen pages as PNG under build/screenshots/ for people to look at."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm missing")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    labels = reader.page_labels
    chosen = {"title": 0, "imprint": 1, "contents": 2,
              "text-1": labels.index("1"), "text-2": labels.index("2"),
              "index": len(labels) - 2, "index-last": len(labels) - 1}
    for name, i in chosen.items():
        target = SCREENSHOTS / f"pdf-{name}"
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-singlefile", "-f", str(i + 1), "-l", str(i + 1),
                        str(default_pdf), str(target)], check=True)
        assert target.with_suffix(".png").stat().st_size > 5000


EVIL = '#read("/etc/passwd") ]#[ $x$ \\ * _ @label `code` // not a comment'


def test_tei_text_never_becomes_typst_code(make_edition, tmp_path):
    doc = MINI_DOC.replace("<head>Letter of", f"<head>{EVIL.replace('<', '&lt;')} Letter of")
    doc = doc.replace("wrote from", f"wrote {EVIL} from")
    doc = doc.replace("A note.", f"A note {EVIL}.")
    root = make_edition(doc=doc)
    pdf = build_pdfs(root, tmp_path / "out") / "mini.pdf"
    text = pdftotext(pdf)
    flat = " ".join(text.replace("\u00ad\n", "").split())
    assert flat.count('#read("/etc/passwd") ]#[ $x$ \\ * _ @label `code` // not a comment') >= 3, flat
    assert "root:x:0" not in text and "/bin/" not in text


def test_typst_sees_only_its_sandbox(make_edition, tmp_path, monkeypatch):
    """The template's folder holds the template, the data and the attachments; nothing else."""
    from teipress.outputs import pdf as pdf_mod

    seen = {}
    real = pdf_mod.compile_pdf

    def spy(workdir, *a, **kw):
        seen["files"] = sorted(p.relative_to(workdir).as_posix() for p in workdir.rglob("*") if p.is_file())
        return real(workdir, *a, **kw)

    monkeypatch.setattr(pdf_mod, "compile_pdf", spy)
    build_pdfs(make_edition(), tmp_path / "out")
    assert set(seen["files"]) == {"apparatus.typ", "back.typ", "body.typ", "data.json", "edition.typ", "front.typ",
                                  "margin.typ", "mathml.typ", "behaviours.typ", "model.xml", "style.typ", "files/mini.xml", "files/persons-extract.xml"}


SEPARATE = {"lb", "l", "p", "ab", "head", "addrLine", "address", "closer", "opener", "dateline", "salute",
            "signed", "item", "label", "cell", "row", "speaker", "stage", "sp", "div", "postscript"}


def _corpus_edition(tmp_path: Path, src: Path) -> Path:
    root = tmp_path / "corpus-edition"
    (root / "tei").mkdir(parents=True)
    shutil.copy(src, root / "tei" / src.name)
    return root


@pytest.mark.parametrize("rel", [
    "letters/schnitzler-briefe",
    "dracor/rusdracor",
])
def test_other_edition_builds_with_all_its_text(shared, tmp_path, rel):
    files = sorted((shared / "corpora" / rel).glob("*.xml"))
    if not files:
        pytest.skip(f"no corpus files in {rel}")
    src = min(files, key=lambda p: p.stat().st_size)  # the smallest: keeps the suite quick
    root = _corpus_edition(tmp_path, src)
    ed = edition_mod.load(root)
    doc = ed.documents[0]
    out = build_pdfs(root, tmp_path / "out")
    pdf = out / f"{doc.id}.pdf"
    got = set(tokens(pdftotext(pdf)))
    body = etree.fromstring(etree.tostring(doc.root.find("tei:text", NS)))
    for el in [e for e in body.iter() if isinstance(e.tag, str) and back_register_list(e)]:
        el.clear(keep_tail=True)  # a letter's register lists feed the registers, not the text
    for el in body.iter():  # line and block boundaries separate words in print
        if isinstance(el.tag, str) and etree.QName(el).localname in SEPARATE:
            el.tail = " " + (el.tail or "")
            el.text = " " + (el.text or "")
    want = set(tokens(plain(body)))
    missing = sorted(want - got)
    assert not missing, f"{src.name}: {len(missing)} words missing, e.g. {missing[:10]}"


def test_blank_recto_fillers_carry_no_number_or_head(default_pdf, reader):
    # Pages left empty so that a part opens on a recto: nothing at all on them.
    texts = [pdftotext(default_pdf, "-f", str(i), "-l", str(i)).strip() for i in range(1, len(reader.pages) + 1)]
    for i, text in enumerate(texts, start=1):
        assert not re.fullmatch(r"[ivxlc\d]+", text), f"page {i} holds only a page number"
    assert "" in texts  # the default edition has such a page (after the contents)


def test_division_without_printed_heading_is_in_contents_and_bookmarks(default_pdf, reader):
    # The excerpt of p. 26 has no heading in the source; the editors date it in a note.
    titles = _outline_titles(reader)
    assert "c. 8 October 1971" in titles
    contents = pdftotext(default_pdf, "-f", "3", "-l", "3")
    assert "c. 8 October 1971" in contents


def _outline_titles(reader: PdfReader) -> list[str]:
    titles: list[str] = []

    def walk(items):
        for it in items:
            if isinstance(it, list):
                walk(it)
            else:
                titles.append(it.title)

    walk(reader.outline)
    return titles


def test_contents_and_bookmarks_are_labels_without_the_heads_trailing_colon(default_pdf, reader):
    # The source's head "[Materials from 17 June 1960 … Published for the first time]:" leads into
    # the text with a colon; the text keeps it, the contents and the bookmarks do not.
    titles = _outline_titles(reader)
    first = next(t for t in titles if t.startswith("[Materials from 17 June 1960"))
    assert first.endswith("Published for the first time]"), first
    assert "author’s archive" in first  # typographic apostrophe, as in the text
    assert not any(t.rstrip().endswith(":") for t in titles), titles
    contents = " ".join(pdftotext(default_pdf, "-f", "3", "-l", "3").replace("\u00ad\n", "").split())
    assert "Published for the first time]:" not in contents
    assert "Published for the first time]" in contents
    # the text itself still prints the head as the source gives it
    body = " ".join(pdftotext(default_pdf, "-f", "5").replace("\u00ad\n", "").split())
    assert "Published for the first time]:" in body


def test_title_page_sets_the_book_title_in_italics(default_pdf):
    """The book's title within the editors' title is italic on the title page, as on the web page
    (defect 22 of the scholarly review): the runs of page i by font."""
    runs = []
    PdfReader(str(default_pdf)).pages[0].extract_text(
        visitor_text=lambda t, cm, tm, font, size: t.strip() and runs.append(
            (str((font or {}).get("/BaseFont", "")), t)))
    first = next(i for i, (f, _t) in enumerate(runs) if "Italic" in f)
    last = next(i for i in range(first, len(runs)) if "Italic" not in runs[i][0])
    assert " ".join("".join(t for _f, t in runs[first:last]).split()) == "The Korean Peninsula and Russia’s Interests"
    assert "Excerpts from V. P. Tkachenko" in runs[first - 1][1] and runs[last][1].startswith(": Soviet–North Korean")


def test_front_matter_has_typographic_apostrophes_as_the_text(default_pdf, make_edition, tmp_path):
    # Title page and imprint print strings of data.json; they follow the text's rule (clean()).
    front = pdftotext(default_pdf, "-f", "1", "-l", "2")
    assert "Russia\u2019s Interests" in front
    assert not re.search(r"\w'\w", front), "a typewriter apostrophe in the front matter"
    # a quotation in single quotes opens with an opening mark, so that the pair matches
    assert "Tkachenko \u2018The Korean Peninsula" in front
    # other editions too: the title, its publisher and responsibility; the '60s keep an apostrophe
    root = make_edition(replace=[("<title>A mini edition</title>", "<title>The editor's 'mini' edition of the '60s</title>"),
                                 ("<publisher>teipress tests</publisher>", "<publisher>Editors' press</publisher>")])
    pdf = build_pdfs(root, tmp_path / "out") / "mini.pdf"
    title = " ".join(pdftotext(pdf, "-f", "1", "-l", "2").split())
    assert "The editor\u2019s \u2018mini\u2019 edition of the \u201960s" in title, title
    assert "Editors\u2019 press" in title.replace("EDITORS", "Editors"), title
    assert "'" not in title, title


def test_imprint_transcribes_the_archives_citation_as_given(default_pdf):
    # "The source cites itself as": the archive's words, its staging address and "Mosow" included;
    # the source record gives the canonical address.
    imprint = " ".join(pdftotext(default_pdf, "-f", "2", "-l", "2").replace("\u00ad\n", "").split())
    cited = imprint.split("The source cites itself as", 1)[1].split("Printed original", 1)[0]
    assert "(Mosow, Vostochnaya" in cited, cited
    assert "https://wilson-center.drivingcreative.com/document/114978" in cited.replace(" ", ""), cited
    assert "digitalarchive" not in cited
    record = imprint.split("Source record", 1)[1].split("The source cites itself as", 1)[0]
    assert "https://digitalarchive.wilsoncenter.org/document/114978" in record.replace(" ", "")


def _text_by_language(pdf: Path) -> dict[str, str]:
    """The text shown inside marked content with a /Lang (the innermost one), by language."""
    out: dict[str, list[str]] = {}
    for page in PdfReader(pdf).pages:
        stack: list[str | None] = []

        def before(op, args, cm, tm):
            if op == b"BDC":
                props = args[1] if len(args) > 1 and hasattr(args[1], "get") else {}
                lang = props.get("/Lang")
                stack.append(None if lang is None else getattr(lang, "original_bytes", str(lang).encode()).decode("latin-1"))
            elif op == b"BMC":
                stack.append(None)
            elif op == b"EMC" and stack:
                stack.pop()

        def shown(t, cm, tm, font, size):
            lang = next((x for x in reversed(stack) if x), None)
            if lang:
                out.setdefault(lang, []).append(t)

        page.extract_text(visitor_operand_before=before, visitor_text=shown)
    return {k: re.sub(r"\u00ad\s*", "", "".join(v)) for k, v in out.items()}


def test_russian_words_are_tagged_with_their_language(default_pdf):
    # foreign xml:lang="ru-Latn" in the text and the book's Russian title (Cyrillic and
    # transliterated) in the imprint: /Lang (ru), as the HTML's lang attributes
    russian = " ".join(_text_by_language(default_pdf).get("ru", "").split())
    for words in ("sderzhivat\u2019", "otvetstvennyy", "Корейский полуостров и интересы России",
                  "Koreiskii poluostrov i interesy Rossii", "Koreiskii Poluostrov i interesi Rossii"):
        assert words in russian, (words, russian)
    assert "Russia" not in russian and "Moscow" not in russian


def test_documents_typeset_in_worker_processes_equal_one_by_one(make_edition, tmp_path, monkeypatch):
    """With several documents, forked workers (one per core) each prepare and typeset whole
    documents (pdf.in_workers): the PDFs are those of one process, byte for byte, and what a
    worker says (a warning, the documents typeset) reaches the build's log."""
    from teipress import workers
    from teipress.commands import build as build_mod

    extra = {f"copy{i}.xml": MINI_DOC.replace('xml:id="', f'xml:id="c{i}-').replace('"#ed"', f'"#c{i}-ed"')
             for i in range(4)}
    # a character no font has: printed as a white square, and a warning says where
    extra["copy2.xml"] = extra["copy2.xml"].replace("wrote from", "wrote \U00010600 from")
    root = make_edition(extra=extra)
    preparers = tmp_path / "preparers"
    real_prepare = pdf.prepare

    def prepare(ctx, doc, workdir, *a, **k):
        with open(preparers, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()}\n")
        return real_prepare(ctx, doc, workdir, *a, **k)

    monkeypatch.setattr(pdf, "prepare", prepare)
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)  # an earlier test's idle thread
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    logs, pids = {}, {}
    for jobs in ("1", "2"):
        monkeypatch.setenv("TEIPRESS_JOBS", jobs)
        preparers.write_text("")
        logs[jobs] = []
        build_mod.build(root, tmp_path / jobs, only={"pdf"}, log=logs[jobs].append)
        pids[jobs] = set(preparers.read_text().split())
    assert pids["1"] == {str(os.getpid())}
    assert workers.forks(5, pdf.PARALLEL_FROM, 2)
    assert len(pids["2"]) in (1, 2) and str(os.getpid()) not in pids["2"]  # prepared in the workers
    one, two = tmp_path / "1" / "pdf", tmp_path / "2" / "pdf"
    names = sorted(p.name for p in one.iterdir())
    assert len(names) == 5 and names == sorted(p.name for p in two.iterdir())
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    for jobs in ("1", "2"):
        said = [line.strip() for line in logs[jobs]]
        assert sorted(x for x in said if re.fullmatch(r"pdf [\w-]+", x)) == sorted(f"pdf {n[:-4]}" for n in names)
        [warning] = [x for x in said if "U+10600" in x]
        assert re.search(r"copy2\.xml:\d+: warning: no font of the PDF has U\+10600", warning), warning


def test_note_label_is_the_models_as_in_the_html(tmp_path, monkeypatch):
    """D4: an edition made by `teipress init` calls its `editorial` notes "Note of the editors"
    (note-types taxonomy); the PDF prints the label the model gives, as the HTML does."""
    from lxml import html as lxml_html

    from teipress.commands import init

    root = tmp_path / "ed"
    init.create(root, "Letters", today="2026-01-01")
    build_edition(root, tmp_path / "out", only={"pdf", "html"})
    page = lxml_html.parse(str(tmp_path / "out" / "html" / "documents" / "letters.html")).getroot()
    meta = [" ".join(m.text_content().split()) for m in page.find_class("tp-note-meta")]
    assert meta and meta[0].startswith("Note of the editors")
    flat = " ".join(pdftotext(tmp_path / "out" / "pdf" / "letters.pdf").split())
    assert "Note of the editors: Notes say who wrote them." in flat, flat
    assert "Editors’ note" not in flat


PAGE_BREAKS = """<pb n="7"/><pb n="9"/>
      <div type="letter" xml:id="d0"><p>Before the letter.</p><pb n="10"/>
        <list><item>An item.</item></list><pb n="11"/>
        <table><row><cell>A cell.</cell></row></table><pb n="12"/>
        <figure><figDesc>A map.</figDesc></figure><pb n="13"/>
      </div><pb n="14"/>
      <div type="letter" xml:id="d1">"""


def _margin_marks(pdf: Path) -> list[str]:
    return sorted(re.findall(r"\[pp?\. ([^\]]+)\]", pdftotext(pdf)))


def test_every_source_page_break_is_in_the_margin(make_edition, tmp_path):
    """A page break before a division, a list, a table or a figure, and several in a row (pages
    an excerpt leaves out), each print their page reference beside the text."""
    root = make_edition(doc=MINI_DOC.replace('<div type="letter" xml:id="d1">', PAGE_BREAKS))
    pdf = build_pdfs(root, tmp_path / "out") / "mini.pdf"
    assert _margin_marks(pdf) == sorted(["7", "9", "10", "11", "12", "13", "14"])


def test_frus_prints_every_source_page(shared, tmp_path):
    src = shared / "corpora" / "frus" / "frus1961-63v22-excerpt" / "frus1961-63v22-excerpt.xml"
    if not src.is_file():
        pytest.skip("FRUS excerpt missing")
    root = _corpus_edition(tmp_path, src)
    doc = edition_mod.load(root).documents[0]
    pdf = build_pdfs(root, tmp_path / "out") / f"{doc.id}.pdf"
    want = sorted(pb.get("n") for pb in doc.root.iterfind(".//tei:text//tei:pb", NS))
    assert len(want) > 10 and _margin_marks(pdf) == want


def test_running_heads_name_the_division_current_on_each_page(make_edition, tmp_path):
    """Each page's head asks Typst only for the divisions around its place (edition.typ): each
    recto names the division current on it, each verso the document, and a page a division
    opens at the top has no head (its heading says it)."""
    words = " ".join(f"word{i}" for i in range(120))
    divs = "".join(
        f'<div type="section" xml:id="s{k}"><head>Section {name}</head>'
        + "".join(f'<p xml:id="s{k}p{i}">{name} {words}.</p>' for i in range(12)) + "</div>"
        for k, name in enumerate(["Alpha", "Beta", "Gamma"]))
    doc = re.sub(r'<div type="letter".*?</div>', divs, MINI_DOC, flags=re.S)
    pdf = build_pdfs(make_edition(doc=doc), tmp_path / "out") / "mini.pdf"
    n = len(PdfReader(pdf).pages)
    first = {}  # division → the first page its text is on
    heads = {}
    for i in range(1, n + 1):
        lines = [x.strip() for x in pdftotext(pdf, "-f", str(i), "-l", str(i)).splitlines() if x.strip()]
        for name in ("Alpha", "Beta", "Gamma"):
            if any(x.startswith(f"{name} word0") for x in lines):
                first.setdefault(name, i)
        heads[i] = lines[0] if lines else ""
    assert sorted(first, key=first.get) == ["Alpha", "Beta", "Gamma"]
    body = [i for i in range(first["Alpha"], n + 1) if i not in first.values()]
    checked = 0
    for i in body:
        current = max((name for name in first if first[name] <= i), key=first.get, default=None)
        if heads[i].startswith(("Editorial principles", "Index")):
            break  # the back matter
        if current is None or not heads[i]:
            continue
        if i % 2:
            assert heads[i].casefold() == f"section {current}".casefold(), (i, heads[i])
        else:
            assert heads[i].casefold() == "a mini edition", (i, heads[i])
        checked += 1
    assert checked >= 6
    for name, page in first.items():  # the page a division opens carries its heading, not a head
        assert not heads[page].casefold().startswith("section") or heads[page].casefold() == f"section {name}".casefold()


STRESS_BODY = '''<div type="section" xml:id="sx"><head>Liber<pb n="3"/> primus<note xml:id="hn">Head note<pb n="4"/> here.</note></head>
<p xml:id="q1"><pb n="5"/><note xml:id="q1n">At start.</note>Arma virumque<pb n="6"/><note xml:id="q1m">After pb.</note> cano<note xml:id="q1o">Note with <pb n="7"/> a break <ref target="https://example.org">and a link</ref>.</note>.</p>
<p xml:id="q2">Text <fw type="header">Fw <note xml:id="fwn">in fw</note></fw> more<lb/><pb n="8"/> text.</p>
<lg xml:id="lg1"><l xml:id="l1">Verse<pb n="9"/><note xml:id="ln">verse note</note></l><l xml:id="l2"><pb n="10"/>Second<note xml:id="ln2">n</note></l></lg>
<list xml:id="li"><label>Lab<note xml:id="lbn">label note</note></label><item>Item<pb n="11"/><note xml:id="itn">item note</note></item></list>
<table xml:id="tb"><row role="label"><cell>H<note xml:id="tcn">cell note</note></cell><cell>H2</cell></row><row><cell>a<pb n="12"/></cell><cell>b</cell></row></table>
<quote xml:id="qt"><p xml:id="qp">Quoted<pb n="13"/><note xml:id="qn">q note</note> text</p></quote>
<p xml:id="q3"><choice><sic>teh</sic><corr>the<note xml:id="cn">corr note</note></corr></choice> <choice><abbr>Dr.</abbr><expan>Doctor<pb n="14"/></expan></choice> <hi rend="underline">under<note xml:id="un">u</note><pb n="15"/></hi></p>
<figure xml:id="fg"><head>Fig<note xml:id="fgn">fig note</note></head><figDesc>Desc<note xml:id="fdn">desc note</note></figDesc></figure>
<p xml:id="q4"><milestone unit="card" n="10"/>Card<note xml:id="mcn">m</note><gap/><note xml:id="gn">after gap</note></p>
</div>'''


def test_footnotes_and_margin_page_numbers_together_everywhere_pass_pdf_ua(make_edition, tmp_path):
    """Footnotes (links, for PDF/UA) beside and inside margin page numbers, in headings, notes,
    verse, lists, tables, quotations, readings, decorated text, forme work and figures: PDF/UA-1
    refuses a link inside an artifact, and the template must never make one."""
    doc = re.sub(r'<div type="letter".*?</div>', STRESS_BODY, MINI_DOC, flags=re.S)
    pdf = build_pdfs(make_edition(doc=doc), tmp_path / "out") / "mini.pdf"
    text = pdftotext(pdf)
    for n in (3, 4, 7, 8, 9, 10, 11, 12, 13):  # (two breaks on one line share a place in the margin)
        assert f"[p. {n}]" in text, n
    for words in ("At start.", "verse note", "cell note", "desc note", "after gap"):
        assert words in text, words

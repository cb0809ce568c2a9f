"""The critical apparatus (issue 14): the lemma is the text, the readings are the apparatus.

An edition of critical texts written here (verse long enough for several PDF pages, prose with
location-referenced apps, readings in groups, omissions, lacunae, notes on readings, a list of
witnesses with sigla), built once to HTML and PDF; and, with ../shared, Propertius 1.15 of the
Digital Latin Library and the Yasna collation of the TEI test files.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html

import retention
from teipress.cli import main

TEI_NS = "http://www.tei-c.org/ns/1.0"

WITNESSES = """<listWit>
  <listWit><head>Manuscripts</head>
    <witness xml:id="A"><label>A</label>codex Alpha, s. ix</witness>
    <witness xml:id="B" n="B">codex Beta, s. xi</witness>
  </listWit>
  <witness xml:id="C">codex Gamma, s. xv (fragmentary)</witness>
</listWit>
<listBibl><bibl xml:id="bentley" n="Bentley">R. Bentley, conjectures (1711)</bibl>
  <bibl xml:id="unused" n="Unused">Never cited</bibl></listBibl>"""

HEAD = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>{title}</title>
</titleStmt><publicationStmt><p>Test.</p></publicationStmt><sourceDesc>{sources}</sourceDesc>
</fileDesc></teiHeader><text><body>{body}</body></text></TEI>"""

N_LINES = 90


def verse_line(n: int) -> str:
    """Line n: words of its own, so that each can be found on its page."""
    if n % 3:
        return f'<l n="{n}">versus{n} alpha{n} omega{n}</l>'
    return (f'<l n="{n}">versus{n} alpha{n} <app><lem wit="#A">lemma{n}</lem><rdg wit="#B">varia{n}</rdg>'
            f'<rdg wit="#C"/></app> omega{n}</l>')


VERSE = "<div><head>Carmen</head><lg>" + "".join(verse_line(n) for n in range(1, 31)) + """
  <l n="31">primus <app><lem wit="#A #B">dolor</lem><rdgGrp wit="#C"><rdg>color</rdg><rdg>calor</rdg></rdgGrp>
    <rdg xml:id="r-bentley" source="#bentley">labor</rdg><note target="#r-bentley">fortasse recte</note>
    <note>totus locus obscurus</note></app> venit</l>
  <app><lem source="#bentley"><l n="32">insiticius versus tricesimus secundus</l><l n="33">insiticius alter tertius</l></lem>
    <rdg wit="#A #B"/><witDetail wit="#A" target="#x">in margine</witDetail></app>
  <l n="34">nihil<app><lem/><rdg wit="#B"> addendum</rdg></app> hic</l>
  <l n="35">hic <app><lem wit="#A #B">incipit</lem><rdg wit="#C"><lacunaStart/></rdg></app> lacuna</l>
  <l n="36">et <app><lem wit="#A">finit</lem><rdg wit="#B">desinit</rdg><rdg wit="#C"><witStart/>finit</rdg></app> hic</l>
""" + "".join(verse_line(n) for n in range(37, N_LINES + 1)) + "</lg></div>"

PROSE = """<div><p>Prima sententia <app><lem wit="#A">recta</lem><rdg wit="#B">prava</rdg></app> est.</p>
  <p>Secunda <seg xml:id="w1">vox</seg> et <seg xml:id="w2">altera</seg> sequuntur.</p>
  <ab type="apparatus"><app from="#w1"><rdg wit="#A">vox</rdg><rdg wit="#B">vocula</rdg></app>
    <app from="#w2" to="#w2"><rdg wit="#A #B">altera</rdg><rdg wit="#C">aliena</rdg></app></ab>
  <p>Tertia<note>Nota cum <app><lem wit="#A">lectione</lem><rdg wit="#B">lectura</rdg></app> varia.</note> finis.</p>
  <p>Quarta <anchor xml:id="a1"/>navis<anchor xml:id="a2"/> venit.</p>
  <app from="#a1" to="#a2"><lem wit="#A">navis</lem><rdg wit="#B">ratis</rdg></app></div>"""


def prose_paragraph(k: int) -> str:
    """A paragraph of short words that are never hyphenated, an app on every twelfth."""
    words = []
    for i in range(k * 100, k * 100 + 100):
        words.append(f'<app><lem wit="#A">L{i}</lem><rdg wit="#B">R{i}</rdg></app>' if i % 12 == 5 else f"v{i}")
    return "<p>" + " ".join(words) + ".</p>"


ORATIO = "<div>" + "".join(prose_paragraph(k) for k in range(12)) + "</div>"

DOCS = {"carmen": ("Carmen", WITNESSES, VERSE), "prosa": ("Prosa", WITNESSES, PROSE),
        "oratio": ("Oratio", WITNESSES, ORATIO)}


def build(root: Path) -> str:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        r = CliRunner().invoke(main, ["build", str(root), "--no-validate", "--only", "html", "--only", "pdf"],
                               catch_exceptions=False)
    assert r.exit_code == 0, r.output[-3000:]
    return r.output


@pytest.fixture(scope="module")
def critical(tmp_path_factory):
    root = tmp_path_factory.mktemp("critical")
    (root / "tei").mkdir()
    for name, (title, sources, body) in DOCS.items():
        (root / "tei" / f"{name}.xml").write_text(HEAD.format(title=title, sources=sources, body=body),
                                                   encoding="utf-8")
    build(root)
    return root


@pytest.fixture(scope="module")
def shared_critical(shared, tmp_path_factory):
    root = tmp_path_factory.mktemp("shared-critical")
    (root / "tei").mkdir()
    for rel in ("apparatus/propertius-1-15.xml", "tei-tests/testapp2.xml"):
        shutil.copy(shared / "corpora" / rel, root / "tei")
    build(root)
    return root


def page(root: Path, doc: str):
    return lxml_html.parse(str(root / "build" / "html" / "documents" / f"{doc}.html")).getroot()


def words(text: str) -> list[str]:
    return retention.tokens(text)


# What the running text may hold besides the TEI's words: our labels, line numbers, markers.
NOT_TEXT = {"tp-vh", "tp-lnum", "tp-pb", "tp-permalink", "tp-noteref"}


def running_text(doc) -> str:
    parts: list[str] = []

    def walk(el):
        classes = set((el.get("class") or "").split())
        if classes & NOT_TEXT:
            parts.append(el.tail or "")
            return
        block = el.tag in ("div", "p", "section", "h2", "h3", "li")
        parts.append(" " if block else "")
        parts.append(el.text or "")
        for c in el:
            walk(c)
        parts.append(" " if block else "")
        parts.append(el.tail or "")

    walk(doc.xpath("//*[@class='tp-text']")[0])
    return "".join(parts)


def lemma_text(tei: Path) -> str:
    """The TEI's text as the edition reads it: readings, notes and apps without a lemma left out."""
    text = etree.parse(str(tei)).getroot().find(f"{{{TEI_NS}}}text")
    for el in text.xpath(".//t:rdg | .//t:rdgGrp | .//t:note | .//t:witDetail | .//t:app[not(t:lem) or @from]",
                         namespaces={"t": TEI_NS}):
        parent, prev = el.getparent(), el.getprevious()
        if el.tail:  # the text after it belongs to the running text
            if prev is not None:
                prev.tail = (prev.tail or "") + " " + el.tail
            else:
                parent.text = (parent.text or "") + " " + el.tail
        parent.remove(el)
    return " ".join(text.itertext())


def entries(doc) -> dict[str, object]:
    return {li.get("id"): li for li in doc.xpath("//li[contains(@class, 'tp-app')]")}


# ---- the model

def test_the_model_keeps_lemma_and_readings_apart(critical):
    from teipress import edition, model

    ed = edition.load(critical)
    doc = next(d for d in ed.documents if d.id == "carmen")
    tree = model.behaviour(ed, doc)
    m = model.M
    apps = tree.findall(".//m:app", model.M)
    assert len(apps) == 30 // 3 + 5 + (N_LINES - 36) // 3  # every third line, and lines 31–36's five
    first = apps[0]
    assert first.get("at") == "3" and first.get("kind") == "inline" and first.get("unit") == "line"
    assert first.findtext("m:lemma", namespaces=m) == "lemma3"
    variants = first.findall("m:entry/m:variant", model.M)
    assert [v.get("wit") for v in variants] == ["B", "C"] and variants[1].get("om") == "true"
    sig = first.find("m:entry/m:variant/m:siglum", model.M)
    assert sig.get("kind") == "witness" and sig.text == "B" and sig.get("listed") == "true"
    lines = next(a for a in apps if a.get("kind") == "lines")
    assert lines.get("at") == "32–33"
    # a reading group's witnesses are its readings'; a note on one reading follows it
    grp = next(a for a in apps if a.get("at") == "31")
    rdgs = grp.findall("m:entry/m:variant", model.M)
    assert [(r.text, r.get("wit"), r.get("source")) for r in rdgs] == [
        ("color", "C", None), ("calor", "C", None), ("labor", None, "bentley")]
    assert rdgs[2].findtext("m:app-note", namespaces=m) == "fortasse recte"
    assert grp.findtext("m:entry/m:app-note", namespaces=m) == "totus locus obscurus"
    assert rdgs[2].find("m:siglum", model.M).text == "Bentley"
    # a lacuna and a witness's beginning are marks of the reading
    lac = next(a for a in apps if a.get("at") == "35")
    assert lac.find(".//m:variant/m:inline[@style='witness-mark']", model.M).text == "lacuna begins"
    # the conspectus: groups, sigla from label, @n, xml:id; only the sources readings cite
    wits = tree.find(".//m:metadata/m:witnesses", model.M)
    assert [(w.get("ref"), w.get("siglum")) for w in wits.iter(f"{{{model.M['m']}}}witness")] == [
        ("A", "A"), ("B", "B"), ("C", "C"), ("bentley", "Bentley")]


def test_a_location_referenced_app_is_keyed_to_its_paragraph(critical):
    from teipress import edition, model

    ed = edition.load(critical)
    tree = model.behaviour(ed, next(d for d in ed.documents if d.id == "prosa"))
    apps = tree.findall(".//m:app", model.M)
    assert [(a.get("kind"), a.get("at")) for a in apps] == [("inline", "¶ 1"), ("apparatus", "¶ 2"), ("apparatus", "¶ 2"),
                                                          ("inline", "¶ 3"), ("apparatus", "¶ 4")]  # the block of apps is no paragraph
    para = tree.findall(".//m:text//m:paragraph", model.M)[1]
    assert apps[1].get("target") == para.get("id")


# ---- HTML

def test_the_running_text_is_the_lemma_text(critical):
    for doc in DOCS:
        tei = critical / "tei" / f"{doc}.xml"
        assert words(running_text(page(critical, doc))) == words(lemma_text(tei)), doc


def test_every_reading_and_siglum_is_in_the_apparatus(critical):
    doc = page(critical, "carmen")
    found = entries(doc)
    assert len(found) == 33
    text = {k: re.sub(r"\s+", " ", "".join(li.itertext())).strip() for k, li in found.items()}
    joined = "\n".join(text.values())
    for n in range(3, N_LINES + 1, 3):
        if n > 30 and n < 37:
            continue
        assert re.search(rf"^Line {n} lemma{n} A\]\s*varia{n} B; om\. C$", joined, re.M), n
    assert re.search(r"Line 31 dolor A B\] color C; calor C; labor Bentley fortasse recte totus locus obscurus", joined)
    assert re.search(r"Line 32–33 Bentley\] om\. A B", joined)
    assert re.search(r"Line 35 incipit A B\] lacuna begins C", joined)
    assert re.search(r"Line 36 finit A\] desinit B; text begins finit C", joined)
    # every siglum links to its witness in the list of witnesses on the page
    ids = set(doc.xpath("//@id"))
    links = doc.xpath("//a[contains(@class, 'tp-siglum')]/@href")
    assert links and all(h.startswith("#tp-wit-") and h[1:] in ids for h in links)
    conspectus = doc.xpath("//section[contains(@class, 'tp-witnesses-section')]")[0]
    listed = [re.sub(r"\s+", " ", dt.text_content()) for dt in conspectus.iter("dt")]
    assert listed == ["A", "B", "C", "Bentley"]
    assert "Manuscripts" in conspectus.text_content() and "Never cited" not in conspectus.text_content()


def test_an_entry_links_to_its_lemma(critical):
    doc = page(critical, "carmen")
    for li in entries(doc).values():
        href = li.xpath(".//a[contains(@class, 'tp-app-key')]/@href")[0]
        target = doc.get_element_by_id(href[1:])
        assert "tp-lemma" in target.get("class")
        # the line the entry is keyed to shows its number
        key = re.sub(r"\s+", " ", li.xpath(".//a[contains(@class, 'tp-app-key')]")[0].text_content()).split()[-1]
        line = target.xpath("ancestor-or-self::div[@class='tp-l'][1] | .//div[@class='tp-l'][1]")[0]
        if li.get("data-kind") == "inline":
            assert line.xpath("string(span[@class='tp-lnum'])") == key.split("–")[0], key
    prose = page(critical, "prosa")
    keys = [li.xpath(".//a[contains(@class, 'tp-app-key')]")[0] for li in entries(prose).values()]
    assert [re.sub(r"\s+", " ", k.text_content()).strip() for k in keys] == ["Paragraph ¶ 1", "Paragraph ¶ 2", "Paragraph ¶ 2",
                                                                             "Paragraph ¶ 3", "Paragraph ¶ 4"]
    # a double end-point app: its lemma repeats the text between the anchors, in the entry only
    entry = re.sub(r"\s+", " ", list(entries(prose).values())[-1].text_content())
    assert "¶ 4 navis A] ratis B" in entry and words(running_text(prose)).count("navis") == 1
    assert prose.get_element_by_id(keys[1].get("href")[1:]).tag == "p"


def test_each_word_once_in_both_outputs(critical):
    for doc in DOCS:
        m = retention.Measure(critical / "tei" / f"{doc}.xml")
        for kind, seq in (("HTML", m.html(critical / "build" / "html" / "documents" / f"{doc}.html")),
                          ("PDF", m.pdf(critical / "build" / "pdf" / f"{doc}.pdf"))):
            ratio, gaps, twice = m.score(seq)
            assert ratio == 1.0 and not twice, (doc, kind, gaps, twice)
        # the readings are apparatus, not text: the HTML's running text has none of them
        assert "varia3" not in words(running_text(page(critical, doc)))


# ---- PDF

def pdf_pages(pdf: Path) -> list[str]:
    first, last = retention.text_pages(pdf)
    out = subprocess.run(["pdftotext", "-layout", "-f", str(first + 1), "-l", str(last), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return out.split("\f")


pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")


def printed_numbers(lines: list[str]) -> set[str]:
    """The line numbers printed in the margins: a number before a line (rectos) or after it (versos)."""
    out = set()
    for s in lines:
        for m in (re.match(r"^\s*(\d+)\s{2,}\S", s), re.search(r"\S\s{2,}(\d+)\s*$", s), re.match(r"^\s*(\d+)\s*$", s)):
            if m:
                out.add(m.group(1))
    return out


ENTRY = re.compile(r"^\s*(\d+)(?:–\d+)?\s+\S.*(\]|\bom\.)")


@pdftotext
def test_pdf_pages_carry_their_apparatus_keyed_to_printed_line_numbers(critical):
    pages = pdf_pages(critical / "build" / "pdf" / "carmen.pdf")
    assert len(pages) >= 3
    seen = 0
    for text in pages:
        lines = text.splitlines()
        first = next((i for i, s in enumerate(lines) if ENTRY.match(s)), None)
        if first is None:
            continue
        # every entry below the text begins with its line number ("34 addendum B" has no bracket)
        entry_at = [i for i, s in enumerate(lines) if i >= first and re.match(r"^\s*\d+(–\d+)?\s+\S", s)]
        body = lines[:entry_at[0]]
        printed = printed_numbers(body)
        for i in entry_at:
            n = re.match(r"^\s*(\d+)", lines[i]).group(1)
            assert n in printed, (n, text)  # the entry's line is on this page, its number printed beside it
            if re.match(rf"^\s*{n}\s+lemma{n}", lines[i]):
                assert re.search(rf"\blemma{n}\b", "\n".join(body)), n
                assert re.search(rf"lemma{n} A\] varia{n} B; om\. C", lines[i])
            seen += 1
        # the entries stand below the text: no verse after the first entry
        assert not any(re.search(r"\bversus\d+\b", s) for s in lines[entry_at[0]:])
    assert seen == 33


@pdftotext
def test_prose_is_keyed_by_the_printed_line_of_its_page(critical):
    """Prose: the lines of each page numbered (every fifth printed), each entry keyed by the
    line of its page where its lemma stands, at the foot of that page."""
    pages = pdf_pages(critical / "build" / "pdf" / "oratio.pdf")
    assert len(pages) >= 3
    seen = set()
    for text in pages:
        lines = [s for s in text.splitlines() if re.search(r"\b[vL]\d+\b", s) and not ENTRY.match(s)]
        entries_ = [m for s in text.splitlines() for m in [re.match(r"^\s*(\d+)\s+L(\d+) A\] R(\d+) B\s*$", s)] if m]
        # the printed numbers count the text lines of the page
        for i, s in enumerate(lines, 1):
            m = re.match(r"^\s*(\d+)\s{2,}[vL]\d", s)
            assert (m is not None) == (i % 5 == 0), (i, s)
            if m:
                assert int(m.group(1)) == i
        for m in entries_:
            key, n = int(m.group(1)), m.group(2)
            assert m.group(3) == n
            where = [i for i, s in enumerate(lines, 1) if re.search(rf"\bL{n}\b", s)]
            assert where == [key], (n, key, where)
            seen.add(n)
    assert len(seen) == 100  # every app of the twelve paragraphs, each on its own page


@pdftotext
def test_an_app_in_a_note_keeps_its_readings_in_the_footnote(critical):
    out = re.sub(r"\s+", " ", " ".join(pdf_pages(critical / "build" / "pdf" / "prosa.pdf")))
    assert "Nota cum lectione (¶ 3 lectione A] lectura B) varia." in out
    # keyed by the printed line of the page: the double end-point app's text is on line 4
    assert re.search(r"(^|\s)2 vox A; vocula B 2 altera A B; aliena C", out) and " 4 navis A] ratis B" in out


@pdftotext
def test_pdf_has_a_conspectus_siglorum(critical):
    out = subprocess.run(["pdftotext", "-layout", str(critical / "build" / "pdf" / "carmen.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    assert "Conspectus siglorum" in out
    assert re.search(r"A\s+codex Alpha, s\. ix", out) and re.search(r"Bentley\s+R\. Bentley", out)


@pdftotext
def test_pdf_footnote_numbers_are_not_taken_by_the_apparatus(tmp_path):
    (tmp_path / "tei").mkdir()
    body = """<p>Verbum <app><lem wit="#A">unum</lem><rdg wit="#B">alterum</rdg></app> et nota<note>Prima nota.</note>.</p>"""
    (tmp_path / "tei" / "n.xml").write_text(HEAD.format(title="N", sources=WITNESSES, body=body), encoding="utf-8")
    build(tmp_path)
    out = " ".join(pdf_pages(tmp_path / "build" / "pdf" / "n.pdf"))
    assert re.search(r"nota1", out) and re.search(r"1\s*Prima nota", out)
    assert re.search(r"(^|\s)1\s+unum A\] alterum B", out)  # prose: keyed by the line of the page


# ---- ../shared: Propertius 1.15 and the Yasna collation

def test_propertius_running_text_is_the_lemma_text(shared_critical):
    tei = shared_critical / "tei" / "propertius-1-15.xml"
    doc = page(shared_critical, "propertius-1-15")
    assert words(running_text(doc)) == words(lemma_text(tei))
    # every reading's words and every siglum in the apparatus
    root = etree.parse(str(tei)).getroot()
    ns = {"t": TEI_NS}
    apparatus = doc.xpath("//section[contains(@class, 'tp-apparatus-section')]")[0]
    app_words = Counter(words(apparatus.text_content()))
    rdg_words = Counter(w for r in root.xpath("//t:text//t:rdg", namespaces=ns) for w in words("".join(r.itertext())))
    assert not rdg_words - app_words
    sigla = {a.text_content() for a in apparatus.xpath(".//*[contains(@class, 'tp-siglum')]")}
    for w in root.xpath("//t:text//t:rdg/@wit | //t:text//t:lem/@wit", namespaces=ns):
        for ref in w.split():
            wit = root.xpath("//t:witness[@xml:id=$i]", namespaces=ns, i=ref.lstrip("#"))[0]
            assert wit.findtext(f"{{{TEI_NS}}}label") in sigla
    assert len(entries(doc)) == len(root.xpath("//t:text//t:app", namespaces=ns)) == 50


@pdftotext
def test_propertius_pdf_keys_its_entries_to_printed_line_numbers(shared_critical):
    pages = pdf_pages(shared_critical / "build" / "pdf" / "propertius-1-15.pdf")
    on_page = 0
    total = 0
    for text in pages:
        # the list of the source's abbreviations after the text is keyed by pages, not lines
        text = re.sub(r"\n(Abbreviations|Spellings|Other readings|Alternative readings)[^\n]*(\n[^\n]*\S[^\n]*)*", "\n", text)
        lines = text.splitlines()
        first = next((i for i, s in enumerate(lines) if ENTRY.match(s)), None)
        if first is None:
            continue
        printed = printed_numbers(lines[:first])
        for s in lines[first:]:
            m = re.match(r"^\s*(\d+)(?:–\d+)?\s+\S", s)
            if m:
                total += 1
                on_page += m.group(1) in printed
    assert total >= 30
    assert on_page == total, (on_page, total)


def test_yasna_collation_keys_words_to_their_lines(shared_critical):
    doc = page(shared_critical, "testapp2")
    found = entries(doc)
    assert len(found) > 40
    first = next(iter(found.values()))
    assert first.get("data-kind") == "apparatus"
    assert doc.get_element_by_id(first.get("data-lemma")).get("class") == "tp-l"
    # lines without @n are numbered by their place in the text: 3 Avestan lines, then 3 Pahlavi
    keys = Counter(re.sub(r"\s+", " ", a.text_content()).strip() for a in doc.xpath("//a[contains(@class, 'tp-app-key')]"))
    assert keys == {"Line 1": 8, "Line 2": 7, "Line 3": 4, "Line 4": 16, "Line 5": 16, "Line 6": 21}
    # the collation's readings are apparatus only: the running text has the words once
    m = retention.Measure(shared_critical / "tei" / "testapp2.xml")
    ratio, gaps, twice = m.score(m.html(shared_critical / "build" / "html" / "documents" / "testapp2.html"))
    assert ratio == 1.0 and not twice

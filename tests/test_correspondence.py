"""Letters: sender, recipient, places and dates from correspDesc; previous/next letter from
correspContext or by date; letters.html by correspondent and year; the CMIF file; the PDF's
letter head.  Small generated editions of several letters, then the Schnitzler and Escher
letters from ../shared."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from sitebuild import broken_links, build_edition, pages, parse
from teipress import edition
from teipress.model import EditionModel
from teipress.model import correspondence as corr
from teipress.outputs import cmif, pdf

TEI = "http://www.tei-c.org/ns/1.0"
T = {"t": TEI}
EPOCH = "1767225600"


def letter(xid: str, title: str, corresp: str, body: str = "Dear friend.") -> str:
    return f"""<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{xid}" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>{title}</title><editor>Erika Editor</editor></titleStmt>
      <publicationStmt><publisher>Letters Project</publisher><date when="2026">2026</date></publicationStmt>
      <sourceDesc><p>Autograph.</p></sourceDesc>
    </fileDesc>
    <profileDesc>{corresp}</profileDesc>
  </teiHeader>
  <text><body><p>{body}</p></body></text>
</TEI>
"""


PERSONS = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="persons">
  <teiHeader><fileDesc><titleStmt><title>Register</title></titleStmt>
    <publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>
  <text><body>
    <listPerson>
      <person xml:id="anna"><persName>Anna Ahlers</persName><idno type="gnd">118540238</idno></person>
      <person xml:id="bert" n="Bert B."><persName>Bert Brandt</persName><idno type="viaf">https://viaf.org/viaf/12345/</idno></person>
    </listPerson>
    <listOrg><org xml:id="acme"><orgName>Acme Society</orgName></org></listOrg>
    <listPlace>
      <place xml:id="vienna"><placeName>Vienna</placeName><idno type="geonames">2761369</idno></place>
      <place xml:id="paris"><placeName>Paris</placeName><idno type="URI">https://www.geonames.org/2988507/paris.html</idno></place>
    </listPlace>
  </body></text>
</TEI>
"""

# Anna → Bert; the editors' next letter is l3 (skipping l2), their previous one lies elsewhere.
L1 = letter("l1", "Anna to Bert, Vienna", """<correspDesc>
  <correspAction type="sent"><persName ref="persons.xml#anna">Anna</persName>
    <placeName ref="persons.xml#vienna">Wien</placeName><date when="1900-01-05">5. Jänner 1900</date></correspAction>
  <correspAction type="received"><persName ref="persons.xml#bert">Bert</persName>
    <placeName ref="persons.xml#paris">Paris</placeName><date notBefore="1900-01-07" notAfter="1900-01-09"/></correspAction>
  <correspContext><ref type="prev" target="https://elsewhere.example/letters/l0.html">earlier</ref>
    <ref type="next" target="l3.xml">next</ref></correspContext>
</correspDesc>""")
# Bert → Anna, both names in one correspAction, told apart by their @type; no correspContext.
L2 = letter("l2", "Bert to Anna", """<correspDesc>
  <correspAction type="sent"><persName key="Bert B." type="sender">Bert</persName>
    <persName ref="persons.xml#anna" type="addressee">Anna</persName><date when="1900-02-01"/></correspAction>
</correspDesc>""")
# An unregistered writer to an organisation; the project's withinCollection/withinCorrespondence refs.
L3 = letter("l3", "Cora to the Acme Society", """<correspDesc>
  <correspAction type="sent"><persName>Cora Castell</persName><date from="1901-03" to="1901-04"/></correspAction>
  <correspAction type="received"><orgName ref="persons.xml#acme">Acme</orgName></correspAction>
  <correspContext>
    <ref type="withinCollection" subtype="previous_letter" target="#l1">Anna to Bert</ref>
    <ref type="withinCorrespondence" subtype="previous_letter" target="l2">Bert to Anna</ref>
    <ref type="belongsToCorrespondence" target="correspondence_1">all</ref>
  </correspContext>
</correspDesc>""")
# Undated, recipient unknown; a date that is not ISO is kept as text only.
L4 = letter("l4", "Anna, undated", """<correspDesc>
  <correspAction type="sent"><persName ref="persons.xml#anna">Anna</persName><date when="19xx">undated</date></correspAction>
</correspDesc>""")
# Not a letter at all.
ESSAY = letter("essay", "An essay", "<abstract><p>Not a letter.</p></abstract>")


def write_letters(root: Path, config: str = 'id = "letters"\ntitle = "Letters"\n') -> Path:
    (root / "tei").mkdir(parents=True, exist_ok=True)
    for name, text in {"l1.xml": L1, "l2.xml": L2, "l3.xml": L3, "l4.xml": L4, "essay.xml": ESSAY,
                       "persons.xml": PERSONS}.items():
        (root / "tei" / name).write_text(text, encoding="utf-8")
    (root / "edition.toml").write_text(config, encoding="utf-8")
    return root


@pytest.fixture
def model(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return EditionModel.build(edition.load(write_letters(tmp_path / "ed")))


def doc(em, xid):
    return next(d for d in em.documents if d.id == xid)


# -- the rules, one at a time --------------------------------------------------------------

def test_roles_directions_and_scopes():
    assert corr.role("sent", "") == "sender" and corr.role("received", "") == "recipient"
    assert corr.role("sent", "addressee") == "recipient" and corr.role("received", "sender") == "sender"
    assert corr.role("forwarded", "") == ""
    assert [corr.direction(t, s) for t, s in [("prev", ""), ("next", ""), ("previous", ""), ("next-in-corresp", ""),
                                              ("withinCollection", "previous_letter"), ("belongsToCorrespondence", "")]] \
        == ["prev", "next", "prev", "next", "prev", ""]
    assert corr.scope("withinCorrespondence", "next_letter") == "correspondence"
    assert corr.scope("previous-in-corresp") == "correspondence"
    assert corr.scope("withinCollection", "next_letter") == corr.scope("next") == "collection"


def test_authority_uris_in_the_forms_correspsearch_knows():
    assert corr.authority_uri("https://d-nb.info/gnd/118609807/") == "http://d-nb.info/gnd/118609807"
    assert corr.authority_uri("118609807", "GND") == "http://d-nb.info/gnd/118609807"
    assert corr.authority_uri("https://www.geonames.org/2761369/vienna.html") == "http://www.geonames.org/2761369"
    assert corr.authority_uri("http://www.hls-dhs-dss.ch/textes/d/D13553.php") == ""
    assert corr.authority_uri("not an id", "gnd") == ""


def test_sender_recipient_places_and_dates(model):
    l1 = doc(model, "l1").correspondence
    assert [(n.name, n.written, n.href) for n in l1.senders] == [("Anna Ahlers", "Anna", "persons.html#anna")]
    assert [n.name for n in l1.recipients] == ["Bert Brandt"]
    assert l1.senders[0].authority == ("http://d-nb.info/gnd/118540238",)
    assert l1.recipients[0].authority == ("http://viaf.org/viaf/12345",)
    assert [(p.name, p.authority) for p in l1.sent_places] == [("Vienna", ("http://www.geonames.org/2761369",))]
    assert l1.received_places[0].authority == ("http://www.geonames.org/2988507",)
    assert (l1.sent.when, l1.sent.label, l1.sent.text) == ("1900-01-05", "5 January 1900", "5. Jänner 1900")
    assert (l1.received.not_before, l1.received.not_after, l1.received.label) == ("1900-01-07", "1900-01-09",
                                                                                   "7–9 January 1900")
    assert l1.summary == "Anna Ahlers to Bert Brandt"
    assert l1.sent_line == "Vienna, 5 January 1900"
    # names told apart by their own @type; a @key resolves like a @ref
    l2 = doc(model, "l2").correspondence
    assert ([n.name for n in l2.senders], [n.name for n in l2.recipients]) == (["Bert Brandt"], ["Anna Ahlers"])
    assert l2.senders[0].href == "persons.html#bert"
    # unregistered names as written; an organisation
    l3 = doc(model, "l3").correspondence
    assert [(n.name, n.href, n.kind) for n in l3.senders] == [("Cora Castell", "", "person")]
    assert [(n.name, n.kind) for n in l3.recipients] == [("Acme Society", "org")]
    assert (l3.sent.value, l3.sent.label) == ("1901-03/1901-04", "March 1901 – April 1901")
    # a date that is not ISO: text only, undated for ordering
    l4 = doc(model, "l4").correspondence
    assert (l4.sent.value, l4.sent.label, l4.year) == ("", "undated", "")
    assert doc(model, "essay").correspondence is None


def test_previous_and_next_from_correspcontext_else_by_date(model):
    assert [d.id for d in model.letters] == ["l1", "l2", "l3", "l4"]  # by date, undated last
    l1, l2, l3, l4 = (doc(model, x).correspondence for x in ("l1", "l2", "l3", "l4"))
    assert l1.prev is None  # the editors' previous letter is not in this edition: nothing before by date
    assert l1.next.id == "l3" and l1.sequence == "editors"  # the editors' sequence, not the dates'
    assert (l2.prev.id, l2.next.id, l2.sequence) == ("l1", "l3", "date")
    assert l3.prev.id == "l1" and l3.prev_in_correspondence.id == "l2" and l3.next.id == "l4"
    assert l4.next is None


def test_targets_name_letters_by_file_id_or_own_url(model):
    seq = corr.Sequence(model.letters, "https://example.org/letters/")
    for target in ("l2", "l2.xml", "#l2", "l2.xml#p1", "https://example.org/letters/documents/l2.html"):
        assert seq.find(target).id == "l2", target
    for target in ("https://elsewhere.example/documents/l2.html", "l9", ""):
        assert seq.find(target) is None, target


def test_correspondents_and_years(model):
    people = corr.correspondents(model.letters)
    got = {c.name.name: ([d.id for d in c.sent], [d.id for d in c.received]) for c in people}
    assert got == {"Anna Ahlers": (["l1", "l4"], ["l2"]), "Bert Brandt": (["l2"], ["l1"]),
                   "Cora Castell": (["l3"], []), "Acme Society": ([], ["l3"])}
    assert [c.name.name for c in people] == ["Acme Society", "Anna Ahlers", "Bert Brandt", "Cora Castell"]
    assert [(y, [d.id for d in ds]) for y, ds in corr.by_year(model.letters)] == \
        [("1900", ["l1", "l2"]), ("1901", ["l3"]), ("", ["l4"])]


def test_one_person_in_several_registers_is_one_correspondent(tmp_path, monkeypatch):
    """Each letter keeping its own list of persons (as the Schnitzler letters do): one xml:id or
    one authority URI is one correspondent."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = tmp_path / "ed"
    (root / "tei").mkdir(parents=True)
    for i, (pid, idno) in enumerate([("p1", "118540238"), ("p1", ""), ("other", "118540238")]):
        reg = PERSONS.replace('xml:id="persons"', f'xml:id="reg{i}"').replace(
            '<person xml:id="anna"><persName>Anna Ahlers</persName><idno type="gnd">118540238</idno></person>',
            f'<person xml:id="{pid}"><persName>Anna Ahlers</persName>'
            + (f'<idno type="gnd">{idno}</idno>' if idno else "") + "</person>")
        (root / "tei" / f"reg{i}.xml").write_text(reg, encoding="utf-8")
        (root / "tei" / f"l{i}.xml").write_text(letter(f"l{i}", f"Letter {i}", f"""<correspDesc>
          <correspAction type="sent"><persName ref="reg{i}.xml#{pid}">A.</persName><date when="190{i}"/></correspAction>
          <correspAction type="received"><persName>Zed</persName></correspAction></correspDesc>"""), encoding="utf-8")
    em = EditionModel.build(edition.load(root))
    people = corr.correspondents(em.letters)
    assert [(c.name.name, len(c.sent), len(c.received)) for c in people] == [("Anna Ahlers", 3, 0), ("Zed", 0, 3)]


# -- the outputs -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The generated letters built once for this module (HTML, search, CMIF)."""
    root = write_letters(tmp_path_factory.mktemp("letters") / "ed")
    build_edition(root, root / "build", only={"sources", "html", "search", "cmif"})
    return root / "build" / "html"


def text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def test_letters_page_by_correspondent_and_year(site):
    page = parse(site / "letters.html")
    sections = {text(s.find("h3")).split(" (")[0]: s for s in page.iterfind(".//section[@class='tp-correspondent']")}
    assert list(sections) == ["Acme Society", "Anna Ahlers", "Bert Brandt", "Cora Castell"]
    anna = sections["Anna Ahlers"]
    assert [text(h) for h in anna.iter("h4")] == ["Letters from Anna Ahlers", "Letters to Anna Ahlers"]
    lists = anna.findall("ul")
    assert [a.get("href") for a in lists[0].iter("a") if a.get("href").startswith("documents/")] == \
        ["documents/l1.html", "documents/l4.html"]
    assert "5 January 1900: to Bert Brandt, Vienna" in text(lists[0])
    assert [a.get("href") for a in lists[1].iter("a") if a.get("href").startswith("documents/")] == ["documents/l2.html"]
    assert anna.find("h3/a").get("href") == "persons.html#anna"
    # anchors from the register entry, else the name: stable when letters are added
    assert [s.find("h3").get("id") for s in sections.values()] == \
        ["from-to-acme", "from-to-anna", "from-to-bert", "from-to-Cora-Castell"]
    years = [text(h) for h in page.find(".//section[@aria-labelledby='by-year']").iter("h3")]
    assert years == ["1900", "1901", "Undated"]
    assert page.find(".//a[@href='cmif.xml']") is not None
    problems, checked = broken_links(site)
    assert not problems and checked > 40, problems
    # in the navigation of every page; the essay is no letter
    for p in pages(site):
        assert parse(p).find(".//nav[@class='tp-nav']//a[@href='%sletters.html']" % ("../" * (len(p.relative_to(site).parts) - 1))) is not None, p
    assert "essay" not in (site / "letters.html").read_text(encoding="utf-8")


def test_letter_page_shows_who_where_when_and_its_neighbours(site):
    page = parse(site / "documents" / "l1.html")
    meta = page.find(".//dl[@class='tp-meta']")
    rows = {text(dt): dd for dt, dd in zip(meta.iter("dt"), meta.iter("dd"))}
    assert text(rows["Letter"]) == "Anna Ahlers → to Bert Brandt"
    assert rows["Letter"].find("a").get("href") == "../persons.html#anna"
    assert text(rows["Sent"]) == "Vienna, 5 January 1900"
    assert rows["Sent"].find("time").get("datetime") == "1900-01-05"
    assert text(rows["Received"]) == "Paris, 7–9 January 1900"
    pager = page.find(".//nav[@aria-label='Letters']")
    assert pager.find(".//a[@rel='next']").get("href") == "../documents/l3.html"
    assert pager.find(".//a[@rel='prev']") is None
    l3 = parse(site / "documents" / "l3.html").find(".//nav[@aria-label='Letters']")
    assert l3.find(".//a[@rel='prev']").get("href") == "../documents/l1.html"
    assert "Previous in this correspondence: Bert to Anna" in text(l3)
    assert parse(site / "documents" / "essay.html").find(".//nav[@aria-label='Letters']") is None


def test_no_letters_no_letters_page_nor_cmif(make_edition, tmp_path):
    root = make_edition()
    build_edition(root, root / "build", only={"sources", "html", "search"})
    html = root / "build" / "html"
    assert (html / "index.html").is_file()
    assert not (html / "letters.html").exists() and not (html / "cmif.xml").exists()
    assert "letters.html" not in (html / "index.html").read_text(encoding="utf-8")


def test_cmif_file(site):
    tree = etree.parse(str(site / "cmif.xml"))
    root = tree.getroot()
    assert root.tag == f"{{{TEI}}}TEI"
    bibl = root.find(".//t:sourceDesc/t:bibl", T)
    assert bibl.get("type") == "online"
    bid = bibl.get("{http://www.w3.org/XML/1998/namespace}id")
    assert bid.startswith("cmif-")
    descs = root.findall(".//t:profileDesc/t:correspDesc", T)
    assert [d.get("ref") for d in descs] == [f"documents/l{i}.html" for i in (1, 2, 3, 4)]
    assert {d.get("source") for d in descs} == {"#" + bid}
    for d in descs:  # both actions, as the CMIF requires
        assert [a.get("type") for a in d.findall("t:correspAction", T)] == ["sent", "received"]
    sent, received = descs[0].findall("t:correspAction", T)
    assert [(p.text, p.get("ref")) for p in sent.findall("t:persName", T)] == [("Anna Ahlers", "http://d-nb.info/gnd/118540238")]
    assert sent.find("t:placeName", T).get("ref") == "http://www.geonames.org/2761369"
    assert sent.find("t:date", T).attrib == {"when": "1900-01-05"}
    assert dict(received.find("t:date", T).attrib) == {"notBefore": "1900-01-07", "notAfter": "1900-01-09"}
    assert received.find("t:persName", T).get("ref") == "http://viaf.org/viaf/12345"
    l3_sent, l3_received = descs[2].findall("t:correspAction", T)
    assert l3_sent.find("t:persName", T).text == "Cora Castell" and l3_sent.find("t:persName", T).get("ref") is None
    assert dict(l3_sent.find("t:date", T).attrib) == {"from": "1901-03", "to": "1901-04"}
    assert l3_received.find("t:orgName", T).text == "Acme Society"
    l4_sent, l4_received = descs[3].findall("t:correspAction", T)
    assert l4_sent.find("t:date", T) is None  # no ISO date: no date element (CMIF: one dating attribute at least)
    assert l4_received.find("t:persName", T).text == "Unknown"
    assert root.find(".//t:licence", T).get("target") == "https://creativecommons.org/licenses/by/4.0/"
    assert root.find(".//t:publicationStmt/t:date", T).get("when") == "2026-01-01T00:00:00Z"


def test_cmif_is_deterministic_and_absolute_with_a_base_url(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    config = 'id = "letters"\ntitle = "Letters"\nbase_url = "https://example.org/letters/"\n'
    one = cmif.serialise(EditionModel.build(edition.load(write_letters(tmp_path / "a", config))))
    two = cmif.serialise(EditionModel.build(edition.load(write_letters(tmp_path / "b", config))))
    assert one == two
    root = etree.fromstring(one)
    assert root.find(".//t:correspDesc", T).get("ref") == "https://example.org/letters/documents/l1.html"
    assert root.find(".//t:publicationStmt/t:idno[@type='url']", T).text == "https://example.org/letters/cmif.xml"
    other = cmif.serialise(EditionModel.build(edition.load(write_letters(tmp_path / "c"))))
    assert etree.fromstring(other).find(".//t:bibl", T).get("{http://www.w3.org/XML/1998/namespace}id") != \
        root.find(".//t:bibl", T).get("{http://www.w3.org/XML/1998/namespace}id")


def test_pdf_letter_head(model):
    assert pdf.letter_head(doc(model, "l1")) == {"summary": "Anna Ahlers to Bert Brandt",
                                                 "sent": "Vienna, 5 January 1900",
                                                 "received": "Paris, 7–9 January 1900"}
    assert pdf.letter_head(doc(model, "essay")) is None


def test_deposit_readme_names_the_cmif_file(model, tmp_path):
    from teipress.commands import deposit

    bag = tmp_path / "bag"
    for folder in ("tei", "pdf", "html"):
        (bag / folder).mkdir(parents=True)
    (bag / "html" / "cmif.xml").write_bytes(cmif.serialise(model))
    assert "html/cmif.xml" in deposit.readme(model.metadata, bag, int(EPOCH))


# -- real letters from ../shared ------------------------------------------------------------------

def corpus(shared, tmp_path, name, ident) -> Path:
    root = tmp_path / ident
    (root / "tei").mkdir(parents=True)
    for f in sorted((shared / "corpora" / name).glob("*.xml")):
        shutil.copyfile(f, root / "tei" / f.name)
    (root / "edition.toml").write_text(f'id = "{ident}"\ntitle = "{ident}"\n', encoding="utf-8")
    return root


def test_schnitzler_letters(shared, tmp_path):
    root = corpus(shared, tmp_path, "letters/schnitzler-briefe", "sch")
    build_edition(root, root / "build")  # every stage: the PDFs carry the letter head
    em = EditionModel.build(edition.load(root))
    assert len(em.letters) == 9
    l148 = doc(em, "L00148").correspondence
    assert ([n.name for n in l148.senders], [n.written for n in l148.recipients]) == \
        (["Richard Beer-Hofmann"], ["Schnitzler, Arthur"])
    assert (l148.prev.id, l148.next.id, l148.sequence) == ("L00147", "L00149", "editors")
    assert l148.prev_in_correspondence.id == "L00147"
    # L00135's previous and next letters are not in this selection: its neighbours by date
    l135 = doc(em, "L00135").correspondence
    assert l135.prev is None and l135.next.id == "L00147"
    # the same day: the editors' order (date/@n)
    assert [d.id for d in em.letters][4:7] == ["L00150", "L00151", "L00152"]
    people = {c.name.written: c for c in corr.correspondents(em.letters)}
    schnitzler = people["Schnitzler, Arthur"]
    assert (len(schnitzler.sent), len(schnitzler.received)) == (4, 5)
    assert len(people) == 5

    html = root / "build" / "html"
    problems, _ = broken_links(html)
    assert not problems, problems
    years = [text(h) for h in parse(html / "letters.html").find(".//section[@aria-labelledby='by-year']").iter("h3")]
    assert years == ["1892", "1893", "1901"]
    cm = etree.parse(str(html / "cmif.xml")).getroot()
    assert len(cm.findall(".//t:correspDesc", T)) == 9
    assert {p.get("ref") for p in cm.iterfind(".//t:persName", T) if p.get("ref")} == {"http://d-nb.info/gnd/118609807"}
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-l", "9", str(root / "build" / "pdf" / "L00148.pdf"), "-"],
                             capture_output=True, text=True, check=True).stdout
        assert "Sent: Wien, 28 December 1892" in out and "Received: Wien, 28–30 December 1892" in out


def test_escher_letters_and_their_register(shared, tmp_path):
    root = corpus(shared, tmp_path, "letters/escher-briefe", "esc")
    build_edition(root, root / "build", only={"sources", "html", "search", "cmif"})
    em = EditionModel.build(edition.load(root))
    assert [d.id for d in em.letters] == ["K_0108", "K_0118", "K_1569", "K_2789", "K_0002", "K_0005"]
    # the targets (B1568 …) name letters outside the edition: neighbours by date
    assert all(d.correspondence.sequence == "date" for d in em.letters)
    kern = doc(em, "K_1569").correspondence
    names = {n.written: n for n in kern.correspondents}
    assert names["Alfred Escher"].href == "persons.html#Escher-_vom-Glas-Alfred"  # persName/@key = person/@n
    assert names["Alfred Escher"].authority == ("http://d-nb.info/gnd/118830295",)
    assert kern.sent_places[0].name == "Paris" and kern.sent.when == "1857-02-14"
    escher = next(c for c in corr.correspondents(em.letters) if c.name.written == "Alfred Escher")
    assert escher.letters == 6
    html = root / "build" / "html"
    problems, _ = broken_links(html)
    assert not problems, problems
    assert len(etree.parse(str(html / "cmif.xml")).getroot().findall(".//t:correspDesc", T)) == 6


def test_cmif_files_are_valid_tei(shared, tmp_path, monkeypatch):
    """The CMIF is TEI: tei_all accepts it (the Schnitzler and Escher letters)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    rng = etree.RelaxNG(etree.parse(str(shared / "tei" / "tei_all.rng")))
    for name, ident in (("letters/schnitzler-briefe", "sch"), ("letters/escher-briefe", "esc")):
        em = EditionModel.build(edition.load(corpus(shared, tmp_path, name, ident)))
        tree = etree.fromstring(cmif.serialise(em))
        assert rng.validate(tree), (ident, rng.error_log.last_error)


def test_letters_without_correspdesc_get_no_letters_page(shared, tmp_path):
    root = corpus(shared, tmp_path, "editorial/dta-soldatenbriefe", "dta")
    build_edition(root, root / "build", only={"sources", "html", "search"})
    assert not (root / "build" / "html" / "letters.html").exists()
    assert not (root / "build" / "html" / "cmif.xml").exists()


def test_letters_page_passes_the_nu_html_checker(site):
    from checkers import nu_errors

    errors = nu_errors([site / "letters.html", site / "documents" / "l1.html", site / "documents" / "l3.html"])
    assert not errors, "\n".join(errors)


def test_letters_pages_have_no_wcag_violation(site, browser):
    """axe-core (WCAG 2.1 A/AA) on the letters page and a letter's page, as test_html_quality
    checks the other page types."""
    from browser import serve_dir
    from checkers import AXE, axe

    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    problems = []
    with serve_dir(site) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for rel in ("letters.html", "documents/l3.html"):
            page.goto(f"{base}/{rel}")
            page.wait_for_load_state("networkidle")
            problems += axe(page, rel)
        page.close()
    assert not problems, "\n".join(problems)


def test_a_split_letter_shows_its_letter_rows_on_every_page(tmp_path):
    root = write_letters(tmp_path / "ed", 'id = "s"\ntitle = "S"\nsplit = ["l1"]\n')
    l1 = root / "tei" / "l1.xml"
    l1.write_text(l1.read_text(encoding="utf-8").replace(
        "<body><p>Dear friend.</p></body>",
        '<body><div xml:id="a"><head>One</head><p>x</p></div><div xml:id="b"><head>Two</head><p>y</p></div></body>'),
        encoding="utf-8")
    build_edition(root, root / "build", only={"sources", "html", "search", "cmif"})
    html = root / "build" / "html" / "documents"
    for page in (html / "l1.html", html / "l1" / "a.html", html / "l1" / "b.html"):
        meta = parse(page).find(".//dl[@class='tp-meta']")
        rows = {text(dt): text(dd) for dt, dd in zip(meta.iter("dt"), meta.iter("dd"))}
        assert rows["Letter"] == "Anna Ahlers → to Bert Brandt" and rows["Sent"] == "Vienna, 5 January 1900", page
    # the letters' sequence is the document's, shown on its own page
    assert parse(html / "l1.html").find(".//nav[@aria-label='Letters']") is not None

"""Schemas named by the editor (<?xml-model?>), the fallback, and the [rules] table."""
from __future__ import annotations

import pytest

from conftest import MINI_DOC, MINI_PERSONS, PROLOG, line_of  # noqa: F401
from teipress.commands.validate import validate_edition
from teipress.config import ConfigError
from teipress.edition import load
from teipress.validation.diagnostics import Report

RNG = """<grammar xmlns="http://relaxng.org/ns/structure/1.0"
         xmlns:sch="http://purl.oclc.org/dsdl/schematron" ns="http://www.tei-c.org/ns/1.0">
  %s
  <start>
    <element name="TEI"><optional><attribute name="xml:id" ns=""/></optional>
      <element name="teiHeader"><text/></element>
      <element name="text"><element name="body"><oneOrMore><element name="p">
        <mixed><zeroOrMore><choice>
          <element name="persName"><optional><attribute name="ref"/></optional><text/></element>
          <element name="placeName"><text/></element>
          <element name="note"><optional><attribute name="n"/></optional><text/></element>
        </choice></zeroOrMore></mixed>
      </element></oneOrMore></element></element>
    </element>
  </start>
</grammar>
"""

SMALL = """<?xml version="1.0" encoding="UTF-8"?>
%s<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>A small document</teiHeader>
  <text><body>
    <p><persName ref="persons.xml#anna">Anna</persName> wrote from <placeName>Vienna</placeName>.</p>
    <p>A note.<note>Unnumbered.</note></p>
  </body></text>
</TEI>
"""

SCH = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>
  <pattern>
    <rule context="tei:persName">
      <assert test="@ref">a persName points to the register</assert>
    </rule>
    <rule context="tei:placeName">
      <report test="true()" role="warning">a place is named</report>
    </rule>
  </pattern>
</schema>
"""


def model_pi(href: str, ns: str) -> str:
    return f'<?xml-model href="{href}" type="application/xml" schematypens="{ns}"?>\n'


RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"


def with_prolog(doc: str, *pis: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + "".join(pis) + doc[len(PROLOG):]


def diagnostics(root):
    report = Report(base=root)
    validate_edition(load(root), report, jobs=1)
    return report


def test_relax_ng_and_schematron_from_xml_model(make_edition):
    pis = model_pi("schema/small.rng", RNG_NS) + model_pi("schema/small.sch", SCH_NS)
    doc = (SMALL % pis).replace("wrote from", "wrote <blink>from</blink>").replace(
        '<persName ref="persons.xml#anna">', "<persName>")
    root = make_edition(extra={"small.xml": doc})
    (root / "tei" / "schema" / "small.rng").write_text(RNG % "", encoding="utf-8")
    (root / "tei" / "schema" / "small.sch").write_text(SCH, encoding="utf-8")
    report = diagnostics(root)
    rng = [d for d in report.errors if d.rule == "schema"]
    assert len(rng) == 1 and "<blink>" in rng[0].message and "RELAX NG" in rng[0].message
    assert rng[0].path == "tei/small.xml" and rng[0].line == line_of(doc, "<blink>")
    assert rng[0].col == doc.splitlines()[rng[0].line - 1].index("<blink>") + 1
    [sch] = [d for d in report.errors if d.rule == "schematron"]
    assert sch.message == "a persName points to the register" and sch.line == line_of(doc, "<persName>")
    [warn] = [d for d in report.warnings if d.rule == "schematron" and d.path == "tei/small.xml"]
    assert warn.message == "a place is named"


def test_schematron_embedded_in_relax_ng(make_edition):
    embedded = ('<sch:ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/><sch:pattern><sch:rule context="tei:note">'
                '<sch:assert test="@n">notes are numbered</sch:assert></sch:rule></sch:pattern>')
    doc = SMALL % model_pi("schema/odd.rng", RNG_NS)
    root = make_edition(extra={"small.xml": doc})
    (root / "tei" / "schema" / "odd.rng").write_text(RNG % embedded, encoding="utf-8")
    report = diagnostics(root)
    assert not [d for d in report.errors if d.rule == "schema" and d.path == "tei/small.xml"]
    [d] = [d for d in report.errors if d.rule == "schematron"]
    assert d.message == "notes are numbered" and d.line == line_of(doc, "<note")


def test_missing_local_schema_is_an_error_and_the_project_schema_still_applies(make_edition):
    doc = with_prolog(MINI_DOC, model_pi("schema/gone.rng", RNG_NS)).replace("wrote from", "wrote <bogus/>from")
    report = diagnostics(make_edition(doc=doc))
    [missing] = [d for d in report.errors if d.rule == "schema-missing"]
    assert "'schema/gone.rng'" in missing.message and missing.line == 2 and missing.path == "tei/mini.xml"
    assert any("<bogus>" in d.message for d in report.errors if d.rule == "schema")


def test_remote_schema_is_a_note_and_never_turns_validation_off(make_edition):
    doc = with_prolog(MINI_DOC, model_pi("https://example.org/never-fetched.rng", RNG_NS))
    bad = doc.replace("wrote from", "wrote <bogus/>from")
    report = diagnostics(make_edition(doc=doc))
    assert report.errors == []
    [note] = [d for d in report.items if d.rule == "schema-remote"]
    assert note.severity == "note" and "never-fetched.rng" in note.message
    report = diagnostics(make_edition(doc=bad))
    [d] = [d for d in report.errors if d.rule == "schema"]
    assert "<bogus>" in d.message and d.line == line_of(bad, "<bogus/>")


def test_schema_outside_the_edition_is_not_read(make_edition, tmp_path):
    (tmp_path / "outside.rng").write_text(RNG % "", encoding="utf-8")
    doc = with_prolog(MINI_DOC, model_pi("../../../outside.rng", RNG_NS))
    report = diagnostics(make_edition(doc=doc))
    [d] = [d for d in report.warnings if d.rule == "schema-outside"]
    assert d.line == 2 and "not read" in d.message
    # and the file is still checked, by the project's schema: nothing is left unvalidated
    assert not [d for d in report.errors if d.rule.startswith("schema")]


def test_document_in_a_subfolder_is_validated(make_edition):
    root = make_edition()
    sub = root / "tei" / "letters"
    sub.mkdir()
    doc = (MINI_DOC.replace('href="schema/teipress.xsd"', 'href="../schema/teipress.xsd"')
           .replace('xml:id="mini"', 'xml:id="sub"').replace("persons.xml#", "../persons.xml#")
           .replace("wrote from", "wrote <bogus/>from"))
    (sub / "one.xml").write_text(doc, encoding="utf-8")
    report = diagnostics(root)
    [d] = [d for d in report.errors if d.path == "tei/letters/one.xml"]
    assert d.rule == "schema" and "<bogus>" in d.message and d.line == line_of(doc, "<bogus/>")
    assert not [d for d in report.items if d.rule.startswith("schema-")]


def test_ids_are_unique_per_file_and_pointers_name_the_file(make_edition):
    # Two documents with the same ids: fine.  A pointer into the other file that names
    # an id it lacks: an error at the pointer's own line and column.
    other = MINI_DOC.replace('xml:id="mini"', 'xml:id="other"').replace(
        "Anna</persName> wrote", 'Anna</persName> (see <ref target="mini.xml#p9">there</ref>) wrote')
    report = diagnostics(make_edition(extra={"other.xml": other}))
    [d] = report.errors
    assert d.rule == "pointer-resolves" and d.path == "tei/other.xml"
    assert "'mini.xml#p9'" in d.message and "mini.xml has no element with xml:id 'p9'" in d.message
    assert d.line == line_of(other, "mini.xml#p9")
    assert d.col == other.splitlines()[d.line - 1].index('target="mini.xml#p9"') + 1
    assert str(d).startswith(f"tei/other.xml:{d.line}:{d.col}: error: ")


def test_bare_id_pointer_is_a_warning_with_the_fix(make_edition):
    doc = MINI_DOC.replace('resp="#ed" xml:id="n1"', 'resp="ed" xml:id="n1"')
    report = diagnostics(make_edition(doc=doc))
    assert report.errors == []
    [w] = [d for d in report.warnings if d.rule == "pointer-bare"]
    assert "write '#ed'" in w.message


def test_no_cascade_after_a_malformed_register(make_edition):
    persons = MINI_PERSONS.replace("</persName><birth", "</persNam><birth")
    report = diagnostics(make_edition(persons=persons))
    assert [d.rule for d in report.errors] == ["xml-wellformed"]
    assert not [d for d in report.warnings if d.rule == "register-unused"]


def test_taxonomy_declared_in_another_file_holds_edition_wide(make_edition):
    doc = MINI_DOC.replace('<note type="editorial"', '<note type="commentary"')
    assert [d.rule for d in diagnostics(make_edition(doc=doc)).errors] == ["note-type"]
    taxonomy = ('<encodingDesc><classDecl><taxonomy xml:id="note-types"><category xml:id="commentary">'
                '<catDesc>Commentary</catDesc></category></taxonomy></classDecl></encodingDesc>\n  </teiHeader>')
    persons = MINI_PERSONS.replace("</teiHeader>", taxonomy, 1)
    assert diagnostics(make_edition(doc=doc, persons=persons)).errors == []


def write_toml(root, text):
    (root / "edition.toml").write_text(text, encoding="utf-8")


def test_rule_severities_from_edition_toml(make_edition):
    doc = MINI_DOC.replace('when="1961-03-05"', 'when="5/3/1961"').replace(
        '<placeName ref="persons.xml#vienna">Vienna</placeName>', "Vienna")
    root = make_edition(doc=doc)
    before = diagnostics(root)
    assert [d.rule for d in before.errors] == ["date-iso"]
    assert [d.rule for d in before.warnings] == ["register-unused"]
    write_toml(root, 'id = "mini"\n\n[rules]\ndate-iso = "warning"\nunused-entry = "ignore"\n')
    after = diagnostics(root)
    assert after.errors == []
    assert [d.rule for d in after.warnings] == ["date-iso"]


@pytest.mark.parametrize("table,line,words", [
    ('[rules]\nno-such-rule = "warning"\n', 3, "unknown rule 'no-such-rule'"),
    ('[rules]\ndate-iso = "loud"\n', 3, "must be one of"),
    ('[rules]\nxml-wellformed = "ignore"\n', 3, "cannot be changed"),
    ('rules = "all"\n', 2, "must be a table"),
])
def test_rules_table_is_checked(make_edition, table, line, words):
    root = make_edition()
    write_toml(root, 'id = "mini"\n' + table)
    with pytest.raises(ConfigError) as exc:
        load(root)
    assert exc.value.line == line and words in exc.value.message


def test_schema_compiled_once(make_edition, monkeypatch):
    from teipress.validation import schema

    schema._compile.cache_clear()
    root = make_edition(extra={"copy.xml": MINI_DOC.replace('xml:id="mini"', 'xml:id="copy"')})
    diagnostics(root)
    diagnostics(root)
    info = schema._compile.cache_info()
    assert info.misses == 1 and info.hits >= 3


def test_every_rule_is_documented():
    from conftest import REPO
    from teipress.validation import catalog

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [name for name in catalog.RULES if f"`{name}`" not in readme and name not in ("xml-read", "usage")]
    assert not missing
    for name, (severity, _adjustable, _what) in catalog.RULES.items():
        assert severity in catalog.SEVERITIES, name


MODULES_DOC = PROLOG + """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="modules" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt><title level="a">Every module</title><title level="s">A series</title></titleStmt>
      <extent>2 leaves</extent>
      <publicationStmt><publisher>teipress tests</publisher></publicationStmt>
      <seriesStmt><title>A series</title></seriesStmt>
      <sourceDesc>
        <msDesc><msIdentifier><settlement>Vienna</settlement><repository>Archive</repository>
          <idno>Ms 1</idno></msIdentifier><physDesc><objectDesc><supportDesc><support>paper</support>
          </supportDesc></objectDesc><handDesc><handNote xml:id="h1">ink</handNote></handDesc></physDesc></msDesc>
        <listBibl><biblStruct><monogr><title>A book</title><imprint><date when="1900">1900</date></imprint>
          </monogr></biblStruct></listBibl>
        <listWit><witness xml:id="A">Codex A</witness><witness xml:id="B">Codex B</witness></listWit>
      </sourceDesc>
    </fileDesc>
    <profileDesc>
      <correspDesc>
        <correspAction type="sent"><persName>Anna</persName><placeName>Vienna</placeName>
          <date when="1900-01-02"/></correspAction>
        <correspAction type="received"><persName>Karl</persName></correspAction>
        <correspContext><ref type="next" target="mini.xml">next</ref></correspContext>
      </correspDesc>
      <particDesc><listPerson><person xml:id="hamlet"><persName>Hamlet</persName></person>
        <personGrp xml:id="guards"><name>Guards</name></personGrp></listPerson></particDesc>
    </profileDesc>
  </teiHeader>
  <standOff><listPlace><place xml:id="wien"><placeName>Wien</placeName></place></listPlace></standOff>
  <text>
    <front><castList><castGroup><castItem><role>Hamlet</role><roleDesc>a prince</roleDesc></castItem>
      </castGroup></castList></front>
    <body>
      <div type="letter">
        <opener><dateline><placeName>Vienna</placeName>, <date when="1900-01-02">2 Jan.</date></dateline>
          <salute>Dear Karl,</salute></opener>
        <p>Text with <add place="above">an addition</add>, <del rend="strike">a deletion</del>,
          <subst><del>old</del><add>new</add></subst>, <unclear reason="faded">faint</unclear>,
          <gap reason="illegible" quantity="2" unit="word"/>, <supplied reason="omitted">this</supplied>,
          <handShift new="#h1"/><space quantity="3" unit="chars"/><damage><restore>torn</restore></damage>
          <surplus>extra</surplus> and <app><lem wit="#A">reading</lem><rdg wit="#B">variant</rdg></app>
          <figure><graphic url="page.png"/><figDesc>A drawing</figDesc></figure>
          <formula notation="tex">x^2</formula>.</p>
        <table><row><cell>a</cell><cell>b</cell></row></table>
        <fw type="pageNum">2</fw>
        <closer><salute>Yours,</salute><signed>Anna</signed></closer>
        <postscript><p>P.S. Greetings.</p></postscript>
        <address><addrLine>Herrn Karl</addrLine><addrLine>Graz</addrLine></address>
      </div>
      <div type="scene">
        <stage>A room.</stage>
        <sp who="#hamlet"><speaker>Hamlet</speaker>
          <l met="-+-+-+-+-+" part="I">To be,</l><stage>aside</stage><l part="F">or not.</l></sp>
        <lg type="stanza"><l>One line</l><l>Another</l></lg>
      </div>
    </body>
  </text>
</TEI>
"""


def test_project_schema_covers_the_modules_the_renderers_handle(make_edition):
    # checked strictly: the file names schema/teipress.xsd, as `teipress init` writes it
    report = diagnostics(make_edition(extra={"modules.xml": MODULES_DOC}))
    assert [str(d) for d in report.items if d.path == "tei/modules.xml" and d.severity == "error"] == []


def test_tei_corpus_root(make_edition):
    inner = MINI_DOC[len(PROLOG):].replace('xml:id="mini"', 'xml:id="inner"')
    corpus = PROLOG + ('<teiCorpus xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
                       '<title>A corpus</title></titleStmt><publicationStmt><p>Test</p></publicationStmt>'
                       '<sourceDesc><p>Born digital.</p></sourceDesc></fileDesc></teiHeader>'
                       + inner.replace("persons.xml#", "persons.xml#") + "</teiCorpus>\n")
    report = diagnostics(make_edition(extra={"corpus.xml": corpus}))
    assert [str(d) for d in report.errors if d.path == "tei/corpus.xml"] == []
    bad = corpus.replace("wrote from", "wrote <bogus/>from")
    report = diagnostics(make_edition(extra={"corpus.xml": bad}))
    assert [d.rule for d in report.errors if d.path == "tei/corpus.xml"] == ["schema"]


def test_modules_document_is_valid_tei_all(shared):
    # what the project schema accepts for these modules, TEI accepts too
    from lxml import etree

    tei_all = etree.RelaxNG(etree.parse(str(shared / "tei" / "tei_all.rng")))
    doc = etree.fromstring(MODULES_DOC.split("\n", 2)[2].encode())
    assert tei_all.validate(doc), [e.message for e in tei_all.error_log][:5]


def test_tei_all_named_locally(shared, make_edition):
    # An editor's own copy of tei_all.rng: its grammar applies (compiled once), and of the
    # Schematron TEI embeds the patterns lxml can run are run; the others are counted, once.
    import shutil

    pi = model_pi("schema/tei_all.rng", RNG_NS) + model_pi("schema/tei_all.rng", SCH_NS)
    doc = with_prolog(MINI_DOC, pi).replace("wrote from", "wrote <bogus/>from")
    root = make_edition(doc=doc, persons=with_prolog(MINI_PERSONS, pi))
    shutil.copy(shared / "tei" / "tei_all.rng", root / "tei" / "schema" / "tei_all.rng")
    report = diagnostics(root)
    [d] = report.errors
    assert d.rule == "schema" and "<bogus>" in d.message and "RELAX NG" in d.message
    assert d.line == line_of(doc, "<bogus/>")
    [w] = [w for w in report.warnings if w.rule == "schema-unsupported"]
    assert "Schematron patterns" in w.message

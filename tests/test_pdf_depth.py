"""Nesting deeper than Typst can typeset (outputs/pdf_depth.py): the PDF's model is flattened
below pdf_depth.MAX_DEPTH into runs, every word kept and the phrases' looks combined; every
valid depth typesets, and the editor is told where formatting was simplified."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from lxml import etree

from teipress.cli import main
from teipress.model import MODEL_NS
from teipress.outputs import pdf_depth
from test_keep_going import other_doc

M = "{%s}" % MODEL_NS
DEEP = 100


def model(inner: str) -> etree._Element:
    return etree.fromstring(f'<document xmlns="{MODEL_NS}"><text><block division="true">'
                            f'<paragraph>{inner}</paragraph></block></text></document>')


def depth(el, d=0) -> int:
    return max([depth(c, d + 1) for c in el] or [d])


def words(el) -> list[str]:
    return "".join(el.itertext()).replace("(", " ").replace(")", " ").split()


def phrases(n: int) -> str:
    looks = ("italic", "bold", "sup", "smallcaps")
    return ("".join(f'<inline looks="{looks[i % 4]}" id="i{i}">w{i} ' for i in range(n)) + "core"
            + "".join(f"</inline> t{i}" for i in reversed(range(n))))


def test_an_ordinary_model_is_handed_over_untouched():
    root = model(phrases(pdf_depth.MAX_DEPTH - 5))
    assert pdf_depth.shallow(root) == (root, 0)


@pytest.mark.parametrize("inner", [
    phrases(DEEP),
    "".join(f"<note>n{i} " for i in range(DEEP)) + "core" + "</note>" * DEEP,
    "".join(f"<list><item>l{i} " for i in range(DEEP)) + "core" + "</item></list>" * DEEP,
    "".join(f'<inline looks="italic">a{i} <note>n{i} ' for i in range(DEEP)) + "core" + "</note></inline>" * DEEP,
])
def test_a_deep_model_is_flattened_keeping_every_word(inner):
    root = model(inner)
    flat, changed = pdf_depth.shallow(root)
    assert flat is not root and changed > 0
    assert depth(root) > DEEP and depth(flat) <= pdf_depth.MAX_DEPTH + 4
    assert words(flat) == words(root)
    # a list typesets only its items: no run of text is left directly in one
    for lst in flat.iter(M + "list"):
        assert not (lst.text or "").strip() and all(c.tag == M + "item" and not (c.tail or "").strip() for c in lst)


def test_a_choice_keeps_its_readings_each_flattened():
    choice = ('<alternate><reading role="corrected"><inline looks="bold">right <inline looks="sup">1</inline></inline></reading>'
              '<reading role="published" kind="error"><inline looks="bold">wrong</inline></reading></alternate>')
    inner = "".join(f'<inline looks="italic">w{i} ' for i in range(DEEP)) + choice + "</inline>" * DEEP
    flat, _ = pdf_depth.shallow(model(inner))
    [alt] = flat.iter(M + "alternate")
    corrected, published = alt
    assert (corrected.get("role"), published.get("kind")) == ("corrected", "error")
    assert words(corrected) == ["right", "1"] and words(published) == ["wrong"]
    [one] = [r for r in corrected.iter(M + "inline") if (r.text or "").strip() == "1"]
    assert sorted(one.get("looks").split()) == ["bold", "italic", "sup"]
    assert depth(flat) <= pdf_depth.MAX_DEPTH + 4


def test_runs_combine_the_looks_of_the_phrases_around_them():
    flat, _ = pdf_depth.shallow(model(phrases(DEEP)))
    runs = {w: r for r in flat.iter(M + "inline") for w in (r.text or "").split()}
    # the innermost words carry every look of the phrases around them, each once
    assert sorted(runs["core"].get("looks").split()) == ["bold", "italic", "smallcaps", "sup"]
    assert runs["w0"].get("looks") == "italic"
    # words between phrases carry the looks of the phrase they stand in, not of the one closed
    assert runs["t40"].get("looks") == runs["w40"].get("looks")
    # one element is one place in the text: its id stays on its first run only
    ids = [r.get("id") for r in flat.iter(M + "inline") if r.get("id")]
    assert len(ids) == len(set(ids)) == DEEP


def deep_docs() -> dict[str, str]:
    """Valid documents nested DEEP deep: phrases, divisions, lists, notes in a paragraph."""
    choice = '<choice><sic><hi rend="bold">hiwrang</hi></sic><corr><hi rend="bold">hiright</hi></corr></choice>'
    hi = ("".join(f'<hi rend="{("italic", "bold")[i % 2]}">hi{i} ' for i in range(DEEP)) + f"hicore {choice}"
          + "</hi>" * DEEP)
    note = "".join(f"<note>no{i} " for i in range(DEEP)) + "notecore" + "</note>" * DEEP
    lst = "".join(f"<list><item>li{i} " for i in range(DEEP)) + "listcore" + "</item></list>" * DEEP
    div = "".join(f"<div><head>head{i}</head><p>di{i}</p>" for i in range(DEEP)) + "<p>divcore</p>" + "</div>" * DEEP
    return {
        "hi.xml": other_doc("hi").replace("wrote from", f"wrote\n  {hi} from"),
        "note.xml": other_doc("note").replace("wrote from", f"wrote\n  {note} from"),
        "list.xml": other_doc("list").replace("</p>\n      </div>", f"</p>\n  {lst}\n      </div>"),
        "div.xml": other_doc("div").replace("</div>\n    </body>", f"</div>\n  {div}\n    </body>"),
    }


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
def test_every_valid_depth_typesets_with_every_word_and_a_warning(make_edition, tmp_path):
    docs = deep_docs()
    root = make_edition(extra=docs)
    out = tmp_path / "out"
    r = CliRunner(env={"SOURCE_DATE_EPOCH": "1700000000"}).invoke(
        main, ["build", str(root), "--out", str(out), "--only", "pdf"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    for name in docs:
        stem = name[:-4]
        pdf = out / "pdf" / f"{stem}.pdf"
        text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
        found = set(re.findall(r"[a-z]+\d+|[a-z]+core", text))
        want = {f"{stem[:2]}{i}" for i in range(DEEP)} | {f"{stem}core"}
        assert want <= found, (name, sorted(want - found)[:5])
        if stem == "hi":  # a choice deep inside: the correction in the text, the error in a note
            assert "hiright" in text and "The source reads “hiwrang”" in " ".join(text.split())
        # said once per document, at a line of its own file
        [warning] = [ln for ln in r.output.splitlines() if f"{name}:" in ln and "warning: elements nested" in ln]
        assert re.search(rf"{re.escape(name)}:\d+:\d+: warning:", warning)
    assert not any("mini.xml" in ln and "warning" in ln for ln in r.output.splitlines())


def test_facing_pages_model_is_flattened_too(tmp_path):
    """The facing pages' model (outputs/parallel_pdf.py) is handed to the same template."""
    from test_parallel import ORIGINAL, TRANSLATION, make

    from conftest import edition_model
    from teipress import edition
    from teipress.model import parallel
    from teipress.outputs import parallel_pdf

    hi = "".join(f'<hi rend="italic">w{i} ' for i in range(DEEP)) + "core" + "</hi>" * DEEP
    translation = TRANSLATION.replace("Yours, Ivan.", f"Yours, {hi} Ivan.")
    (pair,) = parallel.pairs(edition_model(edition.load(make(tmp_path, {"letter-ru.xml": ORIGINAL,
                                                                         "letter-en.xml": translation}))))
    flat = etree.fromstring(parallel_pdf.model_xml(pair))
    assert depth(flat) <= pdf_depth.MAX_DEPTH + 4
    said = " ".join(words(flat))
    assert " ".join(f"w{i}" for i in range(DEEP)) + " core Ivan." in said

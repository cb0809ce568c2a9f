"""The renderers check URLs themselves: a behaviour model that carries an unsafe link (built
without validation, changed by an override) still gives no javascript:/data:/vbscript: link
in the PDF or the HTML."""
from __future__ import annotations

import pytest

from conftest import MINI_DOC, MINI_PERSONS
from teipress import edition
from teipress.commands.build import BuildContext
from teipress.model.behaviour import M
from teipress.model.edition_model import EditionModel
from teipress.outputs import pdf

pypdf = pytest.importorskip("pypdf")

UNSAFE = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>x</script>",
          "vbscript:msgbox(1)", "https://ok.example/\"onmouseover=x", "file:///etc/passwd"]


def link_uris(path) -> list[str]:
    out = []
    for page in pypdf.PdfReader(str(path)).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and action.get_object().get("/URI") is not None:
                out.append(str(action.get_object()["/URI"]))
    return out


def test_the_pdf_drops_unsafe_links_even_when_the_model_carries_them(tmp_path):
    root = tmp_path / "edition"
    (root / "tei").mkdir(parents=True)
    (root / "tei" / "persons.xml").write_text(MINI_PERSONS, encoding="utf-8")
    refs = "".join(f' <ref target="https://ok.example/{i}">link {i}</ref>' for i in range(len(UNSAFE) + 1))
    (root / "tei" / "a.xml").write_text(MINI_DOC.replace("A note.</note></p>", f"A note.</note>{refs}</p>"),
                                        encoding="utf-8")
    ed = edition.load(root)
    model = EditionModel.build(ed)
    doc = model.documents[0]
    links = doc.model.getroot().findall(".//m:link[@href]", M)
    assert len(links) == len(UNSAFE) + 1
    for link, bad in zip(links, UNSAFE):  # the last one stays safe
        link.set("href", bad)
    target = tmp_path / "a.pdf"
    pdf.build_document(BuildContext(edition=ed, out=tmp_path, model=model), doc, target)
    assert link_uris(target) == [f"https://ok.example/{len(UNSAFE)}"]

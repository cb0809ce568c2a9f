"""The PDF's own metadata names the translator and the rights of each part (issue 13, defect 26):
Typst's document metadata has no contributor or rights field, so its description (XMP
dc:description, Info /Subject) says them after the summary, in the words of the header."""
from __future__ import annotations

import re

from pypdf import PdfReader
from sitebuild import build_edition, default_build


def xmp_description(pdf) -> tuple[str, str]:
    reader = PdfReader(pdf)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    found = re.search(r"<dc:description>.*?<rdf:li[^>]*>(.*?)</rdf:li>", xmp, re.S)
    assert found, "no dc:description in the XMP"
    return found.group(1).replace("&apos;", "'").replace("&amp;", "&"), reader.metadata.get("/Subject")


def test_default_pdf_names_translator_and_rights_per_part():
    desc, subject = xmp_description(default_build() / "pdf" / "nkidp-114978.pdf")
    assert desc.startswith("Six excerpts from V. P. Tkachenko's book")  # the editors' summary first
    assert "Translated by Gary Goldberg." in desc
    assert "Creative Commons Attribution 4.0" in desc
    assert "It is not covered by the licence above" in desc  # the translation's own terms
    assert subject == desc  # the Info dictionary agrees with the XMP (PDF/A)


def test_description_without_translator_or_summary(make_edition, tmp_path):
    root = make_edition(replace=[("<publicationStmt><publisher>teipress tests</publisher>",
                                  "<publicationStmt><publisher>teipress tests</publisher><availability>"
                                  "<licence target=\"https://creativecommons.org/licenses/by/4.0/\">Free to reuse"
                                  " under CC BY 4.0.</licence></availability>")])
    build_edition(root, tmp_path / "out", only={"pdf"})
    desc, subject = xmp_description(tmp_path / "out" / "pdf" / "mini.pdf")
    assert desc == "Free to reuse under CC BY 4.0." and subject == desc
    assert "Translated" not in desc

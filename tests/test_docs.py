"""The user documentation stays complete: every TEI element the behaviour model has a rule for
is described in docs/elements.md, every edition.toml key in docs/guide.md's Settings table,
and every relative link in the documentation leads to a file of the repository."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from teipress import config

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
XSL = "{http://www.w3.org/1999/XSL/Transform}"


def model_elements() -> set[str]:
    """Local names of the TEI elements named in a match pattern of xslt/model/*.xsl."""
    names = set()
    for path in sorted((ROOT / "xslt" / "model").glob("*.xsl")):
        for template in etree.parse(str(path)).iter(XSL + "template"):
            names |= set(re.findall(r"\btei:([A-Za-z][\w.-]*)", template.get("match", "")))
    return names


def test_model_elements_are_found():
    # the parser itself: a handful of elements every module file names
    names = model_elements()
    assert {"p", "persName", "choice", "sp", "table", "supplied", "witDetail", "listPerson", "w"} <= names
    assert "m:note" not in names and "note" in names
    assert len(names) > 100


def test_every_element_with_a_rule_is_documented():
    text = (DOCS / "elements.md").read_text(encoding="utf-8")
    missing = sorted(n for n in model_elements() if f"`<{n}>`" not in text)
    assert not missing, f"docs/elements.md does not describe: {', '.join(missing)}"


def settings_keys(guide: str) -> set[str]:
    """The keys in the first column of the table under the '## Settings' heading."""
    section = guide.split("\n## Settings", 1)[1]
    section = re.split(r"\n## ", section, maxsplit=1)[0]
    return set(re.findall(r"^\|\s*`([^`]+)`\s*\|", section, flags=re.M))


def test_every_setting_is_in_the_guide():
    keys = settings_keys((DOCS / "guide.md").read_text(encoding="utf-8"))
    missing = sorted(set(config.KNOWN) - keys)
    assert not missing, f"docs/guide.md's Settings table lacks: {', '.join(missing)}"


def test_settings_table_reader_sees_only_the_settings_table():
    guide = "# G\n| `x` | not a setting |\n## Settings\n\n| key | meaning |\n|---|---|\n| `id` | i |\n\n## Next\n| `y` | no |\n"
    assert settings_keys(guide) == {"id"}


LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def relative_links(md: Path) -> list[str]:
    """Targets of the Markdown links and images in *md* that point into the repository (no scheme, not a
    bare #anchor), without their #fragment; links inside code spans and blocks are not links."""
    text = md.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    text = re.sub(r"`[^`\n]*`", "", text)
    out = []
    for target in LINK.findall(text):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        out.append(unquote(parts.path))
    return out


def test_relative_links_resolve():
    files = sorted(DOCS.glob("*.md")) + [ROOT / "README.md"]
    broken = [f"{md.relative_to(ROOT)}: {target}" for md in files for target in relative_links(md)
              if not (md.parent / target).resolve().exists()]
    assert not broken, "links to files that do not exist:\n" + "\n".join(broken)
    # the check is not vacuous: the guide links to elements.md
    assert "elements.md" in relative_links(DOCS / "guide.md")


def test_link_reader_skips_anchors_urls_and_code(tmp_path):
    md = tmp_path / "x.md"
    md.write_text("[a](#top) [b](https://x.org/y) [c](other.md#part) `[d](code.md)` "
                  "![img](pic.png) [e](../up/file%20name.md)\n```\n[f](block.md)\n```\n", encoding="utf-8")
    assert relative_links(md) == ["other.md", "pic.png", "../up/file name.md"]

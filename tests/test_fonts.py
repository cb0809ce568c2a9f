"""The PDF's font coverage (teipress/outputs/fonts.py): the search a document's characters are
checked by agrees with the full list of what the fonts map."""
from __future__ import annotations

import pytest

from teipress.outputs import fonts


@pytest.mark.skipif(not fonts.font_dirs(), reason="the font packages are not installed (make)")
def test_searching_the_cmaps_agrees_with_listing_them():
    have = fonts.covered()
    wrong = [cp for cp in range(0x7F, 0x30000, 3) if fonts.covers(cp) != (cp in have)]
    assert not wrong, [hex(cp) for cp in wrong[:10]]
    # both kinds of cmap subtable answer: a BMP character (format 4) and a CJK extension B one (format 12)
    assert fonts.covers(ord("中")) and ord("中") in have
    assert any(fonts.covers(cp) for cp in range(0x20000, 0x20100))
    assert not fonts.covers(0x10600)  # Linear A: no font of the PDF has it
    assert fonts.uncovered("x\u00e9\U00010600\u4e2d\U00010601") == ["\U00010600", "\U00010601"]

"""The diagnostics are printed a few thousand lines at a time (cli._print_report): the same text as
one write of every line."""
from __future__ import annotations

from pathlib import Path

from teipress import cli
from teipress.validation.diagnostics import Report


def test_diagnostics_printed_in_parts_read_as_one_text(capsys, monkeypatch):
    monkeypatch.setattr(cli, "PRINTED_AT_ONCE", 7)
    report = Report(base=Path("/"))
    for i in range(30, 0, -1):  # (out of order, one repeated: sorted and said once)
        report.warning("/ed/tei/a.xml", i, 1, f"message {i}", "pointer-bare")
    report.warning("/ed/tei/a.xml", 3, 1, "message 3", "pointer-bare")
    cli._print_report(report, 1, "text")
    out = capsys.readouterr()
    assert out.out == "".join(str(d) + "\n" for d in report.sorted())
    assert out.out.count("\n") == 30 and out.out.startswith("ed/tei/a.xml:1:1: warning: message 1 [pointer-bare]\n")
    assert "1 file checked: 0 errors, 31 warnings" in out.err
    cli._print_report(Report(base=Path("/")), 1, "text")
    assert capsys.readouterr().out == ""

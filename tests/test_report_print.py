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


def test_diagnostics_sorted_file_by_file_as_all_at_once():
    """Report.sorted sorts and makes unique one file's diagnostics at a time: the order of every
    field (file, line, column, severity, rule, message) and each diagnostic once, as one sort of
    all of them gives."""
    import random

    rng = random.Random(7)
    report = Report(base=Path("/"))
    for _ in range(2000):
        path, line, col = f"/ed/tei/{rng.choice('abcde')}.xml", rng.randint(1, 9), rng.randint(1, 3)
        if rng.random() < 0.3:
            report.error(path, line, col, f"message {rng.randint(1, 3)}", rng.choice(["pointer", "date-iso"]))
        else:
            report.warning(path, line, col, f"message {rng.randint(1, 3)}", rng.choice(["pointer-bare", "date-iso"]))
    keyed = {(d.path, d.line, d.col, d.severity, d.rule, d.message): d for d in report.items}
    whole = [keyed[k] for k in sorted(keyed)]
    got = report.sorted()
    assert len(got) == len(whole) < len(report.items) and all(a is b for a, b in zip(got, whole))

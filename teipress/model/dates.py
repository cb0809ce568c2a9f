"""Every date label the edition prints, decided once (ISO parsing is teipress.isodate).

Value strings ('1960-06-17', '1961-02-28/1961-03-30') and model date elements
become labels here; HTML pages, the chronology, registers and the PDF all call
these, so the same date reads the same everywhere.
"""
from __future__ import annotations

import re

from ..isodate import human


def label(value: str) -> str:
    """'1960-06-17' → '17 June 1960'; '1961-02-28/1961-03-30' → '28 February 1961 – 30 March 1961'."""
    if not value:
        return ""
    if "/" in value:
        a, b = value.split("/", 1)
        if a and b:
            return f"{human(a)} – {human(b)}"
        return f"after {human(a)}" if a else f"before {human(b)}"
    return human(value)


def range_label(lo: str, hi: str) -> str:
    """A compact range: '1–15 September 1960', '3 May – 2 June 1961', else 'a – b'."""
    a, b = human(lo), human(hi)
    la, lb = a.split(" "), b.split(" ")
    if len(la) == len(lb) == 3 and la[1:] == lb[1:]:
        return f"{la[0]}–{b}"
    if len(la) == len(lb) == 3 and la[2] == lb[2]:
        return f"{' '.join(la[:2])} – {b}"
    return f"{a} – {b}"


def heading_label(value: str, cert: str = "") -> str:
    """The label that dates a division in contents and bookmarks: compact ranges, 'c.' when
    the editors are unsure (cert low or medium)."""
    value = re.sub(r"T[^/]*", "", value or "")
    if not value:
        return ""
    if "/" in value:
        lo, hi = value.split("/", 1)
        text = range_label(lo, hi) if lo and hi else label(value)
    else:
        text = human(value)
    return f"c. {text}" if cert in ("low", "medium") else text


def year(value: str) -> str:
    """The year of an ISO value, without leading zeros ('0850' → '850')."""
    y = (value or "")[:4]
    return y.lstrip("0") or y


def life_dates(born: str, died: str) -> str:
    """'1906–1998'; '1906–' when only birth is known (never '1906', which reads as one year);
    'd. 1998' when only death is known; '' when neither."""
    b, d = year(born), year(died)
    if b and d:
        return f"{b}–{d}"
    if b:
        return f"{b}–"
    if d:
        return f"d. {d}"
    return ""

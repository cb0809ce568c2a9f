"""ISO 8601 calendar dates as TEI uses them: YYYY, YYYY-MM or YYYY-MM-DD."""
from __future__ import annotations

import calendar
import re
from datetime import date

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class DateError(ValueError):
    pass


def parse(value: str) -> tuple[date, date, str]:
    """Return (earliest day, latest day, precision) of an ISO date, or raise DateError."""
    m = _ISO.match(value or "")
    if not m:
        raise DateError(f"'{value}' is not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)")
    y, mo, d = int(m[1]), m[2], m[3]
    if y == 0:
        raise DateError(f"'{value}': year 0000 does not exist in the Gregorian calendar")
    if mo is None:
        return date(y, 1, 1), date(y, 12, 31), "year"
    mo = int(mo)
    if not 1 <= mo <= 12:
        raise DateError(f"'{value}': month {mo:02d} does not exist")
    last = calendar.monthrange(y, mo)[1]
    if d is None:
        return date(y, mo, 1), date(y, mo, last), "month"
    d = int(d)
    if not 1 <= d <= last:
        raise DateError(f"'{value}': day {d:02d} does not exist in {y}-{mo:02d}")
    return date(y, mo, d), date(y, mo, d), "day"


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def human(iso: str) -> str:
    """'1960-06-17' -> '17 June 1960'; '1961-03' -> 'March 1961'; anything else as it is."""
    parts = iso.split("-")
    try:
        if len(parts) >= 3:
            return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        pass
    return iso

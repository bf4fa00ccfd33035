"""Reading the many ways lists write a date into :class:`core.model.DateValue`.

Precision is kept: "1962" stays a year and "circa 1962" stays circa, because a year-only
date of birth is weaker evidence than a full one and the matching core must know which.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from core.model import DateKind, DateValue

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}

_CIRCA = re.compile(r"^(?:circa|ca\.?|c\.|approx(?:imately|\.)?|about|around)\s+", re.I)
_RANGE = re.compile(r"^(?:between\s+)?(.+?)\s*(?:\s+and\s+|\s+to\s+|\s*-\s*|\s*–\s*)\s*(.+)$", re.I)


def _valid(year: int, month: int | None = None, day: int | None = None) -> bool:
    if not 1000 <= year <= 2100:
        return False
    if month is None:
        return True
    if not 1 <= month <= 12:
        return False
    if day is None:
        return True
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _part(text: str) -> int:
    """A day or month number; a placeholder ("dd", "mm") reads as unknown (0)."""
    return int(text) if text.isdigit() else 0


def iso_prefix(text: str, *, day_first: bool = True) -> str | None:
    """ISO prefix ("1962", "1962-05", "1962-05-01") of one date written in a common way."""
    text = text.strip().strip(".,;")
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", text)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        return f"{y:04d}-{mo:02d}-{d:02d}" if _valid(y, mo, d) else None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if m:
        y, mo = int(m[1]), int(m[2])
        return f"{y:04d}-{mo:02d}" if _valid(y, mo) else None
    m = re.fullmatch(r"(\d{4})", text)
    if m:
        return m[1] if _valid(int(m[1])) else None
    # "12/05/1962", "12.05.1962", "12-05-1962"; the UK writes an unknown day or month as
    # "dd" or "mm" ("dd/mm/1945"), others as "00".
    m = re.fullmatch(r"(\d{1,2}|dd)([/.-])(\d{1,2}|mm)\2(\d{4})", text, re.I)
    if m:
        a, b, y = _part(m[1]), _part(m[3]), int(m[4])
        d, mo = (a, b) if day_first else (b, a)
        if d == 0:  # "00/05/1962", "00/00/1962": the list knows only the month or year
            if mo == 0:
                return f"{y:04d}" if _valid(y) else None
            return f"{y:04d}-{mo:02d}" if _valid(y, mo) else None
        return f"{y:04d}-{mo:02d}-{d:02d}" if _valid(y, mo, d) else None
    m = re.fullmatch(r"(?:00|0|xx)?[/.]?(\d{1,2})[/.](\d{4})", text, re.I)
    if m:  # "00/05/1962" or "05/1962": month and year only
        y, mo = int(m[2]), int(m[1])
        return f"{y:04d}-{mo:02d}" if _valid(y, mo) else None
    m = re.fullmatch(r"(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?[\s-]+(\d{4})", text)
    if m and m[2].lower() in _MONTHS:
        y, mo, d = int(m[3]), _MONTHS[m[2].lower()], int(m[1])
        return f"{y:04d}-{mo:02d}-{d:02d}" if _valid(y, mo, d) else None
    m = re.fullmatch(r"([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})", text)
    if m and m[1].lower() in _MONTHS:
        y, mo, d = int(m[3]), _MONTHS[m[1].lower()], int(m[2])
        return f"{y:04d}-{mo:02d}-{d:02d}" if _valid(y, mo, d) else None
    m = re.fullmatch(r"([A-Za-z]{3,9})\.?[\s-]+(\d{4})", text)
    if m and m[1].lower() in _MONTHS:
        y, mo = int(m[2]), _MONTHS[m[1].lower()]
        return f"{y:04d}-{mo:02d}" if _valid(y, mo) else None
    return None


def parse_date_text(text: str | None, *, day_first: bool = True) -> DateValue | None:
    """A DateValue from free text such as "12 Jan 1962", "circa 1962", "1955 to 1958"."""
    if text is None:
        return None
    original = " ".join(str(text).split())
    if not original:
        return None
    body = original
    kind = DateKind.EXACT
    m = _CIRCA.match(body)
    if m:
        kind = DateKind.CIRCA
        body = body[m.end() :]
    single = iso_prefix(body, day_first=day_first)
    if single:
        return DateValue(value=single, kind=kind, text=original)
    m = _RANGE.match(body)
    if m:
        start = iso_prefix(m[1], day_first=day_first)
        end = iso_prefix(m[2], day_first=day_first)
        if start and end:
            return DateValue(value=start, kind=DateKind.RANGE, end=end, text=original)
    return None


def from_cell(value: object, *, day_first: bool = True) -> DateValue | None:
    """A DateValue from a spreadsheet cell that may already be a date."""
    if isinstance(value, datetime):
        return DateValue(value=value.date().isoformat(), text=value.date().isoformat())
    if isinstance(value, date):
        return DateValue(value=value.isoformat(), text=value.isoformat())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return parse_date_text(str(value), day_first=day_first)
    return parse_date_text(value if isinstance(value, str) else None, day_first=day_first)

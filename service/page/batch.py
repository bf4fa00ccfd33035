"""The party names of a batch screening, from pasted or uploaded CSV.

One party a row: ``name[,type,country,date_of_birth]``, with or without a header row
(a header is recognised by a "name" cell among known column names; its columns may then
come in any order). Each row becomes an API :class:`service.schemas.Party`, so the page
accepts exactly what ``POST /v1/screen`` accepts, with two kindnesses for people typing by
hand: type words ("individual", "company", "organisation") and country names ("Iran") are
understood.

The batch is bounded (``page_batch_max_rows``): a longer one is refused as a whole with a
message saying so, rather than screened in part.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from pydantic import ValidationError

from core.countries import country_code
from service.schemas import Party

COLUMNS = ("name", "type", "country", "date_of_birth")
COLUMN_ALIASES = {
    "dob": "date_of_birth",
    "birth_date": "date_of_birth",
    "date of birth": "date_of_birth",
    "kind": "type",
}
TYPE_WORDS = {
    "person": "person",
    "individual": "person",
    "organization": "organization",
    "organisation": "organization",
    "entity": "organization",
    "company": "organization",
    "vessel": "vessel",
    "ship": "vessel",
    "aircraft": "aircraft",
}


class BatchError(ValueError):
    """The batch as a whole cannot be screened (too many rows, not CSV, no rows)."""


@dataclass(frozen=True, slots=True)
class BatchRow:
    line: int  # 1-based line of the CSV, for messages
    cells: tuple[str, ...]
    party: Party | None
    error: str | None


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BatchError("the file is not UTF-8 text (save the CSV as UTF-8)") from exc


def _party(values: dict[str, str]) -> Party:
    if not values.get("name", "").strip():
        raise ValueError("the name is blank")
    kind = values.get("type", "").strip().lower()
    country = values.get("country", "").strip()
    code = None
    if country:
        code = country.upper() if len(country) == 2 else country_code(country)
        if code is None:
            raise ValueError(f"unknown country {country[:40]!r} (use a code such as IR)")
    if kind and kind not in TYPE_WORDS:
        raise ValueError(f"unknown type {kind[:30]!r} (person, organization, vessel, aircraft)")
    return Party(
        name=values.get("name", "").strip(),
        type=TYPE_WORDS.get(kind) if kind else None,  # type: ignore[arg-type]
        country=code,
        date_of_birth=values.get("date_of_birth", "").strip() or None,
    )


def _error_text(exc: ValidationError | ValueError) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first.get("loc", ()))
        message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
        return f"{field}: {message}" if field else message
    return str(exc)


def _header(cells: list[str]) -> list[str] | None:
    names = [COLUMN_ALIASES.get(c.strip().lower(), c.strip().lower()) for c in cells]
    if "name" not in names or (names[0] != "name" and not set(names) <= set(COLUMNS)):
        return None
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        raise BatchError(f"unknown column {unknown[0][:30]!r}; columns: {', '.join(COLUMNS)}")
    return names


def parse_batch(text: str | bytes, max_rows: int, max_name_length: int) -> list[BatchRow]:
    """The rows of a batch; raises :class:`BatchError` when the batch as a whole is refused."""
    if isinstance(text, bytes):
        text = _decode(text)
    try:
        records = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise BatchError(f"not readable as CSV: {exc}") from exc
    numbered = [(i + 1, r) for i, r in enumerate(records) if any(c.strip() for c in r)]
    if not numbered:
        raise BatchError("no party names: paste or upload one name per line")
    columns: list[str] = list(COLUMNS)
    header = _header(numbered[0][1])
    if header is not None:
        columns = header
        numbered = numbered[1:]
    if len(numbered) > max_rows:
        raise BatchError(f"at most {max_rows} rows per batch (got {len(numbered)}); split the file")
    if not numbered:
        raise BatchError("the CSV has a header but no rows")
    rows: list[BatchRow] = []
    for line, cells in numbered:
        if len(cells) > len(columns):
            error = f"{len(cells)} columns; expected at most {len(columns)} ({', '.join(columns)})"
            rows.append(BatchRow(line, tuple(cells), None, error))
            continue
        values = dict(zip(columns, cells, strict=False))
        if len(values.get("name", "")) > max_name_length:
            rows.append(
                BatchRow(line, tuple(cells), None, f"name longer than {max_name_length} characters")
            )
            continue
        try:
            rows.append(BatchRow(line, tuple(cells), _party(values), None))
        except (ValidationError, ValueError) as exc:
            rows.append(BatchRow(line, tuple(cells), None, _error_text(exc)))
    return rows

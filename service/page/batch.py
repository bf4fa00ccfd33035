"""The party names of a batch screening, from the rows of a pasted text, a CSV or a workbook.

One party a row: ``name[,type,country,date_of_birth]``, with or without a header row. A
header is recognised when its cells are known column names — in English or in the words
offices of the region use ("氏名", "이름", "姓名", "国籍"...) — and its columns may then
come in any order. A header the page does not know, or more than four columns, needs the
officer to say which column holds what (:class:`Columns`, the page's column picker);
:class:`ColumnsNeeded` carries what the picker shows.

Each row becomes an API :class:`service.schemas.Party`, so the page accepts exactly what
``POST /v1/screen`` accepts, with two kindnesses for people typing by hand: type words
("individual", "company", "organisation") and country names ("Iran") are understood.

The batch is bounded (the ``page_batch_max_rows`` setting): a longer one is refused as a
whole with a message naming the limit and the setting, rather than screened in part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from core.countries import country_code
from service.i18n import MessageError
from service.outcomes import N_
from service.schemas import Party

COLUMNS = ("name", "type", "country", "date_of_birth")
COLUMN_ALIASES = {
    "dob": "date_of_birth",
    "birth_date": "date_of_birth",
    "date of birth": "date_of_birth",
    "birth date": "date_of_birth",
    "kind": "type",
    "party": "name",
    "party name": "name",
    "full name": "name",
    "nationality": "country",
    # Japanese
    "名前": "name",
    "氏名": "name",
    "名称": "name",
    "種別": "type",
    "区分": "type",
    "国": "country",
    "国名": "country",
    "国籍": "country",
    "生年月日": "date_of_birth",
    # Korean
    "이름": "name",
    "성명": "name",
    "명칭": "name",
    "상호": "name",
    "유형": "type",
    "구분": "type",
    "국가": "country",
    "국적": "country",
    "생년월일": "date_of_birth",
    # Chinese
    "姓名": "name",
    "名稱": "name",
    "类型": "type",
    "類型": "type",
    "国家": "country",
    "國家": "country",
    "國籍": "country",
    "出生日期": "date_of_birth",
    # Hindi
    "नाम": "name",
    "प्रकार": "type",
    "देश": "country",
    "जन्म तिथि": "date_of_birth",
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
PREVIEW_ROWS = 5


class BatchError(MessageError):
    """The batch as a whole cannot be screened (too many rows, not a table, no rows)."""


@dataclass(frozen=True, slots=True)
class Columns:
    """Which column (0-based) holds what; ``header``: the first row names the columns."""

    name: int
    type: int | None = None
    country: int | None = None
    date_of_birth: int | None = None
    header: bool = False

    def of(self, cells: Sequence[str]) -> dict[str, str]:
        values: dict[str, str] = {}
        for field in COLUMNS:
            index = getattr(self, field)
            if index is not None and index < len(cells):
                values[field] = cells[index]
        return values

    @property
    def used(self) -> tuple[int, ...]:
        return tuple(
            i for i in (self.name, self.type, self.country, self.date_of_birth) if i is not None
        )


POSITIONAL = Columns(0, 1, 2, 3)


class ColumnsNeeded(BatchError):
    """The page must ask which column holds the names: the header is not one it knows."""

    def __init__(self, first_row: Sequence[str], guess: dict[str, int], preview: list[list[str]]):
        super().__init__(N_("Choose which column holds the names."))
        self.first_row = list(first_row)
        self.guess = guess  # field -> column, from the header cells the page knows
        self.preview = preview


class RowError(MessageError):
    """Why one row could not be screened (the others are)."""


@dataclass(frozen=True, slots=True)
class BatchRow:
    line: int  # 1-based line of the file, for messages
    cells: tuple[str, ...]
    party: Party | None
    problem: RowError | None

    @property
    def error(self) -> str | None:
        """Why the row was not screened, in English (records); the page says it with
        ``problem.say(messages)``."""
        return str(self.problem) if self.problem else None


def column_name(cell: str) -> str | None:
    """The field a header cell names, in any of the languages known, else None."""
    key = " ".join(cell.strip().lower().replace("_", " ").split())
    key = COLUMN_ALIASES.get(key, COLUMN_ALIASES.get(key.replace(" ", ""), key))
    key = key.replace(" ", "_")
    return key if key in COLUMNS else None


def _party(values: dict[str, str]) -> Party:
    if not values.get("name", "").strip():
        raise RowError(N_("The name is blank."))
    kind = values.get("type", "").strip().lower()
    country = values.get("country", "").strip()
    code = None
    if country:
        code = country.upper() if len(country) == 2 else country_code(country)
        if code is None:
            raise RowError(
                N_("Unknown country “{country}” (use a code such as IR)."), country=country[:40]
            )
    if kind and kind not in TYPE_WORDS:
        raise RowError(
            N_("Unknown type “{type}” (person, organization, vessel, aircraft)."), type=kind[:30]
        )
    return Party(
        name=values.get("name", "").strip(),
        type=TYPE_WORDS.get(kind) if kind else None,  # type: ignore[arg-type]
        country=code,
        date_of_birth=values.get("date_of_birth", "").strip() or None,
    )


def _problem(exc: ValidationError) -> RowError:
    """The API model's refusal of a row (a malformed date of birth...), as it says it."""
    first = exc.errors()[0]
    field = ".".join(str(part) for part in first.get("loc", ()))
    message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
    return RowError("{reason}", reason=f"{field}: {message}" if field else message)


def guess_columns(
    first_row: Sequence[str], preview: list[list[str]], positional: bool = True
) -> Columns:
    """The columns from the first row; :class:`ColumnsNeeded` when the officer must say.
    ``positional``: a first row of no known column names may be a party (typed text);
    a file's first row of unknown words is taken for a header the officer must map."""
    cells = [c for c in first_row]
    named = [column_name(c) for c in cells]
    known = {field: i for i, field in enumerate(named) if field is not None}
    filled = [i for i, c in enumerate(cells) if c.strip()]
    if "name" in known and all(named[i] is not None for i in filled):
        return Columns(header=True, **known)
    if positional and not known and len(cells) <= len(COLUMNS):
        return POSITIONAL  # no header: name[,type,country,date_of_birth]
    raise ColumnsNeeded(first_row, known, preview)


def parse_table(
    records: list[list[str]],
    max_rows: int,
    max_name_length: int,
    columns: Columns | None = None,
    positional: bool = True,
) -> list[BatchRow]:
    """The rows of a batch; raises :class:`BatchError` when the batch as a whole is refused
    (:class:`ColumnsNeeded` when the officer must pick the columns first)."""
    numbered = [(i + 1, r) for i, r in enumerate(records) if any(c.strip() for c in r)]
    if not numbered:
        raise BatchError(N_("No party names: paste or upload one name per line."))
    if columns is None:
        preview = [r for _, r in numbered[:PREVIEW_ROWS]]
        columns = guess_columns(numbered[0][1], preview, positional)
    if columns.header:
        numbered = numbered[1:]
    if len(numbered) > max_rows:
        raise BatchError(
            N_(
                "The batch has {got} rows: at most {limit} rows per batch (got {got}). Split "
                "the file, or ask the administrator to raise the page_batch_max_rows "
                "setting (SCREENING_PAGE_BATCH_MAX_ROWS)."
            ),
            limit=max_rows,
            got=len(numbered),
        )
    if not numbered:
        raise BatchError(N_("The file has a header but no rows."))
    positional = columns == POSITIONAL and not columns.header
    rows: list[BatchRow] = []
    for line, cells in numbered:
        if positional and len([c for c in cells if c.strip()]) > len(COLUMNS):
            problem = RowError(
                N_("{n} columns; expected at most 4 (name, type, country, date_of_birth)."),
                n=len(cells),
            )
            rows.append(BatchRow(line, tuple(cells), None, problem))
            continue
        values = columns.of(cells)
        if len(values.get("name", "")) > max_name_length:
            problem = RowError(N_("The name is longer than {n} characters."), n=max_name_length)
            rows.append(BatchRow(line, tuple(cells), None, problem))
            continue
        try:
            rows.append(BatchRow(line, tuple(cells), _party(values), None))
        except RowError as exc:
            rows.append(BatchRow(line, tuple(cells), None, exc))
        except ValidationError as exc:
            rows.append(BatchRow(line, tuple(cells), None, _problem(exc)))
    return rows

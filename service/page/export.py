"""The record of a check for the case file, as CSV or as an Excel workbook: one row per
candidate, each row whole.

Every row repeats when the check was made, who made it, what was asked and which list
versions were searched, so a row copied alone into a case file still says what it proves.
A candidate is a party: its row names the listing that decided it and, in
``party_listings``, every listing of that party (entity ids).
A check with no candidate still gets a row (the proof that the name was screened). The
workbook has the same rows on its first sheet and the list versions on a second. A
candidate that recorded decisions cleared (every listing of the party that alerted) says
by whom, when and why (its outcome is "cleared by decision"); ``cleared_listings`` names
each listing of the party a decision cleared, with who, when and why, also while another
listing of the party still alerts.

Outcomes are the glossary's words (:mod:`service.outcomes`) and each candidate's ``reason``
is the sentence the page shows (in English: a record reads the same for every reader).

Cells that a spreadsheet would run as a formula (starting with = + - @ or a control
character) are prefixed with an apostrophe: list data and typed names are not trusted.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import xlsxwriter

from engines.base import Hit, ListInfo
from service.outcomes import ended_on, hit_outcome
from service.schemas import ClearedOut, MatchOut
from service.sentences import explanation_sentence

HEADER = (
    "checked_at",
    "checked_by",
    "row",
    "query",
    "query_type",
    "query_country",
    "query_date_of_birth",
    "outcome",
    "rank",
    "score",
    "candidate_outcome",
    "entity_id",
    "listed_name",
    "matched_name",
    "matched_name_role",
    "kind",
    "programs",
    "list",
    "list_version",
    "list_published",
    "party_id",
    "party_listings",
    "reason",
    "explanation",
    "lists_searched",
    "index_version",
    "cleared_by",
    "cleared_at",
    "cleared_reason",
    "cleared_decision",
    "cleared_listings",
)
LIST_HEADER = ("list", "title", "publisher", "version", "published", "entities")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CANDIDATE_COLUMNS = HEADER.index("explanation") - HEADER.index("rank") + 1
_NOT_CLEARED = [""] * (len(HEADER) - HEADER.index("cleared_by"))


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


@dataclass(frozen=True, slots=True)
class CheckedQuery:
    row: int
    name: str
    type: str | None
    country: str | None
    date_of_birth: str | None
    outcome: str  # the glossary's word, or "not screened: ..." for a row that could not be
    hits: Sequence[Hit]
    # The recorded match of each candidate, by its entity id: its clearance and its
    # listings' (service.page.recording.matches_of).
    matches: Mapping[str, MatchOut] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RecordHead:
    """What every row of one record repeats."""

    lists: Sequence[ListInfo]
    index_version: str
    checked_at: str
    checked_by: str


def lists_searched(lists: Sequence[ListInfo]) -> str:
    return "; ".join(
        f"{item.id} {item.version} (published {item.published or 'unknown'})" for item in lists
    )


def record_rows(checks: Iterable[CheckedQuery], head: RecordHead) -> Iterator[list[str]]:
    """The record's rows after the header, each cell made safe for a spreadsheet."""
    by_id = {item.id: item for item in head.lists}
    tail = [lists_searched(head.lists), head.index_version]
    for check in checks:
        first = [
            head.checked_at,
            head.checked_by,
            check.row,
            check.name,
            check.type,
            check.country,
            check.date_of_birth,
            check.outcome,
        ]
        if not check.hits:
            candidate_blank = [""] * _CANDIDATE_COLUMNS
            yield [safe_cell(v) for v in [*first, *candidate_blank, *tail, *_NOT_CLEARED]]
            continue
        for rank, hit in enumerate(check.hits, 1):
            listed = by_id.get(hit.entity.list_id)
            explanation = hit.explanation
            match = check.matches.get(hit.entity.id)
            cleared = match.cleared if match else None
            candidate = [
                rank,
                f"{hit.score:.4f}",
                hit_outcome(hit, cleared is not None).value,
                hit.entity.id,
                hit.entity.primary_name,
                explanation.name.listed_name,
                explanation.name.listed_role,
                hit.entity.kind.value,
                "; ".join(hit.entity.programs),
                hit.entity.list_id,
                listed.version if listed else "",
                listed.published if listed and listed.published else "",
                hit.party.id if hit.party else "",
                " ".join(hit.party.entity_ids) if hit.party else hit.entity.id,
                explanation_sentence(
                    check.name, explanation, kind=hit.entity.kind.value, ended_on=ended_on(hit)
                ),
                explanation.render().replace("\n", " | "),
            ]
            decided = [
                *(
                    [cleared.by, cleared.at, cleared.reason, cleared.decision_id]
                    if cleared
                    else _NOT_CLEARED[:-1]
                ),
                cleared_listings(match),
            ]
            yield [safe_cell(v) for v in [*first, *candidate, *tail, *decided]]


def cleared_listings(match: MatchOut | None) -> str:
    """Each listing of the match's party that a recorded decision cleared, with who, when
    and why: "entity id: cleared by WHO at WHEN: REASON (decision ID)", joined by " | "."""
    if match is None:
        return ""
    return " | ".join(
        _clearance_text(item.entity_id, item.cleared) for item in match.listings if item.cleared
    )


def _clearance_text(entity_id: str, cleared: ClearedOut) -> str:
    reason = " ".join(cleared.reason.split())
    return (
        f"{entity_id}: cleared by {cleared.by} at {cleared.at}: {reason} "
        f"(decision {cleared.decision_id})"
    )


def checks_csv(checks: Iterable[CheckedQuery], head: RecordHead) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(record_rows(checks, head))
    return out.getvalue()


def checks_xlsx(checks: Iterable[CheckedQuery], head: RecordHead) -> bytes:
    """The record as a workbook: sheet "Screening" (the CSV's rows), sheet "Lists"."""
    out = io.BytesIO()
    # Every cell is written as text: no formula, number or date is inferred from list data.
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("Screening")
    sheet.write_row(0, 0, HEADER, bold)
    written = 0
    for written, cells in enumerate(record_rows(checks, head), 1):
        for column, value in enumerate(cells):
            sheet.write_string(written, column, value)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(written, 1), len(HEADER) - 1)
    lists = book.add_worksheet("Lists")
    lists.write_row(0, 0, LIST_HEADER, bold)
    for row, item in enumerate(head.lists, 1):
        published = item.published.isoformat() if item.published else ""
        values = (item.id, item.title, item.publisher, item.version, published)
        for column, value in enumerate(values):
            lists.write_string(row, column, safe_cell(value))
        lists.write_number(row, len(values), item.entities)
    footer = len(head.lists) + 2
    lists.write_string(footer, 0, "index_version", bold)
    lists.write_string(footer, 1, head.index_version)
    lists.write_string(footer + 1, 0, "checked_at", bold)
    lists.write_string(footer + 1, 1, head.checked_at)
    lists.write_string(footer + 2, 0, "checked_by", bold)
    lists.write_string(footer + 2, 1, safe_cell(head.checked_by))
    book.close()
    return out.getvalue()

"""The record of a check for the case file, as CSV: one row per candidate, each row whole.

Every row repeats when the check was made, who made it, what was asked and which list
versions were searched, so a row copied alone into a case file still says what it proves.
A check with no candidate still gets a row (the proof that the name was screened). A
candidate that a recorded decision cleared says by whom, when and why.

Cells that a spreadsheet would run as a formula (starting with = + - @ or a control
character) are prefixed with an apostrophe: list data and typed names are not trusted.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from engines.base import Hit, ListInfo
from service.page.explain import verdict
from service.schemas import ClearedOut

HEADER = (
    "checked_at",
    "checked_by",
    "row",
    "query",
    "query_type",
    "query_country",
    "query_date_of_birth",
    "decision",
    "rank",
    "score",
    "verdict",
    "entity_id",
    "listed_name",
    "matched_name",
    "matched_name_role",
    "kind",
    "programs",
    "list",
    "list_version",
    "list_published",
    "explanation",
    "lists_searched",
    "index_version",
    "cleared_by",
    "cleared_at",
    "cleared_reason",
    "cleared_decision",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
    decision: str  # alert / clear, or "error: ..." for a row that could not be screened
    hits: Sequence[Hit]
    cleared: Mapping[str, ClearedOut] = field(default_factory=dict)  # by entity id


def lists_searched(lists: Sequence[ListInfo]) -> str:
    return "; ".join(
        f"{item.id} {item.version} (published {item.published or 'unknown'})" for item in lists
    )


def checks_csv(
    checks: Iterable[CheckedQuery],
    *,
    lists: Sequence[ListInfo],
    index_version: str,
    checked_at: str,
    checked_by: str,
) -> str:
    by_id = {item.id: item for item in lists}
    searched = lists_searched(lists)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for check in checks:
        head = [
            checked_at,
            checked_by,
            check.row,
            check.name,
            check.type,
            check.country,
            check.date_of_birth,
            check.decision,
        ]
        tail = [searched, index_version]
        if not check.hits:
            writer.writerow([safe_cell(v) for v in [*head, *[""] * 13, *tail, "", "", "", ""]])
            continue
        for rank, hit in enumerate(check.hits, 1):
            listed = by_id.get(hit.entity.list_id)
            name = hit.explanation.name
            row = [
                rank,
                f"{hit.score:.4f}",
                verdict(hit.score, hit.explanation.threshold),
                hit.entity.id,
                hit.entity.primary_name,
                name.listed_name,
                name.listed_role,
                hit.entity.kind.value,
                "; ".join(hit.entity.programs),
                hit.entity.list_id,
                listed.version if listed else "",
                listed.published if listed and listed.published else "",
                hit.explanation.render().replace("\n", " | "),
            ]
            cleared = check.cleared.get(hit.entity.id)
            decided = (
                [cleared.by, cleared.at, cleared.reason, cleared.decision_id]
                if cleared
                else ["", "", "", ""]
            )
            writer.writerow([safe_cell(v) for v in [*head, *row, *tail, *decided]])
    return out.getvalue()

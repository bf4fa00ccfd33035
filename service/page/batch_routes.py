"""``GET|POST /batch``: a pasted text, a CSV in the office's encoding or an Excel workbook
of parties, screened row by row and recorded in the audit trail like ``POST /v1/screen``.

Each row shows its outcome and every candidate at or above the review line (the best one
open, the others a click away). The file read travels with the form (as base64 in a hidden
field), so choosing another encoding or the columns, or downloading the results as CSV or
Excel, needs no second upload. Each screening, downloads included, is its own audit record.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from core.score import ALERT_THRESHOLD
from engines.base import EngineUnavailable, Hit, IndexInfo
from service.audit import PAGE_BATCH, AuditError
from service.auth import Scope
from service.i18n import Messages
from service.outcomes import REVIEW_LINE, Outcome, party_outcome
from service.page.batch import (
    COLUMNS,
    BatchError,
    BatchRow,
    Columns,
    ColumnsNeeded,
    parse_table,
)
from service.page.batch_files import (
    ENCODING_NAMES,
    ENCODINGS,
    BatchFileError,
    Table,
    read_text,
    read_upload,
)
from service.page.common import (
    CSV_TYPE,
    XLSX_TYPE,
    StateDep,
    csrf_ok,
    csrf_refused,
    download,
    engine_of,
    enter,
    unavailable,
)
from service.page.common import (
    field as form_field,
)
from service.page.export import CheckedQuery, RecordHead, checks_csv, checks_xlsx
from service.page.recording import matches_of, record_page_screening
from service.page.render import Access, messages_of, render
from service.page.search_routes import ResultItem, result_items
from service.schemas import PartyResult, ScreenResponse
from service.screening import engine_limit, kept_hits, lists_used, query_of

router = APIRouter(include_in_schema=False)

BATCH_MATCHES = 10  # candidates screened per row; those at or above the review line are shown


@dataclass(frozen=True, slots=True)
class BatchResult:
    row: BatchRow
    outcome: Outcome | None  # None: the row could not be screened (row.error says why)
    candidates: list[ResultItem] = field(default_factory=list)  # at or above the review line

    @property
    def best(self) -> ResultItem | None:
        return self.candidates[0] if self.candidates else None


@dataclass(frozen=True, slots=True)
class Source:
    """The batch as submitted, to carry in the form: pasted text or a file's bytes."""

    text: str
    file_name: str | None
    file_data: bytes | None
    encoding: str | None  # chosen by the officer; None: detect

    @property
    def file_b64(self) -> str:
        return base64.b64encode(self.file_data).decode() if self.file_data else ""

    def table(self) -> Table:
        if self.file_data is not None:
            return read_upload(self.file_data, self.file_name or "", self.encoding)
        return read_text(self.text)


async def _source(form: Any) -> Source:
    text = form_field(form, "csv") or ""
    encoding = form_field(form, "encoding") or None
    if encoding not in ENCODING_NAMES:
        encoding = None
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        return Source(text, upload.filename, await upload.read(), encoding)
    carried = form_field(form, "file_data")
    if carried:
        try:
            data = base64.b64decode(carried, validate=True)
        except (binascii.Error, ValueError):
            data = b""
        return Source(text, form_field(form, "file_name") or "", data, encoding)
    return Source(text, None, None, None)


def _columns(form: Any) -> Columns | None:
    """The officer's choice in the column picker, when the form carries one."""
    if form_field(form, "columns") != "chosen":
        return None

    def index(name: str) -> int | None:
        value = form_field(form, f"col_{name}") or ""
        return int(value) if value.isdigit() else None

    name = index("name")
    if name is None:
        return None
    return Columns(
        name=name,
        type=index("type"),
        country=index("country"),
        date_of_birth=index("date_of_birth"),
        header=form_field(form, "header") == "1",
    )


@router.get("/batch", response_class=HTMLResponse)
async def batch_form(request: Request, state: StateDep) -> Response:
    access, info, refused = await enter(request, state, Scope.SCREEN)
    if refused is not None:
        return refused
    return render(request, access, "batch.html", info=info, state=state, **_context(state))


def _context(state: StateDep, **values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "text": "",
        "results": None,
        "error": None,
        "picker": None,
        "source": None,
        "table": None,
        "chosen": (),
        "columns_chosen": None,
        "max_rows": state.settings.page_batch_max_rows,
        "encodings": ENCODINGS,
        "encoding_names": ENCODING_NAMES,
        "fields": COLUMNS,
    }
    return base | values


async def _screen_batch(
    request: Request, state: StateDep, access: Access, rows: list[BatchRow], chosen: list[str]
) -> tuple[IndexInfo, list[list[Hit]], list[PartyResult], ScreenResponse | None]:
    """Screens the valid rows, honours recorded decisions and records them in the audit
    trail (what the page shows: the candidates at or above the review line)."""
    engine = engine_of(state)
    info = await engine.info()
    parties = [row.party for row in rows if row.party is not None]
    hits_per_party: list[list[Hit]] = []
    for party in parties:
        hits = await engine.screen(
            query_of(party),
            limit=engine_limit(BATCH_MATCHES, True),
            lists=chosen or None,
            min_score=REVIEW_LINE,
        )
        hits_per_party.append(hits)
    if not parties:
        return info, hits_per_party, [], None
    results, response = await record_page_screening(
        request, state, access, info, parties, hits_per_party,
        lists=chosen, limit=BATCH_MATCHES, channel=PAGE_BATCH, min_score=REVIEW_LINE,
    )  # fmt: skip
    # One candidate per party, as the search page shows them.
    shown = [kept_hits(hits, REVIEW_LINE, limit=BATCH_MATCHES) for hits in hits_per_party]
    return info, shown, results, response


def _results(
    rows: list[BatchRow],
    hits_per_party: list[list[Hit]],
    results: list[PartyResult],
    info: IndexInfo,
    messages: Messages,
) -> tuple[list[BatchResult], list[CheckedQuery]]:
    out: list[BatchResult] = []
    checks: list[CheckedQuery] = []
    found = iter(zip(hits_per_party, results, strict=True))
    for row in rows:
        if row.party is None:
            out.append(BatchResult(row, None))
            cells = ",".join(row.cells)
            checks.append(
                CheckedQuery(row.line, cells, None, None, None, f"not screened: {row.error}", [])
            )
            continue
        hits, result = next(found)
        matches = matches_of(result)
        items = result_items(row.party.name or "", hits, info, messages, matches)
        outcome = party_outcome(item.outcome for item in items)
        out.append(BatchResult(row, outcome, items))
        party = row.party
        checks.append(
            CheckedQuery(
                row.line,
                party.name or "",
                party.type,
                party.country,
                party.date_of_birth,
                outcome.value,
                hits,
                matches,
            )
        )
    return out, checks


@router.post("/batch", response_class=HTMLResponse)
async def batch_submit(request: Request, state: StateDep) -> Response:
    access, info, refused = await enter(request, state, Scope.SCREEN)
    if refused is not None:
        return refused
    form = await request.form()
    if not csrf_ok(request, access, form):
        return csrf_refused(request, access, state, info)
    messages = messages_of(request)
    loaded = {item.id for item in info.lists} if info else set()
    chosen = [str(v) for v in form.getlist("list") if v in loaded]
    source = await _source(form)
    columns = _columns(form)
    settings = state.settings
    context = _context(
        state, text=source.text, chosen=chosen, source=source, columns_chosen=columns
    )
    try:
        table = source.table()
        context["table"] = table
        rows = parse_table(
            table.rows,
            settings.page_batch_max_rows,
            settings.max_name_length,
            columns,
            positional=table.kind == "text",  # a file's unknown first row is a header
        )
    except ColumnsNeeded as needed:
        context["picker"] = needed
        return render(request, access, "batch.html", info=info, state=state, **context)
    except (BatchError, BatchFileError) as exc:
        context["error"] = exc.say(messages)
        return render(request, access, "batch.html", info=info, state=state, **context)
    try:
        info_used, hits_per_party, screened, response = await _screen_batch(
            request, state, access, rows, chosen
        )
    except EngineUnavailable as exc:
        return unavailable(request, access, state, exc)
    except AuditError as exc:
        message = messages.tr(
            "The batch was not screened because it could not be recorded: {reason}", reason=exc
        )
        return render(
            request, access, "error.html", info=info, state=state, status=503, message=message
        )
    results, checks = _results(rows, hits_per_party, screened, info_used, messages)
    now = datetime.now(UTC)
    action = form_field(form, "action")
    if action in ("csv", "xlsx"):
        head = RecordHead(
            lists=lists_used(info_used, chosen or None),
            index_version=info_used.version,
            checked_at=now.isoformat(timespec="seconds"),
            checked_by=access.label,
        )
        name = f"screening-batch-{now:%Y%m%d-%H%M%S}"
        if action == "xlsx":
            return download(checks_xlsx(checks, head), XLSX_TYPE, name + ".xlsx")
        return download(checks_csv(checks, head), CSV_TYPE, name + ".csv")
    outcomes = [r.outcome for r in results]
    context |= {
        "results": results,
        "request_id": response.request_id if response else None,
        "checked_at": now.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "batch_outcome": party_outcome(o for o in outcomes if o is not None),
        "alerts": outcomes.count(Outcome.ALERT),
        "reviews": outcomes.count(Outcome.NEEDS_REVIEW),
        "errors": outcomes.count(None),
        "searched": lists_used(info_used, chosen or None),
        "threshold": ALERT_THRESHOLD,
    }
    return render(request, access, "batch.html", info=info, state=state, **context)

"""`screening audit`: check, export and purge the audit chain of the configured store.

    screening audit verify [--json]
    screening audit export [--from DATE] [--to DATE] [--format jsonl|csv] [--output FILE]
    screening audit purge  [--days N]

Each reads the store exactly as ``screening serve`` does: the same settings
(``SCREENING_DATABASE_URL``, else ``SCREENING_AUDIT_DB``; ``SCREENING_AUDIT_CHAIN_KEY``),
from the environment or the ``SCREENING_SETTINGS_FILE``. Exit status: 0 the chain is whole
(or the export/purge done), 1 verify found a missing or altered record (named on stderr),
2 the store cannot be opened or an argument is wrong.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from service.store.base import StoreError
from service.store.chain import verify
from service.store.sql import SqlStore

EXPORT_COLUMNS = (
    "seq",
    "kind",
    "record_id",
    "at",
    "key_name",
    "subject",
    "entity_id",
    "prev_hash",
    "hash",
    "record",
)


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "audit",
        help="verify, export or purge the audit chain (the store `serve` is configured with)",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "verify", help="walk the chain; name the first missing or altered record (exit 1)"
    )
    check.add_argument("--json", action="store_true", help="print the outcome as JSON")
    check.set_defaults(handler=run_verify)

    export = actions.add_parser("export", help="records with their chain, for auditors")
    export.add_argument("--from", dest="start", type=_date, metavar="DATE", help="from (ISO)")
    export.add_argument("--to", dest="end", type=_date, metavar="DATE", help="before (ISO)")
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    export.add_argument("--output", type=Path, metavar="FILE", help="default: stdout")
    export.set_defaults(handler=run_export)

    purge = actions.add_parser("purge", help="apply the retention now (recorded in the chain)")
    purge.add_argument(
        "--days", type=int, metavar="N", help="keep N days (default audit_retention_days)"
    )
    purge.set_defaults(handler=run_purge)


def _date(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date or date-time: {text!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def _fail(message: str) -> int:
    print(f"screening audit: error: {message}", file=sys.stderr)
    return 2


@contextmanager
def configured_store() -> Iterator[tuple[SqlStore, int]]:
    """The store of the settings (as `serve` opens it) and the retention in days."""
    from service.server import StartupError, load_settings, store_of

    try:
        settings = load_settings()
        store = store_of(settings)
    except StartupError as exc:
        raise StoreError(str(exc)) from exc
    try:
        yield store, settings.audit_retention_days
    finally:
        store.close()


def run_verify(args: argparse.Namespace) -> int:
    try:
        with configured_store() as (store, _):
            verdict = verify(store.rows(), store.head(), store.chain_key)
            where = store.where
    except StoreError as exc:
        return _fail(str(exc))
    if args.json:
        print(json.dumps({"store": where, **verdict.to_dict()}, indent=2))
    if not verdict.ok:
        print(f"screening audit verify: {where}: {verdict.problem}", file=sys.stderr)
        return 1
    if not args.json:
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(verdict.kinds.items())) or "no records"
        head = verdict.head
        print(
            f"{where}: the chain is whole: {verdict.checked} records ({kinds}), "
            f"head {head.seq if head else 0} {head.hash if head else ''}"
            + (f"; records up to {verdict.purged_through} purged" if verdict.purged_through else "")
        )
    return 0


def run_export(args: argparse.Namespace) -> int:
    try:
        with configured_store() as (store, _), _output(args.output) as out:
            rows = store.rows(start=args.start, end=args.end)
            if args.format == "jsonl":
                for row in rows:
                    out.write(json.dumps(row.to_export(), ensure_ascii=False) + "\n")
            else:
                writer = csv.writer(out, lineterminator="\r\n")
                writer.writerow(EXPORT_COLUMNS)
                for row in rows:
                    values = row.to_export()
                    values["record"] = row.body
                    writer.writerow([values[c] for c in EXPORT_COLUMNS])
    except StoreError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot write {args.output}: {exc}")
    return 0


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    with path.open("w", encoding="utf-8", newline="") as handle:
        yield handle


def run_purge(args: argparse.Namespace) -> int:
    if args.days is not None and args.days < 1:
        return _fail("--days must be 1 or more")
    try:
        with configured_store() as (store, retention):
            days = args.days or retention
            if not days:
                print("audit_retention_days is 0: records are kept forever, nothing purged")
                return 0
            now = datetime.now(UTC)
            removed = store.purge(now - timedelta(days=days), now)
    except StoreError as exc:
        return _fail(str(exc))
    print(f"purged {removed} records older than {days} days (recorded in the chain)")
    return 0

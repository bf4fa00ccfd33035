"""`screening refresh`: the nightly job — fetch, check, diff, publish, re-screen, report.

Exit status: 0 every list is up to date (published, or "no change"), 1 a safety check
stopped publication (the previous version keeps serving; report.json says why), 2 a
usage or configuration error, 3 partial: published or unchanged, but a list could not be
downloaded or parsed and kept its previous version (``--on-list-error keep-previous``;
report.json ``partial`` and ``warnings`` name it and why).
With ``--engine-url`` it publishes to Elasticsearch/OpenSearch (credentials, TLS and
timeouts from SCREENING_ENGINE_*, as for ``screening index``). See deploy/refresh.md for
running it from CI, Kubernetes or systemd.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core.parties import parties_of
from engines.connection import KINDS
from engines.mapping import ENTITY_ALIAS
from indexer.checks import DEFAULT_MAX_SHRINK, CheckSettings
from indexer.download import DownloadSettings
from indexer.publishers import (
    IndexUnavailable,
    Publisher,
    PublisherConfigError,
    open_publisher,
)
from indexer.refresh import (
    RefreshConfigError,
    RefreshOptions,
    RefreshResult,
    run_refresh,
    write_report,
)
from indexer.report import RefreshReport, Status
from indexer.rescreen import full_rarity, past_parties, rescreen, targets_of
from indexer.state import DEFAULT_KEEP
from indexer.succession import previous_ids
from service.cli.common import list_spec
from service.store.base import StoreError
from service.store.sql import SqlStore

DEFAULT_RESCREEN_DAYS = 30
log = logging.getLogger("screening.refresh")


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "refresh",
        help="fetch, check, diff and publish the lists; re-screen past parties",
        description="Refresh the published index: fetch every list (or take --list paths), "
        "run the safety checks, diff against the published version, publish atomically, "
        "re-screen recent parties against what changed, and write report.json/report.md. "
        "Exit status: 0 every list up to date (published or no change), 1 stopped by a "
        "check, 2 usage error, 3 partial (a list kept its previous version; the others "
        "were published).",
    )
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--state-dir", type=Path, metavar="DIR", help="embedded index state")
    target.add_argument(
        "--engine-url",
        metavar="URL",
        help="Elasticsearch/OpenSearch address (comma-separated for several nodes); "
        "credentials and TLS from SCREENING_ENGINE_*",
    )
    parser.add_argument(
        "--engine-kind", choices=KINDS, default=None, help="which engine (default: ask it)"
    )
    parser.add_argument(
        "--alias",
        default=None,
        metavar="NAME",
        help=f"with --engine-url: the alias the service reads (default {ENTITY_ALIAS})",
    )
    parser.add_argument(
        "--shards",
        type=int,
        default=None,
        metavar="N",
        help="with --engine-url: primary shards of the new index (default: as now, else 1)",
    )
    parser.add_argument(
        "--replicas",
        type=int,
        default=None,
        metavar="N",
        help="with --engine-url: replicas of the new index (default: as now, else 0)",
    )
    parser.add_argument(
        "ids", nargs="*", metavar="ID", help="lists to fetch (default: every registered list)"
    )
    parser.add_argument(
        "--list",
        dest="lists",
        action="append",
        type=list_spec,
        default=[],
        metavar="ID=PATH",
        help="take list ID from a local file or folder instead of fetching; repeatable",
    )
    parser.add_argument(
        "--downloads",
        type=Path,
        metavar="DIR",
        help="where fetched files are kept between runs (default STATE_DIR/downloads)",
    )
    parser.add_argument("--report", type=Path, metavar="DIR", help="write report.json/.md here")
    parser.add_argument(
        "--on-list-error",
        choices=("fail", "keep-previous"),
        default="fail",
        help="a list that cannot be downloaded or parsed: stop the run (default) or keep "
        "its published version and warn",
    )
    parser.add_argument(
        "--max-shrink",
        type=float,
        default=DEFAULT_MAX_SHRINK,
        metavar="SHARE",
        help="largest share of entities a list may lose (default %(default)s)",
    )
    parser.add_argument(
        "--allow-older", action="store_true", help="accept a list dated before the published"
    )
    parser.add_argument(
        "--ignore-property",
        action="append",
        default=[],
        metavar="KEY",
        help="entity property left out of the diff (e.g. interpol_link); repeatable",
    )
    parser.add_argument(
        "--keep", type=int, default=DEFAULT_KEEP, metavar="N", help="older versions kept"
    )
    store = parser.add_mutually_exclusive_group()
    store.add_argument("--audit-db", type=Path, metavar="PATH", help="the SQLite store file")
    store.add_argument(
        "--store",
        action="store_true",
        help="the store the service is configured with (SCREENING_DATABASE_URL, else "
        "SCREENING_AUDIT_DB; the same settings as `serve`)",
    )
    parser.add_argument(
        "--rescreen-days",
        type=int,
        metavar="N",
        help=f"re-screen parties screened in the last N days (default {DEFAULT_RESCREEN_DAYS} "
        "with a store; 0: no re-screening)",
    )
    parser.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS")
    parser.add_argument("--retries", type=int, default=3, metavar="N")
    parser.set_defaults(handler=run_refresh_command)


def _fail(message: str) -> int:
    print(f"screening refresh: error: {message}", file=sys.stderr)
    return 2


def run_refresh_command(args: argparse.Namespace) -> int:
    if not 0.0 <= args.max_shrink <= 1.0:
        return _fail(f"--max-shrink must be a share between 0 and 1, not {args.max_shrink}")
    if args.keep < 0:
        return _fail("--keep must be 0 or more")
    if args.lists and args.ids:
        return _fail("give list ids to fetch, or --list ID=PATH, not both")
    days = args.rescreen_days
    if days is not None and days < 0:
        return _fail("--rescreen-days must be 0 or more")
    has_store = args.audit_db is not None or args.store
    if days and not has_store:
        return _fail("--rescreen-days needs --audit-db PATH or --store (the trail to re-screen)")
    if days is None:
        days = DEFAULT_RESCREEN_DAYS if has_store else 0
    server_only = (args.engine_kind, args.alias, args.shards, args.replicas)
    if args.engine_url is None and any(value is not None for value in server_only):
        return _fail("--engine-kind, --alias, --shards and --replicas need --engine-url")
    if (args.shards is not None and args.shards < 1) or (
        args.replicas is not None and args.replicas < 0
    ):
        return _fail("--shards must be 1 or more, --replicas 0 or more")
    try:
        publisher = open_publisher(
            state_dir=args.state_dir,
            engine_url=args.engine_url,
            keep=args.keep,
            engine_kind=args.engine_kind,
            alias=args.alias,
            shards=args.shards,
            replicas=args.replicas,
        )
    except PublisherConfigError as exc:
        return _fail(str(exc))
    try:
        return _refresh(args, publisher, days)
    finally:
        publisher.close()


def _refresh(args: argparse.Namespace, publisher: Publisher, days: int) -> int:
    downloads = args.downloads or (args.state_dir / "downloads" if args.state_dir else None)
    options = RefreshOptions(
        local=args.lists,
        fetch_ids=args.ids or None,
        downloads=downloads,
        download_settings=DownloadSettings(timeout=args.timeout, retries=args.retries),
        on_list_error=args.on_list_error,
        checks=CheckSettings(max_shrink=args.max_shrink, allow_older=args.allow_older),
        ignore_properties=frozenset(args.ignore_property),
    )
    try:
        result = run_refresh(publisher, options)
    except RefreshConfigError as exc:
        return _fail(str(exc))
    report = result.report
    if report.status is Status.PUBLISHED and days > 0:
        started = time.perf_counter()
        try:
            store = open_rescreen_store(args)
            try:
                report.new_alerts = rescreen_parties(result, store, days)
            finally:
                store.close()
        except (StoreError, IndexUnavailable) as exc:
            # Publication stands; the missed re-screening is a warning the job must show.
            report.new_alerts = [{"error": f"re-screening failed: {exc}"}]
        report.timings["rescreen"] = time.perf_counter() - started
    if args.report is not None:
        write_report(report, args.report)
    log.info(
        "refresh %s",
        report.status.value,
        extra={
            "event": "refresh",
            "status": report.status.value,
            "index_version_before": report.index_version_before,
            "index_version_after": report.index_version_after,
            "failures": len(report.failures),
            "warnings": len(report.warnings),
            "new_alerts": len(report.new_alerts),
        },
    )
    print(result.message)
    if report.new_alerts:
        print(f"new alerts: {len(report.new_alerts)}")
    return exit_status(report)


EXIT_STOPPED = 1
EXIT_PARTIAL = 3


def exit_status(report: RefreshReport) -> int:
    """0 every list up to date, 1 stopped, 3 partial (see the module docstring)."""
    if report.status is Status.STOPPED:
        return EXIT_STOPPED
    return EXIT_PARTIAL if report.partial else 0


def open_rescreen_store(args: argparse.Namespace) -> SqlStore:
    """The store named by --audit-db (SQLite), or the one configured like `serve`."""
    from service.server import StartupError, load_settings, store_of

    try:
        settings = load_settings(**({"audit_db": args.audit_db} if args.audit_db else {}))
        if args.audit_db is not None:
            settings = settings.model_copy(update={"database_url": None})
        return store_of(settings)
    except StartupError as exc:
        raise StoreError(str(exc)) from exc


def rescreen_parties(result: RefreshResult, store: SqlStore, days: int) -> list[dict[str, Any]]:
    """Re-screen the store's recent parties against the refresh's added and changed
    entities, honouring recorded decisions; store the new alerts and return them (as
    report.json lists them)."""
    report = result.report
    published = result.published
    entities = {e.id: e for parsed in result.parsed.values() for e in parsed.entities}
    wanted = targets_of(report.diffs, entities)
    if not wanted or published is None:
        return []
    since = datetime.now(UTC) - timedelta(days=days)
    parties = past_parties(store.screenings_since(since))
    if not parties:
        return []
    decisions: dict[str, list[dict[str, Any]]] = {}
    for decision in store.decisions_about({party.key for party in parties}):
        decisions.setdefault(str(decision["party_fingerprint"]["key"]), []).append(decision)
    everything = [e for parsed in result.parsed.values() for e in parsed.entities]
    for list_id in published.summaries():
        if list_id not in result.parsed:
            everything += published.load(list_id).entities
    alerts = rescreen(
        parties,
        {entity_id: (entities[entity_id], change) for entity_id, change in wanted.items()},
        full_rarity(everything),
        list_versions={d.list_id: d.current_version for d in report.diffs},
        index_version=report.index_version_after,
        known=store.known_alerts(),
        decisions=decisions,
        listed_parties=parties_of(everything),
        previous_ids=previous_ids(report.diffs),
        replaced_lists={
            d.source_change.previous_list: d.list_id for d in report.diffs if d.source_change
        },
    )
    found = [alert.to_dict() for alert in alerts]
    store.add_alerts(found)
    return found

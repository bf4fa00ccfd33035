"""`screening index`: publish lists to Elasticsearch/OpenSearch, or roll the alias back.

    screening index --engine-url URL --list ID=PATH [--list ...] [--keep N] [--workers N]
    screening index --engine-url URL --rollback

Lists are parsed completely before the engine is touched, so a broken file stops the run
with exit status 2 and nothing changed on the server. Credentials, TLS and timeouts come
from SCREENING_ENGINE_* (see engines/connection.py); ``--engine-url`` and
``--engine-kind`` override the URL and kind. Exit status: 0 published (or rolled back),
1 the engine failed or another indexer holds the lock, 2 bad input.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from core.links import LinkSummary
from core.model import ParsedList
from engines.base import EngineUnavailable
from engines.client import ServerError, open_client
from engines.connection import KINDS, EngineError, EngineSettings
from engines.mapping import ENTITY_ALIAS
from engines.server import engine_settings
from indexer.publish import DEFAULT_KEEP, PublishError, Settings, publish, rollback
from indexer.publish import sources_from_parsed as sources_of
from service.cli.common import add_list_option, parse_lists

log = logging.getLogger("screening.index")


def add_engine_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument(
        "--engine-url",
        required=required,
        metavar="URL",
        help="Elasticsearch/OpenSearch address (comma-separated for several nodes)",
    )
    parser.add_argument(
        "--engine-kind", choices=KINDS, default=None, help="which engine (default: ask it)"
    )


def register(sub: Any) -> None:
    index = sub.add_parser("index", help="publish lists to Elasticsearch/OpenSearch")
    add_engine_options(index, required=True)
    add_list_option(index)
    index.add_argument(
        "--keep",
        type=int,
        default=DEFAULT_KEEP,
        help=f"earlier versions kept for --rollback ({DEFAULT_KEEP})",
    )
    index.add_argument("--rollback", action="store_true", help="point back at the last version")
    index.add_argument("--shards", type=int, default=1, help="primary shards (1)")
    index.add_argument("--replicas", type=int, default=0, help="replicas per shard (0)")
    index.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes building documents (default: one per CPU beyond the first)",
    )
    index.add_argument(
        "--alias", default=ENTITY_ALIAS, help=f"the alias the service reads ({ENTITY_ALIAS})"
    )
    index.add_argument("--json", action="store_true", help="print the outcome as JSON")
    index.set_defaults(handler=run_index)


def run_index(args: argparse.Namespace) -> int:
    if args.rollback and args.lists:
        print("screening index: --rollback takes no --list", file=sys.stderr)
        return 2
    if not args.rollback and not args.lists:
        print("screening index: give --list ID=PATH (one or more), or --rollback", file=sys.stderr)
        return 2
    workers_bad = args.workers is not None and args.workers < 1
    if args.keep < 0 or args.shards < 1 or args.replicas < 0 or workers_bad:
        print("screening index: --keep/--replicas ≥ 0, --shards/--workers ≥ 1", file=sys.stderr)
        return 2
    try:
        settings = engine_settings(args.engine_url, args.engine_kind)
    except ValueError as error:
        print(f"screening index: {error}", file=sys.stderr)
        return 2
    parsed = parse_lists(args.lists) if not args.rollback else []
    try:
        outcome = asyncio.run(_run(args, settings, parsed))
    except (EngineUnavailable, EngineError, PublishError, ServerError) as error:
        print(f"screening index: error: {error}", file=sys.stderr)
        return 1
    event = "index rolled back" if args.rollback else "index published"
    fields = {k: v for k, v in outcome.items() if k != "message"}
    log.info("%s: %s", event, outcome["message"], extra={"event": event, **fields})
    if args.json:
        print(json.dumps(outcome, indent=2))
    else:
        print(outcome["message"])
    return 0


def _parties_text(links: LinkSummary) -> str:
    splits = sum(links.splits.values())
    return (
        f"{links.parties} parties ({links.linked_parties} listed more than once, "
        f"{sum(links.links.values())} links, {splits} groups split)"
    )


async def _run(
    args: argparse.Namespace, settings: EngineSettings, parsed: list[ParsedList]
) -> dict[str, Any]:
    client = await open_client(settings)
    try:
        if args.rollback:
            undone, restored = await rollback(client, alias=args.alias)
            return {
                "rolled_back_from": undone,
                "alias_now": restored,
                "message": f"alias moved back from {undone} to {restored}",
            }
        publish_settings = Settings(
            alias=args.alias,
            keep=args.keep,
            shards=args.shards,
            replicas=args.replicas,
            workers=args.workers,
        )
        report = await publish(
            client,
            sources_of(parsed, datetime.now(UTC)),
            settings=publish_settings,
        )
        return {
            "index": report.index,
            "version": report.version,
            "previous": report.previous,
            "entities": report.entities,
            "names": report.names,
            "deleted": report.deleted,
            "load_seconds": round(report.load_seconds, 2),
            "swap_seconds": round(report.swap_seconds, 3),
            "links": report.links.to_dict() if report.links else None,
            "message": (
                f"{report.entities} entities ({report.names} names) in {report.index} "
                f"({report.load_seconds:.1f} s, {report.documents_per_second:.0f} docs/s); "
                f"alias moved from {report.previous or 'nothing'}"
                + (f"; deleted {', '.join(report.deleted)}" if report.deleted else "")
                + (f"; {_parties_text(report.links)}" if report.links else "")
            ),
        }
    finally:
        await client.close()

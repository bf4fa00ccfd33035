"""`screening lists`: the registry, inspecting list files, (and fetching them)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from indexer.download import DownloadSettings
from indexer.fetch import fetch_lists
from indexer.inspect import render_text, summarise
from indexer.registry import load_registry, parse_list
from service.cli.common import list_spec


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser("lists", help="the registry of known lists")
    parser.add_argument("--json", action="store_true", help="print the registry as JSON")
    parser.set_defaults(handler=show_registry)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")

    inspect = actions.add_parser("inspect", help="parse a list file and summarise it")
    inspect.add_argument("spec", type=list_spec, metavar="ID=PATH")
    inspect.add_argument("--json", action="store_true", help="print one JSON object")
    inspect.set_defaults(handler=inspect_list)

    defaults = DownloadSettings()
    fetch = actions.add_parser(
        "fetch",
        help="download the official files of lists, validated before they replace a copy",
    )
    fetch.add_argument(
        "ids", nargs="*", metavar="ID", help="list ids (default: every list not retired)"
    )
    fetch.add_argument(
        "--dest", type=Path, required=True, metavar="DIR", help="files go to DIR/ID/"
    )
    fetch.add_argument(
        "--format", dest="format_name", metavar="NAME", help="this format, not the first"
    )
    fetch.add_argument(
        "--timeout",
        type=float,
        default=defaults.timeout,
        metavar="SECONDS",
        help="to connect, and between two chunks of data (default %(default)s)",
    )
    fetch.add_argument(
        "--retries",
        type=int,
        default=defaults.retries,
        metavar="N",
        help="further attempts on connection errors, timeouts and 5xx (default %(default)s)",
    )
    fetch.add_argument(
        "--max-size",
        type=float,
        default=defaults.max_bytes // (1024 * 1024),
        metavar="MB",
        help="abort a download larger than this (default %(default)s MB)",
    )
    fetch.set_defaults(handler=fetch_command)


def show_registry(args: argparse.Namespace) -> int:
    registry = load_registry()
    if args.json:
        out = {
            source.id: {
                "publisher": source.publisher,
                "title": source.title,
                "homepage": source.homepage,
                "record_id": source.record_id,
                "terms": source.terms,
                "cadence_days": source.cadence_days,
                "retired": source.retired,
                "successor": source.successor,
                "succeeds": (
                    {
                        "list": source.succeeds.list_id,
                        "property": source.succeeds.match_property,
                    }
                    if source.succeeds
                    else None
                ),
                "formats": [
                    {
                        "name": f.name,
                        "files": list(f.files),
                        "downloads": [{"file": d.file, "url": d.url} for d in f.downloads],
                    }
                    for f in source.formats
                ],
            }
            for source in registry.values()
        }
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    width = max(len(list_id) for list_id in registry) + 1
    for source in registry.values():
        retired = "  [RETIRED]" if source.retired else ""
        print(f"{source.id:<{width}} {source.title}{retired}")
        print(f"{'':<{width}} {source.publisher}")
        print(f"{'':<{width}} record id: {source.record_id}")
        if source.retired:
            print(f"{'':<{width}} retired: {source.retired}")
        if source.successor:
            print(f"{'':<{width}} succeeded by {source.successor}")
        if source.succeeds:
            print(
                f"{'':<{width}} succeeds {source.succeeds.list_id} "
                f"(parties matched by {source.succeeds.match_property})"
            )
        days = source.cadence_days
        cadence = "daily" if days == 1 else f"every {days} days" if days else "not stated"
        print(f"{'':<{width}} cadence: {cadence}")
        for fmt in source.formats:
            for download in fmt.downloads:
                print(f"{'':<{width}} [{fmt.name}] {download.url}")
        print()
    return 0


def inspect_list(args: argparse.Namespace) -> int:
    list_id, path = args.spec
    summary = summarise(parse_list(list_id, path))
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(render_text(summary))
    return 0


def fetch_command(args: argparse.Namespace) -> int:
    """One line per list; exit status 2 when any list failed (the others are still fetched)."""
    settings = DownloadSettings(
        timeout=args.timeout, retries=args.retries, max_bytes=int(args.max_size * 1024 * 1024)
    )
    results = fetch_lists(
        args.ids or None, args.dest, format_name=args.format_name, settings=settings
    )
    for result in results:
        print(result.summary())
    return 2 if any(r.outcome == "failed" for r in results) else 0

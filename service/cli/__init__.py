"""The `screening` command. Each subcommand lives in its own module with a ``register``
function; this module only assembles them and turns known errors into exit statuses:
0 success, 1 a check failed, 2 bad input (unknown list, broken file, bad arguments)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from indexer.errors import ListError
from service.cli import audit_cmd, index_cmd, links_cmd, refresh_cmd
from service.cli import keys as keys_cmd
from service.cli import lists as lists_cmd
from service.cli import matching as matching_cmd
from service.cli import serve as serve_cmd
from service.logs import configure_logging


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="screening",
        description="Denied-party screening: read official sanctions lists and match names.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    lists_cmd.register(sub)
    matching_cmd.register(sub)
    serve_cmd.register(sub)
    keys_cmd.register(sub)
    audit_cmd.register(sub)
    index_cmd.register(sub)
    refresh_cmd.register(sub)
    links_cmd.register(sub)
    return parser


# Commands whose events (index published, swapped, rolled back, refresh results) an
# operator's log collector reads: their log records go to standard error as JSON lines.
LOGGING_COMMANDS = frozenset({"serve", "index", "refresh"})


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in LOGGING_COMMANDS:
        configure_logging(os.environ.get("SCREENING_LOG_LEVEL", "info").lower())
    try:
        result: int = args.handler(args)
    except ListError as exc:
        print(f"screening: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return result


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

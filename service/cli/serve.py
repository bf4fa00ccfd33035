"""`screening serve`: the HTTP API under uvicorn (see service/SETTINGS.md)."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "serve",
        help="run the HTTP API",
        description="Run the HTTP API. Options override SCREENING_* environment variables, "
        "which override the SCREENING_SETTINGS_FILE TOML file.",
    )
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="TCP port (default 8000)")
    parser.add_argument(
        "--list",
        dest="lists",
        action="append",
        metavar="ID=PATH",
        help="a list for the embedded index; repeatable (replaces SCREENING_LISTS)",
    )
    parser.add_argument("--workers", type=int, help="worker processes (default 1)")
    parser.add_argument(
        "--state-dir", help="serve what `screening refresh --state-dir` publishes there"
    )
    parser.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    from service.server import StartupError, load_settings, serve

    try:
        settings = load_settings(
            host=args.host,
            port=args.port,
            lists=args.lists,
            workers=args.workers,
            state_dir=args.state_dir,
        )
        serve(settings)
    except StartupError as exc:
        print(f"screening serve: error: {exc}", file=sys.stderr)
        return 2
    return 0

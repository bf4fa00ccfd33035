"""Argument helpers shared by subcommands."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.model import ParsedList
from indexer.registry import parse_list


def list_spec(text: str) -> tuple[str, Path]:
    """Parse ``ID=PATH`` (the form every ``--list`` option takes)."""
    list_id, sep, path = text.partition("=")
    if not sep or not list_id or not path:
        raise argparse.ArgumentTypeError(f"expected ID=PATH, got {text!r}")
    return list_id.strip(), Path(path).expanduser()


def add_list_option(parser: argparse.ArgumentParser, *, required: bool = False) -> None:
    parser.add_argument(
        "--list",
        dest="lists",
        action="append",
        type=list_spec,
        default=[],
        required=required,
        metavar="ID=PATH",
        help="read list ID from a local file or folder of its official file(s); repeatable",
    )


def parse_lists(specs: list[tuple[str, Path]]) -> list[ParsedList]:
    return [parse_list(list_id, path) for list_id, path in specs]

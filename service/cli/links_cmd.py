"""`screening links --list ID=PATH ... [--json]`: which listings of the lists name one party.

Prints the parties (groups of listings), the links per kind of evidence, the groups
split because their evidence contradicts, and the parties of a list that another list
usually follows but does not list (:mod:`indexer.links_report`). Exit status 0, or 2 for
a list that cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from indexer.links_report import FOLLOW_MIN_PARTIES, FOLLOW_SHARE, links_report, render_text
from service.cli.common import add_list_option, parse_lists


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "links", help="the parties the lists share: links, splits, gaps between regimes"
    )
    add_list_option(parser, required=True)
    parser.add_argument("--json", action="store_true", help="print one JSON object (everything)")
    parser.add_argument(
        "--groups", action="store_true", help="also print every party listed more than once"
    )
    parser.add_argument(
        "--follow-share",
        type=float,
        default=FOLLOW_SHARE,
        metavar="SHARE",
        help="a list follows another that many of whose parties it lists (default %(default)s)",
    )
    parser.add_argument(
        "--show-missing",
        type=int,
        default=20,
        metavar="N",
        help="parties shown per gap in the text form (default %(default)s)",
    )
    parser.set_defaults(handler=run_links)


def run_links(args: argparse.Namespace) -> int:
    if not 0.0 < args.follow_share <= 1.0:
        print("screening links: --follow-share must be above 0 and at most 1", file=sys.stderr)
        return 2
    parsed = parse_lists(args.lists)
    report = links_report(parsed, share=args.follow_share, min_parties=FOLLOW_MIN_PARTIES)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_text(report, show_groups=args.groups, show_missing=args.show_missing))
    return 0

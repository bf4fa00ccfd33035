"""`screening keys create NAME --scope screen [--scope read] [--rate 50/s]`: a new API key.

The key is printed once and never stored; the service keeps only the JSON entry (its
SHA-256, scopes and rate), which goes into the keys file or SCREENING_API_KEYS.
"""

from __future__ import annotations

import argparse
import json
import re
from typing import Any

from service.auth import Scope, hash_key, new_key
from service.ratelimit import RateSyntaxError, parse_rate

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def key_name(text: str) -> str:
    if not _NAME.match(text):
        raise argparse.ArgumentTypeError(
            "a key name is 1-64 letters, digits, '.', '_' or '-' (it appears in audit records)"
        )
    return text


def rate_text(text: str) -> str:
    try:
        parse_rate(text)
    except RateSyntaxError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return text.strip()


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser("keys", help="API keys")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="make a new API key")
    create.add_argument("name", type=key_name, help="who the key is for (shown in audit records)")
    create.add_argument(
        "--scope",
        dest="scopes",
        action="append",
        required=True,
        choices=[scope.value for scope in Scope],
        help="what the key may do; repeatable",
    )
    create.add_argument(
        "--rate",
        type=rate_text,
        metavar="RATE",
        help="the key's limit: '50/s', '50/s, 500 parties/s, burst 2s', '3000/min' or "
        "'unlimited' (default: the service's rate_limit setting)",
    )
    create.add_argument("--json", action="store_true", help="print one JSON object")
    create.set_defaults(handler=create_key)


def create_key(args: argparse.Namespace) -> int:
    key = new_key()
    entry: dict[str, Any] = {
        "name": args.name,
        "sha256": hash_key(key),
        "scopes": sorted(set(args.scopes)),
    }
    if args.rate is not None:
        entry["rate"] = args.rate
    if args.json:
        print(json.dumps({"key": key, "entry": entry}))
        return 0
    print(f"API key (shown once, store it now): {key}")
    print("Entry for the keys file (a JSON list of these) or SCREENING_API_KEYS:")
    print(json.dumps(entry))
    return 0

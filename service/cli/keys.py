"""`screening keys`: make, store, list and revoke API keys.

    screening keys create NAME --scope screen [--scope read] [--rate 50/s] [--store] [--json]
    screening keys list [--json]
    screening keys revoke NAME

The key is printed once and never kept; the service keeps only the JSON entry (its
SHA-256, scopes and rate), which goes into the keys file or SCREENING_API_KEYS, or, with
``--store``, into the store the service is configured with (the same settings as
``serve``), where every worker of every replica picks it up within
``keys_reload_seconds``. ``revoke`` records the revocation in that store: it takes effect
within the same time, without a restart, for a stored key and for one from the keys file
alike. Exit status: 0 done, 1 no such key to revoke, 2 the store cannot be opened.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, datetime
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
    create.add_argument(
        "--store",
        action="store_true",
        help="add the entry to the configured store (no restart, no keys file to edit)",
    )
    create.set_defaults(handler=create_key)

    listing = actions.add_parser("list", help="the keys in the configured store")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    listing.set_defaults(handler=list_keys)

    revoke = actions.add_parser("revoke", help="revoke a key everywhere, without a restart")
    revoke.add_argument("name", type=key_name)
    revoke.set_defaults(handler=revoke_key)


def create_key(args: argparse.Namespace) -> int:
    key = new_key()
    entry: dict[str, Any] = {
        "name": args.name,
        "sha256": hash_key(key),
        "scopes": sorted(set(args.scopes)),
    }
    if args.rate is not None:
        entry["rate"] = args.rate
    if args.store:
        from service.cli.audit_cmd import configured_store
        from service.store.base import StoreError

        try:
            with configured_store() as (store, _):
                if any(k.name == args.name for k in store.api_keys()):
                    return _fail(f"the store already has a key named {args.name!r}")
                store.add_key(entry, datetime.now(UTC))
        except StoreError as exc:
            return _fail(str(exc))
    if args.json:
        print(json.dumps({"key": key, "entry": entry}))
        return 0
    print(f"API key (shown once, store it now): {key}")
    if args.store:
        print(f"Added to the store as {args.name!r}; the service picks it up within seconds.")
        return 0
    print("Entry for the keys file (a JSON list of these) or SCREENING_API_KEYS:")
    print(json.dumps(entry))
    return 0


def _fail(message: str) -> int:
    print(f"screening keys: error: {message}", file=sys.stderr)
    return 2


def list_keys(args: argparse.Namespace) -> int:
    from service.cli.audit_cmd import configured_store
    from service.store.base import StoreError

    try:
        with configured_store() as (store, _):
            stored = store.api_keys()
    except StoreError as exc:
        return _fail(str(exc))
    rows: list[dict[str, Any]] = [
        {
            "name": k.name,
            "scopes": (k.entry or {}).get("scopes"),
            "rate": (k.entry or {}).get("rate"),
            "created_at": k.created_at,
            "revoked_at": k.revoked_at,
            "stored": k.entry is not None,
        }
        for k in stored
    ]
    if args.json:
        print(json.dumps(rows))
        return 0
    for row in rows:
        state = f"revoked {row['revoked_at']}" if row["revoked_at"] else "active"
        scopes = ",".join(map(str, row["scopes"] or [])) or "(configured elsewhere)"
        rate = row["rate"] or ("(default)" if row["stored"] else "")
        print(f"{row['name']:<24} {scopes:<24} {rate:<16} {state}")
    return 0


def revoke_key(args: argparse.Namespace) -> int:
    from service.cli.audit_cmd import configured_store
    from service.store.base import StoreError

    try:
        with configured_store() as (store, _):
            revoked = store.revoke_key(args.name, datetime.now(UTC))
    except StoreError as exc:
        return _fail(str(exc))
    if not revoked:
        print(f"screening keys: {args.name!r} was already revoked", file=sys.stderr)
        return 1
    print(f"revoked {args.name!r}: refused by every worker within keys_reload_seconds")
    return 0

"""API keys: named, scoped, and stored only as hashes.

Keys are random tokens of at least 128 bits, so a plain SHA-256 of the key is a safe
stored form (no password-style stretching is needed, and checking stays microseconds).
Keys come from a JSON file (``SCREENING_API_KEYS_FILE``) or the ``SCREENING_API_KEYS``
environment variable, in the same form::

    [{"name": "customs-gateway", "sha256": "<hex digest of the key>", "scopes": ["screen"],
      "rate": "50/s"}]

``rate`` is optional: the key's limit (:mod:`service.ratelimit`), else the ``rate_limit``
setting applies. ``screening keys create NAME --scope screen [--rate 50/s]`` makes a key
and prints both the key (once) and the entry to store.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from service.ratelimit import RateSyntaxError, parse_rate


class Scope(enum.StrEnum):
    SCREEN = "screen"  # POST /v1/screen
    READ = "read"  # search, entities, lists
    DECIDE = "decide"  # POST /v1/decisions: clear, confirm or escalate a hit
    ADMIN = "admin"  # audit records, alerts


@dataclass(frozen=True, slots=True)
class ApiKey:
    name: str
    sha256: str
    scopes: frozenset[Scope]
    rate: str | None = None  # "50/s", "50/s, 500 parties/s", "unlimited"; None: the default


class KeyConfigError(ValueError):
    """The configured API keys are malformed."""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> str:
    return "sk_" + secrets.token_urlsafe(32)


def parse_keys(text: str, origin: str) -> list[ApiKey]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise KeyConfigError(f"{origin}: not JSON: {exc}") from exc
    if not isinstance(data, list):
        raise KeyConfigError(f"{origin}: expected a JSON list of keys")
    keys: list[ApiKey] = []
    for i, entry in enumerate(data):
        if not isinstance(entry, dict) or not {"name", "sha256", "scopes"} <= set(entry):
            raise KeyConfigError(f"{origin}: entry {i} needs name, sha256 and scopes")
        digest = str(entry["sha256"]).lower()
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise KeyConfigError(f"{origin}: entry {i} ({entry['name']}): sha256 is not a digest")
        try:
            scopes = frozenset(Scope(s) for s in entry["scopes"])
        except ValueError as exc:
            raise KeyConfigError(f"{origin}: entry {i} ({entry['name']}): {exc}") from exc
        rate = entry.get("rate")
        if rate is not None:
            try:
                parse_rate(str(rate))
            except RateSyntaxError as exc:
                raise KeyConfigError(f"{origin}: entry {i} ({entry['name']}): {exc}") from exc
        keys.append(
            ApiKey(
                name=str(entry["name"]),
                sha256=digest,
                scopes=scopes,
                rate=None if rate is None else str(rate),
            )
        )
    return keys


def load_keys(file: Path | None, env_value: str | None) -> list[ApiKey]:
    keys: list[ApiKey] = []
    if file is not None:
        try:
            keys += parse_keys(file.read_text("utf-8"), str(file))
        except OSError as exc:
            raise KeyConfigError(f"{file}: cannot read the API keys file: {exc}") from exc
    if env_value:
        keys += parse_keys(env_value, "SCREENING_API_KEYS")
    return keys


class KeyRing:
    def __init__(self, keys: list[ApiKey]) -> None:
        self._by_hash = {k.sha256: k for k in keys}

    def __bool__(self) -> bool:
        return bool(self._by_hash)

    def all(self) -> list[ApiKey]:
        return list(self._by_hash.values())

    def find(self, presented: str) -> ApiKey | None:
        digest = hash_key(presented)
        for stored, key in self._by_hash.items():
            if hmac.compare_digest(stored, digest):
                return key
        return None

    def find_digest(self, digest: str) -> ApiKey | None:
        """The key whose stored hash is ``digest`` (a signed session carries the hash, never
        the key, and is re-checked here so a revoked key ends its sessions)."""
        for stored, key in self._by_hash.items():
            if hmac.compare_digest(stored, digest):
                return key
        return None

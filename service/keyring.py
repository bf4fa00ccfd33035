"""API keys from the configuration and from the store, merged, and kept current.

Keys in the keys file or ``SCREENING_API_KEYS`` are read at start. Keys added with
``screening keys create ... --store`` and revocations made with ``screening keys revoke``
live in the store, which every worker of every replica re-reads every
``keys_reload_seconds``: a revocation takes effect everywhere within that time, without a
restart (also for a key from the file: the store's revocation names it). A session of the
lookup page is re-checked against the current ring on every request, so it ends too.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence

from service.auth import ApiKey, KeyConfigError, KeyRing, parse_keys
from service.state import ServiceState
from service.store.base import StoredKey, StoreError

log = logging.getLogger("screening.service")


def combined_keys(configured: Sequence[ApiKey], stored: Sequence[StoredKey]) -> list[ApiKey]:
    """The configured keys not revoked in the store, and the store's own live keys."""
    revoked = {key.name for key in stored if key.revoked_at is not None}
    entries = [key.entry for key in stored if key.entry is not None and key.revoked_at is None]
    live = [key for key in configured if key.name not in revoked]
    return live + parse_keys(json.dumps(entries), "the store's api_keys")


def current_ring(configured: Sequence[ApiKey], stored: Sequence[StoredKey]) -> KeyRing:
    return KeyRing(combined_keys(configured, stored))


async def keep_keys_current(
    state: ServiceState, configured: Sequence[ApiKey], every: float
) -> None:
    """Re-read the store's keys every ``every`` seconds into ``state.keys``; a store that
    cannot be read keeps the ring as it was (and says so)."""
    while True:
        await asyncio.sleep(every)
        try:
            stored = await state.store.read(state.store.store.api_keys)
            state.keys = current_ring(configured, stored)
        except (StoreError, KeyConfigError) as exc:
            log.warning("API keys not reloaded from the store, keeping the current ones: %s", exc)

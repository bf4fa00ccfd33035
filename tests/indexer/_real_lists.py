"""The real snapshots the diff, check and report tests share, each parsed once per session.

The UK snapshots take several seconds each to parse; caching them keeps the suite quick
while every test still diffs the real files.
"""

from __future__ import annotations

import functools
import itertools

from core.model import ParsedList
from indexer.registry import parse_list
from tests.conftest import shared_list

UN_DAYS = ("2025-11-20", "2026-01-28", "2026-02-27", "2026-08-01")
UN_PAIRS = list(itertools.pairwise(UN_DAYS))
UK_DAYS = ("2025-04-10", "2025-04-14")
OFAC_DAYS = ("2021-07-07", "2023-12-28")


def parsed_snapshot(list_id: str, day: str) -> ParsedList:
    """``list_id`` as published on ``day``, parsed by its registered parser (skips when
    ../shared is absent)."""
    shared_list(list_id, day)
    return _parse(list_id, day)


@functools.cache
def _parse(list_id: str, day: str) -> ParsedList:
    return parse_list(list_id, shared_list(list_id, day))

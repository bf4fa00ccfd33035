"""How current each loaded list is, the one answer the page, ``/v1/lists``, ``/readyz``
and the metrics all show (:func:`indexer.freshness.freshness` decides; this module adds
the list's cadence from the registry and the service's settings)."""

from __future__ import annotations

from datetime import datetime

from engines.base import IndexInfo, ListInfo
from indexer.freshness import Freshness, freshness, stale_after_days
from indexer.registry import load_registry
from service.settings import Settings


def list_freshness(item: ListInfo, now: datetime, settings: Settings) -> Freshness:
    """``item``'s age and staleness: stale after its publisher's cadence (registry) plus
    ``list_grace_days``, else after ``list_max_age_days``; an undated list is stale."""
    source = load_registry().get(item.id)
    cadence = source.cadence_days if source is not None else None
    after = stale_after_days(cadence, settings.list_max_age_days, settings.list_grace_days)
    return freshness(item.as_of, item.as_of_source, after, now)


def index_freshness(info: IndexInfo, now: datetime, settings: Settings) -> dict[str, Freshness]:
    return {item.id: list_freshness(item, now, settings) for item in info.lists}

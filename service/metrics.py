"""Prometheus metrics: requests and latency by endpoint, decisions, and index/list age.

Several uvicorn workers each count their own requests. When ``PROMETHEUS_MULTIPROC_DIR``
is set (``screening serve --workers N`` sets it to a fresh folder), prometheus_client's
multiprocess mode writes each worker's counters to files there and every scrape of
``/metrics`` adds up all workers, whichever worker answers it. The index and list ages are
computed at scrape time by the answering worker from its own index info (every worker
loads the same lists, so any of them tells the truth).

Each :class:`ServiceMetrics` has its own registry, so tests can build many apps in one
process without colliding in the global registry.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from engines.base import IndexInfo
from indexer.freshness import Freshness

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
METRICS_CONTENT_TYPE = CONTENT_TYPE_LATEST
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


def multiprocess_mode() -> bool:
    return bool(os.environ.get(MULTIPROC_ENV))


class ServiceMetrics:
    def __init__(self) -> None:
        self.multiprocess = multiprocess_mode()
        # In multiprocess mode values go to files and are collected at scrape time, so
        # the metrics are registered nowhere; otherwise in this instance's own registry.
        self._registry = CollectorRegistry(auto_describe=True)
        registry = None if self.multiprocess else self._registry
        self.requests = Counter(
            "screening_http_requests",
            "HTTP requests answered, by endpoint (route template), method and status.",
            ["endpoint", "method", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "screening_http_request_duration_seconds",
            "Time to answer a request, by endpoint (route template).",
            ["endpoint"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.decisions = Counter(
            "screening_decisions",
            "Screening decisions: level=request (the document) or party.",
            ["level", "decision"],
            registry=registry,
        )

    def observe_request(self, endpoint: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(endpoint, method, str(status)).inc()
        self.latency.labels(endpoint).observe(seconds)

    def observe_decisions(self, request_decision: str, party_decisions: list[str]) -> None:
        self.decisions.labels("request", request_decision).inc()
        for decision in party_decisions:
            self.decisions.labels("party", decision).inc()

    def render(self, info: IndexInfo | None, freshness: Mapping[str, Freshness]) -> bytes:
        """The exposition text: request metrics (all workers) plus index gauges."""
        if self.multiprocess:
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            text = generate_latest(registry)
        else:
            text = generate_latest(self._registry)
        if info is not None:
            index_registry = CollectorRegistry()
            index_registry.register(IndexCollector(info, freshness))
            text += generate_latest(index_registry)
        return text


class IndexCollector(Collector):
    """Index and list gauges computed when scraped, from one engine's IndexInfo."""

    def __init__(self, info: IndexInfo, freshness: Mapping[str, Freshness]) -> None:
        self.info = info
        self.freshness = freshness

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = datetime.now(UTC)
        age = GaugeMetricFamily(
            "screening_index_age_seconds", "Seconds since the index in use was built."
        )
        age.add_metric([], (now - self.info.built_at).total_seconds())
        yield age
        version = GaugeMetricFamily(
            "screening_index_info", "The index version in use (always 1).", labels=["version"]
        )
        version.add_metric([self.info.version], 1.0)
        yield version
        entities = GaugeMetricFamily(
            "screening_list_entities", "Entities loaded per list.", labels=["list"]
        )
        age_seconds = GaugeMetricFamily(
            "screening_list_age_seconds",
            "Seconds since the day each loaded list is current as of; source: publisher, "
            "last_modified, fetched or newest_record (absent if the list is undated).",
            labels=["list", "source"],
        )
        published = GaugeMetricFamily(
            "screening_list_age_days",
            "Whole days since the day each loaded list is current as of (absent if undated).",
            labels=["list"],
        )
        stale = GaugeMetricFamily(
            "screening_list_stale",
            "1 when a list is older than its cadence (or list_max_age_days), or undated.",
            labels=["list"],
        )
        for item in self.info.lists:
            entities.add_metric([item.id], float(item.entities))
            fresh = self.freshness.get(item.id)
            if fresh is None:
                continue
            if fresh.age_seconds is not None and fresh.age_days is not None:
                age_seconds.add_metric([item.id, fresh.source or ""], fresh.age_seconds)
                published.add_metric([item.id], float(fresh.age_days))
            stale.add_metric([item.id], 1.0 if fresh.stale else 0.0)
        yield entities
        yield age_seconds
        yield published
        yield stale

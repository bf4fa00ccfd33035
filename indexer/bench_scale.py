"""Scale benchmark: publishing and screening through Elasticsearch, OpenSearch and embedded.

Indexes the latest snapshot of every list in ``shared/lists`` (the newest date folder of
each) plus, with ``--synthetic N``, an invented list of N names (:mod:`indexer.synthetic`,
fixed seed) into each engine under the alias ``screening-bench`` (the service's alias is
left alone), and reports per engine: documents per second of the load (the matching core's
key computation included: it is the indexer's real work), the CPU seconds the indexer and
the engine spent on it (on a shared machine wall time depends on the neighbours, CPU time
much less), index size from ``_stats``, the alias swap time, and the latency (median, p95)
of single-name screening of the dev set — through each server and through the embedded
index over the same entities, from this one client process. Each set of queries runs
twice: ``screening`` with cold caches (a replica's first queries: the server engine then
also prepares every candidate's names), ``screening_again`` the same queries warm.

    python -m indexer.bench_scale --shared ../shared \\
        --engine-url http://127.0.0.1:9251 --engine-url http://127.0.0.1:9252 \\
        [--synthetic 1000000] [--queries 1000] [--no-embedded] [--workers N]

A benchmark, not a test: nothing is asserted. The bench indices are deleted at the end.
The load average before and after each step is in the report: read figures with it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.model import Entity, ParsedList
from core.score import Query
from engines.base import ListInfo
from engines.blocking import BlockingServerIndex
from engines.client import open_client
from engines.embedded import EmbeddedIndex
from engines.mapping import LOCK_INDEX, META_INDEX
from engines.server import engine_settings
from indexer.build import list_info
from indexer.bulk import default_workers
from indexer.errors import ListError
from indexer.parity import read_set
from indexer.publish import BULK_DOCUMENTS, BULK_REQUESTS, ListSource, Settings, publish
from indexer.registry import parse_list
from indexer.synthetic import LIST_ID, synthetic_entities

BENCH_ALIAS = "screening-bench"
SEED = 20260801


def latest_snapshots(shared: Path) -> list[tuple[str, Path]]:
    lists = shared / "lists"
    found = []
    for folder in sorted(p for p in lists.iterdir() if p.is_dir()):
        dated = sorted(p for p in folder.iterdir() if p.is_dir())
        if dated:
            found.append((folder.name, dated[-1]))
    return found


def parse_latest(shared: Path) -> list[ParsedList]:
    parsed = []
    for list_id, path in latest_snapshots(shared):
        try:
            parsed.append(parse_list(list_id, path))
        except ListError as error:
            print(f"skipped {list_id} {path}: {error}", file=sys.stderr)
    return parsed


def synthetic_info(names: int, entities: int, loaded_at: datetime) -> ListInfo:
    return ListInfo(
        id=LIST_ID,
        title=f"Synthetic names (seed {SEED})",
        publisher="indexer.synthetic",
        version=f"seed{SEED}-{names}",
        published=None,
        loaded_at=loaded_at,
        entities=entities,
        format="synthetic",
    )


def _percentiles(values: Sequence[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
    }


def _latency(screen: Any, queries: Sequence[Query]) -> dict[str, Any]:
    figures: dict[str, Any] = {"screening_load_average": _load_average()}
    for run in ("screening", "screening_again"):
        times = []
        for query in queries:
            began = time.perf_counter()
            screen(query, limit=10)
            times.append((time.perf_counter() - began) * 1000)
        figures[run] = _percentiles(times)
    return figures


def _load_average() -> float:
    return round(os.getloadavg()[0], 2)


def _own_cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the document workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def machine() -> str:
    """CPU model, CPUs usable, memory: the figures mean little without them."""
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpus = len(os.sched_getaffinity(0))
    return f"{model}, {cpus} CPUs, {memory:.0f} GiB, Python {platform.python_version()}"


async def _publish(
    url: str, sources: list[ListSource], settings: Settings
) -> tuple[dict[str, Any], str, str]:
    client = await open_client(engine_settings(url, None))
    try:
        before = _load_average()
        engine_cpu = await client.process_cpu_seconds()
        own_cpu = _own_cpu_seconds()
        report = await publish(client, sources, settings=settings)
        own_cpu = _own_cpu_seconds() - own_cpu
        engine_cpu = await client.process_cpu_seconds() - engine_cpu
        stats = await client.stats(report.index)
        size = stats["indices"][report.index]["primaries"]["store"]["size_in_bytes"]
        figures = {
            "entities": report.entities,
            "names": report.names,
            "load_seconds": round(report.load_seconds, 1),
            "documents_per_second": round(report.documents_per_second),
            "names_per_second": round(report.names / report.load_seconds),
            "indexer_cpu_seconds": round(own_cpu, 1),
            "engine_cpu_seconds": round(engine_cpu, 1),
            "indexing_load_average": [before, _load_average()],
            "index_megabytes": round(size / 1e6, 1),
            "swap_seconds": round(report.swap_seconds, 3),
        }
        return figures, client.kind, report.index
    finally:
        await client.close()


async def _drop(url: str) -> None:
    client = await open_client(engine_settings(url, None))
    try:
        for name in await client.indices(f"{BENCH_ALIAS}-*"):
            await client.delete_index(name)
            await client.delete_document(META_INDEX, name)
        await client.delete_document(LOCK_INDEX, BENCH_ALIAS)
    finally:
        await client.close()


def run(
    shared: Path,
    urls: Sequence[str],
    synthetic: int,
    queries: int,
    embedded: bool,
    settings: Settings,
) -> dict[str, Any]:
    loaded_at = datetime.now(UTC)
    began = time.perf_counter()
    parsed = parse_latest(shared)
    parse_seconds = time.perf_counter() - began
    dev = read_set(shared / "eval" / "screening_dev.csv")[:queries]
    synthetic_entities_count = sum(1 for _ in synthetic_entities(synthetic, SEED))

    def sources() -> list[ListSource]:
        out = [ListSource(list_info(p, loaded_at), p.entities) for p in parsed]
        if synthetic:
            info = synthetic_info(synthetic, synthetic_entities_count, loaded_at)
            out.append(ListSource(info, synthetic_entities(synthetic, SEED)))
        return out

    result: dict[str, Any] = {
        "machine": machine(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "lists": {p.list_id: len(p.entities) for p in parsed},
        "synthetic_names": synthetic,
        "parse_seconds": round(parse_seconds, 1),
        "queries": len(dev),
        "engines": {},
    }
    for url in urls:
        figures, kind, _index = asyncio.run(_publish(url, sources(), settings))
        server = BlockingServerIndex(url, alias=BENCH_ALIAS)
        try:
            figures |= _latency(server.screen, dev)
        finally:
            server.close()
        asyncio.run(_drop(url))
        result["engines"][kind] = figures
        print(json.dumps({kind: figures}), file=sys.stderr)
    if embedded:
        began = time.perf_counter()
        entities: Iterable[Entity] = (e for s in sources() for e in s.entities)
        index = EmbeddedIndex(entities)
        build = time.perf_counter() - began
        result["embedded"] = {
            "build_seconds": round(build, 1),
            "names_per_second": round(index.name_count / build),
            "build_load_average": _load_average(),
        } | _latency(index.screen, dev)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indexer.bench_scale", description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--engine-url", dest="urls", action="append", default=[])
    parser.add_argument("--synthetic", type=int, default=0, help="synthetic names to add")
    parser.add_argument("--queries", type=int, default=1000, help="dev-set queries to time")
    parser.add_argument("--shards", type=int, default=1)
    parser.add_argument(
        "--workers", type=int, default=None, help="document worker processes (one per CPU - 1)"
    )
    parser.add_argument("--bulk-documents", type=int, default=BULK_DOCUMENTS)
    parser.add_argument("--bulk-requests", type=int, default=BULK_REQUESTS)
    parser.add_argument("--no-embedded", dest="embedded", action="store_false")
    args = parser.parse_args(argv)
    settings = Settings(
        alias=BENCH_ALIAS,
        keep=0,
        shards=args.shards,
        workers=args.workers,
        bulk_documents=args.bulk_documents,
        bulk_requests=args.bulk_requests,
    )
    result = run(args.shared, args.urls, args.synthetic, args.queries, args.embedded, settings)
    result["settings"] = {
        "shards": args.shards,
        "workers": args.workers if args.workers is not None else default_workers(),
        "bulk_documents": args.bulk_documents,
        "bulk_requests": args.bulk_requests,
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

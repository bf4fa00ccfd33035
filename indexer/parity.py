"""Parity: does a server engine answer a screening set as the embedded index does?

The embedded index is built from ``--list`` files; each ``--engine-url`` is expected to
hold the same lists (``screening index --engine-url URL --list ...`` first). Every query of
the set is screened through each; a query *agrees* when the top ``--top`` entity ids are
the same, in the same order, with scores within ``--tolerance``. Disagreements are printed
(and written with ``--output``) with both answers, to explain them.

    python -m indexer.parity --set ../shared/eval/screening_dev.csv \\
        --list us-ofac-sdn=../shared/lists/us-ofac-sdn/2023-12-28 \\
        --engine-url http://127.0.0.1:9251 --engine-url http://127.0.0.1:9252

Lives in the indexer package because it parses lists; the engines package does not.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.evaluation import kind_of
from core.score import Query
from engines.base import Hit
from engines.blocking import BlockingServerIndex
from engines.embedded import EmbeddedIndex
from indexer.registry import parse_list

Answer = list[tuple[str, float]]


def top(hits: Sequence[Hit], count: int) -> Answer:
    return [(hit.entity.id, hit.score) for hit in hits[:count]]


def agrees(a: Answer, b: Answer, tolerance: float) -> bool:
    return [i for i, _ in a] == [i for i, _ in b] and all(
        abs(x - y) <= tolerance for (_, x), (_, y) in zip(a, b, strict=True)
    )


@dataclass(slots=True)
class EngineParity:
    url: str
    kind: str
    queries: int = 0
    agreeing: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    differences: list[dict[str, Any]] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.agreeing / self.queries if self.queries else 0.0

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies_ms)
        return {
            "engine": self.kind,
            "url": self.url,
            "queries": self.queries,
            "agreeing": self.agreeing,
            "share": round(self.share, 4),
            "median_ms": round(statistics.median(lat), 2) if lat else None,
            "p95_ms": round(lat[int(0.95 * (len(lat) - 1))], 2) if lat else None,
            "differences": len(self.differences),
        }


def read_set(path: Path) -> list[Query]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return [Query(row["query"], kind_of(row.get("type"))) for row in csv.DictReader(handle)]


def compare(
    queries: Sequence[Query],
    embedded: EmbeddedIndex,
    servers: Sequence[BlockingServerIndex],
    *,
    count: int = 3,
    tolerance: float = 0.01,
) -> tuple[list[EngineParity], list[float]]:
    results = [EngineParity(s.engine.client.url, s.kind) for s in servers]
    embedded_ms: list[float] = []
    for query in queries:
        began = time.perf_counter()
        expected = top(embedded.screen(query, limit=10), count)
        embedded_ms.append((time.perf_counter() - began) * 1000)
        for server, result in zip(servers, results, strict=True):
            began = time.perf_counter()
            got = top(server.screen(query, limit=10), count)
            result.latencies_ms.append((time.perf_counter() - began) * 1000)
            result.queries += 1
            if agrees(got, expected, tolerance):
                result.agreeing += 1
            else:
                result.differences.append(
                    {"query": query.name, "kind": query.kind, "embedded": expected, "server": got}
                )
    return results, embedded_ms


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indexer.parity", description=__doc__)
    parser.add_argument("--set", dest="eval_set", type=Path, required=True)
    parser.add_argument("--list", dest="lists", action="append", required=True, metavar="ID=PATH")
    parser.add_argument("--engine-url", dest="urls", action="append", required=True)
    parser.add_argument("--top", type=int, default=3)
    parser.add_argument("--tolerance", type=float, default=0.01)
    parser.add_argument("--output", type=Path, help="write the differences as JSON")
    args = parser.parse_args(argv)
    parsed = []
    for spec in args.lists:
        list_id, _, path = spec.partition("=")
        parsed.append(parse_list(list_id, Path(path)))
    embedded = EmbeddedIndex([e for p in parsed for e in p.entities])
    servers = [BlockingServerIndex(url) for url in args.urls]
    for server in servers:
        if len(server) != len(embedded):
            print(f"warning: {server.kind} holds {len(server)} entities, the lists "
                  f"{len(embedded)}: index the same lists first", file=sys.stderr)  # fmt: skip
    queries = read_set(args.eval_set)
    results, embedded_ms = compare(
        queries, embedded, servers, count=args.top, tolerance=args.tolerance
    )
    report = {
        "queries": len(queries),
        "embedded_median_ms": round(statistics.median(embedded_ms), 2),
        "engines": [result.summary() for result in results],
    }
    print(json.dumps(report, indent=2))
    for result in results:
        for difference in result.differences:
            print(f"{result.kind}: {json.dumps(difference, ensure_ascii=False)}")
    if args.output:
        details = {r.kind: r.differences for r in results}
        args.output.write_text(json.dumps(details, ensure_ascii=False, indent=2), "utf-8")
    for server in servers:
        server.close()
    return 0 if all(result.share >= 0.99 for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())

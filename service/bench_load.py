"""Load benchmark of the HTTP API on loopback: `screening serve` in a child process, driven
by a small asyncio HTTP/1.1 client (:class:`Connection`).

    .venv/bin/python -m service.bench_load            # 2 workers, OFAC SDN + UN + UK
    .venv/bin/python -m service.bench_load --json --requests 1000 --max-seconds 30

What it measures, in this order, each phase bounded by a request count *and* a time limit:

1. start-up: from launching `screening serve` to `/readyz` answering 200;
2. single-party requests one at a time: latency median / p99 without queueing;
3. single-party requests from ``--concurrency`` clients at once: throughput (requests/s)
   and the latency under that load;
4. 100-party batches from two clients at once: batches/s, parties/s, latency;
5. the cost of grouping by party: single-party requests from ``--concurrency`` clients,
   grouped (the default answer: one match per party) and ``group: false`` (one match per
   listing, the answer before parties), in four phases A B B A of ``--requests`` / 2
   each, so the machine's drift and the warming of caches fall on both alike; the ratio
   of the server's CPU time per request and of the median latency, grouped over not.

With and without rate limits in the same run (``--limits both``, the default): the server
has two keys, one held to a rate it never reaches (every request goes through the limiter
and its shared counters, and carries the RateLimit headers) and one ``unlimited`` (the
limiter is skipped); each client alternates between them, request by request, so both
see the same names, workers and load. Each phase reports the median and mean latency of
either key and their ratio; the limiter's own cost (microseconds a request, measured on
the shared file the workers use) is printed against the server's CPU time per request.

Each phase takes up the names where the previous one stopped, so a name is sent a second
time only once the set is used up, and each phase reports the share of its parties that
were sent before (a worker that screened a name before may hold its token comparisons).
Party names are the queries of the screening evaluation set (``--queries``; cross-script
names of listed people and made-up names in 24 locales), so the mix of hits and misses,
scripts and lengths is that of real screening rather than one name repeated. The client
runs on the same machine and takes CPU from the server; the figures are therefore a floor.
The benchmark only ever talks to 127.0.0.1 and refuses any other host.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx

from service.auth import hash_key, new_key
from service.ratelimit import RateLimiter, SharedBuckets, parse_rate

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SCREENING_SHARED", REPO.parent / "shared"))
DEFAULT_LISTS = (
    f"us-ofac-sdn={SHARED / 'lists/us-ofac-sdn/2023-12-28'}",
    f"un-sc={SHARED / 'lists/un-sc/2026-08-01'}",
    f"gb-ofsi={SHARED / 'lists/gb-ofsi/2025-04-14'}",
)
DEFAULT_QUERIES = SHARED / "eval" / "screening_dev.csv"
FALLBACK_NAMES = (
    "Aerocaribbean Airlines", "Rotterdam Harbour Logistics BV", "Vladimir Putin",
    "Juan Carlos Perez Garcia", "Banco Nacional de Cuba", "Shenzhen Bright Star Trading Co",
    "Mohammed Ali Hassan", "Olena Kovalenko", "Nordic Timber AS", "Kim Jong Un",
)  # fmt: skip
KINDS = ("person", "organization", "vessel", "aircraft")
HOST = "127.0.0.1"


@dataclass(frozen=True, slots=True)
class PhaseResult:
    name: str
    concurrency: int
    requests: int
    errors: int
    seconds: float
    throughput: float  # requests per second
    parties_per_second: float
    median_ms: float
    p99_ms: float
    max_ms: float
    load_average: float  # 1-minute load average of the machine after the phase
    repeated: float  # share of the phase's parties already sent earlier in the run
    server_cpu_ms: float  # CPU time of the server processes per request (all workers)
    client_cpu_ms: float  # CPU time of this benchmark client per request
    grouped: bool = True  # the answers were one match per party (the default)
    limited_median_ms: float = float("nan")  # requests of the rate-limited key
    unlimited_median_ms: float = float("nan")  # requests of the unlimited key
    limited_mean_ms: float = float("nan")
    unlimited_mean_ms: float = float("nan")

    @property
    def limiter_cost(self) -> float:
        """Mean latency with limits over mean latency without, minus one (0.01 = 1 %)."""
        return self.limited_mean_ms / self.unlimited_mean_ms - 1


@dataclass(frozen=True, slots=True)
class GroupingCost:
    """Grouped answers against per-listing ones, from the A B B A phases."""

    server_cpu_ratio: float  # server CPU ms per request, grouped / per listing
    median_ratio: float  # median latency, grouped / per listing
    grouped_server_cpu_ms: float
    per_listing_server_cpu_ms: float
    grouped_median_ms: float
    per_listing_median_ms: float

    @classmethod
    def of(cls, phases: Sequence[PhaseResult]) -> GroupingCost:
        grouped = [p for p in phases if p.grouped]
        flat = [p for p in phases if not p.grouped]

        def mean(values: list[float]) -> float:
            return sum(values) / len(values) if values else float("nan")

        cpu_g, cpu_f = (
            mean([p.server_cpu_ms for p in grouped]),
            mean([p.server_cpu_ms for p in flat]),
        )
        med_g, med_f = mean([p.median_ms for p in grouped]), mean([p.median_ms for p in flat])
        return cls(
            server_cpu_ratio=round(cpu_g / cpu_f, 3) if cpu_f else float("nan"),
            median_ratio=round(med_g / med_f, 3) if med_f else float("nan"),
            grouped_server_cpu_ms=round(cpu_g, 2),
            per_listing_server_cpu_ms=round(cpu_f, 2),
            grouped_median_ms=round(med_g, 2),
            per_listing_median_ms=round(med_f, 2),
        )


def percentile(sorted_values: Sequence[float], share: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(share * len(sorted_values)) - 1))
    return sorted_values[index]


def load_parties(path: Path, limit: int) -> list[dict[str, Any]]:
    """Parties from the evaluation set's queries (with their type), or a fixed fallback."""
    if not path.is_file():
        return [{"name": name} for name in FALLBACK_NAMES]
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))[:limit]
    return [
        {"name": row["query"], **({"type": row["type"]} if row.get("type") in KINDS else {})}
        for row in rows
        if row.get("query", "").strip()
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields after "pid (comm) "


def process_tree_cpu_seconds(root: int) -> float:
    """User + system CPU time of ``root`` and its child processes (Linux /proc), so the
    cost per request can be read even when other jobs share the machine."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(int(entry.name))
        # fields[1] is the parent pid; fields[11], fields[12] are utime and stime.
        if fields and (int(entry.name) == root or int(fields[1]) == root):
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


class Rotation:
    """Where the run is in the list of parties, and which party names it has sent."""

    def __init__(self, parties: Sequence[dict[str, Any]]) -> None:
        self.parties = parties
        self.position = 0
        self.seen: set[str] = set()

    def next(self, count: int, group: bool = True) -> tuple[dict[str, Any], int]:
        """A body of the next ``count`` parties, and how many of them were sent before;
        ``group`` False asks for one match per listing."""
        chosen = [self.parties[(self.position + k) % len(self.parties)] for k in range(count)]
        self.position += count
        names = [party["name"] for party in chosen]
        repeated = sum(1 for name in names if name in self.seen)
        self.seen.update(names)
        body: dict[str, Any] = {"parties": chosen}
        if not group:
            body["group"] = False
        return body, repeated


class Connection:
    """One HTTP/1.1 keep-alive connection to the server that POSTs JSON bodies.

    The client shares the machine's two CPUs with the server, so its own cost is taken
    from what it measures: httpx spent about 3.5 ms of CPU per request, a third of the
    server's. This speaks just the HTTP/1.1 the benchmark needs (a request with a
    Content-Length, a response with one), as wrk would, for a small fraction of that.
    """

    def __init__(self, port: int, headers: dict[str, str]) -> None:
        self.port = port
        lines = [f"Host: {HOST}:{port}", "Content-Type: application/json"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self._head = "\r\n".join(lines)
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post(
        self, path: str, body: bytes, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        """The status and body of the answer; reconnects when the server closed.
        ``headers`` are sent with this request only (the key, when it alternates)."""
        if self._streams is None:
            self._streams = await asyncio.open_connection(HOST, self.port)
        reader, writer = self._streams
        extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        head = f"POST {path} HTTP/1.1\r\n{self._head}\r\n{extra}Content-Length: {len(body)}\r\n\r\n"
        try:
            writer.write(head.encode("ascii") + body)
            status_line = await reader.readline()
            if not status_line:
                raise ConnectionError("the server closed the connection")
            length = None
            keep_alive = True
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                header = name.strip().lower()
                if header == b"content-length":
                    length = int(value)
                elif header == b"connection" and value.strip().lower() == b"close":
                    keep_alive = False
            if length is None:
                raise ConnectionError("an answer without Content-Length")
            answer = await reader.readexactly(length)
        except (OSError, asyncio.IncompleteReadError):
            await self.close()
            raise
        if not keep_alive:
            await self.close()
        return int(status_line.split()[1]), answer

    async def close(self) -> None:
        if self._streams is not None:
            writer = self._streams[1]
            self._streams = None
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


async def run_phase(
    port: int,
    keys: Sequence[dict[str, str]],
    name: str,
    rotation: Rotation,
    *,
    parties: int,
    concurrency: int,
    max_requests: int,
    max_seconds: float,
    server_pid: int,
    group: bool = True,
) -> PhaseResult:
    """Send the next bodies from ``concurrency`` connections until either bound is reached;
    each connection takes the ``keys`` (their headers) in turn, request by request."""
    latencies: list[float] = []
    by_key: list[list[float]] = [[] for _ in keys]
    errors = 0
    sent = 0
    repeated = 0
    server_cpu = process_tree_cpu_seconds(server_pid)
    client_cpu = time.process_time()
    started = time.perf_counter()
    deadline = started + max_seconds

    async def worker(start: asyncio.Event, started_next: asyncio.Event) -> None:
        nonlocal sent, errors, repeated
        await start.wait()
        connection = Connection(port, {})
        turn = 0
        while sent < max_requests and time.perf_counter() < deadline:
            body, again = rotation.next(parties, group)
            repeated += again
            sent += 1
            payload = json.dumps(body).encode()
            which = turn % len(keys)
            turn += 1
            began = time.perf_counter()
            try:
                status, _answer = await connection.post("/v1/screen", payload, keys[which])
                ok = status == 200
            except (OSError, asyncio.IncompleteReadError, ValueError):
                ok = False
            if ok:
                latency = (time.perf_counter() - began) * 1000
                latencies.append(latency)
                by_key[which].append(latency)
            else:
                errors += 1
            started_next.set()
        started_next.set()
        await connection.close()

    # Clients connect one after another, each once the one before has had its first
    # answer (a ramp-up): a burst of connections at once is all accepted by whichever
    # server worker wakes first, and a keep-alive connection stays with its worker.
    events = [asyncio.Event() for _ in range(concurrency + 1)]
    events[0].set()
    await asyncio.gather(*(worker(events[k], events[k + 1]) for k in range(concurrency)))
    seconds = time.perf_counter() - started
    server_cpu = process_tree_cpu_seconds(server_pid) - server_cpu
    client_cpu = time.process_time() - client_cpu
    latencies.sort()
    done = len(latencies)
    split = _split(by_key)
    return PhaseResult(
        name=name,
        concurrency=concurrency,
        requests=done,
        errors=errors,
        seconds=round(seconds, 2),
        throughput=round(done / seconds, 1) if seconds else 0.0,
        parties_per_second=round(done * parties / seconds, 1) if seconds else 0.0,
        median_ms=round(statistics.median(latencies), 2) if latencies else float("nan"),
        p99_ms=round(percentile(latencies, 0.99), 2),
        max_ms=round(latencies[-1], 2) if latencies else float("nan"),
        load_average=round(os.getloadavg()[0], 1),
        repeated=round(repeated / max(1, sent * parties), 2),
        server_cpu_ms=round(server_cpu * 1000 / max(1, done + errors), 2),
        client_cpu_ms=round(client_cpu * 1000 / max(1, done + errors), 2),
        grouped=group,
        **split,
    )


def _split(by_key: Sequence[list[float]]) -> dict[str, float]:
    """Median and mean latency of the limited key (first) and the unlimited one (second)."""
    if len(by_key) < 2 or not by_key[0] or not by_key[1]:
        return {}
    limited, unlimited = by_key[0], by_key[1]
    return {
        "limited_median_ms": round(statistics.median(limited), 3),
        "unlimited_median_ms": round(statistics.median(unlimited), 3),
        "limited_mean_ms": round(statistics.fmean(limited), 3),
        "unlimited_mean_ms": round(statistics.fmean(unlimited), 3),
    }


async def drive(
    port: int, keys: Sequence[str], parties: list[dict[str, Any]], args: Any, server_pid: int
) -> list[PhaseResult]:
    rotation = Rotation(parties)
    headers = [{"Authorization": f"Bearer {key}"} for key in keys]
    await run_phase(
        port, headers, "warm-up", rotation, parties=1, concurrency=2, max_requests=100,
        max_seconds=20.0, server_pid=server_pid,
    )  # fmt: skip
    return [
        await run_phase(
            port, headers, "single party, sequential", rotation, parties=1, concurrency=1,
            max_requests=args.requests, max_seconds=args.max_seconds, server_pid=server_pid,
        ),
        await run_phase(
            port, headers, "single party, concurrent", rotation, parties=1,
            concurrency=args.concurrency, max_requests=args.requests,
            max_seconds=args.max_seconds, server_pid=server_pid,
        ),
        await run_phase(
            port, headers, "100-party batch", rotation, parties=100, concurrency=2,
            max_requests=args.batches, max_seconds=args.max_seconds, server_pid=server_pid,
        ),
        *[
            await run_phase(
                port, headers, f"grouping {step}: {'grouped' if group else 'per listing'}",
                rotation, parties=1, concurrency=args.concurrency,
                max_requests=max(1, args.requests // 2), max_seconds=args.max_seconds / 2,
                server_pid=server_pid, group=group,
            )
            for step, group in (("A", True), ("B", False), ("B", False), ("A", True))
        ],
    ]  # fmt: skip


# The limited key's rate: far above what the benchmark sends, so nothing is refused and
# every request pays for the limiter (two takes from the shared counters, the headers).
BENCH_RATE = "100000/s, 10000000 parties/s"


def bench_keys(limits: str) -> list[tuple[str, dict[str, Any]]]:
    """(key, entry) of the keys the run alternates: limited, then unlimited."""
    rates = {"both": [BENCH_RATE, "unlimited"], "on": [BENCH_RATE], "off": ["unlimited"]}
    out = []
    for i, rate in enumerate(rates[limits]):
        key = new_key()
        entry = {"name": f"bench-{i}", "sha256": hash_key(key), "scopes": ["screen"], "rate": rate}
        out.append((key, entry))
    return out


def limiter_microseconds(takes: int = 20000) -> float:
    """Microseconds of one request's two takes (requests, parties) from the shared file."""
    with tempfile.TemporaryDirectory(prefix="screening-bench-limits-") as folder:
        buckets = SharedBuckets(Path(folder) / "rate-limits")
        limiter = RateLimiter(buckets)
        rate = parse_rate(BENCH_RATE)
        assert rate is not None
        started = time.perf_counter()
        for i in range(takes):
            limiter.take(f"bench-{i % 4}", rate, "requests", 1)
            limiter.take(f"bench-{i % 4}", rate, "parties", 1)
        seconds = time.perf_counter() - started
        buckets.close()
    return seconds / takes * 1e6


def start_server(
    lists: Sequence[str], workers: int, port: int, folder: Path, entries: list[dict[str, Any]]
) -> subprocess.Popen[str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")},
        "SCREENING_API_KEYS": json.dumps(entries),
        "SCREENING_AUDIT_DB": str(folder / "audit.sqlite3"),
        "SCREENING_LOG_LEVEL": "warning",
    }
    # `python -m` from the working directory: run from build/compiled, the server is the
    # compiled core (`make bench-load`), as the Docker image ships it.
    command = [sys.executable, "-m", "service.cli", "serve", "--host", HOST]
    command += ["--port", str(port), "--workers", str(workers)]
    for spec in lists:
        command += ["--list", spec]
    return subprocess.Popen(command, env=env, text=True)


def wait_ready(base: str, process: subprocess.Popen[str], timeout: float) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise SystemExit(f"screening serve exited with status {process.returncode}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2, trust_env=False).status_code == 200:
                return time.perf_counter() - started
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"screening serve was not ready after {timeout:.0f} s")


def stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def render_grouping(cost: GroupingCost) -> str:
    return (
        f"grouping by party: server CPU {cost.grouped_server_cpu_ms} ms grouped / "
        f"{cost.per_listing_server_cpu_ms} ms per listing = {cost.server_cpu_ratio}; median "
        f"{cost.grouped_median_ms} / {cost.per_listing_median_ms} ms = {cost.median_ratio}"
    )


def render_limits(phases: Sequence[PhaseResult], limiter_us: float) -> list[str]:
    lines = [
        "rate limits, same run (requests alternate a limited and an unlimited key):",
        f"{'phase':<26} {'limited median':>15} {'unlimited median':>17} "
        f"{'limited mean':>13} {'unlimited mean':>15} {'cost':>7}",
    ]
    for p in phases:
        if p.limited_mean_ms == p.limited_mean_ms:  # not NaN: both keys were measured
            lines.append(
                f"{p.name:<26} {p.limited_median_ms:>15} {p.unlimited_median_ms:>17} "
                f"{p.limited_mean_ms:>13} {p.unlimited_mean_ms:>15} {p.limiter_cost:>+7.1%}"
            )
    single = next((p for p in phases if p.concurrency == 1), None)
    if single is not None and single.server_cpu_ms > 0:
        share = limiter_us / 1000 / single.server_cpu_ms
        lines.append(
            f"limiter alone: {limiter_us:.1f} µs a request (two takes, shared file) = "
            f"{share:.2%} of the server's {single.server_cpu_ms} ms CPU a request"
        )
    return lines


def render(startup: float, phases: Sequence[PhaseResult], workers: int, cpus: int) -> str:
    lines = [f"start-up to ready: {startup:.1f} s ({workers} workers, {cpus} CPUs)"]
    lines.append(
        "server/client CPU ms: CPU time per request of the server processes / this client; "
        f"{cpus} idle CPUs would serve about {cpus} × 1000 / server CPU ms requests/s"
    )
    lines.append(
        f"{'phase':<26} {'conc':>4} {'reqs':>6} {'err':>4} {'req/s':>8} {'parties/s':>10} "
        f"{'median ms':>10} {'p99 ms':>8} {'max ms':>8} {'load':>5} {'srv cpu':>8} {'cli cpu':>8}"
        f" {'repeat':>6}"
    )
    for p in phases:
        lines.append(
            f"{p.name:<26} {p.concurrency:>4} {p.requests:>6} {p.errors:>4} {p.throughput:>8} "
            f"{p.parties_per_second:>10} {p.median_ms:>10} {p.p99_ms:>8} {p.max_ms:>8} "
            f"{p.load_average:>5} {p.server_cpu_ms:>8} {p.client_cpu_ms:>8} {p.repeated:>6}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.bench_load", description=__doc__)
    parser.add_argument("--list", dest="lists", action="append", metavar="ID=PATH")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8, help="clients in phase 3")
    # 100 + 2 × 1400 single parties: new names in both phases (the dev set has 3,085).
    parser.add_argument("--requests", type=int, default=1400, help="most requests per phase")
    parser.add_argument("--batches", type=int, default=40, help="most 100-party batches")
    parser.add_argument("--max-seconds", type=float, default=45.0, help="longest phase")
    parser.add_argument("--startup-timeout", type=float, default=600.0)
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument(
        "--limits",
        choices=("both", "on", "off"),
        default="both",
        help="rate limits: alternate a limited and an unlimited key (both), or only one",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    parties = load_parties(args.queries, 5000)
    keys = bench_keys(args.limits)
    port = free_port()
    base = f"http://{HOST}:{port}"
    with tempfile.TemporaryDirectory(prefix="screening-bench-") as folder:
        entries = [entry for _key, entry in keys]
        process = start_server(
            args.lists or DEFAULT_LISTS, args.workers, port, Path(folder), entries
        )
        try:
            startup = wait_ready(base, process, args.startup_timeout)
            plain = [key for key, _entry in keys]
            phases = asyncio.run(drive(port, plain, parties, args, process.pid))
        finally:
            stop(process)
    limiter_us = limiter_microseconds()
    cpus = os.cpu_count() or 0
    cost = GroupingCost.of([p for p in phases if p.name.startswith("grouping ")])
    if args.json:
        out = {
            "startup_seconds": round(startup, 1),
            "workers": args.workers,
            "cpus": cpus,
            "queries": str(args.queries),
            "limits": args.limits,
            "limiter_microseconds": round(limiter_us, 2),
            "phases": [asdict(p) | {"limiter_cost": round(p.limiter_cost, 4)} for p in phases],
            "grouping": asdict(cost),
        }
        print(json.dumps(out, indent=2))
    else:
        print(render(startup, phases, args.workers, cpus))
        print(render_grouping(cost))
        if args.limits == "both":
            print("\n".join(render_limits(phases, limiter_us)))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

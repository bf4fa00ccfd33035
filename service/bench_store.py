"""The stores under load: three service processes on one PostgreSQL, then the same three
on one SQLite file, each driven by eight clients, in one run (``make bench-load``).

    .venv/bin/python -m service.bench_store [--processes 3] [--concurrency 8] [--json]

Per store it checks what a multi-replica deployment relies on, besides the speed:

* a decision made on one process is honoured by the others at once: screen an alerting
  party on process 1, clear the hit through ``POST /v1/decisions`` on process 2, screen
  again on process 3 (the very next request) and expect ``cleared``;
* every answered screening has its record: after the load the store holds exactly as many
  screening records as requests were answered 200, and ``screening audit verify``'s walk
  finds the chain whole.

The lists are parsed once (``screening refresh --state-dir``) and every process serves
that state directory. PostgreSQL comes from ``deploy/local-postgres`` (started and
stopped here unless already running; it runs with ``synchronous_commit=off``, as SQLite
here runs with ``synchronous=NORMAL``: neither waits for the disk at each commit). The
client talks only to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
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
from service.bench_load import (
    DEFAULT_LISTS,
    DEFAULT_QUERIES,
    HOST,
    Connection,
    Rotation,
    free_port,
    load_parties,
    percentile,
    process_tree_cpu_seconds,
    stop,
    wait_ready,
)
from service.store import open_store
from service.store.chain import verify

REPO = Path(__file__).resolve().parents[1]
LOCAL_POSTGRES = REPO / "deploy" / "local-postgres"
# Names of listed parties that alert on OFAC SDN / UN / UK: the decision check uses the first.
ALERTING = ("Vladimir Putin", "Kim Jong Un", "Aerocaribbean Airlines", "Banco Nacional de Cuba")


@dataclass(frozen=True, slots=True)
class StoreResult:
    store: str
    processes: int
    concurrency: int
    requests: int
    errors: int
    seconds: float
    throughput: float
    median_ms: float
    p99_ms: float
    records: int
    answered: int
    chain_ok: bool
    decision_honoured: bool
    startup_seconds: float
    service_cpu_ms: float  # CPU of the service processes per answered load request
    database_cpu_ms: float  # CPU of the PostgreSQL server per request (0 for SQLite)


def build_state(lists: Sequence[str], state: Path) -> None:
    command = [sys.executable, "-m", "service.cli", "refresh", "--state-dir", str(state)]
    for spec in lists:
        command += ["--list", spec]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def start(state: Path, port: int, env: dict[str, str]) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "service.cli", "serve", "--host", HOST]
    command += ["--port", str(port), "--state-dir", str(state)]
    return subprocess.Popen(command, env=env, text=True)


def postgres_server() -> tuple[str, bool]:
    """The local PostgreSQL's URL, and whether this run started it."""
    running = subprocess.run([str(LOCAL_POSTGRES), "status"], capture_output=True, text=True)
    if running.returncode == 0:
        return running.stdout.strip().splitlines()[-1], False
    started = subprocess.run(
        [str(LOCAL_POSTGRES), "start"], capture_output=True, text=True, check=True
    )
    return started.stdout.strip().splitlines()[-1], True


def fresh_database(server: str) -> str:
    import pg8000.native

    from service.store.postgres import connect_options

    name = f"screening_bench_{os.getpid()}_{int(time.time())}"
    admin = pg8000.native.Connection(**connect_options(server))
    try:
        admin.run(f"CREATE DATABASE {name}")
    finally:
        admin.close()
    return server.rsplit("/", 1)[0] + f"/{name}"


def postgres_pid() -> int | None:
    """The local PostgreSQL's postmaster (its backends are its children)."""
    state = os.environ.get("SCREENING_POSTGRES_STATE", f"/tmp/screening-postgres-{os.getuid()}")
    try:
        return int(Path(state, "data", "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def decision_check(
    ports: Sequence[int], headers: dict[str, str], names: Sequence[str]
) -> tuple[bool, int]:
    """Screen on the first process, decide on the second, screen on the third.

    A match is one listed party; it stops alerting once every listing of it that alerts
    is cleared, so the check clears each such listing (one decision per listing, as an
    officer does on the page) and then expects, on another process, each listing to carry
    its own decision and the match to be cleared and not alert.
    """
    base = [f"http://{HOST}:{port}" for port in ports]
    screened = 0
    with httpx.Client(headers=headers, timeout=30, trust_env=False) as client:
        for name in names:
            party = {"name": name}
            answer = client.post(f"{base[0]}/v1/screen", json={"parties": [party]}).json()
            screened += 1
            hits = [m for m in answer["results"][0]["matches"] if m["alert"]]
            if not hits:
                continue
            alerting = [entry["entity_id"] for entry in hits[0]["listings"] if entry["alert"]]
            made: dict[str, str] = {}
            for entity_id in alerting:
                body = {"party": party, "entity_id": entity_id, "decision": "cleared",
                        "reason": "bench: another party"}  # fmt: skip
                decided = client.post(f"{base[1 % len(base)]}/v1/decisions", json=body)
                decided.raise_for_status()
                made[entity_id] = decided.json()["decision_id"]
            again = client.post(f"{base[2 % len(base)]}/v1/screen", json={"parties": [party]})
            screened += 1
            match = next(
                m
                for m in again.json()["results"][0]["matches"]
                if m["party_id"] == hits[0]["party_id"]
            )
            honoured = {
                entry["entity_id"]: (entry.get("cleared") or {}).get("decision_id")
                for entry in match["listings"]
                if entry["entity_id"] in made
            }
            return honoured == made and not match["alert"] and bool(match.get("cleared")), screened
    return False, screened


async def load(
    ports: Sequence[int],
    headers: dict[str, str],
    rotation: Rotation,
    concurrency: int,
    max_requests: int,
    max_seconds: float,
) -> tuple[list[float], int, float]:
    """Single-party screenings from ``concurrency`` connections spread over the ports."""
    latencies: list[float] = []
    errors = 0
    sent = 0
    started = time.perf_counter()
    deadline = started + max_seconds

    async def client(k: int) -> None:
        nonlocal sent, errors
        connection = Connection(ports[k % len(ports)], headers)
        while sent < max_requests and time.perf_counter() < deadline:
            body, _ = rotation.next(1)
            sent += 1
            began = time.perf_counter()
            try:
                status, _answer = await connection.post("/v1/screen", json.dumps(body).encode())
            except (OSError, asyncio.IncompleteReadError, ValueError):
                status = 0
            if status == 200:
                latencies.append((time.perf_counter() - began) * 1000)
            else:
                errors += 1
        await connection.close()

    await asyncio.gather(*(client(k) for k in range(concurrency)))
    return latencies, errors, time.perf_counter() - started


def run_store(kind: str, target: str, state: Path, args: Any, parties: list[Any]) -> StoreResult:
    key = new_key()
    # Unlimited: this measures the store; bench_load measures the rate limiter's cost.
    entry = {
        "name": "bench",
        "sha256": hash_key(key),
        "scopes": ["screen", "decide"],
        "rate": "unlimited",
    }
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")},
        "SCREENING_API_KEYS": json.dumps([entry]),
        "SCREENING_LOG_LEVEL": "warning",
        "SCREENING_STATE_POLL_SECONDS": "3600",
    }
    if kind == "postgres":
        env["SCREENING_DATABASE_URL"] = target
    else:
        env["SCREENING_AUDIT_DB"] = target
    ports = [free_port() for _ in range(args.processes)]
    began = time.perf_counter()
    processes = [start(state, port, env) for port in ports]
    headers = {"Authorization": f"Bearer {key}"}
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_ready(f"http://{HOST}:{port}", process, args.startup_timeout)
        startup = time.perf_counter() - began
        honoured, checked = decision_check(ports, headers, args.decide_on or ALERTING)
        rotation = Rotation(parties)
        warm, warm_errors, _ = asyncio.run(
            load(ports, headers, rotation, args.processes, 20 * args.processes, 30.0)
        )
        database = postgres_pid() if kind == "postgres" else None
        cpu_before = [process_tree_cpu_seconds(p.pid) for p in processes]
        db_before = process_tree_cpu_seconds(database) if database else 0.0
        latencies, errors, seconds = asyncio.run(
            load(ports, headers, rotation, args.concurrency, args.requests, args.max_seconds)
        )
        service_cpu = sum(
            process_tree_cpu_seconds(p.pid) - before
            for p, before in zip(processes, cpu_before, strict=True)
        )
        database_cpu = (process_tree_cpu_seconds(database) - db_before) if database else 0.0
    finally:
        for process in processes:
            stop(process)
    store = open_store(target if kind == "postgres" else None, Path(target))
    try:
        records = store.count("screening")
        chain_ok = verify(store.rows(), store.head(), None).ok
    finally:
        store.close()
    latencies.sort()
    answered = checked + len(warm) + len(latencies)
    return StoreResult(
        store=kind,
        processes=args.processes,
        concurrency=args.concurrency,
        requests=len(latencies),
        errors=errors + warm_errors,
        seconds=round(seconds, 2),
        throughput=round(len(latencies) / seconds, 1) if seconds else 0.0,
        median_ms=round(statistics.median(latencies), 2) if latencies else float("nan"),
        p99_ms=round(percentile(latencies, 0.99), 2),
        records=records,
        answered=answered,
        chain_ok=chain_ok,
        decision_honoured=honoured,
        startup_seconds=round(startup, 1),
        service_cpu_ms=round(service_cpu * 1000 / max(1, len(latencies)), 2),
        database_cpu_ms=round(database_cpu * 1000 / max(1, len(latencies)), 2),
    )


def render(results: Sequence[StoreResult]) -> str:
    lines = [
        f"{'store':<9} {'procs':>5} {'conc':>4} {'reqs':>6} {'err':>4} {'req/s':>7} "
        f"{'median ms':>9} {'p99 ms':>7} {'records':>8} {'answered':>8} {'chain':>5} "
        f"{'decision':>8} {'svc cpu':>7} {'db cpu':>6}"
    ]
    for r in results:
        lines.append(
            f"{r.store:<9} {r.processes:>5} {r.concurrency:>4} {r.requests:>6} {r.errors:>4} "
            f"{r.throughput:>7} {r.median_ms:>9} {r.p99_ms:>7} {r.records:>8} {r.answered:>8} "
            f"{'ok' if r.chain_ok else 'BAD':>5} "
            f"{'honoured' if r.decision_honoured else 'MISSED':>8} "
            f"{r.service_cpu_ms:>7} {r.database_cpu_ms:>6}"
        )
    by = {r.store: r for r in results}
    if "sqlite" in by and "postgres" in by and by["sqlite"].throughput:
        ratio = by["postgres"].throughput / by["sqlite"].throughput
        lines.append(f"PostgreSQL / SQLite requests/s: {ratio:.2f}")
        pg, lite = by["postgres"], by["sqlite"]
        cost = (pg.service_cpu_ms + pg.database_cpu_ms) / max(0.01, lite.service_cpu_ms)
        lines.append(
            f"CPU per request, PostgreSQL (service + database) / SQLite: {cost:.2f} "
            "(what bounds requests/s on a machine whose CPUs are all busy)"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.bench_store", description=__doc__)
    parser.add_argument("--list", dest="lists", action="append", metavar="ID=PATH")
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--max-seconds", type=float, default=45.0)
    parser.add_argument("--startup-timeout", type=float, default=600.0)
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--stores", default="postgres,sqlite", help="comma-separated")
    parser.add_argument(
        "--decide-on", action="append", metavar="NAME", help="a party that alerts on the lists"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    parties = load_parties(args.queries, 5000)
    results: list[StoreResult] = []
    started_postgres = False
    with tempfile.TemporaryDirectory(prefix="screening-bench-store-") as folder:
        state = Path(folder) / "state"
        build_state(args.lists or DEFAULT_LISTS, state)
        try:
            for kind in args.stores.split(","):
                if kind == "postgres":
                    server, started_postgres = postgres_server()
                    target = fresh_database(server)
                else:
                    target = str(Path(folder) / "store.sqlite3")
                results.append(run_store(kind, target, state, args, parties))
        finally:
            if started_postgres:
                subprocess.run([str(LOCAL_POSTGRES), "stop"], capture_output=True, check=False)
    if args.json:
        print(json.dumps([asdict(r) for r in results], indent=2))
    else:
        print(render(results))
    ok = all(r.chain_ok and r.decision_honoured and r.records == r.answered for r in results)
    return 0 if ok else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

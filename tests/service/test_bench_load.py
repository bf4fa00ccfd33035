"""The load benchmark's own arithmetic and inputs (the benchmark itself runs by hand)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from service.bench_load import (
    FALLBACK_NAMES,
    Connection,
    GroupingCost,
    PhaseResult,
    Rotation,
    _split,
    bench_keys,
    limiter_microseconds,
    load_parties,
    percentile,
    process_tree_cpu_seconds,
)
from service.ratelimit import parse_rate


def test_percentile_of_sorted_latencies() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.99) == 99.0
    assert percentile([7.0], 0.99) == 7.0


def test_parties_come_from_the_eval_set_with_their_type(tmp_path: Path) -> None:
    file = tmp_path / "set.csv"
    file.write_text(
        "query,type,expected,category,source\n"
        "Владимир КОЖИН,person,us-ofac-sdn:1,x,y\nAcme,,,,\n , ,,,\n"
    )
    assert load_parties(file, 10) == [
        {"name": "Владимир КОЖИН", "type": "person"},
        {"name": "Acme"},
    ]
    assert [p["name"] for p in load_parties(tmp_path / "missing.csv", 10)] == list(FALLBACK_NAMES)


def test_cpu_time_of_a_process_is_read() -> None:
    spent = sum(range(2_000_000))
    assert spent and process_tree_cpu_seconds(os.getpid()) > 0


def test_each_phase_takes_up_the_names_where_the_last_stopped() -> None:
    """Every phase started again at the first name, so later phases re-sent names the
    workers had screened already, and measured partly warm caches."""
    rotation = Rotation([{"name": name} for name in ("a", "b", "c")])
    assert rotation.next(1) == ({"parties": [{"name": "a"}]}, 0)
    assert rotation.next(1) == ({"parties": [{"name": "b"}]}, 0)
    body, repeated = rotation.next(3)
    assert [p["name"] for p in body["parties"]] == ["c", "a", "b"] and repeated == 2


def test_the_client_posts_on_one_connection_and_reconnects_when_closed() -> None:
    """The benchmark's own HTTP/1.1 client, against a server that answers the first
    request of each connection with keep-alive and the second with Connection: close."""
    seen: list[tuple[int, bytes]] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connection = len({c for c, _ in seen})
        for turn in range(2):
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            seen.append((connection, await reader.readexactly(length)))
            answer = b'{"ok":%d}' % turn
            close = b"Connection: close\r\n" if turn else b""
            writer.write(b"HTTP/1.1 200 OK\r\n" + close)
            writer.write(b"Content-Length: %d\r\n\r\n" % len(answer) + answer)
            await writer.drain()
        writer.close()

    async def run() -> list[tuple[int, bytes]]:
        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        client = Connection(port, {"Authorization": "Bearer k"})
        answers = [await client.post("/v1/screen", b'{"n":%d}' % n) for n in range(3)]
        await client.close()
        server.close()
        await server.wait_closed()
        return answers

    answers = asyncio.run(run())
    assert answers == [(200, b'{"ok":0}'), (200, b'{"ok":1}'), (200, b'{"ok":0}')]
    assert seen == [(0, b'{"n":0}'), (0, b'{"n":1}'), (1, b'{"n":2}')]


def test_per_listing_phases_ask_for_one_match_per_listing() -> None:
    rotation = Rotation([{"name": "a"}])
    assert rotation.next(1, group=False)[0] == {"parties": [{"name": "a"}], "group": False}
    assert "group" not in rotation.next(1)[0]


def test_grouping_cost_compares_grouped_with_per_listing_phases() -> None:
    def phase(grouped: bool, cpu: float, median: float) -> PhaseResult:
        return PhaseResult(
            "p", 8, 100, 0, 1.0, 100.0, 100.0, median, 1.0, 1.0, 0.0, 0.0, cpu, 1.0, grouped
        )

    cost = GroupingCost.of(
        [phase(True, 11.0, 21.0), phase(False, 10.0, 20.0), phase(False, 10.0, 20.0),
         phase(True, 11.0, 21.0)]
    )  # fmt: skip
    assert cost.server_cpu_ratio == 1.1 and cost.median_ratio == 1.05


def test_the_run_alternates_a_limited_and_an_unlimited_key() -> None:
    limited, unlimited = (entry for _key, entry in bench_keys("both"))
    assert parse_rate(limited["rate"]) is not None and parse_rate(unlimited["rate"]) is None
    assert [entry["rate"] for _key, entry in bench_keys("off")] == ["unlimited"]
    split = _split([[10.0, 12.0, 11.0], [10.0, 10.0, 10.0]])
    assert split["limited_median_ms"] == 11.0 and split["unlimited_mean_ms"] == 10.0
    assert _split([[1.0], []]) == {}


def test_the_limiter_alone_is_timed_on_the_shared_file() -> None:
    assert 0 < limiter_microseconds(200) < 5000

"""The load benchmark's own arithmetic and inputs (the benchmark itself runs by hand)."""

from __future__ import annotations

import os
from pathlib import Path

from service.bench_load import FALLBACK_NAMES, load_parties, percentile, process_tree_cpu_seconds


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

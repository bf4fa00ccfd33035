"""Benchmark: parse every snapshot in ``shared/lists`` and report time and peak memory.

Each snapshot is parsed in a fresh Python process, so the peak resident memory reported
is that parse's own (imports included, reported separately as the baseline), not a
high-water mark left by an earlier, larger list. Time is the median of ``--repeat`` runs
inside that process, measured around the parser call only.

    python -m indexer.bench --shared ../shared [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

_CHILD = r"""
import json, resource, statistics, sys, time
from pathlib import Path
from indexer.registry import parse_list
list_id, path, repeat = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
import indexer.parsers._common  # imports that every parser needs, counted in the baseline
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
times = []
for _ in range(repeat):
    start = time.perf_counter()
    parsed = parse_list(list_id, path)
    times.append(time.perf_counter() - start)
    entities = len(parsed.entities)
    names = sum(len(e.names) for e in parsed.entities)
    del parsed
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": statistics.median(times), "entities": entities, "names": names,
                  "peak_rss_mb": peak / 1024, "baseline_rss_mb": baseline / 1024}))
"""


def snapshots(lists_dir: Path) -> list[tuple[str, Path]]:
    """Every ``<list-id>/<date>`` folder, in a stable order."""
    found: list[tuple[str, Path]] = []
    for list_dir in sorted(p for p in lists_dir.iterdir() if p.is_dir()):
        for snapshot in sorted(p for p in list_dir.iterdir() if p.is_dir()):
            found.append((list_dir.name, snapshot))
    return found


def run_one(list_id: str, path: Path, repeat: int) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, list_id, str(path), str(repeat)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        last = result.stderr.strip().splitlines()[-1:] or ["failed"]
        return {"list": list_id, "snapshot": path.name, "error": last[0]}
    data: dict[str, Any] = json.loads(result.stdout)
    return {"list": list_id, "snapshot": path.name, **data}


def describe_machine() -> str:
    """CPU model, core count and Python version: benchmark figures mean little without them."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indexer.bench", description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = [run_one(lid, path, args.repeat) for lid, path in snapshots(args.shared / "lists")]
    machine = describe_machine()
    if args.json:
        print(json.dumps({"machine": machine, "results": rows}, indent=2))
        return 0
    print(f"machine: {machine}")
    print(
        f"{'list':<13} {'snapshot':<11} {'entities':>8} {'names':>7} {'seconds':>8} {'peak MB':>8}"
    )
    for row in rows:
        if "error" in row:
            print(f"{row['list']:<13} {row['snapshot']:<11} ERROR {row['error']}")
            continue
        print(
            f"{row['list']:<13} {row['snapshot']:<11} {row['entities']:>8} {row['names']:>7} "
            f"{row['seconds']:>8.3f} {row['peak_rss_mb']:>8.1f}"
        )
    return 1 if any("error" in row for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())

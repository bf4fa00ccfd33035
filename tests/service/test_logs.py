"""Logs an operator can use: JSON lines with the request id, route, status, duration, key
and decision and never a screened name (unless asked); the service's events at INFO; the
caller's X-Request-ID taken and returned. Checked in the app and on a real `screening
serve` with two workers (which also share one set of rate-limit counters)."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.auth import hash_key
from service.logs import JsonLines
from tests.conftest import FIXTURES
from tests.service.conftest import Keys, MakeClient, TestClient, screen_body

NAME = "Ahmad Ali Hassan"


def access_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "screening.access"]


def test_each_request_leaves_one_access_record_without_the_name(
    make_client: MakeClient, keys: Keys, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client(keys=keys.ring())
    with caplog.at_level(logging.INFO, logger="screening"):
        response = client.post("/v1/screen", json=screen_body(NAME), headers=keys.bearer("gateway"))
        client.get("/v1/search", params={"q": NAME}, headers=keys.bearer("lookup"))
        client.post("/v1/screen", json={"parties": []}, headers=keys.bearer("gateway"))
    screened, searched, refused = access_records(caplog)
    assert screened.levelno == logging.INFO
    fields = vars(screened)
    assert fields["request_id"] == response.headers["x-request-id"]
    assert fields["route"] == "/v1/screen" and fields["method"] == "POST"
    assert fields["status"] == 200 and fields["duration_ms"] > 0
    assert fields["key"] == "gateway" and fields["decision"] == "alert" and fields["parties"] == 1
    assert fields["audit_id"] == response.json()["request_id"]
    assert vars(searched)["route"] == "/v1/search" and vars(searched)["key"] == "lookup"
    assert vars(refused)["status"] == 422 and vars(refused)["problem"] == "validation"
    text = "\n".join(JsonLines().format(r) for r in caplog.records)
    assert "Ahmad" not in text  # neither the body nor the search query's name


def test_names_are_logged_only_when_the_setting_asks(
    make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client(log_screened_names=True)
    with caplog.at_level(logging.INFO, logger="screening"):
        client.post("/v1/screen", json=screen_body(NAME, "OCEAN STAR"))
    (record,) = access_records(caplog)
    assert vars(record)["names"] == [NAME, "OCEAN STAR"]


def test_a_record_is_one_json_line_with_its_fields() -> None:
    record = logging.LogRecord("screening.access", logging.INFO, "x", 1, "request", None, None)
    record.request_id = "abc"
    record.status = 200
    line = JsonLines().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "info" and entry["logger"] == "screening.access"
    assert entry["message"] == "request" and entry["request_id"] == "abc"
    assert entry["status"] == 200 and entry["time"].endswith("+00:00")


def test_the_callers_request_id_is_taken_and_returned(make_client: MakeClient, keys: Keys) -> None:
    client = make_client(keys=keys.ring())
    given = {"X-Request-ID": "gw-2026-11-29/0001", **keys.bearer("gateway")}
    response = client.post("/v1/screen", json=screen_body("x y"), headers=given)
    assert response.headers["x-request-id"] == "gw-2026-11-29/0001"
    screening_id = response.json()["request_id"]
    record = client.get(f"/v1/audit/{screening_id}", headers=keys.bearer("auditor")).json()
    assert record["caller_request_id"] == "gw-2026-11-29/0001"
    again = client.post("/v1/screen", json=screen_body("x y"), headers=given)
    assert again.status_code == 200  # a reused id does not collide in the audit trail
    assert again.json()["request_id"] != screening_id
    refused = client.post("/v1/screen", json={}, headers=given)
    assert refused.json()["instance"] == "gw-2026-11-29/0001"
    unusable = client.get("/healthz", headers={"X-Request-ID": "has spaces\tand tabs"})
    assert unusable.headers["x-request-id"] != "has spaces\tand tabs"
    assert len(unusable.headers["x-request-id"]) == 32


def test_without_a_given_id_the_services_own_is_returned(client: TestClient) -> None:
    response = client.post("/v1/screen", json=screen_body("x y"))
    assert response.headers["x-request-id"] == response.json()["request_id"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _lines(path: Path) -> list[dict[str, Any]]:
    out = []
    for line in path.read_text("utf-8").splitlines():
        assert line.startswith("{"), f"not a JSON line: {line!r}"
        out.append(json.loads(line))
    return out


def test_screening_serve_logs_json_lines_and_shares_limits_across_workers(
    tmp_path: Path,
) -> None:
    key = "sk_test_logs_" + "c" * 30
    entry = {"name": "gw", "sha256": hash_key(key), "scopes": ["screen", "read"]}
    entry["rate"] = "4/s, burst 1s"
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")},
        "SCREENING_API_KEYS": json.dumps([entry]),
        "SCREENING_AUDIT_DB": str(tmp_path / "audit.sqlite3"),
        "SCREENING_LOG_LEVEL": "info",
    }
    command = [
        str(Path(sys.executable).parent / "screening"), "serve", "--port", str(port),
        "--workers", "2", "--list", f"un-sc={FIXTURES / 'un-sc'}",
    ]  # fmt: skip
    log_file = tmp_path / "stderr.log"
    with log_file.open("w") as stderr:
        process = subprocess.Popen(command, env=env, stderr=stderr, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    statuses = []
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, log_file.read_text()
            time.sleep(0.2)
        else:
            pytest.fail("screening serve did not become ready in 90 s")
        auth = {"Authorization": f"Bearer {key}"}
        started = time.monotonic()
        for _ in range(12):
            # A new connection each time: requests land on both workers.
            response = httpx.post(
                f"{base}/v1/screen", json={"parties": [{"name": "OCEAN STAR"}]}, headers=auth
            )
            statuses.append(response.status_code)
        seconds = time.monotonic() - started
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert statuses.count(200) <= 4 + 4 * seconds + 1, (statuses, seconds)
    assert statuses.count(429) >= 1
    lines = _lines(log_file)
    events = [line for line in lines if line.get("event") == "index loaded"]
    assert len(events) == 2 and all(e["level"] == "info" for e in events)  # one per worker
    access = [line for line in lines if line["logger"] == "screening.access"]
    screened = [a for a in access if a["route"] == "/v1/screen"]
    assert [a["status"] for a in screened] == statuses
    for record in screened:
        assert record["key"] == "gw" and record["request_id"] and record["duration_ms"] > 0
    assert {a["decision"] for a in screened if a["status"] == 200} == {"alert"}
    assert {a.get("problem") for a in screened if a["status"] == 429} == {"rate-limited"}
    assert "OCEAN" not in log_file.read_text()
    assert not [line for line in lines if line["logger"] == "uvicorn.access"]

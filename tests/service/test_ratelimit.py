"""Limits per API key: the rate grammar, the buckets (one process, and shared by several
processes through one file), and the API answering 429 with Retry-After and RateLimit."""

from __future__ import annotations

import json
import multiprocessing
import time
from pathlib import Path
from typing import Any

import pytest

from service.auth import KeyConfigError, KeyRing, hash_key, load_keys, new_key
from service.cli import main
from service.ratelimit import (
    LocalBuckets,
    Rate,
    RateLimiter,
    RateSyntaxError,
    SharedBuckets,
    parse_rate,
)
from service.settings import Settings
from tests.service.conftest import MakeClient, screen_body


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("50/s", Rate(50.0, None, 1.0)),
        ("3000/min", Rate(50.0, None, 1.0)),
        ("50/s, 500 parties/s", Rate(50.0, 500.0, 1.0)),
        ("10/s, 100 parties/s, burst 3s", Rate(10.0, 100.0, 3.0)),
        ("7200/hour,36000 parties/h", Rate(2.0, 10.0, 1.0)),
    ],
)
def test_rates_are_read_as_written(text: str, rate: Rate) -> None:
    assert parse_rate(text) == rate


def test_a_rate_without_parties_takes_the_default_parties_and_burst() -> None:
    default = parse_rate("50/s, 500 parties/s, burst 2s")
    assert parse_rate("5/s", default) == Rate(5.0, 500.0, 2.0)
    assert parse_rate("unlimited", default) is None


@pytest.mark.parametrize(
    "text", ["", "50", "fast", "50/fortnight", "500 parties/s", "0/s", "5/s, burst 0s"]
)
def test_a_malformed_rate_names_the_problem(text: str) -> None:
    with pytest.raises(RateSyntaxError, match="not a rate"):
        parse_rate(text)


def test_a_bucket_admits_its_burst_then_its_rate() -> None:
    limiter = RateLimiter(LocalBuckets())
    rate = Rate(10.0, None, 2.0)  # 20 at once, then 10 a second
    verdicts = [limiter.take("k", rate, "requests", 1) for _ in range(25)]
    allowed = [v for v in verdicts if v and v.allowed]
    assert 20 <= len(allowed) <= 21  # one more may have refilled meanwhile
    refused = next(v for v in verdicts if v and not v.allowed)
    assert refused.retry_after == 1 and refused.quota == 20 and refused.window == 2
    time.sleep(0.35)
    assert limiter.take("k", rate, "requests", 1).allowed  # type: ignore[union-attr]


def test_a_request_larger_than_the_bucket_passes_once_it_is_full() -> None:
    """A 1000-party batch under 100 parties/s is never refused for ever: it goes when
    the bucket is full, and the key then waits for the debt to refill."""
    limiter = RateLimiter(LocalBuckets())
    rate = Rate(10.0, 100.0, 1.0)
    big = limiter.take("k", rate, "parties", 1000)
    assert big is not None and big.allowed
    after = limiter.take("k", rate, "parties", 1)
    assert after is not None and not after.allowed and after.retry_after >= 9


def test_keys_have_buckets_of_their_own() -> None:
    limiter = RateLimiter(LocalBuckets())
    rate = Rate(1.0, None, 1.0)
    assert limiter.take("a", rate, "requests", 1).allowed  # type: ignore[union-attr]
    assert not limiter.take("a", rate, "requests", 1).allowed  # type: ignore[union-attr]
    assert limiter.take("b", rate, "requests", 1).allowed  # type: ignore[union-attr]


def _take_many(path: str, count: int, out: Any) -> None:
    limiter = RateLimiter(SharedBuckets(Path(path)))
    rate = Rate(1.0, None, 100.0)  # 100 at once, then one a second
    out.put(sum(1 for _ in range(count) if limiter.take("shared", rate, "requests", 1).allowed))  # type: ignore[union-attr]


def test_worker_processes_share_one_set_of_counters(tmp_path: Path) -> None:
    """Four processes take 60 each from one 100-request bucket: 100 pass, not 240."""
    context = multiprocessing.get_context("spawn")  # as uvicorn starts its workers
    results = context.Queue()
    path = str(tmp_path / "rate-limits")
    processes = [context.Process(target=_take_many, args=(path, 60, results)) for _ in range(4)]
    for process in processes:
        process.start()
    taken = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    assert 100 <= sum(taken) <= 103  # a few may refill while the processes start


def test_the_shared_file_keeps_counts_across_openings(tmp_path: Path) -> None:
    path = tmp_path / "rate-limits"
    rate = Rate(1.0, None, 3.0)
    first = RateLimiter(SharedBuckets(path))
    assert all(first.take("k", rate, "requests", 1).allowed for _ in range(3))  # type: ignore[union-attr]
    second = RateLimiter(SharedBuckets(path))
    assert not second.take("k", rate, "requests", 1).allowed  # type: ignore[union-attr]


def _keyed(rate: str | None) -> tuple[KeyRing, str]:
    key = new_key()
    entry: dict[str, Any] = {
        "name": "gateway",
        "sha256": hash_key(key),
        "scopes": ["screen", "read"],
    }
    if rate is not None:
        entry["rate"] = rate
    return KeyRing(load_keys(None, json.dumps([entry]))), key


def test_300_requests_in_under_2_s_from_one_key_meet_its_limit(make_client: MakeClient) -> None:
    """All 300 were answered: there was no limit."""
    ring, key = _keyed("50/s, burst 1s")
    client = make_client(keys=ring)
    headers = {"Authorization": f"Bearer {key}"}
    started = time.monotonic()
    statuses = []
    refusal = None
    for _ in range(300):
        response = client.get("/v1/lists", headers=headers)
        statuses.append(response.status_code)
        if response.status_code == 429 and refusal is None:
            refusal = response
    seconds = time.monotonic() - started
    answered = statuses.count(200)
    assert answered <= 50 * (1 + seconds) + 1  # the burst (1 s of the rate), then 50/s
    assert refusal is not None
    assert refusal.headers["content-type"] == "application/problem+json"
    assert int(refusal.headers["retry-after"]) >= 1
    body = refusal.json()
    assert body["type"] == "urn:screening:problem:rate-limited"
    assert body["retry_after"] == int(refusal.headers["retry-after"])
    assert "gateway" in body["detail"]
    assert refusal.headers["ratelimit-policy"] == '"requests";q=50;w=1'
    assert refusal.headers["ratelimit"].startswith('"requests";r=0;t=')


def test_every_answer_tells_the_key_where_it_stands(make_client: MakeClient) -> None:
    ring, key = _keyed("20/s, 100 parties/s, burst 2s")
    client = make_client(keys=ring)
    response = client.post(
        "/v1/screen", json=screen_body("x y", "z w"), headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 200
    assert response.headers["ratelimit-policy"] == '"requests";q=40;w=2, "parties";q=200;w=2'
    assert response.headers["ratelimit"] == '"requests";r=39;t=1, "parties";r=198;t=1'


def test_parties_are_limited_apart_from_requests(make_client: MakeClient) -> None:
    ring, key = _keyed("100/s, 10 parties/s, burst 1s")
    client = make_client(keys=ring)
    headers = {"Authorization": f"Bearer {key}"}
    body = screen_body(*(f"Person {i}" for i in range(8)))
    assert client.post("/v1/screen", json=body, headers=headers).status_code == 200
    refused = client.post("/v1/screen", json=body, headers=headers)
    assert refused.status_code == 429
    assert "parties (8 in this request)" in refused.json()["detail"]
    assert client.get("/v1/lists", headers=headers).status_code == 200  # requests still pass


def test_an_unlimited_key_and_the_default(make_client: MakeClient) -> None:
    ring, key = _keyed("unlimited")
    client = make_client(keys=ring)
    headers = {"Authorization": f"Bearer {key}"}
    for _ in range(120):
        response = client.post("/v1/screen", json=screen_body("x y"), headers=headers)
        assert response.status_code == 200
    assert "ratelimit" not in response.headers
    ring, key = _keyed(None)
    limited = make_client(keys=ring, rate_limit="5/s")
    codes = [
        limited.get("/v1/search", params={"q": "x"}, headers={"Authorization": f"Bearer {key}"})
        for _ in range(8)
    ]
    assert [c.status_code for c in codes].count(429) >= 2


def test_without_keys_the_loopback_caller_has_the_default_limit(make_client: MakeClient) -> None:
    client = make_client(rate_limit="3/s")
    statuses = [client.get("/v1/lists").status_code for _ in range(6)]
    assert statuses.count(429) >= 2 and statuses[:3] == [200, 200, 200]


def test_a_malformed_rate_stops_the_service_at_start() -> None:
    with pytest.raises(ValueError, match="rate_limit"):
        Settings(rate_limit="lots")
    key = new_key()
    entry = {"name": "gw", "sha256": hash_key(key), "scopes": ["screen"], "rate": "fast"}
    with pytest.raises(KeyConfigError, match=r"entry 0 \(gw\): not a rate"):
        load_keys(None, json.dumps([entry]))


def test_keys_create_gives_the_key_its_rate(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "create", "gw", "--scope", "screen", "--rate", "50/s", "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert set(made) == {"key", "entry"}
    assert made["entry"]["rate"] == "50/s" and made["entry"]["scopes"] == ["screen"]
    (key,) = load_keys(None, json.dumps([made["entry"]]))
    assert key.rate == "50/s" and KeyRing([key]).find(made["key"]) == key
    assert main(["keys", "create", "gw", "--scope", "screen", "--json"]) == 0
    assert "rate" not in json.loads(capsys.readouterr().out)["entry"]


def test_keys_create_refuses_a_malformed_rate(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["keys", "create", "gw", "--scope", "screen", "--rate", "quick"])
    assert stopped.value.code == 2
    assert "not a rate" in capsys.readouterr().err

"""Property-based run: schemathesis generates requests from /openapi.json (valid ones, and
invalid ones in a second run per operation) against the app over the real fixture index,
with every check schemathesis has (``--checks all``): no 5xx; status codes, content types,
headers and bodies as documented; every schema-valid request accepted and every invalid
one refused; auth that is declared is enforced; methods not documented are refused.

The requests carry a key with every scope, so generation reaches the handlers instead of
stopping at authentication (which test_api_auth.py covers). Operations are driven with
Hypothesis directly rather than through schemathesis' pytest plugin, which does not
support this pytest version yet.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS as REGISTRY
from schemathesis.checks import load_all_checks

from tests.service.conftest import Keys, MakeClient

load_all_checks()
CHECKS = list(REGISTRY.get_all())  # what `schemathesis run --checks all` runs
OPERATIONS = [
    "POST /v1/screen",
    "GET /v1/search",
    "GET /v1/entities/{entity_id}",
    "GET /v1/lists",
    "GET /v1/audit/{request_id}",
    "GET /v1/alerts",
    "POST /v1/decisions",
    "GET /v1/decisions",
    "GET /healthz",
    "GET /readyz",
    "GET /metrics",
    "POST /match/{dataset}",
    "GET /entities/{entity_id}",
    "GET /catalog",
    "GET /algorithms",
]


def test_all_checks_are_run() -> None:
    names = {check.__name__ for check in CHECKS}
    assert {"positive_data_acceptance", "negative_data_rejection", "ignored_auth"} <= names
    assert len(names) >= 14


@pytest.fixture
def api_schema(make_client: MakeClient, keys: Keys) -> Any:
    # Unlimited: the run sends hundreds of requests a second from one key.
    client = make_client(keys=keys.ring(), rate_limit="unlimited")
    return schemathesis.openapi.from_asgi("/openapi.json", client.app)


def test_every_operation_is_covered(api_schema: Any) -> None:
    found = {op.ok().label for op in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


# Operations without parameters or body have no invalid input to generate.
CASES = [(label, GenerationMode.POSITIVE) for label in OPERATIONS] + [
    (label, GenerationMode.NEGATIVE)
    for label in OPERATIONS
    if label.startswith(("POST", "GET /v1"))
]


@pytest.mark.parametrize(("label", "mode"), CASES, ids=lambda v: str(v))
def test_no_server_errors_and_answers_match_the_schema(
    api_schema: Any, keys: Keys, label: str, mode: GenerationMode
) -> None:
    (operation,) = [op.ok() for op in api_schema.get_all_operations() if op.ok().label == label]
    headers = keys.bearer("everything")
    calls = 0

    @given(case=operation.as_strategy(mode))
    @settings(
        max_examples=30,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def run(case: Any) -> None:
        nonlocal calls
        calls += 1
        if mode is GenerationMode.POSITIVE and "Idempotency-Key" in (case.headers or {}):
            # A key names one request: schemathesis draws keys from a small space and would
            # send one key with two bodies, which the contract refuses (422, replays are
            # tested in test_idempotency.py). Each generated request gets a key of its own.
            case.headers["Idempotency-Key"] = uuid.uuid4().hex
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()
    assert calls > 0

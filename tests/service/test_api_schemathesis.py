"""Property-based run: schemathesis generates requests from /openapi.json (valid ones, and
invalid ones in a second run per operation) against the app over the real fixture index,
with every check schemathesis has (``--checks all``): no 5xx; status codes, content types,
headers and bodies as documented; every schema-valid request accepted and every invalid
one refused; auth that is declared is enforced; methods not documented are refused.

Each identifier type's rule is a ``format`` of the document (``imo-number``: the check
digit holds, ...): the strategies below generate values that keep it, from the rules of
:mod:`core.identifiers` (the ones the service applies), so a valid identifier is one the
service accepts.

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
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS as REGISTRY
from schemathesis.checks import load_all_checks

from core.countries import is_country_code
from core.identifiers import imo_check_digit_ok
from service.schemas import IDENTIFIER_FORMATS
from tests.service.conftest import Keys, MakeClient

load_all_checks()
CHECKS = list(REGISTRY.get_all())  # what `schemathesis run --checks all` runs
OPERATIONS = [
    "POST /v1/screen",
    "GET /v1/search",
    "GET /v1/entities/{entity_id}",
    "GET /v1/parties/{party_id}",
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


def _imo(six: int) -> str:
    digits = f"{six:06d}"
    return next(digits + str(d) for d in range(10) if imo_check_digit_ok(digits + str(d)))


COUNTRIES = sorted(a + b for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                   if is_country_code(a + b))  # fmt: skip
# Not all one character (a placeholder such as 11111), no leading zero (dropped).
_NUMBERS = st.from_regex(r"[A-Z]{0,2}[1-9][0-9]{4,9}", fullmatch=True).filter(
    lambda value: len(set(value)) > 1
)
FORMATS: dict[str, st.SearchStrategy[str]] = {
    "imo": st.builds(_imo, st.integers(0, 999_999)),
    "mmsi": st.from_regex(r"[2-7][0-9]{8}", fullmatch=True).filter(lambda v: len(set(v)) > 1),
    "swift_bic": st.builds(
        lambda bank, country, rest: bank + country + rest,
        st.from_regex(r"[A-Z]{4}", fullmatch=True),
        st.sampled_from(COUNTRIES),
        st.from_regex(r"[A-Z0-9]{2}([A-Z0-9]{3})?", fullmatch=True),
    ),
    "aircraft_serial": _NUMBERS,
    "aircraft_tail": _NUMBERS,
} | {kind: _NUMBERS for kind in ("passport", "national_id", "tax_id", "registration")}
for _kind, _strategy in FORMATS.items():
    schemathesis.openapi.format(IDENTIFIER_FORMATS[_kind], _strategy)


@given(data=st.data())
@settings(max_examples=200, derandomize=True, database=None, deadline=None)
def test_the_identifier_formats_generate_what_the_service_accepts(data: st.DataObject) -> None:
    from service.schemas import IdentifierIn

    assert set(FORMATS) == set(IDENTIFIER_FORMATS)
    kind = data.draw(st.sampled_from(sorted(FORMATS)))
    value = data.draw(FORMATS[kind])
    assert IdentifierIn(type=kind, value=value).comparable_keys(), (kind, value)


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

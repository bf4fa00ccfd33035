"""The test PostgreSQL of one session is its own: two sessions on one machine (two
checkouts, a helper's run beside yours) shared deploy/local-postgres's default cluster,
and the session that had started it stopped it under the other one's tests."""

from __future__ import annotations

import os

import pg8000.native
import pytest

from tests.postgres_server import _admin, server_url


@pytest.mark.skipif(
    bool(os.environ.get("SCREENING_TEST_POSTGRES_URL"))
    or os.environ.get("SCREENING_TEST_ENGINES") == "testcontainers",
    reason="the server is given from outside; its life is not this session's",
)
def test_a_session_that_ends_does_not_stop_another_sessions_server() -> None:
    first, second = server_url(), server_url()
    first_url, second_url = next(first), next(second)
    assert first_url != second_url
    first.close()  # the first session ends and stops its cluster
    connection: pg8000.native.Connection = _admin(second_url)
    try:
        assert connection.run("SELECT 1") == [[1]]
    finally:
        connection.close()
        second.close()

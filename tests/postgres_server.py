"""A real PostgreSQL for the store tests, one per session, and a fresh database per test.

Where it comes from, in this order:
1. SCREENING_TEST_POSTGRES_URL: a server that is already running (its user may create
   databases);
2. SCREENING_TEST_ENGINES=testcontainers: the official image, on machines with Docker;
3. otherwise deploy/local-postgres (Debian's packages, installed when missing): a cluster
   of this session's own, in a folder of its own, started here on loopback and stopped at
   the end of the session. Two sessions on one machine (two checkouts, a helper's run
   beside yours) once shared the default folder: the one that had started the cluster
   stopped it at its end, under the other one's tests.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import pg8000.native
import pytest

from tests.conftest import REPO

LOCAL_POSTGRES = REPO / "deploy" / "local-postgres"
URL_VARIABLE = "SCREENING_TEST_POSTGRES_URL"
IMAGE = "postgres:15"


def _local(command: str, state: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LOCAL_POSTGRES), command],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env={**os.environ, "SCREENING_POSTGRES_STATE": state},
    )


def server_url() -> Iterator[str]:
    given = os.environ.get(URL_VARIABLE, "").strip()
    if given:
        yield given
        return
    if os.environ.get("SCREENING_TEST_ENGINES") == "testcontainers":
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer(IMAGE) as container:
            url = container.get_connection_url().replace("+psycopg2", "")
            yield url
        return
    # Short, under /tmp: the server's socket lives in it (paths of sockets are limited).
    state = f"/tmp/screening-pg-{os.getuid()}-{uuid.uuid4().hex[:8]}"
    started = _local("start", state)
    if started.returncode != 0:
        _local("stop", state)
        pytest.fail(f"deploy/local-postgres start failed:\n{started.stderr[-4000:]}")
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        _local("stop", state)


def _admin(url: str) -> pg8000.native.Connection:
    parts = urlsplit(url)
    return pg8000.native.Connection(
        user=parts.username or "postgres",
        password=parts.password,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        database=parts.path.lstrip("/") or "postgres",
    )


def fresh_database(url: str) -> tuple[str, str]:
    """A new empty database on the server; (its URL, its name)."""
    name = "screening_test_" + uuid.uuid4().hex[:12]
    admin = _admin(url)
    try:
        admin.run(f"CREATE DATABASE {name}")
    finally:
        admin.close()
    parts = urlsplit(url)
    return parts._replace(path=f"/{name}").geturl(), name


def drop_database(url: str, name: str) -> None:
    admin = _admin(url)
    try:
        admin.run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        admin.close()

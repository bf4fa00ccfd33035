"""Real Elasticsearch and OpenSearch servers for the engine tests, one each per session.

Where they come from, in this order:
1. SCREENING_TEST_ES_URL / SCREENING_TEST_OS_URL: an engine that is already running.
2. SCREENING_TEST_ENGINES=testcontainers: the official images, on machines with Docker.
3. Otherwise deploy/local-engine (Java + Maven, no Docker): started here, and stopped at
   the end of the session unless it was already running before.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest

REPO = Path(__file__).resolve().parents[2]
LOCAL_ENGINE = REPO / "deploy" / "local-engine"
# Generous: the first start downloads ~100 MB of jars from Maven Central.
START_TIMEOUT_S = 900

Engine = Literal["elasticsearch", "opensearch"]
URL_VARIABLES: dict[Engine, str] = {
    "elasticsearch": "SCREENING_TEST_ES_URL",
    "opensearch": "SCREENING_TEST_OS_URL",
}
IMAGES: dict[Engine, str] = {
    "elasticsearch": "docker.elastic.co/elasticsearch/elasticsearch:8.19.21",
    "opensearch": "opensearchproject/opensearch:2.19.1",
}


def _local_engine(command: str, engine: Engine) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LOCAL_ENGINE), command, engine],
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_S,
        check=False,
    )


def _from_local_engine(engine: Engine) -> Iterator[str]:
    missing = [tool for tool in ("java", "javac", "mvn") if shutil.which(tool) is None]
    if missing and not os.environ.get("SCREENING_ENGINE_JAVA_HOME"):
        needs = ", ".join(missing)
        pytest.skip(f"deploy/local-engine needs {needs}; or set {URL_VARIABLES[engine]}")
    already_running = _local_engine("status", engine).returncode == 0
    started = _local_engine("start", engine)
    if started.returncode != 0:
        pytest.fail(f"deploy/local-engine start {engine} failed:\n{started.stderr[-4000:]}")
    url = started.stdout.strip().splitlines()[-1]
    try:
        yield url
    finally:
        if not already_running:
            _local_engine("stop", engine)


def _from_testcontainers(engine: Engine) -> Iterator[str]:
    """The official image in Docker (not exercised on machines without a Docker engine)."""
    if engine == "elasticsearch":
        from testcontainers.elasticsearch import ElasticSearchContainer

        with ElasticSearchContainer(IMAGES[engine], mem_limit="1g") as container:
            yield str(container.get_url())
    else:
        from testcontainers.opensearch import OpenSearchContainer

        with OpenSearchContainer(IMAGES[engine]) as container:
            config = container.get_config()
            yield f"http://{config['host']}:{config['port']}"


def _engine_url(engine: Engine) -> Iterator[str]:
    given = os.environ.get(URL_VARIABLES[engine], "").strip()
    if given:
        yield given
    elif os.environ.get("SCREENING_TEST_ENGINES") == "testcontainers":
        yield from _from_testcontainers(engine)
    else:
        yield from _from_local_engine(engine)


@pytest.fixture(scope="session")
def elasticsearch_url() -> Iterator[str]:
    yield from _engine_url("elasticsearch")


@pytest.fixture(scope="session")
def opensearch_url() -> Iterator[str]:
    yield from _engine_url("opensearch")

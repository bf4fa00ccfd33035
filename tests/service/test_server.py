"""Starting the service: settings sources, start-up checks, the serve and keys commands, and
a real `screening serve` (one and two workers) answering over loopback."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from service.auth import KeyRing, hash_key, load_keys
from service.cli import main
from service.server import StartupError, check_settings, export_settings, load_settings
from service.settings import Settings
from tests.conftest import FIXTURES

UN = f"un-sc={FIXTURES / 'un-sc'}"
SDN = f"us-ofac-sdn={FIXTURES / 'us-ofac-sdn'}"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("SCREENING_") and name != "SCREENING_SHARED":
            monkeypatch.delenv(name)


def test_precedence_is_arguments_then_environment_then_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "screening.toml"
    file.write_text('port = 9000\nmax_parties = 20\nlists = ["un-sc=/data/un"]\n')
    monkeypatch.setenv("SCREENING_SETTINGS_FILE", str(file))
    monkeypatch.setenv("SCREENING_MAX_PARTIES", "30")
    settings = load_settings(port=9100, host=None)
    assert settings.port == 9100  # argument
    assert settings.max_parties == 30  # environment over file
    assert settings.lists == ["un-sc=/data/un"]  # file
    assert settings.host == "127.0.0.1"  # default


def test_settings_errors_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCREENING_SETTINGS_FILE", str(tmp_path / "missing.toml"))
    with pytest.raises(StartupError, match="no such settings file"):
        load_settings()
    file = tmp_path / "screening.toml"
    file.write_text("colour = 'red'\n")
    monkeypatch.setenv("SCREENING_SETTINGS_FILE", str(file))
    with pytest.raises(StartupError, match="colour"):
        load_settings()
    monkeypatch.delenv("SCREENING_SETTINGS_FILE")
    monkeypatch.setenv("SCREENING_MAX_PARTIES", "0")
    with pytest.raises(StartupError, match="max_parties"):
        load_settings()


def test_start_up_checks(tmp_path: Path) -> None:
    with pytest.raises(StartupError, match="no lists to screen against"):
        check_settings(Settings())
    with pytest.raises(StartupError, match="no such file"):
        check_settings(Settings(lists=[f"un-sc={tmp_path / 'nowhere'}"]))
    with pytest.raises(StartupError, match="unknown list id"):
        check_settings(Settings(lists=[f"xx-list={tmp_path}"]))
    with pytest.raises(StartupError, match="expected ID=PATH"):
        check_settings(Settings(lists=["un-sc"]))
    with pytest.raises(StartupError, match="not JSON"):
        check_settings(Settings(lists=[UN], api_keys="{oops"))
    assert not check_settings(Settings(lists=[UN]))  # no keys: an empty ring


def test_an_engine_that_is_down_gives_503_with_the_reason_until_it_answers(
    tmp_path: Path,
) -> None:
    """A shared engine down at start-up must not stop the service: /readyz and the API
    answer 503 naming the engine and the cause (the service keeps retrying)."""
    from fastapi.testclient import TestClient

    from service.server import build_app

    with socket.socket() as probe:  # a loopback port with nothing listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    key = "sk_test_engine_down_key_0123456789"
    entry = {"name": "t", "sha256": hash_key(key), "scopes": ["read"]}
    settings = Settings(
        engine_url=f"http://127.0.0.1:{port}",
        audit_db=tmp_path / "audit.sqlite3",
        api_keys=json.dumps([entry]),
    )
    os.environ["SCREENING_ENGINE_TIMEOUT"] = "1"
    os.environ["SCREENING_ENGINE_RETRIES"] = "0"
    try:
        app = build_app(settings)
        with TestClient(app) as client:
            ready = client.get("/readyz")
            assert ready.status_code == 503
            assert f"127.0.0.1:{port}" in ready.text and "refused" in ready.text
            search = client.get("/v1/search", params={"q": "Ivanov"}, headers={"X-API-Key": key})
            assert search.status_code == 503
    finally:
        del os.environ["SCREENING_ENGINE_TIMEOUT"], os.environ["SCREENING_ENGINE_RETRIES"]


def test_a_broken_list_file_stops_serve_with_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "consolidated.xml"
    broken.write_text("<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>")
    assert main(["serve", "--list", f"un-sc={broken}", "--workers", "2"]) == 2
    assert "consolidated.xml" in capsys.readouterr().err


def test_exported_settings_read_back_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(lists=[UN, SDN], workers=2, cors_origins=["https://a.example"])
    export_settings(settings)
    try:
        assert Settings() == settings
    finally:
        for name in list(os.environ):
            if name.startswith("SCREENING_") and name != "SCREENING_SHARED":
                del os.environ[name]


def test_keys_create_prints_the_key_once_and_the_entry(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "create", "customs-gw", "--scope", "screen", "--scope", "read"]) == 0
    out = capsys.readouterr().out
    key = re.search(r"API key \(shown once, store it now\): (\S+)", out)
    assert key is not None
    entry = json.loads(out.strip().splitlines()[-1])
    assert entry == {"name": "customs-gw", "sha256": hash_key(key[1]), "scopes": ["read", "screen"]}
    found = KeyRing(load_keys(None, json.dumps([entry]))).find(key[1])
    assert found is not None and found.name == "customs-gw"
    with pytest.raises(SystemExit):
        main(["keys", "create", "bad name!", "--scope", "screen"])
    with pytest.raises(SystemExit):
        main(["keys", "create", "ops", "--scope", "root"])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[str, str, str]]:
    """`screening serve` in a child process; yields (base URL, screen key, admin key)."""
    workers = int(request.param)
    port = _free_port()
    screen_key, admin_key = "sk_test_screen_" + "a" * 30, "sk_test_admin_" + "b" * 30
    keys = [
        {"name": "gw", "sha256": hash_key(screen_key), "scopes": ["screen", "read"]},
        {"name": "ops", "sha256": hash_key(admin_key), "scopes": ["admin"]},
    ]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")},
        "SCREENING_API_KEYS": json.dumps(keys),
        "SCREENING_AUDIT_DB": str(tmp_path / "audit.sqlite3"),
        "SCREENING_LOG_LEVEL": "warning",
    }
    command = [
        str(Path(sys.executable).parent / "screening"), "serve", "--port", str(port),
        "--workers", str(workers), "--list", UN, "--list", SDN,
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            time.sleep(0.2)
        else:
            pytest.fail("screening serve did not become ready in 60 s")
        yield base, screen_key, admin_key
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.parametrize("server", [1, 2], indirect=True, ids=["1-worker", "2-workers"])
def test_screening_serve_answers_and_audits(server: tuple[str, str, str]) -> None:
    base, screen_key, admin_key = server
    with httpx.Client(base_url=base, timeout=10) as client:
        auth = {"Authorization": f"Bearer {screen_key}"}
        body = {"parties": [{"name": "OCEAN STAR", "type": "vessel"}]}
        ids = []
        for _ in range(6):
            response = client.post("/v1/screen", json=body, headers=auth)
            assert response.status_code == 200
            assert response.json()["decision"] == "alert"
            ids.append(response.json()["request_id"])
        assert client.post("/v1/screen", json=body).status_code == 401
        for request_id in ids:  # written by whichever worker answered
            record = client.get(f"/v1/audit/{request_id}", headers={"X-API-Key": admin_key})
            assert record.status_code == 200 and record.json()["key_name"] == "gw"
        metrics = client.get("/metrics").text
        line = next(
            line
            for line in metrics.splitlines()
            if line.startswith('screening_http_requests_total{endpoint="/v1/screen"')
            and 'status="200"' in line
        )
        assert float(line.rsplit(" ", 1)[1]) == 6.0  # counted across all workers

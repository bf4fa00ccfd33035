"""Re-screening after a refresh, end to end on the real UN snapshots: a party screened
through the API before the refresh matches an entity the refresh adds, and shows up as a
new alert in report.json and in GET /v1/alerts; the service picks up the new version
without a restart."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from indexer.state import StateDir
from service.auth import KeyRing
from service.cli import main
from service.reload import state_dir_app
from service.settings import Settings
from service.store.sqlite import SQLiteStore
from tests.conftest import shared_list
from tests.service.conftest import LOOPBACK, Keys

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.shared_lists

NEW_NAME = "GEDO HAMDAN AHMED"  # un-sc:SDi.007, added on 2026-02-27
OLD_NAME = "ABDUL KABIR MOHAMMAD JAN"  # un-sc:TAi.003, listed long before


def refresh(state: Path, audit: Path, day: str, report: Path) -> int:
    un = shared_list("un-sc", day)
    return main(
        [
            "refresh",
            "--state-dir",
            str(state),
            "--list",
            f"un-sc={un}",
            "--report",
            str(report),
            "--audit-db",
            str(audit),
            "--rescreen-days",
            "7",
        ]
    )


class Service:
    """The app over a state directory with its lifespan running, as `serve --state-dir`."""

    def __init__(self, state: Path, audit: Path, keys: KeyRing) -> None:
        settings = Settings(state_dir=state, audit_db=audit, state_poll_seconds=3600)
        self.app = state_dir_app(settings, keys, SQLiteStore(audit))
        self.client = TestClient(self.app, client=LOOPBACK)

    def reload(self) -> bool:
        swapped: bool = self.client.portal.call(self.app.state.reloader.check_now)  # type: ignore[union-attr]
        return swapped


@pytest.fixture
def service(tmp_path: Path, keys: Keys) -> Iterator[tuple[Service, Path, Path]]:
    state, audit = tmp_path / "state", tmp_path / "audit.sqlite3"
    assert refresh(state, audit, "2026-01-28", tmp_path / "first") == 0
    running = Service(state, audit, keys.ring())
    with running.client:
        yield running, state, audit


def screen(service: Service, keys: Keys, *names: str) -> dict[str, Any]:
    body = {"parties": [{"name": n, "reference": f"ref-{i}"} for i, n in enumerate(names)]}
    response = service.client.post("/v1/screen", json=body, headers=keys.bearer("gateway"))
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_a_party_matching_an_added_entity_is_a_new_alert(
    service: tuple[Service, Path, Path], keys: Keys, tmp_path: Path
) -> None:
    running, state, audit = service
    before = screen(running, keys, NEW_NAME, OLD_NAME)
    new_party, old_party = before["results"]
    assert not any(m["entity_id"] == "un-sc:SDi.007" for m in new_party["matches"])
    assert old_party["decision"] == "alert"
    assert "un-sc:TAi.003" in {m["entity_id"] for m in old_party["matches"] if m["alert"]}
    index_before = before["index_version"]

    assert refresh(state, audit, "2026-02-27", tmp_path / "report") == 0
    report = json.loads((tmp_path / "report" / "report.json").read_text())
    assert report["status"] == "published"
    assert report["lists"]["un-sc"]["added"] == [
        "un-sc:SDi.007",
        "un-sc:SDi.008",
        "un-sc:SDi.009",
        "un-sc:SDi.010",
    ]
    alerts = report["new_alerts"]
    assert [(a["party"]["name"], a["entity_id"]) for a in alerts] == [
        (NEW_NAME, "un-sc:SDi.007")
    ], "only the party matching an added entity, once"
    (alert,) = alerts
    assert alert["change"] == "added" and alert["score"] >= 0.62
    assert alert["request_id"] == before["request_id"]
    assert alert["party"]["reference"] == "ref-0"
    assert alert["index_version"] == report["versions"]["after"] != index_before
    assert "rescreen" in report["timings"]
    assert "New alerts: 1" in (tmp_path / "report" / "report.md").read_text()

    since = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    served = running.client.get(
        "/v1/alerts", params={"since": since}, headers=keys.bearer("auditor")
    )
    assert served.status_code == 200, served.text
    assert [a["entity_id"] for a in served.json()["alerts"]] == ["un-sc:SDi.007"]
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert (
        running.client.get(
            "/v1/alerts", params={"since": later}, headers=keys.bearer("auditor")
        ).json()["alerts"]
        == []
    )

    # The running service picks up the new version without a restart.
    assert running.reload()
    after = screen(running, keys, NEW_NAME)
    assert after["index_version"] == report["versions"]["after"]
    assert after["results"][0]["matches"][0]["entity_id"] == "un-sc:SDi.007"
    assert StateDir(state).current_version() == report["versions"]["after"]


def test_the_same_alert_is_not_raised_twice(
    service: tuple[Service, Path, Path], keys: Keys, tmp_path: Path
) -> None:
    running, state, audit = service
    screen(running, keys, NEW_NAME)
    assert refresh(state, audit, "2026-02-27", tmp_path / "one") == 0
    assert len(json.loads((tmp_path / "one" / "report.json").read_text())["new_alerts"]) == 1
    # The next refresh changes the UN list again (August 2026); SDi.007 stays, no new alert
    # for the same party and entity.
    assert refresh(state, audit, "2026-08-01", tmp_path / "two") == 0
    report = json.loads((tmp_path / "two" / "report.json").read_text())
    assert report["status"] == "published"
    assert "un-sc:SDi.007" not in {a["entity_id"] for a in report["new_alerts"]}
    store = SQLiteStore(audit)
    try:
        assert [
            a["entity_id"] for a in store.alerts_since(datetime(2000, 1, 1, tzinfo=UTC), 100)
        ] == ["un-sc:SDi.007"]
    finally:
        store.close()


def test_alerts_need_the_admin_scope_and_a_valid_since(
    service: tuple[Service, Path, Path], keys: Keys
) -> None:
    running, _, _ = service
    client = running.client
    assert client.get("/v1/alerts", params={"since": "2026-01-01"}).status_code == 401
    forbidden = client.get(
        "/v1/alerts", params={"since": "2026-01-01"}, headers=keys.bearer("gateway")
    )
    assert forbidden.status_code == 403
    bad = client.get("/v1/alerts", params={"since": "yesterday"}, headers=keys.bearer("auditor"))
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["query", "since"]
    missing = client.get("/v1/alerts", headers=keys.bearer("auditor"))
    assert missing.status_code == 422
    ok = client.get("/v1/alerts", params={"since": "2026-01-01"}, headers=keys.bearer("auditor"))
    assert ok.status_code == 200 and ok.json()["alerts"] == []

"""The state directory and the refresh on the small official-format fixtures: versions
written whole and read back identical, the pointer swapped, old versions pruned, the lock,
unchanged lists carried over by hard link, checks stopping publication, exit statuses."""

from __future__ import annotations

import gzip
import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from core.model import ParsedList
from engines.embedded import EmbeddedIndex
from indexer.diff import list_version
from indexer.publishers import EmbeddedPublisher, PublisherConfigError, open_publisher
from indexer.refresh import RefreshConfigError, RefreshOptions, run_refresh
from indexer.registry import parse_list
from indexer.report import report_json
from indexer.rescreen import full_rarity
from indexer.server_publisher import ServerPublisher
from indexer.state import StateDir, StateLocked, _read_entities, _write_entities
from service.cli import main
from tests.conftest import FIXTURES

UN = FIXTURES / "un-sc"
SDN = FIXTURES / "us-ofac-sdn"


def refresh(state: Path, *specs: tuple[str, Path]) -> dict[str, Any]:
    return report_json(run_refresh(EmbeddedPublisher(state), RefreshOptions(local=specs)).report)


def test_a_published_version_reads_back_as_the_parser_made_it(tmp_path: Path) -> None:
    parsed = parse_list("un-sc", UN)
    state = StateDir(tmp_path / "state")
    manifest = state.write_version([parsed])
    assert state.current_version() is None, "written is not yet serving"
    state.swap(manifest.index_version)
    assert state.current_version() == manifest.index_version
    _, (loaded,) = state.load(manifest.index_version)
    assert [e.to_dict() for e in loaded.entities] == [e.to_dict() for e in parsed.entities]
    assert list_version(loaded) == list_version(parsed)
    assert (loaded.published, loaded.format) == (parsed.published, parsed.format)
    assert not [p for p in (tmp_path / "state" / "versions").iterdir() if p.name.startswith(".")]


def test_refresh_publishes_then_reports_no_change(tmp_path: Path) -> None:
    state = tmp_path / "state"
    first = refresh(state, ("un-sc", UN))
    assert first["status"] == "published"
    lists = first["lists"]
    assert lists["un-sc"]["previous"] is None
    assert lists["un-sc"]["added"] and not lists["un-sc"]["removed"]
    again = refresh(state, ("un-sc", UN))
    assert again["status"] == "unchanged"
    after = first["versions"]["after"]
    assert again["versions"] == {"before": after, "after": after}


def test_an_unchanged_list_is_carried_over_by_hard_link(tmp_path: Path) -> None:
    root = tmp_path / "state"
    refresh(root, ("un-sc", UN))
    un_version = StateDir(root).current_version()
    report = refresh(root, ("us-ofac-sdn", SDN))
    assert report["status"] == "published"
    state = StateDir(root)
    current = state.current_version()
    assert current and un_version and current != un_version
    old = state.versions / un_version / "un-sc.jsonl.gz"
    new = state.versions / current / "un-sc.jsonl.gz"
    assert os.stat(old).st_ino == os.stat(new).st_ino
    manifest = state.manifest(current)
    assert [item.list_id for item in manifest.lists] == ["un-sc", "us-ofac-sdn"]
    lists = report["lists"]
    assert lists["un-sc"]["previous"] == lists["un-sc"]["current"]
    assert lists["un-sc"]["added"] == []


def test_old_versions_are_pruned_keeping_the_newest(tmp_path: Path) -> None:
    parsed = parse_list("un-sc", UN)
    root = tmp_path / "state"
    publisher = EmbeddedPublisher(root, keep=1)
    seen = []
    for cut in (1, 2, 3):
        smaller = ParsedList(parsed.list_id, parsed.published, parsed.entities[:cut])
        seen.append(publisher.publish([smaller], []))
    state = StateDir(root)
    assert state.current_version() == seen[-1]
    assert sorted(state.list_versions()) == sorted(seen[-2:])


def test_a_second_refresh_waits_for_no_one(tmp_path: Path) -> None:
    root = tmp_path / "state"
    refresh(root, ("un-sc", UN))
    before = StateDir(root).current_version()
    with StateDir(root).lock():
        with pytest.raises(StateLocked), StateDir(root).lock():
            pass
        report = refresh(root, ("us-ofac-sdn", SDN))
    assert report["status"] == "stopped"
    (failure,) = report["failures"]
    assert failure["check"] == "locked" and "another refresh is running" in failure["message"]
    assert StateDir(root).current_version() == before


def test_a_lock_held_by_another_process_stops_the_command(tmp_path: Path) -> None:
    root = tmp_path / "state"
    root.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl,sys,time;f=open(sys.argv[1],'a');"
            "fcntl.flock(f,fcntl.LOCK_EX);print('held',flush=True);time.sleep(30)",
            str(root / "refresh.lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        args = ["--state-dir", str(root), "--list", f"un-sc={UN}", "--report", str(tmp_path)]
        code = main(["refresh", *args])
    finally:
        holder.kill()
        holder.wait()
    assert code == 1
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["status"] == "stopped" and report["failures"][0]["check"] == "locked"
    assert StateDir(root).current_version() is None


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["refresh", "--list", f"un-sc={UN}"]) == 2
    assert "exactly one of --state-dir" in capsys.readouterr().err
    assert main(["refresh", "--state-dir", str(tmp_path), "--list", f"nope={UN}"]) == 2
    assert "unknown list id nope" in capsys.readouterr().err
    assert main(["refresh", "--state-dir", str(tmp_path), "--max-shrink", "2"]) == 2
    assert main(["refresh", "--state-dir", str(tmp_path), "--rescreen-days", "3"]) == 2
    assert "needs --audit-db" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["refresh", "--state-dir", str(tmp_path), "--on-list-error", "shrug"])
    assert exit_.value.code == 2


def test_an_engine_url_opens_the_server_publisher_without_connecting() -> None:
    publisher = open_publisher(
        state_dir=None, engine_url="http://127.0.0.1:9", alias="screening-x", replicas=2
    )
    assert isinstance(publisher, ServerPublisher)
    assert publisher.settings.alias == "screening-x" and publisher.replicas == 2
    publisher.close()
    with pytest.raises(PublisherConfigError, match="must start with http"):
        open_publisher(state_dir=None, engine_url="es:9200")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_an_unreachable_engine_stops_the_refresh_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SCREENING_ENGINE_RETRIES", "0")
    url = f"http://127.0.0.1:{free_port()}"
    args = ["--engine-url", url, "--list", f"un-sc={UN}", "--report", str(tmp_path)]
    assert main(["refresh", *args]) == 1
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["status"] == "stopped"
    (failure,) = report["failures"]
    assert failure["check"] == "index_unavailable"
    assert "taking the lock" in failure["message"] and url in failure["message"]
    assert "connection refused" in failure["message"]
    assert capsys.readouterr().out.startswith("stopped: the published version keeps serving")


def test_server_options_need_an_engine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for option in (["--alias", "a"], ["--replicas", "1"], ["--engine-kind", "opensearch"]):
        assert main(["refresh", "--state-dir", str(tmp_path), *option]) == 2
        assert "need --engine-url" in capsys.readouterr().err
    assert main(["refresh", "--engine-url", "http://127.0.0.1:9", "--shards", "0"]) == 2


def test_unknown_list_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(RefreshConfigError, match="unknown list id"):
        run_refresh(EmbeddedPublisher(tmp_path), RefreshOptions(local=[("xx", UN)]))


def test_full_rarity_is_the_embedded_index_rarity() -> None:
    entities = parse_list("un-sc", UN).entities + parse_list("us-ofac-sdn", SDN).entities
    index = EmbeddedIndex(entities)
    rarity = full_rarity(entities)
    assert rarity.documents == index.rarity.documents
    assert rarity.frequencies == index.rarity.frequencies


def test_the_state_file_holds_what_to_dict_writes(tmp_path: Path) -> None:
    for list_id, path in (("un-sc", UN), ("us-ofac-sdn", SDN), ("gb-ofsi", FIXTURES / "gb-ofsi")):
        entities = parse_list(list_id, path).entities
        _write_entities(tmp_path / "entities.jsonl.gz", entities)
        with gzip.open(tmp_path / "entities.jsonl.gz", "rt", encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle]
        assert rows == [json.loads(json.dumps(entity.to_dict())) for entity in entities]
        assert _read_entities(tmp_path / "entities.jsonl.gz") == entities

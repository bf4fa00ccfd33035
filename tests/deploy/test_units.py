"""The deployment units run commands that exist, the ones deploy/refresh.md documents, in
an installation with the service's Japanese extra.

Each file is read as what it is (YAML for the workflow, the CronJobs and the compose file,
systemd's unit syntax), every ``screening ...`` command in it is cut out of the shell
text around it and parsed by the CLI's own argparse parser: an option that does not
exist, or a value of the wrong type, fails here instead of at 03:17 on a server.
"""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from service.cli import build_parser
from tests.conftest import REPO

DEPLOY = REPO / "deploy"
REFRESH_MD = DEPLOY / "refresh.md"
# Shell words that end a command.
_SEPARATORS = {";", "||", "&&", "|", "&"}
# Variables as each file writes them: $(VAR) in Kubernetes, $$VAR in compose, ${{ }} in
# GitHub Actions, $VAR and ${VAR} in shells and systemd.
_VARIABLE = re.compile(r"\$\{\{[^}]*\}\}|\$\$\{?\w+\}?|\$\(\w+\)|\$\{\w+\}|\$\w+")


def screening_commands(text: str) -> list[list[str]]:
    """Every ``screening ...`` command in a shell text, as argument lists."""
    text = _VARIABLE.sub("VALUE", text.replace("\\\n", " ")).replace("\n", " ; ")
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    words = list(lexer)
    found: list[list[str]] = []
    for index, word in enumerate(words):
        if word == "screening" or word.endswith("/bin/screening"):
            command = []
            for argument in words[index + 1 :]:
                if argument in _SEPARATORS:
                    break
                command.append(argument)
            found.append(command)
    return found


def parse(command: list[str]) -> argparse.Namespace:
    try:
        return build_parser().parse_args(command)
    except SystemExit as exc:
        raise AssertionError(f"screening {' '.join(command)}: not a valid command") from exc


def documented() -> list[dict[str, Any]]:
    """The refresh commands of deploy/refresh.md's "Running it", parsed."""
    section = REFRESH_MD.read_text(encoding="utf-8").split("## Running it", 1)[1]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    commands = [c for block in blocks for c in screening_commands(block) if c[0] == "refresh"]
    return [comparable(parse(c)) for c in commands]


def comparable(args: argparse.Namespace) -> dict[str, Any]:
    return {k: v for k, v in vars(args).items() if k != "handler"}


def yaml_documents(path: Path) -> list[Any]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def container_texts(document: Any) -> list[str]:
    spec = document["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    texts = []
    for container in spec["containers"]:
        command = container.get("command", ["screening"])
        args = [str(a) for a in container.get("args", [])]
        if command[-1] == "-c":
            texts += args
        else:
            texts.append(shlex.join([*command, *args]))
    return texts


def systemd_lines(path: Path, key: str) -> list[str]:
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    return [line.split("=", 1)[1] for line in text.splitlines() if line.startswith(f"{key}=")]


def unit_commands() -> dict[str, list[list[str]]]:
    workflow = yaml_documents(DEPLOY / "github" / "nightly-refresh.yml")[0]
    runs = [step.get("run", "") for step in workflow["jobs"]["refresh"]["steps"]]
    compose = yaml_documents(DEPLOY / "docker-compose.yml")[0]
    return {
        "github": [c for run in runs for c in screening_commands(run)],
        "k8s": [
            c
            for text in container_texts(yaml_documents(DEPLOY / "k8s" / "refresh-cronjob.yaml")[0])
            for c in screening_commands(text)
        ],
        "k8s-cluster": [
            c
            for text in container_texts(
                yaml_documents(DEPLOY / "k8s" / "cluster" / "refresh-cronjob.yaml")[0]
            )
            for c in screening_commands(text)
        ],
        "systemd": [
            c
            for line in systemd_lines(DEPLOY / "systemd" / "screening-refresh.service", "ExecStart")
            for c in screening_commands(line)
        ],
        "compose": [
            c
            for text in compose["services"]["refresh"]["command"]
            for c in screening_commands(text)
        ],
    }


@pytest.mark.parametrize("unit", ["github", "k8s", "k8s-cluster", "systemd", "compose"])
def test_each_unit_runs_the_documented_refresh_with_options_that_exist(unit: str) -> None:
    (command,) = unit_commands()[unit]
    args = parse(command)
    assert args.command == "refresh"
    # A list whose download fails keeps its previous version; the others are published.
    assert args.on_list_error == "keep-previous"
    assert comparable(args) in documented(), f"{unit}: not the command of deploy/refresh.md"


def test_every_documented_command_is_run_by_a_unit() -> None:
    run = [comparable(parse(c)) for commands in unit_commands().values() for c in commands]
    assert all(command in run for command in documented())


def test_partial_runs_are_warnings_in_every_unit() -> None:
    workflow = (DEPLOY / "github" / "nightly-refresh.yml").read_text(encoding="utf-8")
    assert "status == '3'" in workflow and "::warning" in workflow
    assert "status != '3'" in workflow  # the failing step leaves 3 alone
    for cronjob in ("refresh-cronjob.yaml", "cluster/refresh-cronjob.yaml"):
        (text,) = container_texts(yaml_documents(DEPLOY / "k8s" / cronjob)[0])
        assert '[ "$status" -eq 3 ]' in text and "exit 0" in text, cronjob
    unit = DEPLOY / "systemd" / "screening-refresh.service"
    assert systemd_lines(unit, "SuccessExitStatus") == ["3"]
    compose = yaml_documents(DEPLOY / "docker-compose.yml")[0]
    assert "3)" in compose["services"]["refresh"]["command"][0]


def test_units_install_what_the_service_installs() -> None:
    workflow = yaml_documents(DEPLOY / "github" / "nightly-refresh.yml")[0]
    installs = [
        s["run"] for s in workflow["jobs"]["refresh"]["steps"] if "pip install" in s.get("run", "")
    ]
    assert installs and all("[japanese]" in run for run in installs)
    assert "'.[japanese]'" in (REPO / "Dockerfile").read_text(encoding="utf-8")
    for cronjob, api in (
        ("refresh-cronjob.yaml", "deployment.yaml"),
        ("cluster/refresh-cronjob.yaml", "cluster/deployment.yaml"),
    ):
        job = yaml_documents(DEPLOY / "k8s" / cronjob)[0]
        job_images = {
            c["image"] for c in job["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
        }
        api_images = {
            c["image"]
            for d in yaml_documents(DEPLOY / "k8s" / api)
            if d.get("kind") in ("Deployment", "StatefulSet")
            for c in d["spec"]["template"]["spec"]["containers"]
        }
        assert job_images and job_images <= api_images, cronjob
    for name in ("screening-refresh.service", "screening.service"):
        (check,) = systemd_lines(DEPLOY / "systemd" / name, "ExecStartPre")
        assert "import cutlet" in check, name
    assert "[japanese]" in REFRESH_MD.read_text(encoding="utf-8")


def test_the_api_units_use_options_that_exist() -> None:
    for line in systemd_lines(DEPLOY / "systemd" / "screening.service", "ExecStart"):
        for command in screening_commands(line):
            assert parse(command).command == "serve"

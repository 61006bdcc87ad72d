"""docker-compose.yml and the Helm values (deploy/helm/) cannot run on this machine (no Docker
engine, no cluster), so they are held to what does run: the scale-out test's commands and
environment (bench/assistants.py SCALED_OUT, COMMANDS), and variables the code really reads."""
from __future__ import annotations

import re

import pytest
import yaml

from bench.assistants import COMMANDS, SCALED_OUT

from bot.paths import REPO_ROOT

COMPOSE = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
HELM = {"rasa": yaml.safe_load((REPO_ROOT / "deploy/helm/rasa-values.yaml").read_text()),
        "actions": yaml.safe_load((REPO_ROOT / "deploy/helm/action-server-values.yaml").read_text())}
READERS = [REPO_ROOT / "endpoints.yml", REPO_ROOT / "credentials.yml", *REPO_ROOT.glob("scripts/serve-*.sh"),
           *REPO_ROOT.glob("bot/**/*.py"), *REPO_ROOT.glob("actions/*.py"), *REPO_ROOT.glob("adapters/**/*.py"),
           *REPO_ROOT.glob("web/*.py"), *REPO_ROOT.glob("staff/*.py")]


def read_by_the_code(name: str) -> bool:
    return any(re.search(rf"\b{name}\b", path.read_text()) for path in READERS)


@pytest.mark.parametrize("role", ["rasa", "actions"])
def test_compose_runs_each_server_as_the_scale_out_test_does(role: str) -> None:
    service = COMPOSE["services"][role]
    assert service["command"] == " ".join(COMMANDS[role])
    assert set(SCALED_OUT[role]) <= set(service["environment"])
    assert service["deploy"]["replicas"] >= 2
    for name in service["environment"]:
        assert read_by_the_code(name), f"{role} in docker-compose.yml sets {name}, which nothing reads"


@pytest.mark.parametrize("role", ["rasa", "actions"])
def test_helm_values_run_each_server_as_the_scale_out_test_does(role: str) -> None:
    values = HELM[role]
    assert values["command"] == COMMANDS[role] and values["args"] == []
    names = [item["name"] for item in values["extraEnv"]]
    assert set(SCALED_OUT[role]) <= set(names)
    assert values["replicaCount"] >= 2
    for name in names:
        assert read_by_the_code(name), f"{role} Helm values set {name}, which nothing reads"


def test_no_secret_is_written_into_the_deployment_files() -> None:
    for service in COMPOSE["services"].values():
        for name, value in (service.get("environment") or {}).items():
            if any(word in name for word in ("SECRET", "TOKEN", "PASSWORD")):
                assert str(value).startswith("${"), name
    for values in HELM.values():
        for item in values["extraEnv"]:
            if any(word in item["name"] for word in ("SECRET", "TOKEN", "_DB", "DB_URL")):
                assert "valueFrom" in item, item["name"]

"""prefect.yaml is generated from the deployments of `newsflow serve`, is current, and
`prefect deploy` accepts it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from flows.config import DEFAULT_INGEST_CONCURRENCY, Settings
from flows.serve import ServeOptions, build_deployments, declared_prefect_yaml
from tests.conftest import ROOT

PREFECT_YAML = ROOT / "prefect.yaml"


@pytest.fixture
def served() -> dict[str, Any]:
    """`newsflow serve`'s deployments with every declared default (no environment overrides)."""
    return {d.name: d for d in build_deployments(ServeOptions.from_settings(Settings.declared()))}


def test_prefect_yaml_is_current() -> None:
    assert PREFECT_YAML.read_text() == declared_prefect_yaml(), (
        "prefect.yaml is out of date: run `make prefect-yaml`"
    )


def test_the_declared_defaults_ignore_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFLOW_BUCKET", "elsewhere")
    monkeypatch.setenv("NEWSFLOW_INGEST_INTERVAL", "5")
    monkeypatch.setenv("NEWSFLOW_STAGES", "cleaning")
    assert Settings().bucket == "elsewhere"
    assert declared_prefect_yaml() == PREFECT_YAML.read_text()


def test_from_the_environment_it_follows_the_settings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What compose's deploy service registers: the environment's limit and bucket."""
    from flows.serve import main

    monkeypatch.setenv("NEWSFLOW_INGEST_CONCURRENCY", "12")
    monkeypatch.setenv("NEWSFLOW_BUCKET", "elsewhere")
    main(["--from-environment"])
    document = yaml.safe_load(capsys.readouterr().out)
    by_name = {d["name"]: d for d in document["deployments"]}
    for name in ("ingest", "ingest-standing"):
        assert by_name[name]["concurrency_limit"]["limit"] == 12
        assert by_name[name]["parameters"]["sink"] == "s3://elsewhere/"
    main([])
    assert capsys.readouterr().out == PREFECT_YAML.read_text()


def _yaml_deployments() -> dict[str, Any]:
    from prefect.cli.deploy._models import PrefectYamlModel

    model = PrefectYamlModel.model_validate(yaml.safe_load(PREFECT_YAML.read_text()))
    return {d.name: d for d in model.deployments}


def _module_of(entrypoint: str) -> str:
    """`flows/ingest.py:ingest` -> `flows.ingest.ingest`, the form `newsflow serve` uses."""
    path, _, function = entrypoint.partition(":")
    return Path(path).with_suffix("").as_posix().replace("/", ".") + "." + function


def test_prefect_yaml_matches_serve(served: dict[str, Any]) -> None:
    described = _yaml_deployments()
    assert described.keys() == served.keys()
    for name, spec in described.items():
        deployment = served[name]
        assert _module_of(spec.entrypoint) == deployment.entrypoint, name
        assert (ROOT / spec.entrypoint.partition(":")[0]).is_file()
        assert spec.parameters == deployment.parameters, name
        assert spec.work_pool is not None and spec.work_pool.name == "newsflow"
        yaml_intervals = [s.interval.total_seconds() for s in spec.schedules or []]
        assert yaml_intervals == [s.schedule.interval.total_seconds() for s in deployment.schedules]
        limit = spec.concurrency_limit
        if deployment.concurrency_limit is None:
            assert limit is None, name
        elif isinstance(limit, int):
            assert limit == deployment.concurrency_limit and deployment.concurrency_options is None
        else:
            assert limit is not None and limit.limit == deployment.concurrency_limit
            strategy = deployment.concurrency_options.collision_strategy
            assert limit.collision_strategy == strategy.value, name


@pytest.mark.usefixtures("prefect_server")
def test_prefect_deploy_registers_them_on_a_work_pool(tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value()), "PWD": str(ROOT)}
    prefect = [str(Path(sys.executable).parent / "prefect"), "--no-prompt"]

    def run(*args: str) -> None:
        done = subprocess.run(
            [*prefect, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]

    run("work-pool", "create", "newsflow", "--type", "process", "--overwrite")
    run("deploy", "--all", "--prefect-file", str(PREFECT_YAML))
    with get_client(sync_client=True) as client:
        ingest = client.read_deployment_by_name("ingest/ingest")
    assert ingest.work_pool_name == "newsflow"
    assert ingest.schedules[0].schedule.interval.total_seconds() == 60
    assert ingest.global_concurrency_limit is not None
    assert ingest.global_concurrency_limit.limit == DEFAULT_INGEST_CONCURRENCY
    assert ingest.concurrency_options.collision_strategy == "CANCEL_NEW"
    assert ingest.pull_steps == [
        {"prefect.deployments.steps.set_working_directory": {"directory": str(ROOT)}}
    ]


@pytest.mark.usefixtures("prefect_server")
def test_the_compose_deploy_script_registers_them_with_its_partitions() -> None:
    """docker-compose's `deploy` command as it is (compose cannot run here): its shell script,
    run from the project root with the compose environment's partition count."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = compose["services"]["deploy"]["command"]
    assert command[:2] == ["sh", "-c"]
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
        "PWD": str(ROOT),
        "NEWSFLOW_INGEST_CONCURRENCY": "9",  # what ${NEWSFLOW_TOPIC_PARTITIONS} would pass
        "NEWSFLOW_BUCKET": "composed",
    }
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    with get_client(sync_client=True) as client:
        for name in ("ingest", "ingest-standing"):
            deployment = client.read_deployment_by_name(f"ingest/{name}")
            assert deployment.work_pool_name == "newsflow"
            assert deployment.global_concurrency_limit.limit == 9
            assert deployment.parameters["sink"] == "s3://composed/"

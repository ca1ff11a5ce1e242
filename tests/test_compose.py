"""docker-compose.yml cannot run here (no Docker engine), so it is held to the Compose
Specification's JSON Schema (infra/compose-spec.json, vendored; see infra/README.md) and to the
contract: the same environment names and credentials as `make services`, and services that
reference only each other."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.services import infra

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "infra" / "compose-spec.json").read_text())
PREFECT_YAML = ROOT / "prefect.yaml"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _errors(document: dict[str, Any]) -> list[str]:
    validator_cls = jsonschema.validators.validator_for(SCHEMA)
    validator_cls.check_schema(SCHEMA)
    validator = validator_cls(SCHEMA, format_checker=validator_cls.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def test_compose_file_is_valid_against_the_compose_spec(compose):
    assert _errors(compose) == []


@pytest.mark.parametrize(
    "breakage",
    [
        lambda c: c["services"]["kafka"].__setitem__("ports", "9092:9092"),  # must be a list
        lambda c: c["services"]["worker"].__setitem__("enviroment", {}),  # misspelt key
        lambda c: c["services"]["worker"]["depends_on"]["init"].__setitem__("condition", "done"),
        lambda c: c.__setitem__("service", {}),  # unknown top-level key
    ],
)
def test_the_schema_rejects_broken_variants(compose, breakage):
    """The validation above is only worth something if the schema catches real mistakes."""
    broken = copy.deepcopy(compose)
    breakage(broken)
    assert _errors(broken) != []


def test_expected_services_and_images(compose):
    services = compose["services"]
    assert set(services) == {"kafka", "seaweedfs", "init", "prefect", "deploy", "worker"}
    # Every image is pinned to the release the code is tested with, never a moving tag.
    kafka = re.search(r"<kafka.version>([^<]+)<", (ROOT / "infra/kafka/pom.xml").read_text())
    prefect = re.search(r"^prefect==(\S+)$", (ROOT / "requirements.lock").read_text(), re.M)
    assert kafka and prefect
    assert services["kafka"]["image"] == f"apache/kafka:{kafka.group(1)}"
    assert services["prefect"]["image"] == f"prefecthq/prefect:{prefect.group(1)}-python3.11"
    assert re.fullmatch(r"chrislusf/seaweedfs:\d+\.\d+", services["seaweedfs"]["image"])
    assert not [s for s in services.values() if "latest" in s.get("image", "")]
    assert services["prefect"]["command"][:3] == ["prefect", "server", "start"]
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert "-s3" in services["seaweedfs"]["command"]


def test_workers_scale_on_the_work_pool_the_deployments_are_on(compose):
    """`docker compose up --scale worker=N`: the one-shot `deploy` registers prefect.yaml's
    deployments on the `newsflow` process pool, and every worker replica polls that pool."""
    services = compose["services"]
    worker, deploy = services["worker"], services["deploy"]
    pool = {d["work_pool"]["name"] for d in yaml.safe_load(PREFECT_YAML.read_text())["deployments"]}
    assert pool == {"newsflow"}
    assert worker["command"][:3] == ["prefect", "worker", "start"]
    assert worker["command"][worker["command"].index("--pool") + 1] == "newsflow"
    # Replicas cannot share a fixed name or a published port: --scale would refuse them.
    assert "container_name" not in worker and "ports" not in worker
    assert worker["depends_on"]["deploy"]["condition"] == "service_completed_successfully"
    assert worker["depends_on"]["init"]["condition"] == "service_completed_successfully"
    script = deploy["command"][-1]
    assert "prefect work-pool create newsflow --type process" in script
    generated = re.search(r"python -m flows\.serve --from-environment > (\S+)", script)
    assert generated and f"deploy --all --prefect-file {generated.group(1)}" in script
    # The deployments' ingest limit follows the partitions init creates.
    partitions = services["init"]["environment"]["NEWSFLOW_TOPIC_PARTITIONS"]
    assert deploy["environment"]["NEWSFLOW_INGEST_CONCURRENCY"] == partitions
    assert deploy["restart"] == "no"
    assert deploy["depends_on"]["prefect"]["condition"] == "service_healthy"
    # prefect.yaml's pull step is `{{ $PWD }}` at deploy time: the image's WORKDIR, where the
    # Dockerfile copies the code and prefect.yaml.
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert deploy["environment"]["PWD"] == "/app" and "WORKDIR /app" in dockerfile
    assert "COPY prefect.yaml ./prefect.yaml" in dockerfile
    assert deploy["environment"]["PREFECT_API_URL"] == worker["environment"]["PREFECT_API_URL"]


def test_dependencies_name_defined_services(compose):
    services = compose["services"]
    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on unknown {dependency}"
            assert dependency != name


def test_worker_gets_the_same_environment_names_as_make_services(compose):
    """Containers read exactly what `.env.services` exports, pointed at compose hostnames, with
    the credentials the store is configured with."""
    local = infra.Endpoints()
    for name in ("worker", "init", "deploy"):
        env = compose["services"][name]["environment"]
        assert set(local.env()) <= set(env), f"{name} lacks {set(local.env()) - set(env)}"
        assert env["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:19092"
        assert env["AWS_ENDPOINT_URL_S3"] == "http://seaweedfs:8333"
        assert env["NEWSFLOW_TOPIC"] == local.topic
        assert env["NEWSFLOW_DLQ_TOPIC"] == local.dlq_topic
        assert env["NEWSFLOW_BUCKET"] == local.bucket
    kafka_env = compose["services"]["kafka"]["environment"]
    assert "PLAINTEXT://kafka:19092" in kafka_env["KAFKA_ADVERTISED_LISTENERS"]


def test_store_credentials_match_the_worker(compose):
    s3_config = json.loads((ROOT / "infra" / "seaweedfs" / "s3.json").read_text())
    keys = {
        (cred["accessKey"], cred["secretKey"])
        for identity in s3_config["identities"]
        for cred in identity["credentials"]
    }
    env = compose["services"]["worker"]["environment"]
    assert (env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]) in keys
    mounted = compose["services"]["seaweedfs"]["volumes"]
    assert "./infra/seaweedfs/s3.json:/etc/newsflow/s3.json:ro" in mounted


def test_dockerfile_builds_the_worker_from_the_lock():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert (
        dockerfile.startswith("#") and "FROM python:3.11.7-slim-bookworm" in dockerfile
    )  # the Python the suite runs on
    assert "requirements.lock" in dockerfile
    assert 'CMD ["newsflow", "serve"]' in dockerfile
    for copied in ("schemas", "workers", "flows", "infra/services.py", "infra/devservices"):
        assert f"COPY {copied}" in dockerfile

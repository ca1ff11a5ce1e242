"""Pytest fixtures for the real local Kafka broker and S3 store (a plugin: load it from
tests/conftest.py with `pytest_plugins = ["services"]`).

The session fixture reuses services that already answer (`make services`), else starts them with
the same code as `make services` (infra/devservices) and stops what it started when the last
test session sharing the tree ends. Outside CI, tests that need them are skipped when java, mvn
or go is missing, saying which; under CI (`CI=true`) that is a failure: a green CI must mean the
integration tests ran.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_infra() -> ModuleType:
    """infra/ is not an installed package (the project never imports it): put it on the path."""
    infra_dir = str(ROOT / "infra")
    if infra_dir not in sys.path:
        sys.path.insert(0, infra_dir)
    return importlib.import_module("devservices")


infra = _load_infra()


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@dataclass
class Services:
    """The running services and what a test needs to talk to them."""

    endpoints: Any  # infra Endpoints
    layout: Any  # infra Layout
    started: set[str] = field(default_factory=set)

    @property
    def bootstrap_servers(self) -> str:
        return str(self.endpoints.kafka_bootstrap)

    @property
    def s3_endpoint(self) -> str:
        return str(self.endpoints.s3_endpoint)

    @property
    def access_key(self) -> str:
        return str(self.endpoints.access_key)

    @property
    def secret_key(self) -> str:
        return str(self.endpoints.secret_key)

    @property
    def region(self) -> str:
        return str(self.endpoints.region)

    @property
    def bucket(self) -> str:
        return str(self.endpoints.bucket)

    @property
    def topic(self) -> str:
        return str(self.endpoints.topic)

    @property
    def dlq_topic(self) -> str:
        return str(self.endpoints.dlq_topic)

    def env(self, **overrides: str) -> dict[str, str]:
        """The standard environment for these services (e.g. for a `newsflow` subprocess)."""
        return {**self.endpoints.env(), **overrides}

    def s3_client(self) -> Any:
        return self.endpoints.s3_client()

    def kafka_admin(self) -> Any:
        """A kafka-python admin client; the caller closes it."""
        return self.endpoints.kafka_admin()

    # -- unique names, so tests never see each other's messages or objects

    def create_topic(self, partitions: int = 1, prefix: str = "test") -> str:
        name = f"{prefix}-{uuid.uuid4().hex[:12]}"
        infra.ensure_topic(self.endpoints, name, partitions)
        return name

    def delete_topic(self, name: str) -> None:
        infra.delete_topic(self.endpoints, name)

    def create_bucket(self, prefix: str = "test") -> str:
        name = f"{prefix}-{uuid.uuid4().hex[:12]}"
        infra.ensure_bucket(self.endpoints, name)
        return name

    def delete_bucket(self, name: str) -> None:
        infra.delete_bucket(self.endpoints, name)

    # -- outages, for failure-mode tests

    def stop_s3(self) -> None:
        """Stop the object store (all of SeaweedFS); only a store this project started."""
        if not infra.stop_s3(self.layout):
            raise RuntimeError("the S3 store was not started by infra/services.py; cannot stop it")

    def start_s3(self) -> None:
        """Start the object store again (same data) and wait until it answers."""
        infra.start_s3(self.layout, self.endpoints)

    def restart_kafka(self) -> None:
        """Stop the broker cleanly and start it again on the same data; waits until it answers."""
        infra.restart_kafka(self.layout, self.endpoints)


# --------------------------------------------------------------------------- sharing the tree

# Several pytest sessions may share one checkout (and so one set of services). Each holds a lease
# while it runs; services started by a test session are stopped by the last session to leave.


def _leases(layout: Any) -> Path:
    path = Path(layout.state) / "test-leases"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _owned_marker(layout: Any, service: str) -> Path:
    return Path(layout.state) / f"{service}.test-owned"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _other_live_leases(layout: Any) -> list[int]:
    live = []
    for lease in _leases(layout).iterdir():
        with contextlib.suppress(ValueError):
            pid = int(lease.name)
            if pid != os.getpid() and _pid_alive(pid):
                live.append(pid)
            elif pid != os.getpid():
                lease.unlink(missing_ok=True)
    return live


def _tools_needed(layout: Any, endpoints: Any) -> dict[str, str]:
    """The missing tools that starting the services that are down would need."""
    missing = infra.missing_tools()
    needed: dict[str, str] = {}
    if not infra.kafka_answers(endpoints):
        needed.update({k: v for k, v in missing.items() if k == "java"})
        if not (Path(layout.kafka_lib) / ".pom.sha256").exists():
            needed.update({k: v for k, v in missing.items() if k == "mvn"})
    if not infra.s3_answers(endpoints) and not Path(layout.weed_bin).exists():
        needed.update({k: v for k, v in missing.items() if k == "go"})
    return needed


@pytest.fixture(scope="session")
def services() -> Iterator[Services]:
    """Real Kafka + S3 for the session: reused when running, else started and later stopped."""
    layout, endpoints = infra.Layout(), infra.Endpoints()
    needed = _tools_needed(layout, endpoints)
    if needed:
        reason = "local services are down and cannot be started: " + ", ".join(
            f"{tool} (for the {why}) is not on PATH" for tool, why in sorted(needed.items())
        )
        if in_ci():
            pytest.fail(f"{reason}; under CI the integration tests must run", pytrace=False)
        pytest.skip(reason)

    lease = _leases(layout) / str(os.getpid())
    lease.touch()
    try:
        started = infra.up(layout, endpoints)
    except infra.ServiceError as exc:
        lease.unlink(missing_ok=True)
        pytest.fail(f"could not start the local services: {exc}", pytrace=False)
    for service in started:
        _owned_marker(layout, service).touch()
    try:
        yield Services(endpoints=endpoints, layout=layout, started=started)
    finally:
        lease.unlink(missing_ok=True)
        if not _other_live_leases(layout):
            owned = {s for s in ("kafka", "s3") if _owned_marker(layout, s).exists()}
            if owned:
                infra.down(layout, owned)
            for service in owned:
                _owned_marker(layout, service).unlink(missing_ok=True)


@pytest.fixture
def kafka_topic(services: Services) -> Iterator[str]:
    """A fresh single-partition topic for one test, deleted afterwards."""
    name = services.create_topic()
    yield name
    with contextlib.suppress(Exception):
        services.delete_topic(name)


@pytest.fixture
def s3_bucket(services: Services) -> Iterator[str]:
    """A fresh private bucket for one test, emptied and deleted afterwards."""
    name = services.create_bucket()
    yield name
    with contextlib.suppress(Exception):
        services.delete_bucket(name)


@pytest.fixture
def services_env(services: Services, monkeypatch: pytest.MonkeyPatch) -> Services:
    """Point this test's environment (boto3, kafka config, newsflow defaults) at the services."""
    for key, value in services.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return services

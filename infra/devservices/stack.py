"""Both services together: what `make services`, `make services-down` and the fixtures call."""

from __future__ import annotations

import contextlib
import fcntl
import shutil
from collections.abc import Iterator

from .config import LAYOUT, LOCAL, START_TIMEOUT_S, Endpoints, Layout
from .kafka import ensure_topic, kafka_answers, spawn_kafka, stop_kafka, wait_kafka
from .process import wait_until
from .seaweedfs import ensure_bucket, s3_answers, spawn_s3, stop_s3, wait_s3


def missing_tools() -> dict[str, str]:
    """Tools needed to install and run the services that are not on PATH, with what needs them."""
    needs = {"java": "Kafka broker", "mvn": "Kafka jars", "go": "SeaweedFS build"}
    return {tool: why for tool, why in needs.items() if shutil.which(tool) is None}


@contextlib.contextmanager
def _lock(layout: Layout) -> Iterator[None]:
    """Serialise `up`/`down` between processes sharing the tree (parallel test sessions)."""
    layout.state.mkdir(parents=True, exist_ok=True)
    with (layout.state / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def env_text(endpoints: Endpoints) -> str:
    lines = ["# Written by `make services` (infra/services.py). Use: source .env.services"]
    lines += [f"export {key}={value}" for key, value in endpoints.env().items()]
    return "\n".join(lines) + "\n"


def create_resources(endpoints: Endpoints, timeout_s: float = START_TIMEOUT_S) -> None:
    """Wait for both services, then create the topics and the bucket (idempotent). Also what the
    one-shot `init` container of docker-compose.yml runs against the standard environment."""
    wait_until("Kafka", lambda: kafka_answers(endpoints), None, timeout_s)
    wait_until("S3", lambda: s3_answers(endpoints), None, timeout_s)
    ensure_topic(endpoints, endpoints.topic, endpoints.topic_partitions)
    ensure_topic(endpoints, endpoints.dlq_topic, 1)
    ensure_bucket(endpoints, endpoints.bucket)


def up(layout: Layout = LAYOUT, endpoints: Endpoints = LOCAL) -> set[str]:
    """Install (cached), start what is not answering, create topics and bucket, write the env
    file. Returns the names of the services this call started."""
    with _lock(layout):
        started = set()
        # Launch both, then wait: the two start up in parallel.
        if spawn_kafka(layout, endpoints):
            started.add("kafka")
        if spawn_s3(layout, endpoints):
            started.add("s3")
        wait_kafka(layout, endpoints)
        wait_s3(layout, endpoints, fresh="s3" in started)
        create_resources(endpoints)
        layout.env_file.write_text(env_text(endpoints))
        return started


def down(layout: Layout = LAYOUT, which: set[str] | None = None) -> set[str]:
    """Stop the services started by this module (all, or those in `which`)."""
    which = {"kafka", "s3"} if which is None else which
    stopped = set()
    with _lock(layout):
        if "s3" in which and stop_s3(layout):
            stopped.add("s3")
        if "kafka" in which and stop_kafka(layout):
            stopped.add("kafka")
    return stopped

"""Fixtures of the secured-cluster tests: the suite's own SASL_SSL / mutual-TLS broker and HTTPS
S3 gateway (infra/devservices), a topic, group and bucket per test, and `newsflow` run as a user
would run it, with nothing in its environment but what the test gives it."""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from tests.conftest import ROOT
from tests.reliability.helpers import make_articles, unique
from tests.services import in_ci, infra

# infra/ is on the path once tests.services is imported (the project never imports it).
secure_kafka = importlib.import_module("devservices.secure_kafka")
secure_s3 = importlib.import_module("devservices.secure_s3")


@pytest.fixture(scope="session")
def secured_broker(services: Any) -> Iterator[Any]:
    """The secured broker, started from the jars `make services` fetched (the plain broker's
    fixture made sure they are there); stopped at the end if this session started it."""
    try:
        broker, started = secure_kafka.start_secure_kafka(services.layout)
    except infra.ServiceError as exc:
        if in_ci():
            pytest.fail(f"could not start the secured broker: {exc}", pytrace=False)
        pytest.skip(f"could not start the secured broker: {exc}")
    yield broker
    if started:
        secure_kafka.stop_secure_kafka(services.layout)


@pytest.fixture(scope="session")
def https_store(services: Any) -> Iterator[Any]:
    """The HTTPS S3 gateway in front of the shared store's filer; yields the test PKI."""
    try:
        pki, started = secure_s3.start_secure_s3(services.layout)
    except infra.ServiceError as exc:
        if in_ci():
            pytest.fail(f"could not start the HTTPS S3 gateway: {exc}", pytrace=False)
        pytest.skip(f"could not start the HTTPS S3 gateway: {exc}")
    yield pki
    if started:
        secure_s3.stop_secure_s3(services.layout)


@dataclass
class Run:
    """One finished `newsflow` command."""

    code: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


@dataclass
class SecurePipeline:
    """One test's topic, DLQ, group and bucket, on the secured broker and the shared store."""

    broker: Any
    services: Any
    topic: str
    dlq: str
    group: str
    bucket: str
    api_url: str

    def env(self, kafka: dict[str, str] | None = None, **extra: str) -> dict[str, str]:
        """A clean environment: the store's, the broker's SCRAM settings (or `kafka`), the
        test's names, and nothing inherited (no stray AWS_CA_BUNDLE or profile)."""
        env = {
            **self.services.env(),
            **(self.broker.scram_env() if kafka is None else kafka),
            "NEWSFLOW_TOPIC": self.topic,
            "NEWSFLOW_DLQ_TOPIC": self.dlq,
            "NEWSFLOW_CONSUMER_GROUP": self.group,
            "NEWSFLOW_BUCKET": self.bucket,
            "PREFECT_API_URL": self.api_url,
            "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "HOME": str(Path.home()),
            "PYTHONUNBUFFERED": "1",
        }
        if "PREFECT_HOME" in os.environ:
            env["PREFECT_HOME"] = os.environ["PREFECT_HOME"]
        env.update(extra)
        return {k: v for k, v in env.items() if v != ""}

    def newsflow(self, env: dict[str, str], *args: str, timeout: float = 300) -> Run:
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "flows.cli", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        return Run(done.returncode, done.stdout, done.stderr, time.monotonic() - started)

    def consume(self, env: dict[str, str], timeout: float = 300) -> Run:
        return self.newsflow(
            env,
            "consume",
            "--until-idle",
            "--sink",
            f"s3://{self.bucket}/",
            "--max-batch",
            "8",
            "--max-wait",
            "0.5",
            timeout=timeout,
        )

    def publish(self, count: int, tag: str) -> list[str]:
        """Articles straight onto the topic (through the broker's internal listener)."""
        articles = make_articles(count, tag)
        producer = KafkaProducer(bootstrap_servers=self.broker.internal, acks="all")
        try:
            for a in articles:
                producer.send(
                    self.topic, key=a.id.encode(), value=a.model_dump_json().encode()
                ).get(timeout=30)
        finally:
            producer.close()
        return [a.id for a in articles]

    def write_files(self, folder: Path, count: int, tag: str) -> list[str]:
        folder.mkdir(parents=True, exist_ok=True)
        articles = make_articles(count, tag)
        for a in articles:
            (folder / f"{a.id}.json").write_text(a.model_dump_json())
        return [a.id for a in articles]

    def committed(self) -> int:
        consumer = KafkaConsumer(
            bootstrap_servers=self.broker.internal, group_id=self.group, enable_auto_commit=False
        )
        try:
            parts = consumer.partitions_for_topic(self.topic) or set()
            return sum(consumer.committed(TopicPartition(self.topic, p)) or 0 for p in parts)
        finally:
            consumer.close()

    def stored_ids(self) -> list[str]:
        """Article ids of the enriched documents in the bucket (one entry per object)."""
        client = self.services.s3_client()
        pages = client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix="enriched/"
        )
        ids = []
        for page in pages:
            for obj in page.get("Contents", []):
                body = client.get_object(Bucket=self.bucket, Key=obj["Key"])["Body"].read()
                ids.append(json.loads(body)["id"])
        return sorted(ids)

    def received(self) -> int:
        """Messages that reached the topic."""
        consumer = KafkaConsumer(bootstrap_servers=self.broker.internal)
        try:
            tp = TopicPartition(self.topic, 0)
            return int(consumer.end_offsets([tp])[tp])
        finally:
            consumer.close()


@pytest.fixture
def secure_pipeline(
    secured_broker: Any, services: Any, s3_bucket: str, prefect_api_url: str
) -> Iterator[SecurePipeline]:
    topic, dlq = unique("sec"), unique("sec-dlq")
    for name in (topic, dlq):
        secure_kafka.ensure_secure_topic(secured_broker, name)
    yield SecurePipeline(
        secured_broker, services, topic, dlq, unique("sec-group"), s3_bucket, prefect_api_url
    )
    admin = secured_broker.admin()
    with contextlib.suppress(Exception):
        admin.delete_topics([topic, dlq], timeout_ms=10000)
    admin.close()

"""What the fault tests share: original test articles, a running consumer, and readers of the
bucket, the DLQ and the group's committed offsets on the real services."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from flows.config import KafkaSettings
from flows.produce import publish
from schemas import EnrichedDocument, RawArticle
from tests.conftest import ROOT

_PLACES = ["Rotterdam", "Lyon", "Porto", "Gdansk", "Turin", "Ghent", "Bergen", "Malmo", "Leeds"]
_PEOPLE = ["Maria Jansen", "Peter Novak", "Ana Costa", "Tomas Berg", "Ines Wolf", "Karl Ruiz"]
_TOPICS = ["harbour pilots", "tram drivers", "school cooks", "bridge engineers", "bakers"]


def make_articles(count: int, tag: str) -> list[RawArticle]:
    """Short, distinct, original news-style articles with a named speaker and a quote each.

    Ids are `tag-NNNN`, so the article at offset N of a fresh one-partition topic is `tag-N`."""
    articles = []
    for n in range(count):
        place = _PLACES[n % len(_PLACES)]
        person = _PEOPLE[n % len(_PEOPLE)]
        topic = _TOPICS[n % len(_TOPICS)]
        body = (
            f"The council of {place} approved plan number {n} for {topic} on Tuesday, "
            f"after {3 + n % 7} weeks of talks with the regional union.\n\n"
            f'"We waited {n + 2} months for this," said {person}, who chairs the local branch. '
            f"The agreement covers {120 + n * 7} workers and runs until {2026 + n % 4}.\n\n"
            f"Officials in {place} said the first payments would follow in {n % 12 + 1} weeks."
        )
        articles.append(
            RawArticle(
                id=f"{tag}-{n:04d}",
                url=f"https://news.example.org/{tag}/{n}",
                source="reliability-tests",
                title=f"{place} agrees plan {n} for {topic}",
                body=body,
                published_at=datetime(2025, 3, 1 + n % 28, 9, 30, tzinfo=UTC),
            )
        )
    return articles


@dataclass
class Pipeline:
    """One test's own topic, DLQ, group and bucket on the shared services."""

    services: Any
    topic: str
    dlq: str
    group: str
    bucket: str
    api_url: str

    @property
    def config(self) -> KafkaSettings:
        return KafkaSettings(
            bootstrap_servers=self.services.bootstrap_servers,
            topic=self.topic,
            dlq_topic=self.dlq,
            group=self.group,
        )

    def env(self, **extra: str) -> dict[str, str]:
        env = self.services.env(
            NEWSFLOW_TOPIC=self.topic,
            NEWSFLOW_DLQ_TOPIC=self.dlq,
            NEWSFLOW_CONSUMER_GROUP=self.group,
            NEWSFLOW_BUCKET=self.bucket,
            PREFECT_API_URL=self.api_url,
        )
        env.update(
            PATH=f"{Path(sys.executable).parent}:/usr/bin:/bin",
            HOME=str(Path.home()),
            PYTHONUNBUFFERED="1",
        )
        if "PREFECT_HOME" in os.environ:
            env["PREFECT_HOME"] = os.environ["PREFECT_HOME"]
        env.update(extra)
        return env

    # -- producing

    def publish(self, articles: list[RawArticle]) -> int:
        return publish(articles, self.config)

    def send_raw(self, payloads: list[bytes], key: bytes = b"bad") -> None:
        """What a careless producer sends: bytes, unvalidated."""
        producer = KafkaProducer(
            bootstrap_servers=self.services.bootstrap_servers,
            acks="all",
            max_request_size=16 * 1024 * 1024,
        )
        try:
            for payload in payloads:
                producer.send(self.topic, key=key, value=payload).get(timeout=30)
        finally:
            producer.close()

    # -- consuming

    def consume_args(self, *extra: str, max_batch: int = 4, max_wait: float = 0.5) -> list[str]:
        return [
            sys.executable,
            "-m",
            "flows.cli",
            "consume",
            "--sink",
            f"s3://{self.bucket}/",
            "--max-batch",
            str(max_batch),
            "--max-wait",
            str(max_wait),
            *extra,
        ]

    def consume(self, *extra: str, timeout: float = 240, **kw: Any) -> subprocess.CompletedProcess:
        return subprocess.run(
            self.consume_args(*extra, **kw),
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    @contextmanager
    def consumer_process(self, *extra: str, log: Path, **kw: Any) -> Iterator[subprocess.Popen]:
        """A consumer running in the background, its output in `log`; killed if still alive."""
        with log.open("wb") as out:
            proc = subprocess.Popen(
                self.consume_args(*extra, **kw),
                cwd=ROOT,
                env=self.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            try:
                yield proc
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait(timeout=30)

    # -- reading what arrived

    def keys(self, prefix: str) -> list[str]:
        client = self.services.s3_client()
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
        return [o["Key"] for page in pages for o in page.get("Contents", [])]

    def documents(self) -> list[EnrichedDocument]:
        """Every enriched object, read whole, parsed and validated (offsets included)."""
        client = self.services.s3_client()
        docs = []
        for key in self.keys("enriched/"):
            body = client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
            docs.append(EnrichedDocument.model_validate(json.loads(body)))
        return docs

    def dead_letters(self, timeout_ms: int = 4000) -> list[dict[str, Any]]:
        consumer = KafkaConsumer(
            self.dlq,
            bootstrap_servers=self.services.bootstrap_servers,
            group_id=None,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            consumer_timeout_ms=timeout_ms,
            fetch_max_bytes=32 * 1024 * 1024,
            max_partition_fetch_bytes=16 * 1024 * 1024,
        )
        try:
            return [json.loads(m.value) for m in consumer]
        finally:
            consumer.close()

    def _group_consumer(self) -> KafkaConsumer:
        """A consumer of the test's group that never joins it: it only reads offsets."""
        return KafkaConsumer(
            bootstrap_servers=self.services.bootstrap_servers,
            group_id=self.group,
            enable_auto_commit=False,
        )

    def committed(self) -> int:
        """The group's committed offsets summed over the topic's partitions (0 when none)."""
        consumer = self._group_consumer()
        try:
            parts = consumer.partitions_for_topic(self.topic) or set()
            return sum(consumer.committed(TopicPartition(self.topic, p)) or 0 for p in parts)
        finally:
            consumer.close()

    def lag(self) -> int:
        consumer = self._group_consumer()
        try:
            parts = [
                TopicPartition(self.topic, p)
                for p in consumer.partitions_for_topic(self.topic) or []
            ]
            ends = consumer.end_offsets(parts)
            return sum(ends[tp] - (consumer.committed(tp) or 0) for tp in parts)
        finally:
            consumer.close()


def wait_for(condition: Callable[[], bool], timeout: float, what: str, every: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"

"""Issue 6's promise, end to end against the real broker and the real object store:
produce the seeds, consume until idle, and find one enriched object per valid seed, one DLQ record
per invalid one, zero lag, and the same counts after doing it all again."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from flows.sources.files import FileSource
from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.integration


def newsflow(env: dict[str, str], *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _count(folder: Path) -> int:
    return sum(1 for _ in FileSource([folder]).envelopes())


def _dlq_records(bootstrap: str, topic: str) -> list:
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=5000,
    )
    try:
        return list(consumer)
    finally:
        consumer.close()


def _lag(bootstrap: str, topic: str, group: str) -> int:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    try:
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
        ends = consumer.end_offsets(parts)
        return sum(ends[tp] - (consumer.committed(tp) or 0) for tp in parts)
    finally:
        consumer.close()


def _keys(services, bucket: str, prefix: str) -> list[str]:
    client = services.s3_client()
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return [o["Key"] for page in pages for o in page.get("Contents", [])]


def _publish_as_is(bootstrap: str, topic: str, folder: Path) -> int:
    """What a careless producer would send: the invalid files' bytes, unvalidated."""
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    envelopes = list(FileSource([folder]).envelopes())
    for env in envelopes:
        producer.send(topic, key=b"bad", value=env.payload)
    producer.flush()
    producer.close()
    return len(envelopes)


def test_produce_consume_to_bucket_exactly_once_per_article(services, s3_bucket) -> None:
    topic = services.create_topic(partitions=2, prefix="raw")
    dlq = services.create_topic(partitions=1, prefix="dlq")
    group = f"e2e-{uuid.uuid4().hex[:8]}"
    env = services.env(NEWSFLOW_TOPIC=topic, NEWSFLOW_DLQ_TOPIC=dlq, NEWSFLOW_CONSUMER_GROUP=group)
    env.update({"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(Path.home())})
    valid = _count(SEEDS) - _count(SEEDS / "invalid")
    invalid = _count(SEEDS / "invalid")

    for round_number in (1, 2):
        produced = newsflow(env, "produce", "seeds/", "seeds/invalid/")
        assert produced.returncode == 1, produced.stderr  # invalid files are refused ...
        assert produced.stderr.count("invalid: ") == invalid  # ... each named with its reason
        assert f"sent {valid} articles" in produced.stdout
        sent_bad = _publish_as_is(services.bootstrap_servers, topic, SEEDS / "invalid")

        consumed = newsflow(
            env, "consume", "--until-idle", "--sink", f"s3://{s3_bucket}/", "--max-wait", "1"
        )
        assert consumed.returncode == 0, consumed.stderr[-3000:]
        assert "Traceback" not in consumed.stderr

        enriched = _keys(services, s3_bucket, "enriched/")
        raw = _keys(services, s3_bucket, "raw/")
        assert len(enriched) == len(set(enriched)) == valid, f"round {round_number}"
        assert len(raw) == valid
        dead = _dlq_records(services.bootstrap_servers, dlq)
        assert len(dead) == sent_bad * round_number
        assert _lag(services.bootstrap_servers, topic, group) == 0

    head = services.s3_client().head_object(Bucket=s3_bucket, Key=enriched[0])
    assert head["ContentType"] == "application/json"

"""Issue 22: articles from any Kafka producer, not only our own kafka-python one.

The producer here is librdkafka (the confluent-kafka package), configured the ways production
producers are: every codec, no key, an arbitrary binary key, headers, idempotence, transactions
that commit and abort, spread over several partitions. Then `newsflow consume --until-idle` must
store every committed article exactly once, no aborted one, and exit 0. And a record batch the
consumer cannot decode (a codec whose library its Python lacks) ends as a dead letter naming its
offsets, while what follows it and the other partitions are stored.

Transport only (NEWSFLOW_STAGES=cleaning): the stages are not what is under test, and the NLP
would cost most of the run.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import confluent_kafka
import pytest

from bench.corpus import generate
from tests.conftest import ROOT

pytestmark = pytest.mark.integration

CODECS = ("none", "gzip", "snappy", "lz4", "zstd")

#: The consumer's Python with the snappy library made unimportable, as in a deployment that
#: lacks it: kafka-python then raises UnsupportedCodecError on every snappy batch.
CONSUME_WITHOUT_SNAPPY = (
    "import sys; sys.modules['snappy'] = None; from flows.cli import main; main()"
)


def _articles(n: int) -> Iterator[tuple[str, bytes]]:
    """(id, RawArticle JSON) of distinct generated articles with ids unique to this call."""
    tag = uuid.uuid4().hex[:8]
    for article in generate(n, words=60, seed=22):
        article = article.model_copy(update={"id": f"{tag}-{article.id}"})
        yield article.id, article.model_dump_json(exclude_none=True).encode("utf-8")


class Sent:
    """Delivery reports: where each article landed."""

    def __init__(self) -> None:
        self.offsets: dict[str, tuple[int, int]] = {}
        self.errors: list[str] = []

    def callback(self, article_id: str) -> Any:
        def report(err: Any, msg: Any) -> None:
            if err is not None:
                self.errors.append(f"{article_id}: {err}")
            else:
                self.offsets[article_id] = (msg.partition(), msg.offset())

        return report


def _producer(services: Any, **config: Any) -> Any:
    return confluent_kafka.Producer(
        {"bootstrap.servers": services.bootstrap_servers, "linger.ms": 20, **config}
    )


def _consume(
    services: Any, topic: str, dlq: str, bucket: str, group: str, *, without_snappy: bool = False
) -> subprocess.CompletedProcess[str]:
    env = services.env(
        NEWSFLOW_TOPIC=topic,
        NEWSFLOW_DLQ_TOPIC=dlq,
        NEWSFLOW_CONSUMER_GROUP=group,
        NEWSFLOW_STAGES="cleaning",
    )
    env.update({"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(Path.home())})
    program = ["-c", CONSUME_WITHOUT_SNAPPY] if without_snappy else ["-m", "flows.cli"]
    args = ["consume", "--until-idle", "--sink", f"s3://{bucket}/", "--max-wait", "1"]
    return subprocess.run(
        [sys.executable, *program, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _our_tracebacks(stderr: str) -> list[str]:
    """Tracebacks through the consumer's code. (Prefect's temporary API server sometimes logs
    one from its own database pool as it shuts down; that one is not about Kafka.)"""
    blocks = stderr.split("Traceback (most recent call last):")[1:]
    return [b[:2000] for b in blocks if "/flows/" in b or "/kafka/" in b]


def _stored_ids(services: Any, bucket: str) -> list[str]:
    client = services.s3_client()
    ids = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="raw/"):
        for obj in page.get("Contents", []):
            body = client.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read()
            ids.append(json.loads(body)["id"])
    return ids


def _read_all(services: Any, topic: str, expected: int, timeout: float = 30.0) -> list[Any]:
    """Every record of `topic`, read by librdkafka (so: readable by a client that is not ours)."""
    consumer = confluent_kafka.Consumer(
        {
            "bootstrap.servers": services.bootstrap_servers,
            "group.id": f"reader-{uuid.uuid4().hex[:8]}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    consumer.subscribe([topic])
    records: list[Any] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and len(records) < expected:
            msg = consumer.poll(0.5)
            if msg is not None and msg.error() is None:
                records.append(msg)
        # a little longer: more than expected must show too
        end = time.monotonic() + 2
        while time.monotonic() < end:
            msg = consumer.poll(0.2)
            if msg is not None and msg.error() is None:
                records.append(msg)
    finally:
        consumer.close()
    return records


def _lag(services: Any, topic: str, group: str) -> int:
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(
        bootstrap_servers=services.bootstrap_servers, group_id=group, enable_auto_commit=False
    )
    try:
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
        ends = consumer.end_offsets(parts)
        return sum(ends[tp] - (consumer.committed(tp) or 0) for tp in parts)
    finally:
        consumer.close()


@pytest.fixture
def topics(services: Any) -> Iterator[tuple[str, str]]:
    topic = services.create_topic(partitions=3, prefix="anyprod")
    dlq = services.create_topic(partitions=1, prefix="anyprod-dlq")
    yield topic, dlq
    for name in (topic, dlq):
        services.delete_topic(name)


def test_every_codec_key_header_idempotent_and_transaction_from_librdkafka(
    services: Any, s3_bucket: str, topics: tuple[str, str]
) -> None:
    topic, dlq = topics
    articles = _articles(40)
    sent = Sent()
    committed: set[str] = set()
    aborted: set[str] = set()

    # Every codec; per codec one article with key = id, one with no key, one with a binary key
    # and headers; partitions chosen by librdkafka's partitioner (keyless ones spread).
    for codec in CODECS:
        producer = _producer(services, **{"compression.type": codec})
        for shape in ("keyed", "no-key", "headers"):
            article_id, value = next(articles)
            key = {"keyed": article_id.encode(), "no-key": None, "headers": b"\xff\x00\x01"}[shape]
            headers = [("trace-id", b"abc"), ("empty", None)] if shape == "headers" else None
            producer.produce(
                topic, value=value, key=key, headers=headers, on_delivery=sent.callback(article_id)
            )
            committed.add(article_id)
        assert producer.flush(30) == 0

    idempotent = _producer(services, **{"enable.idempotence": True, "compression.type": "zstd"})
    for partition in (0, 1, 2):
        article_id, value = next(articles)
        idempotent.produce(
            topic, value=value, partition=partition, on_delivery=sent.callback(article_id)
        )
        committed.add(article_id)
    assert idempotent.flush(30) == 0

    # A transactional producer: 4 committed, 2 aborted (between commits, so aborted records sit
    # in the middle of the log with committed ones after them), then 2 more committed.
    txn = _producer(
        services,
        **{"transactional.id": f"anyprod-{uuid.uuid4().hex[:8]}", "compression.type": "lz4"},
    )
    txn.init_transactions(30)
    for count, outcome in ((4, "commit"), (2, "abort"), (2, "commit")):
        txn.begin_transaction()
        for i in range(count):
            article_id, value = next(articles)
            txn.produce(
                topic,
                value=value,
                key=article_id.encode(),
                partition=i % 3,
                on_delivery=sent.callback(article_id),
            )
            (committed if outcome == "commit" else aborted).add(article_id)
        if outcome == "commit":
            txn.commit_transaction(30)
        else:
            txn.flush(30)  # the records reach the log before the abort marker does
            txn.abort_transaction(30)
    assert not sent.errors
    assert {p for p, _ in sent.offsets.values()} == {0, 1, 2}

    group = f"anyprod-{uuid.uuid4().hex[:8]}"
    run = _consume(services, topic, dlq, s3_bucket, group)
    assert run.returncode == 0, run.stderr[-3000:]
    assert not _our_tracebacks(run.stderr)

    stored = _stored_ids(services, s3_bucket)
    assert sorted(stored) == sorted(committed)  # each committed article once, no aborted one
    assert not aborted & set(stored)
    assert f"processed {len(committed)} articles: {len(committed)} enriched, 0 dead" in run.stdout
    assert _lag(services, topic, group) == 0


def test_undecodable_batches_become_dead_letters_and_the_rest_is_stored(
    services: Any, s3_bucket: str, topics: tuple[str, str]
) -> None:
    """Partition 0 holds gzip, snappy, gzip, snappy, gzip batches; partition 1 uncompressed
    ones. The consumer lacks snappy: the two snappy batches become two dead letters with their
    exact offsets; the gzip batch between them, the one after and partition 1 are stored."""
    topic, dlq = topics
    articles = _articles(20)
    sent = Sent()
    gzip = _producer(services, **{"compression.type": "gzip"})
    snappy = _producer(services, **{"compression.type": "snappy"})
    plain = _producer(services, **{"compression.type": "none"})
    readable: set[str] = set()
    bad_runs: list[list[str]] = []
    for producer, count in ((gzip, 2), (snappy, 3), (gzip, 2), (snappy, 4), (gzip, 2)):
        ids = []
        for _ in range(count):
            article_id, value = next(articles)
            producer.produce(topic, value=value, partition=0, on_delivery=sent.callback(article_id))
            ids.append(article_id)
        assert producer.flush(30) == 0  # one batch per run of articles
        if producer is snappy:
            bad_runs.append(ids)
        else:
            readable.update(ids)
    for _ in range(3):
        article_id, value = next(articles)
        plain.produce(topic, value=value, partition=1, on_delivery=sent.callback(article_id))
        readable.add(article_id)
    assert plain.flush(30) == 0
    assert not sent.errors

    group = f"anyprod-{uuid.uuid4().hex[:8]}"
    run = _consume(services, topic, dlq, s3_bucket, group, without_snappy=True)
    assert run.returncode == 0, run.stderr[-3000:]
    assert not _our_tracebacks(run.stderr)

    assert sorted(_stored_ids(services, s3_bucket)) == sorted(readable)
    letters = [json.loads(m.value()) for m in _read_all(services, dlq, expected=len(bad_runs))]
    spans = sorted(
        (d["origin"]["partition"], d["origin"]["offset"], d["origin"]["last_offset"])
        for d in letters
    )
    expected = sorted((0, sent.offsets[ids[0]][1], sent.offsets[ids[-1]][1]) for ids in bad_runs)
    assert spans == expected
    for letter in letters:
        assert letter["stage"] == "decode"
        assert letter["error_type"] == "UnsupportedCodecError"
        assert "snappy" in letter["reason"]
        assert letter["origin"]["topic"] == topic
    assert _lag(services, topic, group) == 0

    # With the library back, a replay of the dead-lettered offsets reads them: the letters
    # named records that still sit in the topic.
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=services.bootstrap_servers)
    try:
        tp = TopicPartition(topic, 0)
        consumer.assign([tp])
        first, last = expected[0][1], expected[0][2]
        consumer.seek(tp, first)
        replayed: list[Any] = []
        deadline = time.monotonic() + 20
        while len(replayed) < last - first + 1 and time.monotonic() < deadline:
            replayed += consumer.poll(timeout_ms=500).get(tp, [])
        ids = [json.loads(m.value)["id"] for m in replayed[: last - first + 1]]
        assert ids == bad_runs[0]
    finally:
        consumer.close()


def test_a_record_over_the_fetch_limit_is_a_dead_letter_and_the_rest_is_stored(
    services: Any, s3_bucket: str
) -> None:
    """A topic may allow records larger than the consumer's per-partition fetch limit
    (max.message.bytes is per topic). Brokers since KIP-74 return such a record whole when it is
    the first of a fetch, so it reaches the flow and is refused there, by size, as a dead letter
    (kafka-python's RecordTooLargeError is only for brokers older than 0.10.1; the consumer
    handles it like any undecodable batch)."""
    from kafka.admin import NewTopic

    from flows.sources.kafka import MAX_FETCH_BYTES

    topic = f"anyprod-big-{uuid.uuid4().hex[:12]}"
    dlq = services.create_topic(partitions=1, prefix="anyprod-dlq")
    admin = services.kafka_admin()
    try:
        admin.create_topics(
            [
                NewTopic(
                    name=topic,
                    num_partitions=2,
                    replication_factor=1,
                    topic_configs={"max.message.bytes": str(2 * MAX_FETCH_BYTES)},
                )
            ],
            timeout_ms=10_000,
        )
    finally:
        admin.close()
    try:
        articles = _articles(3)
        sent = Sent()
        producer = _producer(
            services, **{"compression.type": "none", "message.max.bytes": 2 * MAX_FETCH_BYTES}
        )
        small = [next(articles) for _ in range(3)]
        # Incompressible text, so the record stays over the limit on the wire too.
        big_body = base64.b64encode(os.urandom(int(MAX_FETCH_BYTES * 0.8))).decode()
        big = json.dumps({"id": "too-big", "body": big_body}).encode()
        assert len(big) > MAX_FETCH_BYTES
        # partition 0: a small article, the big one, a small one; partition 1: a small one
        for value, partition, label in (
            (small[0][1], 0, "small"),
            (big, 0, "too-big"),
            (small[1][1], 0, "small"),
        ):
            producer.produce(
                topic, value=value, partition=partition, on_delivery=sent.callback(label)
            )
            assert producer.flush(60) == 0  # each its own batch
        producer.produce(topic, value=small[2][1], partition=1)
        assert producer.flush(30) == 0
        assert not sent.errors, sent.errors

        group = f"anyprod-{uuid.uuid4().hex[:8]}"
        run = _consume(services, topic, dlq, s3_bucket, group)
        assert run.returncode == 0, run.stderr[-3000:]
        assert not _our_tracebacks(run.stderr)
        assert sorted(_stored_ids(services, s3_bucket)) == sorted(i for i, _ in small)
        (letter,) = [json.loads(m.value()) for m in _read_all(services, dlq, expected=1)]
        assert letter["error_type"] == "PayloadTooLarge"
        assert (letter["origin"]["partition"], letter["origin"]["offset"]) == sent.offsets[
            "too-big"
        ]
        assert _lag(services, topic, group) == 0
    finally:
        services.delete_topic(topic)
        services.delete_topic(dlq)

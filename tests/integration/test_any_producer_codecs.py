"""`newsflow produce --compression C` for every codec, read back by a client that is not
kafka-python (librdkafka): what we publish, any consumer can read (issue 22)."""

from __future__ import annotations

import time
import uuid
from typing import Any

import confluent_kafka
import pytest

from bench.corpus import generate
from flows.config import COMPRESSION_CODECS, Compression, KafkaSettings
from flows.produce import publish

pytestmark = pytest.mark.integration


def _read(bootstrap: str, topic: str, expected: int, timeout: float = 30.0) -> list[Any]:
    consumer = confluent_kafka.Consumer(
        {
            "bootstrap.servers": bootstrap,
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
            if msg is not None:
                assert msg.error() is None, msg.error()
                records.append(msg)
    finally:
        consumer.close()
    return records


@pytest.mark.parametrize("codec", COMPRESSION_CODECS)
def test_published_with_each_codec_librdkafka_reads_it(
    services_env: Any, kafka_topic: str, codec: Compression
) -> None:
    articles = generate(12, words=80, seed=23)
    assert publish(articles, KafkaSettings(), kafka_topic, compression=codec) == len(articles)
    records = _read(services_env.bootstrap_servers, kafka_topic, len(articles))
    assert [m.value() for m in records] == [
        a.model_dump_json(exclude_none=True).encode() for a in articles
    ]
    assert [m.key() for m in records] == [a.id.encode() for a in articles]

"""`newsflow produce --compression C` for every codec, read back by a client that is not
kafka-python (librdkafka): what we publish, any consumer can read (issue 22)."""

from __future__ import annotations

import json
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


def test_codec_bench_measures_every_codec_on_the_broker(services_env: Any) -> None:
    """`newsflow bench --codecs` end to end on a small corpus: one row per codec, the stored
    bytes read from the broker (uncompressed is the JSON plus record overhead, every codec
    smaller), and both rates measured."""
    from typer.testing import CliRunner

    from flows.cli import app

    result = CliRunner().invoke(app, ["bench", "--codecs", "--articles", "40", "--runs", "1"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    rows = {row["codec"]: row for row in report["codecs"]}
    assert list(rows) == list(COMPRESSION_CODECS)
    assert 0.9 < rows["none"]["ratio"] <= 1.0
    for codec in ("gzip", "snappy", "lz4", "zstd"):
        assert rows[codec]["ratio"] > 1.5, rows[codec]
    for row in rows.values():
        assert row["produce_articles_per_s"] > 0 and row["consume_articles_per_s"] > 0

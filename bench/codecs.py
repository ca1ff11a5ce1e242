"""`newsflow bench --codecs`: bytes on the wire, produce rate and consume rate per Kafka codec.

What the default codec of `newsflow produce` and of the dead-letter producer is chosen from
(flows.config.DEFAULT_COMPRESSION; docs/performance.md, "Compression codecs").

Each codec gets its own one-partition topic. The articles are sent by the project's own producer
(`make_producer(bulk=True)`: 1 MiB batches, idempotent, acks=all) and timed from the first send to
the end of the flush; the bytes are what the broker stores for the topic (its log size, read with
DescribeLogDirs: the record batches exactly as they crossed the wire); then a consumer with the
source's fetch settings reads them all back, timed from its first poll to the last record.
Rates are articles per second; the ratio is JSON bytes over stored bytes. Every codec runs
`--runs` times, interleaved; the median is shown with every run.

The articles must be distinct: a batch of copies compresses far better than real traffic. The
default corpus is the generated bench corpus (templates, so somewhat more repetitive than real
news); `--codec-corpus PATH` measures real articles instead (files as `newsflow produce` reads).
"""

from __future__ import annotations

import statistics
import time
import uuid
from pathlib import Path
from typing import Any

from flows.config import COMPRESSION_CODECS, Compression, KafkaSettings, kafka_client_options
from flows.sinks.kafka_dlq import SEND_TIMEOUT_S, make_producer
from schemas import RawArticle

CONSUME_TIMEOUT_S = 120.0


def article_payloads(articles: list[RawArticle]) -> list[tuple[bytes, bytes]]:
    """(key, value) exactly as `newsflow produce` sends them."""
    return [
        (a.id.encode("utf-8"), a.model_dump_json(exclude_none=True).encode("utf-8"))
        for a in articles
    ]


def load_articles(path: Path) -> list[RawArticle]:
    """Every valid article under `path` (invalid files are left out, as `produce` does)."""
    from flows.produce import validate_files

    articles, _ = validate_files([path])
    if not articles:
        raise ValueError(f"--codec-corpus {path}: no valid articles there")
    return articles


def _log_bytes(config: KafkaSettings, topic: str) -> int:
    """What the broker stores for `topic` (all partitions, all log dirs)."""
    from kafka.admin import KafkaAdminClient

    admin = KafkaAdminClient(**kafka_client_options(config))
    try:
        answer = admin.describe_log_dirs({topic: [0]})
    finally:
        admin.close()
    total = 0
    for broker in answer:
        for log_dir in broker["log_dirs"]:
            for t in log_dir.get("topics", []):
                if t.get("name") == topic:
                    total += sum(p.get("partition_size", 0) for p in t.get("partitions", []))
    return total


def _produce(
    config: KafkaSettings, topic: str, payloads: list[tuple[bytes, bytes]], codec: Compression
) -> float:
    producer = make_producer(config, bulk=True, compression=codec)
    try:
        producer.partitions_for(topic)  # connected, metadata known: outside the clock
        started = time.perf_counter()
        futures = [producer.send(topic, key=k, value=v) for k, v in payloads]
        producer.flush(timeout=SEND_TIMEOUT_S)
        for f in futures:
            f.get(timeout=SEND_TIMEOUT_S)
        return time.perf_counter() - started
    finally:
        producer.close(timeout=SEND_TIMEOUT_S)


def _consume(config: KafkaSettings, topic: str, expected: int) -> float:
    from kafka import KafkaConsumer, TopicPartition

    from flows.config import kafka_consumer_read_options
    from flows.sources.kafka import MAX_FETCH_BYTES

    consumer = KafkaConsumer(
        enable_auto_commit=False,
        max_partition_fetch_bytes=MAX_FETCH_BYTES,
        fetch_max_bytes=4 * MAX_FETCH_BYTES,
        **kafka_consumer_read_options(config),
        **kafka_client_options(config),
    )
    try:
        tp = TopicPartition(topic, 0)
        consumer.assign([tp])
        consumer.end_offsets([tp])  # connected to the leader: outside the clock
        consumer.seek(tp, 0)
        seen = 0
        started = time.perf_counter()
        deadline = time.monotonic() + CONSUME_TIMEOUT_S
        while seen < expected:
            if time.monotonic() > deadline:
                raise RuntimeError(f"codec bench: read {seen} of {expected} from {topic}")
            records = consumer.poll(timeout_ms=500, max_records=1000)
            seen += sum(len(batch) for batch in records.values())
        return time.perf_counter() - started
    finally:
        consumer.close()


def measure_codec(
    config: KafkaSettings, payloads: list[tuple[bytes, bytes]], codec: Compression
) -> dict[str, Any]:
    """One run of one codec on a fresh topic."""
    from bench.e2e import _create_topic, _delete_topics

    topic = f"bench-codec-{codec}-{uuid.uuid4().hex[:8]}"
    _create_topic(config, topic, 1)
    try:
        produce_s = _produce(config, topic, payloads, codec)
        stored = _log_bytes(config, topic)
        consume_s = _consume(config, topic, len(payloads))
    finally:
        _delete_topics(config, [topic])
    return {"stored": stored, "produce_s": produce_s, "consume_s": consume_s}


def _row(
    codec: str, payloads: list[tuple[bytes, bytes]], runs: list[dict[str, Any]]
) -> dict[str, Any]:
    n = len(payloads)
    json_bytes = sum(len(v) for _, v in payloads)
    stored = int(statistics.median(r["stored"] for r in runs))
    produce = [n / r["produce_s"] for r in runs]
    consume = [n / r["consume_s"] for r in runs]
    return {
        "codec": codec,
        "json_mb": round(json_bytes / 1e6, 2),
        "stored_mb": round(stored / 1e6, 2),
        "ratio": round(json_bytes / stored, 2) if stored else None,
        "produce_articles_per_s": round(statistics.median(produce), 1),
        "consume_articles_per_s": round(statistics.median(consume), 1),
        "produce_runs": [round(r, 1) for r in produce],
        "consume_runs": [round(r, 1) for r in consume],
    }


def run_codecs(
    config: KafkaSettings,
    articles: list[RawArticle],
    corpus: str,
    codecs: tuple[Compression, ...] = COMPRESSION_CODECS,
    runs: int = 3,
) -> dict[str, Any]:
    """Every codec `runs` times, interleaved (none, gzip, ..., none, gzip, ...) so that a load
    change on the machine touches every codec alike; medians per codec, every run beside them."""
    payloads = article_payloads(articles)
    measured: dict[str, list[dict[str, Any]]] = {codec: [] for codec in codecs}
    for _ in range(runs):
        for codec in codecs:
            measured[codec].append(measure_codec(config, payloads, codec))
    return {
        "corpus": corpus,
        "articles": len(payloads),
        "mean_article_bytes": round(sum(len(v) for _, v in payloads) / len(payloads)),
        "runs": runs,
        "codecs": [_row(codec, payloads, measured[codec]) for codec in codecs],
    }

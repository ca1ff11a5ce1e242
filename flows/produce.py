"""`newsflow produce`: validate article files and publish the valid ones to the raw topic."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flows.config import Compression, KafkaSettings
from flows.sinks.kafka_dlq import SEND_TIMEOUT_S, make_producer
from flows.sources.files import FileSource
from schemas import RawArticle
from workers.base import StageFailure
from workers.decode import decode_raw_article


@dataclass
class ProduceReport:
    sent: int = 0
    invalid: list[tuple[str, str]] = field(default_factory=list)


def validate_files(paths: list[Path]) -> tuple[list[RawArticle], list[tuple[str, str]]]:
    """Every article the files hold, or (where, why) for each that is not a valid RawArticle."""
    valid: list[RawArticle] = []
    invalid: list[tuple[str, str]] = []
    for envelope in FileSource(paths).envelopes():
        decoded = decode_raw_article(envelope.payload)
        where = envelope.origin.path or "?"
        if isinstance(decoded, StageFailure):
            invalid.append((where, f"{decoded.error_type}: {decoded.reason}"))
        else:
            valid.append(decoded)
    return valid, invalid


def publish(
    articles: list[RawArticle],
    config: KafkaSettings,
    topic: str | None = None,
    compression: Compression | None = None,
) -> int:
    """Key = article id, so all versions of an article land in one partition, in order.

    A bulk load: the articles go out in large batches (one request per partition's share where
    they fit), compressed together (`compression`, else the configured codec), and arrive at the
    broker together."""
    producer = make_producer(config, bulk=True, compression=compression)
    try:
        futures = [
            producer.send(
                topic or config.topic,
                key=a.id.encode("utf-8"),
                value=a.model_dump_json(exclude_none=True).encode("utf-8"),
            )
            for a in articles
        ]
        producer.flush(timeout=SEND_TIMEOUT_S)
        for f in futures:
            f.get(timeout=SEND_TIMEOUT_S)
    finally:
        producer.close(timeout=SEND_TIMEOUT_S)
    return len(articles)

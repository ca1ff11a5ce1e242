"""Dead letters of the Kafka flow go to the DLQ topic, beside the raw topic they came from."""

from __future__ import annotations

from kafka import KafkaProducer

from flows.config import (
    Compression,
    KafkaSettings,
    kafka_client_options,
    kafka_producer_codec_options,
)
from schemas import DeadLetter

SEND_TIMEOUT_S = 30


def make_producer(
    config: KafkaSettings, bulk: bool = False, compression: Compression | None = None
) -> KafkaProducer:
    """acks=all with idempotence: a retried send never duplicates.

    `compression` is a codec name (none, gzip, snappy, lz4, zstd); unset, the setting's
    (NEWSFLOW_KAFKA_COMPRESSION, by default zstd: measured, docs/performance.md).

    `bulk` is for callers that send a whole load and then flush (`publish`): record batches of
    1 MiB per partition instead of kafka-python's 16 KiB (about four articles), held until the
    flush. With small batches the first articles of a load reach the broker alone, and a consumer
    that is waiting takes them as a batch of four.
    """
    return KafkaProducer(
        acks="all",
        enable_idempotence=True,
        **kafka_producer_codec_options(config, compression),
        linger_ms=5_000 if bulk else 20,
        batch_size=1024 * 1024 if bulk else 16 * 1024,
        max_request_size=8 * 1024 * 1024,
        **kafka_client_options(config),
    )


class KafkaDeadLetterSink:
    """A DeadLetterSink (flows.sinks.protocols) on the DLQ topic; `open` connects the producer."""

    def __init__(self, config: KafkaSettings, producer: KafkaProducer | None = None) -> None:
        self.config = config
        self.topic = config.dlq_topic
        self.producer = producer

    def describe(self) -> str:
        return f"kafka:{self.topic}"

    def open(self) -> None:
        if self.producer is None:
            self.producer = make_producer(self.config)

    def write_batch(self, records: list[DeadLetter]) -> list[str]:
        if self.producer is None:
            raise RuntimeError(f"the dead-letter sink {self.describe()} is not open")
        futures = []
        for letter in records:
            key = letter.article_id or letter.origin.key
            futures.append(
                self.producer.send(
                    self.topic,
                    key=key.encode("utf-8") if key else None,
                    value=letter.model_dump_json().encode("utf-8"),
                    headers=[
                        ("newsflow-stage", letter.stage.value.encode()),
                        ("newsflow-error", letter.error_type.encode()),
                    ],
                )
            )
        self.producer.flush(timeout=SEND_TIMEOUT_S)
        # .get() raises if the broker did not take a letter: the batch then fails and is retried
        # with its offsets uncommitted, so no dead letter is lost either.
        return [
            f"{self.topic}[{m.partition}]@{m.offset}"
            for m in (f.get(timeout=SEND_TIMEOUT_S) for f in futures)
        ]

    def close(self) -> None:
        if self.producer is not None:
            self.producer.close(timeout=SEND_TIMEOUT_S)
            self.producer = None

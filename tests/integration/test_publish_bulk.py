"""A load published to a consumer that is already waiting arrives as full batches.

Found by the bench's timeline: with kafka-python's default 16 KiB record batches the first
articles of a load reached the broker alone, the waiting consumer took them as a batch of four and,
being caught up, stored that batch alone before reading on.
"""

from __future__ import annotations

import threading
import time
import uuid

import pytest

from bench.corpus import generate
from flows.config import KafkaSettings
from flows.produce import publish
from flows.sources.base import Envelope
from flows.sources.kafka import KafkaSource

pytestmark = pytest.mark.integration

MAX_BATCH = 64


def test_a_load_reaches_a_waiting_consumer_as_full_batches(services) -> None:
    topic = services.create_topic(partitions=2, prefix="bulk")
    config = KafkaSettings(
        bootstrap_servers=services.bootstrap_servers,
        topic=topic,
        dlq_topic=f"{topic}.dlq",
        group=f"bulk-{uuid.uuid4().hex[:8]}",
    )
    source = KafkaSource(config, max_wait=20.0)
    first: list[list[Envelope]] = []
    reader = threading.Thread(target=lambda: first.append(next(source.batches(MAX_BATCH))))
    try:
        reader.start()
        deadline = time.monotonic() + 60
        while not source.consumer.assignment() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert source.consumer.assignment(), "the consumer never joined its group"
        time.sleep(0.5)  # it is now waiting in a fetch on the empty topic

        articles = generate(3 * MAX_BATCH, words=600, seed=21)
        assert publish(articles, config, topic) == len(articles)
        reader.join(timeout=60)

        assert first, "no batch was read"
        assert len(first[0]) == MAX_BATCH
    finally:
        reader.join(timeout=60)
        source.close()

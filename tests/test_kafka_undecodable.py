"""How the consumer finds and steps past record batches it cannot decode (issue 22), against a
consumer double that behaves as kafka-python 3.0 does: a bad batch raises out of the whole poll,
naming no partition, and a poll at the same position after the failure would spin for ever.
The real broker and client are exercised in tests/integration/test_any_producer.py."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from kafka import TopicPartition
from kafka.errors import (
    CorruptRecordError,
    KafkaConnectionError,
    KafkaError,
    KafkaTimeoutError,
    UnsupportedCodecError,
)
from pydantic import ValidationError

from flows.config import KafkaSettings, kafka_consumer_read_options, kafka_producer_codec_options
from flows.sources.kafka_undecodable import is_undecodable_error, skip_undecodable


@dataclass
class Batch:
    first: int
    last: int
    bad: bool = False


@dataclass
class FakeConsumer:
    """Each partition a list of batches; poll returns records of one fetch per partition."""

    log: dict[TopicPartition, list[Batch]]
    positions: dict[TopicPartition, int] = field(default_factory=dict)
    paused: set[TopicPartition] = field(default_factory=set)
    spun_at: dict[TopicPartition, int] = field(default_factory=dict)
    polls: int = 0

    def __post_init__(self) -> None:
        self.positions = {tp: 0 for tp in self.log}

    def assignment(self) -> set[TopicPartition]:
        return set(self.log)

    def position(self, partition: TopicPartition) -> int:
        return self.positions[partition]

    def seek(self, partition: TopicPartition, offset: int) -> None:
        self.positions[partition] = offset

    def pause(self, *partitions: TopicPartition) -> None:
        self.paused.update(partitions)

    def resume(self, *partitions: TopicPartition) -> None:
        self.paused.difference_update(partitions)

    def end_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        return {tp: self.log[tp][-1].last + 1 for tp in partitions}

    def poll(
        self, timeout_ms: int = 0, max_records: int | None = None, update_offsets: bool = True
    ) -> Mapping[TopicPartition, Sequence[Any]]:
        self.polls += 1
        out: dict[TopicPartition, list[int]] = {}
        for tp in sorted(self.log, key=lambda t: t.partition):
            if tp in self.paused:
                continue
            position = self.positions[tp]
            if self.spun_at.get(tp) == position:
                raise AssertionError(f"polled {tp} again at {position}: kafka-python would spin")
            self.spun_at.pop(tp, None)
            batch = next((b for b in self.log[tp] if b.last >= position), None)
            if batch is None:
                continue
            if batch.bad:
                self.spun_at[tp] = position
                raise UnsupportedCodecError("Libraries for snappy compression codec not found")
            offsets = list(range(max(position, batch.first), batch.last + 1))[: max_records or 500]
            out[tp] = offsets
            self.positions[tp] = offsets[-1] + 1
        return out


TP0, TP1 = TopicPartition("t", 0), TopicPartition("t", 1)


def _drain(consumer: FakeConsumer) -> tuple[list[int], list[tuple[int, int, int]]]:
    """Poll as KafkaSource does until nothing is left: records read, spans dead-lettered."""
    read: list[int] = []
    spans: list[tuple[int, int, int]] = []
    for _ in range(100):
        try:
            records = consumer.poll(max_records=10)
        except Exception as exc:
            assert is_undecodable_error(exc)
            found = skip_undecodable(consumer, exc)
            assert found
            spans += [(s.partition, s.first_offset, s.last_offset) for s in found]
            continue
        if not records:
            break
        read += [o for offsets in records.values() for o in offsets]
    return read, spans


def test_each_bad_batch_is_one_span_and_a_good_batch_between_two_bad_ones_is_read() -> None:
    consumer = FakeConsumer(
        {
            TP0: [Batch(0, 1), Batch(2, 4, bad=True), Batch(5, 5), Batch(6, 9, bad=True)],
            TP1: [Batch(0, 2), Batch(3, 5)],
        }
    )
    consumer.log[TP0].append(Batch(10, 12))
    read, spans = _drain(consumer)
    assert spans == [(0, 2, 4), (0, 6, 9)]
    assert sorted(read) == sorted([0, 1, 5, 10, 11, 12, 0, 1, 2, 3, 4, 5])  # p0, then p1
    assert consumer.positions == {TP0: 13, TP1: 6}
    assert not consumer.paused


def test_a_bad_batch_at_the_end_of_the_log_ends_the_span_at_the_end() -> None:
    consumer = FakeConsumer({TP0: [Batch(0, 3), Batch(4, 7, bad=True)], TP1: [Batch(0, 0)]})
    read, spans = _drain(consumer)
    assert spans == [(0, 4, 7)]
    assert sorted(read) == [0, 0, 1, 2, 3]
    assert consumer.positions[TP0] == 8


def test_an_error_no_partition_reproduces_is_not_a_span() -> None:
    consumer = FakeConsumer({TP0: [Batch(0, 3)], TP1: [Batch(0, 3)]})
    consumer.seek(TP0, 2)
    assert skip_undecodable(consumer, ValueError("not about a batch")) == []
    assert consumer.positions == {TP0: 2, TP1: 0}  # every partition back where it was
    assert not consumer.paused


@pytest.mark.parametrize(
    ("exc", "undecodable"),
    [
        (UnsupportedCodecError("snappy"), True),
        (CorruptRecordError("crc"), True),
        (KafkaError("Failed to make progress reading messages"), True),
        (OSError("Not a gzipped file"), True),
        (RuntimeError("LZ4F_decompress failed"), True),
        (KafkaConnectionError("refused"), False),
        (KafkaTimeoutError(), False),
        (KeyboardInterrupt(), False),
    ],
)
def test_which_poll_errors_may_be_a_bad_batch(exc: BaseException, undecodable: bool) -> None:
    assert is_undecodable_error(exc) is undecodable


def test_codec_and_isolation_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSFLOW_KAFKA_ISOLATION_LEVEL", raising=False)
    monkeypatch.delenv("NEWSFLOW_KAFKA_COMPRESSION", raising=False)
    default = KafkaSettings()
    assert kafka_consumer_read_options(default) == {"isolation_level": "read_committed"}
    assert kafka_producer_codec_options(default) == {"compression_type": "zstd"}
    assert kafka_producer_codec_options(default, "none") == {"compression_type": None}  # a flag
    monkeypatch.setenv("NEWSFLOW_KAFKA_ISOLATION_LEVEL", "read_uncommitted")
    monkeypatch.setenv("NEWSFLOW_KAFKA_COMPRESSION", "gzip")
    chosen = KafkaSettings()
    assert kafka_consumer_read_options(chosen) == {"isolation_level": "read_uncommitted"}
    assert kafka_producer_codec_options(chosen) == {"compression_type": "gzip"}
    monkeypatch.setenv("NEWSFLOW_KAFKA_ISOLATION_LEVEL", "dirty")
    with pytest.raises(ValidationError, match="read_committed"):
        KafkaSettings()


def test_produce_refuses_an_unknown_codec_before_it_connects() -> None:
    from typer.testing import CliRunner

    from flows.cli import app
    from tests.conftest import SEEDS

    result = CliRunner().invoke(app, ["produce", str(SEEDS), "--compression", "brotli"])
    assert result.exit_code == 2
    assert "--compression 'brotli': use one of none, gzip, snappy, lz4, zstd" in result.output

"""A record batch the consumer cannot decode becomes a span to dead-letter, not a crashed run.

How kafka-python (3.0, `kafka/consumer/fetcher.py`) surfaces such a batch: records are decoded
lazily while `poll()` drains fetched data, so a batch it cannot read (a codec whose library is
missing: UnsupportedCodecError; a CRC mismatch: CorruptRecordError; bytes the codec library
rejects: zlib, lz4, zstd or snappy errors; a batch that never arrives whole: a bare KafkaError
"Failed to make progress") raises out of the whole `poll()`, not per partition, and names
neither partition nor offset. Records the same poll had already drained from other partitions
are returned first and the error comes from the next poll. The failing partition's position
stays at the first record not returned, and its buffered data is left half-read: a poll at that
same position loops for ever (the spent iterator keeps yielding nothing), so the position must
move before the next poll.

What this module does about it, with the consumer's public API only (pause, seek, poll):

1. find the partition: each assigned partition is polled alone (the others paused) from its
   position; the one that fails again is the culprit. If none does, the error was not about a
   batch and is raised as it was.
2. find where the undecodable run ends: the broker always returns whole batches, so a fetch from
   any offset inside a bad batch fails again. Offsets are probed one by one (never by bisection,
   which could jump over a good batch between two bad ones and lose it) up to a budget; the span
   found is [position, first offset that reads). A run longer than the budget becomes several
   spans, one per poll, so other partitions are served in between.
3. every other partition goes back to its position; the culprit resumes after the span.

The caller turns each span into a dead letter (topic, partition, first and last offset, the
error) and commits past it once it is stored, as it does for any other message.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

from kafka import TopicPartition
from kafka.consumer.fetcher import RecordTooLargeError
from kafka.errors import CorruptRecordError, KafkaError, UnsupportedCodecError

logger = logging.getLogger(__name__)

#: Offsets probed one by one before a span is cut and handed on (about 1-3 ms each on a local
#: broker); a longer run of undecodable records continues as the next span on the next poll.
MAX_PROBES_PER_SPAN = 2_000

#: How long one probe waits for the broker before it counts as "nothing to read here".
PROBE_TIMEOUT_S = 3.0


class ConsumerLike(Protocol):
    """The part of kafka-python's KafkaConsumer this module uses."""

    def poll(
        self, timeout_ms: int = 0, max_records: int | None = None, update_offsets: bool = True
    ) -> Mapping[TopicPartition, Sequence[Any]]: ...
    def assignment(self) -> set[TopicPartition]: ...
    def position(self, partition: TopicPartition) -> int: ...
    def seek(self, partition: TopicPartition, offset: int) -> None: ...
    def pause(self, *partitions: TopicPartition) -> None: ...
    def resume(self, *partitions: TopicPartition) -> None: ...
    def end_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]: ...


@dataclass(frozen=True, slots=True)
class UndecodableSpan:
    """Offsets first..last of one partition that the consumer could not decode."""

    topic: str
    partition: int
    first_offset: int
    last_offset: int
    error_type: str
    error: str

    @property
    def reason(self) -> str:
        # kafka-python's own errors already start with their class name
        error = (
            self.error
            if self.error.startswith(self.error_type)
            else (f"{self.error_type}: {self.error}")
        )
        return (
            f"record batch at offsets {self.first_offset}-{self.last_offset} of "
            f"{self.topic}[{self.partition}] could not be decoded by the consumer ({error}); "
            "skipped, the records stay in the topic for a replay once the cause is fixed"
        )


def is_undecodable_error(exc: BaseException) -> bool:
    """Errors that can come from reading a record batch rather than from the broker connection.

    Connection and broker errors are KafkaError subclasses (retriable or not) and are left to the
    caller; anything else raised by poll() comes from decoding (zlib, lz4, zstd, snappy, struct),
    and is confirmed by reproducing it on one partition before it is treated as a bad batch.
    """
    if isinstance(exc, CorruptRecordError | UnsupportedCodecError | RecordTooLargeError):
        return True
    if type(exc) is KafkaError:  # "Failed to make progress reading messages at ..."
        return True
    return isinstance(exc, Exception) and not isinstance(exc, KafkaError)


class _Probe(Enum):
    FAILS = "fails"  # the batch holding this offset cannot be decoded
    READS = "reads"  # a record came back, or the position moved past skipped batches
    QUIET = "quiet"  # nothing to read from here (the end, or the last stable offset)


def _probe(consumer: ConsumerLike, tp: TopicPartition, offset: int) -> tuple[_Probe, str, str]:
    consumer.seek(tp, offset)
    deadline = time.monotonic() + PROBE_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            records = consumer.poll(timeout_ms=100, max_records=1)
        except Exception as exc:
            if not is_undecodable_error(exc):
                raise
            return _Probe.FAILS, type(exc).__name__, str(exc) or repr(exc)
        if records.get(tp) or consumer.position(tp) > offset:
            return _Probe.READS, "", ""
    return _Probe.QUIET, "", ""


def _leave_half_read_data(consumer: ConsumerLike, tp: TopicPartition, position: int) -> None:
    """Move `tp` off `position` for one poll, so kafka-python drops the data it left half-read
    there (polling at the same position would spin for ever)."""
    consumer.seek(tp, position + 1)
    try:
        consumer.poll(timeout_ms=0, max_records=1)
    except Exception as exc:
        if not is_undecodable_error(exc):
            raise


def _span_end(
    consumer: ConsumerLike, tp: TopicPartition, first: int, end: int
) -> tuple[int, str, str]:
    """The first offset after `first` that reads (or `end`), probing offset by offset."""
    offset = first + 1
    error_type = error = ""
    while offset < end and offset - first <= MAX_PROBES_PER_SPAN:
        outcome, etype, err = _probe(consumer, tp, offset)
        if outcome is not _Probe.FAILS:
            return offset, error_type, error
        error_type, error = error_type or etype, error or err
        offset += 1
    return offset, error_type, error


def skip_undecodable(consumer: ConsumerLike, original: BaseException) -> list[UndecodableSpan]:
    """After `poll()` raised `original`: find the partition and offsets it cannot decode, leave
    every partition ready to poll again (the culprit past the span) and return the span.

    Returns [] when no partition reproduces the error (the caller then raises `original`).
    """
    assigned = sorted(consumer.assignment(), key=lambda tp: (tp.topic, tp.partition))
    if not assigned:
        return []
    positions = {tp: consumer.position(tp) for tp in assigned}
    ends = consumer.end_offsets(assigned)
    spans: list[UndecodableSpan] = []
    resume_at = dict(positions)
    consumer.pause(*assigned)
    try:
        for tp in assigned:
            start = positions[tp]
            if start >= ends[tp]:
                continue  # nothing to read there, so not the culprit
            consumer.resume(tp)
            try:
                _leave_half_read_data(consumer, tp, start)
                outcome, error_type, error = _probe(consumer, tp, start)
                if outcome is _Probe.FAILS:
                    after, _, _ = _span_end(consumer, tp, start, ends[tp])
                    spans.append(
                        UndecodableSpan(tp.topic, tp.partition, start, after - 1, error_type, error)
                    )
                    resume_at[tp] = after
            finally:
                consumer.pause(tp)
            if spans:
                break  # one span per poll: the other partitions are served in between
    finally:
        still = consumer.assignment()  # a rebalance may have taken partitions meanwhile
        for tp in assigned:
            if tp in still:
                consumer.seek(tp, resume_at[tp])
        consumer.resume(*(tp for tp in assigned if tp in still))
    for span in spans:
        logger.error("dead-lettering undecodable records: %s", span.reason)
    if not spans:
        logger.error(
            "poll failed (%s: %s) but no partition reproduces it alone",
            type(original).__name__,
            original,
        )
    return spans

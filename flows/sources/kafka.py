"""Micro-batches from the raw topic with a consumer group and manual commits.

Auto-commit is off: the flow commits a batch's offsets only after the batch is stored or
dead-lettered, which is what makes delivery at-least-once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Iterator
from typing import Any, TypeVar

from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaError
from kafka.structs import OffsetAndMetadata

from flows.config import (
    DEFAULT_MAX_WAIT_S,
    KafkaSettings,
    kafka_client_options,
    kafka_consumer_read_options,
)
from flows.failures import Cause, Unavailable, is_transient_kafka, retrying, short
from flows.sources.base import Envelope, Source
from flows.sources.kafka_undecodable import UndecodableSpan, is_undecodable_error, skip_undecodable
from schemas import FailedStage, Origin
from workers.base import StageFailure

#: Large enough for the biggest message a producer may send (RawArticle bounds the body at 5 MB).
MAX_FETCH_BYTES = 8 * 1024 * 1024

#: How long the broker waits for a silent consumer before giving its partitions to another.
#: kafka-python's default (45 s) made a consumer restarted after a crash (SIGKILL, OOM) sit idle
#: for 45 s; heartbeats come from a background thread, so a slow batch never trips 10 s (slow
#: batches are bounded by max_poll_interval_ms instead).
SESSION_TIMEOUT_MS = 10_000

#: How long a call to the broker is retried through an outage (a restart takes ~10-30 s) before
#: the run gives up. Giving up is safe: uncommitted batches are read again by the next run.
BROKER_OUTAGE_S = 180.0

#: Longest one call to the broker may block. kafka-python's own waits run to 30 s or more (a sync
#: commit keeps retrying a coordinator that is gone); bounded, a call that times out comes back to
#: `_through_outage`, which retries it or, once a stop is requested, gives up.
CALL_TIMEOUT_MS = 5_000

#: Once a stop is requested, what is still said to the broker on the way out (the last commit,
#: the lag report, leaving the group) waits at most this: SIGTERM is answered within seconds.
STOPPING_TIMEOUT_MS = 1_000

logger = logging.getLogger(__name__)
T = TypeVar("T")


class KafkaSource(Source):
    def __init__(
        self,
        config: KafkaSettings,
        max_wait: float = DEFAULT_MAX_WAIT_S,
        until_idle: bool = False,
        should_stop: Callable[[], bool] = lambda: False,
        max_batches: int | None = None,
    ) -> None:
        self.config = config
        self.max_wait = max_wait
        self.until_idle = until_idle
        self.should_stop = should_stop
        self.max_batches = max_batches
        self.consumer = KafkaConsumer(
            config.topic,
            group_id=config.group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_partition_fetch_bytes=MAX_FETCH_BYTES,
            fetch_max_bytes=4 * MAX_FETCH_BYTES,
            session_timeout_ms=SESSION_TIMEOUT_MS,
            heartbeat_interval_ms=SESSION_TIMEOUT_MS // 4,
            **kafka_consumer_read_options(config),
            **kafka_client_options(config),
        )
        self.first_offset: dict[int, int] = {}
        self.last_offset: dict[int, int] = {}
        #: The last offset handed to the flow per partition (see `_past_markers`).
        self.delivered: dict[TopicPartition, int] = {}

    def describe(self) -> str:
        return f"kafka:{self.config.topic}"

    def _drained(self) -> bool:
        """True when this consumer has read each of its partitions to its end and the whole group
        has nothing left to read on the topic.

        Its own partitions are not enough: after a member dies, the broker hands its partitions
        on only once the member's session expires (SESSION_TIMEOUT_MS). A survivor that stopped
        at the end of its own partitions inside that window would leave the dead member's backlog
        unread by a run that was asked to drain the topic (seen in the scale-out test on an idle
        machine). Holding no partition (more consumers than partitions, or a rebalance under
        way) is the same case, so both wait until the other partitions' committed lag is zero.
        This consumer's own partitions are judged by its read position, not its commits: the
        drain commits its last batches only after this source stops (flows.stream), so waiting
        for their commits here would wait for ever.
        """
        assigned = self.consumer.assignment()
        if assigned:
            ends = self.consumer.end_offsets(list(assigned), timeout_ms=self._timeout_ms())
            if not all(self.consumer.position(tp) >= ends[tp] for tp in assigned):
                return False
        return self._group_lag(excluding=assigned) == 0

    def _group_lag(self, excluding: Collection[TopicPartition] = ()) -> int:
        """Records the group has not committed on the topic's partitions, but `excluding`."""
        partitions = self.consumer.partitions_for_topic(self.config.topic) or set()
        parts = [
            tp
            for tp in (TopicPartition(self.config.topic, p) for p in partitions)
            if tp not in excluding
        ]
        if not parts:
            return 0
        timeout_ms = self._timeout_ms()
        ends = self.consumer.end_offsets(parts, timeout_ms=timeout_ms)
        # what retention left, if never committed
        starts = self.consumer.beginning_offsets(parts, timeout_ms=timeout_ms)
        return sum(
            max(ends[tp] - (self.consumer.committed(tp, timeout_ms=timeout_ms) or starts[tp]), 0)
            for tp in parts
        )

    def caught_up(self) -> bool:
        """True when every assigned partition is read up to the high watermark of its last fetch.

        Uses what the consumer already knows (no request to the broker). A partition not fetched
        yet has no known watermark and counts as not caught up, so the batch keeps filling.
        """
        assigned = self.consumer.assignment()
        if not assigned:
            return False
        for tp in assigned:
            highwater = self.consumer.highwater(tp)
            if highwater is None or self.consumer.position(tp) < highwater:
                return False
        return True

    def _timeout_ms(self) -> int:
        return STOPPING_TIMEOUT_MS if self.should_stop() else CALL_TIMEOUT_MS

    def _through_outage(self, call: Callable[[], T], what: str) -> T:
        """`call()`, retried with back-off while the broker is unreachable (flows/failures.py).

        kafka-python reconnects by itself, but a commit, an offset lookup or a poll made while
        the broker restarts raises a retriable error (connection refused, no coordinator); left
        alone, that fails the run. Non-retriable errors (a rebalance that took the partitions) are
        raised at once. When the outage outlasts BROKER_OUTAGE_S, or a stop is requested during
        it, the run ends with one line: the probe's cause when the settings no longer work (a
        password rotated, a certificate replaced), else "unreachable".
        """

        def log_retry(what: str, exc: BaseException, delay: float) -> None:
            logger.warning(
                "%s failed (%s: %s); retrying in %.1f s", what, type(exc).__name__, exc, delay
            )

        policy = retrying(what, self.should_stop, BROKER_OUTAGE_S, log_retry, is_transient_kafka)
        try:
            return policy(call)
        except KafkaError as exc:
            if not exc.retriable:
                raise
            if self.should_stop():
                raise Unavailable(
                    Cause.KAFKA_UNREACHABLE,
                    self.config.bootstrap_servers,
                    f"stopped while waiting to {what}; nothing uncommitted was acknowledged",
                ) from exc
            from flows.sources.kafka_probe import diagnose_kafka

            raise (
                diagnose_kafka(self.config)
                or Unavailable(Cause.KAFKA_UNREACHABLE, self.config.bootstrap_servers, short(exc))
            ) from exc

    def _poll_once(
        self, max_records: int, timeout: float
    ) -> tuple[dict[TopicPartition, list[Any]], list[UndecodableSpan]]:
        """One poll; a record batch the client cannot decode comes back as a span to
        dead-letter (the consumer already past it), not as an exception (see
        flows.sources.kafka_undecodable)."""
        try:
            records = self.consumer.poll(timeout_ms=int(timeout * 1000), max_records=max_records)
        except Exception as exc:
            if not is_undecodable_error(exc):
                raise
            spans = skip_undecodable(self.consumer, exc)
            if not spans:
                raise
            return {}, spans
        return records, []

    def _poll(self, max_records: int, timeout: float) -> list[Envelope]:
        records, spans = self._through_outage(lambda: self._poll_once(max_records, timeout), "poll")
        batch = [_undecodable_envelope(span) for span in spans]
        for tp, messages in records.items():
            for m in messages:
                # Any key or none (the id comes from the value); headers are not read.
                key = m.key.decode("utf-8", "replace") if m.key is not None else None
                origin = Origin(
                    kind="kafka", topic=tp.topic, partition=tp.partition, offset=m.offset, key=key
                )
                batch.append(Envelope(m.value or b"", origin))
        for env in batch:
            o = env.origin
            assert o.topic is not None and o.partition is not None and o.offset is not None
            last = o.offset if o.last_offset is None else o.last_offset
            tp = TopicPartition(o.topic, o.partition)
            self.delivered[tp] = max(self.delivered.get(tp, -1), last)
        return batch

    def batches(self, max_batch: int) -> Iterator[list[Envelope]]:
        produced = 0
        while not self.should_stop():
            if self.max_batches is not None and produced >= self.max_batches:
                return
            batch: list[Envelope] = []
            deadline = time.monotonic() + self.max_wait
            while len(batch) < max_batch and not self.should_stop():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                batch.extend(self._poll(max_batch - len(batch), min(remaining, 0.5)))
                if batch and self.caught_up():
                    break  # nothing more is waiting: waiting out max_wait would only add latency
            if batch:
                produced += 1
                yield batch
                continue
            if self.until_idle and self._through_outage(self._drained, "reading end offsets"):
                return

    def keep_alive(self) -> None:
        """Tell the group this consumer lives while it waits on a long batch: a poll with every
        partition paused returns no records (those fetched stay buffered) but resets the
        max.poll.interval.ms clock, past which the broker would give the partitions away."""
        already = self.consumer.paused()
        paused = [tp for tp in self.consumer.assignment() if tp not in already]
        self.consumer.pause(*paused)
        try:
            records = self._through_outage(
                lambda: self.consumer.poll(timeout_ms=0, max_records=1), "poll"
            )
            # Only a rebalance inside this poll can bring records (a partition newly assigned,
            # not paused): put the position back, so the next batch reads them.
            for tp, messages in records.items():
                if messages:
                    self.consumer.seek(tp, messages[0].offset)
        finally:
            self.consumer.resume(*(tp for tp in paused if tp in self.consumer.assignment()))

    def commit(self, batch: list[Envelope]) -> None:
        offsets: dict[TopicPartition, OffsetAndMetadata] = {}
        for env in batch:
            o = env.origin
            assert o.topic is not None and o.partition is not None and o.offset is not None
            tp = TopicPartition(o.topic, o.partition)
            after = (o.offset if o.last_offset is None else o.last_offset) + 1
            current = offsets.get(tp)
            if current is None or after > current.offset:
                offsets[tp] = OffsetAndMetadata(after, "", -1)
        offsets = self._past_markers(offsets)
        if offsets:
            # The batch is stored by now: riding out a broker restart here saves re-processing it.
            self._through_outage(
                lambda: self.consumer.commit(offsets, timeout_ms=self._timeout_ms()), "commit"
            )

    def _past_markers(
        self, offsets: dict[TopicPartition, OffsetAndMetadata]
    ) -> dict[TopicPartition, OffsetAndMetadata]:
        """Commit past what the consumer skipped after a batch's last record: transaction
        markers and aborted records (read_committed) are never handed out, so a commit at the last
        record + 1 would leave a partition that ends in a marker lagging by one for ever (and a
        run waiting for the group's lag to reach zero would never end). Only when nothing was
        handed out after this batch on the partition is its position all skipped records.
        """
        assigned = self.consumer.assignment()
        moved = dict(offsets)
        for tp, meta in offsets.items():
            if tp in assigned and self.delivered.get(tp) == meta.offset - 1:
                position = self.consumer.position(tp)
                if position is not None and position > meta.offset:
                    moved[tp] = OffsetAndMetadata(position, "", -1)
        return moved

    def lag(self) -> dict[str, int]:
        """Messages not yet committed per partition, for the run's report."""
        assigned = list(self.consumer.assignment())
        if not assigned:
            return {}
        timeout_ms = self._timeout_ms()
        ends = self.consumer.end_offsets(assigned, timeout_ms=timeout_ms)
        lag: dict[str, int] = {}
        for tp in assigned:
            committed = self.consumer.committed(tp, timeout_ms=timeout_ms) or 0
            lag[f"{tp.topic}[{tp.partition}]"] = max(ends[tp] - committed, 0)
        return lag

    def close(self) -> None:
        self.consumer.close(autocommit=False, timeout_ms=self._timeout_ms())


def _undecodable_envelope(span: UndecodableSpan) -> Envelope:
    """A span the client could not decode, as an envelope that becomes its dead letter."""
    origin = Origin(
        kind="kafka",
        topic=span.topic,
        partition=span.partition,
        offset=span.first_offset,
        last_offset=span.last_offset,
    )
    failure = StageFailure(FailedStage.DECODE, span.error_type, span.reason)
    return Envelope(b"", origin, failure=failure)

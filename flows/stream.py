"""The loop every flow shares: batches from a source, through the stages, into a sink.

Offsets are committed only after a batch is fully stored or dead-lettered, so a crash at any point
replays the batch (at-least-once) and idempotent keys make the replay overwrite, not duplicate.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from prefect.logging import get_run_logger

from flows.processing import BatchResult, process_batch
from flows.sinks.documents import DocumentSink
from flows.sinks.protocols import DeadLetterWriter
from flows.sources.base import Source
from workers.base import Stage


@dataclass
class RunSummary:
    batches: int = 0
    received: int = 0
    stored: int = 0
    dead: int = 0
    seconds: float = 0.0
    stage_seconds: Counter[str] = field(default_factory=Counter)
    dead_reasons: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    speakers: Counter[str] = field(default_factory=Counter)

    def add(self, batch: BatchResult) -> None:
        self.batches += 1
        self.received += batch.received
        self.stored += batch.stored
        self.dead += batch.dead
        self.stage_seconds.update(batch.seconds)
        self.dead_reasons.update(batch.dead_reasons)
        self.entities.update(batch.entities)
        self.speakers.update(batch.speakers)

    def line(self) -> str:
        rate = self.received / self.seconds if self.seconds else 0.0
        return (
            f"processed {self.received} articles: {self.stored} enriched, "
            f"{self.dead} dead-lettered, in {self.seconds:.1f} s ({rate:.1f} articles/s)"
        )


BatchListener = Callable[[BatchResult], None]


def drain(
    source: Source,
    sink: DocumentSink,
    dead_sink: DeadLetterWriter,
    stages: tuple[Stage, ...],
    max_batch: int,
    on_batch: BatchListener | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> RunSummary:
    logger = get_run_logger()
    summary = RunSummary()
    started = time.perf_counter()
    try:
        for envelopes in source.batches(max_batch):
            if should_stop():
                logger.warning(
                    "stop requested: abandoning an uncommitted batch of %d", len(envelopes)
                )
                break
            result = process_batch(envelopes, stages, sink, dead_sink)
            source.commit(envelopes)
            summary.add(result)
            logger.info(
                "batch %d: %d in, %d enriched, %d dead-lettered",
                summary.batches,
                result.received,
                result.stored,
                result.dead,
            )
            if on_batch is not None:
                on_batch(result)
            if should_stop():
                break
    finally:
        source.close()
        summary.seconds = time.perf_counter() - started
    return summary

"""What every source hands the flow: messages as bytes, each with where it came from.

Files and Kafka look the same to the flow: a file source turns each file into the very JSON bytes
a producer would publish, so decoding, validation and dead-lettering are one code path.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from schemas import Origin
from workers.base import StageFailure


@dataclass(slots=True)
class Envelope:
    payload: bytes
    origin: Origin
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    #: Set by a source that could not read the message at all (a record batch its client cannot
    #: decode): the envelope then carries no payload and becomes a dead letter with this reason.
    failure: StageFailure | None = None


class Source(Protocol):
    """Where a flow's messages come from. A source names this class as its base to take the
    defaults of the abilities it does not have (a finite source has nothing to commit, nothing to
    release, cannot tell whether more is waiting, need not be kept alive and has no lag)."""

    def describe(self) -> str:
        """A short label for run names and logs, e.g. 'files:seeds' or 'kafka:raw-articles'."""
        ...

    def batches(self, max_batch: int) -> Iterator[list[Envelope]]:
        """Yield micro-batches until the source is drained (or stopped)."""
        ...

    def commit(self, batch: list[Envelope]) -> None:
        """Called only after every envelope of `batch` is stored or dead-lettered. Nothing to
        acknowledge by default: a file or a stored object can be read again."""
        return None

    def close(self) -> None:
        """Release the source's connections; called once, at the end of the run."""
        return None

    def caught_up(self) -> bool:
        """True when nothing more is waiting right now. The stream then stores and commits a
        full batch at once instead of reading the next one while it is stored (flows.stream).
        False by default: a source that cannot tell is read on, as a finite one should be."""
        return False

    def keep_alive(self) -> None:
        """Called every few seconds while the stream waits for a batch from the stage workers: a
        source that is dropped when it stays silent (a Kafka consumer past max.poll.interval.ms)
        signs of life here. Nothing to do by default."""
        return None

    def lag(self) -> dict[str, int]:
        """Messages still waiting per partition after the last commit, for the run's report.
        None by default (a finite source has no lag)."""
        return {}

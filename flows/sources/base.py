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
    def describe(self) -> str:
        """A short label for run names and logs, e.g. 'files:seeds' or 'kafka:raw-articles'."""
        ...

    def batches(self, max_batch: int) -> Iterator[list[Envelope]]:
        """Yield micro-batches until the source is drained (or stopped)."""
        ...

    def commit(self, batch: list[Envelope]) -> None:
        """Called only after every envelope of `batch` is stored or dead-lettered."""
        ...

    def close(self) -> None: ...


# A source may also offer `caught_up() -> bool` (True when nothing more is waiting right now):
# the stream then commits a full batch at once instead of overlapping its store with the next
# batch (see flows.stream.drain). Kafka has it; finite sources do not need it.

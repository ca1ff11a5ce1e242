"""What the flow needs from wherever its output goes: one interface for every sink.

A flow writes two things to two sinks: the documents of a batch (with their raw copies) and the
batch's dead letters. Both are `Sink`s, of different records: a folder or bucket takes either, a
Kafka topic takes dead letters (the DLQ). The stream opens both before the first batch and closes
both at the end (`flows.stream.drain`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from schemas import DeadLetter, EnrichedDocument, RawArticle


@dataclass(slots=True)
class StoredArticle:
    """An article as a document sink stores it: the raw input beside its enriched document."""

    raw: RawArticle
    document: EnrichedDocument
    received_at: datetime

    @property
    def day(self) -> datetime:
        return self.raw.published_at or self.received_at


Record = TypeVar("Record")


class Sink(Protocol[Record]):
    def describe(self) -> str:
        """Where the records go, for logs and reports, e.g. 's3://newsflow/' or a folder."""
        ...

    def open(self) -> None:
        """Get ready to write (connect, create a client). A second call does nothing."""
        ...

    def write_batch(self, records: list[Record]) -> list[str]:
        """Persist every record before returning, or raise; return where each went. A batch
        written again (a retry, a redelivery) must overwrite itself, not add copies."""
        ...

    def close(self) -> None:
        """Release what `open` took. A second call does nothing."""
        ...


#: Where enriched documents (and their raw copies) go.
DocumentSink = Sink[StoredArticle]
#: Where the articles that could not be enriched go, each with its reason.
DeadLetterSink = Sink[DeadLetter]

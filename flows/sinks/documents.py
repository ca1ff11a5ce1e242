"""Stores a batch's raw articles, enriched documents and dead letters under DESIGN.md's keys."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from flows.sinks.keys import dead_key, enriched_key, raw_key
from flows.sinks.stores import ObjectStore
from schemas import DeadLetter, EnrichedDocument, RawArticle


@dataclass(slots=True)
class StoredArticle:
    raw: RawArticle
    document: EnrichedDocument
    received_at: datetime

    @property
    def day(self) -> datetime:
        return self.raw.published_at or self.received_at


def _json(model: RawArticle | EnrichedDocument | DeadLetter) -> bytes:
    return model.model_dump_json(exclude_none=False).encode("utf-8")


class DocumentSink:
    """Writes whole JSON objects, in parallel within a batch (object stores reward concurrency)."""

    def __init__(self, store: ObjectStore, prefix: str = "", max_workers: int = 8) -> None:
        self.store = store
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.max_workers = max_workers

    def describe(self) -> str:
        return self.store.describe() + ("/" + self.prefix if self.prefix else "")

    def put_all(self, objects: list[tuple[str, bytes]]) -> None:
        """Whole objects in parallel; the first failed put is raised once all have ended."""
        if not objects:
            return
        if len(objects) == 1:
            self.store.put(*objects[0])
            return
        with ThreadPoolExecutor(max_workers=min(self.max_workers, len(objects))) as pool:
            # list() re-raises the first error, so a failed put fails the batch (and its commit).
            list(pool.map(lambda kv: self.store.put(*kv), objects))

    def write_articles(self, articles: list[StoredArticle]) -> list[str]:
        objects: list[tuple[str, bytes]] = []
        for a in articles:
            objects.append((self.prefix + raw_key(a.raw.id, a.day), _json(a.raw)))
        for a in articles:
            objects.append((self.prefix + enriched_key(a.raw.id, a.day), _json(a.document)))
        self.put_all(objects)
        return [key for key, _ in objects]

    def write_dead_letters(self, letters: list[DeadLetter]) -> list[str]:
        objects = [
            (
                self.prefix + dead_key(d.payload.encode(), d.origin.model_dump_json(), d.failed_at),
                _json(d),
            )
            for d in letters
        ]
        self.put_all(objects)
        return [key for key, _ in objects]

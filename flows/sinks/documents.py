"""Sinks over an object store (a folder or a bucket), with the keys of docs/architecture.md.

Documents go to `raw/` and `enriched/`, dead letters to `dead/`, under the sink's prefix. Writes
are whole JSON objects, in parallel within a batch (object stores reward concurrency).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from flows.sinks.keys import dead_key, enriched_key, raw_key
from flows.sinks.protocols import StoredArticle
from flows.sinks.stores import ObjectStore
from schemas import DeadLetter, EnrichedDocument, RawArticle

__all__ = ["ObjectWriter", "StoreDeadLetterSink", "StoreDocumentSink", "StoredArticle"]


def _json(model: RawArticle | EnrichedDocument | DeadLetter) -> bytes:
    return model.model_dump_json(exclude_none=False).encode("utf-8")


class ObjectWriter:
    """Whole objects under a prefix of a store, written in parallel."""

    def __init__(self, store: ObjectStore, prefix: str = "", max_workers: int = 8) -> None:
        self.store = store
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.max_workers = max_workers

    def describe(self) -> str:
        return self.store.describe() + ("/" + self.prefix if self.prefix else "")

    def open(self) -> None:
        """A store needs no connection of its own: its client connects on the first request."""

    def close(self) -> None:
        """Nothing to release: each batch's threads end with the batch."""

    def put_all(self, objects: list[tuple[str, bytes]]) -> list[str]:
        """Whole objects in parallel, keys under the prefix; the first failed put is raised once
        all have ended. Returns the keys written."""
        objects = [(self.prefix + key, data) for key, data in objects]
        if len(objects) == 1:
            self.store.put(*objects[0])
        elif objects:
            with ThreadPoolExecutor(max_workers=min(self.max_workers, len(objects))) as pool:
                # list() re-raises the first error, so a failed put fails the batch (and its
                # commit).
                list(pool.map(lambda kv: self.store.put(*kv), objects))
        return [key for key, _ in objects]


class StoreDocumentSink(ObjectWriter):
    """Each article's raw copy and enriched document, under the article's day."""

    def write_batch(self, records: list[StoredArticle]) -> list[str]:
        objects = [(raw_key(a.raw.id, a.day), _json(a.raw)) for a in records]
        objects += [(enriched_key(a.raw.id, a.day), _json(a.document)) for a in records]
        return self.put_all(objects)


class StoreDeadLetterSink(ObjectWriter):
    """Dead letters, keyed by what failed and where it came from."""

    def write_batch(self, records: list[DeadLetter]) -> list[str]:
        objects = [
            (dead_key(d.payload.encode(), d.origin.model_dump_json(), d.failed_at), _json(d))
            for d in records
        ]
        return self.put_all(objects)

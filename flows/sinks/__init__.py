"""Sinks: where enriched documents, raw copies and dead letters are stored (see protocols.py)."""

from __future__ import annotations

from pathlib import Path

from flows.sinks.documents import StoreDeadLetterSink, StoreDocumentSink
from flows.sinks.protocols import DeadLetterSink, DocumentSink, Sink, StoredArticle
from flows.sinks.stores import LocalFolderStore, ObjectStore


class SinkSpecError(ValueError):
    """A --sink value that names no usable destination."""


def open_store(spec: str) -> tuple[ObjectStore, str]:
    """`s3://BUCKET/PREFIX` -> S3, anything else -> a local folder. Returns (store, prefix)."""
    if spec.startswith("s3://"):
        bucket, _, prefix = spec[len("s3://") :].partition("/")
        if not bucket:
            raise SinkSpecError(f"{spec!r}: an S3 sink needs a bucket, e.g. s3://newsflow/")
        from flows.sinks.s3 import S3Store

        return S3Store(bucket), prefix
    if "://" in spec:
        raise SinkSpecError(f"{spec!r}: unsupported sink; use a folder or s3://BUCKET/PREFIX")
    path = Path(spec)
    if path.exists() and not path.is_dir():
        raise SinkSpecError(f"{spec!r} is a file; the sink must be a folder")
    return LocalFolderStore(path), ""


def open_sink(spec: str) -> StoreDocumentSink:
    """The documents' sink of a `--sink` value."""
    store, prefix = open_store(spec)
    return StoreDocumentSink(store, prefix)


def open_sinks(spec: str) -> tuple[StoreDocumentSink, StoreDeadLetterSink]:
    """Documents and dead letters into one folder or bucket (one client), as the files and
    reprocess flows write them."""
    store, prefix = open_store(spec)
    return StoreDocumentSink(store, prefix), StoreDeadLetterSink(store, prefix)


__all__ = [
    "DeadLetterSink",
    "DocumentSink",
    "Sink",
    "SinkSpecError",
    "StoreDeadLetterSink",
    "StoreDocumentSink",
    "StoredArticle",
    "open_sink",
    "open_sinks",
    "open_store",
]

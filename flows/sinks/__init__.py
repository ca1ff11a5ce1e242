"""Sinks: where enriched documents, raw copies and dead letters are stored."""

from __future__ import annotations

from pathlib import Path

from flows.sinks.documents import DocumentSink, StoredArticle
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


def open_sink(spec: str) -> DocumentSink:
    store, prefix = open_store(spec)
    return DocumentSink(store, prefix)


__all__ = ["DocumentSink", "SinkSpecError", "StoredArticle", "open_sink", "open_store"]

"""Reads articles from files in the formats of docs/architecture.md, as the bytes a producer
would send."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from flows.sources.base import Envelope, Source
from schemas import ContentType, Origin

SUPPORTED_SUFFIXES = {".json", ".jsonl", ".txt", ".html", ".htm"}


class SourcePathError(ValueError):
    """A path given on the command line that cannot be read as articles."""


def list_article_files(path: Path) -> list[Path]:
    """Files under `path` (recursively, sorted) in a supported format; other files are ignored."""
    if not path.exists():
        raise SourcePathError(f"{path}: no such file or folder")
    if path.is_file():
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            raise SourcePathError(
                f"{path}: unsupported file type {path.suffix!r} "
                f"(use one of {', '.join(sorted(SUPPORTED_SUFFIXES))})"
            )
        return [path]
    return sorted(
        p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
    )


def _text_payload(data: bytes, content_type: ContentType) -> bytes:
    """A .txt/.html file as RawArticle JSON; bytes that are not UTF-8 pass through unchanged so
    that decoding dead-letters them with the same reason a Kafka message would get."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data
    article: dict[str, str] = {"content_type": content_type.value}
    if content_type is ContentType.TEXT:
        title, _, body = text.partition("\n")
        article.update(title=title.strip(), body=body)
    else:
        article["body"] = text
    return json.dumps(article, ensure_ascii=False).encode("utf-8")


def read_file_payloads(path: Path) -> Iterator[Envelope]:
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix == ".jsonl":
        for number, line in enumerate(data.splitlines(), start=1):
            if line.strip():
                yield Envelope(line, Origin(kind="file", path=f"{path}:{number}"))
        return
    if suffix == ".json":
        payload = data
    elif suffix == ".txt":
        payload = _text_payload(data, ContentType.TEXT)
    else:
        payload = _text_payload(data, ContentType.HTML)
    yield Envelope(payload, Origin(kind="file", path=str(path)))


class FileSource(Source):
    """A finite source over files or folders; nothing to commit, since files are re-readable."""

    def __init__(self, paths: list[Path], limit: int | None = None) -> None:
        self.paths = paths
        self.limit = limit
        # A file named twice (`seeds/ seeds/invalid/`) is read once.
        self.files = list(dict.fromkeys(f.resolve() for p in paths for f in list_article_files(p)))

    def describe(self) -> str:
        return "files:" + ",".join(str(p) for p in self.paths)

    def envelopes(self) -> Iterator[Envelope]:
        count = 0
        for file in self.files:
            for envelope in read_file_payloads(file):
                if self.limit is not None and count >= self.limit:
                    return
                count += 1
                yield envelope

    def batches(self, max_batch: int) -> Iterator[list[Envelope]]:
        batch: list[Envelope] = []
        for envelope in self.envelopes():
            batch.append(envelope)
            if len(batch) >= max_batch:
                yield batch
                batch = []
        if batch:
            yield batch

"""Builds the reader-facing EnrichedDocument from a finished work item."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas import EnrichedDocument, FailedStage, PipelineInfo
from workers.base import StageFailure, WorkItem

PIPELINE_VERSION = "0.1.0"


def assemble(item: WorkItem, stage_versions: dict[str, str]) -> EnrichedDocument:
    if item.cleaned is None:
        raise ValueError(f"article {item.raw.id} was not cleaned; it cannot be assembled")
    c = item.cleaned
    return EnrichedDocument(
        id=c.id,
        url=c.url,
        source=c.source,
        title=c.title,
        byline=c.byline,
        published_at=c.published_at,
        language=c.language,
        text=c.text,
        paragraphs=c.paragraphs,
        highlights=c.highlights,
        content_hash=c.content_hash,
        duplicate_of=c.duplicate_of,
        cleaning=c.cleaning,
        entities=item.entities,
        quotes=item.quotes,
        pipeline=PipelineInfo(
            version=PIPELINE_VERSION,
            stages=stage_versions,
            processed_at=datetime.now(UTC),
            seconds=item.seconds,
        ),
    )


def assemble_or_fail(item: WorkItem, stage_versions: dict[str, str]) -> EnrichedDocument | None:
    """The item's document; or None, with `item.failure` set, for an article a stage failed or
    one whose document does not validate (e.g. a span a stage got wrong: never stored)."""
    if not item.ok:
        return None
    try:
        return assemble(item, stage_versions)
    except ValueError as exc:
        item.failure = StageFailure(FailedStage.SINK, type(exc).__name__, str(exc))
        return None

"""Runs stages over a batch so that one bad article costs only itself.

A stage is first called on the whole batch (fast path). If it raises, the batch is replayed one
item at a time so the failing article is isolated, marked with the stage and reason, and the rest
go on. Items already failed are not shown to later stages.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from workers.base import Stage, StageFailure, WorkItem
from workers.nlp import load_nlp


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or exc.__class__.__name__
    return text if len(text) <= 500 else text[:497] + "..."


def run_stage(stage: Stage, batch: list[WorkItem]) -> float:
    """Apply `stage` to the live items of `batch` in place; return the seconds it took."""
    live = [item for item in batch if item.ok]
    if not live:
        return 0.0
    started = time.perf_counter()
    try:
        stage(live)
    except Exception:
        for item in live:
            try:
                stage([item])
            except Exception as exc:
                item.failure = StageFailure(stage.name, type(exc).__name__, _describe(exc))
    elapsed = time.perf_counter() - started
    share = elapsed / len(live)
    for item in live:
        item.seconds[stage.name.value] = round(share, 6)
    return elapsed


def run_pipeline(stages: Sequence[Stage], batch: list[WorkItem]) -> dict[str, float]:
    """All stages in order; returns seconds per stage for the batch."""
    return {stage.name.value: run_stage(stage, batch) for stage in stages}


def parses(stage: Stage) -> bool:
    """Does the stage run spaCy? A stage that does names its model (`Stage.parse_model`)."""
    return stage.parse_model is not None


def split_at_parse(stages: Sequence[Stage]) -> tuple[tuple[Stage, ...], tuple[Stage, ...]]:
    """The leading stages that do not run spaCy (they may run ahead, on another thread: the
    vocabulary scope of a parse must not see them) and the rest."""
    first = next((i for i, stage in enumerate(stages) if parses(stage)), len(stages))
    return tuple(stages[:first]), tuple(stages[first:])


@contextmanager
def parse_scope(stages: Sequence[Stage], batch: list[WorkItem]) -> Iterator[None]:
    """Forget, when the batch is done, the strings spaCy learnt while parsing it.

    Every new word form a parse meets (names, numbers, typos) is added to the pipeline's shared
    vocabulary and kept for the life of the process: a consumer reading news for weeks would grow
    without limit. spaCy's memory zone frees what was added inside it. The batch's Docs are
    dropped on the way out, since they must not be read after the zone ends; their outputs
    (entities, quotes) are plain data by then.
    """
    model = next((stage.parse_model for stage in stages if stage.parse_model is not None), None)
    if model is None:
        yield
        return
    with load_nlp(model).memory_zone():
        try:
            yield
        finally:
            for item in batch:
                item.doc = None

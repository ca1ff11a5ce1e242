"""Builds the stage objects once per process: they hold models and the duplicate index."""

from __future__ import annotations

from functools import lru_cache

from schemas import StageSettings
from workers.base import Stage


@lru_cache(maxsize=4)
def build_stages(settings: StageSettings) -> tuple[Stage, ...]:
    """Cached by value (StageSettings is frozen), so repeated batches and flow runs in one
    process share models."""
    return _stages(settings, find_duplicates=True)


def build_worker_stages(settings: StageSettings) -> tuple[Stage, ...]:
    """A stage worker's stages (flows.workerpool): the same, without the near-duplicate index.
    A worker sees only the slices of the stream it is given; its consumer checks every article,
    in batch order, on the cleaned text the workers return (flows.runner)."""
    return _stages(settings, find_duplicates=False)


def _stages(settings: StageSettings, find_duplicates: bool) -> tuple[Stage, ...]:
    from workers.cleaning import CleaningStage

    stages: list[Stage] = [CleaningStage(settings, find_duplicates=find_duplicates)]
    if settings.entities:
        from workers.entities import EntityStage

        stages.append(EntityStage(settings))
    if settings.quotes:
        from workers.quotes import QuoteStage

        stages.append(QuoteStage(settings))
    return tuple(stages)


def stage_versions(stages: tuple[Stage, ...]) -> dict[str, str]:
    return {stage.name.value: stage.version for stage in stages}

"""Builds the stage objects once per process: they hold models and the duplicate index."""

from __future__ import annotations

from functools import lru_cache

from schemas import StageSettings
from workers.base import Stage


@lru_cache(maxsize=4)
def build_stages(settings: StageSettings) -> tuple[Stage, ...]:
    """Cached by value (StageSettings is frozen), so repeated batches and flow runs in one
    process share models."""
    from workers.cleaning import CleaningStage

    stages: list[Stage] = [CleaningStage(settings)]
    if settings.entities:
        from workers.entities import EntityStage

        stages.append(EntityStage(settings))
    if settings.quotes:
        from workers.quotes import QuoteStage

        stages.append(QuoteStage(settings))
    return tuple(stages)


def stage_versions(stages: tuple[Stage, ...]) -> dict[str, str]:
    return {stage.name.value: stage.version for stage in stages}

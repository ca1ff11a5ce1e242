"""Contracts between producers, stages and readers. Pydantic models only: no I/O, no logic."""

from pydantic import BaseModel

from schemas.cleaned import CleanedArticle, CleaningInfo
from schemas.dead_letter import DeadLetter, FailedStage, Origin
from schemas.enriched import (
    SCHEMA_VERSION,
    EnrichedDocument,
    Entity,
    EntityType,
    Mention,
    PipelineInfo,
    Quote,
    QuoteKind,
    Speaker,
)
from schemas.raw import MAX_BODY_CHARS, ContentType, RawArticle, derive_article_id
from schemas.settings import StageSettings

#: The models whose JSON Schemas are published in `schemas/json/`.
PUBLISHED_MODELS: dict[str, type[BaseModel]] = {
    "RawArticle": RawArticle,
    "CleanedArticle": CleanedArticle,
    "EnrichedDocument": EnrichedDocument,
    "Entity": Entity,
    "Quote": Quote,
    "DeadLetter": DeadLetter,
}

__all__ = [
    "MAX_BODY_CHARS",
    "PUBLISHED_MODELS",
    "SCHEMA_VERSION",
    "CleanedArticle",
    "CleaningInfo",
    "ContentType",
    "DeadLetter",
    "EnrichedDocument",
    "Entity",
    "EntityType",
    "FailedStage",
    "Mention",
    "Origin",
    "PipelineInfo",
    "Quote",
    "QuoteKind",
    "RawArticle",
    "Speaker",
    "StageSettings",
    "derive_article_id",
]

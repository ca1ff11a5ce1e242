"""Where an article that could not be enriched goes, with enough context to replay or fix it."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class FailedStage(StrEnum):
    DECODE = "decode"  # bytes that are not UTF-8 JSON of a RawArticle
    VALIDATE = "validate"  # JSON of the wrong shape or with bad values
    CLEANING = "cleaning"
    ENTITIES = "entities"
    QUOTES = "quotes"
    SINK = "sink"


class Origin(BaseModel):
    """Where the payload came from, so it can be found and replayed."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["kafka", "file", "store"]
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    last_offset: int | None = Field(
        default=None,
        description="Set when the letter covers a span of offsets (offset..last_offset), "
        "e.g. a record batch the consumer could not decode",
    )
    key: str | None = None
    path: str | None = None


class DeadLetter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    payload: str = Field(description="The original payload: UTF-8 text, or base64 if not text")
    payload_encoding: Literal["utf-8", "base64"] = "utf-8"
    payload_truncated: bool = Field(
        default=False, description="True when only the first part of a huge payload is kept"
    )
    origin: Origin
    stage: FailedStage
    error_type: str
    reason: str
    article_id: str | None = None
    failed_at: datetime = Field(default_factory=lambda: datetime.now(UTC))

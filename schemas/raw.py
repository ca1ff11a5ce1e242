"""The producer-facing contract: one raw article as crawlers and wire feeds deliver it."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: A hard bound on the body so one oversized message cannot exhaust a consumer's memory.
#: Real articles are a few hundred kilobytes of HTML at most; 5 MB leaves room for bloated pages.
MAX_BODY_CHARS = 5_000_000
MAX_ID_CHARS = 200


class ContentType(StrEnum):
    TEXT = "text/plain"
    HTML = "text/html"


def _reject_control_chars(value: str, field: str) -> str:
    bad = [c for c in value if ord(c) < 32 and c not in "\t\n\r"]
    if bad:
        raise ValueError(f"{field} contains control characters (e.g. {bad[0]!r}); strip them first")
    return value


def derive_article_id(url: str | None, title: str | None, body: str) -> str:
    """A stable id so that a redelivered or re-crawled article overwrites itself.

    The URL identifies an article best; without one the content decides, so the same text sent
    twice gets the same id.
    """
    basis = url.strip() if url else f"{title or ''}\n{body}"
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _as_utc(value: datetime | None) -> datetime | None:
    """Naive timestamps are read as UTC: feeds often omit the zone, and guessing local is worse."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class RawArticle(BaseModel):
    """One article as received. `id` may be omitted; it is derived from `url`, else the content."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    id: Annotated[str, Field(max_length=MAX_ID_CHARS)] = ""
    url: str | None = Field(default=None, max_length=4096)
    source: str | None = Field(default=None, max_length=500)
    title: str | None = Field(default=None, max_length=2000)
    body: str = Field(max_length=MAX_BODY_CHARS)
    content_type: ContentType = ContentType.TEXT
    language: str | None = Field(default=None, max_length=16)
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    metadata: dict[str, str] = Field(default_factory=dict)

    @field_validator("body")
    @classmethod
    def _body_has_text(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("body is empty: an article needs text to enrich")
        return value

    @field_validator("id", "url", "source", "title", "language")
    @classmethod
    def _no_control_chars(cls, value: str | None, info: object) -> str | None:
        if value is None:
            return None
        return _reject_control_chars(value, getattr(info, "field_name", "field"))

    @field_validator("published_at", "fetched_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return _as_utc(value)

    @model_validator(mode="after")
    def _fill_id(self) -> RawArticle:
        self.id = self.id.strip()
        if not self.id:
            self.id = derive_article_id(self.url, self.title, self.body)
        return self

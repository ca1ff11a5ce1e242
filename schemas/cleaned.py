"""What cleaning hands to the NLP stages: one normalised text that every offset indexes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

Span = tuple[int, int]


class CleaningInfo(BaseModel):
    """How sure the cleaning stage is of the text it kept.

    `low_confidence` is true when the extractors found little or no article text and the stage
    fell back to the best text the page has (all the extractor's blocks, or the page's visible
    text) rather than dead-lettering an article that has text. Readers who want only confident
    extractions filter on it; a page with no readable text at all is still a dead letter.
    """

    model_config = ConfigDict(extra="forbid")

    low_confidence: bool = False
    reason: str | None = Field(default=None, description="Why the text is a fallback, if it is")


class CleanedArticle(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    url: str | None = None
    source: str | None = None
    title: str | None = None
    byline: str | None = None
    published_at: datetime | None = None
    language: str | None = Field(default=None, description="ISO 639-1 code, or None if unknown")
    text: str = Field(description="The cleaned body; every offset downstream indexes this string")
    paragraphs: list[Span] = Field(default_factory=list)
    highlights: list[str] = Field(
        default_factory=list, description="Key-point bullets kept apart from the body"
    )
    content_hash: str
    cleaning: CleaningInfo = Field(default_factory=CleaningInfo)
    duplicate_of: str | None = Field(
        default=None, description="id of an earlier article in the stream with near-same text"
    )

    @model_validator(mode="after")
    def _paragraphs_index_text(self) -> CleanedArticle:
        n = len(self.text)
        for start, end in self.paragraphs:
            if not 0 <= start <= end <= n:
                raise ValueError(f"paragraph span [{start}, {end}] is outside text of length {n}")
        return self

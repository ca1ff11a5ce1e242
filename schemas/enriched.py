"""The reader-facing contract: one enriched document per article, as stored under `enriched/`."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.cleaned import CleaningInfo

SCHEMA_VERSION: Literal["1.0"] = "1.0"

Span = tuple[int, int]


class EntityType(StrEnum):
    PERSON = "PERSON"
    ORG = "ORG"
    GPE = "GPE"
    LOC = "LOC"
    NORP = "NORP"
    FAC = "FAC"
    EVENT = "EVENT"
    PRODUCT = "PRODUCT"
    WORK_OF_ART = "WORK_OF_ART"
    LAW = "LAW"


class Mention(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Entity(BaseModel):
    """One real-world thing, with every mention of it in this document clustered under it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Stable within the document, e.g. 'e1'")
    name: str = Field(description="Canonical name: the longest proper form in the document")
    type: EntityType
    key: str = Field(description="Normalised name + type, for grouping across documents")
    mentions: list[Mention]
    count: int = Field(ge=1)

    @model_validator(mode="after")
    def _count_matches(self) -> Entity:
        if self.count != len(self.mentions):
            raise ValueError(f"count {self.count} != {len(self.mentions)} mentions")
        return self


class Speaker(BaseModel):
    """The mention that attributes the quote, where it stands (the pronoun "she", the nominal "the
    spokesman", or the name), and who it is: the entity it resolves to and that entity's name."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        description="The attributing mention as written: a name, a noun phrase or a pronoun"
    )
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    entity_id: str | None = Field(
        default=None, description="id of the entity the mention resolves to; null if none"
    )
    name: str | None = Field(
        default=None, description="Canonical name of that entity (null when it has none)"
    )


class QuoteKind(StrEnum):
    DIRECT = "direct"
    INDIRECT = "indirect"


class Quote(BaseModel):
    """Who said what. For a direct quote `text` is what stands between the marks (parts of a split
    quote joined by one space) and the span runs from the first opening to the last closing mark;
    for reported speech the span is the reported content."""

    model_config = ConfigDict(extra="forbid")

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    kind: QuoteKind
    speaker: Speaker | None = None
    cue: str | None = Field(default=None, description="The cue verb or phrase, e.g. 'said'")


class PipelineInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    stages: dict[str, str]
    processed_at: datetime
    seconds: dict[str, float] = Field(
        default_factory=dict, description="This article's share of each stage's batch time"
    )


class EnrichedDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: Literal["1.0"] = SCHEMA_VERSION
    id: str
    url: str | None = None
    source: str | None = None
    title: str | None = None
    byline: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    text: str
    paragraphs: list[Span] = Field(default_factory=list)
    highlights: list[str] = Field(default_factory=list)
    content_hash: str
    duplicate_of: str | None = None
    cleaning: CleaningInfo = Field(
        default_factory=CleaningInfo, description="Whether the text is a low-confidence fallback"
    )
    entities: list[Entity] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    pipeline: PipelineInfo

    @model_validator(mode="after")
    def _offsets_index_text(self) -> EnrichedDocument:
        """Readers slice `text` with these offsets; a span that does not fit is a bug upstream."""
        n = len(self.text)
        spans: list[tuple[str, int, int]] = [("paragraph", s, e) for s, e in self.paragraphs]
        ids = {e.id for e in self.entities}
        for ent in self.entities:
            for m in ent.mentions:
                spans.append((f"mention {m.text!r}", m.start, m.end))
                if self.text[m.start : m.end] != m.text:
                    raise ValueError(f"mention {m.text!r} does not match text[{m.start}:{m.end}]")
        for q in self.quotes:
            spans.append(("quote", q.start, q.end))
            if q.speaker is not None:
                spans.append(("speaker", q.speaker.start, q.speaker.end))
                if q.speaker.entity_id is not None and q.speaker.entity_id not in ids:
                    raise ValueError(f"speaker entity_id {q.speaker.entity_id!r} is not an entity")
        for what, start, end in spans:
            if not 0 <= start <= end <= n:
                raise ValueError(f"{what} span [{start}, {end}] is outside text of length {n}")
        return self

"""The one interface every stage implements, in the manner of a spaCy pipeline component.

A stage takes a batch of work items and returns the same batch, enriched. Stages are pure: no
network, no files, no Prefect. Batches (not single articles) are the unit so that a stage can use
`nlp.pipe` and amortise its fixed costs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from schemas import CleanedArticle, Entity, FailedStage, Quote, RawArticle

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(slots=True)
class StageFailure:
    """Why an item left the pipeline; becomes a dead letter at the edge."""

    stage: FailedStage
    error_type: str
    reason: str


@dataclass(slots=True)
class WorkItem:
    """One article on its way through the stages.

    `doc` is the single spaCy parse of the cleaned text, made once by the entity stage and reused
    by the quote stage: a text is never parsed twice.
    """

    raw: RawArticle
    cleaned: CleanedArticle | None = None
    doc: Doc | None = None
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    failure: StageFailure | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.failure is None


@runtime_checkable
class Stage(Protocol):
    """A pipeline component. `name` is one of the FailedStage values, `version` goes into the
    document's provenance so a reader can tell which logic produced it."""

    name: FailedStage
    version: str

    @property
    def parse_model(self) -> str | None:
        """The spaCy pipeline this stage parses with (`workers.nlp.load_nlp`), or None when it
        does not parse. The stream runs the stages before the first that parses ahead, on another
        thread, and wraps the parsing stages of a batch in one vocabulary scope of this model
        (`workers.pipeline`)."""
        ...

    # A stage must *set* its outputs on an item (never append to what is there), so that replaying
    # one item after a failed batch call gives the same result as the batch call would have.

    def __call__(self, batch: list[WorkItem]) -> list[WorkItem]: ...

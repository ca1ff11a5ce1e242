"""The entity stage: one spaCy parse per article, entities clustered per document."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from schemas import Entity, FailedStage, StageSettings
from workers.base import WorkItem
from workers.entities.cluster import build_entities
from workers.entities.mentions import find_mentions
from workers.entities.pipeline import entity_nlp
from workers.nlp import columns_of, cut, is_english, parse, parsed_text

__all__ = ["VERSION", "EntityStage", "cut", "extract_entities", "is_english"]

VERSION = "1.1.2"


def extract_entities(doc: Doc, text: str | None = None) -> list[Entity]:
    """Entities of a parsed text, mentions indexing `doc.text`. Reads the doc (and keeps its
    columns on it, `workers.nlp.columns_of`, for the next reader of the same parse).

    `text` is `doc.text` when the caller has it (the string it parsed): spaCy rebuilds `Doc.text`
    from every token on each access."""
    columns = columns_of(doc, text)
    return build_entities(doc, find_mentions(doc, columns), columns)


def _set_ents(doc: Doc, entities: list[Entity]) -> None:
    """Mirror the corrected entities onto `doc.ents`, so the quote stage sees the same labels."""
    columns = columns_of(doc)
    spans = []
    for ent in entities:
        for m in ent.mentions:
            start, end = columns.span_of_chars(m.start, m.end)
            spans.append(Span(doc, start, end, label=ent.type.value))
    columns.set_entities(spans)


class EntityStage:
    """Named entities of English articles, with the parse kept on the item for the quote stage.

    Non-English articles get no entities and no Doc: the configured pipeline is English and its
    NER on other languages is noise. All English texts of a batch go through one `nlp.pipe`.
    """

    name = FailedStage.ENTITIES
    version = VERSION

    def __init__(self, settings: StageSettings) -> None:
        self.settings = settings

    @property
    def parse_model(self) -> str:
        """Runs spaCy: the stream wraps its batch in a vocabulary scope (workers.pipeline)."""
        return self.settings.spacy_model

    def __call__(self, batch: list[WorkItem]) -> list[WorkItem]:
        todo: list[WorkItem] = []
        for item in batch:
            if item.cleaned is None:
                raise ValueError(f"article {item.raw.id} reached the entity stage without cleaning")
            item.doc = None
            item.entities = []
            if is_english(item.cleaned.language):
                todo.append(item)
        if not todo:
            return batch
        nlp = entity_nlp(self.settings.spacy_model)
        texts = [
            cut(item.cleaned.text, self.settings.max_nlp_chars) for item in todo if item.cleaned
        ]
        for item, doc in zip(todo, parse(nlp, texts, self.settings.nlp_batch_size), strict=True):
            item.entities = extract_entities(doc, parsed_text(doc))
            _set_ents(doc, item.entities)
            item.doc = doc
        return batch

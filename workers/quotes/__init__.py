"""The quote stage: who said what, as direct quotes and reported speech with their speakers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from schemas import FailedStage, StageSettings
from workers.base import WorkItem
from workers.nlp import cut, is_english, load_nlp, parse, parsed_text
from workers.quotes.extract import extract_quotes

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["QuoteStage", "extract_quotes"]


class QuoteStage:
    """Reuses the entity stage's parse (`item.doc`); parses only what that stage left unparsed,
    in one `nlp.pipe` call for the batch."""

    name = FailedStage.QUOTES
    version = "1.0.2"

    def __init__(self, settings: StageSettings) -> None:
        self.settings = settings

    @property
    def parse_model(self) -> str:
        """Runs spaCy: the stream wraps its batch in a vocabulary scope (workers.pipeline)."""
        return self.settings.spacy_model

    def __call__(self, batch: list[WorkItem]) -> list[WorkItem]:
        need = [
            item
            for item in batch
            if item.cleaned is not None and item.doc is None and is_english(item.cleaned.language)
        ]
        docs: dict[int, Doc] = {}
        if need:
            nlp = load_nlp(self.settings.spacy_model)
            limit = self.settings.max_nlp_chars
            texts = [cut(item.cleaned.text, limit) for item in need if item.cleaned is not None]
            parsed = parse(nlp, texts, self.settings.nlp_batch_size)
            for item, fresh in zip(need, parsed, strict=True):
                docs[id(item)] = fresh
        for item in batch:
            if item.cleaned is None:
                item.quotes = []
                continue
            doc: Doc | None = item.doc if item.doc is not None else docs.get(id(item))
            text: str | None = parsed_text(doc) if doc is not None else None
            if text is not None and not item.cleaned.text.startswith(text):
                doc, text = None, None  # a parse of another text cannot give offsets into this one
            item.quotes = extract_quotes(
                item.cleaned.text, item.cleaned.paragraphs, doc, item.entities, text
            )
        return batch

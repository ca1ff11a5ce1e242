"""The cleaning stage: raw articles in; cleaned text, paragraphs, language and duplicates out."""

from __future__ import annotations

from schemas import FailedStage, StageSettings
from workers.base import WorkItem
from workers.cleaning.article import clean_batch
from workers.cleaning.dedup import DuplicateIndex


class CleaningStage:
    """Stage protocol implementation. Holds one piece of state: the near-duplicate index, so a
    syndicated copy is marked as a duplicate of the first copy this instance saw.

    All items of a batch are cleaned before any is added to the index: if one article raises, the
    runner replays the batch item by item, and no half-indexed batch can make an article look like
    a copy of one that came after it.
    """

    name = FailedStage.CLEANING
    version = "1.4.0"
    #: No spaCy parse: the stream may run this stage ahead, on another thread.
    parse_model: str | None = None

    def __init__(self, settings: StageSettings | None = None) -> None:
        self.settings = settings or StageSettings()
        self.duplicates = DuplicateIndex(self.settings.dedup_threshold)

    def __call__(self, batch: list[WorkItem]) -> list[WorkItem]:
        cleaned = clean_batch([item.raw for item in batch])
        for item, article in zip(batch, cleaned, strict=True):
            article.duplicate_of = self.duplicates.check_and_add(article.id, article.text)
            item.cleaned = article
        return batch

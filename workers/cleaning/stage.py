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
    version = "1.6.2"
    #: No spaCy parse: the stream may run this stage ahead, on another thread.
    parse_model: str | None = None

    def __init__(self, settings: StageSettings | None = None, find_duplicates: bool = True) -> None:
        """`find_duplicates=False` leaves `duplicate_of` unset: for a stage worker process, which
        sees only a slice of the stream, while its consumer checks every article in batch order
        (flows.runner). The check is a fifth of the cleaning's CPU."""
        self.settings = settings or StageSettings()
        self.duplicates = DuplicateIndex(self.settings.dedup_threshold) if find_duplicates else None

    def __call__(self, batch: list[WorkItem]) -> list[WorkItem]:
        cleaned = clean_batch([item.raw for item in batch])
        for item, article in zip(batch, cleaned, strict=True):
            if self.duplicates is not None:
                article.duplicate_of = self.duplicates.check_and_add(article.id, article.text)
            item.cleaned = article
        return batch

"""A stage raising on one article costs that article only: it is dead-lettered with the stage and
the reason, and the rest of its batch is stored (flows.processing.process_batch, a folder store)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.processing import process_batch
from flows.sinks import open_sinks
from flows.sources.base import Envelope
from flows.stages import build_stages
from schemas import DeadLetter, EnrichedDocument, FailedStage, Origin, StageSettings
from tests.reliability.helpers import make_articles
from workers.base import WorkItem

pytestmark = pytest.mark.usefixtures("prefect_server")

MARKER = "PATHOLOGICAL-QUOTE-MARKER"


class QuotesThatBreakOnAMarker:
    """The real quote stage, except that it raises on the batch holding the marker text, as a
    stage bug triggered by one pathological article would."""

    name = FailedStage.QUOTES

    def __init__(self, real) -> None:
        self.real = real
        self.version = real.version
        self.parse_model = real.parse_model

    def __call__(self, batch: list[WorkItem]) -> list[WorkItem]:
        for item in batch:
            if item.cleaned is not None and MARKER in item.cleaned.text:
                raise RecursionError(f"quote scan blew up on article {item.raw.id}")
        return self.real(batch)


def test_one_raising_article_is_dead_lettered_and_the_rest_stored(tmp_path: Path) -> None:
    cleaning, entities, quotes = build_stages(StageSettings())
    stages = (cleaning, entities, QuotesThatBreakOnAMarker(quotes))
    articles = make_articles(6, "stagefail")
    articles[3] = articles[3].model_copy(update={"body": articles[3].body + f"\n\n{MARKER} here."})
    envelopes = [
        Envelope(
            a.model_dump_json().encode(), Origin(kind="kafka", topic="t", partition=0, offset=n)
        )
        for n, a in enumerate(articles)
    ]
    sink, dead_letters = open_sinks(str(tmp_path))

    result = process_batch(envelopes, stages, sink, dead_letters)

    assert (result.received, result.stored, result.dead) == (6, 5, 1)
    (path,) = tmp_path.glob("dead/**/*.json")
    letter = DeadLetter.model_validate_json(path.read_bytes())
    assert letter.stage is FailedStage.QUOTES
    assert letter.error_type == "RecursionError"
    assert letter.reason == f"quote scan blew up on article {articles[3].id}"
    assert letter.article_id == articles[3].id and letter.origin.offset == 3
    assert MARKER in letter.payload  # the original message, ready to replay
    stored = sorted(
        EnrichedDocument.model_validate_json(p.read_bytes()).id
        for p in tmp_path.glob("enriched/**/*.json")
    )
    assert stored == sorted(a.id for n, a in enumerate(articles) if n != 3)
    # the others still went through the real quote stage (isolation replays them one by one)
    for p in tmp_path.glob("enriched/**/*.json"):
        assert EnrichedDocument.model_validate_json(p.read_bytes()).quotes

"""The quote stage against the hand-annotated gold set, through the real entity stage."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.quotes import evaluate, load_gold
from schemas import QuoteKind, StageSettings

GOLD = Path(__file__).resolve().parent.parent / "gold" / "quotes.yaml"


def test_gold_is_well_formed() -> None:
    articles = load_gold(GOLD)
    assert len(articles) >= 40
    assert any(a.id.startswith("seed") for a in articles)
    for art in articles:
        seen = set()
        for q in art.quotes:
            assert 0 <= q.start < q.end <= len(art.text)
            # a gold span that occurs twice would be ambiguous
            assert art.text.count(art.text[q.start : q.end]) == 1, (art.id, q)
            if q.kind is QuoteKind.DIRECT:
                assert art.text[q.start] in "“\"'‘" and art.text[q.end - 1] in "”\"'’"
            assert (q.start, q.end) not in seen
            seen.add((q.start, q.end))


@pytest.mark.slow
def test_quote_stage_meets_targets_on_gold() -> None:
    scores = evaluate(GOLD, StageSettings())
    assert scores["articles"] >= 40
    assert scores["direct"]["f1"] >= 0.95, scores["direct"]
    assert scores["indirect"]["f1"] >= 0.80, scores["indirect"]
    assert scores["speaker_accuracy"] >= 0.90, scores

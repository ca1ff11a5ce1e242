"""The entity stage against the hand-written gold set: the issue's targets, measured."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.entities import evaluate, load_gold, parse_article
from schemas import StageSettings

GOLD = Path(__file__).resolve().parents[1] / "gold" / "entities.txt"


def test_inline_marks_become_offsets() -> None:
    art = parse_article("x", "[[Vladimir Putin|PERSON|putin]] met [[Lula|PERSON]] in [[Kyiv|GPE]].")
    assert art.text == "Vladimir Putin met Lula in Kyiv."
    spans = [(art.text[m.start : m.end], m.type, m.cluster) for m in art.mentions]
    assert spans == [
        ("Vladimir Putin", "PERSON", "putin"),
        ("Lula", "PERSON", "lula"),
        ("Kyiv", "GPE", "kyiv"),
    ]


def test_gold_set_is_large_enough_and_includes_the_seed() -> None:
    articles = load_gold(GOLD)
    assert len(articles) >= 31
    assert any(a.id.startswith("seed") for a in articles)
    assert sum(len(a.mentions) for a in articles) > 400


@pytest.mark.slow
def test_entity_targets_on_gold() -> None:
    scores = evaluate(GOLD, StageSettings())
    mentions = scores["mentions"]
    assert mentions["PERSON"]["f1"] >= 0.90
    assert mentions["PLACE"]["f1"] >= 0.90
    assert mentions["ORG"]["f1"] >= 0.90
    assert scores["clustering"]["bcubed"]["f1"] >= 0.95
    assert scores["clustering"]["pairwise"]["f1"] >= 0.95

"""Precision, recall and F1 the way extraction and NER benchmarks report them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable


def prf(tp: float, fp: float, fn: float) -> dict[str, float]:
    """Scores from counts; an empty side scores 1.0 only when nothing was expected or predicted."""
    precision = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def multiset_overlap(
    predicted: Iterable[Hashable], expected: Iterable[Hashable]
) -> tuple[int, int, int]:
    """(tp, fp, fn) of two bags of items, e.g. tokens of extracted vs gold text."""
    p, e = Counter(predicted), Counter(expected)
    tp = sum((p & e).values())
    return tp, sum(p.values()) - tp, sum(e.values()) - tp

"""The main-text extraction metric of WCXB-style benchmarks: 4-gram word shingles per page.

Each page's extracted text and gold main text become bags of overlapping 4-word shingles
(`\\w+` tokens); tp, fp and fn are the bag overlap, normalised by the page's union so every page
weighs the same. Precision and recall are macro-averaged over pages and F1 is taken of the two
means. A lost page (no text) has no predicted shingles: it scores recall 0 and, having nothing to
be precise about, is left out of the precision mean. This reimplements the shared dev-data scorer
exactly (same tokens, same edge cases, same rounding) so our figures can be checked against it;
tests must not import from ../shared, which CI does not have.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable

_TOKEN = re.compile(r"\w+", re.UNICODE)
PageCounts = tuple[float, float, float]


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Bag of n-word shingles; a text shorter than n words is one short shingle."""
    words = _TOKEN.findall(text or "")
    return Counter(
        tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1)) if words[i : i + n]
    )


def page_counts(gold: str, predicted: str) -> PageCounts:
    """(tp, fp, fn) of one page as fractions of the page's shingle union."""
    a, b = shingles(gold), shingles(predicted)
    tp = sum((a & b).values())
    fp = sum((b - a).values())
    fn = sum((a - b).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def macro(rows: Iterable[PageCounts]) -> dict[str, float]:
    """F1, P, R over pages, rounded to three places as the shared scorer prints them."""
    rows = list(rows)
    p_rows = [precision(*r) for r in rows if r[0] + r[1] > 0]
    r_rows = [recall(*r) for r in rows if r[0] + r[2] > 0]
    p = statistics.mean(p_rows) if p_rows else 0.0
    r = statistics.mean(r_rows) if r_rows else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"F1": round(f1, 3), "P": round(p, 3), "R": round(r, 3)}


def page_scores(counts: PageCounts) -> dict[str, float]:
    """One page's P, R and F1, for listing the worst pages."""
    p, r = precision(*counts), recall(*counts)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"F1": round(f1, 3), "P": round(p, 3), "R": round(r, 3)}

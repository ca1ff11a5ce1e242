"""`newsflow eval clean --gold FILE`: token-level precision, recall and F1 of the cleaning stage.

Scored the way main-text extraction benchmarks score (bags of word tokens, micro-averaged over
the set): the tokens of what we keep as the article (key-point highlights plus body text) against
the tokens of the hand-written expected article. Titles are scored by neither side: they are
metadata, not body.

Beside ours, the same items are scored for baselines on the same inputs:

- `trafilatura`: `trafilatura.extract` with its defaults (comments included), on the same safely
  parsed tree. For plain-text inputs it runs on the text wrapped as minimal HTML, one `<p>` per
  blank-line separated block (lines inside a block joined with `<br>`): the only way to hand
  trafilatura a text, and its own paragraph heuristics then decide what to drop.
- `trafilatura_no_comments`: the same with `include_comments=False`, its best setting for news.
- `as_is` (plain text only): the delivered text unchanged, i.e. no cleaning at all.

A leading line of a baseline output that repeats the gold title is removed before scoring, so a
baseline is not penalised for printing the headline.

The gold file is JSON lines written by `gold/clean/build_gold.py`: {"id", "format", "raw":
RawArticle fields, "expected": {"title", "text", "highlights", "language"}}.

A folder in the WCXB layout (ground-truth.json + html/) is scored by `evaluation.clean_pages`
instead, with that benchmark's own metric.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

from evaluation.clean_pages import evaluate_pages
from evaluation.metrics import multiset_overlap, prf
from evaluation.wcxb import is_wcxb
from schemas import RawArticle, StageSettings
from workers.base import WorkItem
from workers.cleaning import CleaningStage
from workers.cleaning.html import baseline_text

_TOKEN = re.compile(r"\w+")
Counts = tuple[int, int, int]


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFC", text))


def _drop_title(text: str, title: str) -> str:
    first, _, rest = text.strip().partition("\n")
    return rest if tokens(first) == tokens(title) else text


def text_as_html(text: str) -> str:
    """Plain text as the minimal HTML page trafilatura needs: one <p> per block."""
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    paras = "".join(
        "<p>" + "<br>".join(html.escape(line.strip()) for line in b.splitlines()) + "</p>"
        for b in blocks
    )
    return (
        f"<html><head><meta charset='utf-8'></head><body><article>{paras}</article></body></html>"
    )


def _baselines(raw: RawArticle, title: str) -> dict[str, str]:
    is_html = raw.content_type.value == "text/html"
    markup = raw.body if is_html else text_as_html(raw.body)
    out = {
        "trafilatura": baseline_text(markup),
        "trafilatura_no_comments": baseline_text(markup, include_comments=False),
    }
    if not is_html:
        out["as_is"] = raw.body
    return {name: _drop_title(text, title) for name, text in out.items()}


def load_gold(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _add(total: dict[str, list[int]], key: str, counts: Counts) -> None:
    bucket = total.setdefault(key, [0, 0, 0])
    for i, value in enumerate(counts):
        bucket[i] += value


def evaluate(gold: Path, settings: StageSettings) -> dict[str, Any]:
    """Our gold file, or a page set in the WCXB layout (detected from the path)."""
    if is_wcxb(gold):
        return evaluate_pages(gold, settings)
    return evaluate_gold(gold, settings)


def evaluate_gold(gold: Path, settings: StageSettings) -> dict[str, Any]:
    items = load_gold(gold)
    stage = CleaningStage(settings)
    totals: dict[str, dict[str, list[int]]] = defaultdict(dict)  # system -> format/all -> counts
    per_item: list[dict[str, Any]] = []
    language_hits = errors = 0
    for entry in items:
        raw = RawArticle.model_validate(entry["raw"])
        expected = entry["expected"]
        gold_tokens = tokens("\n".join([*expected["highlights"], expected["text"]]))
        fmt = entry["format"]
        work = WorkItem(raw=raw)
        try:
            stage([work])
        except ValueError:
            errors += 1
        cleaned = work.cleaned
        ours = "\n".join([*cleaned.highlights, cleaned.text]) if cleaned else ""
        if cleaned and cleaned.language == expected["language"]:
            language_hits += 1
        outputs = {"ours": ours, **_baselines(raw, expected["title"])}
        row: dict[str, Any] = {"id": entry["id"], "format": fmt}
        for system, text in outputs.items():
            counts = multiset_overlap(tokens(text), gold_tokens)
            _add(totals[system], "all", counts)
            _add(totals[system], fmt, counts)
            row[system] = prf(*counts)["f1"]
        per_item.append(row)

    scores = {
        system: {key: prf(*counts) for key, counts in sorted(by_key.items())}
        for system, by_key in totals.items()
    }
    worst = sorted(per_item, key=lambda r: r["ours"])[:5]
    return {
        "row": {
            "stage": "cleaning",
            "set": str(gold),
            "items": len(items),
            "figures": _row_figures(scores["ours"]["all"], errors),
            "baseline": {
                "name": "trafilatura",
                "figures": _row_figures(scores["trafilatura"]["all"], None),
            },
        },
        "gold": str(gold),
        "items": len(items),
        "by_format": dict(sorted(_count_formats(items).items())),
        "tokens": "word tokens (\\w+), multiset overlap, micro-averaged",
        "scores": scores,
        "summary_f1": {system: s["all"]["f1"] for system, s in scores.items()},
        "language_accuracy": round(language_hits / len(items), 4) if items else None,
        "empty_errors": errors,
        "worst_items": worst,
    }


def _row_figures(score: dict[str, float], lost: int | None) -> dict[str, float]:
    """The contract's headline figures (F1, P, R, lost), token-level on our gold."""
    figures = {"F1": score["f1"], "P": score["precision"], "R": score["recall"]}
    if lost is not None:
        figures["lost"] = lost
    return figures


def _count_formats(items: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for entry in items:
        counts[entry["format"]] += 1
    return counts

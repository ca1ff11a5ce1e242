"""`newsflow eval clean --gold SET_DIR` on a page set in the WCXB layout (ground-truth.json +
html/): ours beside trafilatura alone, scored with the benchmark's metric (4-gram word shingles,
macro P/R per page, see `evaluation.shingles`).

What is scored for us is the cleaned `text`, exactly what `newsflow run` writes to the enriched
document and what the shared scorer reads; a page our stage refuses (a dead letter) is a lost
page and scores zero recall. The baseline is `trafilatura.extract(html)` with its defaults on the
page string, the call the shared scorer makes, so both rows equal that script's figures.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import trafilatura

from evaluation.shingles import PageCounts, macro, page_counts, page_scores
from evaluation.wcxb import Page, read_pages
from schemas import ContentType, RawArticle, StageSettings
from workers.base import WorkItem
from workers.cleaning import CleaningStage

WORST = 20


def _raw(page: Page) -> RawArticle:
    """The RawArticle the shared scorer's `prepare` writes for a page."""
    return RawArticle(
        id=page.id,
        url=page.url,
        source="root",
        title=None,
        body=page.html,
        content_type=ContentType.HTML,
    )


def _ours(stage: CleaningStage, page: Page) -> tuple[str, bool, str | None]:
    """(text, low_confidence, dead-letter reason) of one page through the cleaning stage."""
    item = WorkItem(raw=_raw(page))
    try:
        stage([item])
    except ValueError as exc:  # what the runner turns into a dead letter
        return "", False, str(exc)
    cleaned = item.cleaned
    if cleaned is None:
        return "", False, "not cleaned"
    return cleaned.text, cleaned.cleaning.low_confidence, None


def _figures(rows: list[PageCounts], texts: list[str]) -> dict[str, float]:
    figures: dict[str, float] = dict(macro(rows))
    figures["lost"] = sum(1 for text in texts if not text)
    return figures


def evaluate_pages(root: Path, settings: StageSettings) -> dict[str, Any]:
    stage = CleaningStage(settings)
    pages = list(read_pages(root))
    ours_rows: list[PageCounts] = []
    base_rows: list[PageCounts] = []
    ours_texts: list[str] = []
    base_texts: list[str] = []
    lost: list[dict[str, str]] = []
    flagged: list[str] = []
    for n, page in enumerate(pages, 1):
        text, low_confidence, reason = _ours(stage, page)
        baseline = trafilatura.extract(page.html) or ""
        ours_rows.append(page_counts(page.gold, text))
        base_rows.append(page_counts(page.gold, baseline))
        ours_texts.append(text)
        base_texts.append(baseline)
        if reason is not None:
            lost.append({"id": page.id, "reason": reason})
        if low_confidence:
            flagged.append(page.id)
        if n % 50 == 0:
            print(f"clean eval: {n}/{len(pages)} pages", file=sys.stderr)

    ours = _figures(ours_rows, ours_texts)
    base = _figures(base_rows, base_texts)
    per_page = [
        {"id": page.id, **page_scores(o), "trafilatura_F1": page_scores(b)["F1"]}
        for page, o, b in zip(pages, ours_rows, base_rows, strict=True)
    ]
    worst = sorted(per_page, key=lambda r: (r["F1"], r["id"]))[:WORST]
    report = {
        "row": {
            "stage": "cleaning",
            "set": root.name,
            "items": len(pages),
            "figures": ours,
            "baseline": {"name": "trafilatura", "figures": base},
        },
        "metric": "4-gram word shingles, macro P/R per page, F1 of the means; lost page = 0",
        "scores": {"ours": ours, "trafilatura": base},
        "lost_pages": lost,
        "low_confidence_pages": flagged,
        "worst_pages": worst,
    }
    _print_table(report)
    return report


def _print_table(report: dict[str, Any]) -> None:
    """The side-by-side figures and worst pages for people, on stderr."""
    out = sys.stderr
    print(f"{'':14}{'F1':>7}{'P':>7}{'R':>7}{'lost':>6}", file=out)
    for name, fig in report["scores"].items():
        row = f"{fig['F1']:>7.3f}{fig['P']:>7.3f}{fig['R']:>7.3f}{fig['lost']:>6}"
        print(f"{name:14}{row}", file=out)
    print(f"low confidence (kept, flagged): {len(report['low_confidence_pages'])}", file=out)
    print(f"worst {WORST} pages (id F1 P R | trafilatura F1):", file=out)
    for r in report["worst_pages"]:
        scores = f"{r['F1']:.3f} {r['P']:.3f} {r['R']:.3f} | {r['trafilatura_F1']:.3f}"
        print(f"  {r['id']:>8} {scores}", file=out)

"""`newsflow eval quotes --gold FILE`: the entity stage then the quote stage over hand-annotated
articles, scored the way quote-attribution papers score (PARC, Citron).

Matching rules:
- direct quotes match only on the exact span (first opening mark to last closing mark);
- reported speech matches when the character overlap covers at least half of both the gold and
  the predicted span (content boundaries of a reported clause are fuzzy: "that", a trailing
  adverbial);
- each gold quote matches at most one prediction of the same kind, best overlap first;
- speaker accuracy is over matched quotes: the predicted speaker (its text, or the canonical name
  of its entity) and the gold speaker agree when the content words of one contain the other's
  ("Putin" ~ "Vladimir Putin", "the spokesman" ~ "a police spokesman" does not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from evaluation.metrics import prf
from schemas import CleanedArticle, Entity, Quote, QuoteKind, RawArticle, StageSettings
from workers.base import WorkItem
from workers.pipeline import run_stage

MIN_OVERLAP = 0.5
_STOP = frozenset({"a", "an", "the", "of", "for", "in", "at", "on", "by", "and"})
_WORD = re.compile(r"[\w.]+(?:['’]\w+)?")


@dataclass(frozen=True, slots=True)
class GoldQuote:
    kind: QuoteKind
    start: int
    end: int
    speaker: str | None
    named: bool


@dataclass(frozen=True, slots=True)
class GoldArticle:
    id: str
    text: str
    quotes: tuple[GoldQuote, ...]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for block in text.split("\n\n"):
        if block.strip():
            spans.append((pos, pos + len(block)))
        pos += len(block) + 2
    return spans


def load_gold(path: Path) -> list[GoldArticle]:
    """Gold quotes are given as exact substrings; their offsets are found here so annotators
    never count characters. A substring that is missing is an annotation error, not a miss."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    articles = []
    for art in data["articles"]:
        text = art["text"].rstrip("\n")
        quotes = []
        for q in art.get("quotes") or []:
            span = q["span"]
            start = text.find(span)
            if start < 0:
                raise ValueError(f"{art['id']}: gold span not in text: {span[:60]!r}")
            quotes.append(
                GoldQuote(
                    QuoteKind(q["kind"]),
                    start,
                    start + len(span),
                    q.get("speaker"),
                    bool(q.get("named", False)),
                )
            )
        articles.append(GoldArticle(art["id"], text, tuple(quotes)))
    return articles


def predict(articles: list[GoldArticle], settings: StageSettings) -> list[WorkItem]:
    """The real stages, in pipeline order, over the gold texts as cleaned articles."""
    from workers.entities import EntityStage
    from workers.quotes import QuoteStage

    items = [
        WorkItem(
            raw=RawArticle(id=a.id, body=a.text),
            cleaned=CleanedArticle(
                id=a.id, text=a.text, paragraphs=_paragraphs(a.text), content_hash=a.id
            ),
        )
        for a in articles
    ]
    for stage in (EntityStage(settings), QuoteStage(settings)):
        run_stage(stage, items)
    failed = [f"{i.raw.id}: {i.failure.reason}" for i in items if i.failure is not None]
    if failed:
        raise RuntimeError("stage failed on gold articles: " + "; ".join(failed))
    return items


def _overlap(gold: GoldQuote, pred: Quote) -> float:
    inter = min(gold.end, pred.end) - max(gold.start, pred.start)
    if inter <= 0:
        return 0.0
    return inter / max(gold.end - gold.start, pred.end - pred.start)


def _match(gold: GoldQuote, pred: Quote) -> float:
    if gold.kind is QuoteKind.DIRECT:
        return 1.0 if (gold.start, gold.end) == (pred.start, pred.end) else 0.0
    score = _overlap(gold, pred)
    return score if score >= MIN_OVERLAP else 0.0


def _words(text: str) -> set[str]:
    return {w.lower().rstrip(".") for w in _WORD.findall(text)} - _STOP - {""}


def speaker_agrees(gold: str | None, pred: Quote, entities: list[Entity]) -> bool:
    if gold is None or pred.speaker is None:
        return gold is None and pred.speaker is None
    want = _words(gold)
    names = [pred.speaker.text, pred.speaker.name or ""]
    names += [e.name for e in entities if e.id == pred.speaker.entity_id]
    for name in names:
        got = _words(name)
        if got and want and (got <= want or want <= got):
            return True
    return False


def compare(articles: list[GoldArticle], items: list[WorkItem]) -> dict[str, Any]:
    """Counts and the list of disagreements (for error analysis)."""
    counts = {k: {"tp": 0, "fp": 0, "fn": 0} for k in QuoteKind}
    speaker_ok = {k: 0 for k in QuoteKind}
    linked = {"named_linked": 0, "named": 0, "unnamed_unlinked": 0, "unnamed": 0}
    errors: list[dict[str, Any]] = []
    for art, item in zip(articles, items, strict=True):
        preds = list(item.quotes)
        used: set[int] = set()
        for g in art.quotes:
            scored = [
                (_match(g, p), i) for i, p in enumerate(preds) if i not in used and p.kind is g.kind
            ]
            best = max(scored, default=(0.0, -1))
            if best[0] <= 0:
                counts[g.kind]["fn"] += 1
                errors.append(
                    {"id": art.id, "miss": g.kind.value, "gold": art.text[g.start : g.end]}
                )
                continue
            used.add(best[1])
            p = preds[best[1]]
            counts[g.kind]["tp"] += 1
            if speaker_agrees(g.speaker, p, item.entities):
                speaker_ok[g.kind] += 1
            else:
                errors.append(
                    {
                        "id": art.id,
                        "speaker": g.kind.value,
                        "gold": g.speaker,
                        "pred": p.speaker.text if p.speaker else None,
                        "quote": p.text[:60],
                    }
                )
            if g.speaker is not None and g.named:
                linked["named"] += 1
                linked["named_linked"] += bool(p.speaker and p.speaker.entity_id)
            elif g.speaker is not None:
                linked["unnamed"] += 1
                linked["unnamed_unlinked"] += bool(p.speaker and not p.speaker.entity_id)
        for i, p in enumerate(preds):
            if i not in used:
                counts[p.kind]["fp"] += 1
                errors.append({"id": art.id, "extra": p.kind.value, "pred": p.text[:80]})
    return {"counts": counts, "speaker_ok": speaker_ok, "linked": linked, "errors": errors}


def _ratio(num: int, den: int) -> float:
    return round(num / den, 4) if den else 1.0


def evaluate(gold: Path, settings: StageSettings) -> dict[str, Any]:
    """Our own gold file, or a PolNeAR split folder (attributions/ + text/)."""
    from evaluation import polnear

    if polnear.is_split(gold):
        return polnear.evaluate_split(gold, settings)
    if gold.is_dir():
        raise ValueError(f"{gold}: neither a gold file nor a PolNeAR split (attributions/, text/)")
    return evaluate_gold(gold, settings)


def evaluate_gold(gold: Path, settings: StageSettings) -> dict[str, Any]:
    articles = load_gold(gold)
    result = compare(articles, predict(articles, settings))
    counts, ok, linked = result["counts"], result["speaker_ok"], result["linked"]
    matched = {k: counts[k]["tp"] for k in QuoteKind}
    total = {k: sum(counts[kind][k] for kind in QuoteKind) for k in ("tp", "fp", "fn")}
    direct = prf(**counts[QuoteKind.DIRECT])
    return {
        "row": {
            "stage": "quotes",
            "set": f"{gold.parent.name}/{gold.name}",
            "items": len(articles),
            "figures": {
                "direct P": direct["precision"],
                "direct R": direct["recall"],
                "direct F1": direct["f1"],
                "speaker acc": _ratio(ok[QuoteKind.DIRECT], matched[QuoteKind.DIRECT]),
                "reported R": prf(**counts[QuoteKind.INDIRECT])["recall"],
            },
            "baseline": None,
        },
        "articles": len(articles),
        "gold_quotes": {k.value: counts[k]["tp"] + counts[k]["fn"] for k in QuoteKind},
        "matching": {
            "direct": "exact span, first opening to last closing mark",
            "indirect": f"character overlap >= {MIN_OVERLAP} of both gold and predicted span",
            "speaker": "over matched quotes; content words of one name contain the other's",
        },
        "direct": direct,
        "indirect": prf(**counts[QuoteKind.INDIRECT]),
        "all": prf(**total),
        "speaker_accuracy": _ratio(sum(ok.values()), sum(matched.values())),
        "speaker_accuracy_direct": _ratio(ok[QuoteKind.DIRECT], matched[QuoteKind.DIRECT]),
        "speaker_accuracy_indirect": _ratio(ok[QuoteKind.INDIRECT], matched[QuoteKind.INDIRECT]),
        "named_speaker_linked_to_entity": _ratio(linked["named_linked"], linked["named"]),
        "unnamed_speaker_without_entity": _ratio(linked["unnamed_unlinked"], linked["unnamed"]),
    }

"""`newsflow eval entities --gold FILE`: mention and clustering scores of the entity stage.

The gold file marks mentions inline (`[[Vladimir Putin|PERSON|putin]]`, see the header of
`gold/entities.txt`); offsets are computed here, so the annotator never counts characters.

Mentions score by exact span and type class. GPE and LOC form one PLACE class: the line between a
city with a government and a region without one is a style choice the reader does not care about.
Types outside the scored classes (dates, events, products, laws) are not annotated, and the stage's
predictions of them are ignored. Clustering is scored over the mentions both sides found (same
span, any type), with B-cubed and pairwise precision, recall and F1, so a detection error is not
counted twice.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from evaluation.metrics import prf
from schemas import CleanedArticle, RawArticle, StageSettings
from workers.base import WorkItem
from workers.entities import EntityStage

CLASSES = ("PERSON", "ORG", "PLACE", "NORP", "FAC")
_CLASS_OF = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "NORP": "NORP"}
_CLASS_OF["FAC"] = "FAC"
_MARK = re.compile(r"\[\[([^\[\]|]+)\|([A-Z_]+)(?:\|([^\[\]|]+))?\]\]")
_HEADER = re.compile(r"^=== (\S+) ===$", re.MULTILINE)

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class GoldMention:
    start: int
    end: int
    type: str
    cluster: str


@dataclass(frozen=True, slots=True)
class GoldArticle:
    id: str
    text: str
    mentions: tuple[GoldMention, ...]


def parse_article(article_id: str, marked: str) -> GoldArticle:
    """Strip the inline marks of one article and record where each mention lands."""
    parts: list[str] = []
    mentions: list[GoldMention] = []
    pos = length = 0
    for m in _MARK.finditer(marked):
        parts.append(marked[pos : m.start()])
        length += m.start() - pos
        surface, etype, cluster = m.group(1), m.group(2), m.group(3)
        if etype not in _CLASS_OF:
            raise ValueError(f"{article_id}: unknown type {etype!r} in {m.group(0)!r}")
        mentions.append(
            GoldMention(length, length + len(surface), etype, cluster or surface.casefold())
        )
        parts.append(surface)
        length += len(surface)
        pos = m.end()
    parts.append(marked[pos:])
    text = "".join(parts)
    if "[[" in text or "]]" in text:
        raise ValueError(f"{article_id}: malformed mark near {text[text.find('[[') :][:40]!r}")
    return GoldArticle(article_id, text, tuple(mentions))


def load_gold(path: Path) -> list[GoldArticle]:
    content = path.read_text(encoding="utf-8")
    heads = list(_HEADER.finditer(content))
    if not heads:
        raise ValueError(f"{path}: no '=== id ===' article headers")
    articles = []
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(content)
        articles.append(parse_article(head.group(1), content[head.end() : end].strip("\n")))
    return articles


def predict(articles: list[GoldArticle], settings: StageSettings) -> list[WorkItem]:
    """Run the real stage (one batch, one `nlp.pipe`) over the gold texts."""
    items = []
    for art in articles:
        digest = hashlib.sha256(art.text.encode()).hexdigest()
        items.append(
            WorkItem(
                raw=RawArticle(id=art.id, body=art.text),
                cleaned=CleanedArticle(
                    id=art.id, text=art.text, content_hash=digest, language="en"
                ),
            )
        )
    EntityStage(settings)(items)
    return items


def _bcubed(pred: dict[Span, str], gold: dict[Span, str]) -> tuple[float, float, int]:
    """Sums of per-mention precision and recall over mentions both sides have, and their number."""
    common = pred.keys() & gold.keys()
    p_members: dict[str, set[Span]] = defaultdict(set)
    g_members: dict[str, set[Span]] = defaultdict(set)
    for span in common:
        p_members[pred[span]].add(span)
        g_members[gold[span]].add(span)
    p_sum = r_sum = 0.0
    for span in common:
        p_set, g_set = p_members[pred[span]], g_members[gold[span]]
        overlap = len(p_set & g_set)
        p_sum += overlap / len(p_set)
        r_sum += overlap / len(g_set)
    return p_sum, r_sum, len(common)


def _pairs(pred: dict[Span, str], gold: dict[Span, str]) -> tuple[int, int, int]:
    common = sorted(pred.keys() & gold.keys())
    tp = fp = fn = 0
    for a, b in combinations(common, 2):
        same_p, same_g = pred[a] == pred[b], gold[a] == gold[b]
        tp += same_p and same_g
        fp += same_p and not same_g
        fn += same_g and not same_p
    return tp, fp, fn


def score(articles: list[GoldArticle], items: list[WorkItem]) -> dict[str, Any]:
    counts = {c: [0, 0, 0] for c in CLASSES}  # tp, fp, fn
    span_counts = [0, 0, 0]
    b_p = b_r = 0.0
    b_n = 0
    pair_counts = [0, 0, 0]
    errors: list[dict[str, str]] = []
    for art, item in zip(articles, items, strict=True):
        gold = {(m.start, m.end): _CLASS_OF[m.type] for m in art.mentions}
        pred: dict[Span, str] = {}
        pred_cluster: dict[Span, str] = {}
        for ent in item.entities:
            cls = _CLASS_OF.get(ent.type.value)
            for m in ent.mentions:
                pred_cluster[(m.start, m.end)] = ent.id
                if cls is not None:
                    pred[(m.start, m.end)] = cls
        for span, cls in pred.items():
            hit = gold.get(span) == cls
            counts[cls][0 if hit else 1] += 1
            if not hit:
                errors.append(_error(art, "fp", span, cls, gold.get(span)))
        for span, cls in gold.items():
            if pred.get(span) != cls:
                counts[cls][2] += 1
                if span not in pred:
                    errors.append(_error(art, "fn", span, cls, None))
        tp = len(pred.keys() & gold.keys())
        span_counts[0] += tp
        span_counts[1] += len(pred) - tp
        span_counts[2] += len(gold) - tp
        gold_cluster = {(m.start, m.end): m.cluster for m in art.mentions}
        scored_pred = {s: c for s, c in pred_cluster.items() if s in pred}
        p, r, n = _bcubed(scored_pred, gold_cluster)
        b_p, b_r, b_n = b_p + p, b_r + r, b_n + n
        for i, v in enumerate(_pairs(scored_pred, gold_cluster)):
            pair_counts[i] += v
        errors.extend(_cluster_errors(art, scored_pred, gold_cluster))
    precision = b_p / b_n if b_n else 1.0
    recall = b_r / b_n if b_n else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    micro = [sum(counts[c][i] for c in CLASSES) for i in range(3)]
    return {
        "articles": len(articles),
        "gold_mentions": sum(len(a.mentions) for a in articles),
        "mentions": {c: prf(*counts[c]) for c in CLASSES} | {"micro": prf(*micro)},
        "mention_spans_untyped": prf(*span_counts),
        "clustering": {
            "mentions_scored": b_n,
            "bcubed": {
                "precision": round(precision, 4),
                "recall": round(recall, 4),
                "f1": round(f1, 4),
            },
            "pairwise": prf(*pair_counts),
        },
        "errors": errors,
    }


def _error(art: GoldArticle, kind: str, span: Span, cls: str, other: str | None) -> dict[str, str]:
    text = art.text[span[0] : span[1]]
    note = f"{kind} {cls} {text!r}" + (f" (gold {other})" if other else "")
    return {"article": art.id, "error": note}


def _cluster_errors(
    art: GoldArticle, pred: dict[Span, str], gold: dict[Span, str]
) -> list[dict[str, str]]:
    """Gold clusters split by the system, and system clusters mixing gold clusters."""
    out = []
    by_gold: dict[str, set[str]] = defaultdict(set)
    by_pred: dict[str, set[str]] = defaultdict(set)
    for span in pred.keys() & gold.keys():
        by_gold[gold[span]].add(pred[span])
        by_pred[pred[span]].add(gold[span])
    for cluster, ids in by_gold.items():
        if len(ids) > 1:
            out.append({"article": art.id, "error": f"split gold cluster {cluster!r}"})
    for ent_id, clusters in by_pred.items():
        if len(clusters) > 1:
            out.append({"article": art.id, "error": f"merged {sorted(clusters)} in {ent_id}"})
    return out


def bare_score(articles: list[GoldArticle], settings: StageSettings) -> dict[str, Any]:
    """The same scores for the model's own entities, every newsflow rule component off."""
    from workers.entities.pipeline import bare, entity_nlp

    nlp = entity_nlp(settings.spacy_model)
    with bare(nlp):
        docs = list(nlp.pipe([a.text for a in articles], batch_size=settings.nlp_batch_size))
    counts = {c: [0, 0, 0] for c in CLASSES}
    for art, doc in zip(articles, docs, strict=True):
        gold = {(m.start, m.end): _CLASS_OF[m.type] for m in art.mentions}
        pred = {
            (e.start_char, e.end_char): _CLASS_OF[e.label_]
            for e in doc.ents
            if e.label_ in _CLASS_OF
        }
        for span, cls in pred.items():
            counts[cls][0 if gold.get(span) == cls else 1] += 1
        for span, cls in gold.items():
            if pred.get(span) != cls:
                counts[cls][2] += 1
    micro = [sum(counts[c][i] for c in CLASSES) for i in range(3)]
    return {c: prf(*counts[c]) for c in CLASSES} | {"micro": prf(*micro)}


def _figures(mentions: dict[str, dict[str, float]]) -> dict[str, float]:
    """The contract's headline figures: F1, P, R over PERSON, ORG and PLACE (the types CoNLL
    scores), then the F1 of each (PLACE as LOC)."""
    micro = prf(
        *(sum(mentions[c][k] for c in ("PERSON", "ORG", "PLACE")) for k in ("tp", "fp", "fn"))
    )
    return {
        "F1": micro["f1"],
        "P": micro["precision"],
        "R": micro["recall"],
        "PER": mentions["PERSON"]["f1"],
        "ORG": mentions["ORG"]["f1"],
        "LOC": mentions["PLACE"]["f1"],
    }


def evaluate(
    gold: Path,
    settings: StageSettings,
    *,
    show_errors: bool = False,
    disable: tuple[str, ...] = (),
    baseline: bool = True,
) -> dict[str, Any]:
    """Scores of the entity stage on a gold file (ours, or a CoNLL file: `entities_conll`);
    `show_errors` keeps the list of misses, `disable` switches rule components off."""
    from evaluation.conll import is_conll

    if is_conll(gold):
        from evaluation import entities_conll

        return entities_conll.evaluate(
            gold, settings, show_errors=show_errors, disable=disable, bare=baseline
        )
    from workers.entities.pipeline import entity_nlp, rule_components_off

    articles = load_gold(gold)
    with rule_components_off(entity_nlp(settings.spacy_model), disable):
        result = score(articles, predict(articles, settings))
    if not show_errors:
        result.pop("errors")
    bare = (
        None
        if not baseline
        else {
            "name": f"bare {settings.spacy_model}",
            "figures": _figures(bare_score(articles, settings)),
        }
    )
    row = {
        "stage": "entities",
        "set": gold.name if gold.parent.name != "gold" else f"gold/{gold.name}",
        "items": len(articles),
        "figures": _figures(result["mentions"]),
        "baseline": bare,
    }
    return {"row": row, **result}


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--gold", type=Path, default=Path("gold/entities.txt"))
    parser.add_argument("--errors", action="store_true", help="list every miss")
    parser.add_argument("--model", default=StageSettings().spacy_model)
    parser.add_argument(
        "--ablation", action="store_true", help="the row with each rule component off in turn"
    )
    args = parser.parse_args(argv)
    settings = StageSettings(spacy_model=args.model)
    if args.ablation:
        print(json.dumps(ablation(args.gold, settings), indent=2))
        return 0
    print(json.dumps(evaluate(args.gold, settings, show_errors=args.errors), indent=2))
    return 0


def ablation(gold: Path, settings: StageSettings) -> list[dict[str, Any]]:
    """The row of the full stage, then one with each rule component off in turn."""
    from workers.entities.pipeline import STEPS

    rows = []
    for name in ["", *(step for step, _, _ in STEPS)]:
        scores = evaluate(gold, settings, disable=(name,) if name else (), baseline=False)
        rows.append({"off": name or None, "figures": scores["row"]["figures"]})
        print(f"ablation: {name or 'all on'} {rows[-1]['figures']}", file=sys.stderr)
    return rows


if __name__ == "__main__":
    raise SystemExit(main())

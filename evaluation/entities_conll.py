"""`newsflow eval entities --gold FILE.conll`: the entity stage on CoNLL-2003 news, beside the
bare spaCy pipeline it starts from.

Each article-like document goes through the real cleaning and entity stages exactly as `newsflow
run` takes a `.txt` file (first line the title, the rest the body), so the figures equal those of
`dev-data/eval/score_conll.py score` on that run's output. The bare pipeline is the same spaCy
model with newsflow's rule components switched off, over the whole text (headline included), as
`score_conll.py spacy` runs it.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from evaluation.conll import (
    TYPES,
    Bag,
    article_like,
    document_text,
    error_patterns,
    gold_bag,
    normalise,
    predicted_bag,
    read_documents,
    score_bags,
)
from schemas import RawArticle, StageSettings
from workers.base import WorkItem


def load(path: Path) -> tuple[list[str], list[Bag]]:
    """Texts and gold bags of the article-like documents."""
    docs = [d for d in read_documents(path) if article_like(d)]
    if not docs:
        raise ValueError(f"{path}: no article-like documents")
    return [document_text(d) for d in docs], [gold_bag(d) for d in docs]


def run_stages(
    texts: list[str], settings: StageSettings, disable: tuple[str, ...] = ()
) -> tuple[list[Bag], float, int]:
    """Bags of the entity stage's mentions per text, the stage's CPU seconds, and how many
    outputs the scorer cannot pair with their document (see `_found_by_title`).

    `disable` names rule components switched off for this run (an ablation)."""
    from workers.cleaning import CleaningStage
    from workers.entities import EntityStage
    from workers.entities.pipeline import entity_nlp, rule_components_off

    items = []
    for i, text in enumerate(texts):
        title, _, body = text.partition("\n")
        raw = RawArticle(
            id=f"conll-{i:03d}-{hashlib.sha256(text.encode()).hexdigest()[:8]}",
            title=title.strip(),
            body=body,
        )
        items.append(WorkItem(raw=raw))
    CleaningStage(settings)(items)
    stage = EntityStage(settings)
    nlp = entity_nlp(settings.spacy_model)
    with rule_components_off(nlp, disable):
        start = time.process_time()
        stage(items)
        cpu = time.process_time() - start
    paired = [_found_by_title(text, item) for text, item in zip(texts, items, strict=True)]
    bags = [
        predicted_bag((m.text, ent.type.value) for ent in item.entities for m in ent.mentions)
        if ok
        else Counter()
        for ok, item in zip(paired, items, strict=True)
    ]
    return bags, cpu, paired.count(False)


def _found_by_title(text: str, item: WorkItem) -> bool:
    """Whether the shared scorer pairs this output with its document: it looks the output up by
    its normalised title, so an article whose title cleaning rewrote ("--" to a dash) scores as
    if nothing had been found. Kept, so the figures equal the scorer's."""
    title = item.cleaned.title if item.cleaned is not None else None
    return normalise(title) == normalise(text.split("\n")[0])


def run_bare(texts: list[str], settings: StageSettings) -> list[Bag]:
    """The model's own entities, no newsflow rule component."""
    from workers.entities.pipeline import bare, entity_nlp

    nlp = entity_nlp(settings.spacy_model)
    with bare(nlp):
        return [
            predicted_bag((e.text, e.label_) for e in doc.ents)
            for doc in nlp.pipe(texts, batch_size=settings.nlp_batch_size)
        ]


def figures(scores: dict[str, Any]) -> dict[str, float]:
    """The row's headline figures in the contract's order: F1, P, R, PER, ORG, LOC."""
    out = {"F1": scores["F1"], "P": scores["P"], "R": scores["R"]}
    out.update({typ: scores["types"][typ]["F1"] for typ in TYPES})
    return out


def evaluate(
    gold: Path,
    settings: StageSettings,
    *,
    show_errors: bool = False,
    disable: tuple[str, ...] = (),
    bare: bool = True,
) -> dict[str, Any]:
    texts, golds = load(gold)
    print(f"entities: {len(texts)} article-like documents of {gold}", file=sys.stderr)
    preds, cpu, unpaired = run_stages(texts, settings, disable)
    scores = score_bags(golds, preds)
    bare_scores = score_bags(golds, run_bare(texts, settings)) if bare else None
    patterns = error_patterns(golds, preds)
    result: dict[str, Any] = {
        "row": {
            "stage": "entities",
            "set": gold.stem if gold.suffix == ".txt" else gold.name,
            "items": len(texts),
            "figures": figures(scores),
            "baseline": (
                {"name": f"bare {settings.spacy_model}", "figures": figures(bare_scores)}
                if bare_scores
                else None
            ),
        },
        "scores": scores,
        "bare": bare_scores,
        "disabled": list(disable),
        "unpaired_by_title": unpaired,
        "entity_stage_cpu_s_per_article": round(cpu / len(texts), 4),
        "error_patterns": patterns,
    }
    # the error patterns are for people: always on stderr, the full lists with `show_errors`
    for kind, info in patterns.items():
        print(f"{kind}: {info['count']} {info['by_type']}", file=sys.stderr)
        for line in info["top"][: None if show_errors else 5]:
            print(f"    {line}", file=sys.stderr)
    return result

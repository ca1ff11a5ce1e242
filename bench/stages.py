"""Stage rates in one process, no transport: each stage alone, and spaCy alone as the yardstick.

Every figure is from the same cleaned texts, so "NLP only" and "entities" differ by exactly what
the entity stage adds beside the parse (mention finding, clustering, set_ents).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from flows.stages import build_stages
from schemas import RawArticle, StageSettings
from workers.base import WorkItem
from workers.entities.pipeline import bare
from workers.entities.stage import cut
from workers.nlp import load_nlp
from workers.pipeline import parses, run_pipeline, run_stage


@dataclass(frozen=True)
class Rate:
    articles: int
    words: int
    seconds: float
    cpu_seconds: float

    def as_dict(self) -> dict[str, float]:
        s = max(self.seconds, 1e-9)
        return {
            "articles": self.articles,
            "seconds": round(self.seconds, 3),
            "cpu_seconds": round(self.cpu_seconds, 3),
            "articles_per_s": round(self.articles / s, 2),
            "words_per_s": round(self.words / s, 1),
        }


def batches(items: list[WorkItem], size: int) -> list[list[WorkItem]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


#: Articles of bench length run through every stage before any timing. A consumer that has run
#: for a while parses faster than a fresh process: the first full batch after start-up measured
#: 0.2-1 s slower than the ones after it (allocator and cache warm-up in the parse).
WARM_UP_ARTICLES = 32


def warm_up(settings: StageSettings) -> None:
    """Load the models (spaCy, language id) and run a batch of bench-like articles through
    every stage, outside every timed region. The corpus seed differs from any bench corpus."""
    from bench.corpus import generate

    items = [WorkItem(raw=a) for a in generate(WARM_UP_ARTICLES, words=600, seed=99_999)]
    for stage in build_stages(settings):
        run_stage(stage, items)
    load_nlp(settings.spacy_model)


def measure_stages(
    articles: list[RawArticle], settings: StageSettings, batch_size: int = 64
) -> dict[str, dict[str, Any]]:
    """Each stage timed over the whole corpus in batches of `batch_size`, stage by stage, and
    spaCy alone over the same cleaned texts twice, just before and just after the parsing stages.

    Fresh stage objects (their own duplicate index), so a rerun in one process measures the same.
    """
    from workers.cleaning import CleaningStage
    from workers.entities import EntityStage
    from workers.quotes import QuoteStage

    warm_up(settings)
    items = [WorkItem(raw=a) for a in articles]
    chunks = batches(items, batch_size)
    stages = (CleaningStage(settings), EntityStage(settings), QuoteStage(settings))
    seconds: dict[str, float] = {}
    cpu: dict[str, float] = {}
    nlp_runs: list[tuple[float, float]] = []
    texts: list[str] = []
    for stage in stages:
        if parses(stage) and not nlp_runs:
            texts = nlp_texts(items, settings)
            nlp_runs.append(timed_nlp_only(texts, settings))
        started = time.process_time()
        seconds[stage.name.value] = sum(run_stage(stage, chunk) for chunk in chunks)
        cpu[stage.name.value] = time.process_time() - started
    failed = [i for i in items if not i.ok]
    if failed:
        first = failed[0].failure
        raise RuntimeError(f"{len(failed)} bench articles failed a stage, e.g. {first}")
    nlp_runs.append(timed_nlp_only(texts, settings))
    words = sum(len(t.split()) for t in texts)
    raw_words = sum(len(a.body.split()) for a in articles)
    rates: dict[str, dict[str, Any]] = {
        name: Rate(len(items), raw_words if name == "cleaning" else words, s, cpu[name]).as_dict()
        for name, s in seconds.items()
    }
    # The mean of a run before the parsing stages and one after them: one run alone is earlier
    # or later than the stages, and the machine drifts (single runs differ by up to 5 %).
    nlp_seconds = sum(wall for wall, _ in nlp_runs) / len(nlp_runs)
    nlp_cpu = sum(c for _, c in nlp_runs) / len(nlp_runs)
    rates["nlp_only"] = {
        **Rate(len(texts), words, nlp_seconds, nlp_cpu).as_dict(),
        "runs_seconds": [round(wall, 3) for wall, _ in nlp_runs],
    }
    rates["all_stages"] = Rate(
        len(items), words, sum(seconds.values()), sum(cpu.values())
    ).as_dict()
    return rates


def interleaved_cpu(
    articles: list[RawArticle], settings: StageSettings, batch_size: int = 16
) -> tuple[float, float]:
    """(stages, NLP only) CPU seconds over `articles`, alternating chunk by chunk: every stage
    over a chunk, then the yardstick's `nlp.pipe` over that chunk's texts, then the next chunk.

    Why: `measure_stages` runs each over the whole corpus minutes apart, and this host drifts by
    a tenth within minutes (the same code measured 0.78-1.02 of NLP only there). Alternating
    every second or two lets both see the same machine, so the ratio is the stages' cost."""
    warm_up(settings)
    stages = build_stages(settings)
    stages_cpu = parse_cpu = 0.0
    for chunk in batches([WorkItem(raw=a) for a in articles], batch_size):
        started = time.process_time()
        run_pipeline(stages, chunk)
        stages_cpu += time.process_time() - started
        for item in chunk:
            item.doc = None
        parse_cpu += timed_nlp_only(nlp_texts(chunk, settings), settings)[1]
    return stages_cpu, parse_cpu


def nlp_texts(items: list[WorkItem], settings: StageSettings) -> list[str]:
    """What the parse stages hand spaCy: each cleaned text, cut as the entity stage cuts it."""
    return [cut(i.cleaned.text, settings.max_nlp_chars) for i in items if i.cleaned]


def yardstick_texts(articles: list[RawArticle], settings: StageSettings) -> list[str]:
    """The yardstick's texts for `articles`: cleaned by a fresh cleaning stage, then cut."""
    from workers.cleaning import CleaningStage

    items = [WorkItem(raw=a) for a in articles]
    run_stage(CleaningStage(settings, find_duplicates=False), items)
    return nlp_texts(items, settings)


def timed_nlp_only(texts: list[str], settings: StageSettings) -> tuple[float, float]:
    """(wall, CPU) seconds of one `nlp_only_seconds` run."""
    started = time.process_time()
    wall = nlp_only_seconds(texts, settings)
    return wall, time.process_time() - started


def nlp_only_seconds(texts: list[str], settings: StageSettings) -> float:
    """The same model, the same texts, the same batch size: what spaCy alone costs.

    The model's own components only (`yardstick_components`): the entity stage adds its rule
    layers to the shared pipeline once it is built, and those are stage work the yardstick
    must not contain. Until the tenth session they ran in it, which made it ~3-4 % slower."""
    nlp = load_nlp(settings.spacy_model)
    with bare(nlp):
        started = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=settings.nlp_batch_size):
            pass
        return time.perf_counter() - started


def yardstick_components(settings: StageSettings) -> list[str]:
    """The components `nlp_only_seconds` runs: the model package's, none of newsflow's."""
    nlp = load_nlp(settings.spacy_model)
    with bare(nlp):
        return list(nlp.pipe_names)

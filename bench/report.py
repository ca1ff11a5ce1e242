"""`newsflow bench`: one run on this machine, every figure of issue 8, as one JSON object.

Ratios are computed within the run (same machine, same minute, same texts), which is what makes
them comparable across machines and what the regression test checks; absolute rates are printed
for the record, with the machine and its load, and are only meaningful beside them.
"""

from __future__ import annotations

import os
import platform
import time
from typing import Any

import psutil

from bench.corpus import generate, word_count
from bench.stages import measure_stages
from flows.config import DEFAULT_MAX_BATCH, Settings

ALL_STAGES = "cleaning,entities,quotes"
TRANSPORT_ONLY = "cleaning"

TARGETS = {
    "e2e_1_process_vs_nlp_only": 0.90,
    "e2e_2_processes_vs_1": 1.70,
    "transport_only_articles_per_s": 1000.0,
    "memory_growth_pct_2000_to_20000": 10.0,
}


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next(
                (line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")),
                cpu,
            )
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "load_avg_1m_at_start": round(os.getloadavg()[0], 2),
    }


def run_bench(
    settings: Settings,
    articles: int = 300,
    words: int = 600,
    processes: tuple[int, ...] = (1, 2),
    skip_e2e: bool = False,
    seed: int = 8,
    max_batch: int = DEFAULT_MAX_BATCH,
    runs: int = 3,
) -> dict[str, Any]:
    """`runs`: how often each end-to-end scenario with all stages runs (interleaved: 1, 2, 1,
    2, ...); the median run is reported, with every run's rate beside it."""
    report: dict[str, Any] = {"machine": machine()}
    corpus = generate(articles, words=words, seed=seed)
    report["corpus"] = {
        "articles": len(corpus),
        "seed": seed,
        "raw_words_per_article": round(word_count(corpus) / max(len(corpus), 1), 1),
        "html_articles": sum(1 for a in corpus if a.content_type.value == "text/html"),
        "spacy_model": settings.stages.spacy_model,
        "nlp_batch_size": settings.stages.nlp_batch_size,
        "flow_max_batch": max_batch,
    }
    started = time.perf_counter()
    stages = measure_stages(corpus, settings.stages, batch_size=max_batch)
    report["stages"] = stages
    nlp_rate = stages["nlp_only"]["articles_per_s"]
    ratios: dict[str, float | None] = {
        "all_stages_vs_nlp_only": _ratio(stages["all_stages"]["articles_per_s"], nlp_rate),
    }
    if not skip_e2e:
        from bench.e2e import Scenario, run_scenario

        tries: dict[int, list[dict[str, Any]]] = {n: [] for n in processes}
        for _ in range(max(runs, 1)):
            for n in processes:
                scenario = Scenario(n, ALL_STAGES, max_batch=max_batch)
                tries[n].append(run_scenario(corpus, scenario, settings.kafka))
        e2e = {f"processes_{n}": median_run(results) for n, results in tries.items()}
        from bench.store_ceiling import measure_store_ceiling

        transport = run_scenario(
            corpus, Scenario(1, TRANSPORT_ONLY, max_batch=max_batch), settings.kafka
        )
        most = max(processes)
        if most > 1:
            transport[f"processes_{most}"] = run_scenario(
                corpus, Scenario(most, TRANSPORT_ONLY, max_batch=max_batch), settings.kafka
            )
        report["e2e"] = e2e
        report["transport_only"] = transport
        report["store_ceiling"] = measure_store_ceiling(corpus)
        one = e2e.get("processes_1", {}).get("articles_per_s")
        two = e2e.get("processes_2", {}).get("articles_per_s")
        ratios["e2e_1_process_vs_nlp_only"] = _ratio(one, nlp_rate)
        ratios["e2e_1_process_vs_all_stages"] = _ratio(one, stages["all_stages"]["articles_per_s"])
        ratios["e2e_2_processes_vs_1"] = _ratio(two, one)
        # Load-independent view of the flow's cost: CPU the consumer (and its Prefect server)
        # spent per article, over what the stages alone spent per article.
        if "processes_1" in e2e:
            cpu = e2e["processes_1"]["cpu_seconds"]
            ratios["e2e_1_process_cpu_vs_all_stages_cpu"] = _ratio(
                sum(cpu.values()), stages["all_stages"]["cpu_seconds"]
            )
        report["targets"] = _targets(ratios, transport)
    report["ratios"] = ratios
    report["machine"]["load_avg_1m_at_end"] = round(os.getloadavg()[0], 2)
    report["bench_seconds"] = round(time.perf_counter() - started, 1)
    report["method"] = (
        "stages: each stage alone over the corpus in batches, in this process, models loaded "
        "first; nlp_only: nlp.pipe over the same cleaned texts with the same batch size. "
        "e2e: N `newsflow consume --until-idle` processes in one fresh group on a fresh topic "
        "(>= 2 partitions) and bucket (written once before timing), started and warmed up "
        "(models, a batch through every stage, Prefect) before being released together; the "
        "corpus is published as one bulk load once the group is stable; rate = articles "
        "/ (last batch stored and committed - first message received), over all processes; "
        "each such scenario runs `runs` times, interleaved, and the median run is reported. "
        "nlp_only is the mean of a run just before and one just after the parsing stages. "
        "transport_only: the same with "
        "NEWSFLOW_STAGES=cleaning (cleaning cannot be switched off), 1 process and the largest "
        "process count; its target is checked against the faster. store_ceiling: PUTs/s the "
        "object store takes from one process through the flow's client and thread count, "
        "divided by the objects an article costs (a raw and an enriched document)."
    )
    return report


def median_run(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median rate (the lower middle one of an even count), and every run's
    rate in the order they ran. One run swings by about 4 % on a shared 2-core machine, as much
    as the distance between a target and a miss; the median of three does not follow one slow
    or one lucky run."""
    ranked = sorted(results, key=lambda r: r.get("articles_per_s") or 0.0)
    chosen = dict(ranked[(len(ranked) - 1) // 2])
    chosen["runs_articles_per_s"] = [r.get("articles_per_s") for r in results]
    return chosen


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a and b else None


def _targets(ratios: dict[str, float | None], transport: dict[str, Any]) -> dict[str, Any]:
    measured = {
        "e2e_1_process_vs_nlp_only": ratios.get("e2e_1_process_vs_nlp_only"),
        "e2e_2_processes_vs_1": ratios.get("e2e_2_processes_vs_1"),
        "transport_only_articles_per_s": max(
            (r for t in _transport_runs(transport) if (r := t.get("articles_per_s"))), default=None
        ),
    }
    return {
        name: {
            "target": TARGETS[name],
            "measured": value,
            "met": value is not None and value >= TARGETS[name],
        }
        for name, value in measured.items()
    }


def _transport_runs(transport: dict[str, Any]) -> list[dict[str, Any]]:
    """The 1-process transport run and, when there is one, the multi-process run inside it."""
    return [transport] + [v for k, v in transport.items() if k.startswith("processes_")]


def memory_target(result: dict[str, Any]) -> dict[str, Any]:
    growth = result.get("growth_pct")
    limit = TARGETS["memory_growth_pct_2000_to_20000"]
    return {
        "target": f"< {limit}%",
        "measured": growth,
        "met": growth is not None and growth < limit,
    }

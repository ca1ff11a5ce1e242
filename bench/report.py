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

#: Issue 17's targets, met at or above the value (the share of time that is not the parse: at
#: or below). Issue 8's transport target (1,000 articles/s) is withdrawn: the store's own CPU caps
#: it on this machine (docs/performance.md); the transport rate is reported without one.
TARGETS = {
    "e2e_workers_1_vs_nlp_only": 0.92,
    "e2e_workers_2_vs_workers_1": 1.70,
    "memory_growth_pct_2000_to_20000": 10.0,
}
#: At most this share of the CPU time per article goes to anything but the parse.
MAX_NON_PARSE_SHARE = 0.10
#: Processes the e2e bench follows beside the consumer's own (bench.e2e._local_services).
SERVICES = ("broker", "store")


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
    processes: tuple[int, ...] = (1,),
    skip_e2e: bool = False,
    seed: int = 8,
    max_batch: int = DEFAULT_MAX_BATCH,
    runs: int = 3,
    workers: tuple[int, ...] = (1, 2),
) -> dict[str, Any]:
    """`runs`: how often each end-to-end scenario with all stages runs (interleaved: 1, 2, 1,
    2, ...); the median run is reported, with every run's rate beside it. A scenario is a number
    of consumer processes and of stage workers per consumer (0: stages in the consumer)."""
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
        from bench.stages import yardstick_texts
        from bench.yardstick import measure_in_fresh_process

        pairs = [(n, w) for n in processes for w in workers]
        tries: dict[tuple[int, int], list[dict[str, Any]]] = {pair: [] for pair in pairs}
        texts = yardstick_texts(corpus, settings.stages)
        yardstick_single_threaded: list[bool | None] = []
        yardstick_components: list[list[str]] = []
        yardstick: list[tuple[float, float]] = []

        def measure_yardstick() -> None:
            measured = measure_in_fresh_process(texts, settings.stages)
            yardstick.append((measured["seconds"], measured["cpu_seconds"]))
            yardstick_single_threaded.append(measured["single_threaded"])
            yardstick_components.append(measured["components"])

        for _ in range(max(runs, 1)):
            # The yardstick again before each round of scenarios and once after the last, so
            # that each round is divided by the yardstick of its own minutes (see
            # paired_figures); in a fresh, single-threaded process, as the stage workers are
            # (bench.yardstick).
            measure_yardstick()
            for n, w in pairs:
                scenario = Scenario(n, ALL_STAGES, max_batch=max_batch, workers=w)
                tries[(n, w)].append(run_scenario(corpus, scenario, settings.kafka))
        measure_yardstick()
        e2e = {_key(n, w): median_run(results) for (n, w), results in tries.items()}
        from bench.store_ceiling import measure_store_ceiling

        transport = run_scenario(
            corpus,
            Scenario(1, TRANSPORT_ONLY, max_batch=max_batch, workers=workers[0]),
            settings.kafka,
        )
        most = max(processes)
        if most > 1:
            transport[f"processes_{most}"] = run_scenario(
                corpus,
                Scenario(most, TRANSPORT_ONLY, max_batch=max_batch, workers=workers[0]),
                settings.kafka,
            )
        report["e2e"] = e2e
        report["transport_only"] = transport
        report["store_ceiling"] = measure_store_ceiling(corpus)

        def rate(n: int, w: int) -> float | None:
            return e2e.get(_key(n, w), {}).get("articles_per_s")

        for w in workers:
            ratios[f"e2e_workers_{w}_vs_nlp_only"] = _ratio(rate(1, w), nlp_rate)
            ratios[f"e2e_workers_{w}_vs_all_stages"] = _ratio(
                rate(1, w), stages["all_stages"]["articles_per_s"]
            )
            for n in processes:
                if n > 1:
                    ratios[f"e2e_{n}_processes_vs_1_workers_{w}"] = _ratio(rate(n, w), rate(1, w))
        ratios["e2e_workers_2_vs_workers_1"] = _ratio(rate(1, 2), rate(1, 1))
        # What is not the parse, two ways. CPU: of all the CPU the consumer, its workers and its
        # Prefect server used from the first message received to the last commit, the share
        # beyond what nlp.pipe alone used for the same texts; the same with the local broker's
        # and store's CPU added, where they run here. Wall: 1 - the e2e rate over the NLP-only
        # rate (both on one worker: one core parsing).
        first = e2e.get(_key(1, workers[0]))
        if first is not None:
            in_run = first["cpu_seconds_in_run"]
            ours = _ours(in_run)
            everything = sum(in_run.values())
            parse = stages["nlp_only"]["cpu_seconds"]
            report["non_parse_share"] = {
                "scenario": _key(1, workers[0]),
                "cpu": _non_parse_share(parse, in_run),
                "cpu_with_services": round(1 - parse / everything, 3)
                if everything > ours
                else None,
                "wall": round(1 - rate(1, workers[0]) / nlp_rate, 3)
                if rate(1, workers[0]) and nlp_rate
                else None,
                "cpu_seconds_in_run": in_run,
                "cpu_seconds_nlp_only": parse,
                "target": f"<= {MAX_NON_PARSE_SHARE} (cpu)",
            }
        if (1, workers[0]) in tries:
            report["paired"] = paired_figures(len(texts), yardstick, tries, workers)
            report["paired"]["yardstick_single_threaded"] = yardstick_single_threaded
            report["paired"]["yardstick_components"] = yardstick_components[0]
        report["targets"] = _targets(ratios, report.get("non_parse_share"), report.get("paired"))
    report["ratios"] = ratios
    report["machine"]["load_avg_1m_at_end"] = round(os.getloadavg()[0], 2)
    report["bench_seconds"] = round(time.perf_counter() - started, 1)
    report["method"] = (
        "stages: each stage alone over the corpus in batches, in this process, models loaded "
        "first; nlp_only: nlp.pipe over the same cleaned texts with the same batch size, the "
        "model's own components only (none of newsflow's rule layers). "
        "e2e: N `newsflow consume --until-idle --workers W` processes in one fresh group on a "
        "fresh topic (>= 2 partitions) and bucket (written once before timing), started and "
        "warmed up (models, a batch through every stage, Prefect) before being released "
        "together; the corpus is published as one bulk load once the group is stable; "
        "rate = articles "
        "/ (last batch stored and committed - first message received), over all processes; "
        "each such scenario runs `runs` times, interleaved, and the median run is reported. "
        "nlp_only is the mean of a run just before and one just after the parsing stages. "
        "paired: the yardstick (nlp.pipe over the same cleaned texts, in a fresh single-threaded "
        "process) run again before each round of end-to-end scenarios and after the last, each "
        "round's ratios against the mean of the yardsticks before and after it, and the "
        "median over rounds; the targets read these medians. "
        "non_parse_share.cpu: 1 - nlp_only CPU seconds / CPU seconds of the consumer, its stage "
        "workers and its Prefect server from the first message received to the last commit "
        "(workers = the first --workers value); cpu_with_services adds the local broker's and "
        "store's CPU over the same time. cpu_seconds (per scenario) runs from go to exit. "
        "transport_only: the same with "
        "NEWSFLOW_STAGES=cleaning (cleaning cannot be switched off), 1 process and the largest "
        "process count (no target: withdrawn by issue 17). store_ceiling: PUTs/s the "
        "object store takes from one process through the flow's client and thread count, "
        "divided by the objects an article costs (a raw and an enriched document)."
    )
    return report


def paired_figures(
    texts: int,
    yardstick: list[tuple[float, float]],
    tries: dict[tuple[int, int], list[dict[str, Any]]],
    workers: tuple[int, ...],
) -> dict[str, Any]:
    """Issue 17's figures round by round, each against the mean of the yardstick measured just
    before that round and the one just after it, and the median over rounds, which the targets
    read.

    Why: `nlp_only` in `stages` is measured minutes before the end-to-end runs; on this shared
    machine the same nlp.pipe took 23.4 s and 28.7 s in one bench, so a ratio of an end-to-end
    run to it measured the drift as much as the flow. The rounds' yardsticks run in a fresh
    process each (bench.yardstick), single-threaded like the stage workers. Even so the host
    drifts within minutes (three yardsticks in a row: 28.1, 25.7, 23.2 s), so a round is set
    against the mean of the yardsticks around it, as `nlp_only` is the mean of one before and
    one after the stages. `yardstick`: (wall, CPU) seconds of one nlp.pipe run before each round
    and one after the last (one per round without it: each round against the one before);
    `tries[(1, w)][i]`: round i of one consumer with w workers."""
    rounds: list[dict[str, Any]] = []
    first, second = (1, workers[0]), (1, 2)
    for i in range(len(tries[first])):
        around = yardstick[i : i + 2]
        wall = sum(w for w, _ in around) / len(around)
        cpu = sum(c for _, c in around) / len(around)
        nlp_rate = texts / wall if wall > 0 else None
        one = tries[first][i]
        row: dict[str, Any] = {
            "nlp_only_seconds": round(wall, 3),
            "nlp_only_cpu_seconds": round(cpu, 3),
            f"e2e_workers_{workers[0]}_vs_nlp_only": _ratio(one.get("articles_per_s"), nlp_rate),
        }
        row["non_parse_share_cpu"] = _non_parse_share(cpu, one["cpu_seconds_in_run"])
        row.update(_cpu_against_yardstick(cpu, one["cpu_seconds_in_run"]))
        if second in tries and second != first:
            row["e2e_workers_2_vs_workers_1"] = _ratio(
                tries[second][i].get("articles_per_s"), one.get("articles_per_s")
            )
        rounds.append(row)
    names = [
        k
        for k in rounds[0]
        if k.startswith("e2e_") or k == "non_parse_share_cpu" or k.endswith("_cpu_vs_nlp_only")
    ]
    return {
        "rounds": rounds,
        "median": {name: _median([r[name] for r in rounds]) for name in names},
    }


def _ours(cpu_in_run: dict[str, float]) -> float:
    """CPU seconds of the consumer, its workers and its Prefect server (not the broker or store)."""
    return sum(v for k, v in cpu_in_run.items() if k not in SERVICES)


def _non_parse_share(parse_cpu: float, cpu_in_run: dict[str, float]) -> float | None:
    """The share of our CPU over a run beyond what nlp.pipe alone used for the same texts."""
    ours = _ours(cpu_in_run)
    return round(1 - parse_cpu / ours, 3) if ours else None


def _cpu_against_yardstick(parse_cpu: float, cpu_in_run: dict[str, float]) -> dict[str, float]:
    """Where the share beyond the parse goes: the stage workers' CPU over the run, and the rest of
    ours (the consumer and its Prefect server), each over the yardstick's CPU for the same texts.
    `non_parse_share_cpu` is 1 - 1 / (their sum); the workers' alone says what the stages beside
    the parse cost, the consumer side what Kafka, S3, Prefect and the pool's dispatch cost."""
    if parse_cpu <= 0:
        return {}
    workers = cpu_in_run.get("workers", 0.0)
    rest = _ours(cpu_in_run) - workers
    return {
        "workers_cpu_vs_nlp_only": round(workers / parse_cpu, 3),
        "consumer_side_cpu_vs_nlp_only": round(rest / parse_cpu, 3),
    }


def _median(values: list[float | None]) -> float | None:
    known = sorted(v for v in values if v is not None)
    if not known:
        return None
    mid = len(known) // 2
    return known[mid] if len(known) % 2 else round((known[mid - 1] + known[mid]) / 2, 3)


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


def _key(processes: int, workers: int) -> str:
    return f"processes_{processes}_workers_{workers}"


def _targets(
    ratios: dict[str, float | None],
    non_parse: dict[str, Any] | None,
    paired: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Met or not, from the paired medians where the bench has them (see paired_figures), else
    from the medians of the scenarios against the yardstick measured before them."""
    measured = dict(ratios)
    measured["non_parse_share_cpu"] = (non_parse or {}).get("cpu")
    if paired is not None:
        measured.update(paired["median"])
    targets: dict[str, Any] = {
        name: {
            "target": TARGETS[name],
            "measured": measured.get(name),
            "met": (value := measured.get(name)) is not None and value >= TARGETS[name],
        }
        for name in ("e2e_workers_1_vs_nlp_only", "e2e_workers_2_vs_workers_1")
    }
    share = measured["non_parse_share_cpu"]
    targets["non_parse_share_cpu"] = {
        "target": f"<= {MAX_NON_PARSE_SHARE}",
        "measured": share,
        "met": share is not None and share <= MAX_NON_PARSE_SHARE,
    }
    return targets


def memory_target(result: dict[str, Any]) -> dict[str, Any]:
    growth = result.get("growth_pct")
    limit = TARGETS["memory_growth_pct_2000_to_20000"]
    return {
        "target": f"< {limit}%",
        "measured": growth,
        "met": growth is not None and growth < limit,
    }

"""The long-run memory scenario: does a consumer's RSS stay flat from 2,000 to 20,000 articles?

In-process through the real `drain` loop (Prefect tasks per stage per batch, assemble, the
document sink) with a folder sink and a source that generates each batch on demand, so the corpus
itself never sits in memory and cannot be mistaken for a leak. RSS is read after each batch.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil

from bench.corpus import generate
from flows.config import DEFAULT_MAX_BATCH, Settings
from flows.sources.base import Envelope, Source
from schemas import Origin

CHECKPOINTS = (2_000, 20_000)


class GeneratedSource(Source):
    """A Source of `total` distinct articles, made batch by batch (seed = batch number)."""

    def __init__(self, total: int, words: int) -> None:
        self.total = total
        self.words = words

    def describe(self) -> str:
        return f"generated:{self.total}"

    def batches(self, max_batch: int) -> Iterator[list[Envelope]]:
        made = 0
        number = 0
        while made < self.total:
            n = min(max_batch, self.total - made)
            articles = generate(n, words=self.words, seed=10_000 + number)
            yield [
                Envelope(a.model_dump_json().encode(), Origin(kind="file", path=a.id))
                for a in articles
            ]
            made += n
            number += 1


def _largest_worker(process: psutil.Process) -> float:
    """RSS (MB) of the largest stage worker of this process, 0 when it has none."""
    sizes = [0]
    for child in process.children(recursive=True):
        try:
            if "flows.worker_main" in child.cmdline():
                sizes.append(child.memory_info().rss)
        except psutil.Error:
            continue
    return max(sizes) / 2**20


def _growth(curve: list[tuple[int, float]]) -> dict[str, float]:
    at = dict(curve)
    low, high = CHECKPOINTS
    if low not in at or high not in at or not at[low]:
        return {}
    return {
        f"rss_mb_at_{low}": round(at[low], 1),
        f"rss_mb_at_{high}": round(at[high], 1),
        "growth_pct": round(100 * (at[high] - at[low]) / at[low], 1),
    }


def run_memory(
    settings: Settings,
    total: int = 20_000,
    words: int = 600,
    max_batch: int = DEFAULT_MAX_BATCH,
    workers: int = 0,
) -> dict[str, Any]:
    """`workers` > 0: the stages run in that many worker processes (flows.runner), and the
    largest worker's RSS is recorded beside this process's (the consumer's)."""
    from prefect import flow

    from flows.processing import BatchResult
    from flows.runner import PooledRunner, StageRunner, shared_pool
    from flows.sinks import open_sinks
    from flows.stages import build_stages
    from flows.stream import drain, observing
    from workers.cleaning import CleaningStage

    stages = build_stages(settings.stages) if workers == 0 else ()
    runner: StageRunner | tuple = stages
    if workers > 0:
        pool = shared_pool(settings.stages, workers, settings.article_timeout_s)
        pool.wait_ready()
        runner = PooledRunner(pool, settings.stages)
    process = psutil.Process()
    curve: list[tuple[int, float]] = []
    worker_curve: list[tuple[int, float]] = []
    done = {"articles": 0, "next": 1_000}

    def on_batch(result: BatchResult) -> None:
        done["articles"] += result.received
        while done["articles"] >= done["next"]:  # labelled by the checkpoint just passed
            curve.append((done["next"], process.memory_info().rss / 2**20))
            if workers > 0:
                worker_curve.append((done["next"], _largest_worker(process)))
            done["next"] += 1_000

    folder = Path(tempfile.mkdtemp(prefix="newsflow-bench-memory-"))

    @flow(name="bench-memory")
    def memory_run() -> None:
        documents, dead_letters = open_sinks(str(folder))
        drain(GeneratedSource(total, words), documents, dead_letters, runner, max_batch=max_batch)

    try:
        with observing(on_batch):
            memory_run()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    cleaning = next((s for s in stages if isinstance(s, CleaningStage)), None)
    if isinstance(runner, PooledRunner):
        index_size: int | None = len(runner.duplicates)
    else:
        index = cleaning.duplicates if cleaning is not None else None
        index_size = len(index) if index is not None else None
    result: dict[str, Any] = {
        "articles": done["articles"],
        "words": words,
        "workers": workers,
        "stages": [s.name.value for s in stages] or "in the workers",
        "rss_mb_every_1000": {str(n): round(rss, 1) for n, rss in curve},
        "dedup_index_entries": index_size,
        **_growth(curve),
    }
    if worker_curve:
        worker = _growth(worker_curve)
        result["worker"] = {
            "rss_mb_every_1000": {str(n): round(rss, 1) for n, rss in worker_curve},
            **worker,
        }
        # The target holds for the consumer and for a worker: report the larger growth.
        if "growth_pct" in worker and "growth_pct" in result:
            result["consumer_growth_pct"] = result["growth_pct"]
            result["growth_pct"] = max(result["growth_pct"], worker["growth_pct"])
    return result

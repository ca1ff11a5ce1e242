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
from flows.config import DEFAULT_MAX_BATCH
from flows.sources.base import Envelope
from schemas import Origin, StageSettings

CHECKPOINTS = (2_000, 20_000)


class GeneratedSource:
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

    def commit(self, batch: list[Envelope]) -> None:
        return None

    def close(self) -> None:
        return None


def run_memory(
    settings: StageSettings,
    total: int = 20_000,
    words: int = 600,
    max_batch: int = DEFAULT_MAX_BATCH,
) -> dict[str, Any]:
    from prefect import flow

    from flows.processing import BatchResult
    from flows.sinks import open_sink
    from flows.stages import build_stages
    from flows.stream import drain, observing
    from workers.cleaning import CleaningStage

    stages = build_stages(settings)
    process = psutil.Process()
    curve: list[tuple[int, float]] = []
    done = {"articles": 0, "next": 1_000}

    def on_batch(result: BatchResult) -> None:
        done["articles"] += result.received
        while done["articles"] >= done["next"]:  # labelled by the checkpoint just passed
            curve.append((done["next"], process.memory_info().rss / 2**20))
            done["next"] += 1_000

    folder = Path(tempfile.mkdtemp(prefix="newsflow-bench-memory-"))

    @flow(name="bench-memory")
    def memory_run() -> None:
        sink = open_sink(str(folder))
        drain(GeneratedSource(total, words), sink, sink, stages, max_batch=max_batch)

    try:
        with observing(on_batch):
            memory_run()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    cleaning = next((s for s in stages if isinstance(s, CleaningStage)), None)
    index_size = len(cleaning.duplicates) if cleaning is not None else None
    at = {n: rss for n, rss in curve}
    low, high = CHECKPOINTS
    result: dict[str, Any] = {
        "articles": done["articles"],
        "words": words,
        "stages": [s.name.value for s in stages],
        "rss_mb_every_1000": {str(n): round(rss, 1) for n, rss in curve},
        "dedup_index_entries": index_size,
    }
    if low in at and high in at:
        result[f"rss_mb_at_{low}"] = round(at[low], 1)
        result[f"rss_mb_at_{high}"] = round(at[high], 1)
        result["growth_pct"] = round(100 * (at[high] - at[low]) / at[low], 1)
    return result

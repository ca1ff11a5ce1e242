"""Where a batch's stages run: in this process, or in stage worker processes (flows.workerpool).

`drain` starts a batch (`StageRunner.start`) before it finishes the one before (`finish`), so
either way the next batch's stages are under way while a batch is finished and stored:

- in this process (`--workers 0`): decode and the stages before the first parse run on a helper
  thread, the parse and the rest on the stream's thread (the path every flow had before);
- in worker processes (`--workers N`): decode here, without a task run of its own (what is not a
  RawArticle is a dead letter at once; the batch's task runs are `stages` and `store`), the whole
  pipeline in the workers, which are fed as soon as a batch is read. The
  near-duplicate check runs here, in batch order, on the cleaned text the workers return: only the
  consumer sees every article, so a copy is found whichever worker cleaned the first one.

`finish` takes `keep_alive`, called every few seconds while it waits: how a Kafka consumer stays
in its group through a batch that waits on a slow article (flows.sources.kafka).
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, Protocol

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from flows.config import Settings
from flows.processing import (
    OpenBatch,
    StagedBatch,
    close_batch,
    count_document,
    open_ahead,
    open_batch,
    run_stages,
    staged,
)
from flows.sinks.documents import StoredArticle
from flows.sources.base import Envelope
from flows.stage_worker import Done, Outcome
from flows.stages import build_stages
from flows.workerpool import PoolBatch, WorkerPool, default_workers
from schemas import DeadLetter, EnrichedDocument, StageSettings
from workers.base import Stage, StageFailure
from workers.cleaning.dedup import DuplicateIndex
from workers.dead_letter import make_dead_letter
from workers.pipeline import split_at_parse

KeepAlive = Callable[[], None]

#: Seconds between keep-alive calls while a batch is awaited from the workers.
KEEP_ALIVE_EVERY_S = 5.0


class PendingBatch(Protocol):
    def finish(self, keep_alive: KeepAlive) -> StagedBatch:
        """Wait for the batch's stages; the batch assembled, ready to store."""
        ...


class StageRunner(Protocol):
    def start(self, envelopes: list[Envelope], label: str) -> PendingBatch:
        """Begin a batch's stages; returns at once or after the cheap part (decode)."""
        ...

    def close(self) -> None: ...


class _InProcessPending:
    def __init__(self, runner: InProcessRunner, opened: Future[OpenBatch]) -> None:
        self._runner, self._opened = runner, opened

    def finish(self, keep_alive: KeepAlive) -> StagedBatch:
        runner = self._runner
        return close_batch(run_stages(self._opened.result(), runner.parse_stages), runner.stages)


class InProcessRunner:
    """The stages in this process: decode and the stages before the parse on a helper thread."""

    def __init__(self, stages: tuple[Stage, ...]) -> None:
        self.stages = stages
        self.ahead_stages, self.parse_stages = split_at_parse(stages)
        self._threads = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsflow-ahead")

    def start(self, envelopes: list[Envelope], label: str) -> PendingBatch:
        return _InProcessPending(
            self, open_ahead(self._threads, envelopes, self.ahead_stages, label)
        )

    def close(self) -> None:
        self._threads.shutdown(wait=True)


@task(name="stages", cache_policy=NO_CACHE)
def await_workers(batch: PoolBatch, keep_alive: KeepAlive) -> list[Outcome]:
    """The batch's stages, as the workers finish them (one task run per batch)."""
    return batch.result(on_wait=keep_alive, every=KEEP_ALIVE_EVERY_S)


class _PooledPending:
    def __init__(self, runner: PooledRunner, opened: OpenBatch, batch: PoolBatch) -> None:
        self._runner, self._opened, self._batch = runner, opened, batch

    def finish(self, keep_alive: KeepAlive) -> StagedBatch:
        opened, batch = self._opened, self._batch
        waiting: Any = await_workers.with_options(task_run_name=f"stages | {opened.label}")
        outcomes = waiting(quote(batch), quote(keep_alive))
        opened.result.seconds.update(batch.seconds)
        articles: list[StoredArticle] = []
        dead: list[DeadLetter] = opened.dead
        for item, outcome in zip(opened.items, outcomes, strict=True):
            env: Envelope = item.extras["envelope"]
            if isinstance(outcome, Done):
                document = EnrichedDocument.model_validate_json(outcome.document_json)
                document.duplicate_of = self._runner.duplicates.check_and_add(
                    document.id, document.text
                )
                articles.append(StoredArticle(item.raw, document, env.received_at))
                count_document(opened.result, document)
            else:
                failure = StageFailure(outcome.stage, outcome.error_type, outcome.reason)
                dead.append(make_dead_letter(env.payload, env.origin, failure, item.raw.id))
        return staged(opened, articles, dead)


class PooledRunner:
    """The stages in worker processes; decode and the duplicate check in this process."""

    def __init__(self, pool: WorkerPool, settings: StageSettings) -> None:
        self.pool = pool
        self.duplicates = DuplicateIndex(settings.dedup_threshold)

    def start(self, envelopes: list[Envelope], label: str) -> PendingBatch:
        opened = open_batch(envelopes, label, as_task=False)
        batch = self.pool.submit([item.extras["envelope"].payload for item in opened.items])
        return _PooledPending(self, opened, batch)

    def close(self) -> None:
        """The pool outlives a run (a served deployment runs many): see shared_pool."""


_pools: dict[tuple[StageSettings, int, float], WorkerPool] = {}
_pools_lock = threading.Lock()


def shared_pool(settings: StageSettings, workers: int, timeout: float) -> WorkerPool:
    """One pool per process and configuration, started on first use and kept for later runs
    (`newsflow serve` runs an ingest every minute; workers take seconds to load their model).
    Closed when the process exits; a worker also exits by itself when its pool's process ends."""
    key = (settings, workers, timeout)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None or not pool.usable():
            pool = _pools[key] = WorkerPool(workers, settings, timeout=timeout)
            atexit.register(pool.close)
        return pool


@contextmanager
def stage_runner(
    settings: StageSettings, workers: int | None, environment: Settings
) -> Iterator[StageRunner]:
    """The runner a flow's drain uses. `workers`: the flow's parameter, else the environment's
    NEWSFLOW_WORKERS, else the cores this process may use; 0 runs the stages in this process."""
    if workers is None:
        workers = environment.workers if environment.workers is not None else default_workers()
    runner: StageRunner
    if workers > 0:
        pool = shared_pool(settings, workers, environment.article_timeout_s)
        runner = PooledRunner(pool, settings)
    else:
        runner = InProcessRunner(build_stages(settings))
    try:
        yield runner
    finally:
        runner.close()

"""One micro-batch through decode -> stages -> sink, as Prefect tasks (per stage per batch).

Tasks take whole batches: a task per article would cost more in orchestration than the NLP.
Batch arguments are passed `quote`d: Prefect otherwise walks every argument recursively (looking
for futures to track), every field of every document of the batch, which made the store task
cost about 0.35 s more CPU per batch of 64 than its puts.
Retries (flows.retries) are set where they help (the store: transient network or server errors)
and absent where they cannot (a bad article fails the same way every time; it is dead-lettered
instead).
"""

from __future__ import annotations

import contextvars
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from flows.failures import retry_unless_permanent
from flows.retries import TRANSIENT_RETRIES
from flows.sinks.protocols import DeadLetterSink, DocumentSink, StoredArticle
from flows.sources.base import Envelope
from flows.stages import stage_versions
from schemas import DeadLetter, EnrichedDocument, FailedStage
from workers.assemble import assemble_or_fail
from workers.base import Stage, StageFailure, WorkItem
from workers.dead_letter import make_dead_letter
from workers.decode import decode_raw_article
from workers.pipeline import parse_scope, run_stage


@dataclass
class BatchResult:
    received: int = 0
    stored: int = 0
    dead: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    dead_reasons: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    #: By the speaker's canonical name; speakers with no name known, by their mention, apart.
    speakers: Counter[str] = field(default_factory=Counter)
    unnamed_speakers: Counter[str] = field(default_factory=Counter)
    keys: list[str] = field(default_factory=list)
    #: Epoch seconds when the batch's first message was received (for end-to-end timing).
    first_received: float = 0.0
    #: Of the store's seconds, how long the stream waited for it (the rest overlapped).
    store_waited: float = 0.0


@task(name="decode", cache_policy=NO_CACHE)
def decode_batch(envelopes: list[Envelope]) -> tuple[list[WorkItem], list[DeadLetter]]:
    items: list[WorkItem] = []
    dead: list[DeadLetter] = []
    for env in envelopes:
        decoded = env.failure or decode_raw_article(env.payload)
        if isinstance(decoded, StageFailure):
            dead.append(make_dead_letter(env.payload, env.origin, decoded))
        else:
            items.append(WorkItem(raw=decoded, extras={"envelope": env}))
    return items, dead


def _run_stage(stage: Stage, items: list[WorkItem]) -> float:
    return run_stage(stage, items)


#: One named task per stage, so the UI shows "cleaning", "entities", "quotes" per batch.
STAGE_TASKS = {
    name.value: task(name=name.value, cache_policy=NO_CACHE)(_run_stage)
    for name in (FailedStage.CLEANING, FailedStage.ENTITIES, FailedStage.QUOTES)
}


@task(
    name="store",
    cache_policy=NO_CACHE,
    retry_condition_fn=retry_unless_permanent,  # a missing bucket or bad key is not retried
    **TRANSIENT_RETRIES,
)
def store_batch(
    sink: DocumentSink,
    dead_sink: DeadLetterSink,
    articles: list[StoredArticle],
    dead: list[DeadLetter],
) -> tuple[list[str], float]:
    """Whole objects only; idempotent keys, so a retried or redelivered batch overwrites itself.

    Returns the keys and the seconds the writes took (the caller may not have waited for them).
    """
    started = time.perf_counter()
    keys = sink.write_batch(articles)
    keys += dead_sink.write_batch(dead)
    return keys, time.perf_counter() - started


def batch_label(number: int, envelopes: list[Envelope]) -> str:
    """What the UI shows beside each task run: which batch, and which offsets it covers."""
    spans: dict[str, list[int]] = {}
    for env in envelopes:
        o = env.origin
        if o.partition is not None and o.offset is not None:
            span = spans.setdefault(f"p{o.partition}", [o.offset, o.offset])
            span[0], span[1] = min(span[0], o.offset), max(span[1], o.offset)
    where = " ".join(f"{p}@{a}-{b}" for p, (a, b) in sorted(spans.items()))
    return f"batch {number}: {len(envelopes)} articles" + (f", {where}" if where else "")


@dataclass
class OpenBatch:
    """A batch part-way through its stages: decoded, some stages run, nothing assembled yet."""

    envelopes: list[Envelope]
    result: BatchResult
    items: list[WorkItem]
    dead: list[DeadLetter]
    label: str = ""


@dataclass
class StagedBatch:
    """A batch through decode and the stages, assembled, and not stored yet."""

    envelopes: list[Envelope]
    result: BatchResult
    articles: list[StoredArticle]
    dead: list[DeadLetter]
    label: str = ""


def _named(t: Any, name: str, label: str) -> Any:
    return t.with_options(task_run_name=f"{name} | {label}") if label else t


def open_batch(envelopes: list[Envelope], label: str = "", as_task: bool = True) -> OpenBatch:
    """Decode: what is not a valid RawArticle becomes a dead letter with its reason.

    `label` (see batch_label) names this batch's task runs in the Prefect UI. `as_task=False`
    decodes without a task run of its own, for a batch whose stages run in worker processes:
    there the decode takes ~0.05 ms an article, while a task run costs the Prefect server ~45 ms
    of CPU and the flow's process ~8 ms (docs/performance.md, eighth session): about 5 % of what
    the flow's process and its Prefect server spend on a batch of 64 beside the workers. Its
    seconds and dead letters are reported the same way.
    """
    result = BatchResult(received=len(envelopes))
    if envelopes:
        result.first_received = min(env.received_at for env in envelopes).timestamp()
    started = time.perf_counter()
    if as_task:
        items, dead = _named(decode_batch, "decode", label)(quote(envelopes))
    else:
        items, dead = decode_batch.fn(envelopes)
    result.seconds["decode"] = time.perf_counter() - started
    return OpenBatch(envelopes, result, items, dead, label)


def run_stages(batch: OpenBatch, stages: tuple[Stage, ...]) -> OpenBatch:
    """One task run per stage; an article a stage fails is kept aside with its failure."""
    with parse_scope(stages, batch.items):
        for stage in stages:
            stage_task = _named(STAGE_TASKS[stage.name.value], stage.name.value, batch.label)
            batch.result.seconds[stage.name.value] = stage_task(quote(stage), quote(batch.items))
    return batch


def close_batch(batch: OpenBatch, stages: tuple[Stage, ...]) -> StagedBatch:
    """Assemble each article's document; a failed article or a document that does not validate
    becomes a dead letter. `stages` are all the stages the batch went through (their versions)."""
    versions = stage_versions(stages)
    result, dead = batch.result, batch.dead
    articles: list[StoredArticle] = []
    for item in batch.items:
        env: Envelope = item.extras["envelope"]
        document = assemble_or_fail(item, versions)
        if document is not None:
            articles.append(StoredArticle(item.raw, document, env.received_at))
            count_document(result, document)
            continue
        assert item.failure is not None
        dead.append(make_dead_letter(env.payload, env.origin, item.failure, item.raw.id))
    return staged(batch, articles, dead)


def count_document(result: BatchResult, document: EnrichedDocument) -> None:
    """What the run report counts of a document about to be stored."""
    result.entities.update(f"{e.name} ({e.type})" for e in document.entities)
    for q in document.quotes:
        if q.speaker is not None and q.speaker.name:
            result.speakers[q.speaker.name] += 1
        elif q.speaker is not None:
            result.unnamed_speakers[q.speaker.text] += 1


def staged(batch: OpenBatch, articles: list[StoredArticle], dead: list[DeadLetter]) -> StagedBatch:
    """The batch ready to store, its counts filled in (`dead` includes the batch's own)."""
    result = batch.result
    result.stored = len(articles)
    result.dead = len(dead)
    result.dead_reasons.update(f"{d.stage}: {d.error_type}" for d in dead)
    return StagedBatch(batch.envelopes, result, articles, dead, batch.label)


def open_ahead(
    pool: ThreadPoolExecutor, envelopes: list[Envelope], stages: tuple[Stage, ...], label: str
) -> Future[OpenBatch]:
    """Decode and run `stages` on `pool`, as task runs of the current flow run.

    The stream uses it to clean batch k+1 while batch k is parsed: spaCy spends much of a parse
    in BLAS, which releases the GIL, and the cleaning's Python runs in those gaps (measured: the
    cleaning of a batch then adds almost nothing to the parse it overlaps). The flow run's
    context is copied so the task runs belong to it, as Prefect's own task runner does.
    """
    context = contextvars.copy_context()
    return pool.submit(context.run, lambda: run_stages(open_batch(envelopes, label), stages))


def _store_args(
    staged: StagedBatch, sink: DocumentSink, dead_sink: DeadLetterSink
) -> tuple[Any, ...]:
    return quote(sink), quote(dead_sink), quote(staged.articles), quote(staged.dead)


def _stored(staged: StagedBatch, keys: list[str], seconds: float, waited: float) -> BatchResult:
    result = staged.result
    result.keys, result.seconds["store"], result.store_waited = keys, seconds, waited
    return result


def store_staged(staged: StagedBatch, sink: DocumentSink, dead_sink: DeadLetterSink) -> BatchResult:
    """Store a staged batch and wait for it."""
    keys, seconds = _named(store_batch, "store", staged.label)(
        *_store_args(staged, sink, dead_sink)
    )
    return _stored(staged, keys, seconds, waited=seconds)


def submit_store(
    staged: StagedBatch, sink: DocumentSink, dead_sink: DeadLetterSink
) -> Callable[[], BatchResult]:
    """Start storing a staged batch on the flow's task runner; the returned call waits for it.

    This is how the stream overlaps one batch's writes with the next batch's stages: the writes
    mostly wait on the network, and the parse does not.
    """
    future = _named(store_batch, "store", staged.label).submit(
        *_store_args(staged, sink, dead_sink)
    )

    def wait() -> BatchResult:
        started = time.perf_counter()
        keys, seconds = future.result()
        return _stored(staged, keys, seconds, waited=time.perf_counter() - started)

    return wait


def process_batch(
    envelopes: list[Envelope],
    stages: tuple[Stage, ...],
    sink: DocumentSink,
    dead_sink: DeadLetterSink,
    label: str = "",
) -> BatchResult:
    """One batch from envelopes to stored objects, in this thread: decode, stages, store."""
    staged = close_batch(run_stages(open_batch(envelopes, label), stages), stages)
    return store_staged(staged, sink, dead_sink)

"""The loop every flow shares: batches from a source, through the stages, into a sink.

Offsets are committed only after a batch is fully stored or dead-lettered, so a crash at any point
replays the batch (at-least-once) and idempotent keys make the replay overwrite, not duplicate.
"""

from __future__ import annotations

import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from prefect.logging import get_run_logger

from flows.processing import BatchResult, batch_label, submit_store
from flows.runner import InProcessRunner, PendingBatch, StageRunner
from flows.sinks.protocols import DeadLetterSink, DocumentSink
from flows.sources.base import Envelope, Source
from workers.base import Stage

#: Distinct names a run summary counts before it forgets the rarest. News never runs out of new
#: names, so a consumer that runs for weeks would otherwise grow without limit; the report only
#: shows the top few, which a pruned count keeps (a name must recur to stay).
MAX_COUNTED_NAMES = 20_000


def _bound(counter: Counter[str]) -> None:
    if len(counter) > MAX_COUNTED_NAMES:
        kept = counter.most_common(MAX_COUNTED_NAMES // 2)
        counter.clear()
        counter.update(dict(kept))


@dataclass
class RunSummary:
    batches: int = 0
    received: int = 0
    stored: int = 0
    dead: int = 0
    seconds: float = 0.0
    stage_seconds: Counter[str] = field(default_factory=Counter)
    dead_reasons: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    speakers: Counter[str] = field(default_factory=Counter)
    unnamed_speakers: Counter[str] = field(default_factory=Counter)
    source: str = ""
    #: Kafka only: "topic[partition]" -> [first offset, last offset] processed in this run.
    offsets: dict[str, list[int]] = field(default_factory=dict)
    #: Kafka only: "topic[partition]" -> messages still waiting after this run's last commit.
    lag: dict[str, int] = field(default_factory=dict)

    def add(self, batch: BatchResult) -> None:
        self.batches += 1
        self.received += batch.received
        self.stored += batch.stored
        self.dead += batch.dead
        self.stage_seconds.update(batch.seconds)
        self.dead_reasons.update(batch.dead_reasons)
        self.entities.update(batch.entities)
        self.speakers.update(batch.speakers)
        self.unnamed_speakers.update(batch.unnamed_speakers)
        _bound(self.entities)
        _bound(self.speakers)
        _bound(self.unnamed_speakers)

    def track_offsets(self, envelopes: list[Envelope]) -> None:
        for env in envelopes:
            o = env.origin
            if o.topic is None or o.partition is None or o.offset is None:
                continue
            span = self.offsets.setdefault(f"{o.topic}[{o.partition}]", [o.offset, o.offset])
            span[0], span[1] = min(span[0], o.offset), max(span[1], o.offset)

    def as_result(self) -> dict[str, object]:
        """What every flow returns: the run's counts, JSON-ready for Prefect and the CLI."""
        return {
            "processed": self.received,
            "enriched": self.stored,
            "dead_lettered": self.dead,
            "batches": self.batches,
            "seconds": round(self.seconds, 2),
            "summary": self.line(),
        }

    def line(self) -> str:
        rate = self.received / self.seconds if self.seconds else 0.0
        return (
            f"processed {self.received} articles: {self.stored} enriched, "
            f"{self.dead} dead-lettered, in {self.seconds:.1f} s ({rate:.1f} articles/s)"
        )


BatchListener = Callable[[BatchResult], None]

#: Listeners called after every committed batch of every drain in this process, whatever flow
#: runs it: how `newsflow bench` times the real consume command from inside its process.
_observers: list[BatchListener] = []


@contextmanager
def observing(listener: BatchListener) -> Iterator[None]:
    _observers.append(listener)
    try:
        yield
    finally:
        _observers.remove(listener)


class StopRequest(Protocol):
    """Asks a long run to stop at its next safe point (flows.shutdown.StopFlag)."""

    def __call__(self) -> bool:
        """True once a stop was asked for."""
        ...

    def install(self) -> None:
        """Make SIGTERM and Ctrl-C ask for the stop."""
        ...


@contextmanager
def _signals_ask_to_stop(should_stop: StopRequest | None) -> Iterator[None]:
    """While the loop runs, SIGTERM/Ctrl-C only ask it to stop at its next safe point.

    Prefect's flow engine installs its own SIGTERM handler for the length of a flow run, replacing
    the one `newsflow consume` set: it raises wherever the code happens to be, so a SIGTERM ended
    the run as a crash with a traceback and exit code 1 (found by the broker-restart test). The
    stop flag's handler is put back for the loop and Prefect's restored after it.
    """
    if should_stop is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    should_stop.install()
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _more_waiting(source: Source, batch: list[Envelope], max_batch: int) -> bool:
    """Is the next batch likely already waiting? Only then is a batch left in flight while the
    next one is read: otherwise its commit would wait for messages that are not there."""
    return len(batch) >= max_batch and not source.caught_up()


def _never() -> bool:
    return False


def drain(
    source: Source,
    sink: DocumentSink,
    dead_sink: DeadLetterSink,
    stages: tuple[Stage, ...] | StageRunner,
    max_batch: int,
    on_batch: BatchListener | None = None,
    should_stop: StopRequest | None = None,
) -> RunSummary:
    """Batches through the stages into the sink; offsets committed in order, after each store.

    While a backlog lasts, three batches are in flight, each in the step it spends waiting on
    something other than Python: batch k+1 is decoded and cleaned on a helper thread (the stages
    before the first that parses), batch k goes through the parsing stages on this thread (spaCy
    spends much of that in BLAS, outside the GIL), and batch k-1 is written to the store (waiting
    on the network). Batch k-1 is committed before batch k's store starts, so the commit order is
    the batch order and a crash at any point replays from the first batch not fully stored. When the
    source is caught up, a batch goes straight through and is committed at once.

    `stages` run in this process, or wherever the given runner runs them (flows.runner: worker
    processes); the source is kept alive (`Source.keep_alive`) while a batch is awaited from them.

    The run owns its source and sinks (and a runner it made itself): both sinks are opened before
    the first batch, and everything is closed at the end, whatever happens.
    """
    stop_asked: Callable[[], bool] = should_stop if should_stop is not None else _never
    logger = get_run_logger()
    summary = RunSummary(source=source.describe())
    started = time.perf_counter()
    runner = InProcessRunner(stages) if isinstance(stages, tuple) else stages
    ahead: PendingBatch | None = None  # batch k+1, its stages started
    storing: tuple[list[Envelope], Callable[[], BatchResult]] | None = None  # batch k-1
    opened = 0

    def finish_store() -> None:
        nonlocal storing
        if storing is None:
            return
        envelopes, wait = storing
        storing = None
        result = wait()
        source.commit(envelopes)
        summary.add(result)
        summary.track_offsets(envelopes)
        logger.info(
            "batch %d: %d in, %d enriched, %d dead-lettered",
            summary.batches,
            result.received,
            result.stored,
            result.dead,
        )
        if on_batch is not None:
            on_batch(result)
        for observer in _observers:
            observer(result)

    def complete(batch: PendingBatch) -> None:
        """The rest of the batch's stages and assembly, then hand the batch to the store."""
        nonlocal storing
        staged = batch.finish(source.keep_alive)
        finish_store()
        storing = (staged.envelopes, submit_store(staged, sink, dead_sink))

    def flush() -> None:
        """Everything in flight through to its commit."""
        nonlocal ahead
        if ahead is not None:
            complete(ahead)
            ahead = None
        finish_store()

    with ExitStack() as run:
        # Closed at the end in reverse order, whatever happens: the runner made here, the sinks,
        # then the source.
        run.callback(source.close)
        for output in (sink, dead_sink):
            run.callback(output.close)
            output.open()
        if runner is not stages:
            run.callback(runner.close)
        run.enter_context(_signals_ask_to_stop(should_stop))
        for envelopes in source.batches(max_batch):
            if stop_asked():
                logger.warning(
                    "stop requested: abandoning an uncommitted batch of %d", len(envelopes)
                )
                break
            opened += 1
            label = batch_label(opened, envelopes)
            following = runner.start(envelopes, label)
            if ahead is not None:
                complete(ahead)
            ahead = following
            if not _more_waiting(source, envelopes, max_batch) or stop_asked():
                flush()
            if stop_asked():
                break
        flush()
        try:  # everything is stored and committed: a lag read must not fail the run
            summary.lag = source.lag()
        except Exception as exc:
            logger.warning("could not read the consumer lag: %s: %s", type(exc).__name__, exc)
    summary.seconds = time.perf_counter() - started
    return summary

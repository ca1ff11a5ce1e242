"""The stream overlaps a batch's store with the next batch's stages, and still commits safely.

What must hold whatever the timing: a batch is committed only after every object of it is
stored; commits come in batch order; at most one store is in flight; and when the source says
nothing more is waiting (or the batch is not full), the batch is committed before the next one
is staged, so a quiet topic never leaves a stored batch uncommitted.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect import flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.runtime import flow_run

from flows.sinks import StoreDeadLetterSink, StoreDocumentSink
from flows.sinks.stores import LocalFolderStore
from flows.sources.base import Envelope, Source
from flows.stream import drain
from schemas import Origin, StageSettings
from tests.reliability.helpers import make_articles
from workers.base import WorkItem
from workers.cleaning import CleaningStage

pytestmark = pytest.mark.usefixtures("prefect_server")

BATCH = 4


class Events:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.log: list[tuple[str, int]] = []
        self.flow_run_id = ""

    def add(self, what: str, batch: int) -> None:
        with self.lock:
            self.log.append((what, batch))

    def index(self, what: str, batch: int) -> int:
        return self.log.index((what, batch))

    def last(self, what: str, batch: int) -> int:
        return max(i for i, event in enumerate(self.log) if event == (what, batch))


class BatchesOf(Source):
    """Yields the given batches (article id -> batch number known); records commits."""

    def __init__(self, sizes: list[int], events: Events, caught_up: bool) -> None:
        self.events = events
        self._caught_up = caught_up
        self.batch_of: dict[str, int] = {}
        articles = make_articles(sum(sizes), f"overlap{int(caught_up)}")
        self.batches_: list[list[Envelope]] = []
        offset = 0
        for number, size in enumerate(sizes, start=1):
            batch = []
            for article in articles[offset : offset + size]:
                self.batch_of[article.id] = number
                origin = Origin(kind="kafka", topic="t", partition=0, offset=offset)
                batch.append(Envelope(article.model_dump_json().encode(), origin))
                offset += 1
            self.batches_.append(batch)

    def describe(self) -> str:
        return "test:batches"

    def batches(self, max_batch: int) -> Iterator[list[Envelope]]:
        yield from self.batches_

    def caught_up(self) -> bool:
        return self._caught_up

    def commit(self, batch: list[Envelope]) -> None:
        self.events.add("commit", self.batches_.index(batch) + 1)


class RecordingStore(LocalFolderStore):
    """A folder store whose writes take a little while, as a network store's do."""

    def __init__(self, root: Path, events: Events, batch_of: dict[str, int]) -> None:
        super().__init__(root)
        self.events, self.batch_of = events, batch_of

    def put(self, key: str, data: bytes) -> None:
        batch = next(n for article_id, n in self.batch_of.items() if article_id in key)
        self.events.add("put-start", batch)
        time.sleep(0.05)
        super().put(key, data)
        self.events.add("put-end", batch)


class RecordingCleaning(CleaningStage):
    def __init__(self, events: Events, batch_of: dict[str, int]) -> None:
        super().__init__(StageSettings())
        self.events, self.batch_of = events, batch_of

    def __call__(self, batch: list[WorkItem]) -> list[WorkItem]:
        self.events.add("stage", self.batch_of[batch[0].raw.id])
        return super().__call__(batch)


def run(tmp_path: Path, sizes: list[int], caught_up: bool) -> Events:
    """Drain the batches in a flow run; the run's id is kept on the events for the API check."""
    events = Events()
    source = BatchesOf(sizes, events, caught_up)
    store = RecordingStore(tmp_path, events, source.batch_of)
    sink, dead_letters = StoreDocumentSink(store), StoreDeadLetterSink(store)
    stages = (RecordingCleaning(events, source.batch_of),)

    @flow(name="overlap-test")
    def go() -> str:
        summary = drain(source, sink, dead_letters, stages, max_batch=BATCH)
        assert (summary.received, summary.stored) == (sum(sizes), sum(sizes))
        return str(flow_run.id)

    events.flow_run_id = go()
    return events


def test_full_batches_overlap_their_store_with_the_next_stage_and_commit_in_order(
    tmp_path: Path,
) -> None:
    events = run(tmp_path, [BATCH, BATCH, BATCH, 2], caught_up=False)

    commits = [n for what, n in events.log if what == "commit"]
    assert commits == [1, 2, 3, 4]
    for n in (1, 2, 3, 4):
        # committed only once every object of the batch is written
        assert events.index("commit", n) > events.last("put-end", n)
    for n in (1, 2, 3):
        # the next batch was staged before this one was committed: the overlap
        assert events.index("stage", n + 1) < events.index("commit", n)
        # and its store started only after this one's commit: one store in flight
        assert events.index("put-start", n + 1) > events.index("commit", n)
    assert len(list(tmp_path.glob("enriched/**/*.json"))) == 3 * BATCH + 2


def test_a_caught_up_source_gets_each_batch_committed_before_the_next_is_staged(
    tmp_path: Path,
) -> None:
    events = run(tmp_path, [BATCH, BATCH, 1], caught_up=True)

    for n in (1, 2):
        assert events.index("commit", n) < events.index("stage", n + 1)
    assert [n for what, n in events.log if what == "commit"] == [1, 2, 3]


def test_a_partial_batch_is_committed_before_the_next_is_staged(tmp_path: Path) -> None:
    events = run(tmp_path, [2, BATCH, 3], caught_up=False)

    assert events.index("commit", 1) < events.index("stage", 2)  # 2 < max_batch: no overlap
    assert events.index("stage", 3) < events.index("commit", 2)  # a full batch overlaps


def test_work_done_ahead_on_the_helper_thread_is_recorded_in_the_same_flow_run(
    tmp_path: Path,
) -> None:
    """Decode and cleaning of the batch read ahead run on a helper thread: their task runs must
    still belong to the flow run, named per batch, or the UI would show them orphaned."""
    events = run(tmp_path, [BATCH, BATCH, 1], caught_up=False)

    wanted = FlowRunFilter(id=FlowRunFilterId(any_=[uuid.UUID(events.flow_run_id)]))
    deadline = time.monotonic() + 30  # task runs reach the server as events, a moment later
    with get_client(sync_client=True) as client:
        while True:
            runs = client.read_task_runs(flow_run_filter=wanted)
            done = [r for r in runs if r.state is not None and r.state.is_completed()]
            if len(done) >= 9 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    names = sorted(r.name for r in runs)
    for number, size in ((1, BATCH), (2, BATCH), (3, 1)):
        for task in ("decode", "cleaning", "store"):
            assert any(n.startswith(f"{task} | batch {number}: {size} articles") for n in names)
    assert all(r.state is not None and r.state.is_completed() for r in runs)


def test_only_the_stages_before_the_parse_run_ahead() -> None:
    from flows.stages import build_stages
    from workers.pipeline import split_at_parse

    cleaning, entities, quotes = build_stages(StageSettings())
    assert split_at_parse((cleaning, entities, quotes)) == ((cleaning,), (entities, quotes))
    assert split_at_parse((cleaning,)) == ((cleaning,), ())
    assert split_at_parse((cleaning, quotes)) == ((cleaning,), (quotes,))


def test_with_stage_workers_a_batch_has_two_task_runs_and_bad_input_is_still_dead_lettered(
    tmp_path: Path,
) -> None:
    """With worker processes a batch's task runs are `stages` and `store`: the decode runs in the
    flow's process without one (a task run costs the Prefect server far more CPU than decoding a
    batch), and still dead-letters what is not an article and reports its seconds."""
    from flows.runner import PooledRunner
    from flows.workerpool import WorkerPool

    settings = StageSettings(entities=False, quotes=False)
    events = Events()
    source = BatchesOf([BATCH, 2], events, caught_up=False)
    bad = Envelope(b"{not json", Origin(kind="kafka", topic="t", partition=0, offset=99))
    source.batches_[1].append(bad)
    store = LocalFolderStore(tmp_path)
    with WorkerPool(1, settings, timeout=120) as pool:

        @flow(name="pooled-task-runs-test")
        def go() -> tuple[str, int, int, float]:
            summary = drain(
                source,
                StoreDocumentSink(store),
                StoreDeadLetterSink(store),
                PooledRunner(pool, settings),
                max_batch=BATCH,
            )
            return str(flow_run.id), summary.stored, summary.dead, summary.stage_seconds["decode"]

        run_id, stored, dead, decode_seconds = go()
    assert (stored, dead) == (BATCH + 2, 1)
    assert decode_seconds > 0
    assert len(list(tmp_path.glob("dead/**/*.json"))) == 1

    wanted = FlowRunFilter(id=FlowRunFilterId(any_=[uuid.UUID(run_id)]))
    deadline = time.monotonic() + 30  # task runs reach the server as events, a moment later
    with get_client(sync_client=True) as client:
        while True:
            runs = client.read_task_runs(flow_run_filter=wanted)
            if len(runs) >= 4 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        time.sleep(1.0)  # a stray decode task run would arrive with the others
        names = sorted(r.name for r in client.read_task_runs(flow_run_filter=wanted))
    assert [n.split(" | ")[0] for n in names] == ["stages", "stages", "store", "store"], names

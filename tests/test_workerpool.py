"""The stage worker pool: same documents as in-process, in order, through kill -9 and deadlines.

Real worker processes with the real stages (flows.stages.build_stages) on the repository's seed
articles; the slow article is real input (a body of 150,000 lines takes the cleaning stage
15 s or more), the poison article a test-only stage given through the pool's stage factory.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from flows.sources.files import FileSource
from flows.stage_worker import Done, Failed, glibc_malloc, libc_single_threaded
from flows.stages import build_stages
from flows.workerpool import PoolBroken, WorkerPool, default_workers
from schemas import EnrichedDocument, FailedStage, RawArticle, StageSettings
from tests.conftest import ROOT, SEEDS
from tests.reliability.helpers import make_articles
from workers.assemble import assemble
from workers.base import Stage, WorkItem
from workers.decode import decode_raw_article
from workers.pipeline import parse_scope, run_pipeline

SETTINGS = StageSettings()


def _seed_payloads() -> list[bytes]:
    return [env.payload for env in FileSource([SEEDS]).envelopes()]


def _payloads(count: int, tag: str) -> list[bytes]:
    return [a.model_dump_json().encode() for a in make_articles(count, tag)]


def _enormous() -> bytes:
    """Real input that takes the cleaning stage far longer than the tests' deadline."""
    body = "".join(f"Line {i} of the wire copy.\n" for i in range(150_000))
    article = RawArticle(id="enormous-1", url="https://example.com/enormous", body=body)
    return article.model_dump_json().encode()


def _in_process(payloads: list[bytes]) -> list[EnrichedDocument | None]:
    """What the in-process path makes of the same payloads (None where it fails)."""
    stages = build_stages(SETTINGS)
    decoded = [decode_raw_article(p) for p in payloads]
    items = [WorkItem(raw=d) for d in decoded if isinstance(d, RawArticle)]
    with parse_scope(stages, items):
        run_pipeline(stages, items)
    versions = {s.name.value: s.version for s in stages}
    by_id = {i.raw.id: assemble(i, versions) for i in items if i.ok}
    return [by_id.get(d.id) if isinstance(d, RawArticle) else None for d in decoded]


def _comparable(doc: EnrichedDocument) -> dict[str, object]:
    """Everything but the timing and the duplicate mark (which the consumer sets: it alone sees
    every article in order)."""
    return doc.model_dump(exclude={"pipeline": {"processed_at", "seconds"}, "duplicate_of": True})


def _documents(outcomes: list[Done | Failed]) -> list[EnrichedDocument | None]:
    return [
        EnrichedDocument.model_validate_json(o.document_json) if isinstance(o, Done) else None
        for o in outcomes
    ]


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    with WorkerPool(2, SETTINGS, timeout=120) as p:
        p.wait_ready()
        yield p


def test_workers_start_no_thread(pool: WorkerPool) -> None:
    """The point of the pool: a worker is single-threaded, by Python's count and by glibc's."""
    assert len(pool.started) == 2
    for info in pool.started:
        assert info.pid not in (os.getpid(), None)
        assert info.threads == 1
        if libc_single_threaded() is not None:  # glibc >= 2.32 exports the flag
            assert info.single_threaded is True


def test_workers_freeze_what_they_loaded(pool: WorkerPool) -> None:
    """The model and modules are out of the cycle collector's way (tens of thousands of
    objects), and the documents still match the in-process path (test below)."""
    for info in pool.started:
        assert info.frozen > 20_000


def test_workers_hold_the_heap_between_tasks(pool: WorkerPool) -> None:
    """Every worker keeps freed memory for its next task where the C library is glibc
    (flows.stage_worker.hold_freed_memory; its effect: tests/test_worker_memory.py)."""
    expected = glibc_malloc() is not None
    assert [info.heap_held for info in pool.started] == [expected, expected]


def test_same_documents_as_in_process_in_order(pool: WorkerPool) -> None:
    payloads = [*_seed_payloads(), b"not json", *_payloads(12, "order")]
    outcomes = pool.submit(payloads).result()
    assert len(outcomes) == len(payloads)
    expected = _in_process(payloads)
    got = _documents(outcomes)
    assert sum(d is not None for d in got) == sum(d is not None for d in expected) >= 20
    for want, have, outcome in zip(expected, got, outcomes, strict=True):
        if want is None:
            assert isinstance(outcome, Failed)
        else:
            assert have is not None and _comparable(have) == _comparable(want)
    bad = outcomes[len(_seed_payloads())]
    assert isinstance(bad, Failed) and bad.stage is FailedStage.DECODE


def test_batches_overlap_and_each_keeps_its_order(pool: WorkerPool) -> None:
    first, second = _payloads(20, "first"), _payloads(9, "second")
    a, b = pool.submit(first), pool.submit(second)
    for batch, tag, n in ((b, "second", 9), (a, "first", 20)):
        ids = [d.id for d in _documents(batch.result()) if d is not None]
        assert ids == [f"{tag}-{i:04d}" for i in range(n)]
    assert set(a.seconds) == {"cleaning", "entities", "quotes"}


def test_kill_9_mid_batch_loses_nothing_and_duplicates_nothing() -> None:
    payloads = _payloads(40, "kill")
    with WorkerPool(2, SETTINGS, timeout=120, chunk=8) as pool:
        pool.wait_ready()
        batch = pool.submit(payloads)
        deadline = time.monotonic() + 60
        while not pool.busy_pids() and time.monotonic() < deadline:
            time.sleep(0.01)
        victim = pool.busy_pids()[0]
        time.sleep(0.2)  # inside its task, not before it
        os.kill(victim, signal.SIGKILL)
        outcomes = batch.result()
        assert pool.replacements()["died"] == 1
        assert victim not in pool.pids() and len(pool.pids()) == 2
    ids = [d.id for d in _documents(outcomes) if d is not None]
    assert ids == [f"kill-{i:04d}" for i in range(40)]


def test_an_article_past_its_deadline_is_a_timeout_dead_letter_and_the_rest_goes_on() -> None:
    payloads = _payloads(6, "slow")
    payloads.insert(3, _enormous())
    with WorkerPool(1, SETTINGS, timeout=4.0, chunk=4) as pool:
        pool.wait_ready()
        started = time.monotonic()
        outcomes = pool.submit(payloads).result()
        elapsed = time.monotonic() - started
        assert pool.replacements()["timeout"] >= 2  # the task of four, then the article alone
    slow = outcomes[3]
    assert isinstance(slow, Failed)
    assert slow.error_type == "timeout" and slow.reason.startswith("timeout")
    assert slow.stage is FailedStage.CLEANING
    ids = [d.id for d in _documents(outcomes) if d is not None]
    assert ids == [f"slow-{i:04d}" for i in range(6)]
    assert elapsed < 120


class _Poison:
    """Test-only stage: ends its own process, as a crash in native code would, on one article."""

    name = FailedStage.QUOTES
    version = "test"

    def __call__(self, batch: list[WorkItem]) -> list[WorkItem]:
        if any(item.raw.id == "poison-0002" for item in batch):
            os.kill(os.getpid(), signal.SIGKILL)
        return batch


def poisoned_stages(settings: StageSettings) -> tuple[Stage, ...]:
    """The real stages with the poison stage after them (the pool's declared stage factory)."""
    return (*build_stages(settings), _Poison())


def test_an_article_that_kills_its_worker_twice_is_dead_lettered_not_retried_for_ever() -> None:
    payloads = _payloads(5, "poison")
    with WorkerPool(1, SETTINGS, timeout=120, stage_factory=poisoned_stages) as pool:
        outcomes = pool.submit(payloads).result()
        assert pool.replacements()["died"] == 2  # the task of five, then the article alone
    poison = outcomes[2]
    assert isinstance(poison, Failed) and poison.error_type == "WorkerDied"
    assert poison.stage is FailedStage.QUOTES
    ids = [d.id for d in _documents(outcomes) if d is not None]
    assert ids == ["poison-0000", "poison-0001", "poison-0003", "poison-0004"]


def test_the_task_a_dying_worker_holds_is_run_again_and_not_blamed() -> None:
    """One article per task: while the poison article runs, the worker already holds the next
    one in its socket. That one goes back to the queue as it was, not retried as a suspect."""
    payloads = _payloads(5, "poison")
    with WorkerPool(1, SETTINGS, timeout=120, chunk=1, stage_factory=poisoned_stages) as pool:
        outcomes = pool.submit(payloads).result()
        assert pool.replacements()["died"] == 2  # the poison article, twice; nothing else
    assert [o.error_type for o in outcomes if isinstance(o, Failed)] == ["WorkerDied"]
    ids = [d.id for d in _documents(outcomes) if d is not None]
    assert ids == ["poison-0000", "poison-0001", "poison-0003", "poison-0004"]


def test_a_deadline_ends_only_the_running_task_not_the_one_held_behind_it() -> None:
    payloads = _payloads(4, "held")
    payloads.insert(2, _enormous())
    with WorkerPool(1, SETTINGS, timeout=4.0, chunk=1) as pool:
        pool.wait_ready()
        outcomes = pool.submit(payloads).result()
        assert pool.replacements()["timeout"] == 1
    assert [o.error_type for o in outcomes if isinstance(o, Failed)] == ["timeout"]
    ids = [d.id for d in _documents(outcomes) if d is not None]
    assert ids == [f"held-{i:04d}" for i in range(4)]


def _long(index: int, chars: int) -> bytes:
    """A plain-text article of about `chars` characters, of different paragraphs throughout."""
    paragraphs, size, n = [], 0, 0
    while size < chars:
        line = f"Paragraph {n} of the long report {index}: the council met again on day {n}."
        paragraphs.append(line)
        size, n = size + len(line) + 2, n + 1
    article = RawArticle(id=f"long-{index}", body="\n\n".join(paragraphs))
    return article.model_dump_json().encode()


def test_a_task_too_big_for_the_socket_buffer_is_not_held_so_nothing_deadlocks() -> None:
    """Tasks and results of megabytes: a held task the socket could not take whole would block
    the dispatcher while the worker blocks sending it a result. Such a task waits in the queue."""
    settings = StageSettings(max_nlp_chars=2_000)
    payloads = [_long(i, 2_500_000) for i in range(3)]
    with WorkerPool(1, settings, timeout=120, chunk=1) as pool:
        pool.wait_ready()
        batch = pool.submit(payloads)
        started = time.monotonic()

        def not_stuck() -> None:
            assert time.monotonic() - started < 150, "the pool is stuck"

        outcomes = batch.result(on_wait=not_stuck, every=1.0)
    assert all(isinstance(o, Done) and len(o.document_json) > 2_000_000 for o in outcomes)


def broken_stages(settings: StageSettings) -> tuple[Stage, ...]:
    raise RuntimeError("no model here")


def test_stages_that_cannot_be_built_fail_the_batch_with_the_reason() -> None:
    with WorkerPool(1, SETTINGS, stage_factory=broken_stages) as pool:
        batch = pool.submit(_payloads(2, "broken"))
        with pytest.raises(PoolBroken, match="no model here"):
            batch.result()


def test_a_worker_is_replaced_after_max_articles() -> None:
    payloads = _payloads(8, "recycle")
    with WorkerPool(1, SETTINGS, chunk=4, max_articles=4) as pool:
        first = pool.submit(payloads[:4]).result()
        assert pool.replacements()["recycled"] == 1
        second = pool.submit(payloads[4:]).result()
        assert pool.replacements()["recycled"] == 2
        assert len({info.pid for info in pool.started}) >= 2
    assert all(isinstance(o, Done) for o in first + second)


def test_default_workers_follow_the_cpu_affinity() -> None:
    assert 1 <= default_workers() <= min(len(os.sched_getaffinity(0)), 8)


def test_a_stage_factory_must_be_importable_by_name() -> None:
    with pytest.raises(ValueError, match="module-level"):
        WorkerPool(1, SETTINGS, stage_factory=lambda s: build_stages(s))


_ORPHAN_SCRIPT = """
import sys, time
from flows.workerpool import WorkerPool
from schemas import StageSettings
from tests.test_workerpool import _enormous
pool = WorkerPool(1, StageSettings(), timeout=600)
pool.wait_ready()
pool.submit([_enormous()])
while not pool.busy_pids():
    time.sleep(0.05)
time.sleep(0.5)
print(pool.busy_pids()[0], flush=True)
time.sleep(600)
"""


def test_a_worker_ends_soon_after_its_pool_process_is_killed_even_mid_task() -> None:
    """Else a worker on a pathological article would run on with no deadline left to stop it."""
    parent = subprocess.Popen(
        [sys.executable, "-c", _ORPHAN_SCRIPT], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        worker = int(parent.stdout.readline())
        parent.kill()
        parent.wait(timeout=30)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                os.kill(worker, 0)
            except ProcessLookupError:
                break
            time.sleep(0.2)
        else:
            os.kill(worker, signal.SIGKILL)
            raise AssertionError("the orphaned worker was still running after 15 s")
    finally:
        if parent.poll() is None:
            parent.kill()


def test_workers_leave_near_duplicates_to_their_consumer() -> None:
    """A worker sees only its slices of the stream, so its cleaning keeps no duplicate index (a
    fifth of the cleaning's CPU); the in-process stages, which see every article, mark the copy."""
    from flows.stages import build_worker_stages

    original = RawArticle.model_validate_json(_payloads(1, "copy")[0])
    copy = original.model_copy(update={"id": "copy-of-" + original.id})
    # build_stages.__wrapped__: fresh stages, not the cached ones other tests' articles went into
    for factory, expected in ((build_stages.__wrapped__, original.id), (build_worker_stages, None)):
        cleaning = factory(SETTINGS)[0]
        items = [WorkItem(raw=original), WorkItem(raw=copy)]
        cleaning(items)
        assert items[1].cleaned is not None
        assert items[1].cleaned.duplicate_of == expected


@pytest.mark.parametrize(
    "sizes", [[0], [1], [10] * 300, [4_300] * 8, [70_000, 3], [2_500_000], [65_536] * 40]
)
def test_the_size_a_task_is_held_by_is_never_below_its_message(sizes: list[int]) -> None:
    """A task is held in a worker's socket by a bound on its message, not by pickling it on every
    dispatcher pass: the bound must not fall below what `Connection.send` really writes, or a
    held task could block the dispatcher (the deadlock of the 2.5 MB test)."""
    from multiprocessing.reduction import ForkingPickler

    from flows.workerpool import PoolBatch, _message_bound, _Task

    payloads = [os.urandom(n) for n in sizes]
    task = _Task(PoolBatch.__new__(PoolBatch), list(range(len(payloads))), payloads)
    written = len(ForkingPickler.dumps(("run", 2**62, payloads)))
    assert written <= _message_bound(task) <= written + sum(sizes) // 1000 + 32 * len(sizes) + 256

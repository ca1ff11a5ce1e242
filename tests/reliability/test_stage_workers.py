"""Stage worker processes against the real broker and store (issue 17): a worker killed with
SIGKILL mid-batch costs nothing, and an article past its deadline is dead-lettered with reason
timeout while the rest of its batch is stored. Each runs the real `newsflow consume --workers N`.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import psutil
import pytest

from flows.sources.base import Envelope
from flows.sources.kafka import KafkaSource
from schemas import RawArticle
from tests.conftest import ROOT
from tests.reliability.helpers import Pipeline, make_articles, wait_for

pytestmark = pytest.mark.integration


def _workers_of(consumer: psutil.Process) -> list[psutil.Process]:
    return [
        p for p in consumer.children(recursive=True) if "flows.worker_main" in " ".join(p.cmdline())
    ]


def _busy(workers: list[psutil.Process], every: float = 0.3) -> psutil.Process | None:
    """A worker that is using CPU now (running a task, not waiting for one)."""
    before = {p.pid: sum(p.cpu_times()[:2]) for p in workers}
    time.sleep(every)
    for p in workers:
        if p.is_running() and sum(p.cpu_times()[:2]) - before[p.pid] > 0.05:
            return p
    return None


def _long(articles: list[RawArticle]) -> list[RawArticle]:
    """The same articles, each about 1,400 words: a task of 8 takes seconds, not a fraction."""
    return [
        a.model_copy(update={"body": "\n\n".join(f"Part {k}. {a.body}" for k in range(20))})
        for a in articles
    ]


def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    # Long articles, so that a worker seen busy is still inside its task when the signal lands:
    # with short ones (26 articles/s on an idle machine) the worker sampled busy had often just
    # finished, and a worker killed between tasks has nothing to retry or report.
    articles = _long(make_articles(96, "wkill"))
    pipeline.publish(articles)
    log = tmp_path / "consume.log"
    with pipeline.consumer_process("--until-idle", "--workers", "2", log=log, max_batch=16) as proc:
        consumer = psutil.Process(proc.pid)
        wait_for(lambda: len(_workers_of(consumer)) == 2, 120, "two stage workers")
        wait_for(lambda: bool(pipeline.keys("enriched/")), 300, "the first stored batch")
        first = _workers_of(consumer)  # loaded and working; a replacement is never killed
        killed: list[int] = []

        def reported() -> bool:
            text = log.read_text(errors="replace")
            return any(f"stage worker {pid} died (signal 9)" in text for pid in killed)

        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline and len(killed) < len(first):
            victim = _busy([p for p in first if p.pid not in killed])
            if victim is None:
                continue
            victim.kill()
            killed.append(victim.pid)
            noticed_by = time.monotonic() + 5  # the pool sees a death at once; a log line follows
            while not reported() and proc.poll() is None and time.monotonic() < noticed_by:
                time.sleep(0.2)
            if reported():
                break
        assert killed, "no worker was busy: the run ended before the kill"
        assert proc.wait(timeout=600) == 0, log.read_text()[-3000:]
    assert reported(), log.read_text()[-3000:]
    docs = pipeline.documents()
    assert sorted(d.id for d in docs) == sorted(a.id for a in articles)  # each once
    assert pipeline.dead_letters() == []
    assert pipeline.lag() == 0


def _enormous(tag: str) -> RawArticle:
    """Real input the cleaning stage needs far longer than the deadline for (15 s or more)."""
    body = "".join(f"Line {i} of the wire copy.\n" for i in range(150_000))
    return RawArticle(id=f"{tag}-enormous", url=f"https://example.com/{tag}", body=body)


def test_an_article_past_its_deadline_is_dead_lettered_and_the_rest_stored(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    articles = make_articles(6, "wslow")
    slow = _enormous("wslow")
    pipeline.publish([*articles[:3], slow, *articles[3:]])
    log = tmp_path / "consume.log"
    env = pipeline.env(NEWSFLOW_ARTICLE_TIMEOUT="4")
    args = pipeline.consume_args("--until-idle", "--workers", "1", max_batch=8)
    run = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    log.write_text(run.stdout + run.stderr)
    assert run.returncode == 0, log.read_text()[-3000:]
    assert sorted(d.id for d in pipeline.documents()) == sorted(a.id for a in articles)
    (letter,) = pipeline.dead_letters()
    assert letter["error_type"] == "timeout" and letter["reason"].startswith("timeout")
    assert letter["article_id"] == slow.id
    assert letter["origin"]["topic"] == pipeline.topic and letter["origin"]["offset"] == 3
    assert pipeline.lag() == 0


def test_keep_alive_between_batches_loses_and_repeats_no_message(pipeline: Pipeline) -> None:
    """What the stream calls every few seconds while the workers run a batch: a poll with the
    partitions paused. It must not take records (they belong to the next batch) nor drop any."""
    articles = make_articles(7, "alive")
    pipeline.publish(articles)
    source = KafkaSource(pipeline.config, max_wait=2.0, until_idle=True)
    seen: list[str] = []
    try:
        for batch in source.batches(3):
            for _ in range(3):
                source.keep_alive()
            seen += [env.origin.key or "" for env in batch]
            source.commit(batch)
    finally:
        source.close()
    assert seen == [a.id for a in articles]
    assert pipeline.lag() == 0


@pytest.mark.timeout(180)  # a source that waits for its own commits never ends
def test_until_idle_ends_at_the_end_of_its_partitions_before_their_last_commit(
    pipeline: Pipeline,
) -> None:
    """The drain commits its last batches only after the source stops (batch k-1 is stored
    while batch k is read). So `--until-idle` must judge its own partitions by what it has
    read: a source that waited for their commits would wait for ever (seen in the scale-out
    test, where a consumer's last full batch left the generator waiting on its own lag)."""
    articles = make_articles(6, "idle")
    pipeline.publish(articles)
    source = KafkaSource(pipeline.config, max_wait=2.0, until_idle=True)
    read: list[list[Envelope]] = []
    try:
        for batch in source.batches(3):
            read.append(batch)  # nothing committed while reading, as in the drain's overlap
        ended_uncommitted = pipeline.lag()
        for batch in read:
            source.commit(batch)
    finally:
        source.close()
    assert [env.origin.key for batch in read for env in batch] == [a.id for a in articles]
    assert ended_uncommitted == 6
    assert pipeline.lag() == 0

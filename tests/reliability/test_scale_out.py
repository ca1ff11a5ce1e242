"""Issue 19: consumers of one group share a topic, on the real broker and store (this machine
stands in for several). Three consumers on a six-partition topic store every article exactly once;
one of them killed with SIGKILL mid-run hands its partitions to the others, and still nothing is
lost and no object is written twice under two keys."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from kafka import KafkaConsumer, TopicPartition

from flows.sinks.keys import enriched_key
from tests.reliability.helpers import Pipeline, make_articles, unique, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PARTITIONS = 6
ARTICLES = 600


@pytest.fixture
def wide_pipeline(services, s3_bucket: str, prefect_api_url: str) -> Iterator[Pipeline]:
    topic = services.create_topic(partitions=PARTITIONS, prefix="scale")
    dlq = services.create_topic(partitions=1, prefix="scale-dlq")
    yield Pipeline(services, topic, dlq, unique("scale-group"), s3_bucket, prefect_api_url)
    for name in (topic, dlq):
        with contextlib.suppress(Exception):
            services.delete_topic(name)


def _assert_each_stored_once(pipeline: Pipeline, expected_ids: list[str], articles: list) -> None:
    enriched = pipeline.keys("enriched/")
    assert len(enriched) == len(set(enriched))
    assert sorted(enriched) == sorted(enriched_key(a.id, a.published_at) for a in articles)
    assert len(pipeline.keys("raw/")) == len(articles)
    assert pipeline.dead_letters() == []
    assert pipeline.lag() == 0


def _partitions_committed_by_group(pipeline: Pipeline) -> dict[int, int]:
    consumer = KafkaConsumer(
        bootstrap_servers=pipeline.services.bootstrap_servers,
        group_id=pipeline.group,
        enable_auto_commit=False,
    )
    try:
        return {
            p: consumer.committed(TopicPartition(pipeline.topic, p)) or 0 for p in range(PARTITIONS)
        }
    finally:
        consumer.close()


def _processed(log: Path) -> int:
    """What one consumer says it processed (its summary line), 0 if it printed none."""
    for line in reversed(log.read_text(errors="replace").splitlines()):
        if line.startswith("processed "):
            return int(line.split()[1])
    return 0


def test_three_consumers_share_six_partitions_and_store_each_article_once(
    wide_pipeline: Pipeline, tmp_path: Path
) -> None:
    pipeline = wide_pipeline
    articles = make_articles(ARTICLES, "wide")
    pipeline.publish(articles)
    logs = [tmp_path / f"consumer-{n}.log" for n in range(3)]
    with ExitStack() as stack:
        procs = [
            stack.enter_context(pipeline.consumer_process("--until-idle", log=log, max_batch=16))
            for log in logs
        ]
        for proc in procs:
            assert proc.wait(timeout=600) == 0
    shares = [_processed(log) for log in logs]
    # Each consumer took a share through the group. Together they read the topic once, plus what
    # a rebalance redelivers: a consumer that joins takes partitions whose batches may be in
    # flight elsewhere (at most the three a consumer holds), and those are read again (at least
    # once; the store's keys make the second write an overwrite).
    assert all(share > 0 for share in shares), shares
    assert ARTICLES <= sum(shares) <= ARTICLES + len(logs) * 3 * 16, shares
    _assert_each_stored_once(pipeline, [a.id for a in articles], articles)
    assert all(offset > 0 for offset in _partitions_committed_by_group(pipeline).values())


def test_a_consumer_killed_mid_run_hands_its_partitions_to_the_others(
    wide_pipeline: Pipeline, tmp_path: Path
) -> None:
    pipeline = wide_pipeline
    articles = make_articles(ARTICLES, "scalekill")
    pipeline.publish(articles)
    logs = [tmp_path / f"consumer-{n}.log" for n in range(3)]
    with ExitStack() as stack:
        procs = [
            stack.enter_context(pipeline.consumer_process("--until-idle", log=log, max_batch=8))
            for log in logs
        ]
        wait_for(lambda: len(pipeline.keys("enriched/")) >= 60, 300, "the first batches")
        procs[0].send_signal(signal.SIGKILL)
        assert procs[0].wait(timeout=30) == -signal.SIGKILL
        assert len(pipeline.keys("enriched/")) < ARTICLES, "the kill must land mid-run"
        for proc in procs[1:]:
            assert proc.wait(timeout=600) == 0
    # The survivors drained the whole topic, the killed consumer's partitions included: every
    # partition's committed offset is its end, and every article is stored under one key.
    _assert_each_stored_once(pipeline, [a.id for a in articles], articles)

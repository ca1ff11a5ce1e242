"""Issue 9's faults, against the real broker and the real object store: a consumer killed with
SIGKILL, the object store down, the broker restarted, a batch that fails for good. In each case
every produced article ends in the bucket exactly once and nothing valid is dead-lettered."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import boto3
import pytest

import flows.ingest
import flows.processing
from flows.failures import Misconfigured
from flows.sinks.keys import enriched_key
from tests.reliability.helpers import Pipeline, make_articles, wait_for

pytestmark = pytest.mark.integration


def _assert_exactly_once(pipeline: Pipeline, articles: list) -> None:
    """One enriched and one raw object per article, each whole and valid; no dead letter; lag 0."""
    expected = sorted(enriched_key(a.id, a.published_at) for a in articles)
    enriched = pipeline.keys("enriched/")
    assert len(enriched) == len(set(enriched))
    assert sorted(enriched) == expected
    assert len(pipeline.keys("raw/")) == len(articles)
    documents = pipeline.documents()  # every object parses and validates (offsets included)
    assert sorted(d.id for d in documents) == sorted(a.id for a in articles)
    assert all(d.text and d.quotes for d in documents)
    assert pipeline.dead_letters() == []
    assert pipeline.lag() == 0


def _stored_ids(pipeline: Pipeline) -> set[str]:
    return {key.rsplit("/", 1)[1].removesuffix(".json") for key in pipeline.keys("enriched/")}


def _committed_are_stored(pipeline: Pipeline, tag: str) -> tuple[int, set[str]]:
    """The at-least-once invariant at one instant: every offset below the committed one is an
    article already in the bucket (offset N of a one-partition topic is article `tag-N`)."""
    committed = pipeline.committed()  # read first: whatever it covers was stored before it
    stored = _stored_ids(pipeline)
    missing = [n for n in range(committed) if f"{tag}-{n:04d}" not in stored]
    assert not missing, f"offsets {missing} are committed but their articles are not stored"
    return committed, stored


def test_sigkill_mid_run_then_restart_stores_each_article_once(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    articles = make_articles(40, "kill")
    pipeline.publish(articles)
    log = tmp_path / "first.log"
    with pipeline.consumer_process("--until-idle", log=log, max_batch=2) as proc:
        wait_for(lambda: len(pipeline.keys("enriched/")) >= 4, 120, "the first batches")
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    committed, stored = _committed_are_stored(pipeline, "kill")
    assert 4 <= len(stored) < len(articles), "the kill must land mid-run"
    assert committed < len(articles)

    second = pipeline.consume("--until-idle", max_batch=8)
    assert second.returncode == 0, second.stderr[-3000:]
    # The restarted consumer resumed from the last commit: it re-read at most the killed batch,
    # not the whole topic.
    assert f"processed {len(articles) - committed} articles" in second.stdout
    _assert_exactly_once(pipeline, articles)


def test_object_store_outage_is_retried_and_nothing_commits_meanwhile(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    services = pipeline.services
    articles = make_articles(60, "s3down")
    pipeline.publish(articles)
    log = tmp_path / "consume.log"
    with pipeline.consumer_process("--until-idle", log=log, max_batch=2) as proc:
        wait_for(lambda: len(pipeline.keys("enriched/")) >= 2, 120, "the first batches")
        services.stop_s3()
        try:
            down_at = pipeline.committed()
            time.sleep(4)
            assert proc.poll() is None, "the consumer must survive a short store outage"
            assert pipeline.committed() == down_at, (
                "offsets were committed while the store was down"
            )
        finally:
            services.start_s3()
        assert down_at < len(articles), "the outage must land mid-run"
        code = proc.wait(timeout=180)
    output = log.read_text(errors="replace")
    assert code == 0, output[-3000:]
    assert "Retry 1/4" in output, "the store task should have retried during the outage"
    _assert_exactly_once(pipeline, articles)


def test_broker_restart_mid_run_consumer_reconnects_and_continues(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    services = pipeline.services
    before, after = make_articles(30, "kafka")[:20], make_articles(30, "kafka")[20:]
    pipeline.publish(before)
    log = tmp_path / "consume.log"
    with pipeline.consumer_process(log=log, max_batch=2) as proc:  # runs until stopped
        wait_for(lambda: len(pipeline.keys("enriched/")) >= 2, 120, "the first batches")
        services.restart_kafka()
        assert proc.poll() is None, "the consumer must outlive a broker restart"
        pipeline.publish(after)  # the same consumer must pick up what arrives after the restart
        wait_for(lambda: len(pipeline.keys("enriched/")) >= 30, 180, "all 30 articles", every=1)
        wait_for(lambda: pipeline.lag() == 0, 60, "the last commit", every=1)
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
    output = log.read_text(errors="replace")
    assert code == 0, output[-3000:]
    assert "processed 30 articles" in output, output[-2000:]
    assert "ECONNREFUSED" in output, "the consumer should have seen the broker go away"
    _assert_exactly_once(pipeline, before + after)


def test_a_batch_that_fails_for_good_is_not_committed_and_is_read_again(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store refuses every write beyond all retries (here: revoked credentials, a real 403
    from the store): the flow run fails without committing, and the next run re-reads and stores
    the same batch. (A missing bucket is no such case on SeaweedFS: it creates it on write.)"""
    from flows.ingest import ingest

    for key, value in pipeline.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    # A 403 fails the same way on every retry; skip the store task's 18 s of back-off.
    monkeypatch.setattr(
        flows.processing, "store_batch", flows.processing.store_batch.with_options(retries=0)
    )
    articles = make_articles(6, "perm")
    pipeline.publish(articles)

    # boto3's default session keeps the credentials it first read: start a new one per run.
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "revoked-secret")
    # The start-up check would refuse this run before any article is read (issue 23): skip it
    # here, so the store's own refusal mid-run is what is tested (a Misconfigured, not retried).
    with monkeypatch.context() as patched:
        patched.setattr(flows.ingest, "require_ready", lambda *args, **kwargs: None)
        with pytest.raises(Misconfigured, match=r"object store refused the credentials"):
            ingest(sink=f"s3://{pipeline.bucket}/", max_batch=3, max_wait=0.5)
    assert pipeline.committed() == 0
    assert pipeline.keys("enriched/") == []

    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", pipeline.services.secret_key)
    result = ingest(sink=f"s3://{pipeline.bucket}/", max_batch=3, max_wait=0.5)
    assert result["processed"] == len(articles)
    _assert_exactly_once(pipeline, articles)

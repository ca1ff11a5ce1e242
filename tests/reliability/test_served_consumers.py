"""Issue 19: two processes that run deployments (this machine stands in for two machines) run
one ingest run each at once, against the real broker and store and the session's Prefect server:
two `newsflow serve` processes, and two `prefect worker start --pool` workers of a process work
pool with the deployment from prefect.yaml. The runs join one consumer group, take disjoint
partitions between them, and together store every article exactly once; the offsets each run
committed are read back from the Prefect API (a finished run is renamed after them), and a
cancel from the API stops each run cleanly, as Cancelled.

The runs are of `ingest-standing` (no schedule, not stopped by an idle topic), started through
the API: that makes "both consumers in the group before the first article arrives" a condition
the test can wait for, instead of a race between two schedule ticks. Each process takes one run
at a time (PREFECT_RUNNER_PROCESS_LIMIT=1 / --limit 1), so the two runs land on the two. Only the
cleaning stage runs (a run parameter): the test is about the partitions, and the parse would only
make it slower."""

from __future__ import annotations

import contextlib
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from uuid import UUID

import psutil
import pytest
import yaml
from kafka import KafkaConsumer, TopicPartition
from kafka.admin import KafkaAdminClient

from flows.sinks.keys import enriched_key
from tests.conftest import ROOT
from tests.reliability.helpers import Pipeline, make_articles, unique, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PARTITIONS = 6
ARTICLES = 120
#: The backlog a standing run is cancelled in the middle of.
BACKLOG = 800
#: A finished ingest run is renamed after the offsets it committed (flows.artifacts
#: final_run_name): `... [topic[3]@0-15, topic[4]@0-22]`, first and last offset per partition.
SPAN = re.compile(r"\[(\d+)\]@(\d+)-(\d+)")


@pytest.fixture
def wide_pipeline(services, s3_bucket: str, prefect_api_url: str) -> Iterator[Pipeline]:
    topic = services.create_topic(partitions=PARTITIONS, prefix="served")
    dlq = services.create_topic(partitions=1, prefix="served-dlq")
    yield Pipeline(services, topic, dlq, unique("served-group"), s3_bucket, prefect_api_url)
    for name in (topic, dlq):
        with contextlib.suppress(Exception):
            services.delete_topic(name)


@contextlib.contextmanager
def _background(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """A process in the background, its output in `log`; interrupted (then killed) at the end."""
    with log.open("wb") as out:
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=30)


def _served(pipeline: Pipeline, log: Path) -> contextlib.AbstractContextManager[subprocess.Popen]:
    """`newsflow serve`, one flow run at a time, polling every second."""
    env = pipeline.env(PREFECT_RUNNER_PROCESS_LIMIT="1", PREFECT_RUNNER_POLL_FREQUENCY="1")
    args = [sys.executable, "-m", "flows.cli", "serve", "--paused"]
    return _background([*args, "--sink", f"s3://{pipeline.bucket}/"], env, log)


def _deploy_on_pool(pipeline: Pipeline, pool: str, tmp_path: Path) -> None:
    """What an operator does once: the pool, and prefect.yaml's ingest-standing deployed on it
    (the committed file, its pool renamed to this test's own)."""
    document = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    (standing,) = [d for d in document["deployments"] if d["name"] == "ingest-standing"]
    standing["work_pool"]["name"] = pool
    document["deployments"] = [standing]
    prefect_file = tmp_path / "prefect.yaml"
    prefect_file.write_text(yaml.safe_dump(document, sort_keys=False))
    prefect = [str(Path(sys.executable).parent / "prefect"), "--no-prompt"]
    env = pipeline.env(PWD=str(ROOT))
    for args in (
        ["work-pool", "create", pool, "--type", "process"],
        ["deploy", "--all", "--prefect-file", str(prefect_file)],
    ):
        done = subprocess.run(
            [*prefect, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def _pool_worker(
    pipeline: Pipeline, pool: str, log: Path
) -> contextlib.AbstractContextManager[subprocess.Popen]:
    """`prefect worker start --pool POOL`, one flow run at a time, polling every second."""
    env = pipeline.env(PREFECT_WORKER_QUERY_SECONDS="1")
    prefect = str(Path(sys.executable).parent / "prefect")
    return _background([prefect, "worker", "start", "--pool", pool, "--limit", "1"], env, log)


def _group_assignments(pipeline: Pipeline) -> list[set[int]]:
    """The partitions of the topic each member of the group holds, once the group is stable (the
    broker's view; [] while it rebalances)."""
    admin = KafkaAdminClient(bootstrap_servers=pipeline.services.bootstrap_servers)
    try:
        group = admin.describe_groups([pipeline.group])[pipeline.group]
    finally:
        admin.close()
    if group["error"] or group["group_state"] != "Stable":
        return []
    return [
        {
            p
            for held in (member["member_assignment"] or {}).get("assigned_partitions", [])
            if held["topic"] == pipeline.topic
            for p in held["partitions"]
        }
        for member in group["members"]
    ]


def _flow_run_ids_under(proc: subprocess.Popen) -> set[str]:
    """The flow runs a served process runs now: each is a child process with its run's id."""
    ids = set()
    for child in psutil.Process(proc.pid).children(recursive=True):
        with contextlib.suppress(psutil.Error):
            run_id = child.environ().get("PREFECT__FLOW_RUN_ID")
            if run_id:
                ids.add(run_id)
    return ids


def _drop_leftover_scheduled_runs(client: Any) -> None:
    """Runs other tests of the session left scheduled (a `prefect deploy` of the scheduled ingest
    deployment): a served process would take them, with their sink, on this test's topic."""
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    waiting = FlowRunFilter(
        state=FlowRunFilterState(
            type=FlowRunFilterStateType(any_=[StateType.SCHEDULED, StateType.PENDING])
        )
    )
    for run in client.read_flow_runs(flow_run_filter=waiting, limit=200):
        client.delete_flow_run(run.id)


def _committed_spans(client: Any, flow_run_id: UUID) -> dict[int, tuple[int, int]]:
    """partition -> (first, last) offset a run committed, from its name in the Prefect API.

    The run records a batch's offsets after its commit and renames itself through the API
    before it ends, so the name is there once the run is final (task runs' states reach the
    server through events, later)."""
    name = client.read_flow_run(flow_run_id).name
    return {int(p): (int(a), int(b)) for p, a, b in SPAN.findall(name)}


@pytest.mark.parametrize("launcher", ["newsflow serve", "prefect worker"])
def test_two_processes_run_ingest_at_once_on_disjoint_partitions(
    wide_pipeline: Pipeline, tmp_path: Path, launcher: str
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.states import Cancelling

    pipeline = wide_pipeline
    articles = make_articles(ARTICLES, "served")
    started = time.monotonic()
    pool = unique("scale-pool")
    if launcher == "prefect worker":
        _deploy_on_pool(pipeline, pool, tmp_path)
    with ExitStack() as stack, get_client(sync_client=True) as client:
        served = [
            stack.enter_context(
                _served(pipeline, log)
                if launcher == "newsflow serve"
                else _pool_worker(pipeline, pool, log)
            )
            for log in (tmp_path / "process-0.log", tmp_path / "process-1.log")
        ]

        def registered() -> bool:
            with contextlib.suppress(Exception):
                standing = client.read_deployment_by_name("ingest/ingest-standing")
                if launcher == "prefect worker":
                    return standing.work_pool_name == pool
                return standing.parameters.get("sink") == f"s3://{pipeline.bucket}/"
            return False

        wait_for(registered, 90, "newsflow serve to register ingest-standing")
        _drop_leftover_scheduled_runs(client)
        deployment = client.read_deployment_by_name("ingest/ingest-standing")
        assert deployment.global_concurrency_limit.limit == PARTITIONS
        assert deployment.concurrency_options.collision_strategy == "CANCEL_NEW"
        assert deployment.schedules == [] and deployment.parameters["until_idle"] is False
        # This test's sink, and the cleaning stage only (the partitions are what is tested here;
        # the parse would only make it slower).
        parameters = {
            "sink": f"s3://{pipeline.bucket}/",
            "max_batch": 8,
            "settings": {**deployment.parameters["settings"], "entities": False, "quotes": False},
        }
        runs = [
            client.create_flow_run_from_deployment(deployment.id, parameters=parameters)
            for _ in range(2)
        ]

        def both_consuming() -> bool:
            held = _group_assignments(pipeline)
            return len(held) == 2 and all(held)

        wait_for(both_consuming, 120, "two runs in the group, each holding partitions", every=1)
        for run in runs:
            assert client.read_flow_run(run.id).state.is_running()
        # One run on each process.
        on_each = [_flow_run_ids_under(proc) for proc in served]
        assert sorted(len(ids) for ids in on_each) == [1, 1], on_each
        assert set().union(*on_each) == {str(run.id) for run in runs}
        held = _group_assignments(pipeline)
        assert held[0].isdisjoint(held[1]) and held[0] | held[1] == set(range(PARTITIONS))

        pipeline.publish(articles)
        wait_for(lambda: pipeline.lag() == 0, 120, "every article stored and committed", every=1)
        for run in runs:
            client.set_flow_run_state(run.id, Cancelling(message="the test is done"))
        wait_for(
            lambda: all(client.read_flow_run(r.id).state.is_final() for r in runs),
            90,
            "both runs to stop on cancel",
            every=1,
        )
        states = [client.read_flow_run(run.id).state for run in runs]
        assert all(state.is_cancelled() for state in states), [s.type for s in states]
        spans = [_committed_spans(client, run.id) for run in runs]

    # Both runs committed batches, on partitions the other never touched, each from the
    # partition's first offset to its last: together, every article once.
    assert all(spans), spans
    assert set(spans[0]).isdisjoint(spans[1]), spans
    both = spans[0] | spans[1]
    assert set(both) == set(range(PARTITIONS)), spans
    assert all(first == 0 for first, _ in both.values()), spans
    assert sum(last + 1 for _, last in both.values()) == ARTICLES
    assert _partitions_committed(pipeline) == {p: last + 1 for p, (_, last) in both.items()}
    enriched = pipeline.keys("enriched/")
    assert sorted(enriched) == sorted(enriched_key(a.id, a.published_at) for a in articles)
    assert pipeline.dead_letters() == []
    print(f"{launcher}: two runs, {ARTICLES} articles in {time.monotonic() - started:.0f} s")


def test_a_standing_run_cancelled_mid_backlog_commits_only_what_it_stored(
    wide_pipeline: Pipeline, tmp_path: Path
) -> None:
    """Cancel from the API while a backlog is being drained: Prefect sends the run's process
    SIGTERM; the stop flag ends the drain at its next safe point (no SIGKILL 30 s later: the run
    report is published, which happens only after the drain returned), the run ends Cancelled,
    every committed offset's article is stored, and a later consumer stores the rest once."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
    from prefect.states import Cancelling

    pipeline = wide_pipeline
    articles = make_articles(BACKLOG, "cancel")
    pipeline.publish(articles)
    with (
        _served(pipeline, tmp_path / "serve.log"),
        get_client(sync_client=True) as client,
    ):

        def registered() -> bool:
            with contextlib.suppress(Exception):
                standing = client.read_deployment_by_name("ingest/ingest-standing")
                return standing.parameters.get("sink") == f"s3://{pipeline.bucket}/"
            return False

        wait_for(registered, 90, "newsflow serve to register ingest-standing")
        _drop_leftover_scheduled_runs(client)
        deployment = client.read_deployment_by_name("ingest/ingest-standing")
        parameters = {
            "sink": f"s3://{pipeline.bucket}/",
            "max_batch": 4,
            "settings": {**deployment.parameters["settings"], "entities": False, "quotes": False},
        }
        run = client.create_flow_run_from_deployment(deployment.id, parameters=parameters)
        wait_for(lambda: len(pipeline.keys("enriched/")) >= 40, 180, "the first batches", every=0.5)
        client.set_flow_run_state(run.id, Cancelling(message="operator cancel"))
        asked = time.monotonic()
        wait_for(lambda: client.read_flow_run(run.id).state.is_final(), 60, "the run to stop")
        stopped_in = time.monotonic() - asked
        assert client.read_flow_run(run.id).state.is_cancelled()
        spans = _committed_spans(client, run.id)
        reports = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run.id]))
        )
    assert stopped_in < 30, f"the run took {stopped_in:.0f} s to stop: killed, not stopped"
    assert [a.key for a in reports] == ["ingest-report"]
    stored_before = len(pipeline.keys("enriched/"))
    committed = _partitions_committed(pipeline)
    assert 0 < sum(committed.values()) <= stored_before < BACKLOG, (committed, stored_before)
    # The run reports what the group holds: it committed from each partition's start.
    assert {p: last + 1 for p, (_, last) in spans.items()} == {
        p: upto for p, upto in committed.items() if upto
    }

    # The next consumer starts from the commits and stores the rest. Had the run committed an
    # article it had not stored, nothing would store it now: every article in the bucket once
    # means every commit came after its store.
    done = subprocess.run(
        pipeline.consume_args("--until-idle", max_batch=32),
        cwd=ROOT,
        env=pipeline.env(NEWSFLOW_STAGES="cleaning"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    enriched = pipeline.keys("enriched/")
    assert sorted(enriched) == sorted(enriched_key(a.id, a.published_at) for a in articles)
    assert pipeline.lag() == 0
    assert pipeline.dead_letters() == []  # the stop killed no article (stage workers included)
    print(f"cancel: stopped in {stopped_in:.1f} s, {sum(committed.values())} committed")


def _partitions_committed(pipeline: Pipeline) -> dict[int, int]:
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

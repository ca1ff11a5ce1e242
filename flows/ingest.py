"""`newsflow consume`: the Kafka ingestion flow, raw topic -> stages -> object store + DLQ."""

from __future__ import annotations

from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.states import State

from flows.artifacts import publish_run_report
from flows.check import ended_by, require_ready
from flows.config import (
    DEFAULT_MAX_BATCH,
    DEFAULT_MAX_WAIT_S,
    KafkaSettings,
    MaxBatch,
    MaxBatches,
    MaxWait,
    Settings,
    Workers,
)
from flows.failures import ServiceFailure, is_transient
from flows.retries import TRANSIENT_RETRIES
from flows.runner import stage_runner
from flows.shutdown import STOP
from flows.sinks import open_sink
from flows.sinks.kafka_dlq import KafkaDeadLetterSink
from flows.sources.kafka import KafkaSource
from flows.stream import drain
from schemas import StageSettings


def _run_name() -> str:
    from prefect.runtime import flow_run

    params = flow_run.parameters
    bound = params.get("max_batches")
    limit = f" (up to {bound} batches)" if bound else ""
    # Prefect names the run before the flow starts: the topic is the environment's.
    return f"kafka:{KafkaSettings().topic} -> {params.get('sink') or 'the default sink'}{limit}"


def _kafka_error(task: Any, task_run: Any, state: Any) -> bool:
    """Retry what can pass (a broker down, restarting, timing out); a bad setting fails at once."""
    try:
        state.result()
    except Exception as exc:
        return is_transient(exc)
    return False


@task(
    name="connect-kafka",
    cache_policy=NO_CACHE,
    persist_result=False,
    retry_condition_fn=_kafka_error,
    **TRANSIENT_RETRIES,
)
def connect(
    kafka: KafkaSettings, max_wait: float, until_idle: bool, max_batches: int | None
) -> tuple[KafkaSource, KafkaDeadLetterSink]:
    """The topic's consumer and the DLQ's producer, connected; retried while the broker is
    unreachable. The run (flows.stream.drain) closes both."""
    dead_letters = KafkaDeadLetterSink(kafka)
    try:
        dead_letters.open()
        source = KafkaSource(
            kafka,
            max_wait=max_wait,
            until_idle=until_idle,
            should_stop=STOP,
            max_batches=max_batches,
        )
    except BaseException:
        dead_letters.close()
        raise
    return source, dead_letters


@flow(name="ingest", flow_run_name=_run_name, log_prints=False)
def ingest(
    sink: str | None = None,
    max_batch: MaxBatch = DEFAULT_MAX_BATCH,
    max_wait: MaxWait = DEFAULT_MAX_WAIT_S,
    until_idle: bool = True,
    max_batches: MaxBatches | None = None,
    settings: StageSettings | None = None,
    workers: Workers | None = None,
) -> dict[str, object] | State[Any]:
    """Drain the raw topic in micro-batches; commit each batch only after it is stored.

    A deployment's run starts here with its parameters alone, so this is where the environment
    is read (flows.config): the Kafka settings, and the sink and stage settings not given."""
    environment = Settings()
    sink = sink or environment.default_sink
    # Before any article is read (and before the stages load): a wrong setting fails the run at
    # once with its one line, instead of holding the run's concurrency slot through retries.
    try:
        require_ready(environment.kafka, sink, environment.kafka.topic, consumer=True)
    except ServiceFailure as failure:
        return ended_by(failure)
    stage_settings = settings or environment.stages
    document_sink = open_sink(sink)
    with stage_runner(stage_settings, workers, environment) as stages:
        source, dead_letters = connect(environment.kafka, max_wait, until_idle, max_batches)
        summary = drain(
            source, document_sink, dead_letters, stages, max_batch=max_batch, should_stop=STOP
        )
    publish_run_report(summary, "ingest", sink)
    return summary.as_result()

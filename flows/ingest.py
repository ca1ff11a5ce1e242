"""`newsflow consume`: the Kafka ingestion flow, raw topic -> stages -> object store + DLQ."""

from __future__ import annotations

from prefect import flow

from flows.config import KafkaConfig
from flows.shutdown import STOP
from flows.sinks import open_sink
from flows.sinks.kafka_dlq import KafkaDeadLetterWriter
from flows.sources.kafka import KafkaSource
from flows.stages import build_stages
from flows.stream import drain
from schemas import StageSettings


def _run_name() -> str:
    from prefect.runtime import flow_run

    params = flow_run.parameters
    return f"kafka:{KafkaConfig().topic} -> {params.get('sink')}"


@flow(name="ingest", flow_run_name=_run_name, log_prints=False)
def ingest(
    sink: str = "s3://newsflow/",
    max_batch: int = 64,
    max_wait: float = 2.0,
    until_idle: bool = True,
    max_batches: int | None = None,
    settings: StageSettings | None = None,
) -> dict[str, object]:
    """Drain the raw topic in micro-batches; commit each batch only after it is stored."""
    settings = settings or StageSettings()
    config = KafkaConfig()
    stages = build_stages(settings)
    document_sink = open_sink(sink)
    dead_letters = KafkaDeadLetterWriter(config)
    source = KafkaSource(
        config, max_wait=max_wait, until_idle=until_idle, should_stop=STOP, max_batches=max_batches
    )
    try:
        summary = drain(
            source, document_sink, dead_letters, stages, max_batch=max_batch, should_stop=STOP
        )
    finally:
        dead_letters.close()
    return {
        "processed": summary.received,
        "enriched": summary.stored,
        "dead_lettered": summary.dead,
        "batches": summary.batches,
        "seconds": round(summary.seconds, 2),
        "summary": summary.line(),
    }

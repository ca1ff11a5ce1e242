"""`newsflow run`: the enrichment flow over files (the embedded default: no server needed)."""

from __future__ import annotations

from pathlib import Path

from prefect import flow

from flows.artifacts import publish_run_report
from flows.config import DEFAULT_MAX_BATCH, FILES_SINK, Limit, MaxBatch, Settings, Workers
from flows.runner import stage_runner
from flows.sinks import open_sinks
from flows.sources.files import FileSource
from flows.stream import BatchListener, RunSummary, drain
from schemas import StageSettings

_listener: BatchListener | None = None


def set_batch_listener(listener: BatchListener | None) -> None:
    """The CLI's progress bar. Kept out of the flow's parameters, which must be serialisable."""
    global _listener
    _listener = listener


def _run_name() -> str:
    from prefect.runtime import flow_run

    params = flow_run.parameters
    sources = ",".join(Path(p).name or p for p in params.get("sources", []))
    return f"files:{sources} -> {params.get('sink')}"


@flow(name="enrich-files", flow_run_name=_run_name, log_prints=False)
def enrich_files(
    sources: list[str],
    sink: str = FILES_SINK,
    limit: Limit | None = None,
    max_batch: MaxBatch = DEFAULT_MAX_BATCH,
    settings: StageSettings | None = None,
    workers: Workers | None = None,
) -> dict[str, object]:
    """Clean, find entities and quotes in article files; store documents and dead letters.

    Stage settings not given are the environment's (a deployment's run starts here)."""
    environment = Settings()
    settings = settings or environment.stages
    source = FileSource([Path(p) for p in sources], limit=limit)
    documents, dead_letters = open_sinks(sink)
    with stage_runner(settings, workers, environment) as stages:
        summary: RunSummary = drain(
            source, documents, dead_letters, stages, max_batch=max_batch, on_batch=_listener
        )
    publish_run_report(summary, "enrich-files", sink)
    return summary.as_result()

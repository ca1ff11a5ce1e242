"""`newsflow serve`: the deployments operators see and run in the Prefect UI.

- `ingest/ingest`: drains the raw topic on an interval schedule. One run takes what is waiting, up
  to `max_batches`, and stops when idle. The deployment's concurrency limit is 1 with
  CANCEL_NEW: a tick that comes while a run is still draining is cancelled rather than queued,
  since the running one is already taking the new messages (queued runs would only pile up behind
  a slow batch and then find nothing to do).
- `reprocess/reprocess`: manual; re-enriches stored raw articles after a worker changed.
- `enrich-files/enrich-files`: manual; the files flow, for trying the stages on a folder.

Parameters are the flows' typed signatures (StageSettings is a pydantic model), so the UI renders a
form and the server rejects a run whose parameters do not validate.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.deployments.runner import EntrypointType, RunnerDeployment

from flows.config import default_bucket, default_stage_settings

DEFAULT_INTERVAL_S = 60.0
DEFAULT_MAX_BATCHES = 100
TAGS = ["newsflow"]


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


@dataclass(frozen=True, slots=True)
class ServeOptions:
    interval_s: float = field(
        default_factory=lambda: _env_float("NEWSFLOW_INGEST_INTERVAL", DEFAULT_INTERVAL_S)
    )
    sink: str = field(default_factory=lambda: f"s3://{default_bucket()}/")
    max_batches: int = DEFAULT_MAX_BATCHES
    max_batch: int = 64
    paused: bool = False
    files_source: str = "seeds"
    files_sink: str = "out"


def build_deployments(options: ServeOptions) -> list[RunnerDeployment]:
    from flows.enrich import enrich_files
    from flows.ingest import ingest
    from flows.reprocess import reprocess

    if options.interval_s <= 0:
        raise ValueError(f"the ingest interval must be positive, not {options.interval_s}")
    settings = default_stage_settings().model_dump()
    # Module paths, not file paths: the runner imports the installed package, whatever the cwd.
    common = {"tags": TAGS, "entrypoint_type": EntrypointType.MODULE_PATH}
    deployments: list[Any] = [
        ingest.to_deployment(
            name="ingest",
            interval=timedelta(seconds=options.interval_s),
            paused=options.paused,
            concurrency_limit=ConcurrencyLimitConfig(
                limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW
            ),
            parameters={
                "sink": options.sink,
                "max_batch": options.max_batch,
                "until_idle": True,
                "max_batches": options.max_batches,
                "settings": settings,
            },
            description="Drain the raw topic into the sink: one bounded run per interval.",
            **common,  # type: ignore[arg-type]
        ),
        reprocess.to_deployment(
            name="reprocess",
            concurrency_limit=1,
            parameters={
                "source": options.sink,
                "target": options.sink,
                "prefix": "raw/",
                "settings": settings,
            },
            description="Re-run the stages over stored raw articles (a prefix and/or day range).",
            **common,  # type: ignore[arg-type]
        ),
        enrich_files.to_deployment(
            name="enrich-files",
            parameters={
                "sources": [options.files_source],
                "sink": options.files_sink,
                "settings": settings,
            },
            description="Enrich a folder of article files (the embedded default of newsflow run).",
            **common,  # type: ignore[arg-type]
        ),
    ]
    # to_deployment is sync here (no running event loop); the check narrows its dual return type.
    assert all(isinstance(d, RunnerDeployment) for d in deployments)
    return deployments


def serve_deployments(options: ServeOptions) -> None:
    """Blocks: registers the deployments, then runs scheduled and requested runs until stopped."""
    from prefect import serve

    serve(*build_deployments(options), print_starting_message=True)

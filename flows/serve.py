"""`newsflow serve`: the deployments operators see and run in the Prefect UI.

- `ingest/ingest`: drains the raw topic on an interval schedule. One run takes what is waiting, up
  to `max_batches`, and stops when idle. Runs that overlap (a backlog outlasts the interval, or
  several served processes / work-pool workers take ticks) are consumers of one group: each takes
  a share of the partitions and commits only what it stored. The deployment's concurrency limit
  is `NEWSFLOW_INGEST_CONCURRENCY` (default: the raw topic's partitions, beyond which a run would
  only idle) with CANCEL_NEW: a tick beyond the limit is cancelled rather than queued, since the
  running ones are already taking the new messages (queued runs would only pile up behind a slow
  batch and then find nothing to do).
- `ingest/ingest-standing`: the same flow as a standing consumer, for operators who prefer one to
  a schedule: no schedule, no batch bound, not stopped by an idle topic. Start N runs for N
  consumers (same limit); a run shows as Running until it is cancelled. Prefect cancels a served
  or work-pool run by sending its process SIGTERM (SIGKILL 30 s later): the stop flag
  (flows/shutdown.py) ends the drain at its next safe point, a batch not yet stored is abandoned
  uncommitted (the group redelivers it), and the run ends Cancelled.
- `reprocess/reprocess`: manual; re-enriches stored raw articles after a worker changed.
- `enrich-files/enrich-files`: manual; the files flow, for trying the stages on a folder.

Parameters are the flows' typed signatures (StageSettings is a pydantic model, the batch sizes
carry their bounds), so the UI renders a form and the server rejects a run whose parameters do not
validate.

`build_deployments` is the one definition. `prefect.yaml` (the same deployments for a work pool)
is printed from it: `python -m flows.serve > prefect.yaml` (`make prefect-yaml`); a test checks
that the committed file is current.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import yaml
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.deployments.runner import EntrypointType, RunnerDeployment

from flows.config import (
    DEFAULT_INGEST_CONCURRENCY,
    DEFAULT_MAX_BATCH,
    DEFAULT_MAX_BATCHES,
    FILES_SINK,
    FILES_SOURCE,
    Settings,
)
from schemas import StageSettings

TAGS = ["newsflow"]
WORK_POOL = "newsflow"


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """What `newsflow serve` registers: the environment's interval and sink, or the options'."""

    interval_s: float
    sink: str
    stages: StageSettings
    max_batches: int = DEFAULT_MAX_BATCHES
    max_batch: int = DEFAULT_MAX_BATCH
    paused: bool = False
    files_source: str = FILES_SOURCE
    files_sink: str = FILES_SINK
    ingest_concurrency: int = DEFAULT_INGEST_CONCURRENCY
    #: Stage worker processes of every run; None: each run's environment decides (flows.runner).
    workers: int | None = None

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> ServeOptions:
        defaults = {
            "interval_s": settings.ingest_interval_s,
            "sink": settings.default_sink,
            "stages": settings.stages,
            "ingest_concurrency": settings.ingest_concurrency,
            "workers": settings.workers,
        }
        return cls(**{**defaults, **options})


def build_deployments(options: ServeOptions) -> list[RunnerDeployment]:
    from flows.enrich import enrich_files
    from flows.ingest import ingest
    from flows.reprocess import reprocess

    if options.interval_s <= 0:
        raise ValueError(f"the ingest interval must be positive, not {options.interval_s}")
    if options.ingest_concurrency < 1:
        raise ValueError(f"the ingest concurrency must be >= 1, not {options.ingest_concurrency}")
    settings = options.stages.model_dump()
    # Module paths, not file paths: the runner imports the installed package, whatever the cwd.
    common = {"tags": TAGS, "entrypoint_type": EntrypointType.MODULE_PATH}
    consumers = ConcurrencyLimitConfig(
        limit=options.ingest_concurrency, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW
    )
    deployments: list[Any] = [
        ingest.to_deployment(
            name="ingest",
            interval=timedelta(seconds=options.interval_s),
            paused=options.paused,
            concurrency_limit=consumers,
            parameters={
                "sink": options.sink,
                "max_batch": options.max_batch,
                "until_idle": True,
                "max_batches": options.max_batches,
                "settings": settings,
                "workers": options.workers,
            },
            description="Drain the raw topic into the sink: one bounded run per interval.",
            **common,  # type: ignore[arg-type]
        ),
        ingest.to_deployment(
            name="ingest-standing",
            concurrency_limit=consumers,
            parameters={
                "sink": options.sink,
                "max_batch": options.max_batch,
                "until_idle": False,
                "settings": settings,
                "workers": options.workers,
            },
            description="A standing consumer: runs until cancelled (start one run per consumer).",
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
                "workers": options.workers,
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
                "workers": options.workers,
            },
            description="Enrich a folder of article files (the embedded default of newsflow run).",
            **common,  # type: ignore[arg-type]
        ),
    ]
    # to_deployment is sync here (no running event loop); the check narrows its dual return type.
    assert all(isinstance(d, RunnerDeployment) for d in deployments)
    return deployments


def serve_deployments(options: ServeOptions) -> None:
    """Blocks: registers the deployments, then runs scheduled and requested runs until stopped.

    This process runs at most PREFECT_RUNNER_PROCESS_LIMIT flow runs at once (Prefect's setting
    for a runner, default 5); the deployments' limits count runs over every process. `prefect.serve`
    would pass its own `limit=None` (no limit) over the setting, so it is passed here.
    """
    from prefect import serve
    from prefect.settings import get_current_settings

    limit = get_current_settings().runner.process_limit
    serve(*build_deployments(options), print_starting_message=True, limit=limit)


PREFECT_YAML_HEADER = """\
# GENERATED from flows/serve.py (build_deployments, the deployments of `newsflow serve`) by
#   python -m flows.serve > prefect.yaml      (make prefect-yaml)
# Do not edit by hand: tests/test_serve_prefect_yaml.py fails when this file is not current.
# Deploy from the project root, with the package installed:
#   prefect work-pool create newsflow --type process
#   prefect deploy --all
#   prefect worker start --pool newsflow     # where .venv, the models and the services are
# The worker reads Kafka and S3 settings from its environment (KAFKA_BOOTSTRAP_SERVERS,
# AWS_ENDPOINT_URL_S3, ...; `source .env.services` locally), as the flows do everywhere.
"""


def _file_entrypoint(module_path: str) -> str:
    """`flows.ingest.ingest` -> `flows/ingest.py:ingest`, the form `prefect deploy` reads."""
    module, _, function = module_path.rpartition(".")
    return module.replace(".", "/") + ".py:" + function


def _yaml_deployment(deployment: RunnerDeployment) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "name": deployment.name,
        "entrypoint": _file_entrypoint(str(deployment.entrypoint)),
        "description": deployment.description,
        "tags": list(deployment.tags),
    }
    if deployment.schedules:
        spec["schedules"] = [
            {"interval": s.schedule.interval.total_seconds(), "active": s.active}  # type: ignore[union-attr]
            for s in deployment.schedules
        ]
    if deployment.concurrency_limit is not None:
        options = deployment.concurrency_options
        spec["concurrency_limit"] = (
            {
                "limit": deployment.concurrency_limit,
                "collision_strategy": options.collision_strategy.value,
            }
            if options is not None
            else deployment.concurrency_limit
        )
    spec["parameters"] = deployment.parameters
    spec["work_pool"] = {"name": WORK_POOL, "work_queue_name": "default", "job_variables": {}}
    return spec


class _PlainDumper(yaml.SafeDumper):
    """Writes a value used twice (the stage settings) twice, not as an anchor and an alias."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def prefect_yaml(deployments: list[RunnerDeployment]) -> str:
    """The text of `prefect.yaml` for `deployments`."""
    from prefect import __version__ as prefect_version

    document = {
        "name": "newsflow",
        "prefect-version": prefect_version,
        "build": None,
        "push": None,
        # The worker runs the flows from the directory `prefect deploy` was run in (the checkout).
        "pull": [{"prefect.deployments.steps.set_working_directory": {"directory": "{{ $PWD }}"}}],
        "deployments": [_yaml_deployment(d) for d in deployments],
    }
    body = yaml.dump(
        document, Dumper=_PlainDumper, sort_keys=False, default_flow_style=False, width=100
    )
    return PREFECT_YAML_HEADER + body


def declared_prefect_yaml() -> str:
    """prefect.yaml from the declared defaults, whatever this environment sets."""
    return prefect_yaml(build_deployments(ServeOptions.from_settings(Settings.declared())))


def main(argv: list[str] | None = None) -> None:
    """`python -m flows.serve [--from-environment]`: prints prefect.yaml. The committed file has
    the declared defaults; `--from-environment` takes this environment's settings instead (the
    ingest limit, bucket, interval, stages), as compose's `deploy` service does so that the
    deployments follow the partitions it creates."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m flows.serve", description=main.__doc__)
    parser.add_argument("--from-environment", action="store_true")
    if parser.parse_args(argv).from_environment:
        print(prefect_yaml(build_deployments(ServeOptions.from_settings(Settings()))), end="")
    else:
        print(declared_prefect_yaml(), end="")


if __name__ == "__main__":
    main()

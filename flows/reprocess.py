"""`newsflow reprocess`: re-run the stages over raw articles a sink stored earlier.

For when a worker changed: the raw copies are the source of truth, so re-enriching them needs no
producer and no Kafka replay. Source and target may be the same store (documents are overwritten
under the same keys) or different ones (e.g. a candidate run beside the current one).
"""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows.artifacts import publish_run_report
from flows.config import DEFAULT_MAX_BATCH, MaxBatch, Settings, Workers
from flows.runner import stage_runner
from flows.sinks import open_sinks, open_store
from flows.sources.stored import RawSelection, StoredRawSource
from flows.stream import drain
from schemas import StageSettings


def _run_name() -> str:
    from prefect.runtime import flow_run

    p = flow_run.parameters
    days = ""
    if p.get("since") or p.get("until"):
        days = f" {p.get('since') or '…'}..{p.get('until') or '…'}"
    return f"reprocess:{p.get('source')} {p.get('prefix') or 'raw/'}{days} -> {p.get('target')}"


@flow(name="reprocess", flow_run_name=_run_name, log_prints=False)
def reprocess(
    source: str,
    target: str,
    prefix: str = "raw/",
    since: date | None = None,
    until: date | None = None,
    max_batch: MaxBatch = DEFAULT_MAX_BATCH,
    settings: StageSettings | None = None,
    workers: Workers | None = None,
) -> dict[str, object]:
    """Re-enrich stored raw articles (`raw/YYYY/MM/DD/<id>.json` under `source`, selected by key
    prefix and by day, inclusive) into `target`, a folder or s3://BUCKET/PREFIX. Stage settings
    not given are the environment's (a deployment's run starts here)."""
    if not prefix.startswith("raw/"):
        raise ValueError(f"prefix {prefix!r} must start with 'raw/' (e.g. raw/2024/01/)")
    if since and until and since > until:
        raise ValueError(f"since {since} is after until {until}")
    environment = Settings()
    settings = settings or environment.stages
    store, root = open_store(source)
    raw_source = StoredRawSource(store, root, RawSelection(prefix, since, until))
    documents, dead_letters = open_sinks(target)
    with stage_runner(settings, workers, environment) as stages:
        summary = drain(raw_source, documents, dead_letters, stages, max_batch=max_batch)
    publish_run_report(summary, "reprocess", target)
    return summary.as_result()

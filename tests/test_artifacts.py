"""What a run shows in the Prefect UI: its report artifact and its name."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from pathlib import Path
from uuid import UUID

import pytest
from kafka import KafkaProducer

from flows.artifacts import final_run_name, run_report, top
from flows.sources.base import Envelope
from flows.stream import RunSummary
from schemas import Origin
from tests.test_reprocess import ARTICLES, write_articles


def _kafka(topic: str, partition: int, offset: int) -> Envelope:
    return Envelope(b"{}", Origin(kind="kafka", topic=topic, partition=partition, offset=offset))


def _artifact_and_name(flow_run_id: UUID) -> tuple[str, str, str | None]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        (artifact,) = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
        name = client.read_flow_run(flow_run_id).name
    return str(artifact.data), name, artifact.key


def _table_rows(markdown: str, heading: str) -> list[list[str]]:
    """The body rows of the first table after `heading`."""
    lines = markdown.split(heading, 1)[1].splitlines()
    rows = [line for line in lines if line.startswith("|")]
    table: list[list[str]] = []
    for line in rows[2:]:
        table.append([c.strip() for c in line.strip("|").split(" | ")])
        index = lines.index(line)
        if index + 1 >= len(lines) or not lines[index + 1].startswith("|"):
            break
    return table


def test_offsets_span_each_partition_and_name_the_run() -> None:
    summary = RunSummary(source="kafka:raw")
    summary.track_offsets([_kafka("raw", 1, 7), _kafka("raw", 0, 5), _kafka("raw", 1, 4)])
    summary.track_offsets([_kafka("raw", 0, 6), _kafka("raw", 1, 9)])
    summary.lag = {"raw[0]": 0, "raw[1]": 12}
    assert summary.offsets == {"raw[0]": [5, 6], "raw[1]": [4, 9]}
    report = run_report(summary, "ingest", "s3://b/")
    assert _table_rows(report, "### Kafka offsets and lag") == [
        ["raw[0]", "5", "6", "0"],
        ["raw[1]", "4", "9", "12"],
    ]
    assert final_run_name("kafka:raw -> s3://b/", summary) == (
        "kafka:raw -> s3://b/ [raw[0]@5-6, raw[1]@4-9]"
    )


def test_a_run_without_kafka_has_no_offsets_table_and_safe_cells() -> None:
    summary = RunSummary(source="files:x", received=2, stored=2)
    summary.entities = Counter({"Smith | Jones (ORG)": 2})
    report = run_report(summary, "enrich-files", "out")
    assert "Kafka" not in report
    assert _table_rows(report, "entities") == [["Smith \\| Jones (ORG)", "2"]]
    assert "_No speakers in this run._" in report
    assert "_No unnamed speakers in this run._" in report
    assert top(Counter({"b": 2, "a": 2, "c": 3}), 2) == [("c", 3), ("a", 2)]


@pytest.mark.usefixtures("prefect_server")
def test_files_run_reports_its_counts_stages_and_top_names(tmp_path: Path) -> None:
    from flows.enrich import enrich_files
    from schemas import StageSettings

    sink = tmp_path / "out"
    state = enrich_files(
        sources=[str(write_articles(tmp_path / "in"))],
        sink=str(sink),
        max_batch=3,
        settings=StageSettings(),
        return_state=True,
    )
    assert state.is_completed()
    markdown, name, key = _artifact_and_name(state.state_details.flow_run_id)

    assert key == "enrich-files-report"
    assert name == f"files:in -> {sink} [{len(ARTICLES) + 1} articles]"
    # articles in, enriched, dead-lettered, batches
    counts = _table_rows(markdown, "## enrich-files")[0]
    assert counts[:4] == [str(len(ARTICLES) + 1), str(len(ARTICLES)), "1", "2"]
    stages = [row[0] for row in _table_rows(markdown, "### Seconds per stage")]
    assert stages == ["decode", "cleaning", "entities", "quotes", "store"]
    (reason,) = _table_rows(markdown, "### Dead letters by reason")
    assert reason == ["validate: ValidationError", "1"]  # the article without a body

    # The top names are those of the stored documents, most frequent first (ties by name).
    docs = [json.loads(p.read_text()) for p in (sink / "enriched").rglob("*.json")]
    entities = Counter(f"{e['name']} ({e['type']})" for d in docs for e in d["entities"])
    quoted = [q["speaker"] for d in docs for q in d["quotes"] if q["speaker"] is not None]
    # speakers count by the entity's canonical name; those with no name are apart, by mention
    speakers = Counter(s["name"] for s in quoted if s["name"])
    unnamed = Counter(s["text"] for s in quoted if not s["name"])
    assert entities and speakers, "the test articles name people and quote them"
    reported = _table_rows(markdown, "### Top 10 entities")
    assert [(n, int(c)) for n, c in reported] == top(entities, 10)
    reported_speakers = _table_rows(markdown, "### Top 10 speakers")
    assert [(n, int(c)) for n, c in reported_speakers] == top(speakers, 10)
    if unnamed:
        reported_unnamed = _table_rows(markdown, "### Top 10 unnamed speakers")
        assert [(n, int(c)) for n, c in reported_unnamed] == top(unnamed, 10)


@pytest.mark.integration
@pytest.mark.usefixtures("prefect_server")
def test_ingest_run_reports_offsets_and_lag(
    services_env, kafka_topic: str, s3_bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.ingest import ingest
    from schemas import StageSettings

    dlq = services_env.create_topic(prefix="dlq")
    monkeypatch.setenv("NEWSFLOW_TOPIC", kafka_topic)
    monkeypatch.setenv("NEWSFLOW_DLQ_TOPIC", dlq)
    monkeypatch.setenv("NEWSFLOW_CONSUMER_GROUP", f"artifacts-{uuid.uuid4().hex[:8]}")
    producer = KafkaProducer(bootstrap_servers=services_env.bootstrap_servers, acks="all")
    for article in ARTICLES:
        producer.send(kafka_topic, value=json.dumps(article).encode())
    producer.send(kafka_topic, value=b"not json")
    producer.flush()
    producer.close()

    state = ingest(
        sink=f"s3://{s3_bucket}/",
        max_batch=2,
        max_wait=1.0,
        until_idle=True,
        max_batches=2,
        settings=StageSettings(),
        return_state=True,
    )
    assert state.is_completed()
    markdown, name, _ = _artifact_and_name(state.state_details.flow_run_id)
    # Bounded at two batches of two: offsets 0..3 taken, the fifth message still waiting.
    assert _table_rows(markdown, "### Kafka offsets and lag") == [
        [f"{kafka_topic}[0]", "0", "3", "1"]
    ]
    assert name == (
        f"kafka:{kafka_topic} -> s3://{s3_bucket}/ (up to 2 batches) [{kafka_topic}[0]@0-3]"
    )
    assert _table_rows(markdown, "## ingest")[0][:4] == ["4", "4", "0", "2"]

"""`newsflow serve`: the deployments as the Prefect server sees them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.config import DEFAULT_INGEST_CONCURRENCY, Settings
from flows.serve import ServeOptions, build_deployments

runner = CliRunner()


@pytest.fixture(scope="module")
def applied(prefect_server: None) -> Iterator[dict[str, Any]]:
    """The deployments of `newsflow serve`, registered on the test server and read back."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        options = ServeOptions.from_settings(Settings(), sink="s3://news/", paused=True)
        for deployment in build_deployments(options):
            deployment.apply()
        yield {
            name: client.read_deployment_by_name(f"{name}/{name}")
            for name in ("ingest", "reprocess", "enrich-files")
        } | {"ingest-standing": client.read_deployment_by_name("ingest/ingest-standing")}


def test_ingest_runs_every_minute_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSFLOW_INGEST_INTERVAL", raising=False)
    ingest = build_deployments(ServeOptions.from_settings(Settings()))[0]
    assert ingest.name == "ingest"
    (schedule,) = ingest.schedules
    assert schedule.schedule.interval == timedelta(seconds=60)

    monkeypatch.setenv("NEWSFLOW_INGEST_INTERVAL", "15")
    (schedule,) = build_deployments(ServeOptions.from_settings(Settings()))[0].schedules
    assert schedule.schedule.interval == timedelta(seconds=15)
    with pytest.raises(ValueError, match="positive"):
        build_deployments(ServeOptions.from_settings(Settings(), interval_s=0))
    monkeypatch.setenv("NEWSFLOW_INGEST_INTERVAL", "0")
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 2
    assert "NEWSFLOW_INGEST_INTERVAL" in result.output


def test_server_holds_the_schedule_limit_and_typed_parameters(applied: dict[str, Any]) -> None:
    ingest = applied["ingest"]
    (schedule,) = ingest.schedules
    assert schedule.schedule.interval == timedelta(seconds=60)
    assert ingest.paused
    # As many runs at once as the raw topic has partitions (more would idle), on any process.
    assert ingest.global_concurrency_limit.limit == DEFAULT_INGEST_CONCURRENCY
    assert ingest.concurrency_options.collision_strategy == "CANCEL_NEW"
    assert ingest.parameters["max_batches"] >= 1 and ingest.parameters["until_idle"] is True
    assert ingest.parameters["sink"] == "s3://news/"
    assert ingest.entrypoint == "flows.ingest.ingest"
    # The UI renders StageSettings as a form with its bounds.
    stage_settings = ingest.parameter_openapi_schema["definitions"]["StageSettings"]
    assert stage_settings["properties"]["nlp_batch_size"]["minimum"] == 1
    assert applied["reprocess"].schedules == []
    assert applied["reprocess"].global_concurrency_limit.limit == 1
    assert set(applied["reprocess"].parameter_openapi_schema["required"]) == {"source", "target"}
    assert applied["enrich-files"].schedules == []
    standing = applied["ingest-standing"]
    assert standing.entrypoint == ingest.entrypoint and standing.schedules == []
    assert standing.parameters["until_idle"] is False and "max_batches" not in standing.parameters
    assert standing.global_concurrency_limit.limit == DEFAULT_INGEST_CONCURRENCY
    assert standing.concurrency_options.collision_strategy == "CANCEL_NEW"


@pytest.mark.parametrize(
    ("parameters", "named"),
    [
        ({"settings": {"nlp_batch_size": 0}}, "settings.nlp_batch_size"),
        ({"max_batch": 0}, "max_batch"),
        ({"max_batch": 10_001}, "max_batch"),
        ({"max_wait": 0}, "max_wait"),
        ({"max_batches": 0}, "max_batches"),
    ],
)
def test_server_rejects_parameters_that_do_not_validate(
    applied: dict[str, Any], parameters: dict[str, Any], named: str
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.exceptions import PrefectHTTPStatusError

    with get_client(sync_client=True) as client, pytest.raises(PrefectHTTPStatusError) as caught:
        client.create_flow_run_from_deployment(applied["ingest"].id, parameters=parameters)
    assert named in caught.value.response.text


def test_ingest_runs_beyond_the_limit_are_cancelled_not_queued(applied: dict[str, Any]) -> None:
    from prefect.client.orchestration import get_client
    from prefect.states import Completed, Pending, Running

    ingest = applied["ingest"]
    limit = ingest.global_concurrency_limit.limit
    with get_client(sync_client=True) as client:
        running = [client.create_flow_run_from_deployment(ingest.id) for _ in range(limit)]
        extra = client.create_flow_run_from_deployment(ingest.id)
        try:
            for run in running:  # `limit` consumers at once: each takes a share of the partitions
                assert client.set_flow_run_state(run.id, Pending()).status == "ACCEPT"
                client.set_flow_run_state(run.id, Running())
            refused = client.set_flow_run_state(extra.id, Pending())
            assert refused.status == "REJECT"
            assert client.read_flow_run(extra.id).state.is_cancelled()
        finally:
            for run in running:
                client.set_flow_run_state(run.id, Completed(), force=True)
        # The slots are released with the runs: the next tick may run.
        after = client.create_flow_run_from_deployment(ingest.id)
        assert client.set_flow_run_state(after.id, Pending()).status == "ACCEPT"
        client.set_flow_run_state(after.id, Completed(), force=True)


def test_the_ingest_concurrency_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFLOW_INGEST_CONCURRENCY", "12")
    by_name = {d.name: d for d in build_deployments(ServeOptions.from_settings(Settings()))}
    assert by_name["ingest"].concurrency_limit == 12
    assert by_name["ingest-standing"].concurrency_limit == 12
    monkeypatch.setenv("NEWSFLOW_INGEST_CONCURRENCY", "0")
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 2
    assert "NEWSFLOW_INGEST_CONCURRENCY" in result.output


def test_the_default_concurrency_is_the_partitions_the_services_create() -> None:
    """More runs than partitions would idle: the two defaults are declared apart (infra/ does not
    import the package) and kept equal here."""
    from tests.services import infra

    assert infra.Endpoints().topic_partitions == DEFAULT_INGEST_CONCURRENCY
    assert Settings.declared().ingest_concurrency == DEFAULT_INGEST_CONCURRENCY


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--interval", "0"], "Invalid value"),
        (["--sink", "ftp://x/"], "unsupported sink"),
    ],
)
def test_serve_rejects_bad_options(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["serve", *args])
    assert result.exit_code == 2
    assert message in result.output

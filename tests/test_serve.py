"""`newsflow serve`: the deployments as the Prefect server sees them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.config import Settings
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
        }


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
    assert ingest.global_concurrency_limit.limit == 1
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


def test_a_second_ingest_run_is_cancelled_while_one_runs(applied: dict[str, Any]) -> None:
    from prefect.client.orchestration import get_client
    from prefect.states import Completed, Pending, Running

    with get_client(sync_client=True) as client:
        first = client.create_flow_run_from_deployment(applied["ingest"].id)
        second = client.create_flow_run_from_deployment(applied["ingest"].id)
        assert client.set_flow_run_state(first.id, Pending()).status == "ACCEPT"
        client.set_flow_run_state(first.id, Running())
        try:
            refused = client.set_flow_run_state(second.id, Pending())
            assert refused.status == "REJECT"
            assert client.read_flow_run(second.id).state.is_cancelled()
        finally:
            client.set_flow_run_state(first.id, Completed())
        # The slot is released with the first run: the next tick may run.
        third = client.create_flow_run_from_deployment(applied["ingest"].id)
        assert client.set_flow_run_state(third.id, Pending()).status == "ACCEPT"
        client.set_flow_run_state(third.id, Completed(), force=True)


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

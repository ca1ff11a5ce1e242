"""A deployment's run that cannot start (a setting, a service down) ends Failed with the check's
one line in its log, not with Prefect's traceback around it. No services: the broker address
refuses connections."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.failures import ServiceFailure

pytestmark = pytest.mark.usefixtures("prefect_server")


def test_a_run_that_cannot_reach_kafka_logs_one_line_and_no_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.logging.handlers import APILogWorker

    from flows.ingest import ingest

    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1")
    state = ingest(sink=str(tmp_path / "out"), workers=0, return_state=True)
    assert state.is_failed()
    assert state.message is not None and "KAFKA_BOOTSTRAP_SERVERS" in state.message
    failure = state.result(raise_on_failure=False)
    assert isinstance(failure, ServiceFailure)
    assert failure.line() == state.message
    with pytest.raises(ServiceFailure):  # what the CLI catches when it calls the flow
        ingest(sink=str(tmp_path / "out"), workers=0)

    APILogWorker.drain_all(timeout=10)
    with get_client(sync_client=True) as client:
        flow_run_id = state.state_details.flow_run_id
        logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])))
    messages = [log.message for log in logs]
    assert any(failure.line() in m for m in messages), messages
    assert not any("Traceback" in m for m in messages), messages
    assert not (tmp_path / "out").exists()

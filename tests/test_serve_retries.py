"""Retries where they help (the store, the broker) and nowhere else (bad input never improves)."""

from __future__ import annotations

import pytest
from kafka.errors import KafkaConfigurationError, KafkaConnectionError, KafkaTimeoutError
from prefect.states import Failed

from flows.ingest import connect
from flows.processing import STAGE_TASKS, decode_batch, store_batch
from flows.sources.stored import list_raw_keys, read_objects


def test_store_reads_and_writes_retry_but_input_handling_does_not() -> None:
    assert store_batch.retries >= 3
    assert list_raw_keys.retries >= 3 and read_objects.retries >= 3
    assert decode_batch.retries == 0
    assert all(stage_task.retries == 0 for stage_task in STAGE_TASKS.values())


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        (KafkaTimeoutError("Unable to bootstrap from ['127.0.0.1:9']"), True),
        (KafkaConfigurationError("Unrecognized configs"), False),
        (KafkaConnectionError("111 ECONNREFUSED"), True),
        (ValueError("unknown security protocol"), False),
        (AssertionError("a bug"), False),
    ],
)
def test_connect_retries_broker_errors_only(error: Exception, retried: bool) -> None:
    # A broker that does not answer takes ~30 s per attempt to give up, too slow to run here:
    # the condition is checked on the state such a failure produces.
    assert connect.retry_condition_fn is not None
    assert connect.retry_condition_fn(connect, None, Failed(data=error)) is retried

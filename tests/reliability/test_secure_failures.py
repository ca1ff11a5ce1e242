"""Permanent versus transient, without services: the retry policy of the adapters never repeats
a misconfiguration, rides out what can pass, and lets go at once when a stop is requested."""

from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap
import time

import pytest
from botocore.exceptions import ClientError
from kafka.errors import KafkaConnectionError, SaslAuthenticationFailedError

from flows.failures import Cause, Misconfigured, is_transient, retrying
from flows.sinks.s3 import classify_s3
from tests.conftest import ROOT


def _client_error(code: str, status: int) -> ClientError:
    return ClientError(
        {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}},
        "PutObject",
    )


def test_a_misconfiguration_is_raised_at_once_and_an_outage_is_retried() -> None:
    calls = {"permanent": 0, "outage": 0}

    def permanent() -> None:
        calls["permanent"] += 1
        raise Misconfigured(Cause.KAFKA_AUTH, "broker:9093")

    def outage() -> str:
        calls["outage"] += 1
        if calls["outage"] < 3:
            raise KafkaConnectionError("connection refused")
        return "answered"

    with pytest.raises(Misconfigured):
        retrying("commit", lambda: False, 30)(permanent)
    assert calls["permanent"] == 1
    assert retrying("commit", lambda: False, 30)(outage) == "answered"
    assert calls["outage"] == 3
    assert not is_transient(SaslAuthenticationFailedError("invalid credentials"))


def test_a_stop_request_ends_the_wait_between_retries_within_a_second() -> None:
    stop = {"now": False}
    started = time.monotonic()

    def down() -> None:
        if time.monotonic() - started > 0.3:
            stop["now"] = True  # as the SIGTERM handler would
        raise KafkaConnectionError("connection refused")

    with pytest.raises(KafkaConnectionError):
        retrying("poll", lambda: stop["now"], 180)(down)
    assert time.monotonic() - started < 1.5


def test_the_line_survives_prefect_pickling_and_names_no_value() -> None:
    failure = Misconfigured(Cause.S3_CREDENTIALS, "https://s3.example:443, bucket b", "bad key")
    again = pickle.loads(pickle.dumps(failure))
    assert again.line() == failure.line() and again.exit_code == 23
    assert failure.line().endswith("check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")


@pytest.mark.parametrize(
    ("code", "status", "cause"),
    [
        ("NoSuchBucket", 404, Cause.S3_BUCKET_MISSING),
        ("SignatureDoesNotMatch", 403, Cause.S3_CREDENTIALS),
        ("InvalidAccessKeyId", 403, Cause.S3_CREDENTIALS),
        ("AccessDenied", 403, Cause.S3_DENIED),
        ("AuthorizationHeaderMalformed", 400, Cause.S3_REGION),
        ("SlowDown", 503, None),
        ("InternalError", 500, None),
    ],
)
def test_store_answers_are_told_apart(code: str, status: int, cause: Cause | None) -> None:
    failure = classify_s3(_client_error(code, status), "http://s3:8333", "news")
    assert (failure.cause if failure else None) == cause
    assert is_transient(_client_error(code, status)) == (status >= 500)


def test_a_permanent_store_failure_is_not_retried_by_the_store_task(prefect_server: None) -> None:
    from flows.processing import store_batch

    class Refusing:
        calls = 0

        def write_batch(self, records: list[object]) -> list[str]:
            Refusing.calls += 1
            raise Misconfigured(Cause.S3_BUCKET_MISSING, "http://s3:8333, bucket typo")

    with pytest.raises(Misconfigured):
        store_batch(Refusing(), Refusing(), [], [])  # type: ignore[arg-type]
    assert Refusing.calls == 1


def test_sigterm_ends_a_stuck_process_within_the_grace_period() -> None:
    """A consumer deep in a call that ignores the stop flag still exits: nothing is committed
    before it is stored, so leaving mid-call loses nothing."""
    script = textwrap.dedent(
        """
        import time
        import flows.shutdown
        flows.shutdown.STOP_GRACE_S = 1.0
        flows.shutdown.STOP.install()
        print("ready", flush=True)
        time.sleep(60)  # stuck: never looks at the flag
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    started = time.monotonic()
    proc.terminate()
    code = proc.wait(timeout=20)
    assert time.monotonic() - started < 5
    assert code == 128 + 15
    assert "exiting without committing" in (proc.stderr.read() if proc.stderr else "")


def test_a_setting_boto3_refuses_is_one_line_too(monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.sinks.s3 import make_s3_client

    monkeypatch.setenv("AWS_CA_BUNDLE", " ")
    with pytest.raises(Misconfigured) as raised:
        make_s3_client()
    assert raised.value.cause is Cause.S3_SETTING

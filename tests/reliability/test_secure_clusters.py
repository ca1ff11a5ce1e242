"""Issue 23 against real secured services: the suite's own SASL_SSL broker (SCRAM-SHA-512 and
PLAIN users, a certificate from a CA made for the test), its mutual-TLS listener, and an HTTPS S3
gateway. Right settings produce and consume; each misconfiguration ends `newsflow consume` in
well under 20 s with one line naming the cause, the endpoint and the setting, its own exit code,
no traceback, no secret, nothing committed and nothing stored; fixed settings then consume every
article."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from flows.failures import Cause
from tests.conftest import ROOT
from tests.reliability.secure import SecurePipeline, secure_kafka, secure_s3

pytestmark = pytest.mark.integration

#: Fast means this, with room for a loaded test machine (the issue's bar is 20 s).
FAST_S = 20.0


def _secrets(pipeline: SecurePipeline) -> list[str]:
    return [
        secure_kafka.SCRAM_PASSWORD,
        secure_kafka.PLAIN_PASSWORD,
        pipeline.services.secret_key,
        "wrong-password-6d1f",
        "wrong-s3-secret-0b9e",
    ]


def _assert_one_clear_line(run: Any, cause: Cause, pipeline: SecurePipeline) -> None:
    assert run.code == cause.exit_code, run.output[-3000:]
    assert run.seconds < FAST_S, f"took {run.seconds:.1f} s"
    lines = run.error_lines()
    assert len(lines) == 1, run.stderr[-3000:]
    line = lines[0]
    assert line.startswith(f"newsflow: error: {cause.summary} at "), line
    assert line.endswith(f"check {cause.setting}"), line
    assert "Traceback" not in run.output
    for secret in _secrets(pipeline):
        assert secret not in run.output, "a secret reached the output"


def test_each_secured_listener_works_with_its_settings(
    secure_pipeline: SecurePipeline, tmp_path: Path
) -> None:
    """SCRAM-SHA-512 and PLAIN over SASL_SSL, and mutual TLS: check passes, produce delivers."""
    broker = secure_pipeline.broker
    sent = 0
    for name, kafka in (
        ("scram", broker.scram_env()),
        ("plain", broker.plain_env()),
        ("mtls", broker.mtls_env()),
    ):
        env = secure_pipeline.env(kafka)
        check = secure_pipeline.newsflow(env, "check")
        assert check.code == 0, check.output
        assert all(line.endswith(": ok") for line in check.stdout.splitlines()), check.stdout
        assert "credentials accepted: ok" in check.stdout or name == "mtls"
        files = tmp_path / name
        secure_pipeline.write_files(files, 2, f"listener-{name}")
        produced = secure_pipeline.newsflow(env, "produce", str(files))
        assert produced.code == 0, produced.output
        sent += 2
    assert secure_pipeline.received() == sent


def test_right_settings_produce_and_consume_over_sasl_ssl(
    secure_pipeline: SecurePipeline, tmp_path: Path
) -> None:
    env = secure_pipeline.env()
    ids = secure_pipeline.write_files(tmp_path / "in", 5, "scram")
    produced = secure_pipeline.newsflow(env, "produce", str(tmp_path / "in"))
    assert produced.code == 0, produced.output
    consumed = secure_pipeline.consume(env)
    assert consumed.code == 0, consumed.output[-3000:]
    assert "processed 5 articles" in consumed.stdout
    assert secure_pipeline.stored_ids() == sorted(ids)
    assert secure_pipeline.committed() == 5
    for secret in _secrets(secure_pipeline):
        assert secret not in consumed.output


def _misconfigured(pipeline: SecurePipeline, case: str) -> dict[str, str]:
    broker = pipeline.broker
    scram = broker.scram_env()
    kafka = {
        "wrong password": {**scram, "KAFKA_SASL_PASSWORD": "wrong-password-6d1f"},
        "untrusted CA": {**scram, "KAFKA_SSL_CAFILE": str(broker.pki.stranger_ca.cert)},
        "no CA given": {k: v for k, v in scram.items() if k != "KAFKA_SSL_CAFILE"},
        "PLAINTEXT against TLS": {"KAFKA_BOOTSTRAP_SERVERS": broker.sasl_ssl},
        "no client certificate": {
            k: v for k, v in broker.mtls_env().items() if not k.endswith(("CERTFILE", "KEYFILE"))
        },
    }.get(case)
    env = pipeline.env(kafka)
    if case == "wrong S3 secret":
        env["AWS_SECRET_ACCESS_KEY"] = "wrong-s3-secret-0b9e"
    if case == "missing bucket":
        env["NEWSFLOW_BUCKET"] = pipeline.bucket + "-typo"
    if case == "missing topic":
        env["NEWSFLOW_TOPIC"] = pipeline.topic + "-typo"
    if case == "missing dead-letter topic":  # the secured broker creates no topic on first use
        env["NEWSFLOW_DLQ_TOPIC"] = pipeline.dlq + "-typo"
    return env


CASES = {
    "wrong password": Cause.KAFKA_AUTH,
    "untrusted CA": Cause.KAFKA_TLS_UNTRUSTED,
    "no CA given": Cause.KAFKA_TLS_UNTRUSTED,
    "PLAINTEXT against TLS": Cause.KAFKA_PROTOCOL,
    "no client certificate": Cause.KAFKA_CLIENT_CERT,
    "wrong S3 secret": Cause.S3_CREDENTIALS,
    "missing bucket": Cause.S3_BUCKET_MISSING,
    "missing topic": Cause.KAFKA_TOPIC_MISSING,
    "missing dead-letter topic": Cause.KAFKA_DLQ_MISSING,
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_misconfiguration_fails_fast_with_one_line(
    secure_pipeline: SecurePipeline, case: str
) -> None:
    secure_pipeline.publish(3, "misconf")
    env = _misconfigured(secure_pipeline, case)
    bucket = env["NEWSFLOW_BUCKET"]
    run = secure_pipeline.newsflow(env, "consume", "--until-idle", "--sink", f"s3://{bucket}/")
    _assert_one_clear_line(run, CASES[case], secure_pipeline)
    assert secure_pipeline.committed() == 0
    assert secure_pipeline.stored_ids() == []
    if case == "missing bucket":  # not created behind the user's back by a lenient store
        client = secure_pipeline.services.s3_client()
        assert bucket not in [b["Name"] for b in client.list_buckets()["Buckets"]]


def test_what_misconfigured_runs_refused_is_consumed_once_the_settings_are_fixed(
    secure_pipeline: SecurePipeline,
) -> None:
    ids = secure_pipeline.publish(6, "fixed")
    for case in ("wrong password", "wrong S3 secret"):
        run = secure_pipeline.consume(_misconfigured(secure_pipeline, case))
        assert run.code == CASES[case].exit_code, run.output[-2000:]
    fixed = secure_pipeline.consume(secure_pipeline.env())
    assert fixed.code == 0, fixed.output[-3000:]
    assert "processed 6 articles" in fixed.stdout
    assert secure_pipeline.stored_ids() == sorted(ids)
    assert secure_pipeline.committed() == 6


def test_check_reports_every_item_and_the_first_failure_sets_the_exit_code(
    secure_pipeline: SecurePipeline,
) -> None:
    env = _misconfigured(secure_pipeline, "wrong password")
    env["NEWSFLOW_BUCKET"] = secure_pipeline.bucket + "-typo"
    run = secure_pipeline.newsflow(env, "check")
    assert run.code == Cause.KAFKA_AUTH.exit_code, run.output
    lines = run.stdout.splitlines()
    assert lines[:2] == ["kafka reachable: ok", "kafka tls trusted: ok"]
    assert re.match(r"kafka credentials accepted: FAILED: Kafka refused the credentials", lines[2])
    # the store is checked all the same: an operator sees both problems at once
    assert lines[3].startswith("store bucket present: FAILED: bucket does not exist")
    assert "wrong-password-6d1f" not in run.output


def test_s3_over_https_with_a_private_ca(secure_pipeline: SecurePipeline, https_store: Any) -> None:
    """boto3's standard AWS_CA_BUNDLE makes the store's private CA trusted; without it, or with
    http:// at the HTTPS port, the run ends at the start-up check."""
    endpoint = secure_pipeline.env()
    endpoint["AWS_ENDPOINT_URL_S3"] = secure_s3.secure_s3_endpoint()
    ca_bundle = {"AWS_CA_BUNDLE": str(https_store.ca.cert)}
    trusted = secure_pipeline.newsflow({**endpoint, **ca_bundle}, "check")
    assert trusted.code == 0, trusted.output
    assert "store bucket writable: ok" in trusted.stdout
    secure_pipeline.publish(3, "https")
    untrusted = secure_pipeline.consume(endpoint)
    _assert_one_clear_line(untrusted, Cause.S3_TLS_UNTRUSTED, secure_pipeline)
    http = endpoint["AWS_ENDPOINT_URL_S3"].replace("https://", "http://")
    plain_http = secure_pipeline.consume({**endpoint, "AWS_ENDPOINT_URL_S3": http})
    _assert_one_clear_line(plain_http, Cause.S3_PROTOCOL, secure_pipeline)
    assert secure_pipeline.committed() == 0
    fixed = secure_pipeline.consume({**endpoint, **ca_bundle})
    assert fixed.code == 0, fixed.output[-3000:]
    assert "processed 3 articles" in fixed.stdout
    assert len(secure_pipeline.stored_ids()) == 3


def test_an_ingest_run_fails_at_its_start_with_the_same_line(
    secure_pipeline: SecurePipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a scheduled run of the `ingest` deployment does with a wrong password: the run fails
    before any article is read, its error being the line `newsflow consume` prints."""
    from flows.failures import Misconfigured
    from flows.ingest import ingest

    secure_pipeline.publish(2, "deploy")
    env = _misconfigured(secure_pipeline, "wrong password")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_CA_BUNDLE"):
        monkeypatch.delenv(key, raising=False)
    started = time.monotonic()
    with pytest.raises(Misconfigured) as raised:
        ingest(sink=f"s3://{secure_pipeline.bucket}/", max_batch=2, max_wait=0.5)
    assert time.monotonic() - started < FAST_S
    assert raised.value.cause is Cause.KAFKA_AUTH
    assert "wrong-password-6d1f" not in raised.value.line()
    assert secure_pipeline.committed() == 0


def test_sigterm_during_a_broker_outage_ends_the_consumer_within_seconds(
    secure_pipeline: SecurePipeline, tmp_path: Path
) -> None:
    """The secured broker (this suite's own, never the shared one) goes down under a running
    consumer; SIGTERM then ends it within seconds, and nothing is committed that was not stored.
    Runs last in this module: it restarts the secured broker."""
    ids = secure_pipeline.publish(4, "outage")
    log = tmp_path / "consume.log"
    layout = secure_pipeline.services.layout
    args = [
        sys.executable,
        "-m",
        "flows.cli",
        "consume",
        "--sink",
        f"s3://{secure_pipeline.bucket}/",
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*args, "--max-batch", "2", "--max-wait", "0.5"],
            cwd=ROOT,
            env=secure_pipeline.env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 180
            while len(secure_pipeline.stored_ids()) < len(ids) and time.monotonic() < deadline:
                time.sleep(1)
            assert proc.poll() is None, log.read_text()[-3000:]
            secure_kafka.stop_secure_kafka(layout)
            time.sleep(4)  # the consumer is now polling and reconnecting to a broker that is gone
            assert proc.poll() is None, "the consumer must ride out an outage, not exit"
            proc.send_signal(signal.SIGTERM)
            started = time.monotonic()
            code = proc.wait(timeout=60)
            stopped_in = time.monotonic() - started
        finally:
            if proc.poll() is None:
                proc.kill()
            secure_kafka.start_secure_kafka(layout)
    output = log.read_text(errors="replace")
    # A clean stop (exit 0, the flow run Completed), not the 15 s backstop of flows/shutdown.py:
    # the loop leaves its wait within ~2 s; the rest is the flow run's and Python's shutdown.
    assert code == 0, output[-3000:]
    assert stopped_in < 15, f"SIGTERM took {stopped_in:.1f} s\n{output[-3000:]}"
    assert secure_pipeline.committed() <= len(secure_pipeline.stored_ids()) == len(ids)
    assert secure_kafka.SCRAM_PASSWORD not in output

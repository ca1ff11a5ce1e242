"""Security: credentials come from the environment and are never logged, the bucket is private,
and Kafka's SASL/TLS settings are read from the environment (with the password redacted)."""

from __future__ import annotations

import json
import uuid

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from flows.config import KafkaSettings, kafka_client_options, redacted
from tests.reliability.helpers import Pipeline, make_articles

SECURITY_ENV = {
    "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
    "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
    "KAFKA_SASL_USERNAME": "newsflow-consumer",
    "KAFKA_SASL_PASSWORD": "s3cr3t-kafka-password",
    "KAFKA_SSL_CAFILE": "/etc/ssl/certs/kafka-ca.pem",
    "KAFKA_SSL_CERTFILE": "/etc/ssl/certs/client.pem",
    "KAFKA_SSL_KEYFILE": "/etc/ssl/private/client.key",
}


def test_kafka_security_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in SECURITY_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "b1.example:9096, b2.example:9096")
    options = kafka_client_options(KafkaSettings())
    assert options == {
        "bootstrap_servers": ["b1.example:9096", "b2.example:9096"],
        "client_id": "newsflow",
        "security_protocol": "SASL_SSL",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "newsflow-consumer",
        "sasl_plain_password": "s3cr3t-kafka-password",
        "ssl_cafile": "/etc/ssl/certs/kafka-ca.pem",
        "ssl_certfile": "/etc/ssl/certs/client.pem",
        "ssl_keyfile": "/etc/ssl/private/client.key",
    }
    shown = redacted(options)
    assert shown["sasl_plain_password"] == "***"
    assert "s3cr3t-kafka-password" not in repr(shown)
    assert shown["sasl_plain_username"] == "newsflow-consumer"  # only secrets are hidden


def test_without_security_settings_the_client_is_plaintext(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in SECURITY_ENV:
        monkeypatch.delenv(key, raising=False)
    options = kafka_client_options(KafkaSettings(bootstrap_servers="localhost:9092"))
    assert set(options) == {"bootstrap_servers", "client_id"}


def test_the_option_names_are_kafka_pythons_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """A misspelt option would fail only when a secured cluster is first used: check every name
    against the configuration kafka-python's consumer and producer accept."""
    from kafka import KafkaConsumer, KafkaProducer

    for key, value in SECURITY_ENV.items():
        monkeypatch.setenv(key, value)
    names = set(kafka_client_options(KafkaSettings()))
    assert names <= set(KafkaConsumer.DEFAULT_CONFIG) & set(KafkaProducer.DEFAULT_CONFIG)


@pytest.mark.integration
def test_the_bucket_is_not_public(services, s3_bucket: str) -> None:
    client = services.s3_client()
    grants = client.get_bucket_acl(Bucket=s3_bucket)["Grants"]
    assert grants, "no ACL"
    for grant in grants:
        uri = grant["Grantee"].get("URI", "")
        assert "AllUsers" not in uri and "AuthenticatedUsers" not in uri, grant
    try:
        policy = json.loads(client.get_bucket_policy(Bucket=s3_bucket)["Policy"])
    except ClientError as exc:
        assert exc.response["Error"]["Code"] == "NoSuchBucketPolicy"
    else:
        assert all(s.get("Principal") not in ("*", {"AWS": "*"}) for s in policy["Statement"])
    client.put_object(Bucket=s3_bucket, Key="enriched/x.json", Body=b"{}")
    anonymous = boto3.client(
        "s3",
        endpoint_url=services.s3_endpoint,
        region_name=services.region,
        config=Config(signature_version=UNSIGNED),
    )
    for attempt in (
        lambda: anonymous.list_objects_v2(Bucket=s3_bucket),
        lambda: anonymous.get_object(Bucket=s3_bucket, Key="enriched/x.json"),
        lambda: anonymous.put_object(Bucket=s3_bucket, Key="enriched/y.json", Body=b"{}"),
    ):
        with pytest.raises(ClientError) as denied:
            attempt()
        assert denied.value.response["Error"]["Code"] == "AccessDenied"


@pytest.mark.integration
def test_secrets_never_appear_in_the_output(pipeline: Pipeline) -> None:
    """A consume run at DEBUG log level, with secrets in its environment: the S3 secret it uses
    and a Kafka password it is given appear nowhere in what it prints."""
    pipeline.publish(make_articles(3, "secret"))
    kafka_password = f"kafka-canary-{uuid.uuid4().hex}"
    env = pipeline.env(PREFECT_LOGGING_LEVEL="DEBUG", KAFKA_SASL_PASSWORD=kafka_password)
    import subprocess

    from tests.conftest import ROOT

    result = subprocess.run(
        pipeline.consume_args("--until-idle"),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "processed 3 articles" in output
    assert "DEBUG" in output  # the most talkative level really was on
    for secret in (pipeline.services.secret_key, kafka_password):
        assert secret not in output

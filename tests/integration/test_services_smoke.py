"""The local services answer as the pipeline will use them: a keyed message goes through the
broker and comes back, an object goes into the store and comes back with its content type, and
the store refuses a wrong secret (so the credentials file is really in force)."""

from __future__ import annotations

import dataclasses
import json
import uuid

import pytest

pytestmark = pytest.mark.integration


def test_kafka_round_trip(services, kafka_topic):
    from kafka import KafkaConsumer, KafkaProducer

    key = uuid.uuid4().hex.encode()
    value = json.dumps({"id": key.decode(), "title": "Smoke"}).encode()
    producer = KafkaProducer(
        bootstrap_servers=services.bootstrap_servers, acks="all", enable_idempotence=True
    )
    metadata = producer.send(kafka_topic, key=key, value=value).get(timeout=30)
    producer.close()
    assert metadata.topic == kafka_topic and metadata.offset == 0

    consumer = KafkaConsumer(
        kafka_topic,
        bootstrap_servers=services.bootstrap_servers,
        group_id=f"smoke-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=20000,
    )
    records = []
    for record in consumer:
        records.append(record)
        break
    consumer.close()
    assert [(r.key, r.value) for r in records] == [(key, value)]


def test_default_topics_exist(services):
    admin = services.kafka_admin()
    try:
        topics = admin.describe_topics([services.topic, services.dlq_topic])
    finally:
        admin.close()
    partitions = {t["name"]: len(t["partitions"]) for t in topics}
    assert partitions[services.topic] >= 2
    assert partitions[services.dlq_topic] >= 1


def test_s3_put_get(services, s3_bucket):
    s3 = services.s3_client()
    body = json.dumps({"id": "smoke", "text": "Zoë said “hello”."}, ensure_ascii=False).encode()
    key = "enriched/2026/11/29/smoke.json"
    s3.put_object(Bucket=s3_bucket, Key=key, Body=body, ContentType="application/json")
    got = s3.get_object(Bucket=s3_bucket, Key=key)
    assert got["Body"].read() == body
    assert got["ContentType"] == "application/json"
    listed = s3.list_objects_v2(Bucket=s3_bucket)
    assert [o["Key"] for o in listed["Contents"]] == [key]


def test_default_bucket_exists_and_is_private(services):
    import urllib.error
    import urllib.request

    services.s3_client().head_bucket(Bucket=services.bucket)
    with pytest.raises(urllib.error.HTTPError) as anonymous:
        urllib.request.urlopen(f"{services.s3_endpoint}/{services.bucket}", timeout=5)
    assert anonymous.value.code == 403


def test_wrong_secret_is_refused(services):
    from botocore.exceptions import ClientError

    wrong = dataclasses.replace(services.endpoints, secret_key="not-the-secret")
    with pytest.raises(ClientError) as refused:
        wrong.s3_client().list_buckets()
    assert refused.value.response["Error"]["Code"] in {"SignatureDoesNotMatch", "AccessDenied"}


@pytest.mark.slow
def test_outages_keep_data(services, kafka_topic, s3_bucket):
    """The outage helpers issue 9 relies on: the store goes down for real and comes back with its
    objects; the broker restarts with its messages."""
    from botocore.exceptions import BotoCoreError, ClientError
    from kafka import KafkaConsumer, KafkaProducer

    s3 = services.s3_client()
    s3.put_object(Bucket=s3_bucket, Key="kept.json", Body=b"{}", ContentType="application/json")
    services.stop_s3()
    with pytest.raises((BotoCoreError, ClientError)):
        s3.get_object(Bucket=s3_bucket, Key="kept.json")
    services.start_s3()
    kept = services.s3_client().get_object(Bucket=s3_bucket, Key="kept.json")
    assert kept["Body"].read() == b"{}"

    producer = KafkaProducer(bootstrap_servers=services.bootstrap_servers, acks="all")
    producer.send(kafka_topic, key=b"k", value=b"before restart").get(timeout=30)
    producer.close()
    services.restart_kafka()
    consumer = KafkaConsumer(
        kafka_topic,
        bootstrap_servers=services.bootstrap_servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=20000,
    )
    values = [record.value for _, record in zip(range(1), consumer, strict=False)]
    consumer.close()
    assert values == [b"before restart"]


def test_topic_partitions_setting_raises_an_existing_topic_never_lowers_it(services, monkeypatch):
    """NEWSFLOW_TOPIC_PARTITIONS is what the services (and compose's `init`) create the raw topic
    with; an existing topic with fewer partitions is raised to it, one with more is left alone."""
    from tests.services import infra

    monkeypatch.setenv("NEWSFLOW_TOPIC_PARTITIONS", "4")
    endpoints = infra.Endpoints.from_env()
    assert endpoints.topic_partitions == 4
    monkeypatch.setenv("NEWSFLOW_TOPIC_PARTITIONS", "0")
    with pytest.raises(infra.ServiceError, match="NEWSFLOW_TOPIC_PARTITIONS"):
        infra.Endpoints.from_env()

    name = services.create_topic(partitions=2, prefix="parts")
    admin = services.kafka_admin()
    try:
        infra.ensure_topic(services.endpoints, name, endpoints.topic_partitions)
        assert len(admin.describe_topics([name])[0]["partitions"]) == 4
        infra.ensure_topic(services.endpoints, name, 3)
        assert len(admin.describe_topics([name])[0]["partitions"]) == 4
    finally:
        admin.close()
        services.delete_topic(name)

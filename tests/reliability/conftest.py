"""Fixtures of the fault tests: one Prefect API for every consumer subprocess of the session,
and a fresh topic, DLQ, group and bucket per test."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from tests.reliability.helpers import Pipeline, unique
from tests.reliability.secure import (  # noqa: F401  (fixtures of test_secure_*.py)
    https_store,
    secure_pipeline,
    secured_broker,
)


@pytest.fixture(scope="session")
def prefect_api_url(prefect_server: None) -> str:
    """The session's temporary Prefect server, shared with the `newsflow consume` subprocesses:
    without it each subprocess would start (and migrate) its own server, 10-15 s apiece."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    assert url, "the Prefect test harness set no API URL"
    return str(url)


@pytest.fixture
def pipeline(services, s3_bucket: str, prefect_api_url: str) -> Iterator[Pipeline]:
    topic = services.create_topic(partitions=1, prefix="rel")
    dlq = services.create_topic(partitions=1, prefix="rel-dlq")
    yield Pipeline(services, topic, dlq, unique("rel-group"), s3_bucket, prefect_api_url)
    for name in (topic, dlq):
        with contextlib.suppress(Exception):
            services.delete_topic(name)

"""Where the local services listen and keep their files, and the names the pipeline uses."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

KAFKA_PORT = int(os.environ.get("NEWSFLOW_KAFKA_PORT", "9092"))
KAFKA_CONTROLLER_PORT = int(os.environ.get("NEWSFLOW_KAFKA_CONTROLLER_PORT", "9093"))
S3_PORT = int(os.environ.get("NEWSFLOW_S3_PORT", "8333"))
# SeaweedFS's internal servers; gRPC ports are these + 10000. The volume server moves off the
# default 8080, which is too often taken by something else on a developer's machine.
WEED_MASTER_PORT = 9333
WEED_VOLUME_PORT = 8383
WEED_FILER_PORT = 8888

START_TIMEOUT_S = 120.0


class ServiceError(RuntimeError):
    """A service could not be installed, started or reached; the message says where to look."""


def _positive_int(value: str, name: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise ServiceError(f"{name} must be a whole number of at least 1, not {value!r}")
    return number


@dataclass(frozen=True, slots=True)
class Endpoints:
    """Where the running services answer, and the names the pipeline uses on them."""

    kafka_bootstrap: str = f"127.0.0.1:{KAFKA_PORT}"
    s3_endpoint: str = f"http://127.0.0.1:{S3_PORT}"
    access_key: str = "newsflow-dev"
    secret_key: str = (
        "newsflow-dev-secret"  # local-only credential, also in infra/seaweedfs/s3.json
    )
    region: str = "us-east-1"
    bucket: str = "newsflow"
    topic: str = "raw-articles"
    dlq_topic: str = "raw-articles.dlq"
    #: Partitions of the raw topic: the most consumers of one group that can share the work
    #: (a partition is read by one group member at a time). Choose it >= the consumers you will
    #: ever run; it can be raised later but not lowered, and raising it moves keys to other
    #: partitions. `NEWSFLOW_TOPIC_PARTITIONS`.
    topic_partitions: int = 6

    @classmethod
    def from_env(cls) -> Endpoints:
        """The endpoints named by the standard environment (containers, remote set-ups), with
        the local defaults for anything unset."""
        base = cls()

        def get(*names: str, default: str) -> str:
            for name in names:
                value = os.environ.get(name, "").strip()
                if value:
                    return value
            return default

        return cls(
            kafka_bootstrap=get("KAFKA_BOOTSTRAP_SERVERS", default=base.kafka_bootstrap),
            s3_endpoint=get("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", default=base.s3_endpoint),
            access_key=get("AWS_ACCESS_KEY_ID", default=base.access_key),
            secret_key=get("AWS_SECRET_ACCESS_KEY", default=base.secret_key),
            region=get("AWS_REGION", "AWS_DEFAULT_REGION", default=base.region),
            bucket=get("NEWSFLOW_BUCKET", default=base.bucket),
            topic=get("NEWSFLOW_TOPIC", default=base.topic),
            dlq_topic=get("NEWSFLOW_DLQ_TOPIC", default=base.dlq_topic),
            topic_partitions=_positive_int(
                get("NEWSFLOW_TOPIC_PARTITIONS", default=str(base.topic_partitions)),
                "NEWSFLOW_TOPIC_PARTITIONS",
            ),
        )

    def env(self) -> dict[str, str]:
        """The standard variables the project (and boto3 / kafka clients) read."""
        return {
            "KAFKA_BOOTSTRAP_SERVERS": self.kafka_bootstrap,
            "AWS_ENDPOINT_URL_S3": self.s3_endpoint,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_REGION": self.region,
            "NEWSFLOW_BUCKET": self.bucket,
            "NEWSFLOW_TOPIC": self.topic,
            "NEWSFLOW_DLQ_TOPIC": self.dlq_topic,
        }

    def s3_client(self) -> Any:
        """A boto3 S3 client for these endpoints that fails fast instead of retrying for minutes."""
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.s3_endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
            config=Config(
                connect_timeout=2,
                read_timeout=10,
                retries={"max_attempts": 1},
                s3={"addressing_style": "path"},
            ),
        )

    def kafka_admin(self) -> Any:
        from kafka.admin import KafkaAdminClient

        return KafkaAdminClient(
            bootstrap_servers=self.kafka_bootstrap,
            client_id="newsflow-services",
            request_timeout_ms=5000,
            bootstrap_timeout_ms=5000,
        )


@dataclass(frozen=True, slots=True)
class Layout:
    """Where things live on disk, relative to a project root (tests may use another root)."""

    root: Path = ROOT
    state: Path = field(default=ROOT / ".services")

    @property
    def kafka_pom(self) -> Path:
        return self.root / "infra" / "kafka" / "pom.xml"

    @property
    def kafka_lib(self) -> Path:
        return self.root / "infra" / "kafka" / "lib"

    @property
    def kafka_log4j(self) -> Path:
        return self.root / "infra" / "kafka" / "log4j2.properties"

    @property
    def kafka_state(self) -> Path:
        return self.state / "kafka"

    @property
    def weed_module(self) -> Path:
        return self.root / "infra" / "seaweedfs"

    @property
    def weed_bin(self) -> Path:
        return self.root / ".tools" / "bin" / "weed"

    @property
    def s3_config(self) -> Path:
        return self.root / "infra" / "seaweedfs" / "s3.json"

    @property
    def weed_state(self) -> Path:
        return self.state / "seaweedfs"

    @property
    def env_file(self) -> Path:
        return self.root / ".env.services"


#: The local services as `make services` runs them (the partition count may be set by the
#: environment, like the compose `init` service's).
LOCAL = Endpoints(
    topic_partitions=_positive_int(
        os.environ.get("NEWSFLOW_TOPIC_PARTITIONS", "").strip() or "6",
        "NEWSFLOW_TOPIC_PARTITIONS",
    )
)
LAYOUT = Layout()

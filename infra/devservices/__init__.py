"""Local Kafka (KRaft) and SeaweedFS S3 for development and tests, without Docker.

One package serves `make services` (through infra/services.py) and the pytest fixtures
(tests/services.py), so the servers tests talk to are started exactly like a developer's.
Everything it writes stays under `.services/` (data, logs, pid files) and `.tools/` (the built
`weed`). The project code never imports it: it reads the standard environment instead.
"""

from .config import LAYOUT, LOCAL, ROOT, Endpoints, Layout, ServiceError
from .kafka import (
    delete_topic,
    ensure_topic,
    install_kafka,
    kafka_answers,
    kafka_process,
    restart_kafka,
    start_kafka,
    stop_kafka,
)
from .seaweedfs import (
    delete_bucket,
    ensure_bucket,
    install_weed,
    s3_answers,
    start_s3,
    stop_s3,
    weed_process,
)
from .stack import create_resources, down, env_text, missing_tools, up

__all__ = [
    "LAYOUT",
    "LOCAL",
    "ROOT",
    "Endpoints",
    "Layout",
    "ServiceError",
    "create_resources",
    "delete_bucket",
    "delete_topic",
    "down",
    "ensure_bucket",
    "ensure_topic",
    "env_text",
    "install_kafka",
    "install_weed",
    "kafka_answers",
    "kafka_process",
    "missing_tools",
    "restart_kafka",
    "s3_answers",
    "start_kafka",
    "start_s3",
    "stop_kafka",
    "stop_s3",
    "up",
    "weed_process",
]

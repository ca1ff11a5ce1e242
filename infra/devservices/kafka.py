"""The Kafka broker: pinned jars from Maven Central, a single KRaft node run with `java`."""

from __future__ import annotations

import base64
import hashlib
import shutil
import uuid
from pathlib import Path

from .config import (
    KAFKA_CONTROLLER_PORT,
    KAFKA_PORT,
    LAYOUT,
    LOCAL,
    START_TIMEOUT_S,
    Endpoints,
    Layout,
    ServiceError,
)
from .process import Managed, port_open, run, wait_until


def _pom_digest(layout: Layout) -> str:
    return hashlib.sha256(layout.kafka_pom.read_bytes()).hexdigest()


def install_kafka(layout: Layout = LAYOUT) -> bool:
    """Copy the pinned broker jars into infra/kafka/lib; skipped while the pom is unchanged.
    Returns whether anything was fetched."""
    stamp = layout.kafka_lib / ".pom.sha256"
    if stamp.exists() and stamp.read_text().strip() == _pom_digest(layout):
        return False
    if shutil.which("mvn") is None:
        raise ServiceError("mvn is not on PATH: needed once to fetch the Kafka jars")
    shutil.rmtree(layout.kafka_lib, ignore_errors=True)
    run(["mvn", "-q", "-B", "-f", str(layout.kafka_pom), "dependency:copy-dependencies"])
    stamp.write_text(_pom_digest(layout) + "\n")
    return True


def kafka_process(layout: Layout = LAYOUT) -> Managed:
    state = layout.kafka_state
    return Managed("kafka", state / "kafka.pid", "kafka.Kafka", state / "logs" / "stdout.log")


def kafka_answers(endpoints: Endpoints = LOCAL) -> bool:
    """True when a broker accepts connections and serves metadata."""
    first = endpoints.kafka_bootstrap.split(",")[0].strip()
    host, _, port = first.rpartition(":")
    if not port_open(host or "localhost", int(port or 9092)):
        return False
    try:
        admin = endpoints.kafka_admin()
    except Exception:
        return False
    try:
        admin.list_topics()
        return True
    except Exception:
        return False
    finally:
        admin.close()


#: The largest message the local broker takes (see flows/sources/kafka.py MAX_FETCH_BYTES).
MAX_MESSAGE_BYTES = 8 * 1024 * 1024


def _kafka_properties(layout: Layout) -> str:
    data = layout.kafka_state / "data"
    return "\n".join(
        [
            "# Written by infra/services.py: single-node KRaft broker+controller for local use.",
            "process.roles=broker,controller",
            "node.id=1",
            f"controller.quorum.bootstrap.servers=127.0.0.1:{KAFKA_CONTROLLER_PORT}",
            f"listeners=PLAINTEXT://127.0.0.1:{KAFKA_PORT},"
            f"CONTROLLER://127.0.0.1:{KAFKA_CONTROLLER_PORT}",
            f"advertised.listeners=PLAINTEXT://127.0.0.1:{KAFKA_PORT}",
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            f"log.dirs={data}",
            "num.partitions=1",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=4",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            # RawArticle accepts bodies up to 5 M characters; Kafka's default (~1 MB) would refuse
            # valid articles. 8 MB matches the producer's max_request_size and the consumer's fetch.
            f"message.max.bytes={MAX_MESSAGE_BYTES}",
            f"replica.fetch.max.bytes={MAX_MESSAGE_BYTES}",
            "log.retention.hours=168",
            "",
        ]
    )


def _kafka_java_cmd(layout: Layout, main: str, *args: str) -> list[str]:
    java = shutil.which("java")
    if java is None:
        raise ServiceError("java is not on PATH: the Kafka broker needs Java 17+")
    logs = layout.kafka_state / "logs"
    return [
        java,
        "-Xms128m",
        "-Xmx512m",
        "-XX:+UseG1GC",
        "-XX:MaxGCPauseMillis=20",
        "-Djava.awt.headless=true",
        f"-Dkafka.logs.dir={logs}",
        f"-Dlog4j2.configurationFile={layout.kafka_log4j}",
        "-cp",
        f"{layout.kafka_lib}/*",
        main,
        *args,
    ]


def _kafka_cluster_id() -> str:
    """Kafka's own format for a cluster id: a random UUID, base64url without padding.

    Like Kafka's `Uuid.randomUuid()`, an id that starts with "-" is drawn again: the storage
    tool's argument parser reads "-t -abc..." as a missing value followed by an option
    (one id in 64 starts with "-"; a CI run failed on one).
    """
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        if not cluster_id.startswith("-"):
            return cluster_id


def start_kafka(layout: Layout = LAYOUT, endpoints: Endpoints = LOCAL) -> bool:
    """Start the broker unless one answers (or ours is starting); wait until it serves metadata.
    Returns whether this call started it."""
    started = spawn_kafka(layout, endpoints)
    wait_kafka(layout, endpoints)
    return started


def wait_kafka(layout: Layout = LAYOUT, endpoints: Endpoints = LOCAL) -> None:
    wait_until("Kafka", lambda: kafka_answers(endpoints), kafka_process(layout), START_TIMEOUT_S)


def spawn_kafka(layout: Layout = LAYOUT, endpoints: Endpoints = LOCAL) -> bool:
    """Launch the broker in the background unless one answers or ours is already starting;
    does not wait. Returns whether it launched one."""
    proc = kafka_process(layout)
    if kafka_answers(endpoints):
        return False
    started = False
    if proc.pid() is None:
        install_kafka(layout)
        state = layout.kafka_state
        (state / "logs").mkdir(parents=True, exist_ok=True)
        props = state / "server.properties"
        props.write_text(_kafka_properties(layout))
        format_storage(layout, state, props)
        proc.start(_kafka_java_cmd(layout, "kafka.Kafka", str(props)), cwd=state)
        started = True
    return started


def format_storage(layout: Layout, state: Path, props: Path, extra: tuple[str, ...] = ()) -> None:
    """Format a KRaft broker's storage under `state` once (a new cluster id); `extra` are more
    StorageTool arguments (the secure broker's SCRAM user)."""
    if (state / "data" / "meta.properties").exists():
        return
    run(
        _kafka_java_cmd(
            layout,
            "kafka.tools.StorageTool",
            "format",
            "--standalone",
            "--ignore-formatted",
            "-t",
            _kafka_cluster_id(),
            "-c",
            str(props),
            *extra,
        )
    )


def stop_kafka(layout: Layout = LAYOUT) -> bool:
    return kafka_process(layout).stop()


def restart_kafka(layout: Layout = LAYOUT, endpoints: Endpoints = LOCAL) -> None:
    """Stop the broker (clean shutdown) and start it again on the same data; topics and committed
    offsets survive."""
    if kafka_process(layout).pid() is None and kafka_answers(endpoints):
        raise ServiceError("the running Kafka was not started by infra/services.py; cannot restart")
    stop_kafka(layout)
    start_kafka(layout, endpoints)


def ensure_topic(endpoints: Endpoints, name: str, partitions: int = 1) -> None:
    """Create a topic if it does not exist (replication 1: a single local broker), or raise its
    partition count to `partitions` if it has fewer (Kafka cannot lower it: more is left as is).

    Raising the count moves some keys to other partitions from then on; newsflow's keys are
    article ids and its writes are idempotent by id, so a redelivery after the change still
    overwrites the same object."""
    from kafka.admin import NewPartitions, NewTopic
    from kafka.errors import TopicAlreadyExistsError

    admin = endpoints.kafka_admin()
    try:
        admin.create_topics(
            [
                NewTopic(
                    name=name,
                    num_partitions=partitions,
                    replication_factor=1,
                    topic_configs={"max.message.bytes": str(MAX_MESSAGE_BYTES)},
                )
            ],
            timeout_ms=10000,
        )
    except TopicAlreadyExistsError:
        described = admin.describe_topics([name])
        have = len(described[0]["partitions"]) if described else partitions
        if have < partitions:
            admin.create_partitions({name: NewPartitions(total_count=partitions)})
    finally:
        admin.close()


def delete_topic(endpoints: Endpoints, name: str) -> None:
    from kafka.errors import UnknownTopicOrPartitionError

    admin = endpoints.kafka_admin()
    try:
        admin.delete_topics([name], timeout_ms=10000)
    except UnknownTopicOrPartitionError:
        pass
    finally:
        admin.close()

"""A secured Kafka broker for the tests, run from the same jars as the plain one.

What a managed cluster looks like to a client: a SASL_SSL listener (SCRAM-SHA-512 users created
when the storage is formatted, PLAIN users as Confluent Cloud has them) and an SSL listener that
requires a client certificate (mutual TLS), both with a certificate from a private CA
(infra/devservices/tls.py). Topics are not created on first use, as on most managed clusters.
A PLAINTEXT listener on its own port is for the broker itself and the test fixtures' admin client.

It lives beside the plain broker (its own ports, folder and pid file) and never touches it.
"""

from __future__ import annotations

import os
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import LAYOUT, START_TIMEOUT_S, Layout, ServiceError
from .kafka import MAX_MESSAGE_BYTES, _kafka_java_cmd, format_storage, install_kafka
from .process import Managed, port_open, wait_until
from .tls import TestPki, make_pki

SASL_SSL_PORT = int(os.environ.get("NEWSFLOW_SECURE_KAFKA_PORT", "9292"))
MTLS_PORT = SASL_SSL_PORT + 1
INTERNAL_PORT = SASL_SSL_PORT + 2
CONTROLLER_PORT = SASL_SSL_PORT + 3

#: Test-only users of the secured broker (never used anywhere else).
SCRAM_USER = "newsflow-scram"
SCRAM_PASSWORD = "scram-test-pw-4e1c9a"
PLAIN_USER = "newsflow-plain"
PLAIN_PASSWORD = "plain-test-pw-77b2d0"


@dataclass(frozen=True, slots=True)
class SecureKafka:
    """Where the secured broker listens and what a client needs to reach it."""

    pki: TestPki
    host: str = "127.0.0.1"

    @property
    def sasl_ssl(self) -> str:
        return f"{self.host}:{SASL_SSL_PORT}"

    @property
    def mtls(self) -> str:
        return f"{self.host}:{MTLS_PORT}"

    @property
    def internal(self) -> str:
        return f"{self.host}:{INTERNAL_PORT}"

    def scram_env(self) -> dict[str, str]:
        """The settings a user of a SCRAM-secured cluster sets (README "Secure clusters")."""
        return {
            "KAFKA_BOOTSTRAP_SERVERS": self.sasl_ssl,
            "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
            "KAFKA_SASL_USERNAME": SCRAM_USER,
            "KAFKA_SASL_PASSWORD": SCRAM_PASSWORD,
            "KAFKA_SSL_CAFILE": str(self.pki.ca.cert),
        }

    def plain_env(self) -> dict[str, str]:
        return {
            **self.scram_env(),
            "KAFKA_SASL_MECHANISM": "PLAIN",
            "KAFKA_SASL_USERNAME": PLAIN_USER,
            "KAFKA_SASL_PASSWORD": PLAIN_PASSWORD,
        }

    def mtls_env(self) -> dict[str, str]:
        return {
            "KAFKA_BOOTSTRAP_SERVERS": self.mtls,
            "KAFKA_SECURITY_PROTOCOL": "SSL",
            "KAFKA_SSL_CAFILE": str(self.pki.ca.cert),
            "KAFKA_SSL_CERTFILE": str(self.pki.client.cert),
            "KAFKA_SSL_KEYFILE": str(self.pki.client.key),
        }

    def admin(self) -> Any:
        from kafka.admin import KafkaAdminClient

        return KafkaAdminClient(
            bootstrap_servers=self.internal,
            client_id="newsflow-secure-services",
            request_timeout_ms=5000,
        )


def _state(layout: Layout) -> Path:
    return layout.state / "secure-kafka"


def secure_kafka_process(layout: Layout = LAYOUT) -> Managed:
    state = _state(layout)
    return Managed(
        "secure-kafka", state / "kafka.pid", str(state / "server.properties"), state / "stdout.log"
    )


def _inline(pem: str) -> str:
    """A PEM block as one properties value (Java properties read `\\n` as a newline)."""
    return pem.strip().replace("\n", "\\n")


def _properties(layout: Layout, pki: TestPki) -> str:
    state = _state(layout)
    plain_jaas = (
        "org.apache.kafka.common.security.plain.PlainLoginModule required "
        f'user_{PLAIN_USER}="{PLAIN_PASSWORD}";'
    )
    return "\n".join(
        [
            "# Written by infra/devservices/secure_kafka.py: the secured broker of the tests.",
            "process.roles=broker,controller",
            "node.id=1",
            f"controller.quorum.bootstrap.servers=127.0.0.1:{CONTROLLER_PORT}",
            f"listeners=SASL_SSL://127.0.0.1:{SASL_SSL_PORT},SSL://127.0.0.1:{MTLS_PORT},"
            f"INTERNAL://127.0.0.1:{INTERNAL_PORT},CONTROLLER://127.0.0.1:{CONTROLLER_PORT}",
            f"advertised.listeners=SASL_SSL://127.0.0.1:{SASL_SSL_PORT},"
            f"SSL://127.0.0.1:{MTLS_PORT},INTERNAL://127.0.0.1:{INTERNAL_PORT}",
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=INTERNAL",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,"
            "SASL_SSL:SASL_SSL,SSL:SSL",
            "sasl.enabled.mechanisms=SCRAM-SHA-512,PLAIN",
            "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config="
            "org.apache.kafka.common.security.scram.ScramLoginModule required;",
            f"listener.name.sasl_ssl.plain.sasl.jaas.config={plain_jaas}",
            "ssl.keystore.type=PEM",
            f"ssl.keystore.certificate.chain={_inline(pki.server.cert_pem())}",
            f"ssl.keystore.key={_inline(pki.server.key_pem())}",
            "ssl.truststore.type=PEM",
            f"ssl.truststore.certificates={_inline(pki.ca.cert_pem())}",
            "listener.name.ssl.ssl.client.auth=required",
            "auto.create.topics.enable=false",
            f"log.dirs={state / 'data'}",
            "num.partitions=1",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=2",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            f"message.max.bytes={MAX_MESSAGE_BYTES}",
            f"replica.fetch.max.bytes={MAX_MESSAGE_BYTES}",
            "",
        ]
    )


def _ours(pki: TestPki) -> bool:
    """Whether the TLS listener presents a certificate of this tree's CA (another checkout's
    secured broker on the same ports would not)."""
    context = ssl.create_default_context(cafile=str(pki.ca.cert))
    try:
        with (
            socket.create_connection(("127.0.0.1", SASL_SSL_PORT), timeout=3) as raw,
            context.wrap_socket(raw, server_hostname="127.0.0.1"),
        ):
            return True
    except OSError:
        return False


def secure_kafka_answers(layout: Layout = LAYOUT) -> bool:
    if not port_open("127.0.0.1", SASL_SSL_PORT) or not port_open("127.0.0.1", INTERNAL_PORT):
        return False
    pki = make_pki(_state(layout) / "tls")
    if not _ours(pki):
        if secure_kafka_process(layout).pid() is None:
            raise ServiceError(
                f"port {SASL_SSL_PORT} serves a secured Kafka of another checkout (its CA is not "
                f"this tree's); stop it or set NEWSFLOW_SECURE_KAFKA_PORT"
            )
        return False
    try:
        admin = SecureKafka(pki).admin()
    except Exception:
        return False
    try:
        admin.list_topics()
        return True
    except Exception:
        return False
    finally:
        admin.close()


def start_secure_kafka(layout: Layout = LAYOUT) -> tuple[SecureKafka, bool]:
    """Start the secured broker unless it answers; wait until it does. Returns it and whether
    this call started it."""
    state = _state(layout)
    pki = make_pki(state / "tls")
    broker = SecureKafka(pki)
    proc = secure_kafka_process(layout)
    started = False
    if not secure_kafka_answers(layout) and proc.pid() is None:
        install_kafka(layout)
        state.mkdir(parents=True, exist_ok=True)
        props = state / "server.properties"
        props.write_text(_properties(layout, pki))
        props.chmod(0o600)
        scram = f"SCRAM-SHA-512=[name={SCRAM_USER},password={SCRAM_PASSWORD}]"
        format_storage(layout, state, props, ("--add-scram", scram))
        cmd = _kafka_java_cmd(layout, "kafka.Kafka", str(props))
        # Its own log folder: the plain broker's log4j file must not be shared.
        cmd = [a.replace(str(layout.kafka_state / "logs"), str(state / "logs")) for a in cmd]
        proc.start(cmd, cwd=state)
        started = True
    wait_until(
        "secured Kafka",
        lambda: secure_kafka_answers(layout),
        secure_kafka_process(layout),
        START_TIMEOUT_S,
    )
    return broker, started


def stop_secure_kafka(layout: Layout = LAYOUT) -> bool:
    return secure_kafka_process(layout).stop()


def ensure_secure_topic(broker: SecureKafka, name: str, partitions: int = 1) -> None:
    from kafka.admin import NewTopic
    from kafka.errors import TopicAlreadyExistsError

    admin = broker.admin()
    try:
        admin.create_topics(
            [NewTopic(name=name, num_partitions=partitions, replication_factor=1)],
            timeout_ms=10000,
        )
    except TopicAlreadyExistsError:
        pass
    finally:
        admin.close()

"""Find out, in a few seconds, whether the Kafka settings can work, and if not, why.

kafka-python treats every failed connection alike: a refused password, an untrusted certificate
and a plain-text client at a TLS listener all end, after `bootstrap_timeout_ms`, in the same
"Unable to bootstrap". The probe goes layer by layer instead, so each failure has its cause:

1. TCP: does anything listen at a bootstrap address? (no: unreachable, which may pass)
2. TLS, as kafka-python would set it up (same CA, client certificate, hostname check): is the
   broker's certificate trusted, does it take our client certificate? Without TLS configured:
   does the port answer a TLS handshake, i.e. is it a TLS listener?
3. The client itself, with a short bootstrap: TCP and TLS are fine by now, so a broker that
   closes the connection during SASL refused the credentials.
4. Metadata: is the topic there (and visible to this user)?
"""

from __future__ import annotations

import logging
import os
import socket
import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flows.config import KafkaSettings, kafka_client_options
from flows.failures import (
    Cause,
    Misconfigured,
    ServiceFailure,
    Step,
    Unavailable,
    short,
    speaks_tls,
)

TLS_PROTOCOLS = {"SSL", "SASL_SSL"}
SASL_PROTOCOLS = {"SASL_PLAINTEXT", "SASL_SSL"}


def _addresses(config: KafkaSettings) -> list[tuple[str, int]]:
    addresses = []
    for server in config.bootstrap_servers.split(","):
        host, _, port = server.strip().rpartition(":")
        if not host:
            host, port = port, "9092"
        addresses.append((host.strip("[]"), int(port or 9092)))
    return addresses


def _tcp(address: tuple[str, int], timeout_s: float) -> socket.socket:
    return socket.create_connection(address, timeout=timeout_s)


def _tls_context(options: dict[str, object]) -> ssl.SSLContext:
    """The context kafka-python builds from the same options (kafka/net/transport.py)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.check_hostname = bool(options.get("ssl_check_hostname", True))
    cafile = options.get("ssl_cafile")
    if cafile:
        ctx.load_verify_locations(str(cafile))
    else:
        ctx.load_default_certs()
    certfile = options.get("ssl_certfile")
    if certfile:
        keyfile = options.get("ssl_keyfile")
        ctx.load_cert_chain(str(certfile), str(keyfile) if keyfile else None)
    return ctx


#: The setting behind each file option, for the line a missing file ends in.
_FILE_SETTINGS = {
    "ssl_cafile": "KAFKA_SSL_CAFILE",
    "ssl_certfile": "KAFKA_SSL_CERTFILE",
    "ssl_keyfile": "KAFKA_SSL_KEYFILE",
}


def _unreadable(options: dict[str, object], exc: OSError) -> str:
    for option, setting in _FILE_SETTINGS.items():
        path = options.get(option)
        if path and not os.access(str(path), os.R_OK):
            return f"{setting} names {path}, which cannot be read"
    return f"a certificate or key file cannot be read: {short(exc)}"


def _endpoint(address: tuple[str, int]) -> str:
    return f"{address[0]}:{address[1]}"


def _reachable(config: KafkaSettings, timeout_s: float) -> tuple[tuple[str, int], Step]:
    errors = []
    for address in _addresses(config):
        try:
            _tcp(address, timeout_s).close()
            return address, Step("reachable")
        except OSError as exc:
            errors.append(short(exc))
    failure = Unavailable(Cause.KAFKA_UNREACHABLE, config.bootstrap_servers, errors[-1])
    return _addresses(config)[0], Step("reachable", failure)


def _tls(address: tuple[str, int], options: dict[str, object], timeout_s: float) -> Step:
    endpoint = _endpoint(address)
    try:
        ctx = _tls_context(options)
    except OSError as exc:  # a file named by a setting is missing or unreadable
        return Step("tls", Misconfigured(Cause.KAFKA_SETTING, endpoint, _unreadable(options, exc)))
    except ssl.SSLError as exc:
        detail = f"cannot load the certificate or key: {short(exc)}"
        return Step("tls", Misconfigured(Cause.KAFKA_CLIENT_CERT, endpoint, detail))
    try:
        with _tcp(address, timeout_s) as raw, ctx.wrap_socket(raw, server_hostname=address[0]) as s:
            # TLS 1.3 sends a refusal of the client certificate after the handshake: a short
            # read either times out (all is well: the broker waits for a request) or fails.
            s.settimeout(min(timeout_s, 0.5))
            try:
                s.recv(1)
            except TimeoutError:
                pass
            except ssl.SSLError as exc:
                return Step("tls", Misconfigured(Cause.KAFKA_CLIENT_CERT, endpoint, short(exc)))
    except ssl.SSLCertVerificationError as exc:
        detail = exc.verify_message or short(exc)
        return Step("tls", Misconfigured(Cause.KAFKA_TLS_UNTRUSTED, endpoint, detail))
    except ssl.SSLError as exc:
        if "ALERT" in exc.reason if exc.reason else False:
            return Step("tls", Misconfigured(Cause.KAFKA_CLIENT_CERT, endpoint, short(exc)))
        detail = "the listener does not speak TLS; use PLAINTEXT or SASL_PLAINTEXT, or another port"
        return Step("tls", Misconfigured(Cause.KAFKA_PROTOCOL, endpoint, detail))
    except (ConnectionResetError, BrokenPipeError):
        detail = "the listener hung up on the TLS handshake: it does not speak TLS"
        return Step("tls", Misconfigured(Cause.KAFKA_PROTOCOL, endpoint, detail))
    except OSError as exc:
        return Step("tls", Unavailable(Cause.KAFKA_UNREACHABLE, endpoint, short(exc)))
    return Step("tls")


class _Errors(logging.Handler):
    """Collects the exceptions kafka-python logs while it connects: the only place its client
    reports why a connection attempt failed (the caller gets only a timeout)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        self.seen.extend(a for a in args if isinstance(a, BaseException))


@contextmanager
def _kafka_errors() -> Iterator[_Errors]:
    handler = _Errors()
    logger = logging.getLogger("kafka")
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False  # the probe's own attempts are not the user's log
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


def _client_failure(
    seen: list[BaseException], options: dict[str, object], endpoint: str, exc: BaseException
) -> ServiceFailure:
    from kafka.errors import AuthorizationError, SaslAuthenticationFailedError

    for error in seen:
        if isinstance(error, SaslAuthenticationFailedError):
            return Misconfigured(Cause.KAFKA_AUTH, endpoint, _kafka_message(error))
        if isinstance(error, AuthorizationError):
            return Misconfigured(Cause.KAFKA_DENIED, endpoint, _kafka_message(error))
        if "sasl mechanism" in str(error).lower():
            return Misconfigured(Cause.KAFKA_AUTH, endpoint, _kafka_message(error))
    if options.get("security_protocol") in SASL_PROTOCOLS and any(
        "disconnected" in str(e) for e in seen
    ):
        # TCP and TLS were fine a moment ago: a broker that hangs up now refused the login.
        detail = "the broker closed the connection during SASL authentication"
        return Misconfigured(Cause.KAFKA_AUTH, endpoint, detail)
    return Unavailable(Cause.KAFKA_UNREACHABLE, endpoint, short(seen[-1] if seen else exc))


def _kafka_message(error: BaseException) -> str:
    """kafka-python's text without its repeated class-name prefixes."""
    return short(str(error).rsplit("Error: ", 1)[-1])


def _admin(options: dict[str, object], endpoint: str, timeout_s: float) -> tuple[object, Step]:
    """An admin client, bootstrapped in short attempts so that a refusal ends the probe at once
    (one long bootstrap would wait out its whole timeout whatever the broker said)."""
    from kafka.admin import KafkaAdminClient

    name = "credentials accepted" if options.get("security_protocol") in SASL_PROTOCOLS else "api"
    deadline = time.monotonic() + timeout_s
    while True:
        with _kafka_errors() as errors:
            try:
                admin = KafkaAdminClient(
                    **options,
                    bootstrap_timeout_ms=1500,
                    request_timeout_ms=int(timeout_s * 1000),
                )
                return admin, Step(name)
            except Exception as exc:
                failure = _client_failure(errors.seen, options, endpoint, exc)
        if isinstance(failure, Misconfigured) or time.monotonic() > deadline:
            return None, Step(name, failure)


def _auto_creates(admin: Any) -> bool:
    """Whether the broker creates a topic on first use; False when it cannot be read (managed
    clusters rarely let a client read broker settings, and most of them do not auto-create)."""
    from kafka.admin import ConfigResource

    try:
        broker = str(admin.describe_cluster()["brokers"][0]["broker_id"])
        found = admin.describe_configs(
            [ConfigResource("BROKER", broker, ["auto.create.topics.enable"])], config_filter="all"
        )
        value = found["broker"][broker]["auto.create.topics.enable"]["value"]
    except Exception:
        return False
    return str(value).lower() == "true"


def _topics(admin: Any, endpoint: str, topic: str, dlq_topic: str | None) -> Iterator[Step]:
    try:
        topics = set(admin.list_topics())
    except Exception as exc:
        yield Step(f"topic {topic}", Unavailable(Cause.KAFKA_UNREACHABLE, endpoint, short(exc)))
        return
    if topic not in topics:
        detail = f"{topic!r} is not on the cluster or not visible to this user"
        yield Step(f"topic {topic}", Misconfigured(Cause.KAFKA_TOPIC_MISSING, endpoint, detail))
        return
    yield Step(f"topic {topic}")
    if dlq_topic is None or dlq_topic in topics:
        if dlq_topic is not None:
            yield Step(f"dead-letter topic {dlq_topic}")
        return
    if _auto_creates(admin):  # the first dead letter creates it, as on the local broker
        yield Step(f"dead-letter topic {dlq_topic} (created on first use)")
        return
    detail = f"{dlq_topic!r} is not on the cluster, and the broker does not create it on first use"
    failure = Misconfigured(Cause.KAFKA_DLQ_MISSING, endpoint, detail)
    yield Step(f"dead-letter topic {dlq_topic}", failure)


def _client(
    options: dict[str, object],
    endpoint: str,
    topic: str | None,
    dlq_topic: str | None,
    timeout_s: float,
) -> Iterator[Step]:
    admin, step = _admin(options, endpoint, timeout_s)
    yield step
    if admin is None or topic is None:
        return
    try:
        yield from _topics(admin, endpoint, topic, dlq_topic)
    finally:
        admin.close()  # type: ignore[attr-defined]


def probe_kafka(
    config: KafkaSettings,
    topic: str | None = None,
    dlq_topic: str | None = None,
    timeout_s: float = 5.0,
) -> Iterator[Step]:
    """Each layer in order; stops after the first that fails (the next cannot be judged).
    `dlq_topic` only for a consumer: one that dead-letters needs it (or a broker that makes it)."""
    options = kafka_client_options(config)
    address, step = _reachable(config, timeout_s)
    yield step
    if step.failure:
        return
    if options.get("security_protocol") in TLS_PROTOCOLS:
        step = _tls(address, options, timeout_s)
        yield Step("tls trusted", step.failure)
    elif speaks_tls(*address, timeout_s=timeout_s):
        protocol = options.get("security_protocol", "PLAINTEXT")
        detail = f"the listener speaks TLS but the client uses {protocol}; use SSL or SASL_SSL"
        step = Step("protocol", Misconfigured(Cause.KAFKA_PROTOCOL, _endpoint(address), detail))
        yield step
    else:
        yield Step("protocol")
    if step.failure:
        return
    for step in _client(options, _endpoint(address), topic, dlq_topic, timeout_s):
        yield step
        if step.failure:
            return


def diagnose_kafka(config: KafkaSettings, topic: str | None = None) -> ServiceFailure | None:
    """The first failure of the probe, or None when Kafka is fine."""
    for step in probe_kafka(config, topic):
        if step.failure:
            return step.failure
    return None

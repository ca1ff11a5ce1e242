"""Permanent misconfiguration versus transient outage, and the one retry policy for both adapters.

A broker restart or a store outage ends by itself: waiting and retrying with back-off is right.
A refused password, an untrusted certificate, a wrong security protocol, a missing topic or bucket,
a bad signature or a denied permission never end by themselves: retrying only hides the cause
behind minutes of log. Those raise `Misconfigured`, which says in one line what is wrong, where,
and which setting to check; `newsflow` prints that line and exits with the cause's own code.
Nothing here ever formats a secret: the line names settings, never their values.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_delay,
    stop_any,
    wait_exponential_jitter,
)
from tenacity.stop import stop_base

T = TypeVar("T")


class Cause(Enum):
    """Each cause with its exit code (distinct, so a script can tell them apart), what the user
    reads, and what to check. 1 stays "something else failed" and 2 "bad command line"."""

    KAFKA_UNREACHABLE = (10, "Kafka broker unreachable", "KAFKA_BOOTSTRAP_SERVERS")
    KAFKA_TLS_UNTRUSTED = (
        11,
        "Kafka broker's TLS certificate is not trusted",
        "KAFKA_SSL_CAFILE (the CA that signed the broker's certificate)",
    )
    KAFKA_PROTOCOL = (12, "Kafka security protocol mismatch", "KAFKA_SECURITY_PROTOCOL")
    KAFKA_AUTH = (
        13,
        "Kafka refused the credentials",
        "KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and KAFKA_SASL_MECHANISM",
    )
    KAFKA_CLIENT_CERT = (
        14,
        "Kafka refused the client certificate (mutual TLS)",
        "KAFKA_SSL_CERTFILE and KAFKA_SSL_KEYFILE",
    )
    KAFKA_TOPIC_MISSING = (15, "Kafka topic does not exist", "NEWSFLOW_TOPIC (or --topic)")
    KAFKA_DENIED = (16, "Kafka denied access", "the ACLs of KAFKA_SASL_USERNAME")
    KAFKA_DLQ_MISSING = (
        18,
        "Kafka dead-letter topic does not exist",
        "NEWSFLOW_DLQ_TOPIC (create it, or name an existing one)",
    )
    KAFKA_SETTING = (17, "Kafka client setting is invalid", "the KAFKA_* settings")
    S3_UNREACHABLE = (20, "object store unreachable", "AWS_ENDPOINT_URL_S3")
    S3_TLS_UNTRUSTED = (
        21,
        "object store's TLS certificate is not trusted",
        "AWS_CA_BUNDLE (the CA that signed the store's certificate)",
    )
    S3_BUCKET_MISSING = (22, "bucket does not exist", "the bucket in --sink or NEWSFLOW_BUCKET")
    S3_CREDENTIALS = (
        23,
        "object store refused the credentials",
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
    )
    S3_DENIED = (24, "object store denied access", "the key's permissions on the bucket")
    S3_PROTOCOL = (
        25,
        "object store endpoint speaks another protocol",
        "the scheme (http/https) of AWS_ENDPOINT_URL_S3",
    )
    S3_REGION = (26, "bucket is in another region", "AWS_REGION")
    S3_SETTING = (27, "object store client setting is invalid", "the AWS_* settings")

    def __init__(self, exit_code: int, summary: str, setting: str) -> None:
        self.exit_code = exit_code
        self.summary = summary
        self.setting = setting


class ServiceFailure(Exception):
    """Kafka or the store failed in a way the user must hear about in one line (no traceback),
    with the cause's exit code. `str()` is that line."""

    def __init__(self, cause: Cause, endpoint: str, detail: str = "") -> None:
        self.cause = cause
        self.endpoint = endpoint
        self.detail = detail
        super().__init__(self.line())

    @property
    def exit_code(self) -> int:
        return self.cause.exit_code

    def line(self) -> str:
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.cause.summary} at {self.endpoint}{detail}; check {self.cause.setting}"

    def __reduce__(self) -> tuple[Any, ...]:  # Prefect pickles exceptions into states
        return (type(self), (self.cause, self.endpoint, self.detail))


class Misconfigured(ServiceFailure):
    """A setting is wrong: retrying cannot help, so nothing retries it."""


class Unavailable(ServiceFailure):
    """A service stayed down past the retry budget (or at the start-up check): not a setting,
    but the same one line, with the unreachable cause's code."""


@dataclass(frozen=True, slots=True)
class Step:
    """One item of a start-up check: what was checked and, when it failed, why."""

    name: str
    failure: ServiceFailure | None = None


def short(exc: BaseException | str, limit: int = 160) -> str:
    """An exception as one short line (library messages can run over many)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def speaks_tls(host: str, port: int, timeout_s: float = 3.0) -> bool:
    """Whether the port completes a TLS handshake (certificate not checked: only the protocol).
    How a plain-text client at a TLS port is told from an outage: both just see the connection
    end (a Kafka listener reads a ClientHello as an oversized request and hangs up; an HTTPS
    server answers plain HTTP with a bare 400 and closes)."""
    import socket
    import ssl

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    try:
        with (
            socket.create_connection((host, port), timeout=timeout_s) as raw,
            ctx.wrap_socket(raw) as tls,
        ):
            tls.version()
            return True
    except OSError:  # ssl.SSLError is an OSError
        return False


def interruptible_sleep(should_stop: Callable[[], bool]) -> Callable[[float], None]:
    """A sleep that ends within 0.1 s of a stop request (SIGTERM), for tenacity's waits."""

    def sleep(seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not should_stop():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(left, 0.1))

    return sleep


def is_transient_kafka(exc: BaseException) -> bool:
    """What kafka-python itself calls retriable (broker down, restarting, no coordinator);
    never a `Misconfigured`."""
    from kafka.errors import KafkaError

    return isinstance(exc, KafkaError) and bool(getattr(exc, "retriable", False))


def is_transient(exc: BaseException) -> bool:
    """The test every retry in the adapters asks: retry only what can end by itself."""
    if isinstance(exc, ServiceFailure):
        return False
    return is_transient_kafka(exc) or is_transient_s3(exc)


def is_transient_s3(exc: BaseException) -> bool:
    from botocore.exceptions import (
        ClientError,
        ConnectionClosedError,
        EndpointConnectionError,
        ReadTimeoutError,
    )
    from botocore.exceptions import ConnectTimeoutError as BotoConnectTimeout

    if isinstance(
        exc, EndpointConnectionError | ConnectionClosedError | ReadTimeoutError | BotoConnectTimeout
    ):
        return True
    if isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        code = exc.response.get("Error", {}).get("Code", "")
        return status >= 500 or code in {"SlowDown", "RequestTimeout", "Throttling"}
    return False


class _StopRequested(stop_base):
    """Give up retrying as soon as a stop (SIGTERM) is requested."""

    def __init__(self, should_stop: Callable[[], bool]) -> None:
        self.should_stop = should_stop

    def __call__(self, retry_state: RetryCallState) -> bool:
        return self.should_stop()


def retry_unless_permanent(task: Any, task_run: Any, state: Any) -> bool:
    """A Prefect `retry_condition_fn`: a task retries unless it failed on a setting, or a stop
    (SIGTERM) was requested meanwhile."""
    from flows.shutdown import STOP

    if STOP():
        return False
    try:
        state.result()
    except ServiceFailure:
        return False
    except Exception:
        return True
    return False


def retrying(
    what: str,
    should_stop: Callable[[], bool],
    budget_s: float,
    on_retry: Callable[[str, BaseException, float], None] | None = None,
    transient: Callable[[BaseException], bool] = is_transient,
) -> Retrying:
    """The retry policy of the Kafka and S3 adapters (tenacity): exponential back-off with jitter
    from 0.5 s to 10 s while the error is transient, for at most `budget_s`; a stop request ends
    the wait within 0.1 s and re-raises the last error; anything permanent is raised at once."""

    def before_sleep(state: RetryCallState) -> None:
        if on_retry is not None and state.outcome is not None and state.next_action is not None:
            exc = state.outcome.exception()
            if exc is not None:
                on_retry(what, exc, state.next_action.sleep)

    return Retrying(
        retry=retry_if_exception(transient),
        wait=wait_exponential_jitter(initial=0.5, max=10.0, jitter=0.5),
        stop=stop_any(stop_after_delay(budget_s), _StopRequested(should_stop)),
        sleep=interruptible_sleep(should_stop),
        before_sleep=before_sleep,
        reraise=True,
    )


__all__ = [
    "Cause",
    "Misconfigured",
    "ServiceFailure",
    "Step",
    "Unavailable",
    "interruptible_sleep",
    "is_transient",
    "retry_unless_permanent",
    "retrying",
    "short",
    "speaks_tls",
]

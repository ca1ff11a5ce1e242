"""The start-up check: can this run reach Kafka and the store with the settings it has?

Run before any article is read (by `newsflow consume`, `newsflow produce` and each run of the
`ingest` deployment) and on its own as `newsflow check`, the first command an operator runs on a
new cluster. Each item is checked in the order a connection needs it: Kafka reachable, TLS
trusted, credentials accepted, topic present; the sink's bucket present and writable.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flows.config import KafkaSettings
from flows.failures import ServiceFailure, Step

if TYPE_CHECKING:
    from prefect.states import State


@dataclass(frozen=True, slots=True)
class Item:
    """One line of the check's report."""

    area: str  # "kafka" or "store"
    step: Step

    @property
    def ok(self) -> bool:
        return self.step.failure is None

    def line(self) -> str:
        verdict = "ok" if self.step.failure is None else f"FAILED: {self.step.failure.line()}"
        return f"{self.area} {self.step.name}: {verdict}"


def _store_steps(sink: str) -> Iterator[Step]:
    from flows.sinks import open_store
    from flows.sinks.s3 import S3Store, probe_store

    store, prefix = open_store(sink)
    if isinstance(store, S3Store):
        yield from probe_store(store.bucket, prefix)
    else:
        yield Step(f"folder {store.describe()}")  # a local folder is created on first write


def run_checks(
    config: KafkaSettings, sink: str | None, topic: str | None, consumer: bool = False
) -> Iterator[Item]:
    """Every item, Kafka first; within an area, the items after a failure are not tried (they
    would only fail for the same reason). A `consumer` also needs the dead-letter topic."""
    from flows.sources.kafka_probe import probe_kafka

    dlq_topic = config.dlq_topic if consumer else None
    for step in probe_kafka(config, topic, dlq_topic):
        yield Item("kafka", step)
    if sink:
        for step in _store_steps(sink):
            yield Item("store", step)


def first_failure(
    config: KafkaSettings, sink: str | None, topic: str | None, consumer: bool = False
) -> ServiceFailure | None:
    for item in run_checks(config, sink, topic, consumer):
        if item.step.failure is not None:
            return item.step.failure
    return None


def require_ready(
    config: KafkaSettings, sink: str | None, topic: str | None, consumer: bool = False
) -> None:
    """Raise the first failure as it is (`Misconfigured` or `Unavailable`)."""
    failure = first_failure(config, sink, topic, consumer)
    if failure is not None:
        raise failure


def ended_by(failure: ServiceFailure) -> State[Any]:
    """What a flow returns when its start-up check fails: the failure's one line, logged as an
    error, and a Failed state that carries the failure itself, so a caller of the flow function
    (the CLI) still gets it raised as it is. Raised from the flow instead, Prefect would log its
    traceback in the run's log, burying the line that says which setting to check."""
    from prefect.logging import get_run_logger
    from prefect.states import Failed

    get_run_logger().error("%s", failure.line())
    return Failed(message=failure.line(), data=failure)

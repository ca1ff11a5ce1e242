"""Environment-first configuration (12-factor), with the ecosystem's own variable names."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from schemas import StageSettings


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


@dataclass(frozen=True, slots=True)
class KafkaConfig:
    bootstrap_servers: str = field(
        default_factory=lambda: _env("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092")
    )
    topic: str = field(default_factory=lambda: _env("NEWSFLOW_TOPIC", "raw-articles"))
    dlq_topic: str = field(default_factory=lambda: _env("NEWSFLOW_DLQ_TOPIC", "raw-articles.dlq"))
    group: str = field(default_factory=lambda: _env("NEWSFLOW_CONSUMER_GROUP", "newsflow"))


#: Stages that NEWSFLOW_STAGES may name; cleaning always runs (every document needs its text).
OPTIONAL_STAGES = ("entities", "quotes")


def default_stage_settings() -> StageSettings:
    """NEWSFLOW_SPACY_MODEL picks the model; NEWSFLOW_STAGES (e.g. "cleaning" or
    "cleaning,entities") switches optional stages off, as `newsflow bench` does for its
    transport-only figure. Unset means every stage."""
    overrides: dict[str, object] = {}
    model = os.environ.get("NEWSFLOW_SPACY_MODEL", "").strip()
    if model:
        overrides["spacy_model"] = model
    stages = os.environ.get("NEWSFLOW_STAGES", "").strip()
    if stages:
        named = {s.strip() for s in stages.split(",") if s.strip()}
        unknown = named - {"cleaning", *OPTIONAL_STAGES}
        if unknown:
            raise ValueError(
                f"NEWSFLOW_STAGES names unknown stages {sorted(unknown)}; "
                "use cleaning, entities, quotes"
            )
        overrides.update({name: name in named for name in OPTIONAL_STAGES})
    return StageSettings.model_validate(overrides)


def default_bucket() -> str:
    return _env("NEWSFLOW_BUCKET", "newsflow")


#: Security settings read from the environment, passed to kafka-python as they are named there.
#: PLAINTEXT by default; SASL_SSL with SCRAM or PLAIN for managed clusters.
_KAFKA_SECURITY_ENV = {
    "KAFKA_SECURITY_PROTOCOL": "security_protocol",
    "KAFKA_SASL_MECHANISM": "sasl_mechanism",
    "KAFKA_SASL_USERNAME": "sasl_plain_username",
    "KAFKA_SASL_PASSWORD": "sasl_plain_password",
    "KAFKA_SSL_CAFILE": "ssl_cafile",
    "KAFKA_SSL_CERTFILE": "ssl_certfile",
    "KAFKA_SSL_KEYFILE": "ssl_keyfile",
}


def kafka_client_options(config: KafkaConfig) -> dict[str, object]:
    """Connection options shared by producer and consumer. Secrets stay in this dict only: they
    are never logged (see `redacted`)."""
    options: dict[str, object] = {
        "bootstrap_servers": [s.strip() for s in config.bootstrap_servers.split(",") if s.strip()],
        "client_id": "newsflow",
    }
    for env_name, option in _KAFKA_SECURITY_ENV.items():
        value = os.environ.get(env_name, "").strip()
        if value:
            options[option] = value
    return options


def redacted(options: dict[str, object]) -> dict[str, object]:
    return {k: ("***" if "password" in k or "secret" in k else v) for k, v in options.items()}

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


def default_stage_settings() -> StageSettings:
    model = os.environ.get("NEWSFLOW_SPACY_MODEL", "").strip()
    return StageSettings(spacy_model=model) if model else StageSettings()


def default_bucket() -> str:
    return _env("NEWSFLOW_BUCKET", "newsflow")

"""The settings of a newsflow process: one frozen model, read from the environment once, at the
edge.

`Settings()` reads the environment (12-factor, with the ecosystem's own variable names where
there is one: `KAFKA_BOOTSTRAP_SERVERS`, ...). It is called where a process starts to do work: the
`newsflow` command, a flow that Prefect starts from a deployment (it gets parameters only), and a
bench consumer. Everything below them takes the values it needs as arguments. Nothing else in the
code reads `os.environ` (`flows.prefect_env` only sets defaults for Prefect and numpy).

The model is frozen, so it is hashable and serves as a cache key as it is (`flows.stages`).
Every default is declared here once: the flow parameters' defaults and bounds (`MaxBatch`, ...)
too, so the CLI, the flows, the Prefect UI and `prefect.yaml` cannot disagree.

docs/architecture.md lists every variable; a test keeps that table and this model in step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, ClassVar, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from schemas import StageSettings

#: Frozen (hashable); set by the environment variable named in `validation_alias`, or by the
#: field's own name in code. Case-sensitive, so that only the upper-case variable names count;
#: a variable set empty counts as unset.
_FROZEN = SettingsConfigDict(
    frozen=True,
    extra="forbid",
    populate_by_name=True,
    case_sensitive=True,
    env_ignore_empty=True,
    str_strip_whitespace=True,
)


#: Every codec Kafka defines; kafka-python decodes all of them with the libraries pyproject.toml
#: declares (its own extras: python-snappy, lz4, zstandard, and crc32c for the checksums).
Compression = Literal["none", "gzip", "snappy", "lz4", "zstd"]
COMPRESSION_CODECS: tuple[Compression, ...] = ("none", "gzip", "snappy", "lz4", "zstd")


class KafkaSettings(BaseSettings):
    """Where the raw and dead-letter topics are, and how to reach the brokers.

    The security fields carry kafka-python's own option names, so they pass to the producer and
    the consumer as they are (`kafka_client_options`). PLAINTEXT by default; SASL_SSL with SCRAM
    or PLAIN for managed clusters. Add a client option by adding a field and naming it in
    CLIENT_OPTIONS; a setting one side alone uses (a codec, an isolation level) is a field its
    adapter reads.
    """

    model_config = _FROZEN

    bootstrap_servers: str = Field(
        default="localhost:9092",
        validation_alias="KAFKA_BOOTSTRAP_SERVERS",
        description="Comma-separated host:port of the brokers",
    )
    topic: str = Field(
        default="raw-articles",
        validation_alias="NEWSFLOW_TOPIC",
        description="Topic the raw articles arrive on",
    )
    dlq_topic: str = Field(
        default="raw-articles.dlq",
        validation_alias="NEWSFLOW_DLQ_TOPIC",
        description="Topic the Kafka flow's dead letters go to",
    )
    group: str = Field(
        default="newsflow",
        validation_alias="NEWSFLOW_CONSUMER_GROUP",
        description="Consumer group of the ingest flow",
    )
    security_protocol: str | None = Field(
        default=None,
        validation_alias="KAFKA_SECURITY_PROTOCOL",
        description="PLAINTEXT (default), SSL, SASL_PLAINTEXT or SASL_SSL",
    )
    sasl_mechanism: str | None = Field(
        default=None,
        validation_alias="KAFKA_SASL_MECHANISM",
        description="PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512",
    )
    sasl_plain_username: str | None = Field(
        default=None, validation_alias="KAFKA_SASL_USERNAME", description="SASL user"
    )
    sasl_plain_password: SecretStr | None = Field(
        default=None,
        validation_alias="KAFKA_SASL_PASSWORD",
        description="SASL password; never logged (see `redacted`)",
    )
    ssl_cafile: str | None = Field(
        default=None,
        validation_alias="KAFKA_SSL_CAFILE",
        description="CA bundle that signed the brokers' certificates",
    )
    ssl_certfile: str | None = Field(
        default=None,
        validation_alias="KAFKA_SSL_CERTFILE",
        description="Client certificate (mutual TLS)",
    )
    ssl_keyfile: str | None = Field(
        default=None,
        validation_alias="KAFKA_SSL_KEYFILE",
        description="Key of the client certificate (mutual TLS)",
    )
    # How records are written and which ones the consumer may see (issue 22).
    compression: Compression = Field(
        default="zstd",
        validation_alias="NEWSFLOW_KAFKA_COMPRESSION",
        description="Codec of `newsflow produce` and the DLQ producer (measured by `newsflow "
        "bench --codecs`: docs/performance.md); consumers read every codec whatever it is",
    )
    isolation_level: Literal["read_committed", "read_uncommitted"] = Field(
        default="read_committed",
        validation_alias="NEWSFLOW_KAFKA_ISOLATION_LEVEL",
        description="read_committed: records of aborted (and still open) transactions are never "
        "enriched or stored",
    )

    #: Fields passed to kafka-python's producer and consumer under their own names when set.
    CLIENT_OPTIONS: ClassVar[tuple[str, ...]] = (
        "security_protocol",
        "sasl_mechanism",
        "sasl_plain_username",
        "sasl_plain_password",
        "ssl_cafile",
        "ssl_certfile",
        "ssl_keyfile",
    )


#: Stages that NEWSFLOW_STAGES may name; cleaning always runs (every document needs its text).
OPTIONAL_STAGES = ("entities", "quotes")


class StageEnvironment(BaseSettings):
    """The environment's word on the stage settings; the defaults themselves are StageSettings'.

    NEWSFLOW_STAGES (e.g. "cleaning" or "cleaning,entities") switches optional stages off, as
    `newsflow bench` does for its transport-only figure. Unset means every stage."""

    model_config = _FROZEN

    spacy_model: str = Field(
        default=StageSettings.model_fields["spacy_model"].default,
        validation_alias="NEWSFLOW_SPACY_MODEL",
        description="spaCy pipeline package (installed, never downloaded)",
    )
    stages: str = Field(
        default=",".join(("cleaning", *OPTIONAL_STAGES)),
        validation_alias="NEWSFLOW_STAGES",
        description="Stages to run; cleaning always runs (`cleaning` alone: transport only)",
    )

    @model_validator(mode="after")
    def _known_stages(self) -> StageEnvironment:
        unknown = set(self.named_stages()) - {"cleaning", *OPTIONAL_STAGES}
        if unknown:
            raise ValueError(
                f"NEWSFLOW_STAGES names unknown stages {sorted(unknown)}; "
                "use cleaning, entities, quotes"
            )
        return self

    def named_stages(self) -> tuple[str, ...]:
        return tuple(s.strip() for s in self.stages.split(",") if s.strip())

    def stage_settings(self) -> StageSettings:
        named = set(self.named_stages())
        switches = {name: name in named for name in OPTIONAL_STAGES}
        return StageSettings(spacy_model=self.spacy_model, **switches)


def _stages_from_environment() -> StageSettings:
    return StageEnvironment().stage_settings()


#: Ingest runs (of each ingest deployment) that may run at once, on every machine together. Each
#: run is one consumer of the group, and a partition is read by one member at a time, so runs
#: beyond the raw topic's partition count would only sit idle: the default is the partitions the
#: local services and compose's `init` create (NEWSFLOW_TOPIC_PARTITIONS, 6; a test keeps the two
#: equal). Set both together.
DEFAULT_INGEST_CONCURRENCY = 6


class Settings(BaseSettings):
    """Everything a newsflow process takes from its environment. S3 endpoint and credentials are
    not here: boto3 reads its standard `AWS_*` variables and profile itself."""

    model_config = _FROZEN

    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    stages: StageSettings = Field(default_factory=_stages_from_environment)
    bucket: str = Field(
        default="newsflow",
        validation_alias="NEWSFLOW_BUCKET",
        description="Bucket of the default sink, s3://BUCKET/",
    )
    ingest_interval_s: float = Field(
        default=60.0,
        gt=0,
        validation_alias="NEWSFLOW_INGEST_INTERVAL",
        description="Seconds between the scheduled ingest runs of `newsflow serve`",
    )
    ingest_concurrency: int = Field(
        default=DEFAULT_INGEST_CONCURRENCY,
        ge=1,
        validation_alias="NEWSFLOW_INGEST_CONCURRENCY",
        description="Ingest runs that may run at once, over every machine (default: the "
        "raw topic's partitions, 6)",
    )
    workers: int | None = Field(
        default=None,
        ge=0,
        le=64,
        validation_alias="NEWSFLOW_WORKERS",
        description=(
            "Stage worker processes (flows.workerpool); unset: the cores this process may use, "
            "at most 8; 0: the stages run in the flow's own process"
        ),
    )
    article_timeout_s: float = Field(
        default=60.0,
        gt=0,
        validation_alias="NEWSFLOW_ARTICLE_TIMEOUT",
        description=(
            "CPU seconds an article may take in a stage worker (or four times that of wall "
            "time); past it the worker is ended and replaced, and the article dead-lettered with "
            "reason timeout"
        ),
    )
    bench_profile: Path | None = Field(
        default=None,
        validation_alias="NEWSFLOW_BENCH_PROFILE",
        description="`newsflow bench` only: each consumer writes a pyinstrument profile here",
    )

    @property
    def default_sink(self) -> str:
        return f"s3://{self.bucket}/"

    @classmethod
    def declared(cls) -> Settings:
        """The declared defaults, whatever the environment says: what `prefect.yaml` and the
        documentation are made from."""
        return cls.model_construct(kafka=KafkaSettings.model_construct(), stages=StageSettings())


# Flow parameters: their bounds travel with the type, so the CLI, the flows' signatures (and with
# them the Prefect UI's form and the server's validation) and prefect.yaml share them.

#: Articles per micro-batch: large enough for nlp.pipe and the store's parallel puts to pay off.
MAX_BATCH_RANGE = (1, 10_000)
MaxBatch = Annotated[
    int,
    Field(ge=MAX_BATCH_RANGE[0], le=MAX_BATCH_RANGE[1], description="Articles per batch"),
]
DEFAULT_MAX_BATCH: MaxBatch = 64

#: Seconds a Kafka batch may wait to fill before it goes as it is.
MAX_WAIT_MIN_S = 0.05
MaxWait = Annotated[
    float, Field(ge=MAX_WAIT_MIN_S, description="Seconds to wait for a batch to fill")
]
DEFAULT_MAX_WAIT_S: MaxWait = 2.0

#: Batches one scheduled ingest run drains at most, so a run ends even under a constant stream.
MaxBatches = Annotated[int, Field(ge=1, description="Stop after this many batches")]
DEFAULT_MAX_BATCHES: MaxBatches = 100

#: Stage worker processes of a run (flows.workerpool); None: the environment's NEWSFLOW_WORKERS,
#: else the cores the process may use.
Workers = Annotated[
    int, Field(ge=0, le=64, description="Stage worker processes (0: in the flow's own process)")
]

#: Articles a files run takes at most.
Limit = Annotated[int, Field(ge=1, description="Stop after this many articles")]

#: The files flow's defaults (`newsflow run` with no arguments, the enrich-files deployment).
FILES_SOURCE = "seeds"
FILES_SINK = "out"


def kafka_client_options(kafka: KafkaSettings) -> dict[str, object]:
    """Connection options shared by producer and consumer. Secrets stay in this dict only: they
    are never logged (see `redacted`)."""
    options: dict[str, object] = {
        "bootstrap_servers": [s.strip() for s in kafka.bootstrap_servers.split(",") if s.strip()],
        "client_id": "newsflow",
    }
    for name, value in kafka.model_dump(include=set(kafka.CLIENT_OPTIONS)).items():
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if value:
            options[name] = value
    return options


def redacted(options: dict[str, object]) -> dict[str, object]:
    return {k: ("***" if "password" in k or "secret" in k else v) for k, v in options.items()}


def kafka_producer_codec_options(
    kafka: KafkaSettings, codec: Compression | None = None
) -> dict[str, object]:
    """`codec` (a command-line flag) over the setting; kafka-python spells "none" as None."""
    chosen = codec or kafka.compression
    return {"compression_type": None if chosen == "none" else chosen}


def kafka_consumer_read_options(kafka: KafkaSettings) -> dict[str, object]:
    return {"isolation_level": kafka.isolation_level}


def _variables(model: type[BaseSettings]) -> list[tuple[str, str, str]]:
    """(variable, default, meaning) of each field of `model` the environment sets, in order;
    sub-models' variables where they stand."""
    rows: list[tuple[str, str, str]] = []
    for field in model.model_fields.values():
        sub = field.annotation if isinstance(field.annotation, type) else None
        if sub is not None and issubclass(sub, BaseSettings):
            rows += _variables(sub)
        elif field.annotation is StageSettings:
            rows += _variables(StageEnvironment)
        elif isinstance(field.validation_alias, str):
            default = "unset" if field.default is None else f"`{field.default}`"
            rows.append((field.validation_alias, default, field.description or ""))
    return rows


def settings_table() -> str:
    """The Markdown table of every variable `Settings` reads, as docs/architecture.md shows it
    (a test keeps the two equal): `python -m flows.config`."""
    lines = ["| variable | default | meaning |", "| --- | --- | --- |"]
    lines += [
        f"| `{name}` | {default} | {meaning} |" for name, default, meaning in _variables(Settings)
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(settings_table(), end="")

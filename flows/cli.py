"""The `newsflow` command. Errors in what the user typed end in one line and exit code 2.

The environment is read once, when the command starts (`Settings`, flows.config; not for
`--help`), and what a command needs from it is passed down from there.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, cast

import typer
from pydantic import ValidationError

from flows.config import (
    COMPRESSION_CODECS,
    DEFAULT_MAX_BATCH,
    DEFAULT_MAX_BATCHES,
    DEFAULT_MAX_WAIT_S,
    FILES_SINK,
    FILES_SOURCE,
    MAX_BATCH_RANGE,
    MAX_WAIT_MIN_S,
    Compression,
    Settings,
)

if TYPE_CHECKING:
    from flows.config import KafkaSettings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="newsflow: clean, find entities and quotes in news articles, from files or Kafka.",
)


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"newsflow: error: {message}", err=True)
    raise typer.Exit(code)


def _one_line(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or exc.title}: {error['msg']}"
        for error in exc.errors()
    )


def settings_of(ctx: typer.Context) -> Settings:
    """The environment, read once, when the command that runs first asks for it: a bad setting
    ends that command in one line, and `--help` of any command still works."""
    root = ctx.find_root()
    if root.obj is None:
        try:
            root.obj = Settings()
        except ValidationError as exc:
            fail(f"bad setting in the environment: {_one_line(exc)}")
    settings = root.obj
    assert isinstance(settings, Settings)
    return settings


#: Options that several commands share: their bounds and defaults are flows.config's.
MaxBatchOption = Annotated[
    int,
    typer.Option(min=MAX_BATCH_RANGE[0], max=MAX_BATCH_RANGE[1], help="Articles per batch"),
]

#: None: NEWSFLOW_WORKERS, else the cores the process may use (flows.runner).
WorkersOption = Annotated[
    int | None,
    typer.Option(
        min=0,
        max=64,
        help="Stage worker processes (env NEWSFLOW_WORKERS; default: the cores, at most 8; "
        "0: in this process)",
    ),
]


@app.command()
def run(
    ctx: typer.Context,
    source: Annotated[
        list[Path] | None, typer.Option("--source", help="File or folder of articles (repeatable)")
    ] = None,
    sink: Annotated[str, typer.Option(help="Folder, or s3://BUCKET/PREFIX")] = FILES_SINK,
    limit: Annotated[int | None, typer.Option(min=1, help="Stop after N articles")] = None,
    max_batch: MaxBatchOption = DEFAULT_MAX_BATCH,
    progress: Annotated[bool, typer.Option(help="Show a progress bar")] = True,
    workers: WorkersOption = None,
) -> None:
    """One run of the enrichment flow over files (default: seeds/ into ./out)."""
    from flows.sinks import SinkSpecError, open_store
    from flows.sources.files import FileSource, SourcePathError

    paths = source or [Path(FILES_SOURCE)]
    try:
        files = FileSource(paths, limit=limit)
        open_store(sink)
    except (SourcePathError, SinkSpecError) as exc:
        fail(str(exc))
    if not files.files:
        fail(f"no article files (.json, .jsonl, .txt, .html) under {', '.join(map(str, paths))}")

    from flows.enrich import enrich_files, set_batch_listener
    from flows.progress import batch_progress

    total = sum(1 for _ in files.envelopes())
    with batch_progress(total, enabled=progress and sys.stderr.isatty()) as listener:
        set_batch_listener(listener)
        try:
            result = enrich_files(
                sources=[str(p) for p in paths],
                sink=sink,
                limit=limit,
                max_batch=max_batch,
                settings=settings_of(ctx).stages,
                workers=workers,
            )
        finally:
            set_batch_listener(None)
    typer.echo(result["summary"])
    typer.echo(f"output: {sink}")


@app.command()
def produce(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of articles")],
    topic: Annotated[str | None, typer.Option(help="Topic (default NEWSFLOW_TOPIC)")] = None,
    compression: Annotated[
        str | None,
        typer.Option(help="none, gzip, snappy, lz4 or zstd (default NEWSFLOW_KAFKA_COMPRESSION)"),
    ] = None,
) -> None:
    """Validate article files and publish the valid ones to Kafka (key = article id)."""
    from flows.produce import publish, validate_files
    from flows.sources.files import SourcePathError

    config = settings_of(ctx).kafka
    if compression is not None and compression not in COMPRESSION_CODECS:
        fail(f"--compression {compression!r}: use one of {', '.join(COMPRESSION_CODECS)}")
    codec = cast(Compression, compression or config.compression)
    try:
        articles, invalid = validate_files(paths)
    except SourcePathError as exc:
        fail(str(exc))
    for where, reason in invalid:
        typer.echo(f"invalid: {where}: {reason}", err=True)
    if articles:
        _require_ready(config, None, topic or config.topic)
    try:
        sent = publish(articles, config, topic, codec) if articles else 0
    except Exception as exc:  # broker unreachable, topic missing, ...: one line, not a traceback
        fail(f"could not publish to {config.bootstrap_servers}: {type(exc).__name__}: {exc}", 1)
    where = f"{topic or config.topic} ({codec})"
    typer.echo(f"sent {sent} articles to {where}; {len(invalid)} invalid not sent")
    if invalid:
        raise typer.Exit(1)


@app.command()
def consume(
    ctx: typer.Context,
    sink: Annotated[
        str, typer.Option(help="s3://BUCKET/PREFIX or a folder (default s3://NEWSFLOW_BUCKET/)")
    ] = "",
    until_idle: Annotated[bool, typer.Option(help="Stop when the topic is drained")] = False,
    max_batch: MaxBatchOption = DEFAULT_MAX_BATCH,
    max_wait: Annotated[
        float, typer.Option(min=MAX_WAIT_MIN_S, help="Seconds to fill a batch")
    ] = DEFAULT_MAX_WAIT_S,
    workers: WorkersOption = None,
) -> None:
    """The Kafka ingestion flow: micro-batches through the stages into the sink."""
    from flows.failures import ServiceFailure
    from flows.shutdown import STOP
    from flows.sinks import SinkSpecError, open_store

    settings = settings_of(ctx)
    sink = sink or settings.default_sink
    try:
        open_store(sink)
    except SinkSpecError as exc:
        fail(str(exc))
    STOP.install()
    # Before Prefect and the stages load: a wrong setting ends here in a second or two.
    _require_ready(settings.kafka, sink, settings.kafka.topic, consumer=True)

    from flows.ingest import ingest

    try:
        result = ingest(
            sink=sink,
            max_batch=max_batch,
            max_wait=max_wait,
            until_idle=until_idle,
            settings=settings.stages,
            workers=workers,
        )
    except ServiceFailure as exc:
        fail(exc.line(), exc.exit_code)
    except Exception as exc:
        if not STOP():
            raise
        # Stopped in the middle of an outage: what was not stored was not committed either.
        fail(f"stopped during {type(exc).__name__}; uncommitted batches will be read again", 143)
    # Called as a function, the flow raises the failure its Failed state carries (flows.check.
    # ended_by): a State is only what a deployment's run records.
    assert isinstance(result, dict)
    typer.echo(result["summary"])


def _require_ready(
    config: KafkaSettings, sink: str | None, topic: str | None, consumer: bool = False
) -> None:
    """The start-up check; its first failure ends the command with its one line and code."""
    from flows.check import first_failure

    failure = first_failure(config, sink, topic, consumer)
    if failure is not None:
        fail(failure.line(), failure.exit_code)


@app.command()
def check(
    ctx: typer.Context,
    sink: Annotated[
        str, typer.Option(help="s3://BUCKET/PREFIX or a folder (default s3://NEWSFLOW_BUCKET/)")
    ] = "",
    topic: Annotated[str | None, typer.Option(help="Topic (default NEWSFLOW_TOPIC)")] = None,
) -> None:
    """Check the settings against Kafka and the store: each item ok or why not. Exit code 0 when
    all pass, else the first failure's code (see README "Secure clusters")."""
    from flows.check import run_checks
    from flows.sinks import SinkSpecError, open_store

    settings = settings_of(ctx)
    sink = sink or settings.default_sink
    try:
        open_store(sink)
    except SinkSpecError as exc:
        fail(str(exc))
    config = settings.kafka
    code = 0
    for item in run_checks(config, sink, topic or config.topic, consumer=True):
        typer.echo(item.line())
        if item.step.failure is not None and not code:
            code = item.step.failure.exit_code
    raise typer.Exit(code)


def _tooling_missing(command: str, exc: ModuleNotFoundError) -> str:
    """`eval` and `bench` are the project's tooling, not the runtime: the Docker image leaves
    their packages (evaluation/, bench/) and the tools extra out."""
    return (
        f"newsflow {command} needs the project's tooling (the evaluation/ and bench/ packages "
        f"and the tools extra, as a source checkout's `make install` sets up); this "
        f"installation has the runtime only: {exc}"
    )


@app.command("eval")
def evaluate(
    ctx: typer.Context,
    stage: Annotated[str, typer.Argument(help="clean, entities or quotes")],
    gold: Annotated[
        Path, typer.Option(help="Gold file or dev-set folder of the stage (see docs for layouts)")
    ],
) -> None:
    """Score a stage against a gold file; prints JSON with precision, recall and F1."""
    import importlib

    if stage not in {"clean", "entities", "quotes"}:
        fail(f"unknown stage {stage!r}; choose clean, entities or quotes")
    if not gold.exists():
        fail(f"{gold}: no such gold file or folder")
    try:
        module = importlib.import_module(f"evaluation.{stage}")
    except ModuleNotFoundError as exc:
        fail(_tooling_missing("eval", exc))
    scores = module.evaluate(gold, settings_of(ctx).stages)
    typer.echo(json.dumps(scores, indent=2, sort_keys=False))


@app.command()
def serve(
    ctx: typer.Context,
    interval: Annotated[
        float | None,
        typer.Option(
            min=1, help="Seconds between scheduled ingest runs (env NEWSFLOW_INGEST_INTERVAL; 60)"
        ),
    ] = None,
    sink: Annotated[str, typer.Option(help="s3://BUCKET/PREFIX or a folder")] = "",
    max_batches: Annotated[
        int, typer.Option(min=1, help="Bound on the batches one ingest run drains")
    ] = DEFAULT_MAX_BATCHES,
    max_batch: MaxBatchOption = DEFAULT_MAX_BATCH,
    paused: Annotated[bool, typer.Option(help="Register the ingest schedule paused")] = False,
    workers: WorkersOption = None,
) -> None:
    """Serve the Prefect deployments (scheduled ingest, reprocess, enrich-files) until stopped."""
    from flows.serve import ServeOptions, serve_deployments
    from flows.sinks import SinkSpecError, open_store

    given: dict[str, object] = {"interval_s": interval, "sink": sink or None, "workers": workers}
    options = ServeOptions.from_settings(
        settings_of(ctx),
        paused=paused,
        max_batches=max_batches,
        max_batch=max_batch,
        **{name: value for name, value in given.items() if value is not None},
    )
    try:
        open_store(options.sink)
    except SinkSpecError as exc:
        fail(str(exc))
    serve_deployments(options)


@app.command()
def reprocess(
    ctx: typer.Context,
    from_: Annotated[
        str, typer.Option("--from", help="Store holding raw/: a folder or s3://BUCKET/PREFIX")
    ],
    to: Annotated[str, typer.Option("--to", help="Sink for the new documents")],
    prefix: Annotated[str, typer.Option(help="Key prefix, e.g. raw/2024/01/")] = "raw/",
    since: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="First day (inclusive)")
    ] = None,
    until: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Last day (inclusive)")
    ] = None,
    max_batch: MaxBatchOption = DEFAULT_MAX_BATCH,
    workers: WorkersOption = None,
) -> None:
    """Re-run the stages over stored raw articles (after a worker changes)."""
    from flows.sinks import SinkSpecError, open_store

    if not prefix.startswith("raw/"):
        fail(f"--prefix {prefix!r} must start with raw/ (e.g. raw/2024/01/)")
    if since and until and since > until:
        fail(f"--since {since:%Y-%m-%d} is after --until {until:%Y-%m-%d}")
    try:
        open_store(from_)
        open_store(to)
    except SinkSpecError as exc:
        fail(str(exc))
    if "://" not in from_ and not Path(from_).is_dir():
        fail(f"{from_}: no such folder")

    from flows.reprocess import reprocess as reprocess_flow

    result = reprocess_flow(
        source=from_,
        target=to,
        prefix=prefix,
        since=since.date() if since else None,
        until=until.date() if until else None,
        max_batch=max_batch,
        settings=settings_of(ctx).stages,
        workers=workers,
    )
    typer.echo(result["summary"])
    typer.echo(f"output: {to}")


@app.command()
def bench(
    ctx: typer.Context,
    articles: Annotated[int, typer.Option(min=8, help="Articles in the generated corpus")] = 300,
    words: Annotated[int, typer.Option(min=50, help="Words per generated article")] = 600,
    processes: Annotated[str, typer.Option(help="Consumer processes to try, e.g. 1,2")] = "1",
    workers: Annotated[
        str,
        typer.Option(
            "--workers",
            help="Stage workers per consumer to try, e.g. 1,2 (0: in the consumer); "
            "--memory takes the first",
        ),
    ] = "1,2",
    skip_e2e: Annotated[bool, typer.Option(help="Stage rates only (no Kafka, no S3)")] = False,
    memory: Annotated[
        bool, typer.Option(help="Instead: RSS over a long in-process run (see --articles)")
    ] = False,
    seed: Annotated[int, typer.Option(help="Corpus seed")] = 8,
    max_batch: MaxBatchOption = DEFAULT_MAX_BATCH,
    runs: Annotated[
        int, typer.Option(min=1, max=9, help="Runs of each end-to-end scenario (median shown)")
    ] = 3,
    codecs: Annotated[
        bool, typer.Option(help="Instead: bytes, produce and consume rate per Kafka codec")
    ] = False,
    codec_corpus: Annotated[
        Path | None, typer.Option(help="With --codecs: real articles (files) instead of generated")
    ] = None,
) -> None:
    """Measure throughput per stage and end to end (Kafka + S3 from the environment); JSON."""
    try:
        from bench.cli import bench_command, codecs_command
    except ModuleNotFoundError as exc:
        fail(_tooling_missing("bench", exc))

    try:
        if codecs:
            codec_report = codecs_command(
                settings_of(ctx), articles, words, seed, codec_corpus, runs
            )
            typer.echo(json.dumps(codec_report, indent=2))
            return
        report = bench_command(
            settings_of(ctx),
            articles,
            words,
            processes,
            skip_e2e,
            memory,
            seed,
            max_batch,
            runs,
            workers,
        )
    except ValueError as exc:
        fail(str(exc))
    typer.echo(json.dumps(report, indent=2))


def main() -> None:
    """The `newsflow` entry point: a Kafka or store failure that got this far (a command without
    its own check, a store gone mid-run) still ends in its one line and exit code."""
    from flows.failures import ServiceFailure

    try:
        app()
    except ServiceFailure as exc:
        typer.echo(f"newsflow: error: {exc.line()}", err=True)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()

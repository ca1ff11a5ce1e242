"""The `newsflow` command. Errors in what the user typed end in one line and exit code 2."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

import flows.prefect_env  # noqa: F401  (must precede any Prefect import)
from flows.config import default_stage_settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="newsflow: clean, find entities and quotes in news articles, from files or Kafka.",
)


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"newsflow: error: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def run(
    source: Annotated[
        list[Path] | None, typer.Option("--source", help="File or folder of articles (repeatable)")
    ] = None,
    sink: Annotated[str, typer.Option(help="Folder, or s3://BUCKET/PREFIX")] = "out",
    limit: Annotated[int | None, typer.Option(min=1, help="Stop after N articles")] = None,
    max_batch: Annotated[int, typer.Option(min=1, max=10_000, help="Articles per batch")] = 32,
    progress: Annotated[bool, typer.Option(help="Show a progress bar")] = True,
) -> None:
    """One run of the enrichment flow over files (default: seeds/ into ./out)."""
    from flows.sinks import SinkSpecError, open_store
    from flows.sources.files import FileSource, SourcePathError

    paths = source or [Path("seeds")]
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
                settings=default_stage_settings(),
            )
        finally:
            set_batch_listener(None)
    typer.echo(result["summary"])
    typer.echo(f"output: {sink}")


@app.command("eval")
def evaluate(
    stage: Annotated[str, typer.Argument(help="clean, entities or quotes")],
    gold: Annotated[Path, typer.Option(help="Gold file of the stage")],
) -> None:
    """Score a stage against a gold file; prints JSON with precision, recall and F1."""
    import importlib

    if stage not in {"clean", "entities", "quotes"}:
        fail(f"unknown stage {stage!r}; choose clean, entities or quotes")
    if not gold.is_file():
        fail(f"{gold}: no such gold file")
    module = importlib.import_module(f"flows.evaluation.{stage}")
    scores = module.evaluate(gold, default_stage_settings())
    typer.echo(json.dumps(scores, indent=2, sort_keys=False))


def main() -> None:
    app()


if __name__ == "__main__":
    main()

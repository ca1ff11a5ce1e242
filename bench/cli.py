"""Argument handling of `newsflow bench`, kept here so flows/cli.py holds one thin command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from kafka.errors import KafkaError

from bench.report import memory_target, run_bench
from flows.config import Settings


def parse_counts(text: str, option: str = "--processes", least: int = 1) -> tuple[int, ...]:
    try:
        counts = tuple(int(p) for p in text.split(",") if p.strip())
    except ValueError:
        raise ValueError(f"{option} {text!r}: give counts such as 1,2") from None
    if not counts or any(n < least or n > 16 for n in counts):
        raise ValueError(f"{option} {text!r}: each count must be {least}..16")
    return counts


def parse_processes(text: str) -> tuple[int, ...]:
    return parse_counts(text)


def bench_command(
    settings: Settings,
    articles: int,
    words: int,
    processes: str,
    skip_e2e: bool,
    memory: bool,
    seed: int,
    max_batch: int,
    runs: int = 3,
    workers: str = "1,2",
) -> dict[str, Any]:
    worker_counts = parse_counts(workers, "--workers", least=0)
    if memory:
        from bench.memory import run_memory
        from bench.report import machine

        result = run_memory(
            settings, articles, words, max_batch=max_batch, workers=worker_counts[0]
        )
        return {"machine": machine(), "memory": result, "target": memory_target(result)}
    counts = parse_processes(processes)
    try:
        return run_bench(
            settings, articles, words, counts, skip_e2e, seed, max_batch, runs, worker_counts
        )
    except (BotoCoreError, ClientError, KafkaError) as exc:
        raise ValueError(
            f"end-to-end bench needs Kafka and S3 (make services; source .env.services), "
            f"or --skip-e2e: {type(exc).__name__}: {exc}"
        ) from exc


def codecs_command(
    settings: Settings, articles: int, words: int, seed: int, corpus: Path | None, runs: int = 3
) -> dict[str, Any]:
    """`newsflow bench --codecs`: the generated corpus, or the first `articles` under `corpus`."""
    from bench.codecs import load_articles, run_codecs
    from bench.corpus import generate
    from bench.report import machine

    if corpus is not None:
        chosen = load_articles(corpus)[:articles]
        label = f"{corpus} (first {len(chosen)} valid articles)"
    else:
        chosen, label = generate(articles, words, seed), f"generated ({articles} x {words} words)"
    try:
        result = run_codecs(settings.kafka, chosen, label, runs=runs)
    except KafkaError as exc:
        raise ValueError(
            f"codec bench needs Kafka (make services; source .env.services): "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    return {"machine": machine(), **result}

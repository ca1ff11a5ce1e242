"""One bench consumer: the real ingest flow (`newsflow consume --until-idle`), timed from inside
its process.

Run as `python -m bench.consumer --sink S --max-batch N --max-wait S` by the end-to-end bench,
which sets the topic, group and stages in the environment, where a consumer reads its settings.
Start-up (imports, the spaCy model, Prefect's temporary server) happens first and is not timed;
the process then says `ready` on stdout and waits for `go` on stdin, so that all consumers of a
run join the group together. Timing: the receive time of the first message this process consumed,
and the time just after its last batch was stored and committed; both are epoch seconds,
comparable across the processes of one machine. The last stdout line is JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from typing import Any

from flows.config import DEFAULT_MAX_BATCH, DEFAULT_MAX_WAIT_S, Settings


def _start_prefect() -> None:
    """Start the temporary Prefect server (the first flow run in a process starts it)."""
    from prefect import flow

    @flow(name="bench-warm-up")
    def warm_up() -> None:
        return None

    warm_up()


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.consumer")
    parser.add_argument("--sink", required=True)
    parser.add_argument("--max-batch", type=int, default=DEFAULT_MAX_BATCH)
    parser.add_argument("--max-wait", type=float, default=DEFAULT_MAX_WAIT_S)
    parser.add_argument("--workers", type=int, default=0)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    from bench.stages import warm_up
    from flows.ingest import ingest
    from flows.processing import BatchResult
    from flows.shutdown import STOP
    from flows.stream import observing

    args = _arguments(argv)
    settings = Settings()
    if args.workers > 0:  # the workers load and warm up their stages before they are ready
        from flows.runner import shared_pool

        pool = shared_pool(settings.stages, args.workers, settings.article_timeout_s)
        pool.wait_ready()
    else:
        warm_up(settings.stages)  # models load and run here (cached), not in the timed run
    _start_prefect()
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        return 1

    seen: dict[str, Any] = {"first": None, "last": None, "articles": 0, "batches": 0}
    stage_seconds: dict[str, float] = defaultdict(float)

    def on_batch(result: BatchResult) -> None:
        now = time.time()
        if seen["first"] is None or result.first_received < seen["first"]:
            seen["first"] = result.first_received
        seen["last"] = now
        seen["articles"] += result.received
        seen["batches"] += 1
        for name, seconds in result.seconds.items():
            stage_seconds[name] += seconds
        stage_seconds["store_waited"] += result.store_waited

    profiler = None
    if settings.bench_profile is not None:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.002)
        profiler.start()
    STOP.install()
    with observing(on_batch):
        ingest(
            sink=args.sink,
            max_batch=args.max_batch,
            max_wait=args.max_wait,
            until_idle=True,
            settings=settings.stages,
            workers=args.workers,
        )
    if profiler is not None and settings.bench_profile is not None:
        profiler.stop()
        settings.bench_profile.write_text(profiler.output_text(show_all=False, color=False))
    seen["stage_seconds"] = {k: round(v, 3) for k, v in stage_seconds.items()}
    print(json.dumps(seen), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

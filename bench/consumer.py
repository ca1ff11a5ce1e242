"""One bench consumer: the real `newsflow consume --until-idle`, timed from inside its process.

Run as `python -m bench.consumer CONSUME-ARGS...` by the end-to-end bench. Start-up (imports,
the spaCy model, Prefect's temporary server) happens first and is not timed; the process then says
`ready` on stdout and waits for `go` on stdin, so that all consumers of a run join the group
together. Timing: the receive time of the first message this process consumed, and the time just
after its last batch was stored and committed; both are epoch seconds, comparable across the
processes of one machine. The last stdout line is JSON.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import flows.prefect_env  # noqa: F401  (quiet defaults before Prefect is imported)


def _start_prefect() -> None:
    """Start the temporary Prefect server (the first flow run in a process starts it)."""
    from prefect import flow

    @flow(name="bench-warm-up")
    def warm_up() -> None:
        return None

    warm_up()


def main(argv: list[str]) -> int:
    from bench.stages import warm_up
    from flows.cli import app
    from flows.config import default_stage_settings
    from flows.processing import BatchResult
    from flows.stream import observing

    warm_up(default_stage_settings())  # models load and run here (cached), not in the timed run
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

    profile_to = os.environ.get("NEWSFLOW_BENCH_PROFILE", "").strip()
    profiler = None
    if profile_to:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.002)
        profiler.start()
    with observing(on_batch):
        try:
            app(["consume", "--until-idle", *argv], standalone_mode=False)
        except SystemExit as exc:  # typer exits on errors even outside standalone mode
            if exc.code:
                raise
    if profiler is not None:
        profiler.stop()
        Path(profile_to).write_text(profiler.output_text(show_all=False, color=False))
    seen["stage_seconds"] = {k: round(v, 3) for k, v in stage_seconds.items()}
    print(json.dumps(seen), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The NLP-only yardstick in a fresh process: `python -m bench.yardstick` reads the stage settings
and the texts as JSON on stdin and prints one JSON object, the (wall, CPU) seconds of one
`nlp.pipe` run over them after the same warm-up as the in-process figures.

Why a process of its own: a process that has ever had a second thread parses 15-20 % slower
(glibc's `__libc_single_threaded`, docs/performance.md), and once the bench has run an end-to-end
scenario it has threads (its RSS sampler, Kafka's admin client) for good. Measured in the bench
process, the yardstick of the second and third rounds took 28.6 and 30.6 s against 25.0 s in the
first. The stage workers never start a thread; neither does this process, and it says so.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from schemas import StageSettings


def measure_in_fresh_process(texts: list[str], settings: StageSettings) -> dict[str, Any]:
    """One yardstick run in a new interpreter: {"seconds", "cpu_seconds", "single_threaded",
    "components"} (the spaCy components it ran)."""
    request = json.dumps({"settings": settings.model_dump(mode="json"), "texts": texts})
    done = subprocess.run(
        [sys.executable, "-m", "bench.yardstick"],
        input=request,
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the yardstick process failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    import flows  # noqa: F401  (OpenBLAS one thread, before numpy is imported)
    from bench.stages import timed_nlp_only, warm_up, yardstick_components
    from flows.stage_worker import libc_single_threaded

    request = json.loads(sys.stdin.read())
    settings = StageSettings.model_validate(request["settings"])
    warm_up(settings)
    wall, cpu = timed_nlp_only(request["texts"], settings)
    print(
        json.dumps(
            {
                "seconds": round(wall, 3),
                "cpu_seconds": round(cpu, 3),
                "single_threaded": libc_single_threaded(),
                "components": yardstick_components(settings),
            }
        )
    )


if __name__ == "__main__":
    main()

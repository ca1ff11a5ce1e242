"""A stage worker's heap: freed memory is kept between tasks, and given back after an outsized one.

Each case runs in a fresh interpreter, as a worker does (the allocator settings are per process
and cannot be undone). What is measured is the kernel's own count of minor page faults and the
resident set, not time.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from flows.stage_worker import glibc_malloc

pytestmark = pytest.mark.skipif(glibc_malloc() is None, reason="glibc's malloc controls only")

TASKS = """
import json, resource, sys
import flows  # noqa: F401
from bench.corpus import generate
from flows.stage_worker import WARM_UP, hold_freed_memory, run_task
from flows.stages import build_worker_stages
from schemas import StageSettings

stages = build_worker_stages(StageSettings())
run_task(stages, [WARM_UP.model_dump_json().encode()])
payloads = [a.model_dump_json().encode() for a in generate(24, words=600, seed=5)]
held = sys.argv[1] == "held" and hold_freed_memory()

def tasks():
    for i in range(0, len(payloads), 8):
        run_task(stages, payloads[i : i + 8])

tasks()  # the first pass grows the heap to what a task needs
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
tasks()
faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
print(json.dumps({"held": held, "faults": faults}))
"""

GIVE_BACK = """
import json
from flows.stage_worker import give_back_memory, hold_freed_memory, rss_bytes

held = hold_freed_memory()
start = rss_bytes()
blocks = [bytes(2048) for _ in range(60_000)]  # 125 MiB of malloc'd blocks (past pymalloc)
del blocks
kept = rss_bytes()
give_back_memory()
print(json.dumps({"held": held, "start": start, "kept": kept, "given_back": rss_bytes()}))
"""


def _run(script: str, *args: str) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_a_held_heap_spares_each_task_its_page_faults() -> None:
    """The same tasks of real stages over bench articles, after a first pass: with the default
    allocator every task takes its pages from the kernel again; held, nearly none."""
    default = _run(TASKS, "default")
    held = _run(TASKS, "held")
    assert held["held"] is True and default["held"] is False
    assert default["faults"] > 20_000
    assert held["faults"] * 10 < default["faults"]


def test_freed_memory_is_kept_until_given_back() -> None:
    """What the worker does after an outsized task: the held heap keeps 125 MiB freed (with the
    heap's padding, less than HELD_HEAP_BYTES), `give_back_memory` returns it to the kernel."""
    measured = _run(GIVE_BACK)
    assert measured["held"] is True
    mib = 1 << 20
    assert measured["kept"] - measured["start"] > 100 * mib
    assert measured["given_back"] - measured["start"] < 50 * mib

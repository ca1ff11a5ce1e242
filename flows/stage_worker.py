"""What a stage worker process runs: load the stages once, then run tasks sent down a pipe.

A worker is a fresh interpreter started by `flows.workerpool.WorkerPool` (`python -m
flows.worker_main FD`), so it has no thread but its own, and it never starts one: glibc then
keeps `__libc_single_threaded` set
and spaCy's parse skips the atomic operations a threaded process pays for (15-20 % of the parse,
docs/performance.md). It tells the pool what it found (`ready`), so a library that starts a
thread on import is seen, not guessed.

Messages (tuples, pickled by `Connection.send`):
- pool -> worker: first ``("init", "module:factory", settings JSON)``, then
  ``("run", task_id, [payload bytes, ...])`` or ``("stop",)``
- worker -> pool: ``("ready", WorkerInfo)``, ``("stage", task_id, stage name)`` as each stage
  starts (so a deadline can say where the article was), ``("done", task_id, [Outcome, ...],
  {stage: seconds}, rss_bytes)``, or ``("error", text)`` when the stages cannot be built.

An outcome is compact plain data, never a spaCy Doc: the assembled EnrichedDocument as JSON bytes,
or the failure that makes a dead letter.
"""

from __future__ import annotations

import ctypes
import gc
import importlib
import os
import signal
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from multiprocessing.connection import Connection
from typing import cast

import flows  # noqa: F401  (OpenBLAS one thread, before numpy is imported)
from flows.stages import stage_versions
from schemas import FailedStage, RawArticle, StageSettings
from workers.assemble import assemble_or_fail
from workers.base import Stage, StageFailure, WorkItem
from workers.decode import decode_raw_article
from workers.pipeline import parse_scope, run_stage

#: Builds the stages a worker runs, from the settings; named to the worker as 'module:function',
#: so it must be a module-level function (flows.stages.build_worker_stages in service, a test's
#: own).
StageFactory = Callable[[StageSettings], tuple[Stage, ...]]


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    """What a worker reports once its stages are loaded."""

    pid: int
    threads: int  # threading.active_count(): 1 means only the main thread
    single_threaded: bool | None  # glibc's __libc_single_threaded; None where it is not exported
    rss: int  # bytes, after loading
    frozen: int  # objects moved out of the cycle collector's reach after loading (freeze_loaded)
    heap_held: bool  # glibc's malloc keeps freed memory between tasks (hold_freed_memory)


@dataclass(frozen=True, slots=True)
class Done:
    document_json: bytes


@dataclass(frozen=True, slots=True)
class Failed:
    stage: FailedStage
    error_type: str
    reason: str
    article_id: str | None = None


Outcome = Done | Failed


def libc_single_threaded() -> bool | None:
    """glibc's own record of whether this process ever had a second thread (glibc >= 2.32)."""
    try:
        flag = ctypes.c_char.in_dll(ctypes.CDLL(None), "__libc_single_threaded")
    except (OSError, ValueError):
        return None
    return flag.value != b"\x00"


def rss_bytes() -> int:
    """Resident set size now (not the peak): what the restart-after-K-articles decision reads."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def run_task(
    stages: tuple[Stage, ...],
    payloads: list[bytes],
    on_stage: Callable[[str], None] = lambda name: None,
) -> tuple[list[Outcome], dict[str, float]]:
    """Decode, every stage, assemble: one outcome per payload, in order. Pure apart from the
    stages' own state; the same code path the in-process flow runs (workers.pipeline).
    `on_stage` hears each stage's name as it starts."""
    outcomes: list[Outcome | None] = [None] * len(payloads)
    items: list[WorkItem] = []
    for index, payload in enumerate(payloads):
        decoded = decode_raw_article(payload)
        if isinstance(decoded, StageFailure):
            outcomes[index] = Failed(decoded.stage, decoded.error_type, decoded.reason)
        else:
            items.append(WorkItem(raw=decoded, extras={"index": index}))
    seconds: dict[str, float] = {}
    with parse_scope(stages, items):
        for stage in stages:
            on_stage(stage.name.value)
            seconds[stage.name.value] = run_stage(stage, items)
    versions = stage_versions(stages)
    for item in items:
        index = item.extras["index"]
        document = assemble_or_fail(item, versions)
        if document is not None:
            outcomes[index] = Done(document.model_dump_json().encode("utf-8"))
            continue
        assert item.failure is not None
        f = item.failure
        outcomes[index] = Failed(f.stage, f.error_type, f.reason, item.raw.id)
    return [o for o in outcomes if o is not None], seconds


def _announce(conn: Connection, task_id: int, stage: str) -> None:
    conn.send(("stage", task_id, stage))


def resolve(reference: str) -> StageFactory:
    """'module:function' -> the function (how the pool names a stage factory to a new process)."""
    module, _, name = reference.partition(":")
    factory = getattr(importlib.import_module(module), name)
    if not callable(factory):
        raise TypeError(f"{reference} is not callable")
    return cast(StageFactory, factory)


#: Run once through every stage before a worker says it is ready: a fresh pipeline's first parse
#: is several times slower than the next (lazy loading), and the deadline must not count that.
WARM_UP = RawArticle(
    id="newsflow-warm-up",
    title="Council approves harbour budget",
    body=(
        "The city council approved a new harbour budget on Tuesday after two weeks of talks "
        "with the port authority and the shipping union.\n\n"
        '"We can start the repairs in spring," said the council leader, who chaired the '
        "meeting. The union said it would study the plan before its members vote next month."
    ),
)


def freeze_loaded() -> int:
    """Take what is loaded so far (modules, the spaCy model, the stages) out of the cycle
    collector's reach; returns how many objects that is.

    Those ~110,000 objects live as long as the worker, yet every full collection walks them all,
    and the younger generations' collections walk them whenever they are promoted. Frozen, the
    collector sees only what a task makes: its time over 200 bench articles in tasks of 64 went
    from 0.20 to 0.08 CPU s (callbacks timing every collection, docs/performance.md, eighth
    session). Collected first, so nothing that is already garbage is kept for ever."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


#: glibc's mallopt parameters (<malloc.h>).
_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3

#: Free memory at the top of a worker's heap is kept up to this much (past it glibc trims down to
#: a quarter of it), and a worker whose RSS passes its size after loading by this much gives every
#: free page back after its task (`give_back_memory`).
HELD_HEAP_BYTES = 256 << 20

#: Allocations this large or larger are mapped and unmapped on their own, as glibc does by
#: default for the largest ones (32 MiB is the most glibc accepts on 64-bit): an outsized article
#: still gives its memory back at once.
MMAP_THRESHOLD_BYTES = 32 << 20


@cache
def glibc_malloc() -> ctypes.CDLL | None:
    """The C library when it has glibc's malloc controls (mallopt, malloc_trim), else None."""
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
        libc.malloc_trim.argtypes = (ctypes.c_size_t,)
    except (OSError, AttributeError):
        return None
    return libc


def hold_freed_memory() -> bool:
    """Make glibc's malloc keep, between tasks, the memory a task frees; True where it took.

    By default glibc gives freed memory at the top of the heap back to the kernel and maps
    mid-sized arrays on their own; a task of eight articles builds and drops tens of megabytes
    (Docs, arrays, documents), so the next task takes those pages again, each a fresh page
    fault: about 415,000 minor faults per 200 bench articles. Held, about 50, and the same tasks
    took 5-8 % less CPU (two processes side by side, one per core, then swapped;
    docs/performance.md, ninth session); `nlp.pipe` alone, which frees little between batches,
    is not changed. Called after loading and warm-up, with the loading's garbage given back
    first, so what is held is the tasks' own: a worker's RSS is ~240 MB after loading, and its
    peak over the bench was ~345 MB."""
    libc = glibc_malloc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    settings = (
        (_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES),
        (_M_TRIM_THRESHOLD, HELD_HEAP_BYTES),
        (_M_TOP_PAD, HELD_HEAP_BYTES // 4),
    )
    return all(libc.mallopt(parameter, value) == 1 for parameter, value in settings)


def give_back_memory() -> None:
    """Return every free page of the heap to the kernel (after an outsized task)."""
    libc = glibc_malloc()
    if libc is not None:
        libc.malloc_trim(0)


#: Seconds between the checks that the pool's process still lives.
PARENT_CHECK_S = 2.0


def _exit_with_parent() -> None:
    """End this worker soon after its pool's process ends, even in the middle of a task.

    Between tasks a worker notices at once (its socket reads end-of-file), but a task has no
    deadline once the pool that enforced it is gone (kill -9 of a consumer). A timer signal, not
    a thread: the worker must stay single-threaded."""
    parent = os.getppid()

    def check(signum: int, frame: object) -> None:
        if os.getppid() != parent:
            os._exit(1)

    signal.signal(signal.SIGALRM, check)
    signal.setitimer(signal.ITIMER_REAL, PARENT_CHECK_S, PARENT_CHECK_S)


def serve(conn: Connection) -> None:
    """The worker's whole life: build the stages named by the pool's first message, report, run
    tasks until told to stop or the pool's end of the pipe closes (the pool is gone)."""
    # The pool decides when a worker ends; Ctrl-C in a terminal reaches the whole process group.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent()
    try:
        _, factory, settings_json = conn.recv()
        stages = resolve(factory)(StageSettings.model_validate_json(settings_json))
        run_task(stages, [WARM_UP.model_dump_json().encode("utf-8")])
    except (EOFError, OSError):
        return
    except Exception:
        conn.send(("error", traceback.format_exc(limit=5)))
        return
    frozen = freeze_loaded()
    heap_held = hold_freed_memory()
    loaded = rss_bytes()
    info = WorkerInfo(
        os.getpid(), threading.active_count(), libc_single_threaded(), loaded, frozen, heap_held
    )
    conn.send(("ready", info))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message[0] != "run":
            return
        _, task_id, payloads = message
        outcomes, seconds = run_task(stages, payloads, partial(_announce, conn, task_id))
        rss = rss_bytes()
        if heap_held and rss > loaded + HELD_HEAP_BYTES:  # an outsized task: do not keep its peak
            give_back_memory()
            rss = rss_bytes()
        conn.send(("done", task_id, outcomes, seconds, rss))

"""N stage worker processes fed by one consumer: the parse at full speed, every core, a deadline.

Why processes: a process that has ever started a second thread parses 15-20 % slower (glibc's
`__libc_single_threaded`, docs/performance.md), and every consumer has threads (Kafka's, Prefect's,
the S3 pool). A worker started by forkserver has none and starts none (`flows.stage_worker`), so
its parse runs at the NLP-only yardstick's speed, and N of them use N cores from one consumer.

Why not `concurrent.futures.ProcessPoolExecutor`: one dead worker breaks the whole executor
(BrokenProcessPool), and it cannot end the one worker that passed a deadline. (pebble can, but
its per-task futures would still need everything below: retries that stop, the stage a deadline
hit, order.) This pool keeps one socket per worker and waits on them all with
`multiprocessing.connection.wait`, in one dispatcher thread of the parent; a worker's socket
reads end-of-file when it exits, however it exits.

What it promises, per batch submitted:
- one outcome per payload, in the payloads' order (`Done` with the EnrichedDocument JSON, or
  `Failed`, which the caller makes a dead letter); nothing lost, nothing twice;
- a batch is cut into tasks of at most `chunk` articles, handed to whichever worker is free, so
  workers stay busy across batch boundaries; a busy worker also holds the next task in its
  socket, so it starts it the moment it sends a result, without waiting for this process (whose
  dispatcher thread shares the interpreter with Kafka's, Prefect's and the store's threads); only
  a task the socket's buffer takes whole is held (`hold_limit`), so sending it never blocks the
  dispatcher while that worker blocks sending its result;
- a task that has used `timeout` seconds of its worker's CPU (or four times that of wall time)
  since it was sent: its worker is killed (SIGKILL) and replaced; a task of one article becomes
  a `timeout` dead letter naming the stage it was in, a task of several is retried one article
  per task, so only the article that alone passes the deadline is dead-lettered;
- a worker that dies (kill -9, OOM, a crash in native code): its task is retried one article per
  task on fresh workers; an article that kills a worker again is dead-lettered (`WorkerDied`),
  so a poison article never loops;
- `max_articles`: a worker is replaced after that many articles (None: never).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from flows.stage_worker import Failed, Outcome, StageFactory, WorkerInfo, resolve
from flows.stages import build_worker_stages
from schemas import FailedStage, StageSettings

logger = logging.getLogger(__name__)

#: Default deadline per article, seconds (NEWSFLOW_ARTICLE_TIMEOUT overrides). A news article
#: takes ~0.1 s; the worst real one measured took 57 s to clean (a 2,000,000-line body).
DEFAULT_ARTICLE_TIMEOUT = 60.0

#: Articles per task: small enough that two workers share a batch of 64 evenly, large enough that
#: `nlp.pipe` still batches and the pipe carries few messages.
DEFAULT_CHUNK = 8

#: The send buffer asked for on the pool's end of each worker's socket (the kernel may give less:
#: net.core.wmem_max), so that a task can wait in it for a busy worker. A task is held only if
#: its message is at most half the buffer the kernel reports (on a Unix socket that report is
#: about what it takes before a send blocks).
HOLD_BUFFER_BYTES = 1 << 20


def _message_bound(task: _Task) -> int:
    """At least the bytes `Connection.send` writes for the task's message, without pickling it
    (the dispatcher asks again on every pass while the task waits): its payloads, and for each
    payload and 64 KiB pickle frame a few bytes of opcodes and length, counted generously."""
    size = sum(len(payload) for payload in task.payloads)
    return size + size // 4096 + 32 * len(task.payloads) + 256


#: More workers than this gain little on one consumer's batch and each holds its own model.
MAX_DEFAULT_WORKERS = 8

#: How long a worker may take to start and load its stages before the pool gives up on it.
START_TIMEOUT = 300.0


#: The deadline counts the worker's CPU seconds, not the clock: on a busy machine (other
#: processes, or more workers than cores) a normal article must not be cut off because it waited
#: for a core. The clock still ends a task at WALL_FACTOR times the deadline (a worker blocked on
#: something, not computing). CPU time is read every CPU_CHECK_S while a task runs.
WALL_FACTOR = 4.0
CPU_CHECK_S = 0.5


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc; 0 where it cannot be read,
    which leaves only the clock's backstop)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    # After the command name: state is field 3, utime 14 and stime 15 (proc(5)).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def default_workers() -> int:
    """The cores this process may run on (its CPU affinity, which containers and taskset set),
    capped at MAX_DEFAULT_WORKERS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_DEFAULT_WORKERS))


class PoolBroken(RuntimeError):
    """The workers cannot run at all (e.g. the stages fail to build): nothing can be processed."""


@dataclass
class PoolBatch:
    """The outcomes of one submitted batch, filled in by the dispatcher as tasks finish."""

    outcomes: list[Outcome | None]
    seconds: dict[str, float] = field(default_factory=dict)
    error: BaseException | None = None
    _pending: int = 0
    _done: threading.Event = field(default_factory=threading.Event)

    def done(self) -> bool:
        return self._done.is_set()

    def result(
        self, on_wait: Callable[[], None] | None = None, every: float = 1.0
    ) -> list[Outcome]:
        """Wait for every outcome. `on_wait` is called every `every` seconds while waiting, from
        the caller's thread (how a Kafka consumer stays in its group through a long batch)."""
        while not self._done.wait(every if on_wait is not None else None):
            if on_wait is not None:
                on_wait()
        if self.error is not None:
            raise self.error
        return [o for o in self.outcomes if o is not None]


@dataclass
class _Task:
    batch: PoolBatch
    indices: list[int]
    payloads: list[bytes]
    #: 0 for the first try; a retry (one article, after a worker died) is 1 and is not retried.
    attempt: int = 0


@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    conn: Connection
    info: WorkerInfo | None = None
    #: The task it runs (its deadline counts from `sent_at`, `cpu_at_send`).
    task: _Task | None = None
    task_id: int = 0
    #: The task sent after it, waiting in the worker's socket: it runs next, and counts as sent
    #: when the running one's result arrives. Not to blame if the worker dies or times out.
    queued: _Task | None = None
    queued_id: int = 0
    #: The largest message that may wait in the socket for this worker (see HOLD_BUFFER_BYTES).
    hold_limit: int = 0
    sent_at: float = 0.0
    cpu_at_send: float = 0.0
    stage: str = ""
    articles: int = 0
    started: float = field(default_factory=time.monotonic)


class WorkerPool:
    """N worker processes running the stages; see the module docstring for the promises.

    `stage_factory` builds a worker's stages from `settings` (once per worker): it is pickled by
    reference, so it must be a module-level function. Use as a context manager, or call close().
    """

    def __init__(
        self,
        workers: int,
        settings: StageSettings,
        timeout: float = DEFAULT_ARTICLE_TIMEOUT,
        stage_factory: StageFactory = build_worker_stages,
        chunk: int = DEFAULT_CHUNK,
        max_articles: int | None = None,
    ) -> None:
        if workers < 1:
            raise ValueError("a worker pool needs at least one worker (0 means in-process)")
        self.size = workers
        self.timeout = timeout
        self.chunk = max(1, chunk)
        self.max_articles = max_articles
        self._factory_ref = f"{stage_factory.__module__}:{stage_factory.__qualname__}"
        try:
            found: object = resolve(self._factory_ref)
        except (ImportError, AttributeError, TypeError):
            found = None
        if found is not stage_factory:
            raise ValueError(
                f"stage_factory must be a module-level function, not {stage_factory!r}"
            )
        self._settings_json = settings.model_dump_json()
        self._lock = threading.Lock()
        self._queue: deque[_Task] = deque()
        self._workers: list[_Worker] = []
        self._task_ids = 0
        self._closing = False
        self._broken: BaseException | None = None
        #: Every worker's report when it became ready, and RSS after each task (pid -> bytes).
        self.started: list[WorkerInfo] = []
        self.rss: dict[int, int] = {}
        self.replaced = {"timeout": 0, "died": 0, "recycled": 0}
        self._wake_r, self._wake_w = multiprocessing.Pipe(duplex=False)
        for _ in range(workers):
            self._workers.append(self._start())
        self._thread = threading.Thread(target=self._dispatch, name="newsflow-pool", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------ the caller's side

    def submit(self, payloads: Sequence[bytes]) -> PoolBatch:
        """Queue a batch; returns at once. Outcomes come back in the order of `payloads`."""
        batch = PoolBatch(outcomes=[None] * len(payloads))
        tasks = [
            _Task(
                batch,
                list(range(i, min(i + self.chunk, len(payloads)))),
                list(payloads[i : i + self.chunk]),
            )
            for i in range(0, len(payloads), self.chunk)
        ]
        batch._pending = len(payloads)
        if not tasks:
            batch._done.set()
            return batch
        with self._lock:
            if self._broken is not None or self._closing:
                batch.error = self._broken or PoolBroken("the worker pool is closed")
                batch._done.set()
                return batch
            self._queue.extend(tasks)
        self._wake()
        return batch

    def wait_ready(self, timeout: float = START_TIMEOUT) -> list[WorkerInfo]:
        """Block until every worker has loaded its stages (a warm-up for benches and tests)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self._broken is not None:
                    raise self._broken
                if all(w.info is not None for w in self._workers):
                    return [w.info for w in self._workers if w.info is not None]
            time.sleep(0.05)
        raise PoolBroken(f"workers not ready after {timeout:.0f} s")

    def pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._workers if w.process.pid is not None]

    def usable(self) -> bool:
        """False once closed or broken (stages that cannot be built): start a new pool."""
        with self._lock:
            return self._broken is None and not self._closing

    def replacements(self) -> dict[str, int]:
        """Workers replaced so far, by cause: timeout, died, recycled."""
        with self._lock:
            return dict(self.replaced)

    def busy_pids(self) -> list[int]:
        """Workers running a task right now (what a test kills)."""
        with self._lock:
            return [w.process.pid for w in self._workers if w.task is not None and w.process.pid]

    def close(self) -> None:
        """Stop every worker (after its current task) and the dispatcher."""
        with self._lock:
            if self._closing:
                return
            self._closing = True
        self._wake()
        self._thread.join(timeout=30)
        with self._lock:
            for task in self._queue:  # never sent: their callers are gone or must not wait
                if not task.batch.done():
                    task.batch.error = PoolBroken("the worker pool closed")
                    task.batch._done.set()
            self._queue.clear()
            stuck = self._thread.is_alive()  # the dispatcher did not end: do not wait on workers
            for worker in self._workers:
                self._stop(worker, kill=stuck)
            self._wake_r.close()
            self._wake_w.close()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ workers

    def _start(self) -> _Worker:
        """A fresh interpreter running flows.worker_main, joined to the pool by a socket pair.

        Not multiprocessing's spawn or forkserver: both run the parent's main module again in
        the child (for `newsflow` that imports Prefect and the CLI), which costs start-up time
        and may start threads there. Same interpreter, same import path as this process."""
        mine, theirs = socket.socketpair()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        process = subprocess.Popen(
            [sys.executable, "-m", "flows.worker_main", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            env=env,
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        with contextlib.suppress(OSError):
            mine.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, HOLD_BUFFER_BYTES)
        hold_limit = mine.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF) // 2
        conn = Connection(mine.detach())
        conn.send(("init", self._factory_ref, self._settings_json))
        return _Worker(process, conn, hold_limit=hold_limit)

    def _stop(self, worker: _Worker, kill: bool = False) -> None:
        if kill:
            worker.process.kill()
        elif worker.process.poll() is None:
            with contextlib.suppress(OSError):
                worker.conn.send(("stop",))
        try:
            worker.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            worker.process.wait(timeout=5)
        worker.conn.close()

    def _replace(self, worker: _Worker, reason: str, kill: bool) -> None:
        self._stop(worker, kill=kill)
        self.replaced[reason] += 1
        index = self._workers.index(worker)
        if not self._closing:
            self._workers[index] = self._start()
        else:
            self._workers.pop(index)

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_w.send_bytes(b"!")

    # ------------------------------------------------------------------ the dispatcher thread

    def _dispatch(self) -> None:
        try:
            while True:
                with self._lock:
                    if self._closing and not any(w.task for w in self._workers):
                        return
                    self._assign()
                    waits: list[object] = [self._wake_r]
                    waits += [w.conn for w in self._workers]
                    timeout = self._next_deadline()
                for ready in wait(waits, timeout):  # type: ignore[arg-type]
                    if ready is self._wake_r:  # a submit or close: look at the queue again
                        while self._wake_r.poll():
                            self._wake_r.recv_bytes()
                with self._lock:
                    self._collect()
                    self._enforce_deadlines()
        except BaseException as exc:  # fail every waiter instead of leaving them blocked
            logger.exception("worker pool dispatcher failed")
            with self._lock:
                self._fail_all(exc)

    def _assign(self) -> None:
        """A task to every idle worker first, then one more to each busy worker to hold."""
        ready = [w for w in self._workers if w.info is not None]
        for worker in ready:
            if not self._queue or self._closing:
                return
            if worker.task is None:
                task = self._queue.popleft()
                worker.task, worker.task_id = task, self._send(worker, task)
                self._started(worker)
        for worker in ready:
            if not self._queue or self._closing:
                return
            if worker.task is None or worker.queued is not None or self._retiring(worker):
                continue
            if _message_bound(self._queue[0]) <= worker.hold_limit:  # else it waits for a free one
                worker.queued = self._queue.popleft()
                worker.queued_id = self._send(worker, worker.queued)

    def _send(self, worker: _Worker, task: _Task) -> int:
        self._task_ids += 1
        # If the worker died, its socket says so and the task is retried.
        with contextlib.suppress(OSError):
            worker.conn.send(("run", self._task_ids, task.payloads))
        return self._task_ids

    def _started(self, worker: _Worker) -> None:
        """The worker's deadline clock starts now, for the task it now runs."""
        worker.stage = ""
        worker.sent_at = time.monotonic()
        worker.cpu_at_send = cpu_seconds(worker.process.pid)

    def _retiring(self, worker: _Worker) -> bool:
        """Will the worker be recycled after its running task? Then it gets nothing to hold."""
        task = worker.task
        return (
            self.max_articles is not None
            and task is not None
            and worker.articles + len(task.indices) >= self.max_articles
        )

    def _requeue_held(self, worker: _Worker) -> None:
        """A worker being ended gives back the task it held: first in the queue, as it was."""
        if worker.queued is not None:
            self._queue.appendleft(worker.queued)
            worker.queued = None

    def _next_deadline(self) -> float:
        now = time.monotonic()
        busy = [w for w in self._workers if w.task is not None]
        # CPU time is read, not waited for: look again every CPU_CHECK_S while a task runs.
        ends = [w.sent_at + self.timeout * WALL_FACTOR for w in busy]
        ends += [now + CPU_CHECK_S for _ in busy[:1]]
        ends += [w.started + START_TIMEOUT for w in self._workers if w.info is None]
        return max(0.0, min(ends) - now) if ends else 1.0

    def _collect(self) -> None:
        for worker in list(self._workers):
            gone = False
            while worker in self._workers:
                try:
                    if not worker.conn.poll():
                        break
                    message = worker.conn.recv()
                except (EOFError, OSError):  # the worker's end closed: it has exited
                    gone = True
                    break
                self._handle(worker, message)
            if worker in self._workers and (gone or worker.process.poll() is not None):
                self._died(worker)

    def _handle(self, worker: _Worker, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "ready":
            worker.info = message[1]
            self.started.append(message[1])
            self.rss[message[1].pid] = message[1].rss
            if message[1].threads != 1 or message[1].single_threaded is False:
                logger.warning(
                    "stage worker %s is not single-threaded: %s", message[1].pid, message[1]
                )
        elif kind == "stage" and worker.task is not None and message[1] == worker.task_id:
            worker.stage = message[2]
        elif kind == "done" and worker.task is not None and message[1] == worker.task_id:
            _, _, outcomes, seconds, rss = message
            task, worker.task = worker.task, None
            if worker.queued is not None:  # the worker has already started it
                worker.task, worker.task_id = worker.queued, worker.queued_id
                worker.queued = None
                self._started(worker)
            worker.articles += len(task.indices)
            if worker.info is not None:
                self.rss[worker.info.pid] = rss
            for stage, s in seconds.items():
                task.batch.seconds[stage] = task.batch.seconds.get(stage, 0.0) + s
            self._finish(task, outcomes)
            if self.max_articles is not None and worker.articles >= self.max_articles:
                self._replace(worker, "recycled", kill=False)
        elif kind == "error":
            self._fail_all(PoolBroken(f"stage worker could not build its stages:\n{message[1]}"))

    def _finish(self, task: _Task, outcomes: Sequence[Outcome]) -> None:
        batch = task.batch
        for index, outcome in zip(task.indices, outcomes, strict=True):
            if batch.outcomes[index] is None:
                batch.outcomes[index] = outcome
                batch._pending -= 1
        if batch._pending == 0:
            batch._done.set()

    def _failed(self, task: _Task, stage: str, error_type: str, reason: str) -> None:
        failure = Failed(FailedStage(stage) if stage else FailedStage.CLEANING, error_type, reason)
        self._finish(task, [failure] * len(task.indices))

    def _retry_singly(self, task: _Task) -> None:
        """Each article of a failed task alone, ahead of the queue (its batch is the oldest)."""
        singles = [
            _Task(task.batch, [i], [p], attempt=task.attempt + 1)
            for i, p in zip(task.indices, task.payloads, strict=True)
        ]
        self._queue.extendleft(reversed(singles))

    def _died(self, worker: _Worker) -> None:
        task, stage = worker.task, worker.stage
        self._requeue_held(worker)
        code = worker.process.wait()
        if worker.info is None and task is None and not self._closing:
            # Died while loading: the stages cannot run here (an error message came first when
            # Python could send one). Starting it again would only fail again.
            self._workers.remove(worker)
            worker.conn.close()
            self._fail_all(PoolBroken(f"stage worker exited with code {code} while starting"))
            return
        self._replace(worker, "died", kill=False)
        if task is None:
            return
        how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        logger.warning(
            "stage worker %s died (%s) with %d articles", worker.process.pid, how, len(task.indices)
        )
        if len(task.indices) > 1 or task.attempt == 0:
            self._retry_singly(task)
        else:
            self._failed(
                task,
                stage,
                "WorkerDied",
                f"the stage worker died ({how}) running this article, twice; "
                f"it was in the {stage or 'first'} stage",
            )

    def _enforce_deadlines(self) -> None:
        now = time.monotonic()
        for worker in list(self._workers):
            if worker.info is None and now - worker.started > START_TIMEOUT:
                self._fail_all(PoolBroken(f"a stage worker did not start in {START_TIMEOUT:.0f} s"))
                return
            task = worker.task
            if task is None:
                continue
            used = cpu_seconds(worker.process.pid) - worker.cpu_at_send
            wall = now - worker.sent_at
            if used <= self.timeout and wall <= self.timeout * WALL_FACTOR:
                continue
            stage = worker.stage
            logger.warning(
                "stage worker %s passed the %.0f s deadline with %d articles (in %s, %.0f s of "
                "CPU, %.0f s of wall time): replacing it",
                worker.process.pid,
                self.timeout,
                len(task.indices),
                stage or "start",
                used,
                wall,
            )
            worker.task = None
            self._requeue_held(worker)
            self._replace(worker, "timeout", kill=True)
            if len(task.indices) > 1:
                self._retry_singly(task)
            else:
                self._failed(
                    task,
                    stage,
                    "timeout",
                    f"timeout: the stages took more than {self.timeout:g} s on this article alone "
                    f"({used:.0f} s of CPU, {wall:.0f} s of wall time; stopped in the "
                    f"{stage or 'first'} stage; the worker was ended and replaced)",
                )

    def _fail_all(self, exc: BaseException) -> None:
        self._broken = exc
        self._closing = True
        batches = {id(t.batch): t.batch for t in self._queue}
        batches.update({id(w.task.batch): w.task.batch for w in self._workers if w.task})
        batches.update({id(w.queued.batch): w.queued.batch for w in self._workers if w.queued})
        self._queue.clear()
        for w in self._workers:
            w.task = w.queued = None
        for batch in batches.values():
            batch.error = exc
            batch._done.set()

"""End to end through the real broker and object store, with 1..n consumer processes.

Each scenario gets a fresh topic (at least 2 partitions), a fresh consumer group and a fresh
bucket, so runs never see each other's data. Consumers (`bench.consumer`, the real consume
command) load everything first, are released together, and the corpus is published once all of
them hold their partitions. The rate is articles / (last batch stored and committed, over all
consumers - first message received, over all consumers): start-up, group join and the final idle
wait are outside.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import IO, Any
from urllib.parse import urlsplit

import psutil
from kafka.errors import KafkaError

from flows.config import DEFAULT_MAX_BATCH, KafkaSettings, kafka_client_options
from flows.produce import publish
from schemas import RawArticle

READY_TIMEOUT_S = 300
RUN_TIMEOUT_S = 3600
GROUP_TIMEOUT_S = 60
#: Consumers start on an empty topic and must not take it for drained before the corpus arrives.
#: A batch ships as soon as the consumer has caught up, so this bounds only the idle wait.
IDLE_WAIT_S = 15.0


@dataclass
class Scenario:
    processes: int
    stages: str  # NEWSFLOW_STAGES value
    max_batch: int = DEFAULT_MAX_BATCH
    max_wait: float = IDLE_WAIT_S
    #: Stage worker processes of each consumer (`--workers`); 0: stages in the consumer.
    workers: int = 0


def process_cpu_seconds(proc: psutil.Process) -> float:
    """User and system CPU seconds a process has used so far."""
    t = proc.cpu_times()
    return float(t.user + t.system)


@dataclass
class RssSampler:
    """Peak resident memory of each process, sampled from outside every `interval` seconds, and
    the CPU seconds each kind of process has used, as a timeline (`cpu_between`)."""

    pids: list[int]
    interval: float = 0.2
    #: Other processes whose CPU is followed by name (the local broker and store, when found).
    services: dict[str, psutil.Process] = field(default_factory=dict)
    peaks: dict[int, int] = field(default_factory=dict)
    #: CPU seconds used from start to stop: the consumers, their stage workers, and their other
    #: children (Prefect's temporary server).
    cpu: dict[str, float] = field(default_factory=dict)
    #: (epoch seconds, CPU seconds used so far by each kind, services included).
    timeline: list[tuple[float, dict[str, float]]] = field(default_factory=list)
    #: Peak resident memory of any one stage worker.
    worker_peak: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def _run(self) -> None:
        procs = [psutil.Process(p) for p in self.pids]
        start: dict[int, float] = {}
        latest: dict[int, tuple[str, float]] = {}
        kinds: dict[int, str] = {}
        for proc in procs:
            for p in [proc, *proc.children(recursive=True)]:
                start[p.pid] = process_cpu_seconds(p)
        service_start = {name: process_cpu_seconds(p) for name, p in self.services.items()}
        while not self._stop.is_set():
            for proc in procs:
                try:
                    rss = proc.memory_info().rss
                    # A child's kind is read once: a worker exiting at the end of the run
                    # (a zombie) has no command line left to read.
                    family = [("consumer", proc)] + [
                        (kinds.setdefault(c.pid, _kind(c)), c)
                        for c in proc.children(recursive=True)
                    ]
                    for kind, p in family:
                        latest[p.pid] = (kind, process_cpu_seconds(p))
                        if kind == "workers":
                            self.worker_peak = max(self.worker_peak, p.memory_info().rss)
                except psutil.Error:
                    continue
                self.peaks[proc.pid] = max(self.peaks.get(proc.pid, 0), rss)
            used: dict[str, float] = {}
            for pid, (kind, seconds) in latest.items():
                used[kind] = used.get(kind, 0.0) + seconds - start.get(pid, 0.0)
            for name, service in self.services.items():
                with contextlib.suppress(psutil.Error):
                    used[name] = process_cpu_seconds(service) - service_start[name]
            self.timeline.append((time.time(), used))
            self._stop.wait(self.interval)
        if self.timeline:
            final = self.timeline[-1][1]
            self.cpu = {k: round(v, 2) for k, v in final.items() if k not in self.services}

    def cpu_between(self, first: float, last: float) -> dict[str, float]:
        """CPU seconds each kind used between two epoch times (read off the timeline, linearly
        between samples): the run itself, without the group join before it and the idle wait
        after it, which `cpu` includes."""
        if not self.timeline:
            return {}
        kinds = set().union(*(used for _, used in self.timeline))
        return {
            kind: round(
                max(0.0, _at(self.timeline, last, kind) - _at(self.timeline, first, kind)), 2
            )
            for kind in sorted(kinds)
        }

    def __enter__(self) -> RssSampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _at(timeline: list[tuple[float, dict[str, float]]], when: float, kind: str) -> float:
    """One kind's CPU seconds at `when`, interpolated between the samples around it."""
    before = [(t, used.get(kind, 0.0)) for t, used in timeline if t <= when]
    after = [(t, used.get(kind, 0.0)) for t, used in timeline if t > when]
    if not before:
        return after[0][1]
    if not after:
        return before[-1][1]
    (t0, v0), (t1, v1) = before[-1], after[0]
    return v0 + (v1 - v0) * (when - t0) / (t1 - t0)


def local_listener(address: str) -> psutil.Process | None:
    """The process listening on `address` (host:port, or a URL as a client resolved it) when
    that address is on this machine: how the bench follows the dev broker's and store's CPU
    without knowing what they are. None for a remote service, or when the owner cannot be seen."""
    parts = urlsplit(address if "//" in address else f"//{address}")
    if parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
        return None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        for conn in psutil.net_connections(kind="tcp"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port:
                return psutil.Process(conn.pid) if conn.pid else None
    except (psutil.Error, OSError, ValueError):
        return None
    return None


def _kind(child: psutil.Process) -> str:
    try:
        return "workers" if "flows.worker_main" in child.cmdline() else "children"
    except psutil.Error:
        return "children"


def _create_topic(config: KafkaSettings, name: str, partitions: int) -> None:
    from kafka.admin import KafkaAdminClient, NewTopic

    admin = KafkaAdminClient(**kafka_client_options(config))
    try:
        admin.create_topics(
            [NewTopic(name=name, num_partitions=partitions, replication_factor=1)],
            timeout_ms=10_000,
        )
    finally:
        admin.close()


def _delete_topics(config: KafkaSettings, names: list[str]) -> None:
    from kafka.admin import KafkaAdminClient

    admin = KafkaAdminClient(**kafka_client_options(config))
    try:
        admin.delete_topics(names, timeout_ms=10_000)
    except Exception:  # cleanup only: a leftover topic is harmless
        pass
    finally:
        admin.close()


def _count_objects(bucket: str, prefix: str) -> int:
    from flows.sinks.s3 import S3Store

    return len(S3Store(bucket).list_keys(prefix))


def _create_warm_bucket(bucket: str) -> None:
    """A fresh bucket, written to once before the clock runs.

    The first write to a new bucket makes the store set up its storage (SeaweedFS allocates the
    bucket's volumes: 0.2 s for one PUT, about 1 s under a batch's parallel PUTs). A production
    bucket has long been set up; timing that set-up would charge a one-off to the stream.
    """
    from flows.sinks.s3 import make_s3_client

    s3 = make_s3_client()
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="bench-warm-up/probe.json", Body=b"{}")


def delete_bucket(bucket: str) -> None:
    from flows.sinks.s3 import make_s3_client

    s3 = make_s3_client()
    try:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            keys: list[Any] = [{"Key": o["Key"]} for o in page.get("Contents", [])]
            for i in range(0, len(keys), 1000):
                s3.delete_objects(Bucket=bucket, Delete={"Objects": keys[i : i + 1000]})
        s3.delete_bucket(Bucket=bucket)
    except Exception:  # cleanup only
        pass


def run_scenario(
    articles: list[RawArticle], scenario: Scenario, config: KafkaSettings
) -> dict[str, Any]:
    """Produce the corpus to a fresh topic, drain it with `scenario.processes` consumers.

    The consumers get the scenario's topic, group and stages through their environment, which
    is where a consumer process reads its settings."""
    run_id = uuid.uuid4().hex[:10]
    topic, bucket, group = f"bench-{run_id}", f"bench-{run_id}", f"bench-{run_id}"
    partitions = max(2, scenario.processes)
    procs: list[subprocess.Popen[str]] = []
    logs: list[IO[str]] = []
    try:
        _create_topic(config, topic, partitions)
        _create_warm_bucket(bucket)
        env = {
            **os.environ,
            "NEWSFLOW_TOPIC": topic,
            "NEWSFLOW_DLQ_TOPIC": f"{topic}.dlq",
            "NEWSFLOW_CONSUMER_GROUP": group,
            "NEWSFLOW_STAGES": scenario.stages,
        }
        args = [
            "--sink",
            f"s3://{bucket}/",
            "--max-batch",
            str(scenario.max_batch),
            "--max-wait",
            str(scenario.max_wait),
            "--workers",
            str(scenario.workers),
        ]
        for _ in range(scenario.processes):
            # The consumers log as they would in production (to a file, not to the report).
            log = tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed in finally)
            logs.append(log)
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "bench.consumer", *args],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    text=True,
                    env=env,
                )
            )
        try:
            for proc in procs:
                _await_ready(proc)
            with RssSampler([p.pid for p in procs], services=_local_services(config)) as rss:
                for proc in procs:
                    assert proc.stdin is not None
                    proc.stdin.write("go\n")
                    proc.stdin.flush()
                # The dev broker hands all partitions to the first member at once (no initial
                # rebalance delay): publishing only once every consumer holds its share keeps one
                # process from taking a batch of each partition before the other has joined.
                _await_group(config, group, scenario.processes)
                publish(articles, config, topic)
                outputs = [_await_result(proc) for proc in procs]
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}; consumer log tail:\n{_tail(logs)}") from exc
        stored = _count_objects(bucket, "enriched/")
    finally:
        for handle in logs:
            handle.close()
        for proc in procs:
            if proc.poll() is None:
                _kill_tree(proc)
        _delete_topics(config, [topic, f"{topic}.dlq"])
        delete_bucket(bucket)
    first = min(o["first"] for o in outputs if o["first"] is not None)
    last = max(o["last"] for o in outputs if o["last"] is not None)
    consumed = sum(o["articles"] for o in outputs)
    seconds = last - first
    return {
        "processes": scenario.processes,
        "workers": scenario.workers,
        "partitions": partitions,
        "stages": scenario.stages,
        "max_batch": scenario.max_batch,
        "articles": len(articles),
        "consumed": consumed,
        "stored_documents": stored,
        "batches": sum(o["batches"] for o in outputs),
        "per_process_articles": [o["articles"] for o in outputs],
        "seconds": round(seconds, 3),
        "articles_per_s": round(len(articles) / seconds, 2) if seconds > 0 else None,
        "stage_seconds": _sum_seconds(outputs),
        "peak_rss_mb": [round(v / 2**20, 1) for v in rss.peaks.values()],
        "worker_peak_rss_mb": round(rss.worker_peak / 2**20, 1) if rss.worker_peak else None,
        # From "go" to exit, so it includes the group join and the final idle check.
        "cpu_seconds": rss.cpu,
        # From the first message received to the last commit: the run alone, and the local
        # broker's and store's CPU beside ours where they run on this machine.
        "cpu_seconds_in_run": rss.cpu_between(first, last),
    }


def _kill_tree(proc: subprocess.Popen[str]) -> None:
    """A consumer that failed or hung, with its children: its stage workers end by themselves
    once it is gone, but its temporary Prefect server does not, and would run on (and take CPU
    from every later scenario) until the machine restarts."""
    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    proc.kill()
    proc.wait()
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()


def _local_services(config: KafkaSettings) -> dict[str, psutil.Process]:
    """The broker's and the object store's processes, where they listen on this machine."""
    from flows.sinks.s3 import make_s3_client

    found = {
        "broker": local_listener(config.bootstrap_servers.split(",")[0].strip()),
        "store": local_listener(make_s3_client().meta.endpoint_url or ""),
    }
    return {name: proc for name, proc in found.items() if proc is not None}


def _tail(logs: list[IO[str]], chars: int = 3000) -> str:
    parts = []
    for log in logs:
        log.seek(0)
        parts.append(log.read()[-chars:])
    return "\n---\n".join(parts)


def _sum_seconds(outputs: list[dict[str, Any]]) -> dict[str, float]:
    total: dict[str, float] = {}
    for o in outputs:
        for k, v in o.get("stage_seconds", {}).items():
            total[k] = round(total.get(k, 0.0) + v, 3)
    return total


def _await_group(config: KafkaSettings, group: str, members: int) -> None:
    from kafka.admin import KafkaAdminClient

    admin = KafkaAdminClient(**kafka_client_options(config))
    deadline = time.monotonic() + GROUP_TIMEOUT_S
    try:
        while time.monotonic() < deadline:
            try:
                info = admin.describe_groups([group]).get(group, {})
            except KafkaError as exc:  # a fresh broker has no group coordinator for a while
                if not exc.retriable:
                    raise
                info = {}
            if info.get("group_state") == "Stable" and len(info.get("members", [])) == members:
                return
            time.sleep(0.1)
    finally:
        admin.close()
    raise RuntimeError(f"group {group} did not reach {members} stable members")


def _await_ready(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"bench consumer {proc.pid} exited before it was ready")
        if line.strip() == "ready":
            return
    raise RuntimeError(f"bench consumer {proc.pid} not ready after {READY_TIMEOUT_S} s")


def _await_result(proc: subprocess.Popen[str]) -> dict[str, Any]:
    assert proc.stdout is not None
    out, _ = proc.communicate(timeout=RUN_TIMEOUT_S)
    if proc.returncode != 0:
        raise RuntimeError(f"bench consumer {proc.pid} failed with exit code {proc.returncode}")
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"bench consumer {proc.pid} printed no result")
    result: dict[str, Any] = json.loads(lines[-1])
    return result

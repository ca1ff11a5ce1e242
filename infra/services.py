"""Local Kafka (KRaft) and SeaweedFS S3 for development and tests, without Docker.

One module serves `make services`, `make services-down` and the pytest fixtures, so the
servers the tests talk to are started exactly like the ones a developer uses. Everything it
writes stays under `.services/` (data, logs, pid files) and `.tools/` (the built `weed`).

    python infra/services.py up        # install (cached), start, wait, create topics + bucket
    python infra/services.py down      # stop what `up` started (by pid file, nothing else)
    python infra/services.py status    # which services answer
    python infra/services.py install   # only fetch the Kafka jars and build weed
    python infra/services.py init      # topics + bucket on the services named by the environment

The project code never imports this: it reads the standard environment (`.env.services`).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

KAFKA_PORT = int(os.environ.get("NEWSFLOW_KAFKA_PORT", "9092"))
KAFKA_CONTROLLER_PORT = int(os.environ.get("NEWSFLOW_KAFKA_CONTROLLER_PORT", "9093"))
S3_PORT = int(os.environ.get("NEWSFLOW_S3_PORT", "8333"))
# SeaweedFS's internal servers; gRPC ports are these + 10000. The volume server moves off the
# default 8080, which is too often taken by something else on a developer's machine.
WEED_MASTER_PORT = 9333
WEED_VOLUME_PORT = 8383
WEED_FILER_PORT = 8888

START_TIMEOUT_S = 120.0


class ServiceError(RuntimeError):
    """A service could not be installed, started or reached; the message says where to look."""


@dataclass(frozen=True, slots=True)
class Endpoints:
    """Where the running services answer, and the names the pipeline uses on them."""

    kafka_bootstrap: str = f"127.0.0.1:{KAFKA_PORT}"
    s3_endpoint: str = f"http://127.0.0.1:{S3_PORT}"
    access_key: str = "newsflow-dev"
    secret_key: str = (
        "newsflow-dev-secret"  # local-only credential, also in infra/seaweedfs/s3.json
    )
    region: str = "us-east-1"
    bucket: str = "newsflow"
    topic: str = "raw-articles"
    dlq_topic: str = "raw-articles.dlq"
    topic_partitions: int = 3

    @classmethod
    def from_env(cls) -> Endpoints:
        """The endpoints named by the standard environment (containers, remote set-ups), with
        the local defaults for anything unset."""
        base = cls()

        def get(*names: str, default: str) -> str:
            for name in names:
                value = os.environ.get(name, "").strip()
                if value:
                    return value
            return default

        return cls(
            kafka_bootstrap=get("KAFKA_BOOTSTRAP_SERVERS", default=base.kafka_bootstrap),
            s3_endpoint=get("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", default=base.s3_endpoint),
            access_key=get("AWS_ACCESS_KEY_ID", default=base.access_key),
            secret_key=get("AWS_SECRET_ACCESS_KEY", default=base.secret_key),
            region=get("AWS_REGION", "AWS_DEFAULT_REGION", default=base.region),
            bucket=get("NEWSFLOW_BUCKET", default=base.bucket),
            topic=get("NEWSFLOW_TOPIC", default=base.topic),
            dlq_topic=get("NEWSFLOW_DLQ_TOPIC", default=base.dlq_topic),
        )

    def env(self) -> dict[str, str]:
        """The standard variables the project (and boto3 / kafka clients) read."""
        return {
            "KAFKA_BOOTSTRAP_SERVERS": self.kafka_bootstrap,
            "AWS_ENDPOINT_URL_S3": self.s3_endpoint,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_REGION": self.region,
            "NEWSFLOW_BUCKET": self.bucket,
            "NEWSFLOW_TOPIC": self.topic,
            "NEWSFLOW_DLQ_TOPIC": self.dlq_topic,
        }

    def s3_client(self) -> Any:
        """A boto3 S3 client for these endpoints that fails fast instead of retrying for minutes."""
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.s3_endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
            config=Config(
                connect_timeout=2,
                read_timeout=10,
                retries={"max_attempts": 1},
                s3={"addressing_style": "path"},
            ),
        )

    def kafka_admin(self) -> Any:
        from kafka.admin import KafkaAdminClient

        return KafkaAdminClient(
            bootstrap_servers=self.kafka_bootstrap,
            client_id="newsflow-services",
            request_timeout_ms=5000,
            bootstrap_timeout_ms=5000,
        )


@dataclass(frozen=True, slots=True)
class Layout:
    """Where things live on disk, relative to a project root (tests may use another root)."""

    root: Path = ROOT
    state: Path = field(default=ROOT / ".services")

    @property
    def kafka_pom(self) -> Path:
        return self.root / "infra" / "kafka" / "pom.xml"

    @property
    def kafka_lib(self) -> Path:
        return self.root / "infra" / "kafka" / "lib"

    @property
    def kafka_log4j(self) -> Path:
        return self.root / "infra" / "kafka" / "log4j2.properties"

    @property
    def kafka_state(self) -> Path:
        return self.state / "kafka"

    @property
    def weed_module(self) -> Path:
        return self.root / "infra" / "seaweedfs"

    @property
    def weed_bin(self) -> Path:
        return self.root / ".tools" / "bin" / "weed"

    @property
    def s3_config(self) -> Path:
        return self.root / "infra" / "seaweedfs" / "s3.json"

    @property
    def weed_state(self) -> Path:
        return self.state / "seaweedfs"

    @property
    def env_file(self) -> Path:
        return self.root / ".env.services"


# --------------------------------------------------------------------------- install (cached)


def missing_tools() -> dict[str, str]:
    """Tools needed to install and run the services that are not on PATH, with what needs them."""
    needs = {"java": "Kafka broker", "mvn": "Kafka jars", "go": "SeaweedFS build"}
    return {tool: why for tool, why in needs.items() if shutil.which(tool) is None}


def _pom_digest(layout: Layout) -> str:
    return hashlib.sha256(layout.kafka_pom.read_bytes()).hexdigest()


def install_kafka(layout: Layout = Layout()) -> bool:
    """Copy the pinned broker jars into infra/kafka/lib; skipped while the pom is unchanged.
    Returns whether anything was fetched."""
    stamp = layout.kafka_lib / ".pom.sha256"
    if stamp.exists() and stamp.read_text().strip() == _pom_digest(layout):
        return False
    if shutil.which("mvn") is None:
        raise ServiceError("mvn is not on PATH: needed once to fetch the Kafka jars")
    shutil.rmtree(layout.kafka_lib, ignore_errors=True)
    _run(["mvn", "-q", "-B", "-f", str(layout.kafka_pom), "dependency:copy-dependencies"])
    stamp.write_text(_pom_digest(layout) + "\n")
    return True


def install_weed(layout: Layout = Layout()) -> bool:
    """Build the pinned SeaweedFS `weed` binary into .tools/bin; skipped when it exists."""
    if layout.weed_bin.exists():
        return False
    if shutil.which("go") is None:
        raise ServiceError("go is not on PATH: needed once to build SeaweedFS")
    layout.weed_bin.parent.mkdir(parents=True, exist_ok=True)
    _run(
        ["go", "build", "-o", str(layout.weed_bin), "github.com/seaweedfs/seaweedfs/weed"],
        cwd=layout.weed_module,
    )
    return True


def _run(cmd: list[str], cwd: Path | None = None) -> None:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = (result.stdout + result.stderr)[-3000:]
        raise ServiceError(f"{' '.join(cmd)} failed ({result.returncode}):\n{tail}")


# --------------------------------------------------------------------------- processes


@dataclass(frozen=True, slots=True)
class Managed:
    """A background server known by its pid file. `marker` must appear in the process's command
    line, so a stale pid file never leads to signalling an unrelated process."""

    name: str
    pidfile: Path
    marker: str
    logfile: Path

    def pid(self) -> int | None:
        try:
            pid = int(self.pidfile.read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except (OSError, ValueError):
            return None
        return pid if self.marker.encode() in cmdline else None

    def alive(self) -> bool:
        """Whether the pid-file process still runs (used while it starts: right after the spawn
        the command line may not show the marker yet)."""
        try:
            pid = int(self.pidfile.read_text().strip())
            stat = Path(f"/proc/{pid}/stat").read_text()
        except (OSError, ValueError):
            return False
        _reap(pid)
        return stat.rsplit(")", 1)[-1].split()[0] != "Z"

    def start(self, cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> int:
        self.logfile.parent.mkdir(parents=True, exist_ok=True)
        with self.logfile.open("ab") as log:
            proc = subprocess.Popen(
                cmd,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # survives the caller (make, pytest) and its Ctrl-C
                env={**os.environ, **(env or {})},
            )
        self.pidfile.write_text(f"{proc.pid}\n")
        return proc.pid

    def stop(self, timeout_s: float = 30.0) -> bool:
        """SIGTERM (clean shutdown), then SIGKILL after `timeout_s`. Returns whether it ran."""
        pid = self.pid()
        if pid is None:
            self.pidfile.unlink(missing_ok=True)
            return False
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and self.pid() is not None:
            _reap(pid)
            time.sleep(0.2)
        if self.pid() is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            while self.pid() is not None:
                _reap(pid)
                time.sleep(0.1)
        self.pidfile.unlink(missing_ok=True)
        return True

    def log_tail(self, chars: int = 2500) -> str:
        try:
            return self.logfile.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no log)"


def _reap(pid: int) -> None:
    """Collect a child we started ourselves so it does not linger as a zombie (which would still
    look alive in /proc)."""
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def kafka_process(layout: Layout = Layout()) -> Managed:
    state = layout.kafka_state
    return Managed("kafka", state / "kafka.pid", "kafka.Kafka", state / "logs" / "stdout.log")


def weed_process(layout: Layout = Layout()) -> Managed:
    state = layout.weed_state
    return Managed("seaweedfs", state / "weed.pid", str(layout.weed_bin), state / "weed.log")


# --------------------------------------------------------------------------- health checks


def _port_open(host: str, port: int, timeout_s: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            return True
    except OSError:
        return False


def kafka_answers(endpoints: Endpoints = Endpoints()) -> bool:
    """True when a broker accepts connections and serves metadata."""
    first = endpoints.kafka_bootstrap.split(",")[0].strip()
    host, _, port = first.rpartition(":")
    if not _port_open(host or "localhost", int(port or 9092)):
        return False
    try:
        admin = endpoints.kafka_admin()
    except Exception:
        return False
    try:
        admin.list_topics()
        return True
    except Exception:
        return False
    finally:
        admin.close()


def s3_answers(endpoints: Endpoints = Endpoints()) -> bool:
    """True when the S3 endpoint accepts a signed request with our credentials."""
    url = urllib.parse.urlsplit(endpoints.s3_endpoint)
    default_port = 443 if url.scheme == "https" else 80
    if not _port_open(url.hostname or "localhost", url.port or default_port):
        return False
    try:
        endpoints.s3_client().list_buckets()
        return True
    except Exception:
        return False


def _weed_volume_registered() -> bool:
    """Whether our SeaweedFS master knows a volume server. S3 answers list requests before that,
    but reads and writes of objects fail until the volume server has sent its first heartbeat."""
    url = f"http://127.0.0.1:{WEED_MASTER_PORT}/dir/status"
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            topology = json.load(response).get("Topology", {})
    except (OSError, ValueError):
        return False
    return any(
        rack.get("DataNodes")
        for dc in topology.get("DataCenters") or []
        for rack in dc.get("Racks") or []
    )


def _wait(what: str, check: Any, proc: Managed | None, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        if proc is not None and not proc.alive():
            raise ServiceError(
                f"{what} exited during start; log {proc.logfile}:\n{proc.log_tail()}"
            )
        time.sleep(0.5)
    tail = proc.log_tail() if proc else ""
    raise ServiceError(f"{what} did not answer within {timeout_s:.0f}s\n{tail}")


# --------------------------------------------------------------------------- Kafka


def _kafka_properties(layout: Layout) -> str:
    data = layout.kafka_state / "data"
    return "\n".join(
        [
            "# Written by infra/services.py: single-node KRaft broker+controller for local use.",
            "process.roles=broker,controller",
            "node.id=1",
            f"controller.quorum.bootstrap.servers=127.0.0.1:{KAFKA_CONTROLLER_PORT}",
            f"listeners=PLAINTEXT://127.0.0.1:{KAFKA_PORT},"
            f"CONTROLLER://127.0.0.1:{KAFKA_CONTROLLER_PORT}",
            f"advertised.listeners=PLAINTEXT://127.0.0.1:{KAFKA_PORT}",
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            f"log.dirs={data}",
            "num.partitions=1",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=4",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "log.retention.hours=168",
            "",
        ]
    )


def _kafka_java_cmd(layout: Layout, main: str, *args: str) -> list[str]:
    java = shutil.which("java")
    if java is None:
        raise ServiceError("java is not on PATH: the Kafka broker needs Java 17+")
    logs = layout.kafka_state / "logs"
    return [
        java,
        "-Xms128m",
        "-Xmx512m",
        "-XX:+UseG1GC",
        "-XX:MaxGCPauseMillis=20",
        "-Djava.awt.headless=true",
        f"-Dkafka.logs.dir={logs}",
        f"-Dlog4j2.configurationFile={layout.kafka_log4j}",
        "-cp",
        f"{layout.kafka_lib}/*",
        main,
        *args,
    ]


def _kafka_cluster_id() -> str:
    """Kafka's own format for a cluster id: a random UUID, base64url without padding."""
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()


def start_kafka(layout: Layout = Layout(), endpoints: Endpoints = Endpoints()) -> bool:
    """Start the broker unless one answers (or ours is starting); wait until it serves metadata.
    Returns whether this call started it."""
    started = spawn_kafka(layout, endpoints)
    wait_kafka(layout, endpoints)
    return started


def wait_kafka(layout: Layout = Layout(), endpoints: Endpoints = Endpoints()) -> None:
    _wait("Kafka", lambda: kafka_answers(endpoints), kafka_process(layout), START_TIMEOUT_S)


def spawn_kafka(layout: Layout = Layout(), endpoints: Endpoints = Endpoints()) -> bool:
    """Launch the broker in the background unless one answers or ours is already starting;
    does not wait. Returns whether it launched one."""
    proc = kafka_process(layout)
    if kafka_answers(endpoints):
        return False
    started = False
    if proc.pid() is None:
        install_kafka(layout)
        state = layout.kafka_state
        (state / "logs").mkdir(parents=True, exist_ok=True)
        props = state / "server.properties"
        props.write_text(_kafka_properties(layout))
        if not (state / "data" / "meta.properties").exists():
            _run(
                _kafka_java_cmd(
                    layout,
                    "kafka.tools.StorageTool",
                    "format",
                    "--standalone",
                    "--ignore-formatted",
                    "-t",
                    _kafka_cluster_id(),
                    "-c",
                    str(props),
                )
            )
        proc.start(_kafka_java_cmd(layout, "kafka.Kafka", str(props)), cwd=state)
        started = True
    return started


def stop_kafka(layout: Layout = Layout()) -> bool:
    return kafka_process(layout).stop()


def restart_kafka(layout: Layout = Layout(), endpoints: Endpoints = Endpoints()) -> None:
    """Stop the broker (clean shutdown) and start it again on the same data; topics and committed
    offsets survive."""
    if kafka_process(layout).pid() is None and kafka_answers(endpoints):
        raise ServiceError("the running Kafka was not started by infra/services.py; cannot restart")
    stop_kafka(layout)
    start_kafka(layout, endpoints)


def ensure_topic(endpoints: Endpoints, name: str, partitions: int = 1) -> None:
    """Create a topic if it does not exist (replication 1: a single local broker)."""
    from kafka.admin import NewTopic
    from kafka.errors import TopicAlreadyExistsError

    admin = endpoints.kafka_admin()
    try:
        admin.create_topics(
            [NewTopic(name=name, num_partitions=partitions, replication_factor=1)],
            timeout_ms=10000,
        )
    except TopicAlreadyExistsError:
        pass
    finally:
        admin.close()


def delete_topic(endpoints: Endpoints, name: str) -> None:
    from kafka.errors import UnknownTopicOrPartitionError

    admin = endpoints.kafka_admin()
    try:
        admin.delete_topics([name], timeout_ms=10000)
    except UnknownTopicOrPartitionError:
        pass
    finally:
        admin.close()


# --------------------------------------------------------------------------- SeaweedFS


def _weed_cmd(layout: Layout) -> list[str]:
    return [
        str(layout.weed_bin),
        "server",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-dir={layout.weed_state / 'data'}",
        f"-master.port={WEED_MASTER_PORT}",
        "-master.volumeSizeLimitMB=64",
        # A single master elects itself; the default 10 s timeout only delays every restart.
        "-master.electionTimeout=1s",
        f"-volume.port={WEED_VOLUME_PORT}",
        # Each bucket is its own collection with its own volumes (sparse files, at most 64 MB):
        # 0 lets the store size the count from free disk space, so many test buckets fit.
        "-volume.max=0",
        "-volume.preStopSeconds=1",
        f"-filer.port={WEED_FILER_PORT}",
        "-s3",
        f"-s3.port={S3_PORT}",
        f"-s3.config={layout.s3_config}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
    ]


def start_s3(layout: Layout = Layout(), endpoints: Endpoints = Endpoints()) -> bool:
    """Start SeaweedFS (master, volume, filer, S3) unless S3 answers; wait until it does.
    Returns whether this call started it."""
    started = spawn_s3(layout, endpoints)
    wait_s3(layout, endpoints, fresh=started)
    return started


def wait_s3(
    layout: Layout = Layout(), endpoints: Endpoints = Endpoints(), fresh: bool = True
) -> None:
    """Wait until S3 answers and, for a store we just launched, can also store objects."""
    _wait(
        "SeaweedFS S3",
        lambda: s3_answers(endpoints) and (not fresh or _weed_volume_registered()),
        weed_process(layout),
        START_TIMEOUT_S,
    )


def spawn_s3(layout: Layout = Layout(), endpoints: Endpoints = Endpoints()) -> bool:
    """Launch SeaweedFS in the background unless S3 answers or ours is already starting; does not
    wait. Returns whether it launched it."""
    proc = weed_process(layout)
    if s3_answers(endpoints):
        return False
    started = False
    if proc.pid() is None:
        install_weed(layout)
        (layout.weed_state / "data").mkdir(parents=True, exist_ok=True)
        # One volume per new collection instead of 7: tests create many small buckets.
        growth = {"WEED_MASTER_VOLUME_GROWTH_COPY_1": "1"}
        proc.start(_weed_cmd(layout), cwd=layout.weed_state, env=growth)
        started = True
    return started


def stop_s3(layout: Layout = Layout()) -> bool:
    # `weed server` stops its volume server first, and its filer then waits 15 s trying to flush
    # a metadata log into it; data is already safe by then, so cut that wait short.
    return weed_process(layout).stop(timeout_s=6.0)


def ensure_bucket(endpoints: Endpoints, name: str, timeout_s: float = 60.0) -> None:
    """Create a private bucket if missing. Retried: right after start the S3 gateway answers
    before its filer is ready to store buckets."""
    s3 = endpoints.s3_client()
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            s3.head_bucket(Bucket=name)
            return
        except Exception:
            pass
        try:
            s3.create_bucket(Bucket=name)
            return
        except s3.exceptions.BucketAlreadyOwnedByYou:
            return
        except Exception as exc:
            if time.monotonic() > deadline:
                raise ServiceError(f"could not create bucket {name}: {exc}") from exc
            time.sleep(0.5)


def delete_bucket(endpoints: Endpoints, name: str) -> None:
    """Empty and remove a bucket (tests' per-test buckets)."""
    s3 = endpoints.s3_client()
    paginator = s3.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=name):
        keys = [{"Key": obj["Key"]} for obj in page.get("Contents", [])]
        if keys:
            s3.delete_objects(Bucket=name, Delete={"Objects": keys, "Quiet": True})
    s3.delete_bucket(Bucket=name)


# --------------------------------------------------------------------------- both


@contextlib.contextmanager
def _lock(layout: Layout) -> Iterator[None]:
    """Serialise `up`/`down` between processes sharing the tree (parallel test sessions)."""
    layout.state.mkdir(parents=True, exist_ok=True)
    with (layout.state / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def env_text(endpoints: Endpoints) -> str:
    lines = ["# Written by `make services` (infra/services.py). Use: source .env.services"]
    lines += [f"export {key}={value}" for key, value in endpoints.env().items()]
    return "\n".join(lines) + "\n"


def create_resources(endpoints: Endpoints, timeout_s: float = START_TIMEOUT_S) -> None:
    """Wait for both services, then create the topics and the bucket (idempotent). Also what the
    one-shot `init` container of docker-compose.yml runs against the standard environment."""
    _wait("Kafka", lambda: kafka_answers(endpoints), None, timeout_s)
    _wait("S3", lambda: s3_answers(endpoints), None, timeout_s)
    ensure_topic(endpoints, endpoints.topic, endpoints.topic_partitions)
    ensure_topic(endpoints, endpoints.dlq_topic, 1)
    ensure_bucket(endpoints, endpoints.bucket)


def up(layout: Layout = Layout(), endpoints: Endpoints = Endpoints()) -> set[str]:
    """Install (cached), start what is not answering, create topics and bucket, write the env
    file. Returns the names of the services this call started."""
    with _lock(layout):
        started = set()
        # Launch both, then wait: the two start up in parallel.
        if spawn_kafka(layout, endpoints):
            started.add("kafka")
        if spawn_s3(layout, endpoints):
            started.add("s3")
        wait_kafka(layout, endpoints)
        wait_s3(layout, endpoints, fresh="s3" in started)
        create_resources(endpoints)
        layout.env_file.write_text(env_text(endpoints))
        return started


def down(layout: Layout = Layout(), which: set[str] | None = None) -> set[str]:
    """Stop the services started by this module (all, or those in `which`)."""
    which = {"kafka", "s3"} if which is None else which
    stopped = set()
    with _lock(layout):
        if "s3" in which and stop_s3(layout):
            stopped.add("s3")
        if "kafka" in which and stop_kafka(layout):
            stopped.add("kafka")
    return stopped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["up", "down", "status", "install", "env", "init"])
    args = parser.parse_args(argv)
    layout, endpoints = Layout(), Endpoints()
    try:
        if args.command == "install":
            t0 = time.monotonic()
            kafka = install_kafka(layout)
            weed = install_weed(layout)
            print(
                f"kafka jars: {'fetched' if kafka else 'cached'}; "
                f"weed: {'built' if weed else 'cached'} ({time.monotonic() - t0:.1f}s)"
            )
        elif args.command == "up":
            t0 = time.monotonic()
            started = up(layout, endpoints)
            # A developer asked for them: a test session that started them must not stop them.
            for marker in layout.state.glob("*.test-owned"):
                marker.unlink(missing_ok=True)
            print(
                f"# services up in {time.monotonic() - t0:.1f}s "
                f"(started: {', '.join(sorted(started)) or 'none, already running'}); "
                f"logs under {layout.state.relative_to(layout.root)}/"
            )
            print(env_text(endpoints), end="")
        elif args.command == "down":
            stopped = down(layout)
            print(f"stopped: {', '.join(sorted(stopped)) or 'nothing was running'}")
        elif args.command == "init":
            # Topics and bucket on the services the environment names (not necessarily ours).
            target = Endpoints.from_env()
            create_resources(target)
            print(f"topics {target.topic}, {target.dlq_topic} and bucket {target.bucket} ready")
        elif args.command == "status":
            print(f"kafka {endpoints.kafka_bootstrap}: {_word(kafka_answers(endpoints))}")
            print(f"s3 {endpoints.s3_endpoint}: {_word(s3_answers(endpoints))}")
        else:
            print(env_text(endpoints), end="")
    except ServiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _word(ok: bool) -> str:
    return "answering" if ok else "down"


if __name__ == "__main__":
    sys.exit(main())

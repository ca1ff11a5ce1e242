"""The S3 store: SeaweedFS (`weed server -s3`) built from a pinned commit with Go."""

from __future__ import annotations

import json
import shutil
import time
import urllib.parse
import urllib.request

from .config import (
    LAYOUT,
    LOCAL,
    S3_PORT,
    START_TIMEOUT_S,
    WEED_FILER_PORT,
    WEED_MASTER_PORT,
    WEED_VOLUME_PORT,
    Endpoints,
    Layout,
    ServiceError,
)
from .process import Managed, port_open, run, wait_until


def install_weed(layout: Layout = LAYOUT) -> bool:
    """Build the pinned SeaweedFS `weed` binary into .tools/bin; skipped when it exists."""
    if layout.weed_bin.exists():
        return False
    if shutil.which("go") is None:
        raise ServiceError("go is not on PATH: needed once to build SeaweedFS")
    layout.weed_bin.parent.mkdir(parents=True, exist_ok=True)
    run(
        ["go", "build", "-o", str(layout.weed_bin), "github.com/seaweedfs/seaweedfs/weed"],
        cwd=layout.weed_module,
    )
    return True


def weed_process(layout: Layout = LAYOUT) -> Managed:
    state = layout.weed_state
    return Managed("seaweedfs", state / "weed.pid", str(layout.weed_bin), state / "weed.log")


def s3_answers(endpoints: Endpoints = LOCAL) -> bool:
    """True when the S3 endpoint accepts a signed request with our credentials."""
    url = urllib.parse.urlsplit(endpoints.s3_endpoint)
    default_port = 443 if url.scheme == "https" else 80
    if not port_open(url.hostname or "localhost", url.port or default_port):
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


def start_s3(layout: Layout = LAYOUT, endpoints: Endpoints = LOCAL) -> bool:
    """Start SeaweedFS (master, volume, filer, S3) unless S3 answers; wait until it does.
    Returns whether this call started it."""
    started = spawn_s3(layout, endpoints)
    wait_s3(layout, endpoints, fresh=started)
    return started


def wait_s3(layout: Layout = LAYOUT, endpoints: Endpoints = LOCAL, fresh: bool = True) -> None:
    """Wait until S3 answers and, for a store we just launched, can also store objects."""
    wait_until(
        "SeaweedFS S3",
        lambda: s3_answers(endpoints) and (not fresh or _weed_volume_registered()),
        weed_process(layout),
        START_TIMEOUT_S,
    )


def spawn_s3(layout: Layout = LAYOUT, endpoints: Endpoints = LOCAL) -> bool:
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


def stop_s3(layout: Layout = LAYOUT) -> bool:
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

"""The object store's own ceiling: how many PUTs per second it takes from one process.

Transport-only throughput can never exceed this divided by the objects each article costs (a raw
and an enriched document, the key layout of docs/architecture.md). Measuring it in the same run
says whether a transport figure is limited by the flow or by the store on this machine. The writes
go through the flow's own client, store and writer (its parallel put, its thread count), and bodies
the size of the corpus' own JSON.
"""

from __future__ import annotations

import os
import time
import uuid
from typing import Any

import psutil

from bench.e2e import delete_bucket, local_listener, process_cpu_seconds
from flows.sinks.documents import ObjectWriter
from flows.sinks.s3 import S3Store, make_s3_client
from schemas import RawArticle

OBJECTS_PER_ARTICLE = 2  # raw/ and enriched/ (dead letters aside)


def _cpu_seconds(proc: psutil.Process | None) -> float | None:
    """`process_cpu_seconds`, or None for no process or one that cannot be read."""
    if proc is None:
        return None
    try:
        return process_cpu_seconds(proc)
    except psutil.Error:
        return None


def measure_store_ceiling(articles: list[RawArticle], puts: int = 1000) -> dict[str, Any]:
    """PUTs/s of `puts` objects the size of the corpus' raw JSON, on a fresh bucket."""
    bodies = [a.model_dump_json().encode("utf-8") for a in articles] or [b"{}"]
    bucket = f"bench-store-{uuid.uuid4().hex[:10]}"
    client = make_s3_client()
    client.create_bucket(Bucket=bucket)
    sink = ObjectWriter(S3Store(bucket, client))
    objects = [(f"probe/{i}.json", bodies[i % len(bodies)]) for i in range(puts)]
    try:
        sink.put_all(objects[:50])  # connections, credentials, the bucket's first volumes
        server = local_listener(client.meta.endpoint_url)
        server_cpu = _cpu_seconds(server)
        wall, cpu = time.perf_counter(), time.process_time()
        sink.put_all(objects)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        server_after = _cpu_seconds(server)
    finally:
        delete_bucket(bucket)
    rate = puts / wall
    server_ms = (
        1000 * (server_after - server_cpu) / puts
        if server_cpu is not None and server_after is not None
        else None
    )
    cores = os.cpu_count() or 1
    client_ms = 1000 * cpu / puts
    return {
        "puts": puts,
        "threads": sink.max_workers,
        "mean_body_bytes": round(sum(len(b) for b in bodies) / len(bodies)),
        "puts_per_s": round(rate, 1),
        "client_cpu_ms_per_put": round(client_ms, 3),
        "objects_per_article": OBJECTS_PER_ARTICLE,
        "articles_per_s_ceiling": round(rate / OBJECTS_PER_ARTICLE, 1),
        # A local store's own CPU per PUT (None for a remote one), and the article rate at which
        # the writes alone (this client and that server) would keep every core here busy.
        "store_server_cpu_ms_per_put": round(server_ms, 3) if server_ms is not None else None,
        "articles_per_s_cpu_ceiling": (
            round(1000 * cores / ((server_ms + client_ms) * OBJECTS_PER_ARTICLE), 1)
            if server_ms is not None
            else None
        ),
    }

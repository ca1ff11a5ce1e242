"""The object store's own ceiling: how many PUTs per second it takes from one process.

Transport-only throughput can never exceed this divided by the objects each article costs (a raw
and an enriched document, DESIGN.md's layout). Measuring it in the same run says whether a
transport figure is limited by the flow or by the store on this machine. The writes go through
the flow's own client, store and sink (its parallel put, its thread count), and bodies
the size of the corpus' own JSON.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from flows.bench.e2e import delete_bucket
from flows.sinks.documents import DocumentSink
from flows.sinks.s3 import S3Store, make_s3_client
from schemas import RawArticle

OBJECTS_PER_ARTICLE = 2  # raw/ and enriched/ (dead letters aside)


def measure_store_ceiling(articles: list[RawArticle], puts: int = 1000) -> dict[str, Any]:
    """PUTs/s of `puts` objects the size of the corpus' raw JSON, on a fresh bucket."""
    bodies = [a.model_dump_json().encode("utf-8") for a in articles] or [b"{}"]
    bucket = f"bench-store-{uuid.uuid4().hex[:10]}"
    client = make_s3_client()
    client.create_bucket(Bucket=bucket)
    sink = DocumentSink(S3Store(bucket, client))
    objects = [(f"probe/{i}.json", bodies[i % len(bodies)]) for i in range(puts)]
    try:
        sink.put_all(objects[:50])  # connections, credentials
        wall, cpu = time.perf_counter(), time.process_time()
        sink.put_all(objects)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        delete_bucket(bucket)
    rate = puts / wall
    return {
        "puts": puts,
        "threads": sink.max_workers,
        "mean_body_bytes": round(sum(len(b) for b in bodies) / len(bodies)),
        "puts_per_s": round(rate, 1),
        "client_cpu_ms_per_put": round(1000 * cpu / puts, 3),
        "objects_per_article": OBJECTS_PER_ARTICLE,
        "articles_per_s_ceiling": round(rate / OBJECTS_PER_ARTICLE, 1),
    }

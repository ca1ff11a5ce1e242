"""The one retry policy of newsflow's Prefect tasks.

A task that talks to the store or the broker (connect, store a batch, list or read stored raw
articles) is retried when it fails: 4 more tries, 2, 4, 8 and 16 s apart (30 s in all, enough for
a broker or store restart), from Prefect's own exponential back-off. Beneath the tasks, the
adapters retry single requests through short blips (their policy lives with them, in
flows/sources and flows/sinks). What fails because of the input is never retried: the same article
fails the same way every time, so it is dead-lettered instead, and the stage tasks have no retries.
"""

from __future__ import annotations

from typing import Any

from prefect.tasks import exponential_backoff

#: Keyword arguments of `prefect.task` for every task that waits on the store or the broker.
TRANSIENT_RETRIES: dict[str, Any] = {
    "retries": 4,
    "retry_delay_seconds": exponential_backoff(backoff_factor=2),
}

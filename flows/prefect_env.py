"""Defaults the libraries read from the process environment, set before they are imported.

`flows/__init__.py` imports this module, so every entry point (the `newsflow` command, a Prefect
deployment, a bench consumer) has them before Prefect or numpy is loaded. Each is only a default:
the user's environment wins. This module sets variables for libraries; newsflow's own settings are
read in flows.config.

- OpenBLAS reads its thread count when numpy is loaded. spaCy's small pipelines multiply small
  matrices, where OpenBLAS's worker threads cost more than they give: `nlp.pipe` ran 14 % faster
  with one (11.2-11.6 s against 12.8-13.3 s for 128 articles, three pairs of runs on 2 cores),
  and a consumer per core would only have them compete.
- Prefect's temporary (ephemeral) server runs its database migrations on first start; on a 2-core
  machine that took 12 s and hit Prefect's 20 s start-up timeout under load, so the timeout is
  raised.
- Analytics and telemetry would try to reach the internet, which fails noisily where it is closed.
"""

from __future__ import annotations

import os

PROCESS_DEFAULTS = {
    "OPENBLAS_NUM_THREADS": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    "PREFECT_TELEMETRY_ENABLE_RESOURCE_METRICS": "false",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
    "PREFECT_SERVER_LOGGING_LEVEL": "ERROR",
    "PREFECT_UI_ENABLED": "false",
}


def apply_process_defaults() -> None:
    for name, value in PROCESS_DEFAULTS.items():
        os.environ.setdefault(name, value)


apply_process_defaults()

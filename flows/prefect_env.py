"""Prefect defaults for a quiet, reliable run with no server configured.

Imported before Prefect itself. Each value is only a default: the user's environment wins.
- The temporary (ephemeral) server runs its database migrations on first start; on a 2-core machine
  that took 12 s and hit Prefect's 20 s start-up timeout under load, so the timeout is raised.
- Analytics and telemetry would try to reach the internet, which fails noisily where it is closed.
"""

from __future__ import annotations

import os

QUIET_DEFAULTS = {
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    "PREFECT_TELEMETRY_ENABLE_RESOURCE_METRICS": "false",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
    "PREFECT_SERVER_LOGGING_LEVEL": "ERROR",
    "PREFECT_UI_ENABLED": os.environ.get("PREFECT_UI_ENABLED", "false"),
}


def apply_quiet_defaults() -> None:
    for name, value in QUIET_DEFAULTS.items():
        os.environ.setdefault(name, value)


apply_quiet_defaults()

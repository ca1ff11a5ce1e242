"""OpenBLAS runs one thread in every newsflow process unless the operator says otherwise
(flows/__init__.py says why: spaCy's small matrices, one consumer per core)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

PROBE = "import flows, numpy, os; print(os.environ['OPENBLAS_NUM_THREADS'])"


def _threads_seen(env_value: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if env_value is not None:
        env["OPENBLAS_NUM_THREADS"] = env_value
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_one_openblas_thread_by_default() -> None:
    assert _threads_seen(None) == "1"


def test_the_operators_setting_wins() -> None:
    assert _threads_seen("2") == "2"

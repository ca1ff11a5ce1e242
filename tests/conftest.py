# ruff: noqa: I001  (Prefect quiet defaults must be set before Prefect is imported)
"""Shared fixtures. Prefect runs against one temporary server for the whole session."""

from __future__ import annotations

import flows.prefect_env  # noqa: F401  (quiet defaults before Prefect is imported)

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["tests.services"]

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
#: Data others wrote, laid beside the clone (`../shared`) on our machines and in CI, absent from a
#: plain clone. Tests that need it take it through `shared_file`.
SHARED = ROOT.parent / "shared"
SHARED_SEED = SHARED / "seeds" / "000_6732260730b0e6f2.txt"


def shared_file(path: Path) -> Path:
    """`path` under ../shared. Absent, the test is skipped with the reason, except under CI=true,
    where ../shared is always laid beside the clone and its absence is a failure."""
    if not path.exists():
        message = f"needs {path} (../shared beside the clone)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}; CI must have it")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[None]:
    """A real (temporary, SQLite) Prefect API for tests that run flows."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="session")
def shared_seed() -> Path:
    """The shared seed article (skipped without ../shared, failed under CI: see shared_file)."""
    return shared_file(SHARED_SEED)

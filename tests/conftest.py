# ruff: noqa: I001  (Prefect quiet defaults must be set before Prefect is imported)
"""Shared fixtures. Prefect runs against one temporary server for the whole session."""

from __future__ import annotations

import flows.prefect_env  # noqa: F401  (quiet defaults before Prefect is imported)

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["tests.services"]

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED_SEED = ROOT.parent / "shared" / "seeds" / "000_6732260730b0e6f2.txt"


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[None]:
    """A real (temporary, SQLite) Prefect API for tests that run flows."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="session")
def shared_seed() -> Path:
    if not SHARED_SEED.exists():
        pytest.fail(f"the shared seed article is missing: {SHARED_SEED}")
    return SHARED_SEED

"""Object keys stay inside their prefix whatever id a producer sends."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.sinks.keys import enriched_key, safe_id
from flows.sinks.stores import LocalFolderStore

WHEN = datetime(2024, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "bad", ["../../etc/passwd", "..", ".", "/abs/path", "a/b", "a\\b", "x" * 500, "", "é ü"]
)
def test_unsafe_ids_become_one_safe_segment(bad: str) -> None:
    key = enriched_key(bad, WHEN)
    segment = key.split("/")[-1]
    assert key.count("/") == 4 and segment.endswith(".json")
    assert not segment.startswith(".") and ".." not in segment.removesuffix(".json")


def test_safe_ids_are_kept_and_different_ids_never_collide() -> None:
    assert safe_id("6732260730b0e6f2") == "6732260730b0e6f2"
    assert safe_id("a/b") != safe_id("a_b")
    assert safe_id("a/b") != safe_id("a\\b")


@given(st.text(min_size=0, max_size=300))
def test_any_id_lands_inside_the_folder(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    root = tmp_path_factory.mktemp("store")
    store = LocalFolderStore(root)
    key = enriched_key(text, WHEN)
    store.put(key, b"{}")
    written = [p for p in Path(root).rglob("*") if p.is_file()]
    assert len(written) == 1 and written[0].resolve().is_relative_to(root.resolve())


def test_local_store_refuses_a_key_that_escapes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="escape"):
        LocalFolderStore(tmp_path).put("../outside.json", b"{}")

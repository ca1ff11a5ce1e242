"""`make eval`'s table: rows read back from each evaluation's JSON, absent dev sets skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.suite import EvalSet, main, render


def test_a_row_shows_figures_and_baseline_and_an_error_row_says_why() -> None:
    row = {
        "stage": "cleaning",
        "set": "wcxb-dev",
        "items": 3,
        "figures": {"F1": 0.91234, "lost": 0},
        "baseline": {"name": "trafilatura", "figures": {"F1": 0.9}},
    }
    table = render(
        [
            (EvalSet("clean", "cleaning/wcxb-dev", dev=True), {"row": row, "seconds": 2.0}),
            (EvalSet("quotes", "gold/quotes.yaml", dev=False), {"error": "exit 1", "seconds": 1}),
        ],
        ["x (absent)"],
    )
    assert "| cleaning | wcxb-dev (dev) | 3 | F1 0.912, lost 0 | trafilatura: F1 0.900 |" in table
    assert "ERROR exit 1" in table
    assert table.endswith("skipped: x (absent)")


def test_absent_dev_data_is_skipped_and_our_gold_still_scored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A stand-in for the `newsflow` command that answers like an evaluation does; the suite's own
    # plumbing (process, JSON, row, table, skip) is what is under test here.
    fake = tmp_path / "newsflow"
    row = '{"row": {"stage": "quotes", "set": "\'"$4"\'", "items": 1, "figures": {"F1": 1.0}}}'
    fake.write_text(f"#!/bin/sh\necho '{row}'\n")
    fake.chmod(0o755)
    args = ["--dev-data", str(tmp_path / "absent"), "--out", str(tmp_path / "o")]
    code = main([*args, "--stage", "quotes", "--newsflow", str(fake)])
    out = capsys.readouterr().out
    assert code == 0
    assert "| quotes | gold/quotes.yaml (our gold) | 1 | F1 1.000 |" in out
    assert f"skipped: {tmp_path / 'absent' / 'quotes/polnear-dev'} (absent)" in out
    assert "polnear-train (large" in out

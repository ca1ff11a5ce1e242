"""`make eval`: every stage evaluation in one table, on our own gold and on the dev sets beside it.

Each evaluation runs as its own `newsflow eval STAGE --gold PATH` process, exactly as a user would
run it, and is read back through the `row` its JSON carries (stage, set, items, headline figures,
baseline). The full JSON of each run is kept under the output folder for error study: the stage
evaluations list their misses there.

The dev sets (`../shared/dev-data`, written and annotated by others) are optional: where the folder
is absent, only our own gold is scored and the table says which sets were skipped. Our own gold sets
are also the sets the stages were first written against, so their figures flatter; the dev rows are
the honest ones, and the project's figures on unseen splits are lower still.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class EvalSet:
    """One evaluation: a stage, the gold it is scored against, and whether it lives in dev-data."""

    stage: str  # the `newsflow eval` stage argument
    path: str  # relative to the project root, or to the dev-data folder when `dev` is set
    dev: bool
    large: bool = False  # only with --large (error analysis at scale, minutes)


SETS: tuple[EvalSet, ...] = (
    EvalSet("clean", "gold/clean/gold.jsonl", dev=False),
    EvalSet("clean", "cleaning/wcxb-dev", dev=True),
    EvalSet("entities", "gold/entities.txt", dev=False),
    EvalSet("entities", "entities/conll2003-dev.txt", dev=True),
    EvalSet("quotes", "gold/quotes.yaml", dev=False),
    EvalSet("quotes", "quotes/polnear-dev", dev=True),
    EvalSet("quotes", "quotes/polnear-train", dev=True, large=True),
)


def _format_figures(figures: dict[str, Any]) -> str:
    parts = []
    for label, value in figures.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        parts.append(f"{label} {shown}")
    return ", ".join(parts)


def run_one(newsflow: str, stage: str, gold: Path, out_dir: Path) -> dict[str, Any]:
    """Run one evaluation as its own process; its JSON is kept in `out_dir`."""
    started = time.monotonic()
    proc = subprocess.run(
        [newsflow, "eval", stage, "--gold", str(gold)],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - started
    name = f"{stage}-{gold.name.replace('.', '_')}"
    (out_dir / f"{name}.stderr.txt").write_text(proc.stderr)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        return {"error": f"exit {proc.returncode}: {last}", "seconds": seconds}
    (out_dir / f"{name}.json").write_text(proc.stdout)
    try:
        scores = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        return {"error": f"output is not JSON: {exc}", "seconds": seconds}
    row = scores.get("row") if isinstance(scores, dict) else None
    if not isinstance(row, dict):
        return {"error": "the evaluation's JSON carries no 'row'", "seconds": seconds}
    return {"row": row, "seconds": seconds}


def render(results: list[tuple[EvalSet, dict[str, Any]]], skipped: list[str]) -> str:
    lines = [
        "| stage | set | items | newsflow | baseline | s |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for item, result in results:
        seconds = f"{result['seconds']:.0f}"
        if "error" in result:
            lines.append(
                f"| {item.stage} | {item.path} | | ERROR {result['error']} | | {seconds} |"
            )
            continue
        row = result["row"]
        baseline = row.get("baseline") or {}
        shown_baseline = (
            f"{baseline.get('name', '')}: {_format_figures(baseline.get('figures', {}))}"
            if baseline
            else ""
        )
        lines.append(
            f"| {row.get('stage', item.stage)} | {row.get('set', item.path)}"
            f" {'(dev)' if item.dev else '(our gold)'} | {row.get('items', '')}"
            f" | {_format_figures(row.get('figures', {}))} | {shown_baseline} | {seconds} |"
        )
    lines.extend(f"skipped: {reason}" for reason in skipped)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev-data", type=Path, default=Path("../shared/dev-data"))
    parser.add_argument("--out", type=Path, default=Path("eval-output"))
    parser.add_argument("--large", action="store_true", help="also the large sets (minutes)")
    parser.add_argument("--stage", action="append", help="only these stages (repeatable)")
    parser.add_argument("--newsflow", default=str(Path(sys.executable).parent / "newsflow"))
    args = parser.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    results: list[tuple[EvalSet, dict[str, Any]]] = []
    skipped: list[str] = []
    failed = False
    for item in SETS:
        if args.stage and item.stage not in args.stage:
            continue
        if item.large and not args.large:
            skipped.append(f"{item.path} (large: make eval-large)")
            continue
        gold = (args.dev_data / item.path) if item.dev else Path(item.path)
        if not gold.exists():
            skipped.append(f"{gold} (absent)")
            continue
        print(f"eval {item.stage} on {gold} ...", file=sys.stderr, flush=True)
        result = run_one(args.newsflow, item.stage, gold, args.out)
        failed = failed or "error" in result
        results.append((item, result))
    print(render(results, skipped))
    print(f"\nfull JSON of each run: {args.out}/", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

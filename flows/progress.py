"""A progress bar for long runs, fed by the flow's per-batch results."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from flows.processing import BatchResult
from flows.stream import BatchListener


@contextmanager
def batch_progress(total: int | None, enabled: bool = True) -> Iterator[BatchListener | None]:
    if not enabled:
        yield None
        return
    columns = (
        TextColumn("enriching"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("dead {task.fields[dead]}"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, transient=True) as bar:
        task_id = bar.add_task("enrich", total=total, dead=0)
        dead = 0

        def on_batch(result: BatchResult) -> None:
            nonlocal dead
            dead += result.dead
            bar.update(task_id, advance=result.received, dead=dead)

        yield on_batch

"""What a flow run reports in the Prefect UI: a Markdown artifact with its counts, and a run name
that says which data it covered.

The report is built by a pure function (tested without a server); publishing it is one call at
the end of each flow. Artifacts are keyed per flow, so the UI's Artifacts page shows the history
of every `ingest` (or `reprocess`, ...) report side by side.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from uuid import UUID

from flows.stream import RunSummary

TOP_N = 10
_STAGE_ORDER = ("decode", "cleaning", "entities", "quotes", "store")


def _cell(text: object) -> str:
    """Table cells must not break the Markdown table (pipes, newlines)."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: tuple[str, ...], rows: Sequence[tuple[object, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def top(counter: Counter[str], n: int = TOP_N) -> list[tuple[str, int]]:
    """Most frequent first, ties by name: the same run always gives the same report."""
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def _top(counter: Counter[str], one: str, many: str) -> list[str]:
    if not counter:
        return [f"_No {many} in this run._"]
    return _table((one, "count"), top(counter))


def offsets_label(summary: RunSummary) -> str:
    """`raw-articles[0]@120-183, raw-articles[1]@40-77`: what a Kafka run consumed."""
    return ", ".join(f"{tp}@{a}-{b}" for tp, (a, b) in sorted(summary.offsets.items()))


def run_report(summary: RunSummary, flow: str, sink: str) -> str:
    """The Markdown of a run's artifact."""
    rate = summary.received / summary.seconds if summary.seconds else 0.0
    lines = [
        f"## {flow}: {summary.source or 'no source'} → {sink}",
        "",
        *_table(
            ("articles in", "enriched", "dead-lettered", "batches", "seconds", "articles/s"),
            [
                (
                    summary.received,
                    summary.stored,
                    summary.dead,
                    summary.batches,
                    f"{summary.seconds:.2f}",
                    f"{rate:.1f}",
                )
            ],
        ),
        "",
        "### Seconds per stage",
        "",
    ]
    stages = sorted(
        summary.stage_seconds,
        key=lambda s: (_STAGE_ORDER.index(s) if s in _STAGE_ORDER else len(_STAGE_ORDER), s),
    )
    if stages:
        lines += _table(
            ("stage", "seconds", "ms per article"),
            [
                (
                    s,
                    f"{summary.stage_seconds[s]:.3f}",
                    f"{1000 * summary.stage_seconds[s] / summary.received:.1f}"
                    if summary.received
                    else "-",
                )
                for s in stages
            ],
        )
    else:
        lines.append("_No batch was processed._")
    if summary.offsets or summary.lag:
        lines += ["", "### Kafka offsets and lag", ""]
        partitions = sorted(set(summary.offsets) | set(summary.lag))
        lines += _table(
            ("partition", "first offset", "last offset", "lag after run"),
            [
                (
                    tp,
                    *(summary.offsets.get(tp) or ("-", "-")),
                    summary.lag.get(tp, "-"),
                )
                for tp in partitions
            ],
        )
    if summary.dead_reasons:
        lines += ["", "### Dead letters by reason", ""]
        lines += _table(("stage: error", "count"), summary.dead_reasons.most_common())
    lines += ["", f"### Top {TOP_N} entities", "", *_top(summary.entities, "entity", "entities")]
    lines += ["", f"### Top {TOP_N} speakers", "", *_top(summary.speakers, "speaker", "speakers")]
    # speakers no entity names ('a spokesman', a pronoun with no antecedent): kept apart, so
    # that the table above counts people, not ways of referring to them
    unnamed = _top(summary.unnamed_speakers, "mention", "unnamed speakers")
    lines += ["", f"### Top {TOP_N} unnamed speakers", "", *unnamed]
    return "\n".join(lines) + "\n"


def final_run_name(base: str, summary: RunSummary) -> str:
    """The run's name once it is done: what it was started as, plus the data it covered."""
    covered = offsets_label(summary) or f"{summary.received} articles"
    return f"{base} [{covered}]"


def publish_run_report(summary: RunSummary, flow: str, sink: str) -> None:
    """Attach the report to the current flow run and rename the run after what it covered."""
    from prefect.artifacts import create_markdown_artifact
    from prefect.client.orchestration import get_client
    from prefect.logging import get_run_logger
    from prefect.runtime import flow_run

    create_markdown_artifact(
        markdown=run_report(summary, flow, sink),
        key=f"{flow}-report",
        description=summary.line(),
    )
    run_id, name = flow_run.get_id(), flow_run.get_name()
    if run_id and name:
        try:
            with get_client(sync_client=True) as client:
                client.update_flow_run(UUID(str(run_id)), name=final_run_name(name, summary))
        except Exception as exc:  # a cosmetic rename must never fail a run that stored its data
            get_run_logger().warning("could not rename the run: %s", exc)

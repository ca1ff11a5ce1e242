"""`newsflow reprocess`: stored raw articles back through the stages into a sink."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.sinks.stores import LocalFolderStore
from flows.sources.stored import RawSelection, StoredRawSource, key_day

runner = CliRunner()

#: Original news-style articles written for these tests, on three days (one with no date).
ARTICLES = [
    {
        "url": "https://example.test/harbor-ferry",
        "source": "Coastal Ledger",
        "title": "Harbor council approves ferry expansion",
        "published_at": "2024-01-15T09:30:00Z",
        "body": (
            "The Port Alder city council voted 5-2 on Tuesday to add two ferry routes across "
            "the bay, ending a year of debate over the cost of the service.\n\n"
            '"This is the most important transit decision we will make this decade," said '
            "Mayor Elena Ruiz after the vote.\n\n"
            "Council member Tom Becker, who voted against the plan, said the city had not "
            "explained how it would pay for the new boats. The Harbor Transit Authority "
            "expects the first route to open in the spring."
        ),
    },
    {
        "url": "https://example.test/mill-closure",
        "source": "Valley Courier",
        "title": "Paper mill to close after ninety years",
        "published_at": "2024-01-20T16:05:00Z",
        "body": (
            "Northfield Paper Company will close its mill in Greer County in March, putting "
            "about 340 people out of work, the company said on Friday.\n\n"
            '"We looked at every option to keep the mill running," chief executive Dana '
            'Whitfield said in a statement. "None of them worked."\n\n'
            "Union leader Marcus Hale said workers learned of the closure from a notice "
            "posted at the gate."
        ),
    },
    {
        "url": "https://example.test/library-hours",
        "source": "Coastal Ledger",
        "title": "Libraries extend weekend hours",
        "published_at": "2024-02-03T08:00:00Z",
        "body": (
            "Public libraries in Port Alder will stay open until 8 p.m. on Saturdays starting "
            "next month, the library board announced.\n\n"
            '"Families told us weekends are when they can come," said head librarian Priya '
            "Natarajan. The change will cost about $60,000 a year."
        ),
    },
    {
        "url": "https://example.test/rain-record",
        "title": "Record rain floods two roads",
        "body": (
            "Heavy rain flooded two roads near the Alder River overnight, the county "
            "emergency office said. No one was hurt.\n\nOfficials said the river would crest "
            "by noon on Thursday."
        ),
    },
]


def write_articles(folder: Path) -> Path:
    """The test articles as .json files, plus one that is not an article (a dead letter)."""
    folder.mkdir(parents=True, exist_ok=True)
    for n, article in enumerate(ARTICLES):
        (folder / f"{n:02d}.json").write_text(json.dumps(article), encoding="utf-8")
    (folder / "99_bad.json").write_text('{"title": "no body"}', encoding="utf-8")
    return folder


def enrich_into(tmp: Path, name: str) -> Path:
    out = tmp / name
    result = runner.invoke(
        app, ["run", "--source", str(write_articles(tmp / "in")), "--sink", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out


def _documents(sink: Path) -> dict[str, dict[str, object]]:
    """Enriched documents by key, without what changes from run to run (time taken, when)."""
    docs = {}
    for path in sorted((sink / "enriched").rglob("*.json")):
        doc = json.loads(path.read_text())
        doc["pipeline"].pop("processed_at")
        doc["pipeline"].pop("seconds")
        docs[path.relative_to(sink).as_posix()] = doc
    return docs


def test_key_day_reads_only_raw_keys() -> None:
    assert key_day("raw/2024/01/15/abc.json") == date(2024, 1, 15)
    assert key_day("pre/fix/raw/2024/01/15/abc.json") == date(2024, 1, 15)
    assert key_day("enriched/2024/01/15/abc.json") is None
    assert key_day("raw/2024/13/15/abc.json") is None
    assert key_day("raw/2024/01/15/sub/abc.json") is None


def test_a_short_day_range_is_listed_day_by_day() -> None:
    selection = RawSelection("raw/2024/", date(2024, 1, 30), date(2024, 2, 2))
    assert selection.listing_prefixes() == [
        "raw/2024/01/30/",
        "raw/2024/01/31/",
        "raw/2024/02/01/",
        "raw/2024/02/02/",
    ]
    # A prefix narrower than a day is kept as it is, for the day it lies in.
    narrow = RawSelection("raw/2024/01/31/ab", date(2024, 1, 30), date(2024, 2, 2))
    assert narrow.listing_prefixes() == ["raw/2024/01/31/ab"]
    assert RawSelection("raw/2024/01/", date(2023, 1, 1), None).listing_prefixes() == [
        "raw/2024/01/"
    ]


@pytest.mark.usefixtures("prefect_server")
def test_reprocess_reproduces_the_enriched_documents(tmp_path: Path) -> None:
    original = enrich_into(tmp_path, "first")
    before = _documents(original)
    assert len(before) == len(ARTICLES)

    again = tmp_path / "again"
    result = runner.invoke(app, ["reprocess", "--from", str(original), "--to", str(again)])
    assert result.exit_code == 0, result.output
    assert f"processed {len(ARTICLES)} articles: {len(ARTICLES)} enriched" in result.output
    assert _documents(again) == before
    raw_keys = sorted(p.relative_to(again).as_posix() for p in (again / "raw").rglob("*.json"))
    assert raw_keys == sorted(
        p.relative_to(original).as_posix() for p in (original / "raw").rglob("*.json")
    )


@pytest.mark.usefixtures("prefect_server")
def test_reprocess_in_place_overwrites_and_selects_by_prefix_and_days(tmp_path: Path) -> None:
    sink = enrich_into(tmp_path, "sink")
    keys_before = sorted(p.relative_to(sink) for p in sink.rglob("*.json"))

    january = runner.invoke(
        app, ["reprocess", "--from", str(sink), "--to", str(sink), "--prefix", "raw/2024/01/"]
    )
    assert january.exit_code == 0, january.output
    assert "processed 2 articles: 2 enriched" in january.output
    assert sorted(p.relative_to(sink) for p in sink.rglob("*.json")) == keys_before

    days = tmp_path / "days"
    since_until = ["--since", "2024-01-16", "--until", "2024-02-03"]
    ranged = runner.invoke(app, ["reprocess", "--from", str(sink), "--to", str(days), *since_until])
    assert ranged.exit_code == 0, ranged.output
    expected = sorted(
        "enriched/" + p.relative_to(sink / "raw").as_posix()
        for day in ("2024/01/20", "2024/02/03")
        for p in (sink / "raw" / day).glob("*.json")
    )
    assert len(expected) == 2
    assert sorted(_documents(days)) == expected


def test_stored_source_keeps_the_day_of_an_undated_article(tmp_path: Path) -> None:
    store = LocalFolderStore(tmp_path)
    store.put("raw/2023/07/04/x.json", b'{"body": "text"}')
    store.put("enriched/2023/07/04/x.json", b"{}")
    store.put("raw/2023/07/05/y.json", b'{"body": "more"}')
    source = StoredRawSource(store, "", RawSelection(until=date(2023, 7, 4)))
    (batch,) = list(source.batches(10))
    assert [e.payload for e in batch] == [b'{"body": "text"}']
    assert batch[0].received_at.date() == date(2023, 7, 4)
    assert batch[0].origin.kind == "store" and batch[0].origin.path.endswith(
        "raw/2023/07/04/x.json"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--prefix", "enriched/"], "must start with raw/"),
        (["--since", "2024-02-01", "--until", "2024-01-01"], "is after"),
        (["--since", "yesterday"], "Invalid value"),
    ],
)
def test_reprocess_rejects_bad_selections(tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(
        app, ["reprocess", "--from", str(tmp_path), "--to", str(tmp_path), *args]
    )
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.usefixtures("prefect_server")
def test_a_failed_run_says_why(tmp_path: Path) -> None:
    from flows.reprocess import reprocess

    state = reprocess(
        source=str(tmp_path), target=str(tmp_path), prefix="enriched/", return_state=True
    )
    assert state.is_failed()
    assert "must start with 'raw/'" in (state.message or "")

"""The PolNeAR evaluation: reading brat attributions, the metric, and equality with the scorer.

The metric must equal the shared scorer's (`dev-data/eval/score_polnear.py`) number for number;
where `../shared` is present that is checked against the scorer itself on the whole dev split, with
a made-up prediction (every other gold quote, speakers right and wrong, noise), written out as
`newsflow run` would write it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import runpy
import sys
from pathlib import Path

import pytest

from evaluation.polnear import PolnearArticle, is_split, load_split, miss_pattern, score_items
from schemas import (
    CleanedArticle,
    Entity,
    EntityType,
    Mention,
    Quote,
    QuoteKind,
    RawArticle,
    Speaker,
)
from workers.base import WorkItem

DEV = Path(__file__).resolve().parents[2] / "shared" / "dev-data"
POLNEAR_DEV = DEV / "quotes" / "polnear-dev"
SCORER = DEV / "eval" / "score_polnear.py"

# an invented article in PolNeAR's layout: text/ANY.txt and attributions/ANY_annotator.ann
TEXT = (
    "Harbour fees to rise\n"
    "\n"
    "Port director Ilse Varga said the fees would rise in May. "
    "\u201cWe have no other choice left,\u201d she said. "
    "The union called it \u201ca tax on every sailor\u201d on Monday.\n"
)


def _offsets(piece: str) -> str:
    start = TEXT.index(piece)
    return f"{start} {start + len(piece)}\t{piece}"


ANN = "\n".join(
    [
        "T1\tSource " + _offsets("Port director Ilse Varga"),
        "T2\tCue " + _offsets("said"),
        "T3\tContent " + _offsets("the fees would rise in May"),
        "T4\tSource " + _offsets("she"),
        "T5\tCue " + _offsets("she said"),
        "T6\tContent " + _offsets("\u201cWe have no other choice left,\u201d"),
        "T7\tSource " + _offsets("The union"),
        "T8\tCue " + _offsets("called"),
        "T9\tContent " + _offsets("it \u201ca tax on every sailor\u201d"),
        "E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1",
        "E2\tAttribution:T5 Content:T6 Cue:T5 Source:T4",
        "E3\tAttribution:T8 Content:T9 Cue:T8 Source:T7",
    ]
)


@pytest.fixture
def split(tmp_path: Path) -> Path:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "port_fees.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "attributions" / "port_fees_ann1.ann").write_text(ANN, encoding="utf-8")
    return tmp_path


def test_reads_direct_and_reported_attributions(split: Path) -> None:
    assert is_split(split) and not is_split(split / "text")
    [art] = load_split(split)
    assert art.title == "Harbour fees to rise"
    assert [(g.text, g.source) for g in art.direct] == [
        ("We have no other choice left,", "she"),
        ("a tax on every sailor", "The union"),
    ]
    assert [(g.text, g.source) for g in art.reported] == [
        ("the fees would rise in May", "Port director Ilse Varga")
    ]


def _item(art_id: str, text: str, quotes: list[Quote], entities: list[Entity]) -> WorkItem:
    body = text.partition("\n")[2]
    cleaned = CleanedArticle(id=art_id, text=body, paragraphs=[], content_hash=art_id)
    item = WorkItem(raw=RawArticle(id=art_id, body=body), cleaned=cleaned)
    item.quotes, item.entities = quotes, entities
    return item


def test_scores_found_missed_false_and_speakers(split: Path) -> None:
    [art] = load_split(split)
    body = TEXT.partition("\n")[2]
    varga = Entity(
        id="e1",
        name="Ilse Varga",
        type=EntityType.PERSON,
        key="ilse varga|PERSON",
        mentions=[Mention(text="Ilse Varga", start=15, end=25)],
        count=1,
    )
    she = body.index("she said")
    quotes = [
        # found; a pronoun source counts apart, and is right when kept as the pronoun
        Quote(
            text="We have no other choice left,",
            start=0,
            end=1,
            kind=QuoteKind.DIRECT,
            speaker=Speaker(text="she", start=she, end=she + 3, entity_id="e1", name="Ilse Varga"),
        ),
        # a false quote
        Quote(text="entirely unrelated words here", start=0, end=1, kind=QuoteKind.DIRECT),
        # reported speech found by an indirect quote sharing half its words
        Quote(text="fees would rise", start=0, end=1, kind=QuoteKind.INDIRECT),
    ]
    scores = score_items([art], [_item("port_fees", TEXT, quotes, [varga])], "x")
    assert scores["row"]["figures"] == {
        "direct P": 0.5,
        "direct R": 0.5,
        "direct F1": 0.5,
        "speaker acc": 0.0,  # no named source among the found quotes
        "reported R": 1.0,
    }
    assert scores["speakers_pronoun"] == 1 and scores["pronoun_kept_or_resolved"] == 1.0
    assert list(scores["misses_by_pattern"]) == ["partial quote inside a sentence"]
    assert list(scores["false_by_pattern"]) == ["no cue of its own"]


def test_miss_patterns_read_the_text_before_the_mark() -> None:
    text = 'She said: "a b c d"\nHe was "e f g h" today.\n"i j k l"'
    assert miss_pattern(text, text.index("a b")) == "after a colon"
    assert miss_pattern(text, text.index("e f")) == "partial quote inside a sentence"
    assert miss_pattern(text, text.index("i j")) == "opens its paragraph"
    assert miss_pattern(text, -1) == "not in cleaned text"


def _fake_outputs(articles: list[PolnearArticle], out: Path) -> list[WorkItem]:
    """Every other gold direct quote as ours (speaker from the gold source, or a wrong one),
    every third reported content, and one false quote per article; written as enriched JSON."""
    items = []
    for n, art in enumerate(articles):
        quotes = []
        for i, g in enumerate(art.direct[::2]):
            speaker = Speaker(text=g.source or "x", start=0, end=0) if i % 3 else None
            quotes.append(
                Quote(text=g.text, start=0, end=0, kind=QuoteKind.DIRECT, speaker=speaker)
            )
        for g in art.reported[::3]:
            quotes.append(Quote(text=g.text, start=0, end=0, kind=QuoteKind.INDIRECT))
        quotes.append(Quote(text=f"noise {n} words", start=0, end=0, kind=QuoteKind.DIRECT))
        item = _item(art.stem, art.text, quotes, [])
        items.append(item)
        doc = {
            "title": art.title,
            "entities": [],
            "quotes": [q.model_dump(mode="json") for q in quotes],
        }
        (out / "enriched" / f"{art.stem}.json").write_text(json.dumps(doc), encoding="utf-8")
    return items


@pytest.mark.skipif(
    not SCORER.exists() and os.environ.get("CI") != "true", reason="no ../shared dev data"
)
def test_metric_equals_the_shared_scorer_on_the_dev_split(tmp_path: Path) -> None:
    assert SCORER.exists() and POLNEAR_DEV.exists(), "../shared/dev-data is missing"
    articles = load_split(POLNEAR_DEV)
    assert len(articles) == 84
    (tmp_path / "enriched").mkdir()
    items = _fake_outputs(articles, tmp_path)
    ours = score_items(articles, items, "polnear-dev")
    argv, sys.argv = sys.argv, [str(SCORER), str(POLNEAR_DEV), str(tmp_path)]
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            runpy.run_path(str(SCORER), run_name="__main__")
    except SystemExit:
        pass
    finally:
        sys.argv = argv
    theirs = json.loads(buf.getvalue())
    figures = ours["row"]["figures"]
    assert figures == {
        "direct P": theirs["direct_P"],
        "direct R": theirs["direct_R"],
        "direct F1": theirs["direct_F1"],
        "speaker acc": theirs["speaker_acc"],
        "reported R": theirs["reported_R"],
    }
    assert ours["speakers_named"] == theirs["speakers_named"] > 0
    assert ours["gold_direct"] == theirs["gold_direct"]
    assert ours["gold_reported"] == theirs["gold_reported"]

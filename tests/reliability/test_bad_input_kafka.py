"""A representative subset of the bad input, through the real broker: each message lands in the
DLQ topic with its stage, reason and origin (topic, partition, offset), and the good messages
around it are stored. The rest of the list runs through the file flow (tests/test_bad_input.py)."""

from __future__ import annotations

import json

import pytest

from flows.sinks.keys import safe_id
from schemas import RawArticle
from tests.reliability.helpers import Pipeline, make_articles

pytestmark = pytest.mark.integration

GOOD = "The council of Lyon met on Tuesday to vote on the new tram budget, officials said."

#: payload -> (stage, error type, words the reason must contain)
BAD: list[tuple[bytes, tuple[str, str, str]]] = [
    (b"this is { not json", ("decode", "JSONDecodeError", "payload is not JSON")),
    ("Caf\u00e9 in Lyon".encode("latin-1"), ("decode", "UnicodeDecodeError", "not UTF-8")),
    (b"[1, 2, 3]", ("validate", "ValidationError", "must be a JSON object")),
    (b'{"title": "Empty", "body": "  "}', ("validate", "ValidationError", "body is empty")),
    (b'{"title": "No body"}', ("validate", "ValidationError", "body: Field required")),
    (
        json.dumps({"title": "Bad\u0001title", "body": GOOD}).encode(),
        ("validate", "ValidationError", "title contains control characters"),
    ),
    (
        b'{"body": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        ("decode", "JSONDecodeError", "not JSON"),
    ),
]


def _ingest(pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """The consume flow in this process (no subprocess start-up), on the test's own topics."""
    from flows.ingest import ingest

    for key, value in pipeline.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    return ingest(sink=f"s3://{pipeline.bucket}/", max_batch=8, max_wait=0.5)


def test_bad_messages_reach_the_dlq_with_reasons_and_the_rest_is_stored(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = make_articles(3, "kbad")
    escaping = RawArticle(id="../../etc/passwd", body=GOOD, title="Escape")
    pipeline.publish(good[:1])
    pipeline.send_raw([payload for payload, _ in BAD])
    pipeline.publish([escaping, *good[1:]])

    result = _ingest(pipeline, monkeypatch)

    assert (result["processed"], result["enriched"], result["dead_lettered"]) == (11, 4, 7)
    letters = sorted(pipeline.dead_letters(), key=lambda d: d["origin"]["offset"])
    assert [d["origin"]["offset"] for d in letters] == list(range(1, 8))  # offsets 1..7 are bad
    for letter, (payload, (stage, error_type, words)) in zip(letters, BAD, strict=True):
        assert (letter["stage"], letter["error_type"]) == (stage, error_type), letter["reason"]
        assert words in letter["reason"]
        assert letter["origin"]["topic"] == pipeline.topic and letter["origin"]["key"] == "bad"
        if letter["payload_encoding"] == "utf-8":
            assert letter["payload"].encode() == payload  # kept as it came, ready to replay
    keys = pipeline.keys("enriched/")
    assert len(keys) == 4
    assert any(k.endswith(f"/{safe_id(escaping.id)}.json") for k in keys)
    assert all(k.startswith("enriched/") and ".." not in k.split("/") for k in keys)
    assert pipeline.lag() == 0


def test_an_article_within_the_size_limits_passes_the_broker(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    import random
    import string

    rng = random.Random(7)
    words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 9))) for _ in range(5000)]
    # Prose, not a word list: sentences in paragraphs, so cleaning keeps it as article text.
    sentences = (
        "The " + " ".join(rng.choice(words) for _ in range(14)) + " said officials."
        for _ in range(30_000)
    )
    paragraphs = (" ".join(next(sentences) for _ in range(6)) for _ in range(5_000))
    body = "\n\n".join(paragraphs)[:2_500_000]
    article = RawArticle(id="big-article", title="A long report", body=body)
    pipeline.publish([article])
    result = _ingest(pipeline, monkeypatch)
    assert result["enriched"] == 1

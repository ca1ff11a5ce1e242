"""The contracts reject what is wrong with messages a producer can act on."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from schemas import EnrichedDocument, PipelineInfo, RawArticle
from schemas.jsonschema_export import JSON_DIR, rendered_schemas


def test_json_schemas_on_disk_are_current() -> None:
    for filename, text in rendered_schemas().items():
        path = JSON_DIR / filename
        assert path.exists(), f"{path} missing: run python -m schemas.jsonschema_export"
        assert path.read_text(encoding="utf-8") == text, (
            f"{path} is stale: run python -m schemas.jsonschema_export"
        )


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"body": "   "}, "body", "empty"),
        ({"body": "x", "content_type": "application/pdf"}, "content_type", "text/plain"),
        ({"body": "x", "published_at": "yesterday"}, "published_at", "datetime"),
        ({"body": "x", "id": "a\x00b"}, "id", "control"),
        ({"body": "x", "colour": "red"}, "colour", "extra"),
        ({"body": "x", "metadata": {"a": 1}}, "metadata", "string"),
    ],
)
def test_raw_article_rejects_with_field_and_reason(data: dict, field: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        RawArticle.model_validate(data)
    errors = info.value.errors()
    assert any(field in ".".join(map(str, e["loc"])) for e in errors), errors
    assert words.lower() in str(info.value).lower()


def test_id_is_derived_from_url_then_content() -> None:
    a = RawArticle(body="Same text", url="https://example.org/a")
    b = RawArticle(body="Other text", url="https://example.org/a")
    c = RawArticle(body="Same text")
    d = RawArticle(body="Same text")
    assert a.id == b.id != c.id
    assert c.id == d.id and len(c.id) == 16


def test_naive_dates_are_read_as_utc() -> None:
    a = RawArticle(body="x", published_at="2024-01-02T03:04:05")
    assert a.published_at is not None and a.published_at.utcoffset().total_seconds() == 0


def _doc(**over: object) -> dict:
    base = {
        "id": "a",
        "text": "Putin said hello.",
        "content_hash": "h",
        "pipeline": PipelineInfo(version="1", stages={}, processed_at="2024-01-01T00:00:00Z"),
    }
    base.update(over)
    return base


def test_enriched_document_rejects_spans_outside_text() -> None:
    with pytest.raises(ValidationError, match="outside text"):
        EnrichedDocument(**_doc(paragraphs=[(0, 99)]))


def test_enriched_document_rejects_mention_that_does_not_match_text() -> None:
    entity = {
        "id": "e1",
        "name": "Vladimir Putin",
        "type": "PERSON",
        "key": "vladimir putin|PERSON",
        "mentions": [{"text": "Putin", "start": 1, "end": 6}],
        "count": 1,
    }
    with pytest.raises(ValidationError, match="does not match"):
        EnrichedDocument(**_doc(entities=[entity]))


def test_speaker_must_point_to_an_entity() -> None:
    quote = {
        "text": "hello",
        "start": 11,
        "end": 16,
        "kind": "indirect",
        "speaker": {"text": "Putin", "start": 0, "end": 5, "entity_id": "e9"},
    }
    with pytest.raises(ValidationError, match="not an entity"):
        EnrichedDocument(**_doc(quotes=[quote]))


def test_schema_files_are_valid_json_schemas() -> None:
    from jsonschema import Draft202012Validator

    for path in JSON_DIR.glob("*.schema.json"):
        Draft202012Validator.check_schema(json.loads(path.read_text()))

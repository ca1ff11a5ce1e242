"""Turns a producer's bytes into a RawArticle, or says exactly why it cannot."""

from __future__ import annotations

import json

from pydantic import ValidationError

from schemas import FailedStage, RawArticle
from workers.base import StageFailure

#: Bytes beyond this are refused before parsing; RawArticle bounds the body itself, this bounds
#: the whole message including any padding around it.
MAX_PAYLOAD_BYTES = 6_000_000


def format_validation_error(exc: ValidationError) -> str:
    """One line per problem, naming the field, so a producer can act on it."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(document)"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def decode_raw_article(payload: bytes) -> RawArticle | StageFailure:
    if len(payload) > MAX_PAYLOAD_BYTES:
        return StageFailure(
            FailedStage.DECODE,
            "PayloadTooLarge",
            f"payload is {len(payload)} bytes; the limit is {MAX_PAYLOAD_BYTES}",
        )
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        return StageFailure(
            FailedStage.DECODE, "UnicodeDecodeError", f"payload is not UTF-8: {exc}"
        )
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        return StageFailure(FailedStage.DECODE, "JSONDecodeError", f"payload is not JSON: {exc}")
    if not isinstance(data, dict):
        return StageFailure(
            FailedStage.VALIDATE,
            "ValidationError",
            f"payload must be a JSON object (a RawArticle), got {type(data).__name__}",
        )
    try:
        return RawArticle.model_validate(data)
    except ValidationError as exc:
        return StageFailure(FailedStage.VALIDATE, "ValidationError", format_validation_error(exc))

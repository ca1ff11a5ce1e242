"""Turns a failure into a DeadLetter that keeps the original payload and says why."""

from __future__ import annotations

import base64

from schemas import DeadLetter, Origin
from workers.base import StageFailure

#: A dead letter carries the payload so it can be replayed; beyond this it keeps only the head
#: (and says so), since the full message still sits at its origin (topic offset or file path).
MAX_DEAD_PAYLOAD_BYTES = 1_000_000


def make_dead_letter(
    payload: bytes, origin: Origin, failure: StageFailure, article_id: str | None = None
) -> DeadLetter:
    truncated = len(payload) > MAX_DEAD_PAYLOAD_BYTES
    head = payload[:MAX_DEAD_PAYLOAD_BYTES]
    try:
        text, encoding = head.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = base64.b64encode(head).decode("ascii"), "base64"
    return DeadLetter(
        payload=text,
        payload_encoding=encoding,  # type: ignore[arg-type]
        payload_truncated=truncated,
        origin=origin,
        stage=failure.stage,
        error_type=failure.error_type,
        reason=failure.reason,
        article_id=article_id,
    )

"""Object keys of docs/architecture.md, made so that nothing a producer sends can escape
the prefix."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_ID_IN_KEY = 100


def safe_id(article_id: str) -> str:
    """An id usable as one path segment on every store and file system.

    Ids that are already safe are kept as they are (readers can find them); anything else
    ("../../etc", slashes, spaces, unicode) is reduced to safe characters, suffixed with a hash of
    the original, so two different ids can never collide and none can climb out of its folder.
    """
    if (
        _UNSAFE.search(article_id) is None
        and len(article_id) <= MAX_ID_IN_KEY
        and (article_id.strip(".") == article_id and article_id)
    ):
        return article_id
    digest = hashlib.sha256(article_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    stem = _UNSAFE.sub("_", article_id).strip("._")[:MAX_ID_IN_KEY]
    return f"{stem}-{digest}" if stem else digest


def _day(when: datetime) -> str:
    return when.strftime("%Y/%m/%d")


def raw_key(article_id: str, when: datetime) -> str:
    return f"raw/{_day(when)}/{safe_id(article_id)}.json"


def enriched_key(article_id: str, when: datetime) -> str:
    return f"enriched/{_day(when)}/{safe_id(article_id)}.json"


def dead_key(payload: bytes, origin: str, when: datetime) -> str:
    """Dead letters are keyed by what failed and where from, so a retried batch overwrites its own
    dead letters instead of adding copies."""
    digest = hashlib.sha256(origin.encode() + b"\0" + payload).hexdigest()[:24]
    return f"dead/{_day(when)}/{digest}.json"

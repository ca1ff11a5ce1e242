"""Raw articles a sink stored earlier (`raw/YYYY/MM/DD/<id>.json`), as a source to reprocess.

The stored bytes are exactly what the flow received, so replaying them through the same decode ->
stages -> sink path reproduces the enriched documents (or re-enriches them after a worker changed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.retries import TRANSIENT_RETRIES
from flows.sinks.stores import ObjectStore
from flows.sources.base import Envelope, Source
from schemas import Origin

RAW_KEY = re.compile(r"(?:^|/)raw/(\d{4})/(\d{2})/(\d{2})/[^/]+\.json$")

#: A date range longer than this is listed as one prefix and filtered, not one LIST per day.
MAX_DAYS_LISTED_ONE_BY_ONE = 400


def key_day(key: str) -> date | None:
    """The day in a raw key, or None for anything that is not a stored raw article."""
    match = RAW_KEY.search(key)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class RawSelection:
    """Which stored raw articles to take: a key prefix under the store's root and a day range."""

    prefix: str = "raw/"
    since: date | None = None
    until: date | None = None

    def describe(self) -> str:
        parts = [self.prefix or "raw/"]
        if self.since or self.until:
            parts.append(f"{self.since or '…'}..{self.until or '…'}")
        return " ".join(parts)

    def accepts(self, key_under_root: str) -> bool:
        day = key_day(key_under_root)
        if day is None or not key_under_root.startswith(self.prefix):
            return False
        return not (
            (self.since is not None and day < self.since)
            or (self.until is not None and day > self.until)
        )

    def listing_prefixes(self) -> list[str]:
        """One LIST per day when the range is bounded and short (cheap on a big bucket), else the
        prefix itself, filtered afterwards."""
        if self.since is None or self.until is None or self.since > self.until:
            return [self.prefix]
        days = (self.until - self.since).days + 1
        if days > MAX_DAYS_LISTED_ONE_BY_ONE:
            return [self.prefix]
        prefixes = []
        for n in range(days):
            day_prefix = f"raw/{(self.since + timedelta(days=n)):%Y/%m/%d}/"
            # Keep a day only where it and the prefix can both hold: one must extend the other.
            if day_prefix.startswith(self.prefix):
                prefixes.append(day_prefix)
            elif self.prefix.startswith(day_prefix):
                prefixes.append(self.prefix)
        return list(dict.fromkeys(prefixes))


@task(name="list-raw", cache_policy=NO_CACHE, **TRANSIENT_RETRIES)
def list_raw_keys(store: ObjectStore, root: str, selection: RawSelection) -> list[str]:
    """Keys (under the store, root included) of the selected raw articles, sorted by day then id."""
    keys: set[str] = set()
    for prefix in selection.listing_prefixes():
        for key in store.list_keys(root + prefix):
            if selection.accepts(key[len(root) :]):
                keys.add(key)
    return sorted(keys)


@task(name="read-raw", cache_policy=NO_CACHE, **TRANSIENT_RETRIES)
def read_objects(store: ObjectStore, keys: list[str]) -> list[bytes]:
    """A transient store error retries the batch read; a missing object fails it with the key."""
    return [store.get(key) for key in keys]


class StoredRawSource(Source):
    """A finite source over stored raw articles; nothing to commit (the store keeps them)."""

    def __init__(
        self, store: ObjectStore, root: str = "", selection: RawSelection | None = None
    ) -> None:
        self.store = store
        self.root = root.strip("/") + "/" if root.strip("/") else ""
        self.selection = selection or RawSelection()
        self._keys: list[str] | None = None

    def describe(self) -> str:
        where = self.store.describe() + ("/" + self.root.rstrip("/") if self.root else "")
        return f"store:{where} {self.selection.describe()}"

    @property
    def keys(self) -> list[str]:
        if self._keys is None:
            self._keys = list_raw_keys(self.store, self.root, self.selection)
        return self._keys

    def batches(self, max_batch: int) -> Iterator[list[Envelope]]:
        keys = self.keys
        for start in range(0, len(keys), max_batch):
            chunk = keys[start : start + max_batch]
            payloads = read_objects(self.store, chunk)
            batch = []
            for key, payload in zip(chunk, payloads, strict=True):
                day = key_day(key[len(self.root) :])
                assert day is not None  # listed keys are raw keys
                # The key's day is the day it was received when it had no published_at, so the
                # reprocessed document lands under the same day as the original.
                received = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
                origin = Origin(kind="store", path=f"{self.store.describe()}/{key}")
                batch.append(Envelope(payload, origin, received_at=received))
            yield batch

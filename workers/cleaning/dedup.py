"""Near-duplicate detection over a stream: syndicated copies point at the first copy seen.

MinHash over word 5-shingles estimates Jaccard similarity; banded LSH keys find candidates, and a
candidate counts only when its full signature agrees on at least `threshold` of the values.

Why not datasketch (used before, measured with cProfile, tracemalloc and a consumer's RSS):
- it hashed every shingle with a Python-level sha1 call (~1 ms of the stage's CPU per article).
  Here each *word* is hashed once (crc32), a shingle's hash is a polynomial of its five word
  hashes, and the 128 permutations are one vectorised multiply-add over all shingles (~0.2 ms);
- its LSH index stores band keys in a dict of sets, ~2.5-4.7 KB per remembered article, growing
  with every article up to the horizon (a consumer's RSS grew by a third over 20,000 articles).
  Here the index is a fixed-size ring of signatures and band keys, allocated and touched when the
  index is built, so memory does not grow with the stream (~12 MB for 20,000 articles).

The permutations are drawn from a fixed seed, so signatures are the same in every process and
run. Bands and rows are chosen as datasketch's `MinHashLSH` chooses them (the pair that minimises
the equally weighted false-positive and false-negative areas around the threshold).

Dedup horizon: the index remembers the most recent `DEDUP_HORIZON` articles (oldest evicted
first). A copy arriving after that many newer articles is not recognised; syndicated copies of
wire news arrive within hours, far inside the horizon, and the bound keeps memory flat.
"""

from __future__ import annotations

import re
import zlib
from functools import cache

import numpy as np

NUM_PERM = 128
SHINGLE = 5
#: How many of the most recent articles a copy is compared with.
DEDUP_HORIZON = 20_000
_WORD = re.compile(r"\w+")

_RNG = np.random.Generator(np.random.PCG64(20240301))
#: Multiply-add-shift hashing of 32-bit keys, ((a * x + b) mod 2^64) >> 32 with odd a: a
#: 2-independent family, one member per permutation.
_PERM_A = _RNG.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_PERM_B = _RNG.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2)
#: A shingle's hash is sum(word_hash[k] * _SHINGLE_MUL[k]), so word order matters.
_SHINGLE_MUL = _RNG.integers(0, 2**63, size=SHINGLE, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
#: Mixes the r values of one band into one 64-bit key.
_BAND_MUL = _RNG.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_SHIFT32 = np.uint64(32)


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit reaches the low 32 bits the permutations read."""
    x = x ^ (x >> np.uint64(30))
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the word 5-shingles of the lower-cased text (a text of fewer words is one
    shingle, an empty text the empty shingle), as uint64."""
    words = _WORD.findall(text.lower())
    hashes = np.fromiter((zlib.crc32(w.encode()) for w in words), np.uint64, len(words))
    span = min(SHINGLE, len(words))
    count = max(1, len(words) - SHINGLE + 1)
    combined = np.zeros(count, np.uint64)
    for k in range(span):
        combined += hashes[k : k + count] * _SHINGLE_MUL[k]
    return _mix64(combined) & np.uint64(0xFFFFFFFF)


def minhash(text: str) -> np.ndarray:
    """The text's MinHash signature: NUM_PERM uint32 values."""
    values = np.multiply.outer(_PERM_A, shingle_hashes(text))
    values += _PERM_B[:, None]
    # x >> 32 is monotonic, so the minimum can be taken before the shift
    return (values.min(axis=1) >> _SHIFT32).astype(np.uint32)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures: the share of equal values."""
    return float(np.count_nonzero(a == b)) / len(a)


@cache
def bands_and_rows(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """The (bands, rows) pair datasketch's MinHashLSH uses for this threshold: the one with the
    smallest sum of false-positive area below the threshold and false-negative area above it
    (the S-curve 1 - (1 - s^r)^b), integrated numerically."""
    pairs = np.array(
        [(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)], float
    )
    b, r = pairs[:, :1], pairs[:, 1:]
    below = np.linspace(0.0, threshold, 1001)[None, :]
    above = np.linspace(threshold, 1.0, 1001)[None, :]
    false_pos = np.trapezoid(1 - (1 - below**r) ** b, below, axis=1)
    false_neg = np.trapezoid((1 - above**r) ** b, above, axis=1)
    best = int(np.argmin(false_pos + false_neg))
    return int(pairs[best, 0]), int(pairs[best, 1])


class DuplicateIndex:
    """Remembers the most recent articles and answers "which earlier one is this a copy of?".

    Storage is a ring of `capacity` slots, allocated (and its pages touched) at construction:
    signatures (capacity x NUM_PERM uint32), band keys (bands x capacity uint64, one contiguous
    row per band for the vectorised look-up), and each slot's arrival order. Only the id <-> slot
    mapping is Python objects, bounded by the capacity.
    """

    def __init__(self, threshold: float, capacity: int = DEDUP_HORIZON) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.threshold = threshold
        self.capacity = capacity
        self.bands, self.rows = bands_and_rows(threshold)
        # np.full writes every page now: resident memory is what it will be at the horizon
        self._signatures = np.full((capacity, NUM_PERM), 0, np.uint32)
        self._keys = np.full((self.bands, capacity), 0, np.uint64)
        self._order = np.full(capacity, -1, np.int64)  # first-arrival number; -1 = empty slot
        self._ids: list[str | None] = [None] * capacity
        self._slot_of: dict[str, int] = {}
        self._counter = 0

    def __len__(self) -> int:
        return len(self._slot_of)

    def _band_keys(self, signature: np.ndarray) -> np.ndarray:
        used = self.bands * self.rows
        rows = signature[:used].astype(np.uint64).reshape(self.bands, self.rows)
        return (rows * _BAND_MUL[:used].reshape(self.bands, self.rows)).sum(axis=1, dtype=np.uint64)

    def check_and_add(self, article_id: str, text: str) -> str | None:
        """The id of the earliest remembered near-duplicate, then remember this article.

        A redelivered id keeps its place in the order: it is compared only with articles seen
        before its first delivery, so it is never a duplicate of itself or of its own copies.
        """
        signature = minhash(text)
        keys = self._band_keys(signature)
        known = self._slot_of.get(article_id)
        before = int(self._order[known]) if known is not None else self._counter + 1
        original = self._earliest_match(signature, keys, before)
        if known is None:
            self._counter += 1
            slot = (self._counter - 1) % self.capacity
            evicted = self._ids[slot]
            if evicted is not None:
                del self._slot_of[evicted]
            self._ids[slot] = article_id
            self._slot_of[article_id] = slot
            self._order[slot] = before
        else:
            slot = known
        self._signatures[slot] = signature
        self._keys[:, slot] = keys
        return original

    def _earliest_match(self, signature: np.ndarray, keys: np.ndarray, before: int) -> str | None:
        """Slots sharing a band key, arrived before `before`, whose signatures agree enough."""
        hit = self._keys[0] == keys[0]
        for band in range(1, self.bands):
            hit |= self._keys[band] == keys[band]
        slots = np.flatnonzero(hit)
        if not len(slots):
            return None
        order = self._order[slots]
        slots = slots[(order >= 0) & (order < before)]
        if not len(slots):
            return None
        agree = np.count_nonzero(self._signatures[slots] == signature, axis=1) / NUM_PERM
        slots = slots[agree >= self.threshold]
        if not len(slots):
            return None
        return self._ids[int(slots[np.argmin(self._order[slots])])]

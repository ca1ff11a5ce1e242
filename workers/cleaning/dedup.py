"""Near-duplicate detection over a stream: syndicated copies point at the first copy seen.

MinHash over word 5-shingles estimates Jaccard similarity; an LSH index finds candidates in
sub-linear time.

Cost and memory, measured with cProfile and tracemalloc (see the cleaning stage commits):
- every datasketch MinHash used to draw its own 128 random permutations; they are drawn once
  here and shared (same seed, so the same signatures as before);
- a remembered article keeps only its uint32 signature, not a MinHash object with its own
  permutation arrays.

Dedup horizon: the index remembers the most recent `DEDUP_HORIZON` articles (oldest evicted
first). A copy arriving after that many newer articles is not recognised; syndicated copies of
wire news arrive within hours, far inside the horizon, and the bound keeps a long-running
consumer's memory flat.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE = 5
#: How many of the most recent articles a copy is compared with.
DEDUP_HORIZON = 20_000
_WORD = re.compile(r"\w+")
#: Drawn once per process: building them was a quarter of the MinHash cost.
_TEMPLATE = MinHash(num_perm=NUM_PERM)
_PERMUTATIONS, _SCHEME = _TEMPLATE.permutations, _TEMPLATE.scheme


@dataclass(frozen=True, slots=True)
class Signature:
    """A frozen MinHash signature: what the LSH index and the Jaccard check need, nothing more."""

    hashvalues: np.ndarray  # uint32, NUM_PERM values

    def __len__(self) -> int:
        return len(self.hashvalues)

    def jaccard(self, other: Signature) -> float:
        return float(np.count_nonzero(self.hashvalues == other.hashvalues)) / len(self)


def minhash(text: str) -> Signature:
    words = _WORD.findall(text.lower())
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    mh = MinHash(num_perm=NUM_PERM, permutations=_PERMUTATIONS, scheme=_SCHEME)
    mh.update_batch([s.encode("utf-8") for s in shingles])
    return Signature(mh.hashvalues.astype(np.uint32, copy=True))


class DuplicateIndex:
    """Remembers the articles it has seen and answers "which earlier one is this a copy of?"."""

    def __init__(self, threshold: float, capacity: int = DEDUP_HORIZON) -> None:
        self.threshold = threshold
        self.capacity = capacity
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._seen: OrderedDict[str, tuple[int, Signature]] = OrderedDict()
        self._counter = 0

    def __len__(self) -> int:
        return len(self._seen)

    def check_and_add(self, article_id: str, text: str) -> str | None:
        """The id of the earliest remembered near-duplicate, then remember this article.

        A redelivered id keeps its place in the order: it is compared only with articles seen
        before its first delivery, so it is never a duplicate of itself or of its own copies.
        """
        mh = minhash(text)
        known = self._seen.get(article_id)
        before = known[0] if known else self._counter + 1
        candidates = [
            key
            for key in self._lsh.query(mh)
            if key != article_id
            and self._seen[key][0] < before
            and self._seen[key][1].jaccard(mh) >= self.threshold
        ]
        original = min(candidates, key=lambda key: self._seen[key][0]) if candidates else None
        if known:
            self._lsh.remove(article_id)
        else:
            self._counter += 1
        self._lsh.insert(article_id, mh)
        self._seen[article_id] = (before, mh)
        while len(self._seen) > self.capacity:
            old, _ = self._seen.popitem(last=False)
            self._lsh.remove(old)
        return original

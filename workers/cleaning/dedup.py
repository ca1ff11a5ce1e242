"""Near-duplicate detection over a stream: syndicated copies point at the first copy seen.

MinHash over word 5-shingles estimates Jaccard similarity; an LSH index finds candidates in
sub-linear time. The index is bounded (oldest entries evicted) so a long-running consumer does not
grow without limit.
"""

from __future__ import annotations

import re
from collections import OrderedDict

from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE = 5
_WORD = re.compile(r"\w+")


def minhash(text: str) -> MinHash:
    words = _WORD.findall(text.lower())
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    mh = MinHash(num_perm=NUM_PERM)
    mh.update_batch([s.encode("utf-8") for s in shingles])
    return mh


class DuplicateIndex:
    """Remembers the articles it has seen and answers "which earlier one is this a copy of?"."""

    def __init__(self, threshold: float, capacity: int = 100_000) -> None:
        self.threshold = threshold
        self.capacity = capacity
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._seen: OrderedDict[str, tuple[int, MinHash]] = OrderedDict()
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

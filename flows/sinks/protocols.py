"""The one capability the flow needs from wherever dead letters go (a folder, a bucket, a topic)."""

from __future__ import annotations

from typing import Protocol

from schemas import DeadLetter


class DeadLetterWriter(Protocol):
    def write_dead_letters(self, letters: list[DeadLetter]) -> list[str]:
        """Persist every letter before returning; return where each went."""
        ...

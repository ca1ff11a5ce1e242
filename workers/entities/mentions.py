"""Entity mentions from a parsed Doc: the model's spans, corrected by rules.

The corrections are post-rules on token spans rather than an EntityRuler inside the pipeline, so
that they apply to whatever pipeline the user configures (sm, lg or trf) without changing the
shared, cached `Language` object the quote stage also uses.

Conventions (the gold set follows them): a mention never includes a leading article ("the"),
a title or honorific ("President", "Mr."), or a trailing possessive ("'s").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from workers.entities.gazetteer import (
    CALENDAR,
    CLUB_ROLES,
    COMPETITION_STAGES,
    EVENT_WORDS,
    FAC_WORDS,
    GEO_PREFIXES,
    LAW_WORDS,
    LOCATIVE_PREPS,
    NOT_PERSON_WORDS,
    ORG_AFTER,
    ORG_NOUNS,
    ORG_WORDS,
    PLACE_CUES,
    PLACE_NOUNS,
    PRODUCT_NOUNS,
    SCHOOL_WORDS,
    demonyms,
    is_given_name,
    is_person_title,
    is_title,
    known_names,
)
from workers.entities.lexicon import lexicon
from workers.nlp import Columns, columns_of

#: The model labels the stage keeps: the EntityType values. Dates, numbers and money are left out.
KEPT_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)
_LEADING_JUNK = frozenset({"the", "a", "an", "both", "former", "then", "late"})
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_MAX_NAME_TOKENS = 8


@dataclass(slots=True)
class Candidate:
    """A mention as a token range [start, end) with a label and where the label came from."""

    start: int
    end: int
    label: str
    source: str  # "model", "gazetteer" or "rule": gazetteer and rule labels outvote the model

    def span(self, doc: Doc) -> Span:
        return doc[self.start : self.end]


def _is_name_token(text: str) -> bool:
    """Capitalised word that can be part of a proper name ("Okafor", "O'Brien", "al-Rashid")."""
    return bool(text) and (text[0].isupper() or text[:3] in {"al-", "el-", "bin", "van", "von"})


def _is_acronym(text: str) -> bool:
    letters = text.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


def _is_camel(text: str) -> bool:
    """ "AcmeSoft", "ZentaQ": brand-style capitals, not people or places ("McCormick" is a name)."""
    if text.startswith(("Mc", "Mac", "O'", "De", "Di", "La", "Le")):
        return False
    return (
        text.isalpha()
        and text[0].isupper()
        and any(c.isupper() for c in text[1:])
        and not text.isupper()
    )


def _trim(t: Columns, start: int, end: int) -> tuple[int, int]:
    """Drop leading articles and punctuation and trailing possessives and punctuation; a model
    span's lower-case edges ("the pro-reform X union", "X news agency", "X province") and a
    leading month ("August X Index") are description, not name."""
    while start < end and (
        t.lower[start] in _LEADING_JUNK
        or t.punct[start]
        or t.space[start]
        or (end - start > 1 and _lower_word(t, start) and t.lower[start] not in _PARTICLES)
        or (end - start > 1 and t.words[start] in CALENDAR and t.words[start + 1][:1].isupper())
    ):
        start += 1
    while end > start and (
        t.words[end - 1] in _POSSESSIVE
        or t.punct[end - 1]
        or t.space[end - 1]
        or (end - start > 1 and _lower_word(t, end - 1))
        or (end - start > 1 and t.words[end - 1][:1].isdigit())  # "X Sox 7-0", "Y 75th"
    ):
        # keep the full stop of an abbreviation inside a token ("U.S." is one token)
        end -= 1
    return start, end


#: Lower-case words that start or join personal names ("de Gaulle", "van der Berg").
_PARTICLES = lexicon().name_particles


def _lower_word(t: Columns, i: int) -> bool:
    return t.alpha[i] and t.words[i].islower()


def _split_title(t: Columns, cand: Candidate) -> list[Candidate]:
    """ "Estonian President Ada Okafor" -> NORP "Estonian" + PERSON "Ada Okafor".

    A title inside a span followed by name tokens marks the rest as a person; what stands before
    the title (a country, a demonym, an organisation) becomes its own mention.
    """
    words = t.words
    last_title = -1
    for i in range(cand.start, cand.end - 1):
        word = words[i]
        if not (is_person_title(word) or (cand.label == "PERSON" and is_title(word))):
            continue
        rest = words[i + 1 : cand.end]
        if all(_is_name_token(w) for w in rest) and not any(w in ORG_WORDS for w in rest):
            last_title = i
    if last_title < 0:
        return [cand]
    out = [
        Candidate(
            last_title + 1, cand.end, "PERSON", "rule" if cand.label != "PERSON" else cand.source
        )
    ]
    first_title = last_title
    while first_title > cand.start and is_title(words[first_title - 1]):
        first_title -= 1
    start, end = _trim(t, cand.start, first_title)
    # keep what stood before the title only when a list knows it (a demonym, a capital)
    prefix = t.span_text(start, end)
    if start < end and prefix in demonyms():
        out.insert(0, Candidate(start, end, "NORP", "rule"))
    elif start < end and prefix in known_names():
        out.insert(0, Candidate(start, end, known_names()[prefix], "gazetteer"))
    elif end - start == 1 and _is_acronym(words[start]):
        out.insert(0, Candidate(start, end, "ORG", "rule"))
    return out


def _after_person_title(t: Columns, cand: Candidate) -> bool:
    """True for "President Ada Okafor" when the model called the name an ORG."""
    if cand.start == 0 or cand.end - cand.start > 4:
        return False
    if not is_person_title(t.words[cand.start - 1]):
        return False
    # "the President's Office" or "Ukraine's President" are not a title before a name
    words = t.words[cand.start : cand.end]
    if t.span_text(cand.start, cand.end) in known_names() or any(w in ORG_WORDS for w in words):
        return False
    return all(
        w[:1].isupper() and alpha
        for w, alpha in zip(words, t.alpha[cand.start : cand.end], strict=True)
    )


def model_candidates(t: Columns, ents: list[tuple[int, int, str]]) -> list[Candidate]:
    """`ents` are the model's entities as (start, end, label) token ranges."""
    out: list[Candidate] = []
    for ent_start, ent_end, label in ents:
        if label not in KEPT_LABELS:
            continue
        start, end = _trim(t, ent_start, ent_end)
        if "(" in t.words[start:end]:  # "Long Name (ACR": the acronym is a mention of its own
            start, end = _trim(t, start, t.words.index("(", start, end))
        if start >= end:
            continue
        for cand in _split_title(t, Candidate(start, end, label, "model")):
            out.append(_relabel(t, cand))
    return _harmonise_lists(t, out)


def _relabel(t: Columns, cand: Candidate) -> Candidate:
    """Context the model under-weighs: a title before a name, "the town of X", "X river",
    brand-style capitals."""
    n = t.n
    size = cand.end - cand.start
    if cand.label != "PERSON" and _after_person_title(t, cand):
        return Candidate(cand.start, cand.end, "PERSON", "rule")
    if cand.label == "PERSON" and cand.end < n and _joins_name(t, cand.end):
        end = cand.end  # "Ana Maria" + "Okafor": the model stopped one name short
        while end < n and _joins_name(t, end) and t.words[end] not in ORG_WORDS:
            end += 1
        return Candidate(cand.start, end, "PERSON", cand.source)
    if cand.source != "model":
        return cand
    by_head = _label_by_last_word(t, cand)
    if by_head is not None:
        return Candidate(cand.start, cand.end, by_head, "rule")
    if size > 3:
        return cand
    if (
        cand.label in _CUE_RELABELS
        and not is_full_person_name(t, cand.start, cand.end)
        and _org_cue(t, cand)
    ):
        return Candidate(cand.start, cand.end, "ORG", "rule")
    after = t.lower[cand.end] if cand.end < n else ""
    if after in PLACE_NOUNS and cand.label in {"ORG", "PERSON", "NORP"}:
        return Candidate(cand.start, cand.end, PLACE_NOUNS[after], "rule")
    after_cue = cand.start >= 2 and t.lower[cand.start - 2] in PLACE_CUES
    if after_cue and t.lower[cand.start - 1] == "of" and cand.label in {"ORG", "PERSON"}:
        return Candidate(cand.start, cand.end, "GPE", "rule")
    if size == 1 and _is_camel(t.words[cand.start]) and cand.label != "ORG":
        return Candidate(cand.start, cand.end, "ORG", "rule")
    if cand.label in {"ORG", "NORP", "GPE"} and _looks_like_person(t, cand.start, cand.end):
        return Candidate(cand.start, cand.end, "PERSON", "rule")
    return cand


#: Model labels an organisation cue may overrule: not NORP (a demonym before "company" stays
#: one), not EVENT.
_CUE_RELABELS = frozenset({"PERSON", "GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART"})


def _label_by_last_word(t: Columns, cand: Candidate) -> str | None:
    """The last word of a multi-word name says what it is whatever the model said: "X
    Plan" is a law or plan, "International Space Station" a facility, "X Elementary" a
    school (an ORG), "X League final" a competition."""
    label = _head_label(t, cand.start, cand.end)
    return label if label != cand.label else None


def _head_label(t: Columns, start: int, end: int) -> str | None:
    if end - start < 2:
        return None
    last = t.words[end - 1]
    after = t.lower[end] if end < t.n else ""
    label = None
    if last in LAW_WORDS:
        label = "LAW"
    elif last in FAC_WORDS:
        label = "FAC"
    elif last in SCHOOL_WORDS:
        label = "ORG"
    elif last in EVENT_WORDS or (last == "League" and after in COMPETITION_STAGES):
        label = "EVENT"
    return label


def is_full_person_name(t: Columns, start: int, end: int) -> bool:
    """ "Ada Okafor": a given name then more name words, which no cue makes an ORG."""
    return end - start >= 2 and is_given_name(t.words[start])


def _org_noun(t: Columns, i: int) -> bool:
    """A lower-case noun naming a kind of organisation ("operator", "chipmaker")."""
    word = t.lower[i]
    return (
        t.words[i].islower()
        and t.pos[i] not in {"VERB", "AUX"}
        and (word in ORG_NOUNS or word.endswith("maker"))
    )


_APPOSITIVE_POS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "PART", "NUM"})


def _appositive_org(t: Columns, end: int) -> bool:
    """ "X, the national grid operator, said", "X, a start-up": a comma, then a noun phrase
    (determiner, adjectives, participles such as "messaging" or "state-owned", nouns,
    possessives) whose last noun names a kind of organisation."""
    if end >= t.n or t.words[end] != ",":
        return False
    head = None
    for i in range(end + 1, min(end + 9, t.n)):
        pos = t.pos[i]
        participle = pos == "VERB" and t.lower[i].endswith(("ing", "ed"))
        if pos in _APPOSITIVE_POS or t.words[i] == "-" or participle:
            if pos == "NOUN" or (t.words[i - 1] == "-" and pos in {"ADP", "NOUN", "ADJ"}):
                head = i
            continue
        if t.words[i - 1] == "-" and i - 2 > end:  # "start-up": the tagger calls "up" a particle
            head = i
        break
    if head is None:
        return False
    if _org_noun(t, head):
        return True
    # a hyphenated head: "start-up", "joint-venture"
    return (
        head >= 2
        and t.words[head - 1] == "-"
        and f"{t.lower[head - 2]}-{t.lower[head]}" in ORG_NOUNS
    )


def _org_cue(t: Columns, cand: Candidate) -> bool:
    """Context that makes a name an organisation's: a kind of organisation right before it ("the
    social network X"), a party or company word right after it ("the ruling X party"), or an
    appositive naming a kind of organisation ("X, the vaccine alliance")."""
    if cand.start > 0 and _org_noun(t, cand.start - 1):
        return True
    if cand.end < t.n and t.words[cand.end].islower() and t.lower[cand.end] in ORG_AFTER:
        return True
    return _appositive_org(t, cand.end)


def _looks_like_person(t: Columns, start: int, end: int) -> bool:
    """ "Ada Okafor" tagged ORG: a given name then a surname, nothing an organisation or a
    place would be called."""
    words = t.words[start:end]
    return (
        len(words) in {2, 3}
        and all(
            t.pos[i] == "PROPN" and t.alpha[i] and t.words[i][0].isupper()
            for i in range(start, end)
        )
        and not any(w in NOT_PERSON_WORDS or w in known_names() for w in words)
        and t.span_text(start, end) not in known_names()
        and is_given_name(words[0])
    )


def _harmonise_lists(t: Columns, cands: list[Candidate]) -> list[Candidate]:
    """In a list of three or more names ("A, B and C") the items share a type: a lone-word PERSON
    or place coordinated with two or more organisations is an organisation. Two items ("the
    president X and the Y Organisation") and a name after a title are no such evidence."""
    if not any(c.label == "ORG" for c in cands):
        return cands  # no organisation for a list item to agree with
    by_token = {i: c for c in cands for i in range(c.start, c.end)}
    out = []
    for cand in cands:
        if cand.source == "model" and cand.end - cand.start == 1 and cand.label != "ORG":
            root = t.doc[cand.start]
            siblings = list(root.conjuncts)
            labels = [by_token[s.i].label for s in siblings if s.i in by_token]
            after_title = cand.start > 0 and is_title(t.words[cand.start - 1])
            if len(labels) >= 2 and set(labels) == {"ORG"} and not after_title:
                cand = Candidate(cand.start, cand.end, "ORG", "rule")
        out.append(cand)
    return out


@lru_cache(maxsize=1)
def _known_by_first_word() -> dict[str, list[tuple[str, str]]]:
    """First word -> [(surface, label)], longest first, for a quick scan of the tokens."""
    index: dict[str, list[tuple[str, str]]] = {}
    for name, label in known_names().items():
        first = name.split()[0].split("-")[0]
        index.setdefault(first, []).append((name, label))
    for name in demonyms():
        index.setdefault(name, []).append((name, "NORP"))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return index


def gazetteer_candidates(t: Columns) -> list[Candidate]:
    """Known places, organisations and demonyms, matched case-sensitively on token boundaries."""
    index = _known_by_first_word()
    text = t.text
    words = t.words
    out: list[Candidate] = []
    i = 0
    n = t.n
    while i < n:
        word = words[i]
        entries = index.get(word) or ("-" in word and index.get(word.split("-")[0])) or []
        for surface, label in entries:
            start_char = t.idx[i]
            end_char = start_char + len(surface)
            if text[start_char:end_char] != surface:
                continue
            last = t.token_ending_at(end_char)  # what `doc.char_span` accepts (strict)
            if last is None:
                continue
            out.append(_extend_place(t, Candidate(i, last + 1, label, "gazetteer")))
            i = out[-1].end - 1
            break
        i += 1
    return out


def _joins_name(t: Columns, i: int) -> bool:
    """A capitalised word that makes a place part of a longer name ("Real X", "Sporting
    X"), as opposed to a title, a weekday, a stop word or another known name."""
    text = t.words[i]
    return (
        t.pos[i] == "PROPN"
        and text[:1].isupper()
        and text.isalpha()
        and not t.stop[i]
        and not is_title(text)
        and text not in CALENDAR
        and text not in known_names()
        and text not in demonyms()
    )


def _extend_place(t: Columns, cand: Candidate) -> Candidate:
    """A place glued to other proper nouns is the name of something else: an ORG."""
    if cand.label not in {"GPE", "LOC"}:
        return cand
    start, end = cand.start, cand.end
    while start > 0 and (_joins_name(t, start - 1) or t.words[start - 1] in GEO_PREFIXES):
        start -= 1
    while end < t.n and _joins_name(t, end):
        end += 1
    if (start, end) == (cand.start, cand.end):
        return cand
    if end == cand.end and all(w in GEO_PREFIXES for w in t.words[start : cand.start]):
        return Candidate(start, end, cand.label, "gazetteer")
    if end - start in {2, 3} and start < cand.start and is_given_name(t.words[start]):
        return Candidate(start, end, "PERSON", "rule")  # "Ana Lincoln": a person's surname
    return Candidate(start, end, _head_label(t, start, end) or "ORG", "rule")


def org_pattern_candidates(t: Columns) -> list[Candidate]:
    """Capitalised runs ending in an organisation word ("X Y Party") the model missed."""
    words = t.words
    out: list[Candidate] = []
    for i, word in enumerate(words):
        if word not in ORG_WORDS or i == 0:
            continue
        start = i
        while start > 0 and _is_name_token(words[start - 1]) and not is_title(words[start - 1]):
            start -= 1
        if (i - start >= 2 and not t.sent_start[start]) or (
            i - start >= 2 and t.pos[start] == "PROPN"
        ):
            out.append(Candidate(start, i + 1, "ORG", "pattern"))
    return out


def _name_run_end(t: Columns, start: int) -> int:
    """End of the run of capitalised words from `start` ("X", "Reform X"), at most three."""
    end = start
    words = t.words
    while (
        end < t.n
        and end - start < 3
        and t.alpha[end]
        and words[end][0].isupper()
        and not t.stop[end]
        and not is_title(words[end])
        and words[end] not in CALENDAR
    ):
        end += 1
    return end


def org_cue_candidates(t: Columns, ents: list[tuple[int, int, str]]) -> list[Candidate]:
    """Names the model left untagged that context marks as organisations: after a kind of
    organisation ("the social network X"), before an appositive one ("X, the grid
    operator") or brand-style capitals ("ZentaQ")."""
    tagged = {i for start, end, _ in ents for i in range(start, end)}
    words = t.words
    out: list[Candidate] = []
    i = 0
    n = t.n
    while i < n:
        if i in tagged or not t.alpha[i] or not words[i][0].isupper():
            i += 1
            continue
        if _is_camel(words[i]) and t.pos[i] == "PROPN":
            out.append(Candidate(i, i + 1, "ORG", "pattern"))
            i += 1
            continue
        end = _name_run_end(t, i)
        if end == i or any(j in tagged for j in range(i, end)):
            i = max(end, i + 1)
            continue
        cue_before = i > 0 and _org_noun(t, i - 1)
        cue_after = end < n and words[end] in ORG_AFTER
        if cue_before or cue_after or (_appositive_org(t, end) and t.pos[i] == "PROPN"):
            out.append(Candidate(i, end, "ORG", "pattern"))
        i = end
    return out


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.start < b.end and b.start < a.end


def _person_words(cands: list[Candidate], t: Columns) -> set[str]:
    """Words of multi-word person names: "Jordan" after "Michael Jordan" is not the country."""
    words: set[str] = set()
    for c in cands:
        if c.label == "PERSON" and c.end - c.start > 1:
            words.update(t.words[c.start : c.end])
    return words


def merge(t: Columns, model: list[Candidate], gazetteer: list[Candidate]) -> list[Candidate]:
    """Gazetteer spans win over model spans they cover; a longer model span keeps its own label
    ("New York Times" stays an ORG although "New York" is a place)."""
    return cleanup(t, merge_gazetteer(t, model, gazetteer))


def merge_gazetteer(
    t: Columns, model: list[Candidate], gazetteer: list[Candidate]
) -> list[Candidate]:
    """`merge` without the plausibility filter, which is a step of its own (`cleanup`)."""
    person_words = _person_words(model, t)
    words = t.words
    result = list(model)
    for g in gazetteer:
        g_start, g_end = g.start, g.end
        clashing = [m for m in result if m.start < g_end and g_start < m.end]
        if any(
            m.end - m.start > g_end - g_start and m.start <= g_start and g_end <= m.end
            for m in clashing
        ):
            continue
        if any(
            m.label == "PERSON" and m.end - m.start == 1 and words[m.start] in person_words
            for m in clashing
        ):
            continue
        if (
            not clashing
            and g.label == "NORP"
            and g_end - g_start == 1
            and not words[g_start][0].isupper()
        ):
            continue
        if clashing:
            result = [m for m in result if not (m.start < g_end and g_start < m.end)]
        result.append(g)
    result.sort(key=lambda c: c.start)
    return result


def cleanup(t: Columns, cands: list[Candidate]) -> list[Candidate]:
    """Drop implausible mentions (lower-case phrases, lone titles, a common word that starts a
    sentence) and join a person's name the model cut in two."""
    casing = _casing(t)
    return _join_split_names(t, [c for c in cands if _plausible(t, c, casing)])


def _join_split_names(t: Columns, cands: list[Candidate]) -> list[Candidate]:
    """ "Ana Maria" PERSON + "Okafor" GPE side by side is one person the model cut in two."""
    out: list[Candidate] = []
    words = t.words
    for cand in cands:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.end == cand.start
            and "PERSON" in (prev.label, cand.label)
            and "gazetteer" not in (prev.source, cand.source)
            and not t.sent_start[cand.start]
            and all(_is_name_token(w) for w in words[prev.start : cand.end])
            and not any(is_title(w) for w in words[prev.start : cand.end])
        ):
            out[-1] = Candidate(prev.start, cand.end, "PERSON", "rule")
        else:
            out.append(cand)
    return out


def _plausible(t: Columns, cand: Candidate, casing: dict[str, tuple[bool, bool]]) -> bool:
    text = t.span_text(cand.start, cand.end)
    size = max(0, cand.end - cand.start)
    if size > _MAX_NAME_TOKENS or (len(text) < 2 and cand.source == "model"):
        return False
    if not any(ch.isupper() for ch in text):  # "the fall of", "hundreds"
        return False
    if all(is_title(w) for w in t.words[cand.start : cand.end]):  # "State" of "Secretary of State"
        return False
    lone = cand.source == "model" and cand.label != "NORP" and size == 1
    if lone and _common_word_at_sentence_start(t, cand.start, casing):
        return False
    return any(ch.isalpha() for ch in text)


def _casing(t: Columns) -> dict[str, tuple[bool, bool]]:
    """Lower-cased word -> (written in lower case somewhere, capitalised inside a sentence
    somewhere): one pass over the doc, for `_common_word_at_sentence_start`."""
    seen: dict[str, tuple[bool, bool]] = {}
    for word, lower_, alpha, sent_start in zip(
        t.words, t.lower, t.alpha, t.sent_start, strict=True
    ):
        if not alpha:
            continue
        lower, capital = seen.get(lower_, (False, False))
        lower = lower or word.islower()
        capital = capital or (word[0].isupper() and not sent_start)
        seen[lower_] = (lower, capital)
    return seen


def _common_word_at_sentence_start(
    t: Columns, i: int, casing: dict[str, tuple[bool, bool]]
) -> bool:
    """A lone common noun the model took for a name because a sentence starts with it ("Turnout
    was low", "Army chief ..."): the tagger calls it a common noun, or the text uses the word in
    lower case elsewhere; and never capitalises it inside a sentence."""
    if not t.sent_start[i] or t.upper[i]:
        return False
    seen_lower, capitalised = casing.get(t.lower[i], (False, False))
    if capitalised:
        return False
    return t.pos[i] != "PROPN" or seen_lower


def _name_forms(t: Columns, cands: list[Candidate]) -> dict[tuple[str, ...], str]:
    """Token sequences worth finding again: full names, surnames, and initials of long names."""
    forms: dict[tuple[str, ...], str] = {}
    for c in cands:
        if c.label not in {"PERSON", "ORG", "GPE", "LOC"}:
            continue
        words = tuple(t.words[c.start : c.end])
        forms.setdefault(words, c.label)
        if c.label == "PERSON" and len(words) >= 2:
            forms.setdefault(words[-1:], "PERSON")
            if len(words) >= 3:
                forms.setdefault(words[-2:], "PERSON")
        if c.label == "ORG" and len(words) >= 3:
            initials = "".join(w[0] for w in words if w[0].isupper())
            if len(initials) >= 3:
                forms.setdefault((initials,), "ORG")
    return {f: label for f, label in forms.items() if len("".join(f)) >= 3}


def free_boundary(t: Columns, start: int, end: int) -> bool:
    """Not inside a longer run of capitalised words (the "Sudan" of an unmarked "Port Sudan")."""
    words = t.words
    if start > 0:
        before = words[start - 1]
        if not t.sent_start[start] and _is_name_token(before) and not is_title(before):
            return False
    if end < t.n:
        after = words[end]
        return not (after[:1].isupper() and t.alpha[end] and not is_title(after))
    return True


def propagate(t: Columns, cands: list[Candidate]) -> list[Candidate]:
    """Find again the names the model tagged once but missed elsewhere ("Okafor told ..."): a
    reader who saw "Ada Okafor" knows every later "Okafor"."""
    forms = _name_forms(t, cands)
    if not forms:
        return cands
    n = t.n
    words = t.words
    taken = [False] * n
    for c in cands:
        for i in range(c.start, c.end):
            taken[i] = True
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for form in sorted(forms, key=len, reverse=True):
        by_first.setdefault(form[0], []).append(form)
    added: list[Candidate] = []
    for i in range(n):
        if taken[i]:
            continue
        for form in by_first.get(words[i], ()):
            end = i + len(form)
            if end > n or any(taken[i:end]):
                continue
            if tuple(words[i:end]) != form or not free_boundary(t, i, end):
                continue
            added.append(Candidate(i, end, forms[form], "model"))
            for j in range(i, end):
                taken[j] = True
            break
    return sorted(cands + added, key=lambda c: c.start)


def _add_patterns(cands: list[Candidate], patterns: list[Candidate]) -> list[Candidate]:
    """A pattern only fills a gap or replaces model spans it strictly contains."""
    for p in patterns:
        clashing = [c for c in cands if _overlaps(c, p)]
        if all(
            p.start <= c.start
            and c.end <= p.end
            and c.end - c.start < p.end - p.start
            and c.source == "model"
            for c in clashing
        ):
            cands = [c for c in cands if not _overlaps(c, p)] + [p]
    return sorted(cands, key=lambda c: c.start)


def _products(t: Columns, cands: list[Candidate]) -> list[Candidate]:
    """ "X's Y capsule", "737 MAX jets": a name between its maker (an organisation's
    possessive, or a model number) and a noun for a vehicle or device is a product."""
    org_ends = {c.end for c in cands if c.label == "ORG"}
    words = t.words
    out = []
    for c in cands:
        if c.source == "model" and c.label != "PRODUCT" and c.end < t.n:
            made_by = c.start > 0 and (
                (words[c.start - 1] in _POSSESSIVE and c.start - 1 in org_ends)
                or (words[c.start - 1].isdigit() and not 1800 <= int(words[c.start - 1]) <= 2100)
            )
            if made_by and t.lower[c.end] in PRODUCT_NOUNS and words[c.end].islower():
                c = Candidate(c.start, c.end, "PRODUCT", "rule")
        out.append(c)
    return out


def _club_places(t: Columns, cands: list[Candidate]) -> list[Candidate]:
    """ "Real X ... X coach Ada Okafor", "Sporting Y ... Y knocked
    out Z": where a two-word organisation ends in a place (the way European clubs are named), a
    lone mention of either word that is not used as a place (after "in", "at", "from" ...) but as
    a subject, object or modifier stands for the organisation."""
    words = t.words
    parts: set[str] = set()
    for c in cands:
        if c.label != "ORG" or not 2 <= c.end - c.start <= 3:
            continue
        first, last = words[c.start], words[c.end - 1]
        if c.end - c.start == 2 and known_names().get(last) == "GPE" and first not in GEO_PREFIXES:
            parts.update({first, last})
        elif _is_nickname(last) and known_names().get(t.span_text(c.start, c.end - 1)) == "GPE":
            # "Texas Rangers", "Kansas City Royals": a place, then the team's plural nickname
            parts.add(last)
            if c.end - c.start == 2:
                parts.add(first)
    if not parts:
        return cands
    out = []
    for c in cands:
        before = t.lower[c.start - 1] if c.start > 0 else ""
        if (
            c.end - c.start == 1
            and c.label in {"GPE", "LOC"}
            and words[c.start] in parts
            and before not in LOCATIVE_PREPS
            and _stands_for_club(t.doc[c.start])
        ):
            c = Candidate(c.start, c.end, "ORG", "rule")
        out.append(c)
    taken = {i for c in out for i in range(c.start, c.end)}
    for i, word in enumerate(words):
        if (
            i not in taken
            and word in parts
            and free_boundary(t, i, i + 1)
            and (i == 0 or t.lower[i - 1] not in LOCATIVE_PREPS)
        ):
            out.append(Candidate(i, i + 1, "ORG", "rule"))
    return sorted(out, key=lambda c: c.start)


def _is_nickname(word: str) -> bool:
    """A capitalised plural: the nickname part of a team's name ("Rangers", "Royals")."""
    return word[:1].isupper() and word.isalpha() and word.endswith("s") and not word.isupper()


def _stands_for_club(tok: Token) -> bool:
    """A name used as a team: subject, object, possessor ("X's lead"), the other side ("against
    X", "victory over X", "scored for X"), or the modifier of a club role ("X coach")."""
    if tok.dep_ in {"nsubj", "nsubjpass", "dobj", "conj", "appos", "poss"}:
        return True
    if tok.dep_ == "pobj" and tok.head.lower_ in TEAM_PREPOSITIONS:
        return True
    return tok.dep_ == "compound" and tok.head.lower_ in CLUB_ROLES


#: Prepositions that put a team on the other side: "against X", "a win over X", "scored for X".
TEAM_PREPOSITIONS = frozenset({"against", "over", "for", "versus", "vs", "vs."})


def initial_candidates(t: Columns) -> list[Candidate]:
    """The model's entities of the kept labels, uncorrected: where the steps start when the
    model-span corrections are switched off."""
    return [
        Candidate(start, end, label, "model")
        for start, end, label in t.entities
        if label in KEPT_LABELS
    ]


def step_model_spans(t: Columns, cands: list[Candidate] | None) -> list[Candidate]:
    """Trim articles and possessives, split titles off names, relabel by context."""
    return model_candidates(t, t.entities)


def step_gazetteer(t: Columns, cands: list[Candidate]) -> list[Candidate]:
    return merge_gazetteer(t, cands, gazetteer_candidates(t))


def step_org_patterns(t: Columns, cands: list[Candidate]) -> list[Candidate]:
    """Organisation names from their heads ("... Party") and from context cues."""
    patterns = org_pattern_candidates(t) + org_cue_candidates(t, t.entities)
    return _add_patterns(cands, patterns)


def step_products(t: Columns, cands: list[Candidate]) -> list[Candidate]:
    return _products(t, cands)


def step_clubs(t: Columns, cands: list[Candidate]) -> list[Candidate]:
    """Clubs named after their city, in sports reports only: "Statistics X" is no club."""
    from workers.entities.context import is_sports_report

    return _club_places(t, cands) if is_sports_report(t) else cands


def find_mentions(doc: Doc, columns: Columns | None = None) -> list[Candidate]:
    """All entity mentions of the doc after the rule layer, in text order, non-overlapping.

    When the doc went through newsflow's rule components (`workers.entities.pipeline`) their
    result is read; otherwise (a bare pipeline) the same steps run here, in the same order."""
    from workers.entities.pipeline import candidates_of, run_steps

    found = candidates_of(doc)
    if found is not None:
        return found
    t = columns if columns is not None else columns_of(doc)
    return run_steps(t)

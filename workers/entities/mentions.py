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
    """Capitalised word that can be part of a proper name ("Ringkevics", "O'Brien", "al-Assad")."""
    return bool(text) and (text[0].isupper() or text[:3] in {"al-", "el-", "bin", "van", "von"})


def _is_acronym(tok: Token) -> bool:
    letters = tok.text.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


def _is_camel(text: str) -> bool:
    """ "OpenAI", "SpaceX", "TikTok": brand names, not people or places ("McCormick" is a name)."""
    if text.startswith(("Mc", "Mac", "O'", "De", "Di", "La", "Le")):
        return False
    return (
        text.isalpha()
        and text[0].isupper()
        and any(c.isupper() for c in text[1:])
        and not text.isupper()
    )


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop leading articles and punctuation and trailing possessives and punctuation."""
    while start < end and (
        doc[start].lower_ in _LEADING_JUNK or doc[start].is_punct or doc[start].is_space
    ):
        start += 1
    while end > start and (
        doc[end - 1].text in _POSSESSIVE or doc[end - 1].is_punct or doc[end - 1].is_space
    ):
        # keep the full stop of an abbreviation inside a token ("U.S." is one token)
        end -= 1
    return start, end


def _split_title(doc: Doc, cand: Candidate) -> list[Candidate]:
    """ "Latvian President Edgars Ringkevics" -> NORP "Latvian" + PERSON "Edgars Ringkevics".

    A title inside a span followed by name tokens marks the rest as a person; what stands before
    the title (a country, a demonym, an organisation) becomes its own mention.
    """
    last_title = -1
    for i in range(cand.start, cand.end - 1):
        word = doc[i].text
        if not (is_person_title(word) or (cand.label == "PERSON" and is_title(word))):
            continue
        rest = doc[i + 1 : cand.end]
        if all(_is_name_token(t.text) for t in rest) and not any(t.text in ORG_WORDS for t in rest):
            last_title = i
    if last_title < 0:
        return [cand]
    out = [
        Candidate(
            last_title + 1, cand.end, "PERSON", "rule" if cand.label != "PERSON" else cand.source
        )
    ]
    first_title = last_title
    while first_title > cand.start and is_title(doc[first_title - 1].text):
        first_title -= 1
    start, end = _trim(doc, cand.start, first_title)
    # keep what stood before the title only when a list knows it ("Latvian", "Kyiv")
    prefix = doc[start:end].text
    if start < end and prefix in demonyms():
        out.insert(0, Candidate(start, end, "NORP", "rule"))
    elif start < end and prefix in known_names():
        out.insert(0, Candidate(start, end, known_names()[prefix], "gazetteer"))
    elif end - start == 1 and _is_acronym(doc[start]):
        out.insert(0, Candidate(start, end, "ORG", "rule"))
    return out


def _after_person_title(doc: Doc, cand: Candidate) -> bool:
    """True for "President Edgars Ringkevics" when the model called the name an ORG."""
    if cand.start == 0 or cand.end - cand.start > 4:
        return False
    before = doc[cand.start - 1]
    if not is_person_title(before.text):
        return False
    # "the President's Office" or "Ukraine's President" are not a title before a name
    span = doc[cand.start : cand.end]
    if span.text in known_names() or any(t.text in ORG_WORDS for t in span):
        return False
    return all(t.text[:1].isupper() and t.is_alpha for t in span)


def model_candidates(doc: Doc) -> list[Candidate]:
    out: list[Candidate] = []
    for ent in doc.ents:
        if ent.label_ not in KEPT_LABELS:
            continue
        start, end = _trim(doc, ent.start, ent.end)
        if start >= end:
            continue
        for cand in _split_title(doc, Candidate(start, end, ent.label_, "model")):
            out.append(_relabel(doc, cand))
    return _harmonise_lists(doc, out)


def _relabel(doc: Doc, cand: Candidate) -> Candidate:
    """Context the model under-weighs: a title before a name, "the town of X", "X river",
    brand-style capitals."""
    span = doc[cand.start : cand.end]
    if cand.label != "PERSON" and _after_person_title(doc, cand):
        return Candidate(cand.start, cand.end, "PERSON", "rule")
    if cand.label == "PERSON" and cand.end < len(doc) and _joins_name(doc[cand.end]):
        end = cand.end  # "Maria Corina" + "Machado": the model stopped one name short
        while end < len(doc) and _joins_name(doc[end]) and doc[end].text not in ORG_WORDS:
            end += 1
        return Candidate(cand.start, end, "PERSON", cand.source)
    if cand.source != "model":
        return cand
    by_head = _label_by_last_word(doc, cand)
    if by_head is not None:
        return Candidate(cand.start, cand.end, by_head, "rule")
    if len(span) > 3:
        return cand
    if cand.label in _CUE_RELABELS and not _is_full_person_name(span) and _org_cue(doc, cand):
        return Candidate(cand.start, cand.end, "ORG", "rule")
    after = doc[cand.end].lower_ if cand.end < len(doc) else ""
    if after in PLACE_NOUNS and cand.label in {"ORG", "PERSON", "NORP"}:
        return Candidate(cand.start, cand.end, PLACE_NOUNS[after], "rule")
    after_cue = cand.start >= 2 and doc[cand.start - 2].lower_ in PLACE_CUES
    if after_cue and doc[cand.start - 1].lower_ == "of" and cand.label in {"ORG", "PERSON"}:
        return Candidate(cand.start, cand.end, "GPE", "rule")
    if len(span) == 1 and _is_camel(span.text) and cand.label != "ORG":
        return Candidate(cand.start, cand.end, "ORG", "rule")
    if cand.label in {"ORG", "NORP", "GPE"} and _looks_like_person(span):
        return Candidate(cand.start, cand.end, "PERSON", "rule")
    return cand


#: Model labels an organisation cue may overrule: not NORP (a demonym before "company" stays
#: one), not EVENT.
_CUE_RELABELS = frozenset({"PERSON", "GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART"})


def _label_by_last_word(doc: Doc, cand: Candidate) -> str | None:
    """The last word of a multi-word name says what it is whatever the model said: "Marshall
    Plan" is a law or plan, "International Space Station" a facility, "Roosevelt Elementary" a
    school (an ORG), "Champions League final" a competition."""
    label = _head_label(doc, cand.start, cand.end)
    return label if label != cand.label else None


def _head_label(doc: Doc, start: int, end: int) -> str | None:
    if end - start < 2:
        return None
    last = doc[end - 1].text
    after = doc[end].lower_ if end < len(doc) else ""
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


def _is_full_person_name(span: Span) -> bool:
    """ "Claudia Sheinbaum": a given name then more name words, which no cue makes an ORG."""
    return len(span) >= 2 and is_given_name(span[0].text)


def _org_noun(tok: Token) -> bool:
    """A lower-case noun naming a kind of organisation ("operator", "chipmaker")."""
    word = tok.lower_
    return (
        tok.text.islower()
        and tok.pos_ not in {"VERB", "AUX"}
        and (word in ORG_NOUNS or word.endswith("maker"))
    )


def _appositive_org(doc: Doc, end: int) -> bool:
    """ "Ukrenergo, the national grid operator, said": a comma, then a noun phrase (determiner,
    adjectives, nouns, possessives) whose last noun names a kind of organisation."""
    if end >= len(doc) or doc[end].text != ",":
        return False
    head = None
    for tok in doc[end + 1 : end + 9]:
        if tok.pos_ in {"DET", "ADJ", "NOUN", "PROPN", "PART", "NUM"} or tok.text == "-":
            if tok.pos_ == "NOUN":
                head = tok
            continue
        break
    return head is not None and _org_noun(head)


def _org_cue(doc: Doc, cand: Candidate) -> bool:
    """Context that makes a name an organisation's: a kind of organisation right before it ("the
    social network X"), a party or company word right after it ("the ruling Morena party"), or an
    appositive naming a kind of organisation ("Gavi, the vaccine alliance")."""
    if cand.start > 0 and _org_noun(doc[cand.start - 1]):
        return True
    if cand.end < len(doc) and doc[cand.end].text.islower() and doc[cand.end].lower_ in ORG_AFTER:
        return True
    return _appositive_org(doc, cand.end)


def _looks_like_person(span: Span) -> bool:
    """ "Claudia Sheinbaum" tagged ORG: a given name then a surname, nothing an organisation or a
    place would be called."""
    words = [t.text for t in span]
    return (
        len(words) in {2, 3}
        and all(t.pos_ == "PROPN" and t.is_alpha and t.text[0].isupper() for t in span)
        and not any(w in NOT_PERSON_WORDS or w in known_names() for w in words)
        and span.text not in known_names()
        and is_given_name(words[0])
    )


def _harmonise_lists(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """In "TikTok, Instagram and Snapchat" the items share a type: a lone-word PERSON or place
    coordinated with organisations is an organisation."""
    by_token = {i: c for c in cands for i in range(c.start, c.end)}
    out = []
    for cand in cands:
        if cand.source == "model" and cand.end - cand.start == 1 and cand.label != "ORG":
            root = doc[cand.start]
            siblings = list(root.conjuncts)
            labels = {by_token[t.i].label for t in siblings if t.i in by_token}
            if labels == {"ORG"}:
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


def gazetteer_candidates(doc: Doc) -> list[Candidate]:
    """Known places, organisations and demonyms, matched case-sensitively on token boundaries."""
    index = _known_by_first_word()
    text = doc.text
    out: list[Candidate] = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        entries = index.get(tok.text) or index.get(tok.text.split("-")[0]) or []
        for surface, label in entries:
            end_char = tok.idx + len(surface)
            if text[tok.idx : end_char] != surface:
                continue
            span = doc.char_span(tok.idx, end_char)
            if span is None:
                continue
            out.append(_extend_place(doc, Candidate(span.start, span.end, label, "gazetteer")))
            i = out[-1].end - 1
            break
        i += 1
    return out


def _joins_name(tok: Token) -> bool:
    """A capitalised word that makes a place part of a longer name ("Real Madrid", "Bayern
    Munich"), as opposed to a title, a weekday, a stop word or another known name."""
    text = tok.text
    return (
        tok.pos_ == "PROPN"
        and text[:1].isupper()
        and text.isalpha()
        and not tok.is_stop
        and not is_title(text)
        and text not in CALENDAR
        and text not in known_names()
        and text not in demonyms()
    )


def _extend_place(doc: Doc, cand: Candidate) -> Candidate:
    """A place glued to other proper nouns is the name of something else: an ORG."""
    if cand.label not in {"GPE", "LOC"}:
        return cand
    start, end = cand.start, cand.end
    while start > 0 and (_joins_name(doc[start - 1]) or doc[start - 1].text in GEO_PREFIXES):
        start -= 1
    while end < len(doc) and _joins_name(doc[end]):
        end += 1
    if (start, end) == (cand.start, cand.end):
        return cand
    if end == cand.end and all(t.text in GEO_PREFIXES for t in doc[start : cand.start]):
        return Candidate(start, end, cand.label, "gazetteer")
    return Candidate(start, end, _head_label(doc, start, end) or "ORG", "rule")


def org_pattern_candidates(doc: Doc) -> list[Candidate]:
    """Capitalised runs ending in an organisation word ("Telugu Desam Party") the model missed."""
    out: list[Candidate] = []
    for tok in doc:
        if tok.text not in ORG_WORDS or tok.i == 0:
            continue
        start = tok.i
        while (
            start > 0 and _is_name_token(doc[start - 1].text) and not is_title(doc[start - 1].text)
        ):
            start -= 1
        if (tok.i - start >= 2 and not doc[start].is_sent_start) or (
            tok.i - start >= 2 and doc[start].pos_ == "PROPN"
        ):
            out.append(Candidate(start, tok.i + 1, "ORG", "pattern"))
    return out


def _name_run_end(doc: Doc, start: int) -> int:
    """End of the run of capitalised words from `start` ("X", "Reform UK"), at most three."""
    end = start
    while (
        end < len(doc)
        and end - start < 3
        and doc[end].is_alpha
        and doc[end].text[0].isupper()
        and not doc[end].is_stop
        and not is_title(doc[end].text)
        and doc[end].text not in CALENDAR
    ):
        end += 1
    return end


def org_cue_candidates(doc: Doc) -> list[Candidate]:
    """Names the model left untagged that context marks as organisations: after a kind of
    organisation ("the social network X"), before an appositive one ("Ukrenergo, the grid
    operator") or brand-style capitals ("SpaceX")."""
    tagged = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    out: list[Candidate] = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        if i in tagged or not tok.is_alpha or not tok.text[0].isupper():
            i += 1
            continue
        if _is_camel(tok.text) and tok.pos_ == "PROPN":
            out.append(Candidate(i, i + 1, "ORG", "pattern"))
            i += 1
            continue
        end = _name_run_end(doc, i)
        if end == i or any(j in tagged for j in range(i, end)):
            i = max(end, i + 1)
            continue
        cue_before = i > 0 and _org_noun(doc[i - 1])
        cue_after = end < len(doc) and doc[end].text in ORG_AFTER
        if cue_before or cue_after or (_appositive_org(doc, end) and doc[i].pos_ == "PROPN"):
            out.append(Candidate(i, end, "ORG", "pattern"))
        i = end
    return out


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.start < b.end and b.start < a.end


def _person_words(cands: list[Candidate], doc: Doc) -> set[str]:
    """Words of multi-word person names: "Jordan" after "Michael Jordan" is not the country."""
    words: set[str] = set()
    for c in cands:
        if c.label == "PERSON" and c.end - c.start > 1:
            words.update(t.text for t in doc[c.start : c.end])
    return words


def merge(doc: Doc, model: list[Candidate], gazetteer: list[Candidate]) -> list[Candidate]:
    """Gazetteer spans win over model spans they cover; a longer model span keeps its own label
    ("New York Times" stays an ORG although "New York" is a place)."""
    person_words = _person_words(model, doc)
    result = list(model)
    for g in gazetteer:
        clashing = [m for m in result if _overlaps(m, g)]
        if any(
            m.end - m.start > g.end - g.start and m.start <= g.start and g.end <= m.end
            for m in clashing
        ):
            continue
        if any(
            m.label == "PERSON" and m.end - m.start == 1 and doc[m.start].text in person_words
            for m in clashing
        ):
            continue
        if (
            not clashing
            and g.label == "NORP"
            and g.end - g.start == 1
            and not doc[g.start].text[0].isupper()
        ):
            continue
        result = [m for m in result if not _overlaps(m, g)]
        result.append(g)
    result.sort(key=lambda c: c.start)
    casing = _casing(doc)
    return _join_split_names(doc, [c for c in result if _plausible(doc, c, casing)])


def _join_split_names(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """ "Maria Corina" PERSON + "Machado" GPE side by side is one person the model cut in two."""
    out: list[Candidate] = []
    for cand in cands:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.end == cand.start
            and "PERSON" in (prev.label, cand.label)
            and "gazetteer" not in (prev.source, cand.source)
            and not doc[cand.start].is_sent_start
            and all(_is_name_token(t.text) for t in doc[prev.start : cand.end])
            and not any(is_title(t.text) for t in doc[prev.start : cand.end])
        ):
            out[-1] = Candidate(prev.start, cand.end, "PERSON", "rule")
        else:
            out.append(cand)
    return out


def _plausible(doc: Doc, cand: Candidate, casing: dict[str, tuple[bool, bool]]) -> bool:
    span = doc[cand.start : cand.end]
    text = span.text
    if cand.end - cand.start > _MAX_NAME_TOKENS or (len(text) < 2 and cand.source == "model"):
        return False
    if not any(ch.isupper() for ch in text):  # "the fall of", "hundreds"
        return False
    if all(is_title(t.text) for t in span):  # "State" of "Secretary of State"
        return False
    lone = cand.source == "model" and cand.label != "NORP" and len(span) == 1
    if lone and _common_word_at_sentence_start(span[0], casing):
        return False
    return any(ch.isalpha() for ch in text)


def _casing(doc: Doc) -> dict[str, tuple[bool, bool]]:
    """Lower-cased word -> (written in lower case somewhere, capitalised inside a sentence
    somewhere): one pass over the doc, for `_common_word_at_sentence_start`."""
    seen: dict[str, tuple[bool, bool]] = {}
    for tok in doc:
        if not tok.is_alpha:
            continue
        lower, capital = seen.get(tok.lower_, (False, False))
        lower = lower or tok.text.islower()
        capital = capital or (tok.text[0].isupper() and not tok.is_sent_start)
        seen[tok.lower_] = (lower, capital)
    return seen


def _common_word_at_sentence_start(tok: Token, casing: dict[str, tuple[bool, bool]]) -> bool:
    """A lone common noun the model took for a name because a sentence starts with it ("Turnout
    was low", "Army chief ..."): the tagger calls it a common noun, or the text uses the word in
    lower case elsewhere; and never capitalises it inside a sentence."""
    if not tok.is_sent_start or tok.is_upper:
        return False
    seen_lower, capitalised = casing.get(tok.lower_, (False, False))
    if capitalised:
        return False
    return tok.pos_ != "PROPN" or seen_lower


def _name_forms(doc: Doc, cands: list[Candidate]) -> dict[tuple[str, ...], str]:
    """Token sequences worth finding again: full names, surnames, and initials of long names."""
    forms: dict[tuple[str, ...], str] = {}
    for c in cands:
        if c.label not in {"PERSON", "ORG", "GPE", "LOC"}:
            continue
        words = tuple(t.text for t in doc[c.start : c.end])
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


def _free_boundary(doc: Doc, start: int, end: int) -> bool:
    """Not inside a longer run of capitalised words (the "Sudan" of an unmarked "Port Sudan")."""
    before = doc[start - 1] if start > 0 else None
    after = doc[end] if end < len(doc) else None
    if (
        before is not None
        and not doc[start].is_sent_start
        and _is_name_token(before.text)
        and not is_title(before.text)
    ):
        return False
    return not (
        after is not None
        and after.text[:1].isupper()
        and after.is_alpha
        and not is_title(after.text)
    )


def propagate(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """Find again the names the model tagged once but missed elsewhere ("Nauseda told ..."): a
    reader who saw "Gitanas Nauseda" knows every later "Nauseda"."""
    forms = _name_forms(doc, cands)
    if not forms:
        return cands
    taken = [False] * len(doc)
    for c in cands:
        for i in range(c.start, c.end):
            taken[i] = True
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for form in sorted(forms, key=len, reverse=True):
        by_first.setdefault(form[0], []).append(form)
    added: list[Candidate] = []
    for i, tok in enumerate(doc):
        if taken[i]:
            continue
        for form in by_first.get(tok.text, []):
            end = i + len(form)
            if end > len(doc) or any(taken[i:end]):
                continue
            if tuple(t.text for t in doc[i:end]) != form or not _free_boundary(doc, i, end):
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


def _products(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """ "Boeing's Starliner capsule", "737 MAX jets": a name between its maker (an organisation's
    possessive, or a model number) and a noun for a vehicle or device is a product."""
    org_ends = {c.end for c in cands if c.label == "ORG"}
    out = []
    for c in cands:
        after = doc[c.end] if c.end < len(doc) else None
        if c.source == "model" and c.label != "PRODUCT" and after is not None:
            before = doc[c.start - 1] if c.start > 0 else None
            made_by = before is not None and (
                (before.text in _POSSESSIVE and before.i in org_ends)
                or (before.text.isdigit() and not 1800 <= int(before.text) <= 2100)
            )
            if made_by and after.lower_ in PRODUCT_NOUNS and after.text.islower():
                c = Candidate(c.start, c.end, "PRODUCT", "rule")
        out.append(c)
    return out


def _club_places(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """ "Real Madrid ... Madrid coach Carlo Ancelotti", "Borussia Dortmund ... Dortmund knocked
    out PSG": where a two-word organisation ends in a place (the way European clubs are named), a
    lone mention of either word that is not used as a place (after "in", "at", "from" ...) but as
    a subject, object or modifier stands for the organisation."""
    parts: set[str] = set()
    for c in cands:
        if c.label != "ORG" or c.end - c.start != 2:
            continue
        first, last = doc[c.start], doc[c.end - 1]
        if known_names().get(last.text) == "GPE" and first.text not in GEO_PREFIXES:
            parts.update({first.text, last.text})
    if not parts:
        return cands
    out = []
    for c in cands:
        tok = doc[c.start]
        before = doc[c.start - 1].lower_ if c.start > 0 else ""
        if (
            c.end - c.start == 1
            and c.label in {"GPE", "LOC"}
            and tok.text in parts
            and before not in LOCATIVE_PREPS
            and _stands_for_club(tok)
        ):
            c = Candidate(c.start, c.end, "ORG", "rule")
        out.append(c)
    taken = {i for c in out for i in range(c.start, c.end)}
    for tok in doc:
        if (
            tok.i not in taken
            and tok.text in parts
            and _free_boundary(doc, tok.i, tok.i + 1)
            and (tok.i == 0 or doc[tok.i - 1].lower_ not in LOCATIVE_PREPS)
        ):
            out.append(Candidate(tok.i, tok.i + 1, "ORG", "rule"))
    return sorted(out, key=lambda c: c.start)


def _stands_for_club(tok: Token) -> bool:
    if tok.dep_ in {"nsubj", "nsubjpass", "dobj", "conj", "appos"}:
        return True
    return tok.dep_ == "compound" and tok.head.lower_ in CLUB_ROLES


def find_mentions(doc: Doc) -> list[Candidate]:
    """All entity mentions of the doc after the rule layer, in text order, non-overlapping."""
    merged = merge(doc, model_candidates(doc), gazetteer_candidates(doc))
    patterns = org_pattern_candidates(doc) + org_cue_candidates(doc)
    found = propagate(doc, _add_patterns(merged, patterns))
    return _club_places(doc, _products(doc, found))

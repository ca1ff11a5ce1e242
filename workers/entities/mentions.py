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

from spacy.tokens import Doc, Span

from workers.entities.gazetteer import demonyms, is_person_title, is_title, known_names

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
        if all(_is_name_token(doc[j].text) for j in range(i + 1, cand.end)):
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
    if start < end and all(_is_name_token(t.text) for t in doc[start:end]):
        prefix = doc[start:end].text
        if prefix in demonyms():
            out.insert(0, Candidate(start, end, "NORP", "rule"))
        elif prefix in known_names():
            out.insert(0, Candidate(start, end, known_names()[prefix], "gazetteer"))
        else:
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
    return all(t.text[:1].isupper() and t.is_alpha for t in span) and span.text not in known_names()


def model_candidates(doc: Doc) -> list[Candidate]:
    out: list[Candidate] = []
    for ent in doc.ents:
        if ent.label_ not in KEPT_LABELS:
            continue
        start, end = _trim(doc, ent.start, ent.end)
        if start >= end:
            continue
        for cand in _split_title(doc, Candidate(start, end, ent.label_, "model")):
            if cand.label != "PERSON" and _after_person_title(doc, cand):
                cand = Candidate(cand.start, cand.end, "PERSON", "rule")
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
            out.append(Candidate(span.start, span.end, label, "gazetteer"))
            i = span.end - 1
            break
        i += 1
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
    return [c for c in result if _plausible(doc, c)]


def _plausible(doc: Doc, cand: Candidate) -> bool:
    span = doc[cand.start : cand.end]
    text = span.text
    if cand.end - cand.start > _MAX_NAME_TOKENS or len(text) < 2:
        return False
    if not any(ch.isupper() for ch in text):  # "the fall of", "hundreds"
        return False
    return any(ch.isalpha() for ch in text)


def find_mentions(doc: Doc) -> list[Candidate]:
    """All entity mentions of the doc after the rule layer, in text order, non-overlapping."""
    return merge(doc, model_candidates(doc), gazetteer_candidates(doc))

"""Turns a speaker token from the parse into a Speaker: its noun phrase, its entity, and for a
pronoun the person it stands for.

The noun phrase is the subject's own phrase without appositions, relative clauses or anything
after a comma ("Smith, a spokesman who ..., said" -> "Smith"), so that it reads as a name or a
description. Linking uses the phrase's head: "a former Russian official" contains the NORP
mention "Russian" but is not that entity, while "Latvian President Edgars Ringkevics" has a head
inside the mention of Edgars Ringkevics.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import TYPE_CHECKING

from schemas import Entity, EntityType, Speaker
from workers.quotes.cues import (
    FEMALE_PRONOUNS,
    FEMALE_TITLES,
    MALE_PRONOUNS,
    MALE_TITLES,
    PERSON_PRONOUNS,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

Span = tuple[int, int]

#: Dependents that end a speaker phrase: what follows them describes the speaker, it is not them.
_CUT_DEPS = frozenset({"relcl", "appos", "acl", "punct", "cc", "conj", "advcl", "parataxis"})
_RELATIVE = frozenset({"who", "that", "which", "whom"})


def phrase_bounds(head: Token) -> tuple[int, int]:
    """Char span of the speaker phrase headed by `head`."""
    left_tok = head.i
    right_tok = head.i
    for child in head.children:
        if child.dep_ in _CUT_DEPS:
            continue
        if child.i < head.i:
            left_tok = min(left_tok, child.left_edge.i)
        else:
            right_tok = max(right_tok, child.right_edge.i)
    doc = head.doc
    # Stop at punctuation inside the gathered range (a comma starts an aside).
    for i in range(head.i + 1, right_tok + 1):
        if doc[i].is_punct and doc[i].text not in {".", "-", "'", "’"}:
            right_tok = i - 1
            break
    for i in range(head.i - 1, left_tok - 1, -1):
        if doc[i].is_punct and doc[i].text not in {".", "-"}:
            left_tok = i + 1
            break
    while left_tok < head.i and doc[left_tok].dep_ in {"cc", "prep"}:
        left_tok += 1
    start = doc[left_tok].idx
    end = doc[right_tok].idx + len(doc[right_tok].text)
    return start, end


def head_bounds(head: Token) -> tuple[int, int]:
    """The head word plus the name it ends (flat compound proper nouns), for entity linking."""
    start_tok = head.i
    if head.pos_ != "PROPN":
        return head.idx, head.idx + len(head.text)
    for child in head.lefts:
        if child.dep_ == "compound" and child.pos_ == "PROPN":
            start_tok = min(start_tok, child.i)
    doc = head.doc
    return doc[start_tok].idx, head.idx + len(head.text)


@dataclass(slots=True)
class _MentionRef:
    start: int
    end: int
    text: str
    entity: Entity


class EntityIndex:
    """Entity mentions sorted by position, for overlap look-ups and pronoun antecedents."""

    def __init__(self, entities: list[Entity], text: str) -> None:
        refs = [_MentionRef(m.start, m.end, m.text, ent) for ent in entities for m in ent.mentions]
        refs.sort(key=lambda r: (r.start, r.end))
        self._refs = refs
        self._starts = [r.start for r in refs]
        self._gender = _genders(entities, text)

    def overlapping(self, start: int, end: int) -> Entity | None:
        """The entity with a mention overlapping [start, end); the longest mention wins."""
        i = bisect.bisect_left(self._starts, end)
        best: _MentionRef | None = None
        for ref in reversed(self._refs[max(0, i - 50) : i]):
            if (
                ref.end > start
                and ref.start < end
                and (best is None or ref.end - ref.start > best.end - best.start)
            ):
                best = ref
        return best.entity if best else None

    def antecedent(
        self, before: int, pronoun: str, excluded: list[Span], floor: int = 0
    ) -> _MentionRef | None:
        """Nearest PERSON mention before `before` whose known gender does not contradict the
        pronoun, skipping mentions inside quotes (people talked about, not speaking)."""
        want = "m" if pronoun in MALE_PRONOUNS else "f" if pronoun in FEMALE_PRONOUNS else None
        i = bisect.bisect_left(self._starts, before)
        for ref in reversed(self._refs[:i]):
            if ref.start < floor:
                break
            if ref.end > before or ref.entity.type is not EntityType.PERSON:
                continue
            if any(s <= ref.start < e for s, e in excluded):
                continue
            gender = self._gender.get(ref.entity.id)
            if want and gender and gender != want:
                continue
            return ref
        return None


def _genders(entities: list[Entity], text: str) -> dict[str, str]:
    """Gender evidence from honorifics right before a mention (Mr., Ms., Queen)."""
    out: dict[str, str] = {}
    for ent in entities:
        if ent.type is not EntityType.PERSON:
            continue
        for m in ent.mentions:
            before = text[max(0, m.start - 12) : m.start].split()
            word = before[-1].lower() if before else ""
            if word in MALE_TITLES:
                out[ent.id] = "m"
            elif word in FEMALE_TITLES:
                out[ent.id] = "f"
    return out


def resolve_relative(tok: Token) -> Token:
    """'Smith, who said ...': the relative pronoun stands for the noun the clause hangs on."""
    if tok.lower_ in _RELATIVE:
        verb = tok.head
        while verb.dep_ not in {"relcl", "ROOT"} and verb.head is not verb:
            verb = verb.head
        if verb.dep_ == "relcl":
            return verb.head
    return tok


def make_speaker(
    head: Token, index: EntityIndex, quote_spans: list[Span], floor: int = 0
) -> Speaker:
    """Speaker for the subject token `head`: a pronoun becomes its antecedent's mention."""
    head = resolve_relative(head)
    lower = head.lower_
    if head.pos_ == "PRON" and lower in PERSON_PRONOUNS:
        ref = index.antecedent(head.idx, lower, quote_spans, floor)
        if ref is not None:
            return Speaker(text=ref.text, start=ref.start, end=ref.end, entity_id=ref.entity.id)
        return Speaker(text=head.text, start=head.idx, end=head.idx + len(head.text))
    start, end = phrase_bounds(head)
    h_start, h_end = head_bounds(head)
    entity = index.overlapping(h_start, h_end)
    text = head.doc.text[start:end]
    return Speaker(text=text, start=start, end=end, entity_id=entity.id if entity else None)

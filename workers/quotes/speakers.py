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
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from schemas import Entity, EntityType, Speaker
from workers.nlp import columns_of, given_name_gender
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
_WORDS = re.compile(r"[a-z]+")


def phrase_bounds(head: Token) -> tuple[int, int]:
    """Char span of the speaker phrase headed by `head`."""
    left_tok = head.i
    right_tok = head.i
    for child in head.children:
        if child.dep_ in _CUT_DEPS:
            continue
        if child.i > head.i and head.pos_ == "PROPN" and child.dep_ not in {"compound", "flat"}:
            continue  # after a name comes what it did or where ('Mayor Jane Roe after the vote')
        if child.i < head.i:
            left_tok = min(left_tok, child.left_edge.i)
        else:
            right_tok = max(right_tok, child.right_edge.i)
    cols = columns_of(head.doc)
    words, punct, space = cols.words, cols.punct, cols.space
    left_tok = max(left_tok, head.i - 12)  # a speaker phrase is short; a longer one is a misparse
    right_tok = min(right_tok, head.i + 12)
    # Stop at punctuation inside the gathered range (a comma starts an aside).
    for i in range(head.i + 1, right_tok + 1):
        if punct[i] and words[i] not in {".", "-", "'", "’"}:
            right_tok = i - 1
            break
    for i in range(head.i - 1, left_tok - 1, -1):
        if punct[i] and words[i] not in {".", "-"}:
            left_tok = i + 1
            break
    while left_tok < head.i and (head.doc[left_tok].dep_ in {"cc", "prep"} or space[left_tok]):
        left_tok += 1
    while right_tok > head.i and space[right_tok]:
        right_tok -= 1
    return cols.idx[left_tok], cols.end_char(right_tok)


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
        self._by_id = {e.id: e for e in entities}
        self._text = text
        self._by_word: dict[str, list[int]] | None = None

    def by_id(self, entity_id: str | None) -> Entity | None:
        return self._by_id.get(entity_id) if entity_id else None

    def gender(self, entity_id: str | None) -> str | None:
        return self._gender.get(entity_id) if entity_id else None

    def is_person(self, entity: Entity) -> bool:
        """PERSON, or a name the tagger mislabelled but whose first name is a known one."""
        return entity.type is EntityType.PERSON or (
            entity.type is EntityType.ORG and entity.id in self._gender
        )

    def other_person_between(
        self, start: int, end: int, entity_id: str | None, excluded: list[Span]
    ) -> bool:
        """Is another person named between `start` and `end` (outside quotes)? Then a pronoun
        after it more likely means that person than an earlier speaker."""
        i = bisect.bisect_right(self._starts, start)
        for ref in self._refs[i:]:
            if ref.start >= end:
                break
            if ref.entity.id == entity_id or not self.is_person(ref.entity):
                continue
            if not any(s <= ref.start < e for s, e in excluded):
                return True
        return False

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

    def described(self, lemma: str, word: str, before: int, excluded: list[Span]) -> str | None:
        """The person a description stands for ('the host said' after 'host Jane Roe' or 'Jane
        Roe, the show's host'): the nearest earlier person mention with the description's head
        noun right before it or in the words after it, outside quotes."""
        by_word = self._description_index()
        i = bisect.bisect_left(self._starts, before)
        # only the mentions that have one of the words near them, nearest first
        near = sorted({j for w in (lemma, word) for j in by_word.get(w, ()) if j < i}, reverse=True)
        for j in near:
            ref = self._refs[j]
            if ref.end > before or any(s <= ref.start < e for s, e in excluded):
                continue
            return ref.entity.id
        return None

    def _description_index(self) -> dict[str, list[int]]:
        """Word -> the person mentions (indices into the sorted mentions) it describes, built once
        per document: `described` is asked for every common-noun speaker, and reading the words
        around each earlier mention anew for each one was most of the speakers' time."""
        if self._by_word is None:
            by_word: dict[str, list[int]] = {}
            for j, ref in enumerate(self._refs):
                if self.is_person(ref.entity):
                    for w in _description_words(self._text, ref.start, ref.end):
                        by_word.setdefault(w, []).append(j)
            self._by_word = by_word
        return self._by_word

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
            if ref.end > before or not self.is_person(ref.entity):
                continue
            if any(s <= ref.start < e for s, e in excluded):
                continue
            gender = self._gender.get(ref.entity.id)
            if want and gender and gender != want:
                continue
            return ref
        return None


def _description_words(text: str, start: int, end: int) -> set[str]:
    """The words that can describe the mention at [start, end): the two before it (a title,
    'host Jane Roe') and, when a comma follows it, up to six of the apposition up to the next
    comma or stop ('Jane Roe, the show's host')."""
    left = _WORDS.findall(text[max(0, start - 30) : start].lower())[-2:]
    right_text = text[end : end + 60]
    right = (
        _WORDS.findall(re.split(r"[,.;:()\n]", right_text[1:])[0].lower())[:6]
        if right_text.startswith(",")
        else []
    )
    return {*left, *right}


def _genders(entities: list[Entity], text: str) -> dict[str, str]:
    """Gender evidence for pronoun matching: an honorific right before a mention (Mr., Ms.),
    else the first name looked up in gender-guesser's name table."""
    out: dict[str, str] = {}
    for ent in entities:
        if ent.type not in (EntityType.PERSON, EntityType.ORG):
            continue
        for m in ent.mentions:
            before = text[max(0, m.start - 12) : m.start].split()
            word = before[-1].lower() if before else ""
            if word in MALE_TITLES:
                out[ent.id] = "m"
            elif word in FEMALE_TITLES:
                out[ent.id] = "f"
        if ent.id not in out:
            guess = first_name_gender(ent.name)
            if guess:
                out[ent.id] = guess
    return out


def first_name_gender(name: str) -> str | None:
    words = [w for w in name.split() if w.lower().rstrip(".") not in _HONORIFICS]
    if len(words) < 2:
        return None  # a surname alone says nothing
    guess = given_name_gender(words[0])
    return {"male": "m", "mostly_male": "m", "female": "f", "mostly_female": "f"}.get(guess)


_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "sir", "dame", "prof", "professor", "president"})

#: Head nouns of speakers that are institutions, which "he"/"she" cannot stand for.
_INSTITUTIONS = frozenset(
    [
        "company",
        "ministry",
        "agency",
        "government",
        "office",
        "department",
        "council",
        "board",
        "union",
        "court",
        "police",
        "report",
        "statement",
        "study",
        "survey",
        "group",
        "firm",
        "bank",
        "airline",
        "club",
        "university",
        "hospital",
        "museum",
        "zoo",
        "newspaper",
        "times",
        "paper",
        "authority",
        "service",
        "committee",
        "commission",
        "party",
        "organization",
        "organisation",
        "institute",
        "operator",
        "operators",
        "companies",
        "officials",
    ]
)


def resolve_relative(tok: Token) -> Token:
    """'Smith, who said ...': the relative pronoun stands for the noun the clause hangs on."""
    if tok.lower_ in _RELATIVE:
        verb = tok.head
        while verb.dep_ not in {"relcl", "ROOT"} and verb.head is not verb:
            verb = verb.head
        if verb.dep_ == "relcl":
            return verb.head
    return tok


def named_head(head: Token) -> Token:
    """'His coach, Natalia Voronova,' and 'the lead author, glaciologist Dr. Marta Kessel': a
    common-noun subject with a name in apposition (possibly nested) is that named person."""
    if head.pos_ == "PROPN":
        return head
    for child in head.children:
        if child.dep_ == "appos":
            if child.pos_ == "PROPN":
                return child
            inner = named_head(child)
            if inner.pos_ == "PROPN":
                return inner
    return head


@dataclass(slots=True)
class Resolved:
    """A speaker plus what pronoun resolution needs to know about it."""

    speaker: Speaker
    paragraph: int
    gender: str | None
    person: bool
    at: int  # where the speaker was named or referred to
    name: str | None  # the entity's name, or the proper name written when no entity has it


class SpeakerResolver:
    """Builds speakers in text order, remembering recent ones: a "she said" in the same or the
    next paragraph as another speaker most often is that speaker (news prose introduces a person,
    then quotes them), so the recent speaker is preferred over the nearest name."""

    def __init__(
        self, index: EntityIndex, quote_spans: list[Span], parsed_text: str | None = None
    ) -> None:
        self.index = index
        self.quote_spans = quote_spans
        self.recent: list[Resolved] = []
        # `Doc.text` joins every token anew on each access; the caller passes it in once
        self.parsed_text = parsed_text

    def remember(
        self, speaker: Speaker, paragraph: int, head: Token | None = None, at: int | None = None
    ) -> None:
        entity = self.index.by_id(speaker.entity_id)
        gender = self.index.gender(speaker.entity_id)
        if entity is not None:
            person = self.index.is_person(entity)
        elif head is not None:
            person = head.tag_ in {"NN", "NNP"} and head.lower_ not in _INSTITUTIONS
        else:
            person = False
        where = at if at is not None else head.idx if head is not None else speaker.end
        name = speaker.name
        if name is None and head is not None and head.pos_ == "PROPN":
            name = speaker.text
        self.recent.append(Resolved(speaker, paragraph, gender, person, where, name))

    def last(self, paragraph: int) -> Speaker | None:
        if self.recent and paragraph - self.recent[-1].paragraph <= 1:
            return self.recent[-1].speaker
        return None

    def resolve(self, subj: Token, paragraph: int) -> Speaker:
        """The speaker mention is always `subj`'s own phrase (a pronoun stays the pronoun, so a
        reader sees where the attribution is); its entity is the one the phrase names, else the
        one a pronoun or a description stands for."""
        head = named_head(resolve_relative(subj))
        lower = head.lower_
        if head.pos_ == "PRON" and lower in PERSON_PRONOUNS:
            entity_id, name = self._pronoun(head, lower, paragraph)
            speaker = self.speaker(head.idx, head.idx + len(head.text), head.text, entity_id, name)
            self.remember(speaker, paragraph, at=head.idx)
            return speaker
        start, end = phrase_bounds(head)
        h_start, h_end = head_bounds(head)
        entity = self.index.overlapping(h_start, h_end)
        entity_id = entity.id if entity else None
        if entity is None and head.pos_ == "NOUN":
            entity_id = self.index.described(
                head.lemma_.lower(), head.lower_, head.idx, self.quote_spans
            )
        text = (self.parsed_text if self.parsed_text is not None else head.doc.text)[start:end]
        speaker = self.speaker(start, end, text, entity_id)
        self.remember(speaker, paragraph, head)
        return speaker

    def speaker(
        self, start: int, end: int, text: str, entity_id: str | None, name: str | None = None
    ) -> Speaker:
        """`name` is for a pronoun whose person was named but is no entity (the tagger missed
        the name): the name as written."""
        entity = self.index.by_id(entity_id)
        return Speaker(
            text=text,
            start=start,
            end=end,
            entity_id=entity_id if entity is not None else None,
            name=entity.name if entity is not None else name,
        )

    def _main_clause_person(self, tok: Token, want: str) -> Entity | None:
        """'Jane Roe says she …', 'Roe told the audience that she …': a pronoun in a clause
        under another clause stands for that clause's subject when it is a person of the right
        gender (the subject is the most salient antecedent, Hobbs 1978)."""
        verb = tok.head
        for _ in range(6):
            if verb.head is verb or verb.dep_ not in {
                "ccomp",
                "advcl",
                "xcomp",
                "relcl",
                "pcomp",
                "pobj",
                "prep",
                "conj",
            }:
                return None
            verb = verb.head
            for child in verb.children:
                if child.dep_ != "nsubj" or child.i >= tok.i or child.pos_ == "PRON":
                    continue
                head = named_head(child)
                entity = self.index.overlapping(*head_bounds(head))
                if entity is None or not self.index.is_person(entity):
                    return None
                if self.index.gender(entity.id) in (None, want):
                    return entity
                return None
        return None

    def _pronoun(self, tok: Token, lower: str, paragraph: int) -> tuple[str | None, str | None]:
        """The entity (and name) a "he"/"she" stands for: a recent speaker of the right gender
        with no other person named since, else the nearest person mention before it."""
        want = "m" if lower in MALE_PRONOUNS else "f"
        main = self._main_clause_person(tok, want)
        if main is not None:
            return main.id, main.name
        for prior in reversed(self.recent[-3:]):
            if paragraph - prior.paragraph > 1:
                break
            if (
                prior.person
                and prior.gender in (None, want)
                and not self.index.other_person_between(
                    prior.at, tok.idx, prior.speaker.entity_id, self.quote_spans
                )
            ):
                return prior.speaker.entity_id, prior.name
        ref = self.index.antecedent(tok.idx, lower, self.quote_spans)
        return (ref.entity.id, ref.entity.name) if ref is not None else (None, None)

"""Reported speech from the dependency parse: the clausal complement of a speech verb
("Putin said [Russia's goals remained the same]") and the clause around "according to X".

A verb whose complement overlaps a direct quote is the direct quote's cue, not reported speech.
Everything is clipped to the verb's paragraph, because the small English parser sometimes runs a
sentence across a paragraph break.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from schemas import Speaker
from workers.quotes.cues import INDIRECT_LEMMAS
from workers.quotes.speakers import EntityIndex, make_speaker

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

Span = tuple[int, int]

_EDGE_SKIP = frozenset({"that", ",", ";", ":", ".", "—", "–", "-", "and", "but"})


@dataclass(slots=True)
class Reported:
    start: int
    end: int
    paragraph: int
    speaker: Speaker | None
    cue: str
    cue_at: int


def _overlaps(start: int, end: int, spans: list[Span]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _trim(tokens: list[Token]) -> tuple[int, int] | None:
    """Char span of the tokens without leading 'that'/punctuation and trailing punctuation."""
    lo, hi = 0, len(tokens)
    while lo < hi and (tokens[lo].lower_ in _EDGE_SKIP or tokens[lo].is_space):
        lo += 1
    while hi > lo and (tokens[hi - 1].is_punct or tokens[hi - 1].is_space):
        hi -= 1
    if hi - lo < 2:
        return None
    first, last = tokens[lo], tokens[hi - 1]
    return first.idx, last.idx + len(last.text)


def _paragraph_of(pos: int, bounds: list[Span]) -> int:
    for i, (s, e) in enumerate(bounds):
        if s <= pos < e:
            return i
    return -1


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in {"nsubj"}:
            return child
    if verb.dep_ in {"conj", "xcomp"} and verb.head is not verb:
        return _subject(verb.head)
    if verb.dep_ == "relcl":
        return verb.head
    return None


def find_reported(
    doc: Doc,
    bounds: list[Span],
    direct_spans: list[Span],
    index: EntityIndex,
) -> list[Reported]:
    """All reported-speech clauses in `doc`, in order."""
    found: list[Reported] = []
    for tok in doc:
        if tok.pos_ not in {"VERB", "AUX"} and tok.lower_ != "according":
            continue
        para = _paragraph_of(tok.idx, bounds)
        if para < 0:
            continue
        p_start, p_end = bounds[para]
        if _overlaps(tok.idx, tok.idx + 1, direct_spans):
            continue
        if tok.lower_ == "according":
            rep = _according(tok, para, p_start, p_end, direct_spans, index)
            if rep:
                found.append(rep)
            continue
        if tok.lemma_.lower() not in INDIRECT_LEMMAS:
            continue
        if any(c.dep_ == "neg" for c in tok.children):
            continue
        comps = [c for c in tok.children if c.dep_ == "ccomp"]
        if not comps:
            continue
        subj = _subject(tok)
        if subj is None or not (p_start <= subj.idx < p_end):
            continue
        for comp in comps:
            toks = [t for t in comp.subtree if p_start <= t.idx < p_end]
            span = _trim(toks)
            if span is None or _overlaps(span[0], span[1], direct_spans):
                continue
            if span[0] <= subj.idx < span[1]:
                continue
            speaker = make_speaker(subj, index, direct_spans)
            found.append(Reported(span[0], span[1], para, speaker, tok.text, tok.idx))
            break
    return found


def _according(
    tok: Token,
    para: int,
    p_start: int,
    p_end: int,
    direct_spans: list[Span],
    index: EntityIndex,
) -> Reported | None:
    doc = tok.doc
    if tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
        return None
    to = doc[tok.i + 1]
    heads = [c for c in to.children if c.dep_ == "pobj"]
    if not heads:
        return None
    phrase = list(tok.subtree) if tok.head is not tok else [tok]
    ph_start = min(t.i for t in [*phrase, to, *heads[0].subtree])
    ph_end = max(t.i for t in [*phrase, to, *heads[0].subtree])
    sent = tok.sent
    before = [t for t in doc[sent.start : ph_start] if p_start <= t.idx < p_end]
    after = [t for t in doc[ph_end + 1 : sent.end] if p_start <= t.idx < p_end]
    part = after if len(after) > len(before) else before
    span = _trim(part)
    if span is None or _overlaps(span[0], span[1], direct_spans):
        return None
    speaker = make_speaker(heads[0], index, direct_spans)
    return Reported(span[0], span[1], para, speaker, "according to", tok.idx)

"""Who said what in one text: the pure function behind the quote stage.

Order matters. Marked spans come first (no parse needed), then their cues; split quotes are
joined; reported speech is read from the parse but never where a direct quote already is; last,
unattributed quoted sentences inherit the speaker of the nearest earlier quote in the same or the
previous paragraph.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from schemas import Entity, Quote, QuoteKind, Speaker
from workers.quotes.direct import (
    Candidate,
    attribute,
    is_title_like,
    merge_split,
    word_count,
)
from workers.quotes.marks import find_marked_spans, paragraph_bounds
from workers.quotes.reported import Reported, find_reported
from workers.quotes.speakers import EntityIndex

if TYPE_CHECKING:
    from spacy.tokens import Doc

Span = tuple[int, int]

#: A quoted span shorter than this with no cue is a scare quote, a term or a name.
MIN_UNATTRIBUTED_WORDS = 4


def _standalone(cand: Candidate, text: str, bounds: list[Span]) -> bool:
    """The quote is a sentence of its own: nothing of the sentence stands before it (or only a
    colon-ended lead-in), so it is not a phrase quoted inside someone else's sentence."""
    p_start, _ = bounds[cand.paragraph]
    before = text[p_start : cand.start].rstrip()
    return not before or before[-1] in '.!?:”"’' or before.endswith(("—", "–"))


def _is_utterance(cand: Candidate, text: str, doc: Doc | None) -> bool:
    content = cand.span.text(text)
    if word_count(content) < MIN_UNATTRIBUTED_WORDS or is_title_like(content):
        return False
    if doc is not None and cand.end <= len(doc.text):
        span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
        if span is not None and not any(t.pos_ in {"VERB", "AUX"} for t in span):
            return False
    return True


def _keep_attributed(cand: Candidate, text: str) -> bool:
    content = cand.span.text(text)
    return word_count(content) >= 1 and not (word_count(content) <= 3 and is_title_like(content))


def extract_quotes(
    text: str,
    paragraphs: list[Span] | None,
    doc: Doc | None,
    entities: list[Entity],
) -> list[Quote]:
    """Direct and reported quotes of `text`; `doc` (may cover a prefix) enables attribution and
    reported speech, `entities` link speakers. Without a doc only direct quotes are found."""
    bounds = paragraph_bounds(text, paragraphs)
    para_starts = [s for s, _ in bounds]
    cands = [
        Candidate(span, max(0, bisect.bisect_right(para_starts, span.start) - 1))
        for span in find_marked_spans(text, bounds)
    ]
    index = EntityIndex(entities, text)
    attribute(cands, text, bounds, doc, index)
    cands = merge_split(cands, text)
    for cand in cands:
        if cand.attributed:
            cand.keep = _keep_attributed(cand, text)
        else:
            cand.keep = _standalone(cand, text, bounds) and _is_utterance(cand, text, doc)
    kept = [c for c in cands if c.keep]
    reported: list[Reported] = []
    if doc is not None:
        reported = find_reported(doc, bounds, [(c.start, c.end) for c in kept], index)
    _inherit_speakers(kept, reported)
    quotes = [
        Quote(
            text=c.span.text(text),
            start=c.start,
            end=c.end,
            kind=QuoteKind.DIRECT,
            speaker=c.speaker,
            cue=c.cue,
        )
        for c in kept
    ]
    quotes += [
        Quote(
            text=text[r.start : r.end],
            start=r.start,
            end=r.end,
            kind=QuoteKind.INDIRECT,
            speaker=r.speaker,
            cue=r.cue,
        )
        for r in reported
    ]
    quotes.sort(key=lambda q: (q.start, q.end))
    return quotes


def _inherit_speakers(kept: list[Candidate], reported: list[Reported]) -> None:
    """An unattributed quote belongs to the last speaker, if that speaker spoke in the same or the
    previous paragraph."""
    events: list[tuple[int, int, Speaker | None, Candidate | None]] = [
        (c.start, c.paragraph, c.speaker, c) for c in kept
    ]
    events += [(r.cue_at, r.paragraph, r.speaker, None) for r in reported]
    events.sort(key=lambda e: e[0])
    last: tuple[int, Speaker] | None = None
    for _, para, speaker, cand in events:
        if cand is not None and not cand.attributed:
            if last is not None and para - last[0] <= 1:
                cand.speaker = last[1]
                last = (para, last[1])
            continue
        if speaker is not None:
            last = (para, speaker)

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
from workers.nlp import columns_of
from workers.quotes.direct import (
    Candidate,
    attribute,
    is_name_like,
    is_title_like,
    merge_split,
    word_count,
)
from workers.quotes.marks import find_marked_spans, paragraph_bounds
from workers.quotes.reported import Reported, find_reported
from workers.quotes.speakers import EntityIndex, SpeakerResolver

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


def _is_utterance(cand: Candidate, text: str, doc: Doc | None, parsed_len: int) -> bool:
    """`parsed_len` is `len(doc.text)`, passed in: `Doc.text` rebuilds the string on each access."""
    content = cand.span.text(text)
    if word_count(content) < MIN_UNATTRIBUTED_WORDS or is_title_like(content):
        return False
    if doc is not None and cand.end <= parsed_len:
        span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
        if span is not None and not any(t.pos_ in {"VERB", "AUX"} for t in span):
            return False
    return True


def _is_sentence(cand: Candidate, text: str) -> bool:
    """A verbless sentence right after a quote of the same speaker ('Not their money, but some
    justice.') is speech too; a verbless phrase on its own is more likely a slogan or term."""
    content = cand.span.text(text).rstrip()
    return word_count(content) >= 3 and content[-1:] in {".", "!", "?", "…"}


def _keep_attributed(cand: Candidate, text: str) -> bool:
    content = cand.span.text(text)
    short_title = word_count(content) <= 3 and is_title_like(content)
    return word_count(content) >= 1 and not short_title and not is_name_like(content)


def extract_quotes(
    text: str,
    paragraphs: list[Span] | None,
    doc: Doc | None,
    entities: list[Entity],
    parsed_text: str | None = None,
) -> list[Quote]:
    """Direct and reported quotes of `text`; `doc` (may cover a prefix) enables attribution and
    reported speech, `entities` link speakers. Without a doc only direct quotes are found.
    `parsed_text` is `doc.text` when the caller has it: spaCy rebuilds it on each access."""
    bounds = paragraph_bounds(text, paragraphs)
    if doc is not None and parsed_text is None:
        parsed_text = doc.text
    parsed_len = len(parsed_text) if parsed_text is not None else 0
    starts = columns_of(doc).idx if doc is not None else []  # read once, by the entity stage
    para_starts = [s for s, _ in bounds]
    cands = [
        Candidate(span, max(0, bisect.bisect_right(para_starts, span.start) - 1))
        for span in find_marked_spans(text, bounds)
    ]
    attribute(cands, text, bounds, doc, parsed_len, starts)
    cands = merge_split(cands, text)
    prev: Candidate | None = None
    for cand in cands:
        if cand.attributed:
            cand.keep = _keep_attributed(cand, text)
        else:
            runs_on = prev is not None and prev.keep and prev.paragraph == cand.paragraph
            cand.keep = _standalone(cand, text, bounds) and (
                _is_utterance(cand, text, doc, parsed_len) or (runs_on and _is_sentence(cand, text))
            )
        prev = cand
    kept = [c for c in cands if c.keep]
    reported: list[Reported] = []
    if doc is not None:
        # a quoted phrase inside a reported clause leaves the clause reported speech as well
        reported = find_reported(
            doc, bounds, [(c.start, c.end) for c in kept if not c.inner], starts
        )
    resolver = SpeakerResolver(
        EntityIndex(entities, text), [(c.start, c.end) for c in kept], parsed_text
    )
    speakers = _assign_speakers(kept, reported, resolver, bounds, doc)
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
            speaker=speakers.get(id(r)),
            cue=r.cue,
        )
        for r in reported
    ]
    quotes.sort(key=lambda q: (q.start, q.end))
    return quotes


def _assign_speakers(
    kept: list[Candidate],
    reported: list[Reported],
    resolver: SpeakerResolver,
    bounds: list[Span],
    doc: Doc | None,
) -> dict[int, Speaker]:
    """Speakers in text order, so pronouns and uncued quotes see the speakers before them.
    Direct quotes get theirs set on the candidate; reported ones are returned by object id."""
    out: dict[int, Speaker] = {}
    events: list[tuple[int, Candidate | Reported]] = [
        (c.cue_at if c.cue_at is not None and c.cue_at < c.start else c.start, c) for c in kept
    ]
    events += [(r.cue_at, r) for r in reported]
    events.sort(key=lambda e: e[0])
    for _, event in events:
        if isinstance(event, Reported):
            out[id(event)] = resolver.resolve(event.subj, event.paragraph)
        elif event.subj is not None:
            event.speaker = resolver.resolve(event.subj, event.paragraph)
        else:
            event.speaker = resolver.last(event.paragraph)
            if event.speaker is None and doc is not None:
                event.speaker = _previous_subject(event, resolver, bounds, doc)
            if event.speaker is not None:
                resolver.remember(event.speaker, event.paragraph)
    return out


def resolver_text(resolver: SpeakerResolver, doc: Doc) -> str:
    return resolver.parsed_text if resolver.parsed_text is not None else doc.text


def _previous_subject(
    cand: Candidate, resolver: SpeakerResolver, bounds: list[Span], doc: Doc
) -> Speaker | None:
    """A speech that opens a paragraph with no cue, after a paragraph introducing a person
    ('Fiona Grant set out her plan.' / “For thirty years …”): that person speaks."""
    if cand.paragraph == 0 or cand.start != bounds[cand.paragraph][0]:
        return None
    p_start, p_end = bounds[cand.paragraph - 1]
    parsed = resolver.parsed_text if resolver.parsed_text is not None else doc.text
    span = doc.char_span(p_start, min(p_end, len(parsed)), alignment_mode="contract")
    if span is None:
        return None
    # a lead-in paragraph ending in a colon ('The agency said in a statement:') introduces the
    # quote whoever its subject is; otherwise only a person is taken to go on speaking
    lead_in = resolver_text(resolver, doc)[p_start:p_end].rstrip().endswith(":")
    for tok in reversed(span):
        if tok.dep_ == "nsubj" and tok.head.dep_ == "ROOT":
            speaker = resolver.resolve(tok, cand.paragraph - 1)
            entity = resolver.index.by_id(speaker.entity_id)
            if lead_in or (entity is not None and entity.type.value == "PERSON"):
                return speaker
            resolver.recent.pop()
            return None
    return None

"""Direct quotes: which marked spans are speech, how split quotes join, and who said them.

The cue is looked for in the clause right after the closing mark ("…,” X said), then in the clause
right before the opening mark (X said: “…”). A marked span with no cue is kept only when it
stands as a sentence of its own (an utterance, not a scare-quoted word or a title); it then
belongs to the last speaker of the same or the previous paragraph, the newspaper convention for
a quote that runs on without a new attribution.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from schemas import Speaker
from workers.nlp import token_starts
from workers.quotes.cues import REPORTING_LEMMAS
from workers.quotes.marks import MarkedSpan

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

Span = tuple[int, int]

_SENT_END = frozenset({".", "!", "?"})
_WINDOW = 40  # tokens: an attribution clause is short
_TRAILING_OPEN = re.compile(r"[,;:—–-]\s*$")
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_UTTERANCE_END = re.compile(r"[.!?…,;:—–-]['’\"”)]*\s*$")


@dataclass(slots=True)
class Candidate:
    """A marked span on its way to becoming a quote."""

    span: MarkedSpan
    paragraph: int
    speaker: Speaker | None = None
    cue: str | None = None
    attributed: bool = False  # a cue of its own (not inherited)
    cue_at: int | None = None  # char offset of the cue word
    subj: Token | None = None  # the speaker's token, resolved to a Speaker in text order
    keep: bool = False

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end


class TokenIndex:
    """Char offset -> token look-ups on a Doc that may cover only a prefix of the text."""

    def __init__(
        self, doc: Doc, parsed_len: int | None = None, starts: list[int] | None = None
    ) -> None:
        """`parsed_len` is `len(doc.text)` and `starts` the tokens' `idx` when the caller has
        them: `Doc.text` joins every token, and a `Token` object is made on every `doc[i]`."""
        self.doc = doc
        self.starts = token_starts(doc) if starts is None else starts
        self.limit = len(doc.text) if parsed_len is None else parsed_len

    def first_at_or_after(self, pos: int) -> int:
        return bisect.bisect_left(self.starts, pos)

    def last_before(self, pos: int) -> int:
        """Index of the last token starting before pos (-1 if none)."""
        return bisect.bisect_left(self.starts, pos) - 1


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def is_title_like(text: str) -> bool:
    """'War and Peace', 'The Art of the Deal': capitalised words, no sentence punctuation."""
    words = _WORD.findall(text)
    if not words or len(words) > 8 or _UTTERANCE_END.search(text):
        return False
    content = [w for w in words if len(w) > 3 or w[0].isupper()]
    capital = sum(1 for w in content if w[0].isupper())
    return bool(content) and capital / len(content) >= 0.7


def _is_cue(tok: Token) -> bool:
    if tok.pos_ not in {"VERB", "AUX"}:
        return False
    lemma = tok.lemma_.lower()
    return lemma in REPORTING_LEMMAS or (lemma in {"shoot", "fire", "hit"} and _has_back(tok))


def _has_back(tok: Token) -> bool:
    """'shot back', 'hit back', 'fired back': a retort."""
    return any(c.lower_ == "back" and c.dep_ in {"prt", "advmod"} for c in tok.children)


def _according_to(tok: Token) -> Token | None:
    """For 'according to X' return the head of X."""
    if tok.lower_ != "according" or tok.i + 1 >= len(tok.doc):
        return None
    to = tok.doc[tok.i + 1]
    if to.lower_ != "to":
        return None
    for child in to.children:
        if child.dep_ == "pobj":
            return child
    nxt = tok.i + 2
    return tok.doc[nxt] if nxt < len(tok.doc) and tok.doc[nxt].pos_ in {"PROPN", "NOUN"} else None


def _subject(verb: Token, lo: int, hi: int) -> Token | None:
    """The verb's subject within token range [lo, hi); falls back to the noun right after the
    verb for the inverted order ('said Putin')."""
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} and lo <= c.i < hi]
    if subjects:
        left = [c for c in subjects if c.i < verb.i]
        return left[-1] if left else subjects[0]
    if verb.dep_ == "conj" and verb.head.i >= lo:
        return _subject(verb.head, lo, hi)
    doc = verb.doc
    for i in range(verb.i + 1, min(hi, verb.i + 6)):
        tok = doc[i]
        if tok.pos_ in {"PROPN", "NOUN", "PRON"}:
            # the phrase's head is the last noun of its flat run ("said Foreign Minister Smith")
            while i + 1 < hi and doc[i + 1].pos_ in {"PROPN", "NOUN"} and doc[i + 1].dep_ != "dobj":
                i += 1
                tok = doc[i]
            return tok
        if tok.pos_ not in {"DET", "ADJ", "ADV", "NUM"}:
            break
    return None


def _find_cue(tokens: list[Token], lo: int, hi: int) -> tuple[Token, Token, str] | None:
    """(cue token, subject token, cue text) of the first cue in the window with a subject."""
    for tok in tokens:
        head = _according_to(tok)
        if head is not None:
            return tok, head, "according to"
        if _is_cue(tok):
            subj = _subject(tok, lo, hi)
            if subj is not None:
                cue = tok.text
                for child in tok.children:
                    if child.dep_ == "prt":
                        cue = f"{tok.text} {child.text}"
                return tok, subj, cue
    return None


def _after_window(idx: TokenIndex, end: int, p_end: int) -> list[Token]:
    doc = idx.doc
    out: list[Token] = []
    i = idx.first_at_or_after(end)
    while i < len(doc) and len(out) < _WINDOW:
        tok = doc[i]
        if tok.idx >= p_end or tok.text[0] in '“"‘«':
            break
        out.append(tok)
        if tok.text in _SENT_END:
            break
        i += 1
    return out


def _before_window(idx: TokenIndex, start: int, p_start: int) -> list[Token]:
    doc = idx.doc
    out: list[Token] = []
    i = idx.last_before(start)
    while i >= 0 and len(out) < _WINDOW:
        tok = doc[i]
        if tok.idx < p_start or tok.text in _SENT_END or tok.text[-1] in "”»":
            break
        out.append(tok)
        i -= 1
    out.reverse()
    return out


def _lead_in_subject(before: list[Token]) -> tuple[Token, Token] | None:
    """'Their spokesman, Derek Holm, put it bluntly: “…”': with a colon, the subject of the
    lead-in clause is the speaker even without a speech verb."""
    for tok in before:
        if tok.dep_ in {"nsubj"} and tok.head in before and tok.head.pos_ in {"VERB", "AUX"}:
            return tok.head, tok
    return None


def attribute(
    cands: list[Candidate],
    text: str,
    bounds: list[Span],
    doc: Doc | None,
    parsed_len: int | None = None,
    starts: list[int] | None = None,
) -> None:
    """Find the cue and the speaker token of each candidate, in place."""
    if doc is None:
        return
    idx = TokenIndex(doc, parsed_len, starts)
    for cand in cands:
        if cand.end > idx.limit:
            continue
        p_start, p_end = bounds[cand.paragraph]
        content = cand.span.text(text).rstrip()
        after = _after_window(idx, cand.end, p_end)
        lo_tok = idx.first_at_or_after(p_start)
        hi_tok = idx.first_at_or_after(p_end)
        found = None
        ends_open = bool(_TRAILING_OPEN.search(content)) or content[-1:] in {"?", "!"}
        follows = text[cand.end : cand.end + 2].lstrip()[:1]
        if after and (ends_open or follows == ","):
            found = _find_cue(after, lo_tok, hi_tok)
        if found is None:
            before = _before_window(idx, cand.start, p_start)
            gap = text[before[-1].idx + len(before[-1].text) : cand.start] if before else ""
            last = before[-1].text if before else ""
            if before and (
                gap.strip() in {",", ":"} or last in {",", ":", "that"} or _is_cue(before[-1])
            ):
                found = _find_cue(list(reversed(before)), lo_tok, hi_tok)
                if found is None and (last == ":" or gap.strip() == ":"):
                    lead = _lead_in_subject(before)
                    if lead is not None:
                        found = (lead[0], lead[1], lead[0].text)
        if found is not None:
            cue_tok, subj, cue = found
            cand.cue_at = cue_tok.idx
            cand.subj = subj
            cand.cue = cue
            cand.attributed = True


def merge_split(cands: list[Candidate], text: str) -> list[Candidate]:
    """“A,” X said, “b.” is one quote: join when the first part ends open (a comma, no full
    stop), its cue stands in the gap, and the gap is one clause ending in a comma or colon."""
    out: list[Candidate] = []
    for cand in cands:
        prev = out[-1] if out else None
        if prev is not None and prev.paragraph == cand.paragraph and prev.cue_at is not None:
            gap = text[prev.end : cand.start]
            prev_text = prev.span.text(text).rstrip()
            opens = prev_text[-1:] not in {".", "!", "?"}
            if (
                opens
                and prev.end <= prev.cue_at < cand.start
                and len(gap) <= 200
                and gap.rstrip().endswith((",", ":"))
                and not any(ch in gap for ch in ".!?")
            ):
                prev.span = MarkedSpan(
                    prev.span.start, cand.span.end, prev.span.parts + cand.span.parts
                )
                continue
        out.append(cand)
    return out

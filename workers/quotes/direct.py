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
from workers.nlp import columns_of, token_starts
from workers.quotes.cues import NAMING_LEMMAS, REPORTING_LEMMAS
from workers.quotes.marks import MarkedSpan

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

Span = tuple[int, int]

_SENT_END = frozenset({".", "!", "?"})
_WINDOW = 40  # tokens: an attribution clause is short
_TRAILING_OPEN = re.compile(r"[,;:—–-]\s*$")
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_UTTERANCE_END = re.compile(r"[.!?…,;:—–-]['’\"”)]*\s*$")
#: '“…” ― Jane Roe' or '“…” — Jane Roe, The Daily Planet': a dash and a short source line
#: closing the paragraph (epigraphs, reader and commentary roundups).
_DASH_SOURCE = re.compile(r"\s*[―—–]+\s*(?=\w)([^\n“”\"]{2,100}?)[\s.]*$")


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
    inner: bool = False  # attributed through the parse tree, not by a cue next to it

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


_NAME_JOINERS = frozenset({"of", "the", "and", "on", "in", "a", "an", "for", "to", "at", "&"})


def is_name_like(text: str) -> bool:
    """'Fox News Sunday,' or 'The Evening Show,': every word capitalised (but the small words
    that join a name), no sentence inside; the comma US style puts inside the marks does not
    make a show, a book or a slogan into speech."""
    core = text.strip().rstrip(",").strip()
    words = _WORD.findall(core)
    if not 2 <= len(words) <= 8 or any(ch in core for ch in ".!?;:"):
        return False
    capital = [w for w in words if w[0].isupper()]
    return len(capital) >= 2 and all(w[0].isupper() or w.lower() in _NAME_JOINERS for w in words)


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
    if verb.tag_ == "VBG":
        # '… before asking her, “…”': after a participle comes its object, not its subject
        return None
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


def _find_cue(doc: Doc, window: list[int], lo: int, hi: int) -> tuple[Token, Token, str] | None:
    """(cue token, subject token, cue text) of the first cue in the window (token indices) with
    a subject. Only 'according' and the verbs become `Token` objects: nothing else is a cue."""
    cols = columns_of(doc)
    lower, pos = cols.lower, cols.pos
    for i in window:
        if lower[i] == "according":
            head = _according_to(doc[i])
            if head is not None:
                return doc[i], head, "according to"
        if pos[i] not in {"VERB", "AUX"}:
            continue
        tok = doc[i]
        if _is_cue(tok):
            subj = _subject(tok, lo, hi)
            if subj is None and tok.tag_ == "VBG":
                subj = _clause_subject(tok, lo, hi)
            if subj is not None:
                cue = tok.text
                for child in tok.children:
                    if child.dep_ == "prt":
                        cue = f"{tok.text} {child.text}"
                return tok, subj, cue
    return None


def _after_window(idx: TokenIndex, end: int, p_end: int) -> list[int]:
    """Indices of the clause's tokens right after the closing mark."""
    cols = columns_of(idx.doc)
    words, starts, n = cols.words, cols.idx, cols.n
    out: list[int] = []
    i = idx.first_at_or_after(end)
    while i < n and len(out) < _WINDOW:
        word = words[i]
        if starts[i] >= p_end or word[0] in '“"‘«':
            break
        out.append(i)
        if word in _SENT_END:
            break
        i += 1
    return out


def _before_window(idx: TokenIndex, start: int, p_start: int) -> list[int]:
    """Indices of the clause's tokens right before the opening mark, in text order."""
    cols = columns_of(idx.doc)
    words, starts = cols.words, cols.idx
    out: list[int] = []
    i = idx.last_before(start)
    while i >= 0 and len(out) < _WINDOW:
        word = words[i]
        if starts[i] < p_start or word in _SENT_END or word[-1] in "”»":
            break
        out.append(i)
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


#: A quote inside a sentence (not next to its cue) is taken only from this length on: a shorter
#: quoted phrase is a term, a name or a scare quote more often than someone's words.
MIN_INNER_WORDS = 3
_CLAUSE_LINKS = frozenset({"advcl", "xcomp", "conj", "ccomp", "pcomp", "prep"})


def _clause_subject(verb: Token, lo: int, hi: int) -> Token | None:
    """The subject of `verb`, or of the clause it hangs on when it has none of its own ('…,
    saying …', 'X went on to call it …')."""
    for _ in range(4):
        subj = _subject(verb, lo, hi) if verb.dep_ not in {"advcl", "xcomp"} else None
        if subj is None:
            subj = next(
                (c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} and lo <= c.i < hi),
                None,
            )
        if subj is not None:
            return subj
        if verb.dep_ == "acl" and verb.head.pos_ in {"PROPN", "NOUN"} and lo <= verb.head.i < hi:
            return verb.head  # 'footage of Jane Roe asking, “…”'
        if verb.dep_ not in _CLAUSE_LINKS or verb.head is verb:
            return None
        verb = verb.head
    return None


def _governing_cue(
    idx: TokenIndex, cand: Candidate, lo: int, hi: int
) -> tuple[Token, Token, str] | None:
    """A quoted phrase inside a sentence ('called him “not fit to …”', 'said that reports were
    “an outrageous smear”'): the speech or naming verb it depends on, up the parse tree within
    the sentence, and that verb's subject."""
    doc = idx.doc
    first = idx.first_at_or_after(cand.start)
    last = idx.last_before(cand.end)
    if first > last or last >= len(doc):
        return None
    inside = range(first, last + 1)
    tops = [doc[i] for i in inside if not (first <= doc[i].head.i <= last)]
    for top in tops[:3]:
        tok = top.head
        found: tuple[Token, Token, str] | None = None
        # the outermost cue wins: in 'X said Y called it “…”' the words are reported by X
        for _ in range(8):
            if _is_cue(tok) or (tok.pos_ == "VERB" and tok.lemma_.lower() in NAMING_LEMMAS):
                subj = _clause_subject(tok, lo, hi)
                if subj is not None and not (first <= subj.i <= last):
                    found = (tok, subj, tok.text)
            head = _according_to_head(tok)
            if head is not None:
                return tok, head, "according to"
            if tok.head is tok:
                break
            tok = tok.head
        if found is not None:
            return found
    # 'according to X' anywhere in the sentence attributes the whole sentence
    sent_lo, sent_hi = _sentence_range(doc, first)
    lower = columns_of(doc).lower
    for i in range(sent_lo, sent_hi):
        if lower[i] != "according":
            continue
        head = _according_to(doc[i])
        if head is not None and not (first <= head.i <= last):
            return doc[i], head, "according to"
    return None


def _according_to_head(tok: Token) -> Token | None:
    return _according_to(tok) if tok.lower_ == "according" else None


def _sentence_range(doc: Doc, i: int, reach: int = 80) -> tuple[int, int]:
    cols = columns_of(doc)
    starts, n = cols.sent_start, cols.n
    lo = i
    while lo > 0 and i - lo < reach and not starts[lo]:
        lo -= 1
    hi = i + 1
    while hi < n and hi - i < reach and not starts[hi]:
        hi += 1
    return lo, hi


def _dash_source(idx: TokenIndex, text: str, end: int, p_end: int) -> Token | None:
    """The head token of the name in a dash source line right after the quote, if there is one:
    the last proper noun of the first name-like run (before any comma)."""
    m = _DASH_SOURCE.match(text, end, p_end)
    if m is None or m.end(1) > idx.limit:
        return None
    doc = idx.doc
    i = idx.first_at_or_after(m.start(1))
    head: Token | None = None
    while i < len(doc) and doc[i].idx < m.end(1):
        tok = doc[i]
        if tok.pos_ == "PROPN" or (head is None and tok.pos_ in {"NOUN", "PRON"}):
            head = tok
        elif head is not None or tok.is_punct:
            break
        i += 1
    return head


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
    cols = columns_of(doc)
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
        source = _dash_source(idx, text, cand.end, p_end)
        if source is not None:
            found = (source, source, "―")
        if found is None and after and (ends_open or follows == ","):
            found = _find_cue(doc, after, lo_tok, hi_tok)
        if found is None:
            before = _before_window(idx, cand.start, p_start)
            gap = text[cols.end_char(before[-1]) : cand.start] if before else ""
            last = cols.words[before[-1]] if before else ""
            if before and (
                gap.strip() in {",", ":"} or last in {",", ":", "that"} or _is_cue(doc[before[-1]])
            ):
                found = _find_cue(doc, before[::-1], lo_tok, hi_tok)
                if found is None and (last == ":" or gap.strip() == ":"):
                    lead = _lead_in_subject([doc[i] for i in before])
                    if lead is not None:
                        found = (lead[0], lead[1], lead[0].text)
        inner = False
        if found is None and word_count(content) >= MIN_INNER_WORDS and not is_title_like(content):
            found = _governing_cue(idx, cand, lo_tok, hi_tok)
            inner = found is not None
        if found is not None:
            cue_tok, subj, cue = found
            cand.cue_at = cue_tok.idx
            cand.subj = subj
            cand.cue = cue
            cand.attributed = True
            cand.inner = inner


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

"""Reported speech from the dependency parse: the clausal complement of a speech verb
("Putin said [Russia's goals remained the same]") and the clause around "according to X".

A verb whose complement overlaps a direct quote is the direct quote's cue, not reported speech.
Everything is clipped to the verb's paragraph, because the small English parser sometimes runs a
sentence across a paragraph break.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workers.nlp import columns_of, token_starts
from workers.quotes.cues import DIRECTIVE_LEMMAS, INDIRECT_LEMMAS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

Span = tuple[int, int]

_EDGE_SKIP = frozenset({"that", ",", ";", ":", ".", "—", "–", "-", "and", "but"})


@dataclass(slots=True)
class Reported:
    start: int
    end: int
    paragraph: int
    subj: Token
    cue: str
    cue_at: int


def _overlaps(start: int, end: int, spans: list[Span]) -> bool:
    """`spans` are sorted and disjoint, so only the last one starting before `end` can overlap."""
    i = bisect.bisect_left(spans, (end, end)) - 1
    return i >= 0 and spans[i][1] > start


def _mostly_quoted(start: int, end: int, spans: list[Span]) -> bool:
    """Is half or more of [start, end) inside direct quotes? Then the clause is the quote's
    own content; a clause with a short quoted word or two in it ('handed out “like candy”') is
    still reported speech."""
    lo = bisect.bisect_left(spans, (start, start))
    covered = 0
    for s, e in spans[max(0, lo - 1) :]:
        if s >= end:
            break
        covered += max(0, min(e, end) - max(s, start))
    return 2 * covered >= end - start


#: A run of tokens as a range [start, end) of token indices.
Run = tuple[int, int]


def _trim(doc: Doc, run: Run) -> tuple[int, int] | None:
    """Char span of the run without leading 'that'/punctuation and trailing punctuation. Only
    the edge tokens are looked at, so a long clause costs no more than a short one."""
    cols = columns_of(doc)
    lower, space, punct = cols.lower, cols.space, cols.punct
    lo, hi = run
    while lo < hi and (lower[lo] in _EDGE_SKIP or space[lo]):
        lo += 1
    while hi > lo and (punct[hi - 1] or space[hi - 1]):
        hi -= 1
    if hi - lo < 2:
        return None
    return cols.idx[lo], cols.end_char(hi - 1)


def _inside(starts: list[int], lo: int, hi: int, p_start: int, p_end: int) -> Run:
    """The tokens of `lo`..`hi - 1` that start inside the paragraph [p_start, p_end): token
    offsets grow with the index, so they are one run, found by bisection."""
    if hi <= lo:
        return lo, lo
    return bisect.bisect_left(starts, p_start, lo, hi), bisect.bisect_left(starts, p_end, lo, hi)


def _paragraph_of(pos: int, bounds: list[Span]) -> int:
    i = bisect.bisect_right(bounds, (pos, len(bounds) and bounds[-1][1] + 1)) - 1
    return i if i >= 0 and bounds[i][0] <= pos < bounds[i][1] else -1


def _sentence(tok: Token, reach: int = 80) -> tuple[int, int]:
    """Token range of the sentence around `tok`, found locally (Token.sent walks the whole
    sentence, which hostile input can make as long as the document)."""
    cols = columns_of(tok.doc)
    starts, n = cols.sent_start, cols.n
    lo = tok.i
    while lo > 0 and tok.i - lo < reach and not starts[lo]:
        lo -= 1
    hi = tok.i + 1
    while hi < n and hi - tok.i < reach and not starts[hi]:
        hi += 1
    return lo, hi


def _subject(verb: Token) -> Token | None:
    """The nearest subject before the verb (the parser sometimes gives two: 'paediatrician
    Dr. Ayesha Malik warned'), else one after it."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    left = [c for c in subjects if c.i < verb.i]
    if left or subjects:
        return left[-1] if left else subjects[0]
    if verb.dep_ in {"conj", "xcomp"} and verb.head is not verb:
        return _subject(verb.head)
    if verb.dep_ == "relcl":
        return verb.head
    if verb.tag_ == "VBG" and verb.dep_ in {"advcl", "pcomp"} and verb.head is not verb:
        # '…, saying (that) …', 'after adding that …': the subject of the clause it hangs on
        head = verb.head.head if verb.dep_ == "pcomp" else verb.head
        return _subject(head) if head is not verb else None
    return None


def _request(verb: Token) -> tuple[int, int] | None:
    """'told his staff to …', 'urged voters to …': a reported request is the addressee and the
    infinitive clause (token range, inclusive), when the verb has both."""
    obj = next((c for c in verb.children if c.dep_ in {"dobj", "dative"}), None)
    inf = next((c for c in verb.children if c.dep_ in {"xcomp", "ccomp"} and c.tag_ == "VB"), None)
    if obj is None or inf is None or not obj.i < inf.i:
        return None
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in inf.children):
        return None
    return obj.left_edge.i, inf.right_edge.i


_QUESTION_WORDS = frozenset({"whether", "if", "how", "why", "what", "when", "where", "who"})


def _indirect_question(verb: Token) -> bool:
    """'asked whether …' / 'asked why …': a clausal complement opened by a question word."""
    return any(c.dep_ == "ccomp" and c.left_edge.lower_ in _QUESTION_WORDS for c in verb.children)


def _complements(verb: Token) -> list[Token]:
    """Clauses a speech verb reports: its ccomp, or a that-clause hung on the noun of a
    prepositional phrase the parser attached it to ('said in a statement that …')."""
    comps = [c for c in verb.children if c.dep_ == "ccomp"]
    if comps:
        return comps
    for prep in verb.children:
        if prep.dep_ != "prep":
            continue
        for pobj in prep.children:
            for clause in pobj.children:
                if clause.dep_ in {"acl", "ccomp", "relcl"} and any(
                    m.dep_ == "mark" and m.lower_ == "that" for m in clause.children
                ):
                    return [clause]
    return []


#: A reported clause longer than this is a parse gone wrong (and would cost quadratic time on
#: hostile input, where one "sentence" holds thousands of speech verbs).
MAX_CLAUSE_TOKENS = 150


def _clause(starts: list[int], lo: int, hi: int, p_start: int, p_end: int) -> Run:
    """Tokens lo..hi (inclusive) inside the paragraph, or none if the range is implausibly long."""
    if hi - lo >= MAX_CLAUSE_TOKENS:
        return lo, lo
    return _inside(starts, lo, hi + 1, p_start, p_end)


def _content_tokens(verb: Token, comp: Token, p_start: int, p_end: int, starts: list[int]) -> Run:
    """The complement's tokens, extended over a coordinated clause that continues the report
    ('said it was too early, and the ceasefire was conditional'): the parser hangs that clause on
    the speech verb, but it has its own subject and no speech verb of its own."""
    lo, hi = comp.left_edge.i, comp.right_edge.i
    if comp.i > verb.i:
        for conj in verb.children:
            if (
                conj.dep_ == "conj"
                and conj.i > comp.i
                and conj.lemma_.lower() not in INDIRECT_LEMMAS
                and any(
                    c.dep_ in {"nsubj", "nsubjpass", "expl"} and c.lower_ not in _SPEAKER_PRONOUNS
                    for c in conj.children
                )
            ):
                hi = max(hi, conj.right_edge.i)
    return _clause(starts, lo, hi, p_start, p_end)


_SPEAKER_PRONOUNS = frozenset({"he", "she", "they", "i", "we"})


def _parenthetical(verb: Token, p_start: int, p_end: int, starts: list[int]) -> Run | None:
    """'The plan will cost $310 million, the agency said, much of it …': a speech verb the parser
    made a parataxis of the reported clause; the content is that clause up to the cue."""
    host = verb.head
    if verb.dep_ != "parataxis" or host.i > verb.i:
        return None
    hi = verb.left_edge.i - 1
    # 'Lenox was a giant, Clarke said, until it went bankrupt': the clause goes on after the
    # cue; the reported span then runs over the cue to the clause's end (one span, both parts)
    tail = [c for c in host.children if c.i > verb.right_edge.i and c.dep_ not in {"punct", "cc"}]
    if tail and not any(c.dep_ == "conj" for c in tail):
        hi = max(c.right_edge.i for c in tail)
    return _clause(starts, host.left_edge.i, hi, p_start, p_end)


#: Lemmas (lower-cased) a verb needs for `find_reported` to take it: reported speech, a
#: reported question ("ask" is a directive as well), a request, a retort ("shot back").
_CANDIDATE_LEMMAS = INDIRECT_LEMMAS | DIRECTIVE_LEMMAS | {"shoot", "hit", "fire"}


def _verbs_and_according(doc: Doc) -> list[int]:
    """Indices of the tokens a report can hang on ("according", and the verbs and auxiliaries
    whose lemma is a speech verb), read from the doc's arrays: no `Token` object for the other
    verbs, which are most of them, and no Python container per token either (each one would
    count towards the garbage collector's next pass)."""
    from spacy.attrs import LEMMA, LOWER, POS
    from spacy.symbols import AUX, VERB

    if not len(doc):
        return []
    strings = doc.vocab.strings
    according = strings["according"]  # the hash; nothing is added
    pos, lower, lemma = doc.to_array([POS, LOWER, LEMMA]).T
    verbs: list[int] = ((pos == VERB) | (pos == AUX)).nonzero()[0].tolist()
    hits = set((lower == according).nonzero()[0].tolist())
    lemmas = lemma.tolist()
    lowered: dict[int, str] = {}
    for i in verbs:
        h = lemmas[i]
        word = lowered.get(h)
        if word is None:
            word = lowered[h] = strings[h].lower()
        if word in _CANDIDATE_LEMMAS:
            hits.add(i)
    return sorted(hits)


def find_reported(
    doc: Doc,
    bounds: list[Span],
    direct_spans: list[Span],
    starts: list[int] | None = None,
) -> list[Reported]:
    """All reported-speech clauses in `doc`, in order. `starts` are the tokens' `idx` when the
    caller has them."""
    if starts is None:
        starts = token_starts(doc)
    found: list[Reported] = []
    for i in _verbs_and_according(doc):
        tok = doc[i]
        para = _paragraph_of(tok.idx, bounds)
        if para < 0:
            continue
        p_start, p_end = bounds[para]
        if _overlaps(tok.idx, tok.idx + 1, direct_spans):
            continue
        if tok.lower_ == "according":
            rep = _according(tok, para, p_start, p_end, direct_spans, starts)
            if rep:
                found.append(rep)
            continue
        lemma = tok.lemma_.lower()
        if lemma == "ask" and _indirect_question(tok):
            lemma = "say"  # 'asked whether …', 'asked how …': a reported question
        retort = lemma in {"shoot", "hit", "fire"} and any(c.lower_ == "back" for c in tok.children)
        request = _request(tok) if lemma in DIRECTIVE_LEMMAS else None
        if lemma not in INDIRECT_LEMMAS and not retort and request is None:
            continue
        if any(c.dep_ == "neg" for c in tok.children):
            continue
        subj = _subject(tok)
        if subj is None or not (p_start <= subj.idx < p_end):
            continue
        contents = [_content_tokens(tok, c, p_start, p_end, starts) for c in _complements(tok)]
        if request is not None:
            contents.append(_clause(starts, request[0], request[1], p_start, p_end))
        side = _parenthetical(tok, p_start, p_end, starts)
        if side is not None:
            contents.append(side)
        for run in contents:
            span = _trim(doc, run)
            if span is None or _mostly_quoted(span[0], span[1], direct_spans):
                continue
            if span[0] <= subj.idx < span[1] and run is not side:
                continue
            found.append(Reported(span[0], span[1], para, subj, tok.text, tok.idx))
            break
    return found


def _according(
    tok: Token,
    para: int,
    p_start: int,
    p_end: int,
    direct_spans: list[Span],
    starts: list[int],
) -> Reported | None:
    doc = tok.doc
    if tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
        return None
    to = doc[tok.i + 1]
    heads = [c for c in to.children if c.dep_ == "pobj"]
    if not heads:
        return None
    ph_start = min(tok.left_edge.i, heads[0].left_edge.i, tok.i)
    ph_end = max(tok.right_edge.i, heads[0].right_edge.i, to.i)
    if ph_end - ph_start > MAX_CLAUSE_TOKENS:
        return None
    s_start, s_end = _sentence(tok)
    before = _inside(starts, s_start, ph_start, p_start, p_end)
    after = _inside(starts, ph_end + 1, s_end, p_start, p_end)
    part = after if after[1] - after[0] > before[1] - before[0] else before
    span = _trim(doc, part)
    if span is None or _overlaps(span[0], span[1], direct_spans):
        return None
    return Reported(span[0], span[1], para, heads[0], "according to", tok.idx)

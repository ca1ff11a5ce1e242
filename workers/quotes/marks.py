"""Finds spans between quotation marks, without any parse: the language-independent first pass.

Quote marks are ambiguous (a straight `"` opens and closes, `’` is also an apostrophe), so each
mark gets a role from the characters around it, the way CommonMark decides emphasis delimiters:
a mark with a letter on both sides is an apostrophe, one after a space and before a word opens,
one after a word and before a space or punctuation closes. A scan per paragraph then pairs them.
An opening mark left unclosed at the end of a paragraph continues the quote when the next
paragraph opens with a mark of the same family (the newspaper convention for quotes that run over
several paragraphs); otherwise it is dropped as unbalanced. Everything is one linear pass, so
hostile input (thousands of marks) costs no more than ordinary text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

Span = tuple[int, int]


class Role(Enum):
    OPEN = "open"
    CLOSE = "close"
    EITHER = "either"
    NONE = "none"


#: Marks of the double family and single family. German „…“ and French «…» are included so
#: non-English texts get direct quotes too.
DOUBLE_MARKS = frozenset('"“”„«»「」『』')
SINGLE_MARKS = frozenset("'‘’‚‹›")
ALL_MARKS = DOUBLE_MARKS | SINGLE_MARKS


def _any_of(chars: frozenset[str]) -> re.Pattern[str]:
    """A pattern matching one of `chars`: the scan jumps from mark to mark with it instead of
    looking at every character of the text in Python, which was most of the scan's time."""
    return re.compile("[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]")


_FAMILY_PATTERNS = {DOUBLE_MARKS: _any_of(DOUBLE_MARKS), SINGLE_MARKS: _any_of(SINGLE_MARKS)}

#: Elisions written with a leading apostrophe ('em, 'n', 'til): never an opening quote.
_ELISIONS = re.compile(r"(?:em|n|til|cause|tis|twas|bout|round)\b", re.IGNORECASE)
_OPEN_CONTEXT = frozenset("([{—–-/")
_CLOSE_CONTEXT = frozenset(".,;:!?)]}—–-/…")


@dataclass(slots=True)
class MarkedSpan:
    """One quotation between marks. `parts` are the content spans (several when a quote runs over
    paragraphs); `start`/`end` run from the first opening to past the last closing mark."""

    start: int
    end: int
    parts: list[Span] = field(default_factory=list)
    family: str = "double"

    def text(self, source: str) -> str:
        return " ".join(source[s:e].strip() for s, e in self.parts if source[s:e].strip())


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _flanking_role(prev: str, nxt: str, undecided: Role) -> Role:
    """A straight mark opens when text follows it and not precedes it, closes the other way
    round; both or neither leaves it `undecided` (the caller's rule differs for ' and ")."""
    left = not _is_space(nxt) and (_is_space(prev) or prev in _OPEN_CONTEXT or prev in ALL_MARKS)
    right = not _is_space(prev) and (_is_space(nxt) or nxt in _CLOSE_CONTEXT or nxt in ALL_MARKS)
    if left and not right:
        return Role.OPEN
    if right and not left:
        return Role.CLOSE
    return undecided


def _double_role(ch: str, prev: str, nxt: str) -> Role:
    if ch in "“„«「『":
        return Role.OPEN
    if ch in "”»」』":
        return Role.CLOSE
    return _flanking_role(prev, nxt, undecided=Role.EITHER)


def _single_role(text: str, i: int) -> Role:
    ch = text[i]
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if prev.isalnum() and nxt.isalnum():
        return Role.NONE  # don't, Putin's, O'Brien
    if ch in "‹":
        return Role.OPEN
    if ch in "›":
        return Role.CLOSE
    if (_is_space(prev) or prev in _OPEN_CONTEXT) and (
        nxt.isdigit() or _ELISIONS.match(text, i + 1)
    ):
        return Role.NONE  # '90s, 'em, 'n'
    return _flanking_role(prev, nxt, undecided=Role.NONE)


def paragraph_bounds(text: str, paragraphs: list[Span] | None) -> list[Span]:
    if paragraphs:
        return sorted(paragraphs)
    bounds: list[Span] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            bounds.append((pos, pos + len(line)))
        pos += len(line) + 1
    return bounds


def _first_mark(text: str, start: int, end: int, family: frozenset[str]) -> int | None:
    i = start
    while i < end and text[i].isspace():
        i += 1
    return i if i < end and text[i] in family else None


@dataclass(slots=True)
class _Pending:
    start: int
    content_start: int
    opener: str
    parts: list[Span]


def _scan(
    text: str,
    bounds: list[Span],
    family: frozenset[str],
    skip: list[Span],
) -> list[MarkedSpan]:
    """Pair the marks of one family, paragraph by paragraph, carrying an unclosed quote over to
    the next paragraph only when that paragraph reopens with a mark."""
    found: list[MarkedSpan] = []
    pending: _Pending | None = None
    skip_iter = iter(sorted(skip))
    next_skip = next(skip_iter, None)
    name = "double" if family is DOUBLE_MARKS else "single"
    pattern = _FAMILY_PATTERNS[family] if family in _FAMILY_PATTERNS else _any_of(family)
    for p_start, p_end in bounds:
        carried = pending
        pending = None
        continuation_mark: int | None = None
        if carried is not None:
            continuation_mark = _first_mark(text, p_start, p_end, family)
            if continuation_mark is None:
                carried = None  # unbalanced: drop it
            else:
                pending = carried
                pending.content_start = continuation_mark + 1
        last_straight = text.rfind('"', p_start, p_end)
        for mark in pattern.finditer(text, p_start, p_end):
            i = mark.start()
            ch = text[i]
            while next_skip is not None and next_skip[1] <= i:
                next_skip = next(skip_iter, None)
            if next_skip is not None and next_skip[0] <= i < next_skip[1]:
                continue
            if i == continuation_mark:
                continue
            prev = text[i - 1] if i > 0 else ""
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if name == "double":
                role = _double_role(ch, prev, nxt)
                if ch == "“" and pending is not None and pending.opener == "„":
                    role = Role.CLOSE
                elif (
                    ch in "“”"
                    and pending is not None
                    and pending.opener == '"'
                    and i < last_straight
                ):
                    # curly marks inside a straight-quoted passage that closes later in the
                    # paragraph: a quote within the quote, not the end of the straight one
                    continue
            else:
                role = _single_role(text, i)
            if role is Role.NONE:
                continue
            if pending is None:
                if role in (Role.OPEN, Role.EITHER):
                    pending = _Pending(i, i + 1, ch, [])
                continue
            if role in (Role.CLOSE, Role.EITHER):
                parts = [*pending.parts, (pending.content_start, i)]
                found.append(MarkedSpan(pending.start, i + 1, parts, name))
                pending = None
            else:  # an unambiguous opener inside an open quote: the earlier one was stray
                pending = _Pending(i, i + 1, ch, [])
        if pending is not None:
            pending.parts = [*pending.parts, (pending.content_start, p_end)]
    return found


def find_marked_spans(text: str, paragraphs: list[Span] | None = None) -> list[MarkedSpan]:
    """All outermost quotations in `text`, in order. Double marks are paired first; single marks
    only outside them (so a quote inside a quote stays part of the outer one), and a single-mark
    span that encloses double-mark spans (British style) replaces them."""
    bounds = paragraph_bounds(text, paragraphs)
    doubles = _scan(text, bounds, DOUBLE_MARKS, [])
    singles = _scan(text, bounds, SINGLE_MARKS, [(s.start, s.end) for s in doubles])
    spans = sorted(doubles + singles, key=lambda s: (s.start, -s.end))
    outer: list[MarkedSpan] = []
    for span in spans:
        if outer and span.start < outer[-1].end:
            continue  # nested or overlapping: the outer quote already covers it
        outer.append(span)
    return outer

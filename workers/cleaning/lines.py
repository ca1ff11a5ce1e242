"""A line classifier for news text: which lines are the article and which are page furniture.

Each line gets features (length, terminal punctuation, stop-word ratio, reader-addressing words,
calls to action, credit and link-label patterns, bullet marker, quote marks) and then its
neighbours decide what the short ambiguous ones are: a line directly followed by a picture credit
is a caption; the lines under a "Related" header are links; a lone short line followed by prose is
a sub-heading; short lines after the last paragraph are trailers.

Captions are only dropped on evidence (a credit line directly below, or a credit glued to the
line's end). A caption with no credit cannot be told apart from a one-sentence paragraph, and
losing a body sentence costs more than keeping a caption, so it is kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

from workers.cleaning import phrases
from workers.cleaning.normalize import squash_spaces


class Kind(Enum):
    BODY = "body"
    HEADING = "heading"
    HIGHLIGHT = "highlight"
    BYLINE = "byline"
    CAPTION = "caption"
    CREDIT = "credit"
    LINK = "link"
    BOILERPLATE = "boilerplate"
    TITLE = "title"

    @property
    def kept(self) -> bool:
        return self in (Kind.BODY, Kind.HEADING)


_BULLET = re.compile(r"^\s*(?:[•●▪◦‣∙·■□►▶✓✔➤\-–—*]|\d{1,2}[.)])\s+")
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_NON_WORD = re.compile(r"[^\w\s']")
_TERMINAL = re.compile(r"[.!?…:;][\"'”’»)\]]*\s*$|[\"”’»]\s*$")
_QUOTED = re.compile(r"[\"“«„]([^\"“”«»„]{1,3000})[\"”»“]|‘([^‘’]{1,3000})’(?!\w)")
_OPENS_WITH_QUOTE = re.compile(r"^\s*[\"“«„]")
_READER = re.compile(r"\b(you|your|yours|we|our|us|my)\b", re.IGNORECASE)
#: Sentences that open with a command to the reader ("Get the app", "Sign up", "Join us").
_IMPERATIVE = re.compile(
    r"^\W*(?:get|download|sign|subscribe|join|follow|click|tap|share|watch|listen|register|log"
    r"|try|support|donate|become|enter|save|accept|manage|install|enable|turn)\b",
    re.IGNORECASE,
)
_URL = re.compile(r"https?://|www\.|\b[\w.-]+@[\w-]+\.\w+|\.com\b|\.org\b", re.IGNORECASE)
_BYLINE = re.compile(
    r"^\s*(?i:by|written\s+by|words\s+by|por|par|von|door|av|di)\s+"
    r"([A-Z][\w.'’\-]+(?:\s+(?:[A-Z][\w.'’\-]+|van|de|der|da|di|von|al|bin|and|&|,)){0,8})"
    r"(?:\s*[,;|·•—–\-]\s*.{0,60})?$"
)
_DATELINE_META = re.compile(
    r"^\s*(?:updated|published|posted|last\s+updated|first\s+published|modified)\b.{0,60}\d",
    re.IGNORECASE,
)
#: A one- or two-word label in capitals ("LIVE", "BREAKING NEWS"): a badge, not a sub-heading.
_SHOUTED_LABEL = re.compile(r"^[^\w]*[A-Z]{2,}(?:\s+[A-Z]{2,})?[^\w]*$")
_MINUTES = r"\d+\s*(?:-|\s)?min(?:ute)?s?\.?"
#: "5 min read", "3 MIN. READ", "Reading time: 5 minutes", "May 2, 2025 · 8 min read".
_READING_TIME = re.compile(
    rf"""^\s*(?:
        (?:.{{0,40}}(?:[·|•⋅]|//|[—–]|\s-)\s*)?
        (?:(?:estimated\s+)?reading\s+time:?(?:\s*{_MINUTES})?|{_MINUTES}(?:\s+read(?:ing)?(?:\s+time)?)?)
      | (?:.{{0,40}}\s)?{_MINUTES}\s+read(?:ing)?(?:\s+time)?
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
#: The newsroom roles an author bio gives its writer.
_NEWSROOM_ROLES = "reporter|correspondent|writer|editor|columnist|journalist|contributor"
_AUTHOR_BIO = re.compile(
    r"^[A-Z][\w.'’\-]+(?:\s+[A-Z][\w.'’\-]+){0,3}\s+(?:is|was)\s+an?\s+(?:[\w-]+\s+){0,3}"
    rf"(?:{_NEWSROOM_ROLES})\b",
)

#: The author box that closes a web article: "Jane Doe is a freelance writer based in ...",
#: "John Roe is the founder of ...". Any length, but only among the last lines of an extraction
#: (see TAIL_BIO_LINES): inside an article the same form introduces the people it is about. The
#: roles are _AUTHOR_BIO's newsroom ones and those a blog's author box gives its writer.
_TAIL_BIO = re.compile(
    r"^(?:about\s+the\s+author\s*[:.\-–—]\s*)?"
    r"[A-Z][\w.'’\-]+(?:\s+[A-Z][\w.'’\-]+){0,3}\s+(?:is|was|has\s+been)\s+(?:an?|the)\s+"
    r"(?:[\w,'’-]+\s+){0,4}"
    rf"(?:{_NEWSROOM_ROLES}|author|founder|co-founder|owner|photographer|blogger|freelancer)s?\b",
)
#: How many of the last kept lines of an extraction are searched for an author box.
TAIL_BIO_LINES = 3


@dataclass(slots=True)
class Line:
    """One candidate block: a text line, or one paragraph/heading/list item of extracted HTML."""

    text: str
    gap_before: bool = True
    bullet: bool = False
    heading_hint: bool = False
    #: A row of a table the extractor kept (cells joined by " | "): data, not a label.
    table_row: bool = False
    #: Where the block sits in the page (extracted HTML): the numbers of the page elements from
    #: the root down to the one holding its text, or None when it was not found there.
    path: tuple[int, ...] | None = None
    kind: Kind = Kind.BODY
    words: list[str] = field(default_factory=list)

    @property
    def n_words(self) -> int:
        return len(self.words)

    @property
    def terminal(self) -> bool:
        return bool(_TERMINAL.search(self.text))


def make_line(
    raw: str, gap_before: bool, heading_hint: bool = False, bullet: bool | None = None
) -> Line:
    """A line with its features. `bullet=None` (plain text) reads a leading list marker and
    strips it; markup that says what is a list item passes `bullet` and keeps the text whole,
    so a numbered heading ("3. Lower costs") keeps its number."""
    text = squash_spaces(raw)
    if bullet is None:
        bullet = False
        match = _BULLET.match(text)
        if match and len(text) > match.end():
            bullet = True
            text = text[match.end() :].strip()
    return Line(
        text=text,
        gap_before=gap_before,
        bullet=bullet,
        heading_hint=heading_hint,
        words=_WORD.findall(text),
    )


def has_quote(text: str) -> bool:
    """A quotation of three words or more, or a paragraph opening with a quote mark."""
    for match in _QUOTED.finditer(text):
        if len(_WORD.findall(match.group(1) or match.group(2) or "")) >= 3:
            return True
    return bool(_OPENS_WITH_QUOTE.match(text)) and len(_WORD.findall(text)) >= 4


def boilerplate_score(line: Line, stop_words: frozenset[str], folded: str | None = None) -> float:
    """Evidence that a line talks to the reader about the page rather than reporting news.

    A call-to-action phrase is needed to start with; what decides is how it is said. Addressing
    the reader ("you", "our"), links, required-field stars and a missing full stop add to the
    score; the length, function words and quotes of reported prose take away from it, so a news
    sentence *about* cookies or newsletters stays.
    """
    n = line.n_words
    if n == 0:
        return 10.0
    matches = phrases.count_calls_to_action(phrases.fold(line.text) if folded is None else folded)
    if not matches:
        return 0.0
    reader = bool(_READER.search(line.text))
    score = 2.0 + (min(matches - 1, 2) if n < 15 else 0)
    if reader:
        score += 1.0
    if _IMPERATIVE.match(line.text):
        score += 1.0
    if _URL.search(line.text):
        score += 1.5
    if line.text.rstrip().endswith("*"):
        score += 1.5
    if not line.terminal:
        score += 0.5
    stops = sum(1 for w in line.words if w.lower() in stop_words)
    if n >= 8 and stops / n >= 0.3 and not reader:
        score -= 1.0  # reads like reported prose
    if n >= 20 and not reader:
        score -= 2.0
    if has_quote(line.text):
        score -= 3.0
    return score


def _is_prose(line: Line, stop_words: frozenset[str]) -> bool:
    """A real sentence: long enough, and punctuated or function-word rich like running text."""
    n = line.n_words
    if n >= 8 and line.terminal:
        return True
    if n >= 12:
        stops = sum(1 for w in line.words if w.lower() in stop_words)
        return stops / n >= 0.25
    return n >= 4 and line.terminal and not line.heading_hint


#: In extracted HTML a call-to-action score removes only short lines (under the 15 words at
#: which boilerplate_score itself stops counting extra phrase matches). trafilatura has already
#: cut the page's forms and prompts; on real article pages (wcxb-dev) the score's removals of
#: longer blocks were two-thirds article sentences ("sign up for automated savings").
HTML_CTA_MAX_WORDS = 14

#: The longest block of extracted HTML the trailing-heading rule treats as a heading. Longer
#: blocks without a full stop are run-on content (a section index, a list flattened into one
#: paragraph), which on wcxb-dev was article text when it closed the extraction.
HTML_HEADING_MAX_WORDS = 30


def _base_kind(line: Line, stop_words: frozenset[str], html: bool = False) -> Kind:
    text = line.text
    folded = phrases.fold(text)  # what the case-insensitive phrase patterns see
    if phrases.LINK_LIST_HEADER.match(text):
        return Kind.LINK
    if (
        not line.words
        or _NON_WORD.sub("", text.lower()).strip() in phrases.FURNITURE
        or phrases.FORM_FIELD.match(text)
    ):
        return Kind.BOILERPLATE
    if line.n_words <= 14 and phrases.CREDIT_LINE.match(text):
        return Kind.CREDIT
    if phrases.LINK_PREFIX.match(text):
        return Kind.LINK
    if (_DATELINE_META.match(text) and line.n_words <= 14) or _READING_TIME.match(text):
        return Kind.BOILERPLATE
    if line.n_words <= 14 and _BYLINE.match(text):
        return Kind.BYLINE
    if phrases.is_decisive(folded) and not has_quote(text):
        return Kind.BOILERPLATE
    if _SHOUTED_LABEL.match(text):
        return Kind.BOILERPLATE
    if (not html or line.n_words <= HTML_CTA_MAX_WORDS) and boilerplate_score(
        line, stop_words, folded
    ) >= 2.0:
        return Kind.BOILERPLATE
    if line.n_words <= 60 and not has_quote(text) and phrases.has_trailing_credit(text):
        return Kind.CAPTION
    if _AUTHOR_BIO.match(text) and line.n_words <= 60 and not has_quote(text):
        return Kind.BOILERPLATE
    if line.table_row:
        # A table row is never prose (no verbs, no full stop), and a table often closes the
        # article, so the heading rules below would drop it as trailing furniture; on wcxb-dev
        # 94 % of the row words those rules dropped were article text (tables of figures,
        # schedules, rankings). Rows the phrase rules above name as furniture still go.
        return Kind.BODY
    if line.heading_hint or not _is_prose(line, stop_words):
        return Kind.HEADING  # provisional: decided by context below
    return Kind.BODY


#: A "read next" header ends the article only when what follows it is at most this share of the
#: kept words: teasers are the short end of a page, and a header followed by most of the text is
#: a section of the article (a guide's list of recommended reads, a related-topics section).
NEXT_READS_MAX_SHARE = 0.15


def _cut_next_reads(lines: Sequence[Line]) -> None:
    """In extracted HTML, the teasers under a "read next" header at the end of the page go."""
    total = sum(line.n_words for line in lines if line.kind is Kind.BODY)
    seen_body = False
    for k, line in enumerate(lines):
        if seen_body and line.n_words <= 12 and phrases.NEXT_READS_HEADER.match(line.text):
            rest = sum(ln.n_words for ln in lines[k + 1 :] if ln.kind is Kind.BODY)
            if rest <= NEXT_READS_MAX_SHARE * total:
                for ln in lines[k:]:
                    ln.kind = Kind.BOILERPLATE
                return
        seen_body = seen_body or line.kind is Kind.BODY


def classify(
    lines: Sequence[Line], stop_words: frozenset[str], line_breaks_mean_blocks: bool = True
) -> list[Line]:
    """Label every line in place and return them. Context rules run after per-line features.

    `line_breaks_mean_blocks` is true for plain text, where a caption sits on the line directly
    above its credit with no blank line between. In extracted HTML every block is its own
    element, so adjacency says nothing: there the extractor has usually removed the figure
    caption already, and the line above an orphaned credit is often the lead paragraph.
    """
    for line in lines:
        line.kind = _base_kind(line, stop_words, not line_breaks_mean_blocks)

    # A comment section, once the article has begun, runs to the end of the page; so does the
    # back matter (references, author box) of an extracted web page.
    seen_body = False
    for k, line in enumerate(lines):
        if (
            seen_body
            and line.kind is not Kind.BODY
            and (
                phrases.COMMENTS_HEADER.match(line.text)
                or (not line_breaks_mean_blocks and phrases.BACK_MATTER_HEADER.match(line.text))
            )
        ):
            for rest in lines[k:]:
                rest.kind = Kind.BOILERPLATE
            break
        seen_body = seen_body or line.kind is Kind.BODY
    if not line_breaks_mean_blocks:
        _cut_next_reads(lines)

    # A credit line makes the line directly above it (same block) a caption.
    for i, line in enumerate(lines):
        if line.kind is Kind.CREDIT and i > 0:
            above = lines[i - 1]
            adjacent = line_breaks_mean_blocks and not line.gap_before
            # the first line of a document is its headline, even above a lead photo's credit
            short_unpunctuated = above.n_words <= 30 and not above.terminal and i - 1 > 0
            if above.kind in (Kind.BODY, Kind.HEADING) and (adjacent or short_unpunctuated):
                above.kind = Kind.CAPTION

    # Under a link-list header, headline-like lines are links until prose resumes.
    in_links = False
    for line in lines:
        if line.kind is Kind.LINK:
            in_links = phrases.LINK_LIST_HEADER.match(line.text) is not None
            continue
        if in_links:
            if line.kind in (Kind.HEADING,) or (
                line.kind is Kind.BODY
                and line.n_words <= 20
                and not has_quote(line.text)
                and not line.text.rstrip().endswith(".")
            ):
                line.kind = Kind.LINK
                continue
            in_links = False

    # Runs of short non-prose lines with no blank line between them are menus or tag lists. Only
    # in plain text: in extracted HTML every block has no gap, and such runs are the article's
    # spec lists, table rows and step headings (on wcxb-dev they were two-thirds article text).
    i = 0
    while i < len(lines) and line_breaks_mean_blocks:
        if lines[i].kind is Kind.HEADING and not lines[i].heading_hint and not lines[i].bullet:
            j = i + 1
            while (
                j < len(lines)
                and not lines[j].gap_before
                and lines[j].kind is Kind.HEADING
                and not lines[j].heading_hint
                and not lines[j].bullet
            ):
                j += 1
            if j - i >= 3 or (j - i == 2 and max(ln.n_words for ln in lines[i:j]) <= 3):
                for ln in lines[i:j]:
                    ln.kind = Kind.BOILERPLATE
            i = j
        else:
            i += 1

    # Bullets before the first body paragraph are key points (highlights).
    first_body = next(
        (k for k, ln in enumerate(lines) if ln.kind is Kind.BODY and not ln.bullet), None
    )
    for k, line in enumerate(lines):
        if line.bullet and line.kind in (Kind.BODY, Kind.HEADING):
            if first_body is None or k < first_body:
                line.kind = Kind.HIGHLIGHT
            elif line.kind is Kind.HEADING:
                line.kind = Kind.BODY  # a short list item inside the body is content

    # The author box closing an extracted web page is not the article.
    if not line_breaks_mean_blocks:
        tail = [line for line in lines if line.kind.kept][-TAIL_BIO_LINES:]
        for line in tail:
            if _TAIL_BIO.match(line.text) and not has_quote(line.text):
                line.kind = Kind.BOILERPLATE

    # A provisional heading stays only if body text follows it; trailing ones are page furniture.
    # In extracted HTML a block longer than any heading is not one: a run-on line with no full
    # stop (an index of sections, a list flattened into one paragraph) is content, not furniture.
    kept_after = [False] * (len(lines) + 1)
    for k in range(len(lines) - 1, -1, -1):
        kept_after[k] = kept_after[k + 1] or lines[k].kind is Kind.BODY
    for k, line in enumerate(lines):
        if (
            line.kind is Kind.HEADING
            and not kept_after[k + 1]
            and (line_breaks_mean_blocks or line.n_words <= HTML_HEADING_MAX_WORDS)
        ):
            line.kind = Kind.BOILERPLATE
    return list(lines)

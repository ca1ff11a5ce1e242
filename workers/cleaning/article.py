"""From one RawArticle to one CleanedArticle: the pure core of the cleaning stage."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from schemas import CleanedArticle, CleaningInfo, ContentType, RawArticle
from workers.cleaning.html import extract_html
from workers.cleaning.language import detect_language
from workers.cleaning.layout import cut_outside_tail
from workers.cleaning.lines import Kind, Line, classify, has_quote
from workers.cleaning.normalize import fix_unicode, squash_spaces
from workers.cleaning.stopwords import stop_words
from workers.cleaning.text import split_lines

PARAGRAPH_SEPARATOR = "\n\n"
_BYLINE_PREFIX = re.compile(r"^\s*(?:by|written\s+by|words\s+by|reporting\s+by)\s+", re.I)


class EmptyArticleError(ValueError):
    """Nothing of the article is left once the page furniture is removed."""


@dataclass(slots=True)
class Assembled:
    text: str
    paragraphs: list[tuple[int, int]]


_NON_ALNUM = re.compile(r"[\W_]+")


def _fold(text: str) -> str:
    return _NON_ALNUM.sub(" ", text.casefold()).strip()


def assemble(blocks: list[str]) -> Assembled:
    """Blocks joined by a blank line; each block's [start, end) span in the joined text."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for block in blocks:
        if parts:
            pos += len(PARAGRAPH_SEPARATOR)
        parts.append(block)
        spans.append((pos, pos + len(block)))
        pos += len(block)
    return Assembled(PARAGRAPH_SEPARATOR.join(parts), spans)


#: A site name or section appended to a page's <title>: "Headline | Site", "Headline - Site".
_TITLE_SUFFIX = re.compile(r"\s+[|\-–—:·»]\s+[^|–—·»]{1,80}$")


def _title_forms(title: str) -> set[str]:
    """The folded title, and the title without the site names a page's <title> appends to
    the headline (up to two, "Headline - Section | Site"); the page prints only the headline."""
    forms = {_fold(title)}
    for _ in range(2):
        stripped = _TITLE_SUFFIX.sub("", title)
        if stripped == title or len(stripped.split()) < 3:
            break
        title = stripped
        forms.add(_fold(title))
    return forms


def _take_title(lines: list[Line], title: str | None) -> str | None:
    """Mark the title line so it is not kept as body. A known title is matched among the first
    kept lines; with none known, the first kept line before the body is the title when it is a
    heading or a short unquoted line (a feed's first line is its headline)."""
    kept = [line for line in lines if line.kind.kept or line.kind is Kind.HIGHLIGHT][:4]
    if title:
        names = _title_forms(title)
        for k, line in enumerate(kept):
            if _fold(line.text) in names:
                line.kind = Kind.TITLE
                for kicker in kept[:k]:  # a section label printed above the headline
                    if kicker.kind is Kind.HEADING and kicker.n_words <= 4:
                        kicker.kind = Kind.BOILERPLATE
                break
        return title
    for line in kept:
        if line.table_row:
            break
        if line.kind is Kind.HEADING or (
            line.kind is Kind.BODY
            and line.n_words <= 20
            and not line.text.endswith(".")
            and not has_quote(line.text)
        ):
            line.kind = Kind.TITLE
            return line.text
        break
    return None


def language_sample(lines: list[Line]) -> str:
    """What the language is read from. Prose-length lines leave out most menus and labels, so
    the sample is close to the body text that classify() keeps; detect_language() only reads its
    first SAMPLE_CHARS."""
    return " ".join(line.text for line in lines if line.n_words >= 6) or " ".join(
        line.text for line in lines
    )


def _highlights(lines: list[Line], key_points: list[str]) -> list[str]:
    """Key points marked up by the page first, then leading bullets; a line repeating a marked
    key point leaves the body."""
    marked = {_fold(point) for point in key_points}
    if marked:  # folding every line costs ~0.1 ms per article; only marked key points need it
        for line in lines:
            if line.kind.kept and _fold(line.text) in marked:
                line.kind = Kind.HIGHLIGHT
    out = list(key_points)
    for line in lines:
        if line.kind is Kind.HIGHLIGHT and _fold(line.text) not in marked:
            out.append(line.text)
    return out


@dataclass(slots=True)
class Prepared:
    """An article up to the point where its language is needed: lines and metadata."""

    raw: RawArticle
    lines: list[Line]
    title: str | None
    byline: str | None
    key_points: list[str]
    published: datetime | None
    #: Why the lines are a fallback rather than the extractor's main text (HTML only).
    fallback: str | None = None

    @property
    def given_language(self) -> str | None:
        return self.raw.language.lower() if self.raw.language else None


def prepare(raw: RawArticle) -> Prepared:
    """Extraction (HTML) or line splitting (text), with Unicode repaired."""
    title = squash_spaces(fix_unicode(raw.title)) if raw.title else None
    if raw.content_type is not ContentType.HTML:
        return Prepared(raw, split_lines(fix_unicode(raw.body)), title, None, [], raw.published_at)
    extracted = extract_html(raw.body, url=raw.url, search_date=raw.published_at is None)
    lines = extracted.lines
    for line in lines:
        line.text = squash_spaces(fix_unicode(line.text))
    title = title or (squash_spaces(fix_unicode(extracted.title)) if extracted.title else None)
    return Prepared(
        raw,
        lines,
        title,
        extracted.byline,
        [squash_spaces(fix_unicode(point)) for point in extracted.key_points],
        raw.published_at or extracted.published,
        extracted.fallback,
    )


#: Fewer words than this in all of a page's blocks is no article: a dead letter, not a fallback.
MIN_FALLBACK_WORDS = 5


def _best_text(lines: list[Line]) -> list[str]:
    """When the classifier keeps nothing of a page, the page still has an article more often
    than not (a catalogue, a spec table, a listing read as furniture): every block but the title
    is kept, and the article is flagged low-confidence instead of lost."""
    blocks = [line for line in lines if line.words and line.kind is not Kind.TITLE]
    if sum(line.n_words for line in blocks) < MIN_FALLBACK_WORDS:
        return []
    return [line.text for line in blocks]


#: How many of the last kept blocks of a page are searched for the author box.
AUTHOR_BOX_LINES = 3
#: One word of a person's name as bylines print it: "Jane", "Jean-Luc", "O'Neill".
_NAME_WORD = re.compile(r"^[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*\.?$|^[A-Z]\.$")
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\|)\s*")


def _drop_author_box(lines: list[Line], byline: str, stops: frozenset[str]) -> None:
    """The box about the author that closes many web articles ("Jane Roe is a writer ...",
    "Jane holds a degree in ..."): a block among the last kept ones that opens with the byline's
    name, the author's full or first name, is the box's first block, and the box runs to the end."""
    author = _BYLINE_PREFIX.sub("", _NAME_SPLIT.split(byline.strip())[0]).strip()
    names = author.split()
    if not 2 <= len(names) <= 3 or not all(
        _NAME_WORD.match(name) and name.lower() not in stops for name in names
    ):
        return  # an organisation or a team ("The Editorial Team") rather than a person
    opening = re.compile(rf"^(?:{re.escape(author)}|{re.escape(names[0])})(?=[\s’',])")
    kept = [line for line in lines if line.kind.kept]
    tail = kept[-AUTHOR_BOX_LINES:]
    for k, line in enumerate(tail):
        if line.n_words >= 8 and opening.match(line.text):
            for rest in tail[k:]:
                rest.kind = Kind.BOILERPLATE
            return


#: A second copy of the article's text is a run of at least this many kept blocks ...
COPY_MIN_BLOCKS = 10
#: ... holding at least this many words. Short repeats are the article's own (a table's row
#: labels, a step repeated in a training plan, a pull quote): the gold keeps them twice.
COPY_MIN_WORDS = 150


def _drop_copied_runs(lines: list[Line]) -> None:
    """A long run of kept blocks that repeats an earlier run block for block goes. Some pages
    render the whole post body twice (a tab or a mobile variant hidden by CSS, which an
    extractor does not see): the reader sees it once, so the second copy is not text."""
    kept = [line for line in lines if line.kind.kept]
    keys = [line.text for line in kept]  # a rendered copy is the same text; no folding cost
    first: dict[str, int] = {}
    i = 0
    while i < len(kept):
        j = first.get(keys[i])
        if j is not None:
            n = 0
            while i + n < len(kept) and j + n < i and keys[j + n] == keys[i + n]:
                n += 1
            run = kept[i : i + n]
            if n >= COPY_MIN_BLOCKS and sum(line.n_words for line in run) >= COPY_MIN_WORDS:
                for line in run:
                    line.kind = Kind.BOILERPLATE
                i += n
                continue
        first.setdefault(keys[i], i)
        i += 1


def clean_article(raw: RawArticle) -> CleanedArticle:
    prepared = prepare(raw)
    language = prepared.given_language or detect_language(language_sample(prepared.lines))
    return finish(prepared, language)


def clean_batch(raws: list[RawArticle]) -> list[CleanedArticle]:
    """clean_article over a batch, with the languages detected one after another: lingua then
    keeps its models in the CPU caches, which halves its cost per article (measured in the
    stage: ~0.95 ms interleaved with the other steps, ~0.5 ms in a row)."""
    prepared = [prepare(raw) for raw in raws]
    languages = [p.given_language or detect_language(language_sample(p.lines)) for p in prepared]
    return [finish(p, language) for p, language in zip(prepared, languages, strict=True)]


def finish(prepared: Prepared, language: str | None) -> CleanedArticle:
    """Classify the lines in the article's language and assemble the cleaned article."""
    raw, lines, title, byline = prepared.raw, prepared.lines, prepared.title, prepared.byline
    key_points, published = prepared.key_points, prepared.published
    stops = stop_words(language)
    classify(lines, stops, raw.content_type is not ContentType.HTML)
    title = _take_title(lines, title)
    if raw.content_type is ContentType.HTML:
        if byline:
            _drop_author_box(lines, byline, stops)
        cut_outside_tail(lines)
        _drop_copied_runs(lines)

    body = [line.text for line in lines if line.kind.kept]
    highlights = _highlights(lines, key_points)
    if byline is None:
        byline = next(
            (_BYLINE_PREFIX.sub("", ln.text) for ln in lines if ln.kind is Kind.BYLINE), None
        )
    low_confidence = prepared.fallback
    if not any(line.kind is Kind.BODY for line in lines):
        body = _best_text(lines) if raw.content_type is ContentType.HTML else []
        if not body:
            dropped = len(lines)
            raise EmptyArticleError(
                f"no article text left after cleaning ({dropped} candidate lines, all page "
                "furniture such as captions, links, forms or notices)"
                if dropped
                else "no article text left after cleaning (the body holds no readable text)"
            )
        low_confidence = low_confidence or (
            "the line classifier kept no block of the extracted text; all of it is kept"
        )
    assembled = assemble(body)
    return CleanedArticle(
        id=raw.id,
        url=raw.url,
        source=raw.source,
        title=title,
        byline=byline,
        published_at=published,
        language=language,
        text=assembled.text,
        paragraphs=assembled.paragraphs,
        highlights=highlights,
        content_hash=hashlib.sha256(assembled.text.encode("utf-8")).hexdigest(),
        cleaning=CleaningInfo(low_confidence=low_confidence is not None, reason=low_confidence),
    )

"""Property-based: arbitrary text and HTML thrown at the three real stages (default settings).

For every input the stages return within a time bound, and the only way an article may leave is
the cleaning stage saying there is no text; whatever comes out assembles into an EnrichedDocument,
whose validation enforces the offset invariants (every paragraph, mention, quote and speaker span
indexes the cleaned text, and each mention's text is exactly its slice)."""

from __future__ import annotations

import time
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.stages import build_stages, stage_versions
from schemas import ContentType, RawArticle, StageSettings
from workers.assemble import assemble
from workers.base import WorkItem
from workers.pipeline import run_pipeline

#: Per article, all three stages, on a shared 2-core machine; the real values are ~0.01-0.3 s.
TIME_BOUND_S = 10.0

PROPERTY = settings(
    max_examples=150,
    deadline=timedelta(seconds=TIME_BOUND_S),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=False,
)

#: Pieces that make the stages work (names, quote marks, cue verbs, paragraph breaks), mixed
#: with arbitrary unicode so offsets are tested on text that is not plain ASCII.
FRAGMENTS = [
    "Maria Jansen",
    "Peter Novak",
    "the European Central Bank",
    "Rotterdam",
    "said",
    "told reporters",
    "according to",
    '"',
    "\u201c",
    "\u201d",
    "\u00ab",
    "\u00bb",
    "'",
    "\u2018",
    "\u2019",
    ",",
    ".",
    ":",
    "\n",
    "\n\n",
    " ",
    "  ",
    "\t",
    "\u00a0",
    "\u200b",
    "e\u0301",
    "\U0001f600",
    "\u05e9\u05dc\u05d5\u05dd",
    "\u041c\u043e\u0441\u043a\u0432\u0430",
    "\u6771\u4eac",
    "\r\n",
    "&amp;",
    "<b>",
]

news_like = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(min_size=1, max_size=12)),
    min_size=1,
    max_size=120,
).map("".join)

TAGS = [
    "p",
    "div",
    "span",
    "a",
    "b",
    "i",
    "blockquote",
    "h1",
    "h2",
    "li",
    "ul",
    "figure",
    "figcaption",
    "nav",
    "footer",
    "aside",
    "script",
    "style",
    "table",
    "td",
    "br",
    "q",
]


@st.composite
def html_documents(draw: st.DrawFn) -> str:
    """Well-formed, broken and unbalanced HTML around news-like text."""
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 25))):
        tag = draw(st.sampled_from(TAGS))
        attrs = draw(st.sampled_from(["", ' class="x"', ' href="/a?b=1&c=2"', " data-x='\"'"]))
        kind = draw(st.integers(0, 3))
        text = draw(st.one_of(news_like, noisy_news()))
        if kind == 0:
            parts.append(f"<{tag}{attrs}>{text}</{tag}>")
        elif kind == 1:
            parts.append(f"<{tag}{attrs}>{text}")  # never closed
        elif kind == 2:
            parts.append(f"{text}</{tag}>")  # closed, never opened
        else:
            parts.append(text)
    doctype = draw(st.sampled_from(["", "<!DOCTYPE html>", '<?xml version="1.0"?>']))
    return doctype + "<html><body>" + "".join(parts) + "</body></html>"


#: How often the stages found something, so a run can show it tested more than empty output.
FOUND = {"documents": 0, "entities": 0, "quotes": 0, "speakers": 0}


def _enrich(body: str, content_type: ContentType) -> None:
    raw = RawArticle(body=body, content_type=content_type, title="Property test")
    stages = build_stages(StageSettings())
    item = WorkItem(raw=raw)
    started = time.perf_counter()
    run_pipeline(stages, [item])
    elapsed = time.perf_counter() - started
    assert elapsed < TIME_BOUND_S, f"{elapsed:.1f} s for {len(body)} characters"
    if item.failure is not None:
        assert (item.failure.stage.value, item.failure.error_type) == (
            "cleaning",
            "EmptyArticleError",
        ), item.failure
        return
    document = assemble(item, stage_versions(stages))  # raises if any span is off
    FOUND["documents"] += 1
    FOUND["entities"] += bool(document.entities)
    FOUND["quotes"] += bool(document.quotes)
    FOUND["speakers"] += any(q.speaker for q in document.quotes)
    text = document.text
    assert text.strip()
    previous_end = 0
    for start, end in document.paragraphs:
        assert previous_end <= start < end, document.paragraphs
        assert text[start:end].strip(), (start, end)
        previous_end = end
    for quote in document.quotes:
        assert quote.text.strip()
        if quote.speaker is not None:
            assert text[quote.speaker.start : quote.speaker.end] == quote.speaker.text


@PROPERTY
@given(body=st.text(min_size=1, max_size=3000).filter(str.strip))
def test_arbitrary_text(body: str) -> None:
    _enrich(body, ContentType.TEXT)


SENTENCES = [
    '"We will not accept this offer," said Maria Jansen, who leads the union in Rotterdam.',
    "Peter Novak told reporters that the European Central Bank would wait until June.",
    "\u201cIt is a fair deal,\u201d Novak said. \u201cBut it came late.\u201d",
    "According to the ministry, 1,200 workers in Lyon and Porto were affected.",
    "The mayor of Gdansk, Ana Costa, said the port would reopen on Monday.",
    "Jansen added: \u00abNobody asked us.\u00bb",
]


@st.composite
def noisy_news(draw: st.DrawFn) -> str:
    """English news sentences (so the entity and quote stages do real work) with arbitrary
    fragments spliced in at arbitrary places, cutting names and quotes apart."""
    sentences = draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=10))
    text = " ".join(sentences)
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(news_like) + text[at:]
    return text


@PROPERTY
@given(body=noisy_news())
def test_noisy_news(body: str) -> None:
    _enrich(body, ContentType.TEXT)


@PROPERTY
@given(body=st.lists(news_like, min_size=1, max_size=12).map("\n\n".join).filter(str.strip))
def test_news_like_fragments(body: str) -> None:
    _enrich(body, ContentType.TEXT)


@PROPERTY
@given(body=html_documents())
def test_arbitrary_html(body: str) -> None:
    _enrich(body, ContentType.HTML)


def test_the_properties_exercised_every_stage() -> None:
    """Runs after the properties above (file order): they must have produced entities, quotes
    and speakers, or they tested nothing but empty output."""
    if FOUND["documents"] == 0:
        import pytest

        pytest.skip("run with the property tests above")
    assert FOUND["entities"] > 10 and FOUND["quotes"] > 10 and FOUND["speakers"] > 5, FOUND
